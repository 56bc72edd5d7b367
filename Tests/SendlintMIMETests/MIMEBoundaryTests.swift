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
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\nSubject: no blank line\n--b \nContent-Type: text/plain\n\nthree\n--b--\n"
    )
    #expect(Self.shape(root) == "1[2,1]")
    #expect(root.children.last?.contentType.value == "text/plain")
  }

  @Test func longerBoundaryInsideAHeaderBlockIsSkipped() {
    // stalwart malformed/007: "--ab" only starts with the outer boundary "a", so in the header
    // block it is skipped (the block goes on to the later Content-Type, which wins); after the
    // blank line "--ab--" is a delimiter of "a" (prefix reading) and opens a second, empty part.
    let root = Self.parse(
      "Content-Type: multipart/mixed; boundary=\"a\"\n\n--a\nContent-Type: multipart/mixed; boundary=\"ab\"\nMIME-Version: 1.0\n--ab\nContent-Type: text/plain\n\n--ab--\n--a--\n"
    )
    #expect(Self.shape(root) == "1[3,0]")
    #expect(root.children.first?.contentType.value == "text/plain")
  }
}
