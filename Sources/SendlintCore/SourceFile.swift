/// One file as read from disk, with a line index so byte offsets become `line:column`.
///
/// Everything sendlint reports points into a `SourceFile`: the template an author edits, the raw
/// `.eml`, a policy or a manifest. Offsets are UTF-8 byte offsets; columns are counted in Unicode
/// scalars (what editors and SARIF's `unicodeCodePoints` count), one-based.
public final class SourceFile: Sendable, Hashable, CustomStringConvertible {
  /// The path as the user should see it (relative to the working directory where possible).
  public let path: String
  /// The raw bytes.
  public let bytes: [UInt8]
  /// Byte offset at which each line starts; `lineStarts[0] == 0`.
  public let lineStarts: [Int]
  /// `scalarCheckpoints[k]`: how many Unicode scalars start before byte `k * checkpointStride`. With
  /// it a column costs at most `checkpointStride` byte reads however long the line is: single-line
  /// HTML with thousands of findings on one line would otherwise make every position O(column).
  let scalarCheckpoints: [Int]
  /// Bytes between two scalar checkpoints: the most `position(of:)` reads (eight at a time). The
  /// table costs `count / checkpointStride` integers, a 32nd of the file's size at 256 bytes per
  /// Int (an eighth at 64: 0.37 MB of a 3 MB message, held for the whole lint).
  static let checkpointStride = 256

