import SendlintCore
import SendlintMIME
import Testing

/// Broken boundaries as mail arrives with them, independent of `../shared`: each case is the shape
/// of a message in mime4j's or stalwart's suite, written out here so `swift test` alone checks it.
@Suite struct MIMEBoundaryTests {
  static func parse(_ text: String) -> MIMEEntity {
    MIMEMessage.parse(SourceFile(path: "test.eml", bytes: Array(text.utf8))).root
  }

  static func shape(_ entity: MIMEEntity) -> String {
    entity.isMultipart
      ? "\(entity.headers.count)[\(entity.children.map(shape).joined(separator: ","))]"
      : "\(entity.headers.count)"
  }

  @Test func doubledDelimiterOpensAnEmptyPart() {
    let root = Self.parse(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\nContent-Type: text/html\n\n<p>two</p>\n--b--\n")
    #expect(Self.shape(root) == "1[0,1]")
    #expect(root.children.last?.contentType.value == "text/html")
  }

  @Test func headerBlockCutByTheNextDelimiterEndsThere() {
    let root = Self.parse(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\nSubject: no blank line\n--b \nContent-Type: text/plain\n\nthree\n--b--\n")
    #expect(Self.shape(root) == "1[2,1]")
    #expect(root.children.last?.contentType.value == "text/plain")
  }

  @Test func longerBoundaryInsideAHeaderBlockIsSkipped() {
    // stalwart malformed/007: "--ab" only starts with the outer boundary "a", so in the header
    // block it is skipped (the block goes on to the later Content-Type, which wins); after the
    // blank line "--ab--" is a delimiter of "a" (prefix reading) and opens a second, empty part.
    let root = Self.parse(
      "Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: multipart/mixed; boundary=\"ab\"\nMIME-Version: 1.0\n--ab\nContent-Type: text/plain\n\n--ab--\n--a--\n")
    #expect(Self.shape(root) == "1[3,0]")
    #expect(root.children.first?.contentType.value == "text/plain")
  }
}

/// Undeclared 8-bit text is read as Windows-1252, as mail clients show it.
@Suite struct CharsetReadingTests {
  @Test func undeclaredEightBitIsWindows1252() {
    // é (Latin-1 range, 2 UTF-8 bytes), € and – (0x80–0x9F table, 3 bytes), ÿ (0xFF).
    let raw: [UInt8] = Array("caf".utf8) + [0xE9, 0x20, 0x80, 0x20, 0x96, 0x20, 0xFF]
    let converted = Charset.toUTF8(raw, charset: nil)
    #expect(converted.text.string == "café € – ÿ")
    #expect(converted.lossy)
    // Offsets map back: "€" starts at decoded byte 6 and came from raw byte 5.
    #expect(converted.text.sourceOffset(for: 6).offset == 5)
    #expect(converted.text.sourceOffset(for: 10).offset == 7)
  }

  @Test func latin1LabelMeansWindows1252() {
    #expect(Charset.toUTF8([0x93, 0x68, 0x69, 0x94], charset: "ISO-8859-1").text.string == "\u{201C}hi\u{201D}")
  }
}

@Suite struct ByteSearchTests {
  @Test func firstByteRange() {
    let bytes = Array("a<!-<!--x-->-->".utf8)
    #expect(bytes.firstByteRange(of: Array("<!--".utf8)) == 4..<8)
    #expect(bytes[9...].firstByteRange(of: Array("-->".utf8)) == 9..<12)
    #expect(bytes.firstByteRange(of: Array("<![".utf8)) == nil)
    #expect(bytes.firstByteRange(of: Array("-->".utf8)) == 9..<12)
    #expect(bytes[13...].firstByteRange(of: Array("-->".utf8)) == nil)
    #expect(Array("ab".utf8).firstByteRange(of: Array("abc".utf8)) == nil)
    #expect(Array("abc".utf8).firstByteRange(of: Array("abc".utf8)) == 0..<3)
    #expect([UInt8]().firstByteRange(of: Array("a".utf8)) == nil)
  }

  @Test func trimmingASCIIWhitespace() {
    #expect(" \t\u{0C}a b\r\n".trimmingASCIIWhitespace() == "a b")
    #expect("\r\n\r\n".trimmingASCIIWhitespace() == "")
    #expect("\u{00A0}x\u{00A0}".trimmingASCIIWhitespace() == "\u{00A0}x\u{00A0}")
    #expect(Array(" x".utf8).map(\.isASCIIWhitespace) == [true, false])
  }
}
