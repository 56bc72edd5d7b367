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
        // that can take a while). The executor cancels the work before it answers, so the first
        // time the work sees the answer it must also see its cancellation. No timing is judged.
        // The wait blocks its pool thread instead of `Task.sleep`: once the task is cancelled a
        // sleep returns at once, and the loop ran out its turns in microseconds whenever the test
        // had not yet marked the request answered (CI: "never answered").
        for _ in 0..<60_000 {
          if answered.load(ordering: .acquiring) {
            let verdict = Task.isCancelled ? "cancelled" : "answered but not cancelled"
            stopped.withLock { $0 = verdict }
            return verdict
          }
          usleep(10_000)
        }
        stopped.withLock { $0 = "never answered" }
        return "never answered"
      },
      done: {
        doneSignal.yield()
        doneSignal.finish()
      })
    answered.store(true, ordering: .releasing)
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