  /// Creates a source file and indexes its lines. A line ends at LF; a CR before it belongs to the
  /// line terminator. A lone CR also ends a line, as in mail clients. O(n).
  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
    let (starts, checkpoints) = Self.index(bytes)
    self.lineStarts = starts
    self.scalarCheckpoints = checkpoints
  }

  /// The line starts and scalar checkpoints of `bytes`, eight bytes at a time: scalar starts are
  /// counted as the bytes that are not `10xxxxxx`, and CR and LF found as bit masks, so a word
  /// costs a few instructions with or without a line break. The result is that of the byte loop
  /// `SourceFileIndexTests` compares it with.
  static func index(_ bytes: [UInt8]) -> (lineStarts: [Int], checkpoints: [Int]) {
    let stride = checkpointStride
    var starts = [0]
    var checkpoints: [Int] = []
    checkpoints.reserveCapacity(bytes.count / stride + 1)
    var scalars = 0
    let ones: UInt64 = 0x0101_0101_0101_0101
    bytes.withUnsafeBufferPointer { buffer in
      let count = buffer.count
      guard let base = buffer.baseAddress else { return }
      let high: UInt64 = 0x8080_8080_8080_8080
      var blockStart = 0
      while blockStart < count {
        // Every block of `stride` bytes starts with a checkpoint: the scalars before it.
        checkpoints.append(scalars)
        let blockEnd = min(blockStart + stride, count)
        var index = blockStart
        // Continuation bytes of the block's words, counted per byte lane (at most stride / 8 =
        // 32 in a lane) and summed once at the block's end: a population count per word cost a
        // dozen instructions (x86-64's baseline has no POPCNT).
        var continuations: UInt64 = 0
        var wordBytes = 0
        while index < blockEnd {
          if blockEnd - index >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            continuations &+= (word & ~(word << 1) & high) >> 7
            wordBytes += 8
            // A byte is zero in `word ^ (byte * ones)` exactly where it equals that byte; the
            // classic "has a zero byte" test is exact on whether any such byte exists, and the
            // exact masks are built only for a word that has one.
            let lfBytes = word ^ (ones &* 0x0A)
            let crBytes = word ^ (ones &* 0x0D)
            if ((lfBytes &- ones) & ~lfBytes | (crBytes &- ones) & ~crBytes) & high != 0 {
              let lf = Self.zeroBytes(lfBytes)
              var cr = Self.zeroBytes(crBytes)
              // A CR ends a line unless an LF follows it: in this word (the LF bit one byte up),
              // or as the next word's first byte.
              cr &= ~(lf >> 8)
              if cr & (1 << 63) != 0, index + 8 < count, base[index + 8] == UInt8(ascii: "\n") {
                cr &= ~(1 << 63)
              }
              var breaks = lf | cr
              while breaks != 0 {
                starts.append(index + breaks.trailingZeroBitCount / 8 + 1)
                breaks &= breaks &- 1
              }
            }
            index += 8
            continue
          }
          Self.step(base, index, count, &scalars, &starts)
          index += 1
        }
        // The lanes' sum, in 16-bit lanes first (a block of only continuation bytes sums to 256).
        let pairs = (continuations & 0x00FF_00FF_00FF_00FF) &+ ((continuations >> 8) & 0x00FF_00FF_00FF_00FF)
        scalars += wordBytes - Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
        blockStart = blockEnd
      }
    }
    checkpoints.append(scalars)
    // The array grew by doubling: up to half its capacity is unused, and it lives as long as the
    // file (a 3 MB message of 76-byte lines left 0.2 MB unused). A copy holds what is used.
    if starts.capacity > starts.count + starts.count / 8 {
      starts = starts.withUnsafeBufferPointer { Array($0) }
    }
    return (starts, checkpoints)
  }

  /// How many of `word`'s eight bytes start a scalar: those that are not continuation bytes
  /// (`10xxxxxx`: bit 7 set and bit 6 clear).
  @inline(__always)
  private static func scalarStarts(_ word: UInt64) -> Int {
    8 - (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
  }

  /// Bit 7 of each byte of the result is set exactly where `word`'s byte is zero (no borrow from
  /// one byte into the next, unlike the cheaper "has a zero byte" test).
  @inline(__always)
  private static func zeroBytes(_ word: UInt64) -> UInt64 {
    let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    return ~(((word & low) &+ low) | word) & ~low
  }

  /// One byte of `index(_:)`: a scalar start unless a continuation byte; a line start after LF, or
  /// after a CR not followed by LF.
  @inline(__always)
  private static func step(
    _ base: UnsafePointer<UInt8>, _ index: Int, _ count: Int, _ scalars: inout Int, _ starts: inout [Int]
  ) {
    let byte = base[index]
    if byte & 0xC0 != 0x80 { scalars += 1 }
    if byte == UInt8(ascii: "\n") {
      starts.append(index + 1)
    } else if byte == UInt8(ascii: "\r"), index + 1 >= count || base[index + 1] != UInt8(ascii: "\n") {
      starts.append(index + 1)
    }
  }

  /// How many scalars start before byte `offset` (0 ≤ offset ≤ count). O(checkpointStride).
  func scalarCount(before offset: Int) -> Int {
    let block = offset / Self.checkpointStride
    var index = block * Self.checkpointStride
    // A checkpoint exists for every block start below `count`, plus a final one for `count` itself
    // (which is a block start only when `count` is a multiple of the stride, and then holds the
    // same value), so `scalarCheckpoints[block]` exists for every offset ≤ count.
    var scalars = scalarCheckpoints[block]
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      // Eight bytes at a time, as `index` counts them: continuation bytes are `10xxxxxx`.
      while offset - index >= 8 {
        let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
        scalars += Self.scalarStarts(word)
        index += 8
      }
      while index < offset {
        if base[index] & 0xC0 != 0x80 { scalars += 1 }
        index += 1
      }
    }
    return scalars
  }

  /// Convenience for tests and synthetic sources.
  public convenience init(path: String, text: String) {
    self.init(path: path, bytes: Array(text.utf8))
  }

  /// The zero-based line that contains `offset` (offsets past the end clamp to the last line).
  public func lineIndex(of offset: Int) -> Int {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    return low
  }

  /// One-based line and column (in Unicode scalars) of a byte offset. O(log lines) for the line,
  /// O(1) for the column (at most two checkpoint strides of bytes), however long the line.
  public func position(of offset: Int) -> SourcePosition {
    let clamped = max(0, min(offset, bytes.count))
    let line = lineIndex(of: clamped)
    let start = lineStarts[line]
    // Counts scalar starts: every byte that is not a UTF-8 continuation byte.
    let column = 1 + scalarCount(before: clamped) - scalarCount(before: start)
    return SourcePosition(line: line + 1, column: column)
  }

  /// The text of a one-based line without its terminator, decoded leniently as UTF-8.
  public func lineText(_ line: Int) -> String {
    guard line >= 1, line <= lineStarts.count else { return "" }
    let start = lineStarts[line - 1]
    var end = line < lineStarts.count ? lineStarts[line] : bytes.count
    while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
      end -= 1
    }
    return String(decoding: bytes[start..<end], as: UTF8.self)
  }

  /// The whole file decoded leniently as UTF-8 (invalid sequences become U+FFFD).
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  public var description: String { path }

  public static func == (lhs: SourceFile, rhs: SourceFile) -> Bool { lhs === rhs }
  public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A one-based line and column.
public struct SourcePosition: Sendable, Hashable, Codable, Comparable {
  public var line: Int
  public var column: Int
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }
  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }
}

/// A byte range in a source file: where a finding points.
public struct SourceRange: Sendable, Hashable {
  public let file: SourceFile
  public let start: Int
  public let end: Int
  /// False when the range is only known to the line (e.g. inside a base64 body, which maps back to
  /// the encoded line, not to a column).
  public let hasColumn: Bool

  public init(file: SourceFile, start: Int, end: Int, hasColumn: Bool = true) {
    self.file = file
    self.start = start
    self.end = max(start, end)
    self.hasColumn = hasColumn
  }

  public var startPosition: SourcePosition { file.position(of: start) }
  public var endPosition: SourcePosition { file.position(of: end) }
}
