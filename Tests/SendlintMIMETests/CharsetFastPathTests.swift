import Testing

@testable import SendlintMIME

/// `Charset.string` answers ASCII bytes in an ASCII-based charset without building a map, and
/// `encodesTextInASCIIBytes` rejects by first byte before its prefix list: both must answer what
/// the full conversion and the list alone answer.
@Suite struct CharsetFastPathTests {
  static let prefixes = [
    "utf-7", "utf7", "unicode-1-1-utf-7", "utf-16", "utf-32", "ucs-2", "ucs-4", "iso-2022", "hz", "csiso2022",
  ]

  static let labels: [String?] = [
    nil, "", " ", "utf-8", "UTF-8", " utf-8 ", "us-ascii", "iso-8859-1", "windows-1252", "koi8-r",
    "shift_jis",
    "gb2312", "big5", "euc-kr", "iso-2022-jp", "ISO-2022-JP", "utf-7", "UTF-7", "utf7", "unicode-1-1-utf-7",
    "utf-16", "utf-16le", "UTF-16BE", "utf-32", "ucs-2", "ucs-4", "hz-gb-2312", "HZ", "csiso2022jp", "cp1252",
    "u", "i", "h", "c", "x-unknown", "\u{FA}tf-7", "u\u{301}tf-7", "\u{212A}oi8-r", "iso-8859-15",
  ]

  @Test func firstByteRejectionAgreesWithThePrefixList() {
    for label in Self.labels + Self.prefixes.map { $0 + "x" } {
      let lowered = Charset.label(label)
      #expect(
        Charset.encodesTextInASCIIBytes(lowered) == Self.prefixes.contains { lowered.hasPrefix($0) },
        "\(String(describing: label))")
    }
  }

  @Test func stringAgreesWithTheFullConversion() {
    let texts: [[UInt8]] = [
      [], Array("plain ascii".utf8), Array("+AGEAYgBj-".utf8), Array("~{<:Ky2;S{#,NpJ)l6HK!#~}".utf8),
      Array("\u{1B}$B$3$s$K$A$O\u{1B}(B".utf8), [0x00, 0x41, 0x00, 0x42], Array("caf\u{E9}".utf8),
      [0x63, 0xE9],
      [0xFF, 0xFE, 0x41, 0x00], (0..<0x80).map { UInt8($0) },
    ]
    for label in Self.labels {
      for bytes in texts {
        #expect(
          Charset.string(bytes, charset: label)
            == String(decoding: Charset.toUTF8(bytes, charset: label).text.bytes, as: UTF8.self),
          "\(String(describing: label)) \(bytes)")
      }
    }
  }
}
