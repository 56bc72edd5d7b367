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
