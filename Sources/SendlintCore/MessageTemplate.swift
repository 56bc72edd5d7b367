/// A policy's `message:` template with its `{{placeholders}}` parsed once.
///
/// Rendering is one pass over the parsed pieces: a value is copied, never scanned again, so a value
/// that itself contains `{{other}}` stays as written, and the result is cut at
/// `maximumRenderedBytes` so a huge template times many findings cannot multiply into gigabytes.
public struct MessageTemplate: Sendable {
  /// Rendered messages longer than this (UTF-8 bytes) are cut and end with `…`. Real messages are
  /// a line or two; this leaves room for long quoted values.
  public static let maximumRenderedBytes = 4_096

  enum Piece: Sendable {
    case literal(Substring)
    case placeholder(String)
  }

  let pieces: [Piece]

  /// Splits `template` at `{{name}}` (name trimmed of spaces); an unclosed `{{` stays literal.
  public init(_ template: String) {
    var pieces: [Piece] = []
    var remainder = Substring(template)
    while let open = remainder.firstRange(of: "{{"),
      let close = remainder[open.upperBound...].firstRange(of: "}}")
    {
      if open.lowerBound > remainder.startIndex { pieces.append(.literal(remainder[..<open.lowerBound])) }
      let name = remainder[open.upperBound..<close.lowerBound].trimmingASCIIWhitespace()
      pieces.append(.placeholder(String(name)))
      remainder = remainder[close.upperBound...]
    }
    if !remainder.isEmpty { pieces.append(.literal(remainder)) }
    self.pieces = pieces
  }

  /// The template with each placeholder replaced by its value (unknown ones kept as written).
  public func render(_ values: [String: String]) -> String {
    var output = ""
    var bytes = 0
    func append(_ text: Substring) -> Bool {
      let count = text.utf8.count
      if bytes + count <= Self.maximumRenderedBytes {
        output += text
        bytes += count
        return true
      }
      // Cut on a character boundary, leaving room for the ellipsis (3 bytes).
      var room = Self.maximumRenderedBytes - bytes - 3
      for character in text {
        let size = character.utf8.count
        if size > room { break }
        output.append(character)
        room -= size
      }
      output += "…"
      return false
    }
    for piece in pieces {
      let fits: Bool
      switch piece {
      case .literal(let text): fits = append(text)
      case .placeholder(let name):
        fits = append(values[name].map { Substring($0) } ?? Substring("{{\(name)}}"))
      }
      if !fits { break }
    }
    return output
  }
}
