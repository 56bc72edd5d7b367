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
    (Array("{{{".utf8), Array("}}}".utf8)), (Array("{{".utf8), Array("}}".utf8)),
    (Array("{%".utf8), Array("%}".utf8)),
    (Array("{#".utf8), Array("#}".utf8)), (Array("*|".utf8), Array("|*".utf8)),
    (Array("%%".utf8), Array("%%".utf8)),
    (Array("${".utf8), Array("}".utf8)),
  ]

  /// Tags in `bytes`, in order, not overlapping. A tag does not span lines longer than 200 bytes
  /// of content, which keeps a stray `{{` from swallowing a document. O(n).
  public static func find(in bytes: [UInt8]) -> [Tag] {
    var tags: [Tag] = []
    var index = 0
    outer: while index < bytes.count {
      let byte = bytes[index]
      guard
        byte == UInt8(ascii: "{") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "%")
          || byte == UInt8(ascii: "$")
      else {
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
            let isComment =
              (open[0] == UInt8(ascii: "{") && open[1] == UInt8(ascii: "{") && inner.hasPrefix("!"))
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
  /// whether they sit in a host. A convenience for callers with no draft budget: it still stops at
  /// `ExpansionBudget.maximumBytesPerExpansion`.
  public static func substitute(_ text: String, variables: [String: String]) -> (
    text: String, unresolved: [Tag]
  ) {
    var budget = ExpansionBudget()
    let result = substitute(text, variables: MergeVariables(variables), budget: &budget)
    return (result.text, result.unresolved)
  }

  /// The text with known variables substituted, charging the inserted bytes to `budget`. When the
  /// expansion would pass one of the budget's caps it stops at the tag that would pass it: the text
  /// ends there and `budget.exceeded` says which cap (the caller reports it). O(text + output).
  public static func substitute(
    _ text: String, variables: MergeVariables, budget: inout ExpansionBudget
  ) -> (text: String, unresolved: [Tag]) {
    let bytes = Array(text.utf8)
    let tags = find(in: bytes)
    guard !tags.isEmpty else { return (text, []) }
    var output: [UInt8] = []
    var unresolved: [Tag] = []
    var cursor = 0
    for tag in tags {
      output += bytes[cursor..<tag.range.lowerBound]
      cursor = tag.range.upperBound
      if let value = variables.value(for: tag.name) {
        guard budget.charge(value.utf8.count, toExpansionOf: output.count) else {
          return (String(decoding: output, as: UTF8.self), unresolved)
        }
        output += value.utf8
      } else {
        unresolved.append(
          Tag(
            range: output.count..<(output.count + tag.range.count), name: tag.name, isComment: tag.isComment))
        output += bytes[tag.range]
      }
    }
    output += bytes[cursor...]
    return (String(decoding: output, as: UTF8.self), unresolved)
  }
}

/// A manifest's `variables`, indexed once: exact names first, then case-insensitively (a tag written
/// `{{First_Name}}` finds `first_name`), each lookup O(1) instead of a scan of every variable.
public struct MergeVariables: Sendable {
  /// The variables as the manifest gives them.
  public let exact: [String: String]
  /// Lowercased name → value; of names equal but for case, the first in sorted order wins so the
  /// choice does not depend on dictionary order.
  private let folded: [String: String]

  /// Indexes `variables`: O(v log v) once per draft.
  public init(_ variables: [String: String]) {
    exact = variables
    var folded: [String: String] = [:]
    for key in variables.keys.sorted() where folded[key.lowercased()] == nil {
      folded[key.lowercased()] = variables[key]
    }
    self.folded = folded
  }

  /// The value of the tag `name`, exact or case-insensitive.
  public func value(for name: String) -> String? { exact[name] ?? folded[name.lowercased()] }
}

/// How much merge-tag and click-rewrite expansion may produce for one draft (issue 11): a 1 MB
/// variable in 2,000 links, or a click `url` of 50,000 `{{url}}`, would otherwise build gigabytes.
public struct ExpansionBudget: Sendable {
  /// The most bytes one template or URL may grow to once expanded.
  public static let maximumBytesPerExpansion = 1 << 20
  /// The most bytes of values all expansions of one draft may insert together.
  public static let maximumBytesPerDraft = 16 << 20

  /// Bytes inserted so far in this draft.
  public private(set) var insertedBytes = 0
  /// The first cap hit, as a message for an `input/limit-exceeded` finding; nil while within both.
  public private(set) var exceeded: String?

  /// A fresh budget for one draft.
  public init() {}

  /// Whether `count` more bytes may be inserted into an expansion already `expansionSize` bytes
  /// long; charges them when they may, records the cap when they may not.
  public mutating func charge(_ count: Int, toExpansionOf expansionSize: Int) -> Bool {
    if expansionSize + count > Self.maximumBytesPerExpansion {
      exceeded =
        exceeded ?? """
          a merge-tag or click-tracking expansion grows past \(Self.maximumBytesPerExpansion) bytes \
          (limit ExpansionBudget.maximumBytesPerExpansion); it was cut there: shorten the variable's value \
          or the number of tags (or `{{url}}`) in the template
          """
      return false
    }
    if insertedBytes + count > Self.maximumBytesPerDraft {
      exceeded =
        exceeded ?? """
          merge-tag and click-tracking expansions of this draft insert more than \
          \(Self.maximumBytesPerDraft) bytes (limit ExpansionBudget.maximumBytesPerDraft); later ones were cut: use shorter representative \
          values under `variables:`
          """
      return false
    }
    insertedBytes += count
    return true
  }
}
