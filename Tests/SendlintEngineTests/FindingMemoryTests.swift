import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintPolicyTestSupport
import Testing

/// What a draft's findings hold until the report aggregates them (issue 15, memory): a defect
/// repeated across the draft must not cost a copy of its message per occurrence.
@Suite struct FindingMemoryTests {
  /// One insecure link written 50 times: 50 findings, one message and one help text.
  static let message = Array(
    ("From: Shop <news@shop.example>\r\nTo: you@example.org\r\nSubject: Sale\r\nMessage-ID: <1@shop.example>\r\n"
      + "Date: Mon, 1 Jun 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      + String(repeating: "<p><a href=\"http://shop.example/account\">Your account</a></p>\r\n", count: 50))
      .utf8)

  static func storage(_ text: String) -> UInt? {
    var text = text
    return text.withUTF8 { UInt(bitPattern: $0.baseAddress) }
  }

  @Test func repeatedFindingsShareTheirTexts() throws {
    let file = SourceFile(path: "m.eml", bytes: Self.message)
    let findings = Engine.check(
      InventoryReader.eml(file), policy: PolicyLoader.builtinDefault(directory: "/"), category: nil)
    let groups = Dictionary(grouping: findings) { "\($0.rule)\u{1F}\($0.message)" }
    let repeated = try #require(groups.values.first { $0.count == 50 })
    // Longer than a small string, so each copy of it would be a heap allocation of its own.
    #expect(repeated[0].message.utf8.count > 15)
    #expect(Set(repeated.map { Self.storage($0.message) }).count == 1)
    if repeated[0].help.map({ $0.utf8.count > 15 }) == true {
      #expect(Set(repeated.map { $0.help.flatMap(Self.storage) }).count == 1)
    }
  }

  /// A policy's message override is rendered per hit: equal renderings still share one copy.
  @Test func renderedMessagesShareOneCopy() throws {
    let file = SourceFile(path: "m.eml", bytes: Self.message)
    let resolved = try policy(
      """
      version: 1
      extends: [sendlint:recommended]
      rules:
        link/insecure: { severity: warning, message: "this link uses plain http: {{url}}" }
      """)
    let findings = Engine.check(InventoryReader.eml(file), policy: resolved, category: nil).filter {
      $0.rule == "link/insecure"
    }
    #expect(findings.count == 50)
    #expect(findings.allSatisfy { $0.message == "this link uses plain http: http://shop.example/account" })
    #expect(Set(findings.map { Self.storage($0.message) }).count == 1)
  }

  /// A finding's locations and fingerprint read the same whether or not they were ever set.
  @Test func locationsAndFingerprintReadAsWritten() {
    let file = SourceFile(path: "t.html", bytes: Array("<p>x</p>\n".utf8))
    let range = SourceRange(file: file, start: 0, end: 3)
    let finding = Finding(
      rule: "r", severity: .warning, message: "m", help: nil, range: range, draftPath: "t.html", evidence: "e"
    )
    #expect(finding.locations == [range])
    #expect(finding.fingerprint == Fingerprint.hex(of: "r\u{1F}t.html\u{1F}e"))
    #expect(finding.fingerprint.utf8.count == 32)
    var set = finding
    set.locations = [range]
    #expect(set == finding)
    #expect(set.hashValue == finding.hashValue)
    set.locations.append(range)
    #expect(set != finding)
    #expect(set.locations == [range, range])
    let unplaced = Finding(
      rule: "r", severity: .warning, message: "m", help: nil, range: nil, draftPath: "d", evidence: "e")
    #expect(unplaced.locations.isEmpty)
  }
}
