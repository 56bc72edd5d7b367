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

  /// Appends bytes that came verbatim from `source...`. Each run of non-whitespace bytes is copied
  /// at once with one map segment (merged with the previous one when it continues it in the
  /// source), so plain text costs a whitespace test per byte and a copy.
  public mutating func appendVerbatim(_ piece: some Collection<UInt8>, source: Int) {
    // The generic entry point only finds the contiguous bytes; the work is not generic, so a
    // caller in another module runs specialised code whatever collection it passes.
    if let done: Void = piece.withContiguousStorageIfAvailable({ appendVerbatim(buffer: $0, source: source) })
    {
      return done
    }
    let copy = Array(piece)
    copy.withUnsafeBufferPointer { appendVerbatim(buffer: $0, source: source) }
  }

  /// `appendVerbatim` for the slices the HTML tokenizer hands out, without generic dispatch.
  public mutating func appendVerbatim(_ piece: ArraySlice<UInt8>, source: Int) {
    piece.withUnsafeBufferPointer { appendVerbatim(buffer: $0, source: source) }
  }

  private mutating func appendVerbatim(buffer piece: UnsafeBufferPointer<UInt8>, source: Int) {
    if !collapseWhitespace {
      map.add(decoded: bytes.count, source: source, exact: true)
      bytes.append(contentsOf: piece)
      return
    }
    let count = piece.count
    var position = 0
    while position < count {
      if piece[position].isASCIIWhitespace {
        if pendingSpace == nil { pendingSpace = source + position }
        position += 1
        continue
      }
      // A run of non-whitespace bytes: the pending space (if any) first, then the run in bulk.
      let runStart = position
      position += 1
      while position < count, !piece[position].isASCIIWhitespace { position += 1 }
      flushPendingSpace()
      map.add(decoded: bytes.count, source: source + runStart, exact: true)
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: piece[runStart..<position]))
    }
  }

  /// Appends decoded text (e.g. a character reference) that all maps to `source`.
  public mutating func appendDecoded(_ piece: some Collection<UInt8>, source: Int) {
    appendDecoded(ArraySlice(piece), source: source)
  }

  /// `appendDecoded` for the slices the HTML tokenizer hands out, without generic dispatch.
  public mutating func appendDecoded(_ piece: ArraySlice<UInt8>, source: Int) {
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

  /// Writes the space that collapsed whitespace before a non-whitespace byte stands for, unless
  /// the text is empty or already ends in a space or break.
  @inline(__always)
  private mutating func flushPendingSpace() {
    guard let space = pendingSpace else { return }
    pendingSpace = nil
    if let last = bytes.last, last != UInt8(ascii: " "), last != UInt8(ascii: "\n") {
      map.add(decoded: bytes.count, source: space, exact: true)
      bytes.append(UInt8(ascii: " "))
    }
  }

  private mutating func appendByte(_ byte: UInt8, source: Int, exact: Bool) {
    if collapseWhitespace {
      if byte.isASCIIWhitespace {
        if pendingSpace == nil { pendingSpace = source }
        return
      }
      flushPendingSpace()
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
