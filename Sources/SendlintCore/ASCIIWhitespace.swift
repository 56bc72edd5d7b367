extension UInt8 {
  /// ASCII whitespace as the WHATWG standards define it (HTML, URL, Encoding): tab, LF, FF, CR
  /// and space. The one definition every byte-level reader here uses.
  @inlinable public var isASCIIWhitespace: Bool {
    self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0C || self == 0x0D
  }
}

extension StringProtocol {
  /// Without leading and trailing ASCII whitespace (tab, LF, FF, CR, space). Works on UTF-8
  /// bytes (ASCII bytes are ASCII code points), so a CRLF pair (one Character) is trimmed too.
  /// Inlinable so callers in other modules get a specialised copy, not generic witness calls.
  @inlinable public func trimmingASCIIWhitespace() -> String {
    let bytes = utf8
    guard let first = bytes.firstIndex(where: { !$0.isASCIIWhitespace }) else { return "" }
    // Forward (StringProtocol's UTF8View is only a Collection): just past the last non-space.
    var end = bytes.index(after: first)
    var index = end
    while index < bytes.endIndex {
      let next = bytes.index(after: index)
      if !bytes[index].isASCIIWhitespace { end = next }
      index = next
    }
    if first == bytes.startIndex, end == bytes.endIndex, let whole = self as? String { return whole }
    return String(decoding: bytes[first..<end], as: UTF8.self)
  }
}

extension StringProtocol {
  /// Whether any byte is not ASCII whitespace: `!trimmingASCIIWhitespace().isEmpty`, without
  /// walking to the end or building the trimmed string (a visible-text test made per text run).
  @inlinable package var containsNonASCIIWhitespace: Bool { utf8.contains { !$0.isASCIIWhitespace } }
}

extension String {
  /// The same trim for a String, on its contiguous UTF-8: the end is found from the back, and a
  /// String with nothing to trim is returned as it is (the generic one walks every byte forward,
  /// as a StringProtocol's UTF-8 view is only a Collection). `ASCIITrimTests` compares the two.
  @inlinable package func trimmingASCIIWhitespace() -> String {
    var text = self
    return text.withUTF8 { bytes in
      var start = 0
      var end = bytes.count
      while start < end, bytes[start].isASCIIWhitespace { start += 1 }
      while end > start, bytes[end - 1].isASCIIWhitespace { end -= 1 }
      if start == 0, end == bytes.count { return self }
      return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
  }
}

extension StringProtocol {
  /// `split(maxSplits:omittingEmptySubsequences:whereSeparator:)` for separators that are ASCII
  /// characters, on UTF-8 bytes when the text is ASCII (nearly every header value and URL): the
  /// Character split costs a grapheme-breaking step per character. The result is the Character
  /// split's, exactly: in ASCII text every Character is one byte except CR LF, which is kept
  /// whole (a CR LF Character equals neither "\r" nor "\n"); text with any other byte is split by
  /// Character, a Character being a separator when it is one ASCII scalar the predicate accepts.
  @inlinable public func splitASCII(
    maxSplits: Int = Int.max, omittingEmptySubsequences: Bool = true,
    whereSeparator isSeparator: (UInt8) -> Bool
  ) -> [SubSequence] {
    let bytes = utf8
    guard bytes.isAllASCII else {
      return split(maxSplits: maxSplits, omittingEmptySubsequences: omittingEmptySubsequences) { character in
        let scalars = character.unicodeScalars
        guard let scalar = scalars.first, scalar.isASCII,
          scalars.index(after: scalars.startIndex) == scalars.endIndex
        else { return false }
        return isSeparator(UInt8(scalar.value))
      }
    }
    // The standard library's algorithm, over byte offsets of contiguous UTF-8 (a native String's
    // or Substring's; a copy otherwise): stepping `String.Index` byte by byte cost about 30
    // instructions a byte on hrefs of hundreds. Offsets become indices only where a piece starts
    // or ends (O(1) each on UTF-8).
    func pieces(_ buffer: UnsafeBufferPointer<UInt8>) -> [SubSequence] {
      var result: [SubSequence] = []
      func piece(_ lower: Int, _ upper: Int) -> SubSequence {
        self[bytes.index(bytes.startIndex, offsetBy: lower)..<bytes.index(bytes.startIndex, offsetBy: upper)]
      }
      var start = 0
      let end = buffer.count
      if maxSplits == 0 || end == 0 {
        if end != 0 || !omittingEmptySubsequences { result.append(piece(0, end)) }
        return result
      }
      var index = 0
      while index != end {
        let byte = buffer[index]
        if byte == 0x0D, index + 1 != end, buffer[index + 1] == 0x0A {
          index += 2
          continue
        }
        if isSeparator(byte) {
          let appended = !(start == index && omittingEmptySubsequences)
          if appended { result.append(piece(start, index)) }
          start = index + 1
          index += 1
          if appended && result.count == maxSplits { break }
          continue
        }
        index += 1
      }
      if start != end || !omittingEmptySubsequences { result.append(piece(start, end)) }
      return result
    }
    return bytes.withContiguousStorageIfAvailable(pieces) ?? Array(bytes).withUnsafeBufferPointer(pieces)
  }

  /// `split(separator:maxSplits:omittingEmptySubsequences:)` for one ASCII separator, as
  /// `splitASCII(whereSeparator:)` computes it.
  @inlinable public func splitASCII(
    separator: UInt8, maxSplits: Int = Int.max, omittingEmptySubsequences: Bool = true
  ) -> [SubSequence] {
    splitASCII(maxSplits: maxSplits, omittingEmptySubsequences: omittingEmptySubsequences) { $0 == separator }
  }
}

extension String {
  /// `bytes` as UTF-8 text with A–Z lowercased, written straight into the string's storage: one
  /// allocation at most (none up to 15 bytes), where `String(decoding: bytes.map { … })` made an
  /// array and then a string. Invalid UTF-8 is repaired as `String(decoding:as:)` repairs it.
  @inlinable package init(asciiLowercasing bytes: some Collection<UInt8>) {
    self.init(unsafeUninitializedCapacity: bytes.count) { buffer in
      var count = 0
      for byte in bytes {
        buffer[count] = byte &- 0x41 < 26 ? byte | 0x20 : byte
        count += 1
      }
      return count
    }
  }
}

extension UInt8 {
  /// The bytes of the whitespace Characters of ASCII text (Unicode White_Space below 0x80): TAB,
  /// LF, VT, FF, CR and SPACE. In ASCII text `Character.isWhitespace` holds exactly for these
  /// bytes and for CR LF, so a split on them gives the words a Character split gives.
  @inlinable package var isASCIIWhiteSpaceCharacter: Bool { self == 0x20 || (0x09...0x0D).contains(self) }
}

extension String {
  /// The words of `bytes` (split where `isSeparator` holds, empty ones dropped) joined by single
  /// spaces: `split(whereSeparator:)` then `joined(separator: " ")` in one pass, written straight
  /// into the string (the split built an array of slices, the join a string per word). Meant for
  /// ASCII separators over ASCII text, where it gives that pair's result byte for byte.
  @inlinable package init(wordsOf bytes: some Collection<UInt8>, separatedBy isSeparator: (UInt8) -> Bool) {
    self.init(unsafeUninitializedCapacity: bytes.count) { buffer in
      var count = 0
      var pendingSpace = false
      for byte in bytes {
        if isSeparator(byte) {
          pendingSpace = count > 0
          continue
        }
        if pendingSpace {
          buffer[count] = 0x20
          count += 1
          pendingSpace = false
        }
        buffer[count] = byte
        count += 1
      }
      return count
    }
  }
}
