import Foundation

/// A bounded, thread-safe memo table for facts about hosts that do not change during a run
/// (public suffixes, confusable skeletons): computed once per unique host, shared by every rule
/// and by drafts linted concurrently. When full it starts over, so memory stays bounded
/// whatever the input; values are pure functions of their keys, so results never depend on
/// what was cached.
public final class HostFactsCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [Key: Value] = [:]
  private let limit: Int

  public init(limit: Int = 4_096) { self.limit = max(1, limit) }

  /// The value for `key`, computing it outside the lock on a miss.
  public func value(for key: Key, _ compute: () -> Value) -> Value {
    lock.lock()
    if let cached = storage[key] {
      lock.unlock()
      return cached
    }
    lock.unlock()
    let value = compute()
    lock.lock()
    if storage.count >= limit { storage.removeAll(keepingCapacity: true) }
    storage[key] = value
    lock.unlock()
    return value
  }

  /// How many values are held (for tests).
  public var count: Int {
    lock.lock()
    defer { lock.unlock() }
    return storage.count
  }
}
