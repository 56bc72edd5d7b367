extension UInt8 {
  /// ASCII whitespace as the WHATWG standards define it (HTML, URL, Encoding): tab, LF, FF, CR
  /// and space. The one definition every byte-level reader here uses.
  @inlinable public var isASCIIWhitespace: Bool {
    self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0C || self == 0x0D
  }
}

extension StringProtocol {
  /// Without leading and trailing ASCII whitespace (tab, LF, FF, CR, space). Works on scalars, so
  /// a CRLF pair (one Character) is trimmed too.
  public func trimmingASCIIWhitespace() -> String {
    let scalars = unicodeScalars
    func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && UInt8(scalar.value).isASCIIWhitespace }
    guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
    var end = scalars.endIndex
    while end > first, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    var result = String.UnicodeScalarView()
    result.append(contentsOf: scalars[first..<end])
    return String(result)
  }
}
