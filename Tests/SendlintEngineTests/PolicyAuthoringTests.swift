import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintRules
import SendlintTestSupport
import Testing

/// Overrides, message templates, custom rules, suppressions, baselines and policy tests.
@Suite struct PolicyAuthoringTests {
  /// A temporary project folder with files, removed afterwards.
  final class Project {
    let root: URL
    init(_ files: [String: String]) throws {
      root = FileManager.default.temporaryDirectory.appendingPathComponent(
        "sendlint-authoring-\(UUID().uuidString)")
      for (path, text) in files {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
      }
    }
    deinit { try? FileManager.default.removeItem(at: root) }

    func lint(_ paths: [String] = ["."], today: String = "2026-11-29", baseline: String? = nil) -> LintReport
    {
      var request = LintRequest(paths: paths, workingDirectory: root.path)
      request.today = today
      request.baselinePath = baseline
      return Engine().lint(request)
    }
  }

  static let brand = """
    version: 1
    brand: { domains: [contoso.com], sending_domains: [contoso.com] }
    categories: [marketing, security-notice]

    """

  func diagnostics(_ text: String) -> [Diagnostic] {
    if case .failure(let list) = Result(catching: { () throws(DiagnosticList) in
      try PolicyLoader.load(text: text, path: "p.yaml", directory: "/")
    }) {
      return list.diagnostics
    }
    return []
  }

  @Test func everyAuthoringMistakeHasACodePositionAndSuggestion() {
    let found = diagnostics(
      Self.brand + """
        rules:
          link/insecure: { severity: warning, message: "insecure {{urll}}" }
          link/split-url: [error]
        custom_rules:
          contoso/a: { kind: patern, in: [subject], pattern: "x" }
          contoso/b: { kind: pattern, in: [subjct], pattern: "x" }
          contoso/c: { kind: pattern, in: [subject], pattern: "(unclosed" }
          contoso/d: { kind: pattern, in: [subject], pattern: "(a)\\\\1" }
        suppress:
          - { rule: link/insecure, value: x }
          - { rule: link/insecure, reason: r, expires: "31/01/2027" }
        """)
    let byCode = Dictionary(grouping: found, by: \.code)
    #expect(byCode["policy/unknown-placeholder"]?.first?.help?.hasPrefix("did you mean {{url}}?") == true)
    #expect(byCode["policy/wrong-type"]?.first?.position == SourcePosition(line: 6, column: 19))
    #expect(byCode["policy/unknown-kind"]?.first?.help == "did you mean \"pattern\"?")
    #expect(byCode["policy/unknown-field"]?.first?.help?.hasPrefix("did you mean \"subject\"?") == true)
    #expect(byCode["policy/bad-regex"]?.first?.position?.line == 10)
    #expect(byCode["policy/bad-regex"]?.last?.position?.line == 11)
    #expect(byCode["policy/bad-regex"]?.last?.help?.contains("backreferences") == true)
    #expect(byCode["policy/missing-reason"]?.first?.position?.line == 13)
    #expect(byCode["policy/bad-date"]?.first?.help == "write YYYY-MM-DD, e.g. 2027-01-31")
    #expect(found.allSatisfy { $0.position != nil && $0.sourceLine != nil })
  }

  @Test func overridesApplyInOrderAndLastMatchWins() throws {
    let project = try Project([
      ".sendlint.yaml": Self.brand + """
        rules: { link/insecure: warning }
        overrides:
          - { name: all-legacy, files: ["legacy/**"], rules: { link/insecure: off } }
          - { name: legacy-2003, files: ["legacy/2003/**"], rules: { link/insecure: error } }
        """,
      "legacy/old.html": "<a href=\"http://www.contoso.com/\">Home</a>",
      "legacy/2003/older.html": "<a href=\"http://www.contoso.com/\">Home</a>",
      "new.html": "<a href=\"http://www.contoso.com/\">Home</a>",
    ])
    let findings = project.lint().findings.filter { $0.rule == "link/insecure" }
    #expect(findings.map(\.path).sorted() == ["legacy/2003/older.html", "new.html"])
    #expect(findings.first { $0.path == "legacy/2003/older.html" }?.severity == .error)
    #expect(findings.first { $0.path == "new.html" }?.severity == .warning)
  }

