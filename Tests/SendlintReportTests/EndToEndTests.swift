import Foundation
import SendlintCore
import SendlintEngine
import SendlintReport
import SendlintTestSupport
import Testing

/// The shipped examples, linted as a user would: the 2003 mail in both forms reports its defects
/// at the right places; the fixed notice and the newsletter are clean.
@Suite struct EndToEndTests {
  func lint(_ paths: [String]) -> LintReport {
    Engine().lint(LintRequest(paths: paths, workingDirectory: TestPaths.packageRoot))
  }

  /// Every location reported, an aggregated finding's further locations included.
  func located(_ report: LintReport) -> Set<String> {
    Set(
      report.findings.flatMap { finding -> [String] in
        guard !finding.locations.isEmpty else { return ["\(finding.path):0:0 \(finding.rule)"] }
        return finding.locations.map {
          "\($0.file.path):\($0.startPosition.line):\($0.startPosition.column) \(finding.rule)"
        }
      })
  }

  @Test func ms03026CampaignReportsTheFourCoreDefects() {
    let report = lint(["Examples/ms03-026/campaign.yaml"])
    #expect(report.diagnostics.isEmpty)
    let found = located(report)
    for expected in [
      "Examples/ms03-026/body.html:9:64 link/text-host-mismatch",
      "Examples/ms03-026/body.html:12:84 link/text-host-mismatch",
      "Examples/ms03-026/body.html:13:88 link/text-host-mismatch",
      "Examples/ms03-026/campaign.yaml:12:9 identity/unauthorized-sending-ip",
      "Examples/ms03-026/campaign.yaml:20:39 tracking/pixel",
      "Examples/ms03-026/body.txt:7:58 link/split-url",
      // The rest of the 2003 defects: one redirect for three addresses, the vendor's click
      // tracker, the vendor-run Reply-To, the vendor's HELO name, no signature.
      "Examples/ms03-026/body.html:12:77 link/same-target",
      "Examples/ms03-026/campaign.yaml:19:36 link/redirector",
      "Examples/ms03-026/campaign.yaml:7:11 identity/unowned-reply-to",
      "Examples/ms03-026/campaign.yaml:13:9 identity/missing-rdns",
      "Examples/ms03-026/campaign.yaml:1:1 security/unsigned",
    ] {
      #expect(found.contains(expected), "missing \(expected) in \(found.sorted())")
    }
    #expect(report.exitCode(failOn: .error) == 1)
  }

