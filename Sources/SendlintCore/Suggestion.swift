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
  /// of two neighbours as one edit each (optimal string alignment, Damerau–Levenshtein), so the
  /// common typo `domian` is one edit from `domain`, not two. With `limit`, returns `limit + 1` as
  /// soon as the distance must exceed it. O(n·m) time and O(m) space. The one edit distance of the
  /// project: did-you-mean suggestions and `link/lookalike-domain` both use it.
  public static func typoDistance(_ lhs: String, _ rhs: String, limit: Int = .max) -> Int {
    let left = Array(lhs.unicodeScalars)
    let right = Array(rhs.unicodeScalars)
    if limit < .max, abs(left.count - right.count) > limit { return limit + 1 }
    if left.isEmpty || right.isEmpty { return max(left.count, right.count) }
    var beforePrevious = [Int](repeating: 0, count: right.count + 1)
    var previous = Array(0...right.count)
    var current = [Int](repeating: 0, count: right.count + 1)
    for i in 1...left.count {
      current[0] = i
      var rowMinimum = i
      for j in 1...right.count {
        let cost = left[i - 1] == right[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, left[i - 1] == right[j - 2], left[i - 2] == right[j - 1] {
          value = min(value, beforePrevious[j - 2] + 1)
        }
        current[j] = value
        rowMinimum = min(rowMinimum, value)
      }
      if rowMinimum > limit { return limit + 1 }
      (beforePrevious, previous, current) = (previous, current, beforePrevious)
    }
    return previous[right.count]
  }
}