  @Test func messageTemplatesUseTheRulesValues() throws {
    let project = try Project([
      ".sendlint.yaml": Self.brand
        + "rules: { link/insecure: { message: \"[{{rule}}] fix {{url}} before sending\" } }\n",
      "t.html": "<a href=\"http://www.contoso.com/x\">x</a>",
    ])
    #expect(
      project.lint().findings.first { $0.rule == "link/insecure" }?.message
        == "[link/insecure] fix http://www.contoso.com/x before sending")
  }

  @Test func customRuleKindsOnDrafts() throws {
    let project = try Project([
      ".sendlint.yaml": Self.brand + """
        custom_rules:
          contoso/no-password:
            kind: pattern
            in: [subject, html.visible]
            pattern: "(?i)confirm your password"
            severity: error
            message: "never ask: {{match}}"
          contoso/list-id:
            kind: require
            header: List-Id
          contoso/no-zip:
            kind: forbid
            attachment_types: [zip]
          contoso/help-links:
            kind: link-host
            text: "(?i)help"
            list: brand.domains
        """,
      "c.campaign.yaml": """
      campaign: c
      category: marketing
      from: "Contoso <news@contoso.com>"
      subject: "Please confirm your password"
      html: c.html
      attachments: [files.zip]
      """,
      "c.html": "<p>Hi</p>\n<p><a href=\"https://helpdesk.example/\">Get help</a></p>\n",
    ])
    let findings = project.lint().findings
    let rules = Set(findings.map(\.rule))
    #expect(
      rules.isSuperset(of: ["contoso/no-password", "contoso/list-id", "contoso/no-zip", "contoso/help-links"])
    )
    let password = findings.first { $0.rule == "contoso/no-password" }
    #expect(password?.message == "never ask: confirm your password")
    #expect(password?.severity == .error)
    #expect(
      findings.first { $0.rule == "contoso/help-links" }?.range?.startPosition
        == SourcePosition(line: 2, column: 21))
  }

  @Test func suppressionsExpireAndUnusedOnesAreReported() throws {
    let policy =
      Self.brand + """
        suppress:
          - { rule: link/insecure, files: ["a.html"], value: "www.contoso.com/a", reason: "SEC-1", expires: 2026-12-31 }
          - { rule: link/insecure, files: ["a.html"], value: "www.contoso.com/zzz", reason: "SEC-2" }
        """
    let project = try Project([
      ".sendlint.yaml": policy, "a.html": "<a href=\"http://www.contoso.com/a\">A</a>",
    ])
    let before = project.lint(today: "2026-11-29")
    #expect(!before.findings.contains { $0.rule == "link/insecure" })
    #expect(
      before.findings.filter { $0.rule == "sendlint/unused-suppression" }.map(\.message) == [
        "the suppression of link/insecure for \"www.contoso.com/zzz\" (SEC-2) matched no finding"
      ])
    let after = project.lint(today: "2027-01-01")
    let returned = after.findings.first { $0.rule == "link/insecure" }
    #expect(returned?.help?.contains("the suppression (SEC-1) expired on 2026-12-31") == true)
  }

  @Test func inlineDirectivesLiveInTemplateCommentsOnly() throws {
    let project = try Project([
      ".sendlint.yaml": Self.brand,
      "t.html": """
      {{!-- sendlint-disable-next-line link/insecure -- archived page, SEC-9 --}}
      <a href="http://www.contoso.com/a">A</a>
      {# sendlint-disable-next-line link/insecure #}
      <a href="http://www.contoso.com/b">B</a>
      <!-- sendlint-disable-next-line link/insecure -->
      <a href="http://www.contoso.com/c">C</a>
      """,
    ])
    let findings = project.lint().findings
    let insecure = findings.filter { $0.rule == "link/insecure" }.compactMap { $0.range?.startPosition.line }
    #expect(insecure.sorted() == [4, 6])
    #expect(
      findings.contains {
        $0.rule == "sendlint/suppression-without-reason" && $0.range?.startPosition.line == 3
      })
    #expect(
      findings.contains {
        $0.rule == "sendlint/html-comment-suppression" && $0.range?.startPosition.line == 5
      })
  }

  @Test func baselineRoundTrip() throws {
    let project = try Project([
      ".sendlint.yaml": Self.brand,
      "a.html": "<a href=\"http://www.contoso.com/a\">A</a><a href=\"http://www.contoso.com/a\">A</a>",
    ])
    let all = project.lint().findings
    // The two identical links are one finding that counts both (issue 12: aggregation), and the
    // baseline accepts both occurrences.
    let occurrences = all.reduce(0) { $0 + $1.count }
    #expect(occurrences >= 2)
    let path = project.root.appendingPathComponent("baseline.json").path
    try Baseline(all).write(to: path)
    #expect(project.lint(baseline: path).findings.isEmpty)
    #expect(project.lint(baseline: path).baselinedCount == occurrences)
    // A new finding in a moved file position is still new; the accepted ones stay accepted.
    try
      "\n\n<a href=\"http://www.contoso.com/a\">A</a><a href=\"http://www.contoso.com/a\">A</a><a href=\"http://www.contoso.com/b\">B</a>"
      .write(to: project.root.appendingPathComponent("a.html"), atomically: true, encoding: .utf8)
    let next = project.lint(baseline: path).findings
    #expect(next.count == 1)
    #expect(next.first?.message.contains("www.contoso.com/b") == true)
    let pruned = try #require(try? Baseline.read(path)).pruned(by: [])
    #expect(pruned.findings.isEmpty)
  }

  @Test func examplePolicyTestsPass() {
    let loader = DraftLoader(workingDirectory: TestPaths.packageRoot)
    let result = SendlintEngine.PolicyTests.run(in: TestPaths.examples, loader: loader)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.passed == 4)
    #expect(result.failed == 0, "\(result.lines)")
  }

  @Test func starterPolicyValidates() throws {
    _ = try policy(StarterPolicy.text)
  }

  @Test func examplePolicyUsesOverridesAndCustomRules() throws {
    let resolved = try PolicyLoader.load(path: TestPaths.examples + "/newsletter/.sendlint.yaml")
    #expect(resolved.overrides.count >= 1)
    #expect(resolved.customRules.count >= 2)
    #expect(resolved.allRuleMetadata.contains { $0.id == "contoso/no-password-prompt" })
  }
}
