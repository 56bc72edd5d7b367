/// Windows-1252, the encoding WHATWG reads for the `iso-8859-1` label and for unlabelled 8-bit
/// text, and whose 0x80–0x9F row HTML uses to repair numeric character references (`&#150;`).
public enum Windows1252 {
  /// The character a byte stands for: 0x80–0x9F from the table (the five undefined bytes map to
  /// the C1 control of the same value, as WHATWG's index does), every other byte to itself.
  @inlinable public static func scalar(for byte: UInt8) -> Unicode.Scalar {
    guard byte >= 0x80, byte < 0xA0 else { return Unicode.Scalar(byte) }
    return high[Int(byte - 0x80)]
  }

  @usableFromInline static let high: [Unicode.Scalar] = [
    "\u{20AC}", "\u{81}", "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
    "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", "\u{8D}", "\u{017D}", "\u{8F}",
    "\u{90}", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
    "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", "\u{9D}", "\u{017E}", "\u{0178}",
  ]
}
