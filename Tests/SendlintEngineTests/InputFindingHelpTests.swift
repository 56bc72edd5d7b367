import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintRules
import Testing

/// `input/*` findings say how to fix the draft, like every rule's findings (issue 19).
@Suite struct InputFindingHelpTests {
  static func findings(_ text: [UInt8], rule: String) throws -> [Finding] {
    let inventory = InventoryReader.eml(SourceFile(path: "draft.eml", bytes: text))
    return Engine.check(inventory, policy: try PolicyLoader.builtinDefault(directory: "/"), category: nil)
      .filter { $0.rule == rule }
  }

  @Test func everyInputIdHasHelp() {
    #expect(Set(InputProblems.help.keys) == Set(InputProblems.all.map(\.id)))
    for (id, help) in InputProblems.help { #expect(!help.isEmpty, "\(id)") }
  }

  @Test(arguments: [
    (
      "input/malformed-header",
      Array("From: news@contoso.com\nthis line is not a field\nSubject: Hi\n\nHello\n".utf8)
    ),
    (
      "input/malformed-mime",
      Array(
        "From: news@contoso.com\nSubject: Hi\nMIME-Version: 1.0\nContent-Type: multipart/mixed\n\nHello\n"
          .utf8)
    ),
    (
      "input/charset",
      Array(
        "From: news@contoso.com\nSubject: Hi\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<p>Caf"
          .utf8) + [0xE9, 0x0A]
    ),
    ("input/unparseable", []),
  ])
  func findingCarriesItsIdsHelp(rule: String, draft: [UInt8]) throws {
    let found = try Self.findings(draft, rule: rule)
    #expect(!found.isEmpty, "the draft must produce \(rule)")
    for finding in found { #expect(finding.help == InputProblems.help[rule], "\(rule): \(finding.message)") }
  }
}
