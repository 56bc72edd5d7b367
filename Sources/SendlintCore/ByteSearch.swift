#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ArraySlice where Element == UInt8 {
  /// The first occurrence of `pattern`, in the slice's indices. memchr for the first byte, then a
  /// comparison: linear in practice, without the generic-collection overhead of `firstRange(of:)`.
  public func firstByteRange(of pattern: [UInt8]) -> Range<Int>? {
    guard let first = pattern.first, pattern.count <= count else {
      return pattern.isEmpty ? startIndex..<startIndex : nil
    }
    return withUnsafeBufferPointer { buffer -> Range<Int>? in
      guard let base = buffer.baseAddress else { return nil }
      var offset = 0
      let last = buffer.count - pattern.count
      while offset <= last {
        guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return nil }
        let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        var matched = true
        for (index, byte) in pattern.enumerated().dropFirst() where buffer[position + index] != byte {
          matched = false
          break
        }
        if matched { return (startIndex + position)..<(startIndex + position + pattern.count) }
        offset = position + 1
      }
      return nil
    }
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
      guard let needleBase = needle.baseAddress, !needle.isEmpty else { return true }
      let found = self.utf8.withContiguousStorageIfAvailable { hay -> Bool in
        guard let hayBase = hay.baseAddress, hay.count >= needle.count else { return false }
        // memchr for the first byte, memcmp for the rest (Glibc does not export memmem to Swift).
        let last = hay.count - needle.count
        var offset = 0
        while offset <= last {
          guard let hit = memchr(hayBase + offset, Int32(needleBase[0]), last - offset + 1) else {
            return false
          }
          let position = hayBase.distance(to: hit.assumingMemoryBound(to: UInt8.self))
          if memcmp(hayBase + position, needleBase, needle.count) == 0 { return true }
          offset = position + 1
        }
        return false
      }
      if let found { return found }
      return Array(self.utf8).firstByteRange(of: Array(needle)) != nil
    }
  }
}
