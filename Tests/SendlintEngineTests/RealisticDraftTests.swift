import Foundation
import SendlintCore
import SendlintEngine
import SendlintRules
import SendlintTestSupport
import Testing

/// Three realistic drafts (Fixtures/drafts: a careless "security check" campaign, a spammy
/// marketing .eml, quoted-printable with an attachment, and an HTML-only image flyer) that between them break every built-in
/// rule: each rule is exercised on a whole draft, not only on its own examples.
@Suite struct RealisticDraftTests {
  @Test func everyBuiltinRuleFiresOnARealisticDraft() {
    let report = Engine().lint(
      LintRequest(
        paths: ["Tests/SendlintEngineTests/Fixtures/drafts"], workingDirectory: TestPaths.packageRoot))
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    #expect(report.draftCount == 3)
    let fired = Set(report.findings.map(\.rule))
    for type in RuleRegistry.builtin {
      #expect(fired.contains(type.metadata.id), "\(type.metadata.id) does not fire on the realistic drafts")
    }
    // Spot checks that the findings are where the drafts put the defects.
    let located = Set(
      report.findings.map {
        "\($0.rule) \(($0.path as NSString).lastPathComponent):\($0.range?.startPosition.line ?? 0)"
      })
    for expected in [
      "security/form account-check.html:6", "link/lookalike-domain account-check.html:3",
      "link/obfuscated account-check.html:4",
      "link/template-host account-check.html:5", "link/split-url account-check.txt:2",
      "link/obfuscated account-check.txt:3",
      "attachment/dangerous-type spring-offers.eml:38", "message/invalid-headers spring-offers.eml:5",
      "link/split-url spring-offers.eml:19", "content/deceptive-subject spring-offers.eml:7",
      "identity/weak-dkim-signature spring-offers.eml:2",
      "deliverability/text-part-diverges spring-offers.eml:19",
      "deliverability/missing-text-part flyer.eml:10",
      "deliverability/gmail-clipping flyer.eml:15", "deliverability/image-only flyer.eml:15",
      "deliverability/missing-preheader flyer.eml:14", "content/subject-length flyer.eml:5",
      "message/missing-message-id-domain flyer.eml:6", "message/date-skew flyer.eml:2",
    ] {
      #expect(located.contains(expected), "missing \(expected) in \(located.sorted())")
    }
  }
}
