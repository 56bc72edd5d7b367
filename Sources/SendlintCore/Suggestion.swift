/// "Did you mean" for misspelled names: the nearest candidate by edit distance, if near enough.
public enum Suggestion {
  /// Returns the candidate nearest to `word`, if its distance is at most a third of the longer
  /// name (and at least 1), so that `link/text-host-missmatch` finds its rule but `foo` finds nothing.
  public static func nearest(to word: String, in candidates: some Sequence<String>) -> String? {
    var best: (String, Int)?
    let lowered = word.lowercased()
    for candidate in candidates {
      let distance = typoDistance(lowered, candidate.lowercased())
      let limit = max(1, max(lowered.count, candidate.count) / 3)
      guard distance <= limit else { continue }
      if best == nil || distance < best!.1 { best = (candidate, distance) }  // best checked non-nil
    }
    return best?.0
  }

  /// Edit distance over Unicode scalars counting insertions, deletions, substitutions and swaps
  /// of two neighbours as one edit each (optimal string alignment), so the common typo `domian`
  /// is one edit from `domain`, not two. O(n·m) time and O(m) space.
  /// For suggestions only: `link/lookalike-domain` keeps plain Levenshtein (`editDistance`).
  public static func typoDistance(_ lhs: String, _ rhs: String) -> Int {
    let left = Array(lhs.unicodeScalars)
    let right = Array(rhs.unicodeScalars)
    if left.isEmpty { return right.count }
    if right.isEmpty { return left.count }
    var beforePrevious = [Int](repeating: 0, count: right.count + 1)
    var previous = Array(0...right.count)
    var current = [Int](repeating: 0, count: right.count + 1)
    for i in 1...left.count {
      current[0] = i
      for j in 1...right.count {
        let cost = left[i - 1] == right[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, left[i - 1] == right[j - 2], left[i - 2] == right[j - 1] {
          current[j] = min(current[j], beforePrevious[j - 2] + 1)
        }
      }
      (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[right.count]
  }

  /// Levenshtein distance over Unicode scalars, O(n·m) time and O(m) space.
  public static func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let left = Array(lhs.unicodeScalars)
    let right = Array(rhs.unicodeScalars)
    if left.isEmpty { return right.count }
    if right.isEmpty { return left.count }
    var previous = Array(0...right.count)
    var current = [Int](repeating: 0, count: right.count + 1)
    for i in 1...left.count {
      current[0] = i
      for j in 1...right.count {
        let cost = left[i - 1] == right[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[right.count]
  }
}
