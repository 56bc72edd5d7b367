#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one byte-string search behind `firstByteRange(of:)` and `containsBytes(_:)`: memchr for the
/// first byte, memcmp for the rest (Glibc does not export memmem to Swift). Linear in practice.
func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>) -> Int? {
  guard let needleBase = needle.baseAddress, !needle.isEmpty else { return 0 }
  guard let hayBase = hay.baseAddress, hay.count >= needle.count else { return nil }
  let last = hay.count - needle.count
  var offset = 0
  while offset <= last {
    guard let hit = memchr(hayBase + offset, Int32(needleBase[0]), last - offset + 1) else { return nil }
    let position = hayBase.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    if memcmp(hayBase + position, needleBase, needle.count) == 0 { return position }
    offset = position + 1
  }
  return nil
}

extension ArraySlice where Element == UInt8 {
  /// The first occurrence of `pattern`, in the slice's indices, without the generic-collection
  /// overhead of `firstRange(of:)`.
  public func firstByteRange(of pattern: [UInt8]) -> Range<Int>? {
    let position = withUnsafeBufferPointer { hay in
      pattern.withUnsafeBufferPointer { needle in firstOffset(of: needle, in: hay) }
    }
    return position.map { (startIndex + $0)..<(startIndex + $0 + pattern.count) }
  }
}

extension Array where Element == UInt8 {
  /// The first occurrence of `pattern` (see `ArraySlice.firstByteRange(of:)`).
  public func firstByteRange(of pattern: [UInt8]) -> Range<Int>? { self[...].firstByteRange(of: pattern) }
}

extension StringProtocol {
  /// Whether `pattern` occurs in this text, compared as UTF-8 bytes: for ASCII markers and phrases
  /// (`url(`, a boilerplate phrase) in hot paths, where `contains` would go through Foundation's
  /// locale-aware search. No Unicode equivalence: `é` precomposed and decomposed differ.
  public func containsBytes(_ pattern: String) -> Bool {
    var pattern = pattern
    return pattern.withUTF8 { needle -> Bool in
      if let found = utf8.withContiguousStorageIfAvailable({ firstOffset(of: needle, in: $0) != nil }) {
        return found
      }
      return Array(utf8).withUnsafeBufferPointer { firstOffset(of: needle, in: $0) != nil }
    }
  }
}
