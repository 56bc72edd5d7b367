import Foundation
import SendlintCore
import SendlintReport
import SendlintRules
import Testing

@testable import SendlintEngine

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Issue 11, output injection: draft content (Subject, link text, hrefs, attachment and file names)
/// must reach no output with a raw control, bidi control or newline, so no terminal and no Actions
/// runner acts on it; and output for many findings on one long line must stay linear.
@Suite struct HostileOutputTests {
  static let hostile =
    "pwned\n::error file=x::pwned\r\n::add-mask::secret\u{1B}]0;title\u{07}\u{1B}[2J✓ no problems\u{9B}31m\u{202E}txt.exe\u{2028}\u{FFFE}\u{FFFF}"

  /// Every format of one report, by name.
  static func outputs(_ report: LintReport) -> [String: String] {
    [
      "text": TextFormatter(color: false).format(
        findings: report.findings, diagnostics: report.diagnostics, draftCount: report.draftCount),
      "json": JSONReport(
        findings: report.findings, diagnostics: report.diagnostics, draftCount: report.draftCount,
        toolVersion: "0"
      ).encoded(),
      "sarif": SARIFLog(
        findings: report.findings, diagnostics: report.diagnostics, rules: report.ruleMetadata,
        toolVersion: "0", workingDirectory: "/w"
      ).encoded(),
      "github": GitHubFormatter.format(findings: report.findings, diagnostics: report.diagnostics),
      "junit": JUnitFormatter.format(
        findings: report.findings, diagnostics: report.diagnostics,
        drafts: report.drafts.map { JUnitFormatter.Draft(path: $0.path, rules: $0.rules) }
          + Set(report.findings.map(\.draftPath)).sorted().map { JUnitFormatter.Draft(path: $0, rules: []) }),
      "summary": GitHubFormatter.summary(
        findings: report.findings, diagnostics: report.diagnostics, draftCount: report.draftCount),
    ]
  }

