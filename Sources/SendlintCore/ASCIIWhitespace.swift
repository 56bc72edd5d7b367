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
    guard bytes.allSatisfy({ $0 < 0x80 }) else {
      return split(maxSplits: maxSplits, omittingEmptySubsequences: omittingEmptySubsequences) { character in
        let scalars = character.unicodeScalars
        guard let scalar = scalars.first, scalar.isASCII,
          scalars.index(after: scalars.startIndex) == scalars.endIndex
        else { return false }
        return isSeparator(UInt8(scalar.value))
      }
    }
    // The standard library's algorithm, over bytes.
    var result: [SubSequence] = []
    var start = bytes.startIndex
    let end = bytes.endIndex
    func append(upTo index: String.Index) -> Bool {
      if start == index && omittingEmptySubsequences { return false }
      result.append(self[start..<index])
      return true
    }
    if maxSplits == 0 || start == end {
      _ = append(upTo: end)
      return result
    }
    var index = start
    while index != end {
      let byte = bytes[index]
      let next = bytes.index(after: index)
      if byte == 0x0D, next != end, bytes[next] == 0x0A {
        index = bytes.index(after: next)
        continue
      }
      if isSeparator(byte) {
        let appended = append(upTo: index)
        start = next
        index = next
        if appended && result.count == maxSplits { break }
        continue
      }
      index = next
    }
    if start != end || !omittingEmptySubsequences { result.append(self[start..<end]) }
    return result
  }

  /// `split(separator:maxSplits:omittingEmptySubsequences:)` for one ASCII separator, as
  /// `splitASCII(whereSeparator:)` computes it.
  @inlinable public func splitASCII(
    separator: UInt8, maxSplits: Int = Int.max, omittingEmptySubsequences: Bool = true
  ) -> [SubSequence] {
    splitASCII(maxSplits: maxSplits, omittingEmptySubsequences: omittingEmptySubsequences) { $0 == separator }
  }
}
