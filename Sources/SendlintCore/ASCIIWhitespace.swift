extension UInt8 {
  /// ASCII whitespace as the WHATWG standards define it (HTML, URL, Encoding): tab, LF, FF, CR
  /// and space. The one definition every byte-level reader here uses.
  @inlinable public var isASCIIWhitespace: Bool {
    self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0C || self == 0x0D
  }
}

extension StringProtocol {
  /// Without leading and trailing ASCII whitespace (tab, LF, FF, CR, space). Works on UTF-8
  /// bytes (ASCII bytes are ASCII code points), so a CRLF pair (one Character) is trimmed too.
  /// Inlinable so callers in other modules get a specialised copy, not generic witness calls.
  @inlinable public func trimmingASCIIWhitespace() -> String {
    let bytes = utf8
    guard let first = bytes.firstIndex(where: { !$0.isASCIIWhitespace }) else { return "" }
    // Forward (StringProtocol's UTF8View is only a Collection): just past the last non-space.
    var end = bytes.index(after: first)
    var index = end
    while index < bytes.endIndex {
      let next = bytes.index(after: index)
      if !bytes[index].isASCIIWhitespace { end = next }
      index = next
    }
    if first == bytes.startIndex, end == bytes.endIndex, let whole = self as? String { return whole }
    return String(decoding: bytes[first..<end], as: UTF8.self)
  }
}