  /// What no output may contain, whatever the draft says.
  static func expectSafe(_ name: String, _ output: String) {
    let allowedControls: Set<Unicode.Scalar> = ["\n", " "]
    for scalar in output.unicodeScalars
    where DisplayEscaping.needsEscaping(scalar) && !allowedControls.contains(scalar) {
      Issue.record("\(name) output carries U+\(String(scalar.value, radix: 16, uppercase: true))")
    }
    for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
      // The runner trims leading whitespace before looking for "::".
      let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
      if trimmed.hasPrefix("::") {
        let ownCommand =
          name == "github"
          && ["::error file=", "::warning file=", "::notice file="].contains { trimmed.hasPrefix($0) }
        #expect(ownCommand, "\(name) has a line that the Actions runner would execute: \(line)")
      }
    }
    // Quoted mid-line, `::add-mask::` is inert text; at the start of a line (after the runner's
    // trim) it would hide log text, and the check above already rejects any such line.
    // The text formatter puts exactly one line break (LF) between the parts it lays out itself.
    #expect(!output.contains("\r"))
  }

  static func expectJUnitParses(_ xml: String) {
    let parser = XMLParser(data: Data(xml.utf8))
    #expect(parser.parse(), "JUnit output must be well-formed XML: \(String(describing: parser.parserError))")
  }

  /// The summary's own Markdown uses none of `<`, `[`, `]`, `!`; once every backslash-escaped pair
  /// (which renders as the character alone) is removed, none may remain: no HTML, link or image.
  static func expectSummaryInert(_ markdown: String, quoting value: String? = nil) {
    var unescaped = ""
    var escaping = false
    for scalar in markdown.unicodeScalars {
      if escaping {
        escaping = false
      } else if scalar == "\\" {
        escaping = true
      } else {
        unescaped.unicodeScalars.append(scalar)
      }
    }
    if let value {
      #expect(markdown.contains(value), "the hostile values must reach the summary to be checked")
    }
    for special in ["<", "[", "]", "!", "&"] {
      #expect(!unescaped.contains(special), "unescaped \(special) in the summary")
    }
  }

  @Test func findingsBuiltFromHostileValuesAreSafeInEveryFormat() {
    let file = SourceFile(
      path: "dir\n::error file=y::x/\u{1B}[31mbody`|.html",
      text: "<p>\u{1B}[2J<a href=\"x\">\(Self.hostile)</a>\t<b>\u{202E}</b></p>\n")
    let message =
      "link text shows ![x](https://evil.example/p.gif) <img src=https://evil.example/p.gif> \(Self.hostile)"
    let findings = [
      Finding(
        rule: "custom/\u{1B}rule", severity: .error, message: message, help: "help \(Self.hostile)",
        range: SourceRange(file: file, start: 13, end: 40), draftPath: file.path, evidence: "e"),
      Finding(
        rule: "link/obfuscated", severity: .warning, message: Self.hostile, help: nil,
        range: nil, draftPath: "x\n::warning::y.eml", evidence: "f"),
    ]
    let diagnostic = Diagnostic(
      code: "policy/unknown-key", message: "unknown key \"\(Self.hostile)\"", help: Self.hostile,
      path: "p\n::error::.yaml", position: SourcePosition(line: 1, column: 3),
      sourceLine: "a\u{1B}[2J: \(Self.hostile)")
    var report = LintReport()
    report.findings = findings
    report.diagnostics = [diagnostic]
    report.draftCount = 1
    for (name, output) in Self.outputs(report) { Self.expectSafe(name, output) }
    Self.expectJUnitParses(Self.outputs(report)["junit"]!)  // every format is in the table
    // every format is in the table
    Self.expectSummaryInert(Self.outputs(report)["summary"]!, quoting: "img src")
    // The values are shown, escaped, not dropped.
    #expect(Self.outputs(report)["text"]!.contains("\\u{1B}]0;title\\u{07}"))  // every format is in the table
    #expect(Self.outputs(report)["json"]!.contains("\\\\u{202E}txt.exe"))  // every format is in the table
  }

  @Test func excerptCaretStaysUnderItsCharacterAfterEscaping() {
    let file = SourceFile(path: "a.html", text: "\u{1B}[2J\u{202E}<a href=\"x\">y</a>\n")
    // The finding points at "<a": after ESC, "[2J" and U+202E, i.e. column 6.
    let finding = Finding(
      rule: "r/x", severity: .error, message: "m", help: nil,
      range: SourceRange(file: file, start: 7, end: 9), draftPath: "a.html", evidence: "e")
    let lines = TextFormatter(color: false).formatFinding(finding).split(separator: "\n").map(String.init)
    #expect(lines[0] == "a.html:1:6: error: m [r/x]")
    #expect(lines[1] == " 1 | \\u{1B}[2J\\u{202E}<a href=\"x\">y</a>")
    let caret = try? #require(lines[2].firstIndex(of: "^"))
    let under = lines[1].index(
      lines[1].startIndex, offsetBy: lines[2].distance(from: lines[2].startIndex, to: caret!))
    #expect(lines[1][under...].hasPrefix("<a"))
    #expect(lines[2].hasSuffix("^~"))
  }

  /// An .eml whose Subject (RFC 2047), link text, href and attachment name (RFC 2231) carry
  /// newlines, ESC sequences and workflow commands, linted end to end.
  @Test func hostileDraftLintedEndToEndIsSafeInEveryFormat() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let subject = Data("Re: \(Self.hostile)".utf8).base64EncodedString()
    let eml = """
      From: Contoso <news@contoso.com>\r
      To: a@example.com\r
      Subject: =?UTF-8?B?\(subject)?=\r
      Date: Mon, 1 Jan 2024 00:00:00 +0000\r
      Message-ID: <1@contoso.com>\r
      MIME-Version: 1.0\r
      Content-Type: multipart/mixed; boundary="b"\r
      \r
      --b\r
      Content-Type: text/html; charset=utf-8\r
      \r
      <a href="http://evil.example/&#x1b;[2J%0A::error::x">www.contoso.com&#10;::add-mask::x&#x1b;]0;t&#7;</a>\r
      <a href="http://198.51.100.7/">https://www.contoso.com/&#x202e;</a>\r
      --b\r
      Content-Type: application/octet-stream\r
      Content-Disposition: attachment; filename*=UTF-8''invoice%0A::error%20file=x::pwned%1B[2J.pdf.exe\r
      Content-Transfer-Encoding: base64\r
      \r
      TVqQAA==\r
      --b--\r

      """
    try Data(eml.utf8).write(to: directory.appendingPathComponent("hostile.eml"))
    let report = Engine().lint(LintRequest(paths: ["hostile.eml"], workingDirectory: directory.path))
    #expect(
      report.findings.count >= 3,
      "the hostile draft must produce findings to check: \(report.findings.map(\.rule))")
    for (name, output) in Self.outputs(report) { Self.expectSafe(name, output) }
    Self.expectJUnitParses(Self.outputs(report)["junit"]!)  // every format is in the table
    Self.expectSummaryInert(Self.outputs(report)["summary"]!)  // every format is in the table
  }

  /// Single-line HTML with 4,000 links: each finding's text and JSON output is bounded by a constant,
  /// where the old text format reprinted the whole 150 KB line under every finding.
  @Test func manyFindingsOnOneLongLineGiveLinearOutput() throws {
    let count = 4_000
    var html = "<html><body>"
    var starts: [Int] = []
    for index in 0..<count {
      starts.append(html.utf8.count)
      html += "<a href=\"https://evil\(index).example/p\">www.contoso.com</a> "
    }
    html += "</body></html>\n"
    let file = SourceFile(path: "one-line.html", text: html)
    let findings = (0..<count).map { index -> Finding in
      let start = starts[index]
      return Finding(
        rule: "link/text-host-mismatch", severity: .error,
        message: "link text shows www.contoso.com but the link goes to evil\(index).example",
        help: "point the link at www.contoso.com",
        range: SourceRange(file: file, start: start, end: start + 60),
        draftPath: file.path, evidence: "\(index)")
    }
    let text = TextFormatter(color: false).format(findings: findings, diagnostics: [], draftCount: 1)
    let json = JSONReport(findings: findings, diagnostics: [], draftCount: 1, toolVersion: "0").encoded()
    #expect(html.utf8.count > 150_000)
    #expect(text.utf8.count < count * 1_000, "text output: \(text.utf8.count) bytes for \(count) findings")
    #expect(json.utf8.count < count * 1_000, "JSON output: \(json.utf8.count) bytes for \(count) findings")
    // Columns are still exact at the far end of the line.
    let last = try #require(findings.last?.range)
    let prefix = html.utf8.prefix(last.start)
    #expect(last.startPosition.column == String(decoding: prefix, as: UTF8.self).unicodeScalars.count + 1)
    // The excerpt is windowed: cut on both sides, the caret under the finding's start.
    let middle = TextFormatter(color: false).formatFinding(findings[count / 2]).split(separator: "\n").map(
      String.init)
    #expect(middle[1].hasSuffix("…") && middle[1].contains("| …"))
    #expect(middle[1].unicodeScalars.count < TextFormatter.excerptMaxColumns + 20)
    let caretColumn = middle[2].unicodeScalars.firstIndex(of: "^").map {
      middle[2].unicodeScalars.distance(from: middle[2].unicodeScalars.startIndex, to: $0)
    }
    let shown = Array(middle[1].unicodeScalars)
    let caret = try #require(caretColumn)
    #expect(
      String(String.UnicodeScalarView(shown[caret...])).hasPrefix(
        "<a href=\"https://evil\(count / 2).example/"))
  }
}
