import Foundation
import Synchronization
import Testing

@testable import SendlintServer

/// Past its budget a lint is answered nil (504) and its task is cancelled, so it stops and gives
/// its slot back instead of running to its end.
@Suite struct LintExecutorTests {
  @Test func workPastTheBudgetIsCancelledAndCallsDone() async throws {
    let executor = LintExecutor(threads: 1)
    let answered = Atomic<Bool>(false)
    let stopped = Mutex<String?>(nil)
    let (doneStream, doneSignal) = AsyncStream<Void>.makeStream()
    let outcome = try await executor.run(
      budget: .milliseconds(20),
      {
        // Keeps going until the request has been answered (the timer fired: on a loaded machine
        // that can take a while), then gives the cancellation 5 s to arrive. No timing is judged:
        // only whether it was cancelled after the answer.
        var graceLeft = 500
        for _ in 0..<12_000 {
          if answered.load(ordering: .relaxed) {
            if Task.isCancelled {
              stopped.withLock { $0 = "cancelled" }
              return "cancelled"
            }
            graceLeft -= 1
            if graceLeft == 0 { break }
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
    answered.store(true, ordering: .relaxed)
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
