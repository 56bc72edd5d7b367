import Foundation
import Synchronization
import Testing

@testable import SendlintServer

/// Past its budget a lint is answered nil (504) and its task is cancelled, so it stops and gives
/// its slot back instead of running to its end.
@Suite struct LintExecutorTests {
  @Test func workPastTheBudgetIsCancelledAndCallsDone() async throws {
    let executor = LintExecutor(threads: 1)
    let stopped = Mutex<String?>(nil)
    let (doneStream, doneSignal) = AsyncStream<Void>.makeStream()
    let outcome = try await executor.run(
      budget: .milliseconds(20),
      {
        // Waits to be cancelled, for at most ~10 s; never cancelled, it reports that instead.
        for _ in 0..<1000 {
          if Task.isCancelled {
            stopped.withLock { $0 = "cancelled" }
            return "cancelled"
          }
          try? await Task.sleep(for: .milliseconds(10))
        }
        stopped.withLock { $0 = "ran to its end" }
        return "ran to its end"
      },
      done: {
        doneSignal.yield()
        doneSignal.finish()
      })
    #expect(outcome == nil)
    for await _ in doneStream { break }
    #expect(stopped.withLock { $0 } == "cancelled")
  }

  @Test func workWithinTheBudgetIsAnsweredAndNotCancelled() async throws {
    let executor = LintExecutor(threads: 1)
    let outcome = try await executor.run(
      budget: .seconds(60), { Task.isCancelled ? "cancelled" : "done" }, done: {})
    #expect(outcome == "done")
  }
}
