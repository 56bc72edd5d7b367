/// Paths discovery leaves out: `.sendlintignore` at the repository root, then `--exclude` patterns,
/// both in gitignore syntax (https://git-scm.com/docs/gitignore#_pattern_format).
///
/// `#` starts a comment, `!` re-includes, a trailing `/` matches folders only, a `/` at the start or
/// in the middle anchors the pattern at the root (else it matches a name at any depth), `*` and `?`
/// stop at `/`, `[a-z]` and `[!a-z]` are classes, `**/`, `/**/` and `/**` cross folders. The last
/// matching pattern wins; a file in an excluded folder stays excluded (the folder is not entered).
///
/// Patterns come from strangers' pull requests, so matching is an NFA simulation — O(path ×
/// pattern) per pair, never backtracking — and pattern length and count are capped.
public struct IgnoreRules: Sendable {
  /// Longer pattern lines are not used (a diagnostic says so).
  public static let maximumPatternBytes = 1024
  /// Lines beyond this many are not used (a diagnostic says so).
  public static let maximumPatterns = 1000

  enum Token: Sendable, Hashable {
    case byte(UInt8)
    case anyByte
    /// `*`: any run of bytes without `/`.
    case star
    /// `/**` at the end: anything.
    case anything
    /// `**/`: nothing, or any run ending in `/`.
    case folders
    case byteClass(ranges: [ClosedRange<UInt8>], negated: Bool)
  }

  struct Pattern: Sendable {
    let source: String
    /// Where it came from, for the skipped reason: `.sendlintignore:3` or `--exclude`.
    let origin: String
    let tokens: [Token]
    let negated: Bool
    let foldersOnly: Bool
  }

  var patterns: [Pattern] = []
  /// Lines that were not used, and why (over a limit).
  public private(set) var problems: [String] = []

  public init() {}

