import Foundation
import Sendlint
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import Testing

/// A lint can be stopped: cancelling the library caller's task (a server's request that ran out of
/// time) stops the engine at its next check, and the partial report says so instead of passing.
@Suite struct LintCancellationTests {
  @Test func aCancelledTaskReportsUsageCancelledAndExitsTwo() async throws {
    let linter = Linter(policy: try LibraryTests.policy())
    let message = Data(LibraryTests.message().utf8)
    let report = try await Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await linter.lint(message: message)
    }.value
    #expect(report.diagnostics.map(\.code) == ["usage/cancelled"])
    #expect(report.findings.isEmpty)
    #expect(report.exitStatus() == 2)
  }

  @Test func anUncancelledLintIsUnchanged() async throws {
    let report = try await Linter(policy: try LibraryTests.policy()).lint(
      message: Data(LibraryTests.message().utf8))
    #expect(report.diagnostics.isEmpty)
    #expect(report.findings.contains { $0.rule == "link/text-host-mismatch" })
  }

  /// Cancelled before a draft is read: nothing is read, and the report says why it is empty.
  @Test func aCancelledRequestReadsNoDraft() {
    let cancellation = LintCancellation()
    cancellation.cancel()
    var request = LintRequest(paths: [], workingDirectory: "/")
    request.standardInput = StandardInputDraft(
      bytes: Array(LibraryTests.message().utf8), filename: "m.eml", kind: .message)
    request.cancellation = cancellation
    let report = Engine().lint(request)
    #expect(report.findings.isEmpty)
    #expect(report.draftCount == 0)
    #expect(report.diagnostics.map(\.code) == ["usage/cancelled"])
  }

  /// Cancelled while the rules run: `Engine.check` stops before its next rule.
  @Test func theRulesStopOnceCancelled() throws {
    let file = SourceFile(path: "m.eml", bytes: Array(LibraryTests.message().utf8))
    let policy = PolicyLoader.builtinDefault(directory: "/")
    let inventory = InventoryReader.eml(file)
    #expect(!Engine.check(inventory, policy: policy, category: nil).isEmpty)
    let cancellation = LintCancellation()
    cancellation.cancel()
    #expect(Engine.check(inventory, policy: policy, category: nil, cancellation: cancellation).isEmpty)
  }
}
