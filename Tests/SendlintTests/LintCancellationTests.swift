import Foundation
import Sendlint
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
}
