#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one byte-string search behind `firstByteRange(of:)` and `containsBytes(_:)`: memchr for the
/// first byte, memcmp for the rest (Glibc does not export memmem to Swift). Linear in practice.
@usableFromInline func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>)
  -> Int?
{
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
  /// overhead of `firstRange(of:)`; nil for an empty pattern, as Foundation's `firstRange(of:)`
  /// answers (the byte-slice searches it replaced).
  public func firstByteRange(of pattern: [UInt8]) -> Range<Int>? {
    guard !pattern.isEmpty else { return nil }
    let position = withUnsafeBufferPointer { hay in
      pattern.withUnsafeBufferPointer { needle in firstOffset(of: needle, in: hay) }
    }
    return position.map { (startIndex + $0)..<(startIndex + $0 + pattern.count) }
  }
}

extension ArraySlice where Element == UInt8 {
  /// The first index in `from..<end` (slice indices, clamped to the slice) holding `byte`: memchr,
  /// for scanners that stop only at one marker byte.
  public func firstIndex(ofByte byte: UInt8, from: Int, to end: Int) -> Int? {
    let lower = Swift.max(from, startIndex)
    let upper = Swift.min(end, endIndex)
    guard lower < upper else { return nil }
    return withUnsafeBufferPointer { buffer -> Int? in
      guard let base = buffer.baseAddress else { return nil }
      let start = base + (lower - startIndex)
      guard let hit = memchr(start, Int32(byte), upper - lower) else { return nil }
      return lower + start.distance(to: hit.assumingMemoryBound(to: UInt8.self))
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
  /// Inlinable, so a String or Substring receiver gets a specialised copy: the generic one went
  /// through the protocol's witnesses for every call, a one-byte test included.
  @inlinable public func containsBytes(_ pattern: String) -> Bool {
    var pattern = pattern
    return pattern.withUTF8 { needle -> Bool in
      if let found = utf8.withContiguousStorageIfAvailable({ firstOffset(of: needle, in: $0) != nil }) {
        return found
      }
      return Array(utf8).withUnsafeBufferPointer { firstOffset(of: needle, in: $0) != nil }
    }
  }
}

extension Array where Element == UInt8 {
  /// The index of the first CR or LF in `from..<limit`, or nil: eight bytes at a time (a word
  /// without either costs a few instructions), for line scanners over mail, whose lines run to
  /// 76–998 bytes.
  public func firstLineBreak(from: Int, limit: Int) -> Int? {
    let upper = Swift.min(limit, count)
    guard from >= 0, from < upper else { return nil }
    return withUnsafeBufferPointer { buffer -> Int? in
      guard let base = buffer.baseAddress else { return nil }
      let ones: UInt64 = 0x0101_0101_0101_0101
      let high: UInt64 = 0x8080_8080_8080_8080
      var index = from
      while upper - index >= 8 {
        let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
        let lf = word ^ (ones &* 0x0A)
        let cr = word ^ (ones &* 0x0D)
        // Exact on whether the word holds a zero byte of `lf` or `cr`, i.e. an LF or a CR.
        if ((lf &- ones) & ~lf | (cr &- ones) & ~cr) & high != 0 { break }
        index += 8
      }
      while index < upper {
        let byte = base[index]
        if byte == 0x0A || byte == 0x0D { return index }
        index += 1
      }
      return nil
    }
  }
}

extension Sequence where Element == UInt8 {
  /// Whether every byte is ASCII: eight at a time over contiguous storage (a String's UTF-8, an
  /// array or a slice), byte by byte otherwise. `allSatisfy { $0 < 0x80 }` stepped through a
  /// String's UTF-8 view one byte per iteration, and hrefs and style texts run to hundreds of bytes.
  @inlinable package var isAllASCII: Bool {
    withContiguousStorageIfAvailable { allASCII($0) } ?? allSatisfy { $0 < 0x80 }
  }
}

/// Whether every byte of `buffer` is below 0x80, a word at a time.
@inlinable package func allASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
  guard let base = buffer.baseAddress else { return true }
  let count = buffer.count
  var index = 0
  var high: UInt64 = 0
  while index + 8 <= count {
    high |= UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
    index += 8
  }
  var tail: UInt8 = 0
  while index < count {
    tail |= base[index]
    index += 1
  }
  return high & 0x8080_8080_8080_8080 == 0 && tail < 0x80
}