  @Test func ms03026MessageReportsTheFourCoreDefects() {
    let report = lint(["Examples/ms03-026/ms03-026.eml"])
    let found = located(report)
    for expected in [
      "Examples/ms03-026/ms03-026.eml:1:17 identity/unauthorized-sending-ip",
      "Examples/ms03-026/ms03-026.eml:23:58 link/split-url",
      "Examples/ms03-026/ms03-026.eml:39:8 link/text-host-mismatch",
      "Examples/ms03-026/ms03-026.eml:41:24 link/text-host-mismatch",
      "Examples/ms03-026/ms03-026.eml:43:33 link/text-host-mismatch",
      "Examples/ms03-026/ms03-026.eml:46:13 tracking/pixel",
      "Examples/ms03-026/ms03-026.eml:41:17 link/same-target",
      "Examples/ms03-026/ms03-026.eml:38:29 link/redirector",
      "Examples/ms03-026/ms03-026.eml:4:11 identity/unowned-reply-to",
      "Examples/ms03-026/ms03-026.eml:1:17 identity/missing-rdns",
      "Examples/ms03-026/ms03-026.eml:1:1 security/unsigned",
    ] {
      #expect(found.contains(expected), "missing \(expected) in \(found.sorted())")
    }
    // In a security notice the link and tracking rules are errors (link/same-target stays a warning).
    #expect(
      report.findings.filter {
        ($0.rule.hasPrefix("link/") && $0.rule != "link/same-target") || $0.rule.hasPrefix("tracking/")
      }.allSatisfy { $0.severity == .error })
    #expect(report.findings.first { $0.rule == "link/same-target" }?.severity == .warning)
    #expect(report.exitCode(failOn: .error) == 1)
  }

  @Test func fixedNoticeAndNewsletterAreClean() {
    for path in ["Examples/ms03-026-fixed", "Examples/newsletter"] {
      let report = lint([path])
      #expect(report.findings.isEmpty, "\(path): \(report.findings.map(\.message))")
      #expect(report.diagnostics.isEmpty, "\(path): \(report.diagnostics)")
      #expect(report.draftCount >= 1)
      #expect(report.exitCode(failOn: .info) == 0)
    }
  }

  @Test func templatesOfACampaignAreNotLintedTwice() {
    let report = lint(["Examples"])
    #expect(report.draftCount == 4)
  }

  @Test func jsonOutputHasTheContractFields() throws {
    let report = lint(["Examples/ms03-026"])
    let json = JSONReport(
      findings: report.findings, diagnostics: report.diagnostics, draftCount: report.draftCount,
      toolVersion: "0.1.0"
    ).encoded()
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(object["version"] as? Int == 1)
    #expect((object["tool"] as? [String: Any])?["name"] as? String == "sendlint")
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(!findings.isEmpty)
    for finding in findings {
      for key in ["rule", "severity", "message", "path", "line", "column", "draft", "fingerprint", "help"] {
        #expect(finding[key] != nil, "finding lacks \(key)")
      }
    }
    let summary = try #require(object["summary"] as? [String: Int])
    #expect(summary["drafts"] == 2)
    #expect((summary["errors"] ?? 0) + (summary["warnings"] ?? 0) + (summary["infos"] ?? 0) == findings.count)
    #expect(summary["errors"] == findings.filter { $0["severity"] as? String == "error" }.count)
  }

  @Test func aBrokenPolicyStopsWithExitCode2() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try "rules: { link/nope: error }\n".write(
      to: directory.appendingPathComponent(".sendlint.yaml"), atomically: true, encoding: .utf8)
    try "<a href=\"https://x.example\">x</a>".write(
      to: directory.appendingPathComponent("t.html"), atomically: true, encoding: .utf8)
    let report = Engine().lint(LintRequest(paths: [directory.path], workingDirectory: directory.path))
    #expect(report.diagnostics.map(\.code) == ["policy/unknown-rule"])
    #expect(report.exitCode(failOn: .error) == 2)
  }

  @Test func fingerprintsIgnoreLineMoves() throws {
    let text = "Read http://www.contoso.com/security/ bulletins/ms03-026.asp today.\n"
    var fingerprints: [[String]] = []
    var lines: [Int] = []
    for prefix in ["", "\n\nA new first paragraph.\n"] {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "sendlint-fp-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      try (prefix + text).write(
        to: directory.appendingPathComponent("body.txt"), atomically: true, encoding: .utf8)
      let report = Engine().lint(LintRequest(paths: ["body.txt"], workingDirectory: directory.path))
      let splits = report.findings.filter { $0.rule == "link/split-url" }
      fingerprints.append(splits.map(\.fingerprint))
      lines.append(splits.first?.range?.startPosition.line ?? 0)
    }
    #expect(fingerprints[0].count == 1)
    #expect(lines == [1, 4])
    #expect(fingerprints[0] == fingerprints[1])
  }

  @Test func textFormatShowsTheLineCaretAndHelp() {
    let report = lint(["Examples/ms03-026/body.txt"])
    let text = TextFormatter(color: false).format(
      findings: report.findings, diagnostics: report.diagnostics, draftCount: report.draftCount)
    #expect(
      text.contains(
        "Examples/ms03-026/body.txt:7:58: error: URL \"http://www.microsoft.com/security/\" is broken by a space; the rest of its path \"security_bulletins/ms03-026.asp\" follows it [link/split-url]"
      ))
    #expect(
      text.contains(
        " 7 | 2. Read the article at http://www.microsoft.com/security/ security_bulletins/ms03-026.asp\n   |                                                          ^~~~"
      ))
    #expect(text.contains("  help: remove the break"))
  }
}
