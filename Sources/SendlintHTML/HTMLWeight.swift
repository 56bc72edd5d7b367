#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What makes an HTML document heavy, in bytes: the parts a sender can shrink when a message is
/// too large for Gmail to show in full.
///
/// One pass over the bytes, O(n), no allocation beyond the result. The scanner is deliberately
/// lexical, not a tokenizer: it measures, it does not judge structure.
/// - `<style>` element contents (up to `</style`, ASCII case-insensitive; HTML §13.2.5.1 raw text);
/// - `style` attribute values inside a start tag (`style="…"`, `style='…'`, unquoted);
/// - `data:` URIs (RFC 2397) in attribute values or CSS `url(…)`: up to a quote, `)`, `>` or whitespace;
/// - comments (`<!-- … -->`) other than Outlook's conditional blocks (`<!--[if …]>`), which carry markup;
/// - whitespace that could be collapsed: in every run of ASCII whitespace, all bytes but one.
public struct HTMLWeight: Sendable {
  /// What a contributor is.
  public enum Kind: String, Sendable, Hashable {
    case styleElement = "<style> CSS"
    case styleAttribute = "inline style attributes"
    case dataURI = "data: URIs (embedded images)"
    case comment = "HTML comments"
    case whitespace = "collapsible whitespace"
  }

  public var styleElementBytes = 0
  public var styleAttributeBytes = 0
  public var dataURIBytes = 0
  public var commentBytes = 0
  public var collapsibleWhitespaceBytes = 0
  /// The largest single contributor that is one span (a `<style>` element, a `style` value, a
  /// `data:` URI, a comment), as offsets into the measured bytes.
  public var largest: (kind: Kind, start: Int, end: Int)?

  public init() {}

  /// Each kind's total, largest first (kinds with no bytes left out).
  public var totals: [(kind: Kind, bytes: Int)] {
    let all: [(Kind, Int)] = [
      (.styleElement, styleElementBytes), (.styleAttribute, styleAttributeBytes), (.dataURI, dataURIBytes),
      (.comment, commentBytes), (.whitespace, collapsibleWhitespaceBytes),
    ]
    return all.filter { $0.1 > 0 }.sorted { $0.1 > $1.1 }.map { (kind: $0.0, bytes: $0.1) }
  }

  mutating func note(_ kind: Kind, _ start: Int, _ end: Int) {
    let length = end - start
    guard length > 0 else { return }
    switch kind {
    case .styleElement: styleElementBytes += length
    case .styleAttribute: styleAttributeBytes += length
    case .dataURI: dataURIBytes += length
    case .comment: commentBytes += length
    case .whitespace:
      collapsibleWhitespaceBytes += length
      return
    }
    if let current = largest, current.end - current.start >= length { return }
    largest = (kind, start, end)
  }

