import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import Testing

/// The engine's cancellation points (the façade's task cancellation is tested in
/// `LintCancellationTests`): before a draft is read, and between rules.
@Suite struct EngineCancellationTests {
  /// A message whose link text shows one host while the href goes to another.
  static let message = Array(
    ("From: Shop <news@shop.example>\r\nTo: you@example.org\r\nSubject: Sale\r\nMessage-ID: <1@shop.example>\r\n"
      + "Date: Mon, 1 Jun 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      + "<p>Hi <a href=\"https://login.evil.example/x\">https://shop.example/account</a></p>\r\n").utf8)

  /// Cancelled before a draft is read: nothing is read, and the report says why it is empty.
  @Test func aCancelledRequestReadsNoDraft() {
    let cancellation = LintCancellation()
    cancellation.cancel()
    var request = LintRequest(paths: [], workingDirectory: "/")
    request.standardInput = StandardInputDraft(
      bytes: Self.message, filename: "m.eml", kind: .message)
    request.cancellation = cancellation
    let report = Engine().lint(request)
    #expect(report.findings.isEmpty)
    #expect(report.draftCount == 0)
    #expect(report.diagnostics.map(\.code) == ["usage/cancelled"])
  }

  /// Cancelled while the rules run: `Engine.check` stops before its next rule.
  @Test func theRulesStopOnceCancelled() throws {
    let file = SourceFile(path: "m.eml", bytes: Self.message)
    let policy = PolicyLoader.builtinDefault(directory: "/")
    let inventory = InventoryReader.eml(file)
    #expect(!Engine.check(inventory, policy: policy, category: nil).isEmpty)
    let cancellation = LintCancellation()
    cancellation.cancel()
    #expect(Engine.check(inventory, policy: policy, category: nil, cancellation: cancellation).isEmpty)
  }
}
