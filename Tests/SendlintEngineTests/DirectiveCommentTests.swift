import Foundation
import SendlintCore
import SendlintEngine
import Testing

/// Issue 19: `sendlint/html-comment-suppression` reads the comments the HTML tokenizer found in
/// each HTML body (decoded), not a rescan of the raw bytes of every file.
@Suite struct DirectiveCommentTests {
  typealias Project = PolicyAuthoringTests.Project

  static func commentFindings(_ report: LintReport) -> [Finding] {
    report.findings.filter { $0.rule == "sendlint/html-comment-suppression" }
  }

  @Test func aDirectiveCommentInABase64HTMLPartIsSeen() throws {
    let html =
      "<p>Hi</p>\n<!-- sendlint-disable-next-line link/insecure -->\n<a href=\"http://www.contoso.com/a\">A</a>\n"
    let message = """
      From: News <news@contoso.com>\r
      To: a@example.com\r
      Subject: Spring\r
      Date: Mon, 1 Dec 2025 10:00:00 +0000\r
      Message-ID: <1@contoso.com>\r
      MIME-Version: 1.0\r
      Content-Type: text/html; charset=utf-8\r
      Content-Transfer-Encoding: base64\r
      \r
      \(Data(html.utf8).base64EncodedString(options: .lineLength76Characters))\r

      """
    #expect(!message.contains("sendlint-disable"), "the directive is only in the encoded part")
    let project = try Project([".sendlint.yaml": PolicyAuthoringTests.brand, "spring.eml": message])
    let report = project.lint()
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    let found = Self.commentFindings(report)
    #expect(found.count == 1, "\(report.findings.map(\.rule))")
    #expect(found.first?.range?.file.path.hasSuffix("spring.eml") == true)
    // It ships, so it suppresses nothing.
    #expect(report.findings.contains { $0.rule == "link/insecure" })
  }

  @Test func aTextTemplateMentioningTheDirectiveInProseIsNotFlagged() throws {
    let project = try Project([
      ".sendlint.yaml": PolicyAuthoringTests.brand,
      "notes.txt": "Tip: never write <!-- sendlint-disable --> in HTML; it ships to every recipient.\n",
    ])
    let report = project.lint()
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    #expect(Self.commentFindings(report).isEmpty, "\(report.findings.map(\.message))")
  }

  @Test func textThatOnlyLooksLikeACommentInHTMLIsNotFlagged() throws {
    // Inside an attribute value and inside <textarea> (RCDATA), `<!--` opens no comment.
    let project = try Project([
      ".sendlint.yaml": PolicyAuthoringTests.brand,
      "a.html":
        "<p title=\"<!-- sendlint-disable -->\">x</p><textarea><!-- sendlint-disable --></textarea>\n<!-- sendlint-disable -->\n",
    ])
    let found = Self.commentFindings(project.lint())
    #expect(found.map { $0.range?.startPosition.line } == [2])
  }
}
