import Foundation
import SendlintCore
import SendlintEngine
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintReport
import SendlintRules
import SendlintTestSupport
import Testing

/// Issue 13, SARIF as GitHub code scanning reads it: one fingerprint per result that survives
/// moved lines, rules ranked as security alerts, a bounded result count with a notification saying
/// what was left out, policy-written help that renders only as the text written, and a log that
/// still validates against the OASIS schema.
@Suite struct SARIFTests {
  // MARK: Helpers

  /// A message whose HTML body carries `links` (each an href) after `blankLines` empty lines.
  static func draft(_ links: [String], blankLines: Int = 0) -> String {
    var text =
      "From: Contoso <news@contoso.com>\nTo: a@example.com\nSubject: Offers\nDate: Mon, 1 Dec 2026 10:00:00 +0000\n"
    text +=
      "Message-ID: <1@contoso.com>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<html><body>\n"
    text += String(repeating: "\n", count: blankLines)
    for href in links { text += "<p><a href=\"\(href)\">Our offers</a></p>\n" }
    return text + "</body></html>\n"
  }

  /// The draft linted as `mail/offers.eml` in a fresh repository (built-in default policy).
  static func sarif(_ text: String, maxResults: Int = SARIFLog.defaultMaxResults) throws -> SARIFLog {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("sarif-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    var request = LintRequest(paths: ["-"], workingDirectory: root.path)
    request.standardInput = StandardInputDraft(bytes: Array(text.utf8), filename: "mail/offers.eml")
    let report = Engine().lint(request)
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    return SARIFLog(
      findings: report.findings, diagnostics: [], rules: report.ruleMetadata, toolVersion: "0",
      workingDirectory: root.path, maxResults: maxResults)
  }

  /// The `link/insecure` results of a log: (start line, fingerprint), in order.
  static func insecure(_ log: SARIFLog) -> [(line: Int, fingerprint: String)] {
    log.runs[0].results.filter { $0.ruleId == "link/insecure" }.map {
      (
        $0.locations[0].physicalLocation.region?.startLine ?? 0,
        $0.partialFingerprints[SARIFLog.fingerprintKey] ?? ""
      )
    }
  }

  static let file = SourceFile(
    path: "campaigns/body.html", text: String(repeating: "<a href=\"http://x.example/\">x</a>\n", count: 4))

  /// A finding in `file` at byte `start`, with its evidence and draft.
  static func finding(
    _ severity: Severity = .warning, at start: Int = 0, rule: String = "link/insecure",
    evidence: String = "http://x.example/", draft: String = "campaigns/body.html"
  ) -> Finding {
    Finding(
      rule: rule, severity: severity, message: "link \"\(evidence)\" uses plain http", help: "use https",
      range: SourceRange(file: file, start: start, end: start + 5), draftPath: draft, evidence: evidence)
  }

  // MARK: 1. Fingerprints

  @Test func identicalFindingsInOneFileGetDistinctFingerprintsThatSurviveLineShifts() throws {
    // Four insecure links to four URLs: four alerts with four fingerprints.
    let links = (1...4).map { "http://www.contoso.com/offers/\($0)" }
    let original = Self.insecure(try Self.sarif(Self.draft(links)))
    #expect(original.count == 4)
    #expect(Set(original.map(\.fingerprint)).count == 4, "four insecure links must be four alerts, not one")
    #expect(original.allSatisfy { $0.fingerprint.count == 32 })

    // Three blank lines above the links move every result down three lines and no fingerprint.
    let shifted = Self.insecure(try Self.sarif(Self.draft(links, blankLines: 3)))
    #expect(shifted.map(\.line) == original.map { $0.line + 3 })
    #expect(shifted.map(\.fingerprint) == original.map(\.fingerprint))

    // Editing one URL changes its fingerprint alone.
    var edited = links
    edited[1] = "http://www.contoso.com/sale"
    let middleEdited = Self.insecure(try Self.sarif(Self.draft(edited)))
    #expect(Set(original.map(\.fingerprint)).subtracting(middleEdited.map(\.fingerprint)).count == 1)
    #expect(Set(middleEdited.map(\.fingerprint)).subtracting(original.map(\.fingerprint)).count == 1)

    // Four links to one URL are one aggregated finding (the engine's): one alert with an
    // occurrence count and the other places as related locations, stable across the shift.
    let same = Array(repeating: "http://www.contoso.com/offers", count: 4)
    let log = try Self.sarif(Self.draft(same))
    let results = log.runs[0].results.filter { $0.ruleId == "link/insecure" }
    #expect(results.count == 1)
    #expect(results.first?.occurrenceCount == 4)
    #expect(results.first?.relatedLocations?.count == 3)
    #expect(
      Self.insecure(try Self.sarif(Self.draft(same, blankLines: 3))).map(\.fingerprint)
        == Self.insecure(log).map(\.fingerprint))

    // Findings that share a finding fingerprint without being aggregated (a rule wording one
    // evidence twice) still get distinct, order-based result fingerprints.
    let twins = (0..<4).map { Self.finding(at: $0 * 35) }
    #expect(Set(twins.map(\.fingerprint)).count == 1)
    let twinLog = SARIFLog(
      findings: twins, diagnostics: [], rules: RuleRegistry.allMetadata, toolVersion: "0",
      workingDirectory: nil)
    #expect(
      Set(twinLog.runs[0].results.compactMap { $0.partialFingerprints[SARIFLog.fingerprintKey] }).count == 4)
  }

  @Test func fingerprintsFollowDocumentOrderAndTellCampaignsApart() {
    let findings = [Self.finding(at: 0), Self.finding(at: 35), Self.finding(at: 70)]
    let forward = OccurrenceFingerprints.of(findings)
    #expect(Set(forward).count == 3)
    // Occurrences are numbered by place in the file, not by report order.
    #expect(OccurrenceFingerprints.of(findings.reversed()) == forward.reversed())
    // One template linted within two campaigns: the same place, two results, two fingerprints.
    let twoCampaigns = OccurrenceFingerprints.of([
      Self.finding(at: 0, draft: "campaigns/a/campaign.yaml"),
      Self.finding(at: 0, draft: "campaigns/b/campaign.yaml"),
    ])
    #expect(twoCampaigns[0] != twoCampaigns[1])
    #expect(
      OccurrenceFingerprints.of([
        Self.finding(at: 0, draft: "campaigns/b/campaign.yaml"),
        Self.finding(at: 0, draft: "campaigns/a/campaign.yaml"),
      ]) == twoCampaigns.reversed(),
      "a campaign's result keeps its fingerprint whatever order the campaigns are linted in")
    #expect(!twoCampaigns.contains(forward[0]))
    // Another rule or evidence at the same place is its own base, numbered from its own first.
    let mixed = OccurrenceFingerprints.of([
      Self.finding(at: 0), Self.finding(at: 0, rule: "link/off-brand-host"),
      Self.finding(at: 35, evidence: "http://y.example/"),
    ])
    #expect(mixed[0] == forward[0])
    #expect(Set(mixed).count == 3)
  }

  // MARK: 2. Rule properties

  static func descriptor(_ id: String, in log: SARIFLog) throws -> SARIFLog.ReportingDescriptor {
    try #require(log.runs[0].tool.driver.rules.first { $0.id == id }, "no descriptor for \(id)")
  }

  @Test func everyBuiltinRuleHasAClassAndASecuritySeverityOnGitHubsScale() throws {
    for rule in RuleRegistry.allMetadata {
      #expect(SARIFRuleClass.of(rule) != nil, "\(rule.id): its group has no class in SARIFRuleClass.groups")
    }
    let log = SARIFLog(
      findings: [], diagnostics: [], rules: RuleRegistry.allMetadata, toolVersion: "0", workingDirectory: nil)
    for descriptor in log.runs[0].tool.driver.rules {
      let score = try #require(
        Double(descriptor.properties.securitySeverity), "\(descriptor.id): security-severity is not a number")
      #expect((0.1...10).contains(score), "\(descriptor.id): \(score)")
      #expect(
        Set(descriptor.properties.tags).count == descriptor.properties.tags.count,
        "\(descriptor.id): SARIF tags must be unique")
      #expect(["error", "warning", "recommendation"].contains(descriptor.properties.problemSeverity))
    }
  }

  @Test func deceptionIdentityAndSecurityRulesAreHighSecurityAlertsAndHygieneIsLow() throws {
    let log = SARIFLog(
      findings: [], diagnostics: [], rules: RuleRegistry.allMetadata, toolVersion: "0", workingDirectory: nil)
    // (id, security-severity, whether tagged security, class tag, problem.severity)
    let expected: [(String, String, Bool, String, String)] = [
      ("link/text-host-mismatch", "8.5", true, "deception", "error"),
      ("link/same-target", "6.5", true, "deception", "warning"),
      ("identity/unowned-from-domain", "8.0", true, "identity", "error"),
      // Off by default, an error in security notices: ranked as the error it is where it runs.
      ("security/unsigned", "8.0", true, "security-notice", "error"),
      ("attachment/dangerous-type", "8.0", true, "malware", "error"),
      ("link/insecure", "4.0", true, "link-risk", "warning"),
      // On everywhere: ranked by its default (info), not by its security-notice error.
      ("tracking/pixel", "2.0", true, "privacy", "recommendation"),
      ("link/split-url", "3.0", false, "hygiene", "error"),
      ("message/invalid-headers", "3.0", false, "hygiene", "error"),
      ("bulk/missing-list-unsubscribe", "3.0", false, "hygiene", "error"),
    ]
    for (id, score, security, tag, problem) in expected {
      let descriptor = try Self.descriptor(id, in: log)
      let rule = try #require(RuleRegistry.metadata(for: id))
      #expect(descriptor.properties.securitySeverity == score, "\(id)")
      #expect(descriptor.properties.tags.contains("security") == security, "\(id)")
      #expect(descriptor.properties.tags.contains(tag), "\(id): \(descriptor.properties.tags)")
      #expect(descriptor.properties.problemSeverity == problem, "\(id)")
      #expect(
        Array(descriptor.properties.tags.prefix(rule.tags.count)) == rule.tags,
        "\(id): the rule's own tags come first")
    }
    let json = log.encoded()
    #expect(json.contains("\"security-severity\" : \"8.5\""))
    #expect(json.contains("\"problem.severity\" : \"recommendation\""))
  }

  static let customPolicy = """
    version: 1
    custom_rules:
      contoso/no-gift-cards:
        kind: pattern
        in: [subject]
        pattern: "(?i)gift card"
        description: "Click [here](https://evil.example/x) <img src=x onerror=alert(1)> **now** & `code` ![i](https://t.example/p.gif) \\u001B[31m"
        rationale: "# Owned\\n---\\n- item\\n1. one\\n<script>alert(1)</script>\\nwww.evil.example \\u001B[2J"
        help_uri: https://wiki.contoso.example/mail/gift-cards
        tags: [fraud, security, fraud]
      contoso/plain:
        kind: pattern
        in: [subject]
        pattern: "x"
    """

  @Test func policyRulesTaggedSecurityAreSecurityAlertsAndOthersAreNot() throws {
    let resolved = try policy(Self.customPolicy)
    let log = SARIFLog(
      findings: [], diagnostics: [], rules: resolved.allRuleMetadata, toolVersion: "0", workingDirectory: nil)
    let tagged = try Self.descriptor("contoso/no-gift-cards", in: log)
    #expect(tagged.properties.tags == ["custom", "fraud", "security"])
    #expect(tagged.properties.securitySeverity == "4.0")
    let plain = try Self.descriptor("contoso/plain", in: log)
    #expect(plain.properties.tags == ["custom"])
    #expect(plain.properties.securitySeverity == "2.0")
  }

  // MARK: Policy-written help

  /// `markdown` with every backslash-escaped pair removed: what renders as markup.
  static func unescaped(_ markdown: String) -> String {
    var output = ""
    var escaping = false
    for scalar in markdown.unicodeScalars {
      if escaping {
        escaping = false
      } else if scalar == "\\" {
        escaping = true
      } else {
        output.unicodeScalars.append(scalar)
      }
    }
    return output
  }

  @Test func policyRuleHelpIsEscapedMarkdownAndBuiltinHelpIsUnchanged() throws {
    let resolved = try policy(Self.customPolicy)
    let log = SARIFLog(
      findings: [], diagnostics: [], rules: resolved.allRuleMetadata, toolVersion: "0", workingDirectory: nil)
    let custom = try Self.descriptor("contoso/no-gift-cards", in: log)
    let markdown = try #require(custom.help.markdown)
    // The values are shown, escaped, not dropped.
    #expect(
      markdown.contains(
        #"Click \[here\]\(https\:\/\/evil\.example\/x\) \<img src\=x onerror\=alert\(1\)\> \*\*now\*\* \& \`code\`"#
      ))
    #expect(markdown.contains(#"\<script\>alert\(1\)\<\/script\>"#))
    #expect(markdown.contains(#"\\u\{1B\}\[2J"#), "controls are shown as \\u{…}")
    // Nothing the policy wrote is markup: no link, image, HTML, entity or code once escapes are removed.
    let bare = Self.unescaped(markdown)
    for special in ["<", ">", "[", "]", "(", ")", "!", "&", "`", "\u{1B}"] {
      #expect(!bare.contains(special), "unescaped \(special.escapedForDisplay) in a policy rule's help")
    }
    // Its lines start no heading, rule, list or numbered item; only sendlint's headings do.
    let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("#") }
    #expect(
      headings == [#"# contoso\/no\-gift\-cards"#, "## Why is this bad?", "## Example", "## References"])
    #expect(markdown.contains("\n\\# Owned\n\\-\\-\\-\n\\- item\n1\\. one\n"))
    // Text fields show controls as \u{…} too.
    for text in [custom.help.text, custom.shortDescription.text, custom.fullDescription.text] {
      #expect(!text.contains("\u{1B}") && text.contains("\\u{1B}[31m"), "\(text.escapedForDisplay)")
    }
    #expect(
      custom.helpUri == "https://wiki.contoso.example/mail/gift-cards",
      "a policy rule links its own help_uri, not a sendlint page")
    #expect(try Self.descriptor("contoso/plain", in: log).helpUri == nil)
    // Built-in rules keep their own documentation, Markdown and all.
    let builtin = try Self.descriptor("link/insecure", in: log)
    #expect(builtin.help.markdown == RuleRegistry.metadata(for: "link/insecure")?.markdown)
    #expect(builtin.helpUri == SARIFLog.documentationBase + "link/insecure.md")
  }

  // MARK: 3. The result cap

  @Test func capKeepsErrorsFirstInReportOrderAndSaysWhatWasLeftOut() throws {
    let severities: [Severity] = [.warning, .error, .info, .warning, .error, .warning, .warning, .warning]
    let findings = severities.enumerated().map {
      Self.finding($1, at: $0 * 35 % 140, evidence: "http://x\($0).example/")
    }
    let full = SARIFLog(
      findings: findings, diagnostics: [], rules: RuleRegistry.allMetadata, toolVersion: "0",
      workingDirectory: nil)
    #expect(full.runs[0].results.count == 8)
    #expect(full.runs[0].invocations[0].toolExecutionNotifications == nil)
    #expect(!full.encoded().contains("toolExecutionNotifications"))

    let capped = SARIFLog(
      findings: findings, diagnostics: [], rules: RuleRegistry.allMetadata, toolVersion: "0",
      workingDirectory: nil, maxResults: 3)
    let run = capped.runs[0]
    // Both errors and the first warning, in report order.
    #expect(run.results.map(\.level) == ["warning", "error", "error"])
    #expect(run.results.map(\.message.text) == [0, 1, 4].map { full.runs[0].results[$0].message.text })
    // A result's fingerprint does not depend on the cap.
    #expect(
      run.results.map { $0.partialFingerprints }
        == [0, 1, 4].map { full.runs[0].results[$0].partialFingerprints })
    let invocation = run.invocations[0]
    #expect(invocation.executionSuccessful, "leaving results out is not a failed run")
    let notification = try #require(invocation.toolExecutionNotifications?.first)
    #expect(invocation.toolExecutionNotifications?.count == 1)
    #expect(notification.descriptor.id == SARIFLog.cappedNotificationID)
    #expect(notification.level == "warning")
    #expect(
      notification.message.text.hasPrefix(
        "5 of 8 results were left out of this SARIF log (4 warnings, 1 note): it carries at most 3, errors first"
      ))
    #expect(notification.message.text.contains("`sendlint lint --format json`"))
    #expect(notification.message.text.contains("`--max-results 8`"))
  }

  @Test func defaultCapIsWhatGitHubShows() throws {
    let file = SourceFile(path: "big.html", text: String(repeating: "x", count: 6000))
    let findings = (0..<5_001).map {
      Finding(
        rule: "link/insecure", severity: $0 == 5_000 ? .error : .warning, message: "m", help: nil,
        range: SourceRange(file: file, start: $0, end: $0 + 1), draftPath: "big.html", evidence: "e")
    }
    let log = SARIFLog(
      findings: findings, diagnostics: [], rules: RuleRegistry.allMetadata, toolVersion: "0",
      workingDirectory: nil)
    #expect(log.runs[0].results.count == 5_000)
    #expect(log.runs[0].results.last?.level == "error", "the error at the end is kept; a warning goes")
    #expect(
      Set(log.runs[0].results.compactMap { $0.partialFingerprints[SARIFLog.fingerprintKey] }).count == 5_000)
    let text = try #require(log.runs[0].invocations[0].toolExecutionNotifications?.first?.message.text)
    #expect(
      text.hasPrefix("1 of 5001 results were left out of this SARIF log (1 warning): it carries at most 5000")
    )
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, ".build/debug/sendlint is not built"))
  func maxResultsCapsTheCLIsSARIFAndRejectsZero() throws {
    let root = try SendlintCLI.repository([
      "mail/offers.eml": Self.draft((1...4).map { "http://www.contoso.com/offers/\($0)" })
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let full = try SendlintCLI.sendlint(["lint", "mail", "--format", "sarif"], in: root)
    let all = try #require(try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [String: Any])
    let allResults = try #require(((all["runs"] as? [[String: Any]])?.first?["results"]) as? [Any])
    #expect(allResults.count >= 4)
    let capped = try SendlintCLI.sendlint(
      ["lint", "mail", "--format", "sarif", "--max-results", "2"], in: root)
    #expect(capped.status == full.status, "the cap changes the log, never the verdict")
    let log = try #require(try JSONSerialization.jsonObject(with: Data(capped.stdout.utf8)) as? [String: Any])
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    #expect((run["results"] as? [Any])?.count == 2)
    let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
    let notification = try #require((invocation["toolExecutionNotifications"] as? [[String: Any]])?.first)
    let text = try #require((notification["message"] as? [String: Any])?["text"] as? String)
    #expect(text.hasPrefix("\(allResults.count - 2) of \(allResults.count) results were left out"))
    let zero = try SendlintCLI.sendlint(
      ["lint", "mail", "--format", "sarif", "--max-results", "0"], in: root)
    #expect(zero.status == 2)
    #expect(zero.stderr.contains("--max-results 0 must be at least 1"))
  }

  // MARK: 4. Schema

  /// Python with `jsonschema`, which the schema's SOURCE.txt names as its validator.
  static let pythonHasJSONSchema: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import jsonschema"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
  }()

  @Test(
    .enabled(
      if: TestPaths.sharedHas("conformance/sarif/sarif-2.1.0.json"), "../shared/conformance/sarif is absent"),
    .enabled(if: pythonHasJSONSchema, "python3 with jsonschema is not installed"))
  func cappedAndPolicyRuleLogsValidateAgainstTheOASISSchema() throws {
    let resolved = try policy(Self.customPolicy)
    let findings =
      (0..<6).map { Self.finding($0 == 3 ? .error : .warning, at: $0 * 35 % 140) }
      + [
        Finding(
          rule: "contoso/no-gift-cards", severity: .warning, message: "gift card", help: nil, range: nil,
          draftPath: "mail/x.eml", evidence: "x")
      ]
    let diagnostic = Diagnostic(
      code: "policy/unknown-rule", message: "unknown rule", path: ".sendlint.yaml",
      position: SourcePosition(line: 1, column: 1))
    let logs = [
      "capped": SARIFLog(
        findings: findings, diagnostics: [], rules: resolved.allRuleMetadata, toolVersion: "0",
        workingDirectory: "/w", maxResults: 2),
      "capped-with-diagnostics": SARIFLog(
        findings: findings, diagnostics: [diagnostic], rules: resolved.allRuleMetadata, toolVersion: "0",
        workingDirectory: nil, maxResults: 1),
      "linted": try Self.sarif(Self.draft((1...4).map { "http://www.contoso.com/\($0)" }), maxResults: 2),
    ]
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sarif-schema-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    for (name, log) in logs {
      #expect(
        log.runs[0].invocations[0].toolExecutionNotifications != nil, "\(name) must exercise the capped case")
      try log.encoded().write(
        to: directory.appendingPathComponent(name + ".sarif"), atomically: true, encoding: .utf8)
    }
    let script = """
      import glob, json, sys
      from jsonschema import Draft4Validator
      validator = Draft4Validator(json.load(open(sys.argv[1])))
      bad = 0
      for path in sorted(glob.glob(sys.argv[2] + "/*.sarif")):
          for error in validator.iter_errors(json.load(open(path))):
              bad += 1
              print(path, "/".join(map(str, error.path)), error.message)
      sys.exit(1 if bad else 0)
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", "-c", script, TestPaths.shared! + "/conformance/sarif/sarif-2.1.0.json", directory.path,
    ]  // enabled only when shared exists
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "SARIF schema errors:\n\(text)")
  }
}
