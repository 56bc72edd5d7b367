import Synchronization

/// Lets a caller stop a lint that is under way: a server whose request ran out of time, a
/// library caller shutting down. The engine looks at it before reading each draft, after reading
/// it and between rules; a stopped lint reports `usage/cancelled`, so a partial report never reads
/// as clean (exit status 2).
public final class LintCancellation: Sendable {
  private let cancelled = Atomic<Bool>(false)

  public init() {}

  /// Asks the lint to stop at its next check. Safe from any thread; idempotent.
  public func cancel() { cancelled.store(true, ordering: .relaxed) }

  public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }
}
