import Foundation

/// Runs independent pieces of work on several threads and hands their results back in order.
///
/// `run(count:jobs:window:work:consume:)` calls `work(i)` for every `i` in `0..<count` on up to
/// `jobs` worker threads, and `consume(i, result)` on the calling thread in increasing `i`, so
/// whatever `consume` builds is the same as a sequential loop would build. At most `window`
/// pieces are claimed but not yet taken by the consumer: a slow piece holds back new work instead
/// of letting finished results pile up, so memory stays bounded by `window` pieces (plus the one
/// `consume` is merging) whatever `count` is.
/// With `jobs` 1 (or fewer than two pieces) everything runs on the calling thread.
///
/// Workers are dedicated threads, not a shared pool: the caller may itself be on a pool thread
/// (an `async` library call) that blocks here, and the workers must never wait for it.
enum OrderedWork {
  /// Stack for each worker: the main thread's usual 8 MiB, so a draft that parses on the main
  /// thread parses the same on a worker.
  static let workerStackSize = 8 << 20

  static func run<Result: Sendable>(
    count: Int, jobs: Int, window: Int, work: @escaping @Sendable (Int) -> Result,
    consume: (Int, Result) -> Void
  ) {
    let workers = min(max(1, jobs), count)
    guard workers > 1 else {
      for index in 0..<count { consume(index, work(index)) }
      return
    }
    let state = State<Result>(count: count, window: max(window, workers))
    for _ in 0..<workers {
      let thread = Thread { state.workLoop(work) }
      thread.stackSize = workerStackSize
      thread.start()
    }
    for index in 0..<count { consume(index, state.take(index)) }
    state.waitForWorkers(workers)
  }

  /// The slots, the next index to claim and the consumer's position, under one condition.
  private final class State<Result: Sendable>: @unchecked Sendable {
    // Every stored property is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var slots: [Result?]
    private let window: Int
    private var next = 0
    private var consumed = 0
    private var finishedWorkers = 0

    init(count: Int, window: Int) {
      slots = Array(repeating: nil, count: count)
      self.window = window
    }

    func workLoop(_ work: (Int) -> Result) {
      while true {
        condition.lock()
        while next < slots.count, next >= consumed + window { condition.wait() }
        guard next < slots.count else {
          finishedWorkers += 1
          condition.broadcast()
          condition.unlock()
          return
        }
        let index = next
        next += 1
        condition.unlock()
        let result = work(index)
        condition.lock()
        slots[index] = result
        condition.broadcast()
        condition.unlock()
      }
    }

    /// Waits for piece `index` (claimed in order, so always claimed or about to be) and frees its slot.
    func take(_ index: Int) -> Result {
      condition.lock()
      defer { condition.unlock() }
      while slots[index] == nil { condition.wait() }
      let result = slots[index]!  // non-nil: the loop above
      slots[index] = nil
      consumed = index + 1
      condition.broadcast()
      return result
    }

    func waitForWorkers(_ workers: Int) {
      condition.lock()
      while finishedWorkers < workers { condition.wait() }
      condition.unlock()
    }
  }
}