  static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
  }

  static func lower(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  /// Whether `bytes[at...]` starts with `pattern` (lowercase ASCII), ignoring ASCII case.
  static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int, _ pattern: StaticString) -> Bool {
    let count = pattern.utf8CodeUnitCount
    guard at + count <= bytes.count else { return false }
    return pattern.withUTF8Buffer { buffer in
      for index in 0..<count where lower(bytes[at + index]) != buffer[index] { return false }
      return true
    }
  }

  /// Index of the first `pattern` (lowercase ASCII) at or after `from`, ignoring case; `bytes.count` when absent.
  /// A pattern starting with a byte that is not a letter (`-->`, `>`, `</style`) is its own
  /// lowercase, so memchr finds the candidates.
  static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ pattern: StaticString) -> Int {
    var index = from
    let first = pattern.withUTF8Buffer { $0[0] }
    if let base = bytes.baseAddress, lower(first) == first,
      first < UInt8(ascii: "a") || first > UInt8(ascii: "z")
    {
      while index < bytes.count {
        guard let hit = memchr(base + index, Int32(first), bytes.count - index) else { return bytes.count }
        index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        if matches(bytes, index, pattern) { return index }
        index += 1
      }
      return bytes.count
    }
    while index < bytes.count {
      if lower(bytes[index]) == first, matches(bytes, index, pattern) { return index }
      index += 1
    }
    return bytes.count
  }

  /// Measures `bytes`. O(n): every byte is visited a bounded number of times.
  public static func measure(_ bytes: [UInt8]) -> HTMLWeight {
    bytes.withUnsafeBufferPointer { measure($0) }
  }

  /// The same over a buffer: the scan reads bytes without an array's bounds checks (it was 2% of
  /// a newsletter lint).
  static func measure(_ bytes: UnsafeBufferPointer<UInt8>) -> HTMLWeight {
    var weight = HTMLWeight()
    var index = 0
    let count = bytes.count
    var runStart = -1
    while index < count {
      let byte = bytes[index]
      if isSpace(byte) {
        if runStart < 0 { runStart = index }
        index += 1
        continue
      }
      if runStart >= 0 {
        weight.note(.whitespace, runStart + 1, index)
        runStart = -1
      }
      if byte == UInt8(ascii: "<") {
        if matches(bytes, index, "<!--") {
          let close = find(bytes, index + 4, "-->")
          let end = min(count, close + 3)
          if !matches(bytes, index + 4, "[if") { weight.note(.comment, index, end) }
          // Conditional blocks hold markup for Outlook: measure inside them too.
          index = matches(bytes, index + 4, "[if") ? index + 4 : end
          continue
        }
        if matches(bytes, index, "<style"), index + 6 < count,
          isSpace(bytes[index + 6]) || bytes[index + 6] == UInt8(ascii: ">")
        {
          let open = find(bytes, index + 6, ">")
          let close = find(bytes, open, "</style")
          weight.note(.styleElement, min(count, open + 1), close)
          // data: URIs inside CSS count once, as CSS.
          index = close
          if index < count { index += 7 }
          continue
        }
        if index + 1 < count,
          lower(bytes[index + 1]) >= UInt8(ascii: "a") && lower(bytes[index + 1]) <= UInt8(ascii: "z")
        {
          index = scanTag(bytes, index + 1, &weight)
          continue
        }
      }
      index += 1
    }
    if runStart >= 0 { weight.note(.whitespace, runStart + 1, count) }
    return weight
  }

  /// Reads a start tag's attributes from `start` (just after `<`) to its `>`; returns the index after it.
  static func scanTag(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ weight: inout HTMLWeight) -> Int {
    let count = bytes.count
    var index = start
    while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"),
      bytes[index] != UInt8(ascii: "/")
    { index += 1 }
    while index < count {
      while index < count, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") { index += 1 }
      guard index < count, bytes[index] != UInt8(ascii: ">") else { return min(count, index + 1) }
      let nameStart = index
      while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
        bytes[index] != UInt8(ascii: ">")
      { index += 1 }
      let isStyle = index - nameStart == 5 && matches(bytes, nameStart, "style")
      while index < count, isSpace(bytes[index]) { index += 1 }
      guard index < count, bytes[index] == UInt8(ascii: "=") else { continue }
      index += 1
      while index < count, isSpace(bytes[index]) { index += 1 }
      guard index < count else { break }
      let valueStart: Int
      let valueEnd: Int
      if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
        let quote = bytes[index]
        valueStart = index + 1
        var end = count
        if let base = bytes.baseAddress, valueStart < count,
          let hit = memchr(base + valueStart, Int32(quote), count - valueStart)
        {
          end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        valueEnd = end
        index = min(count, end + 1)
      } else {
        valueStart = index
        while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
        valueEnd = index
      }
      if isStyle {
        weight.note(.styleAttribute, valueStart, valueEnd)
      } else {
        var at = valueStart
        while at < valueEnd, isSpace(bytes[at]) { at += 1 }
        if matches(bytes, at, "data:") { weight.note(.dataURI, at, valueEnd) }
      }
    }
    return count
  }
}
