import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// Where lints run: threads of their own (one per `--max-concurrent` slot), never a NIO event
/// loop, Swift's cooperative pool or Dispatch's shared pool, so a CPU-bound lint cannot stall
/// accepting connections or answering `/healthz`, and nothing else in the process that blocks a
/// shared pool can starve the lints. A task that prefers this executor runs its work here.
final class LintExecutor: TaskExecutor, Sendable {
  private let pool: NIOThreadPool

  init(threads: Int) {
    pool = NIOThreadPool(numberOfThreads: max(1, threads))
    pool.start()
  }

  func enqueue(_ job: consuming ExecutorJob) {
    let job = UnownedJob(job)
    let executor = asUnownedTaskExecutor()
    pool.submit { _ in job.runSynchronously(on: executor) }
  }
}

/// Admits at most `limit` lints at once. A slot is held until the lint itself returns, even when
/// its request already answered 504 (it is cancelled then, and returns at its engine's next check),
/// so a client that times requests out cannot pile up CPU work.
final class ConcurrencyLimiter: Sendable {
  let limit: Int
  private let inFlight = NIOLockedValueBox(0)

  init(limit: Int) { self.limit = limit }

  /// Takes a slot, or returns false when all `limit` are taken.
  func tryAcquire() -> Bool {
    inFlight.withLockedValue { count in
      guard count < limit else { return false }
      count += 1
      return true
    }
  }

  func release() { inFlight.withLockedValue { $0 -= 1 } }

  var current: Int { inFlight.withLockedValue { $0 } }
}

/// The first of two outcomes, the lint or the clock, resumes the request exactly once.
private final class FirstOutcome<Value: Sendable>: Sendable {
  private let state = NIOLockedValueBox<(CheckedContinuation<Value?, any Error>?, Bool)>((nil, false))

  func install(_ continuation: CheckedContinuation<Value?, any Error>) {
    let resumeNow = state.withLockedValue { state -> Bool in
      if state.1 { return true }
      state.0 = continuation
      return false
    }
    // Already decided before the continuation existed cannot happen (install runs first), but a
    // continuation must never leak: treat it as a time-out.
    if resumeNow { continuation.resume(returning: nil) }
  }

  /// Decides the outcome without answering yet: the continuation to resume when this caller came
  /// first, nil when the other outcome already decided. Lets the clock cancel the work between
  /// deciding and answering, so whoever sees the time-out also sees the work cancelled.
  func claim() -> CheckedContinuation<Value?, any Error>? {
    state.withLockedValue { state -> CheckedContinuation<Value?, any Error>? in
      if state.1 { return nil }
      state.1 = true
      defer { state.0 = nil }
      return state.0
    }
  }

  func finish(_ result: Result<Value?, any Error>) {
    claim()?.resume(with: result)
  }
}

extension LintExecutor {
  /// Runs `work` here and waits at most `budget` for it. Nil when the budget ran out first: the
  /// work's task is then cancelled (a lint stops at its engine's next check, between rules) and
  /// calls `done` when it has stopped, so its slot is held only until then.
  func run<Value: Sendable>(
    budget: Duration, _ work: @escaping @Sendable () async throws -> Value,
    done: @escaping @Sendable () -> Void
  ) async throws -> Value? {
    let outcome = FirstOutcome<Value>()
    return try await withCheckedThrowingContinuation { continuation in
      outcome.install(continuation)
      // The clock, once made: the worker stops it when it ends first (if it ends before the
      // clock exists, the clock's late expiry finds the outcome decided and changes nothing).
      let clock = NIOLockedValueBox<Task<Void, Never>?>(nil)
      let worker = Task(executorPreference: self) {
        let result: Result<Value?, any Error>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        clock.withLockedValue { $0?.cancel() }
        done()
        outcome.finish(result)
      }
      let timer = Task {
        guard (try? await Task.sleep(for: budget)) != nil else { return }  // cancelled: the work ended
        // Decide, cancel, then answer: the 504 is never sent while its lint still runs uncancelled.
        guard let answer = outcome.claim() else { return }
        worker.cancel()
        answer.resume(returning: nil)
      }
      clock.withLockedValue { $0 = timer }
    }
  }
}
