import SendlintCore

/// RFC 3676 `format=flowed` text: a line ending in a space is a soft break, and the next line
/// continues the paragraph. With `DelSp=yes` the space before the break goes too (§4.2).
/// Space-stuffing (§4.4) is undone. Signature separators ("-- ") are hard breaks.
public enum FormatFlowed {
  /// Joins flowed lines the way a client displays them, with a map back to the input. O(n).
  public static func unwrap(_ bytes: [UInt8], deleteSpace: Bool) -> (bytes: [UInt8], map: OffsetMap) {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var map = OffsetMap()
    var lineStart = 0
    while lineStart < bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      var contentEnd = lineEnd
      if contentEnd > lineStart, bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
      var contentStart = lineStart
      // Undo space-stuffing.
      if contentStart < contentEnd, bytes[contentStart] == UInt8(ascii: " ") { contentStart += 1 }
      let line = bytes[contentStart..<contentEnd]
      let isSignature = line.elementsEqual("-- ".utf8)
      let soft =
        !isSignature && contentEnd > contentStart && bytes[contentEnd - 1] == UInt8(ascii: " ")
        && lineEnd < bytes.count
      var keepEnd = contentEnd
      if soft, deleteSpace { keepEnd -= 1 }
      map.add(decoded: out.count, source: contentStart, exact: true)
      out.append(contentsOf: bytes[contentStart..<keepEnd])
      if !soft, lineEnd < bytes.count {
        map.add(decoded: out.count, source: contentEnd, exact: true)
        out.append(UInt8(ascii: "\n"))
      }
      lineStart = lineEnd + 1
    }
    if map.segments.isEmpty { map.add(decoded: 0, source: 0, exact: true) }
    return (out, map)
  }
}
