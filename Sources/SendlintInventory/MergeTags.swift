import SendlintCore

/// Template merge tags: `{{var}}`, `{{{var}}}`, `{% … %}`, `*|VAR|*`, `%%var%%`, `${var}`.
/// Values come from the manifest's `variables`; an unknown tag stays a tag.
public enum MergeTags {
  /// A tag found in text.
  public struct Tag: Sendable, Hashable {
    public let range: Range<Int>
    /// The variable name inside, trimmed (for `{% … %}` blocks, the whole statement).
    public let name: String
    /// Whether the tag is a template comment that never renders (`{{! … }}`, `{{!-- … --}}`, `{# … #}`).
    public let isComment: Bool
  }

  private static let delimiters: [(open: [UInt8], close: [UInt8])] = [
    (Array("{{{".utf8), Array("}}}".utf8)), (Array("{{".utf8), Array("}}".utf8)), (Array("{%".utf8), Array("%}".utf8)),
    (Array("{#".utf8), Array("#}".utf8)), (Array("*|".utf8), Array("|*".utf8)), (Array("%%".utf8), Array("%%".utf8)),
    (Array("${".utf8), Array("}".utf8)),
  ]

  /// Tags in `bytes`, in order, not overlapping. A tag does not span lines longer than 200 bytes
  /// of content, which keeps a stray `{{` from swallowing a document. O(n).
  public static func find(in bytes: [UInt8]) -> [Tag] {
    var tags: [Tag] = []
    var index = 0
    outer: while index < bytes.count {
      let byte = bytes[index]
      guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "$") else {
        index += 1
        continue
      }
      for (open, close) in delimiters where matches(bytes, at: index, open) {
        let contentStart = index + open.count
        var probe = contentStart
        let limit = min(bytes.count, contentStart + 200)
        while probe < limit {
          if matches(bytes, at: probe, close) {
            var inner = String(decoding: bytes[contentStart..<probe], as: UTF8.self)
            let isComment = (open[0] == UInt8(ascii: "{") && open[1] == UInt8(ascii: "{") && inner.hasPrefix("!"))
              || open == Array("{#".utf8)
            inner = inner.trimming(" \t-~")
            if open == Array("%%".utf8) && (inner.isEmpty || inner.contains(" ")) { break }
            tags.append(Tag(range: index..<(probe + close.count), name: inner, isComment: isComment))
            index = probe + close.count
            continue outer
          }
          probe += 1
        }
      }
      index += 1
    }
    return tags
  }

  static func matches(_ bytes: [UInt8], at index: Int, _ pattern: [UInt8]) -> Bool {
    guard index + pattern.count <= bytes.count else { return false }
    for (offset, byte) in pattern.enumerated() where bytes[index + offset] != byte { return false }
    return true
  }

  /// The text with known variables substituted; unknown tags are returned so callers can tell
  /// whether they sit in a host.
  public static func substitute(_ text: String, variables: [String: String]) -> (text: String, unresolved: [Tag]) {
    let bytes = Array(text.utf8)
    let tags = find(in: bytes)
    guard !tags.isEmpty else { return (text, []) }
    var output: [UInt8] = []
    var unresolved: [Tag] = []
    var cursor = 0
    for tag in tags {
      output += bytes[cursor..<tag.range.lowerBound]
      let key = tag.name
      if let value = variables[key] ?? variables.first(where: { $0.key.caseInsensitiveCompare(key) })?.value {
        output += Array(value.utf8)
      } else {
        unresolved.append(Tag(range: output.count..<(output.count + tag.range.count), name: tag.name, isComment: tag.isComment))
        output += bytes[tag.range]
      }
      cursor = tag.range.upperBound
    }
    output += bytes[cursor...]
    return (String(decoding: output, as: UTF8.self), unresolved)
  }
}

extension String {
  func caseInsensitiveCompare(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
