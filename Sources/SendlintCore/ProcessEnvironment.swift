#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One environment variable, read when asked. `ProcessInfo.processInfo.environment` copies the
/// whole environment into a dictionary at each call (about 340,000 instructions, and 420,000 for
/// the first), which an empty lint paid five times; the few variables sendlint reads are looked up
/// by name instead. Nothing in sendlint sets variables, so reading them from any thread is safe.
package enum ProcessEnvironment {
  /// The variable's value as UTF-8 text (invalid bytes repaired), or nil when it is not set.
  package static func value(_ name: String) -> String? {
    guard let pointer = getenv(name) else { return nil }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
  }
}
