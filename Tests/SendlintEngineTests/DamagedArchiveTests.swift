import SendlintCore
import Testing

/// A damaged archive is `input/unparseable` about that attachment: the help says what to do about
/// the archive, not how to write a message, and the attachment's name is shown escaped. The shape is
/// rspamd's `mixed-html-zip.eml`: a ZIP's base64 sent without its Content-Transfer-Encoding field,
/// so the attachment's bytes are the base64 text itself, which is no ZIP at all.
@Suite struct DamagedArchiveTests {
  static func message(filename: String) -> [UInt8] {
    Array(
      (HostileMIMETests.headers
        + "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nSee the attachment.\n"
        + "--b\nContent-Type: application/zip; name=\"\(filename)\"\n\n"
        + "UEsDBBQAAAAIAGRlZmF1bHQAAAAAAAAAAAAAAAALABAAZHVtbXkudHh0\n--b--\n").utf8)
  }

  @Test func anUnreadableZIPSaysToAttachTheWholeArchive() throws {
    let findings = try HostileMIMETests.lint(Self.message(filename: "letter.zip"))
    let damaged = try #require(findings.first { $0.rule == "input/unparseable" })
    #expect(damaged.message.hasPrefix("archive \"letter.zip\" cannot be read fully: "))
    #expect(damaged.help?.hasPrefix("attach the complete archive") == true)
  }

  @Test func theArchiveNameIsEscaped() throws {
    let findings = try HostileMIMETests.lint(Self.message(filename: "a\u{202E}piz.exe"))
    let damaged = try #require(findings.first { $0.rule == "input/unparseable" })
    #expect(damaged.message.hasPrefix("archive \"a\\u{202E}piz.exe\" cannot be read fully: "))
  }
}
