import Foundation
import SendlintCore
import SendlintPolicy
import SendlintRules
import Testing

/// Issue 19: a rule option is declared once (`RuleOption`: name, type, default, help); the rule
/// reads it typed, its metadata lists the same declaration, and the policy fills it in.
@Suite struct TypedSettingsTests {
  @Test func anOptionsDefaultIsWrittenOnceAndReadTyped() {
    #expect(TextHostMismatch.metadata.options.map(\.name) == ["match", "include_alt_text"])
    #expect(TextHostMismatch.metadata.options.first?.defaultValue == .string("host"))
    #expect(TextHostMismatch.metadata.options.first?.kind == .choice(["host", "registrable-domain"]))
    #expect(RuleOptions()[TextHostMismatch.match] == .host)
    #expect(RuleOptions()[TextHostMismatch.includeAltText] == true)
    #expect(RuleOptions(["match": .string("registrable-domain")])[TextHostMismatch.match] == .registrableDomain)
    #expect(RuleOptions(["max_size": .int(5)])[TrackingPixel.maxSizeOption] == 5)
    #expect(DMARCMisaligned.metadata.options.map(\.defaultValue) == [.string("relaxed")])
    #expect(LookalikeDomain.metadata.options.map(\.kind) == [.int(0...3), .bool])
  }

  @Test func thePolicysValueReachesTheTypedOption() throws {
    let text = "version: 1\nrules:\n  link/text-host-mismatch: { options: { match: registrable-domain, include_alt_text: false } }\n"
    let policy = try PolicyLoader.load(text: text, path: "p.yaml", directory: "/").get()
    let options = policy.options(for: TextHostMismatch.metadata)
    #expect(options[TextHostMismatch.match] == .registrableDomain)
    #expect(options[TextHostMismatch.includeAltText] == false)
  }

  @Test func customRuleKindsAreTheEnumsCases() {
    #expect(PolicyLoader.customRuleKinds == ["pattern", "require", "forbid", "link-host"])
    #expect(CustomRule.KindName(rawValue: "link_host") == nil)
    #expect(CustomRule.KindName.linkHost.placeholders == ["host", "text", "allowed"])
  }

  @Test func anUnknownKindIsADiagnosticNeverLinkHost() throws {
    let text = "version: 1\ncustom_rules:\n  acme/x:\n    kind: link-hots\n    text: \"(?i)acme\"\n    hosts: [acme.example]\n"
    guard case .failure(let list) = PolicyLoader.load(text: text, path: "p.yaml", directory: "/") else {
      Issue.record("an unknown kind must not load")
      return
    }
    let unknown = try #require(list.diagnostics.first { $0.code == "policy/unknown-kind" })
    #expect(unknown.message == "custom rule acme/x has the unknown kind \"link-hots\"")
    #expect(unknown.help == "did you mean \"link-host\"?")
    #expect(unknown.position?.line == 4)
  }
}