  /// Adds the lines of a `.sendlintignore` (or one `--exclude` value), in order.
  public mutating func add(_ text: String, origin: String, numbered: Bool = true) {
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let where_ = numbered ? "\(origin):\(index + 1)" : origin
      var line = Substring(rawLine)
      if line.hasSuffix("\r") { line = line.dropLast() }
      while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line = line.dropLast() }
      if line.isEmpty || line.hasPrefix("#") { continue }
      guard line.utf8.count <= Self.maximumPatternBytes else {
        problems.append(
          "\(where_): the pattern is longer than \(Self.maximumPatternBytes) bytes; it was not used")
        continue
      }
      guard patterns.count < Self.maximumPatterns else {
        problems.append("\(where_): more than \(Self.maximumPatterns) patterns; the rest were not used")
        return
      }
      var negated = false
      if line.hasPrefix("!") {
        negated = true
        line = line.dropFirst()
      } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") {
        line = line.dropFirst()
      }
      var foldersOnly = false
      if line.hasSuffix("/") {
        foldersOnly = true
        line = line.dropLast()
      }
      let anchored = line.dropLast().contains("/")
      if line.hasPrefix("/") { line = line.dropFirst() }
      if line.isEmpty { continue }
      var tokens = Self.compile(Array(line.utf8))
      if !anchored && tokens.first != .folders { tokens.insert(.folders, at: 0) }
      patterns.append(
        Pattern(
          source: String(line), origin: where_, tokens: tokens, negated: negated, foldersOnly: foldersOnly))
    }
  }

  static func compile(_ bytes: [UInt8]) -> [Token] {
    var tokens: [Token] = []
    var index = 0
    let slash = UInt8(ascii: "/")
    let asterisk = UInt8(ascii: "*")
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case asterisk:
        var end = index
        while end < bytes.count, bytes[end] == asterisk { end += 1 }
        let atStart = index == 0 || bytes[index - 1] == slash
        if end - index == 2, atStart, end < bytes.count, bytes[end] == slash {
          tokens.append(.folders)  // `**/`
          index = end + 1
          continue
        }
        if end - index == 2, atStart, end == bytes.count, index > 0 {
          tokens.append(.anything)  // `/**` at the end
          index = end
          continue
        }
        tokens.append(.star)
        index = end
      case UInt8(ascii: "?"):
        tokens.append(.anyByte)
        index += 1
      case UInt8(ascii: "\\") where index + 1 < bytes.count:
        tokens.append(.byte(bytes[index + 1]))
        index += 2
      case UInt8(ascii: "["):
        if let (token, next) = byteClass(bytes, from: index) {
          tokens.append(token)
          index = next
        } else {
          tokens.append(.byte(byte))
          index += 1
        }
      default:
        tokens.append(.byte(byte))
        index += 1
      }
    }
    return tokens
  }

  /// `[...]` starting at `start`, or nil when it does not close (then `[` is literal).
  static func byteClass(_ bytes: [UInt8], from start: Int) -> (Token, Int)? {
    var index = start + 1
    var negated = false
    if index < bytes.count, bytes[index] == UInt8(ascii: "!") || bytes[index] == UInt8(ascii: "^") {
      negated = true
      index += 1
    }
    var ranges: [ClosedRange<UInt8>] = []
    var first = true
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "]") && !first {
        return (.byteClass(ranges: ranges, negated: negated), index + 1)
      }
      first = false
      if index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] != UInt8(ascii: "]")
      {
        let low = min(byte, bytes[index + 2])
        ranges.append(low...max(byte, bytes[index + 2]))
        index += 3
      } else {
        ranges.append(byte...byte)
        index += 1
      }
    }
    return nil
  }

  /// True when `tokens` match all of `path`: a simulation of the pattern's NFA, one set of states
  /// per byte, so O(path × tokens).
  static func matches(_ tokens: [Token], _ path: [UInt8]) -> Bool {
    let slash = UInt8(ascii: "/")
    var current = [Bool](repeating: false, count: tokens.count + 1)
    var next = current
    func close(_ states: inout [Bool]) {
      // Tokens that can match nothing pass their state on.
      for position in 0..<tokens.count where states[position] {
        switch tokens[position] {
        case .star, .anything, .folders: states[position + 1] = true
        default: break
        }
      }
    }
    current[0] = true
    close(&current)
    for byte in path {
      for position in next.indices { next[position] = false }
      for position in 0..<tokens.count where current[position] {
        switch tokens[position] {
        case .byte(let expected): if byte == expected { next[position + 1] = true }
        case .anyByte: if byte != slash { next[position + 1] = true }
        case .star: if byte != slash { next[position] = true }
        case .anything: next[position] = true
        case .folders:
          next[position] = true
          if byte == slash { next[position + 1] = true }
        case .byteClass(let ranges, let negated):
          if byte != slash, ranges.contains(where: { $0.contains(byte) }) != negated {
            next[position + 1] = true
          }
        }
      }
      swap(&current, &next)
      close(&current)
      if !current.contains(true) { return false }
    }
    return current[tokens.count]
  }

  /// The pattern that excludes `relativePath` (relative to the root, no leading `/`), or nil when
  /// none does or the last match re-includes it. Ancestor folders are not looked at here.
  public func exclusion(_ relativePath: String, isFolder: Bool) -> String? {
    let bytes = Array(relativePath.utf8)
    var verdict: Pattern?
    for pattern in patterns where !(pattern.foldersOnly && !isFolder) {
      if Self.matches(pattern.tokens, bytes) { verdict = pattern.negated ? nil : pattern }
    }
    return verdict.map { "excluded by \($0.origin) (\($0.source)\($0.foldersOnly ? "/" : ""))" }
  }

  /// `exclusion` for a path named on the command line: also excluded when a folder above it is.
  public func exclusionWithAncestors(_ relativePath: String, isFolder: Bool) -> String? {
    let parts = relativePath.split(separator: "/")
    for count in stride(from: 1, to: parts.count, by: 1) {
      if let reason = exclusion(parts.prefix(count).joined(separator: "/"), isFolder: true) { return reason }
    }
    return exclusion(relativePath, isFolder: isFolder)
  }

  /// True when no pattern was added.
  public var isEmpty: Bool { patterns.isEmpty }
}
