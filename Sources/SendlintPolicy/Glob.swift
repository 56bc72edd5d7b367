/// A file glob as written in policies: `*` within a path segment, `?` one character, `**` any
/// number of segments, `{a,b}` alternatives. Matched against `/`-separated relative paths.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
  public let pattern: String
  private let segments: [String]

  public init(_ pattern: String) {
    self.pattern = pattern
    var trimmed = pattern
    while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
    if trimmed.hasSuffix("/") { trimmed += "**" }
    segments = trimmed.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
  }

  public var description: String { pattern }

  /// Whether `path` (relative, `/`-separated) matches. A pattern without `/` matches the file name
  /// at any depth, as in `.gitignore`.
  public func matches(_ path: String) -> Bool {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    if segments.count == 1, !pattern.contains("/") {
      return parts.last.map { Self.matchSegment(segments[0], $0) } ?? false
    }
    return Self.match(segments[...], parts[...])
  }

  private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
    guard let first = pattern.first else { return path.isEmpty }
    if first == "**" {
      // Memo-free is fine: patterns have few "**" and paths few segments.
      var rest = path
      while true {
        if match(pattern.dropFirst(), rest) { return true }
        guard !rest.isEmpty else { return false }
        rest = rest.dropFirst()
      }
    }
    guard let head = path.first, matchSegment(first, head) else { return false }
    return match(pattern.dropFirst(), path.dropFirst())
  }

  /// `*`, `?` and `{a,b}` within one segment. Iterative with backtracking to the last star: O(n·m).
  static func matchSegment(_ pattern: String, _ text: String) -> Bool {
    if let open = pattern.firstIndex(of: "{"), let close = pattern[open...].firstIndex(of: "}") {
      let prefix = pattern[..<open]
      let suffix = pattern[pattern.index(after: close)...]
      for option in pattern[pattern.index(after: open)..<close].split(
        separator: ",", omittingEmptySubsequences: false)
      {
        if matchSegment(String(prefix + option + suffix), text) { return true }
      }
      return false
    }
    let p = Array(pattern.unicodeScalars)
    let t = Array(text.unicodeScalars)
    var pi = 0
    var ti = 0
    var star: Int?
    var mark = 0
    while ti < t.count {
      if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
        pi += 1
        ti += 1
      } else if pi < p.count, p[pi] == "*" {
        star = pi
        mark = ti
        pi += 1
      } else if let starIndex = star {
        pi = starIndex + 1
        mark += 1
        ti = mark
      } else {
        return false
      }
    }
    while pi < p.count, p[pi] == "*" { pi += 1 }
    return pi == p.count
  }
}
