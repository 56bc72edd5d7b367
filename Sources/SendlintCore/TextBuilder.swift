/// Builds UTF-8 text from pieces that each remember where they came from, producing the text and
/// an `OffsetMap` back to the source. Used for the text a recipient sees in HTML (entities decoded,
/// whitespace collapsed) so that findings in it point at source bytes.
public struct TextBuilder: Sendable {
  public private(set) var bytes: [UInt8] = []
  public private(set) var map = OffsetMap()
  /// Collapse runs of whitespace into one space, as HTML rendering does.
  public let collapseWhitespace: Bool
  private var pendingSpace: Int?

  public init(collapseWhitespace: Bool) { self.collapseWhitespace = collapseWhitespace }

  /// Appends bytes that came verbatim from `source...`. Runs that continue the previous run in
  /// the source need no new map segment, so plain text costs one comparison per byte.
  public mutating func appendVerbatim(_ piece: some Collection<UInt8>, source: Int) {
    if !collapseWhitespace {
      map.add(decoded: bytes.count, source: source, exact: true)
      bytes.append(contentsOf: piece)
      return
    }
    var offset = source
    var continuesSegment = false
    for byte in piece {
      let isSpace = byte.isASCIIWhitespace
      if isSpace {
        if pendingSpace == nil { pendingSpace = offset }
        continuesSegment = false
      } else if pendingSpace == nil, continuesSegment {
        bytes.append(byte)
      } else {
        appendByte(byte, source: offset, exact: true)
        continuesSegment = true
      }
      offset += 1
    }
  }

  /// Appends decoded text (e.g. a character reference) that all maps to `source`.
  public mutating func appendDecoded(_ piece: some Collection<UInt8>, source: Int) {
    var first = true
    for byte in piece {
      appendByte(byte, source: source, exact: first)
      first = false
    }
    // Bytes after a decoded piece map exactly again from the next verbatim append.
  }

  /// A hard break between blocks (`<p>`, `<br>`, table cells): a newline, collapsing with spaces.
  public mutating func appendBreak(source: Int) {
    pendingSpace = nil
    if let last = bytes.last, last == UInt8(ascii: "\n") { return }
    if bytes.isEmpty { return }
    if bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
    map.add(decoded: bytes.count, source: source, exact: true)
    bytes.append(UInt8(ascii: "\n"))
  }

  private mutating func appendByte(_ byte: UInt8, source: Int, exact: Bool) {
    let isSpace = byte.isASCIIWhitespace
    if collapseWhitespace {
      if isSpace {
        if pendingSpace == nil { pendingSpace = source }
        return
      }
      if let space = pendingSpace {
        pendingSpace = nil
        if let last = bytes.last, last != UInt8(ascii: " "), last != UInt8(ascii: "\n") {
          map.add(decoded: bytes.count, source: space, exact: true)
          bytes.append(UInt8(ascii: " "))
        }
      }
    }
    // Bytes of a decoded character after its first all point at the reference's start.
    map.add(decoded: bytes.count, source: source, exact: exact)
    bytes.append(byte)
  }

  /// The text built so far, without trailing whitespace.
  public func build() -> DecodedText {
    var end = bytes.count
    while end > 0, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
    return DecodedText(bytes: Array(bytes[0..<end]), maps: [map.compacted()])
  }

  public var isEmpty: Bool { bytes.isEmpty }
}
