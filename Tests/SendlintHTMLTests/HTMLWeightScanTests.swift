import Testing

@testable import SendlintHTML

/// `HTMLWeight.measure` scans a buffer (and finds `-->`, `>` and `</style` with memchr) instead
/// of an array: its figures must be those of the array scan it replaced, kept here as it was.
@Suite struct HTMLWeightScanTests {
  static func same(_ a: HTMLWeight, _ b: HTMLWeight) -> Bool {
    a.styleElementBytes == b.styleElementBytes && a.styleAttributeBytes == b.styleAttributeBytes
      && a.dataURIBytes == b.dataURIBytes && a.commentBytes == b.commentBytes
      && a.collapsibleWhitespaceBytes == b.collapsibleWhitespaceBytes
      && a.largest?.kind == b.largest?.kind && a.largest?.start == b.largest?.start
      && a.largest?.end == b.largest?.end
  }

  @Test func agreesWithTheArrayScan() {
    let pieces = [
      "<p>", "  ", "\n\t", "<!-- note -->", "<!--[if mso]><table><![endif]-->", "<STYLE>a{b:c}</StYlE>",
      "<style type=x>.a{}", "</style>", "<div style=\"color:red\" class='x'>",
      "<img src=data:image/png;base64,AAAA>",
      "<a href=' data:text/html,x'>", "<b/>", "<", ">", "-->", "<!--", "<style", "text é ", "<x style=a", "'",
      "\"", "a long run of text, spaces and words", "abcdefghijklmnopqrstuvwxyz<b>0123456789",
      "\u{1}\u{7F}controls\u{0B}x", "€€€€€€€€<i>",
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var wrong: [String] = []
    for length in 0..<400 {
      var html = ""
      for _ in 0..<(length % 40) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        html += pieces[Int(state >> 33) % pieces.count]
      }
      let bytes = Array(html.utf8)
      if !Self.same(HTMLWeight.measure(bytes), ReferenceWeight.measure(bytes)) { wrong.append(html) }
      // Every prefix of the document, so each construct is also cut short at the end.
      if length % 40 == 39 {
        for cut in 0..<bytes.count
        where !Self.same(
          HTMLWeight.measure(Array(bytes[..<cut])), ReferenceWeight.measure(Array(bytes[..<cut])))
        {
          wrong.append(String(decoding: bytes[..<cut], as: UTF8.self))
        }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(3))")
  }
}

/// The array scan as it was before the buffer scan.
enum ReferenceWeight {
  static func lower(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  /// Whether `bytes[at...]` starts with `pattern` (lowercase ASCII), ignoring ASCII case.
  static func matches(_ bytes: [UInt8], _ at: Int, _ pattern: StaticString) -> Bool {
    let count = pattern.utf8CodeUnitCount
    guard at + count <= bytes.count else { return false }
    return pattern.withUTF8Buffer { buffer in
      for index in 0..<count where lower(bytes[at + index]) != buffer[index] { return false }
      return true
    }
  }

  /// Index of the first `pattern` (lowercase ASCII) at or after `from`, ignoring case; `bytes.count` when absent.
  static func find(_ bytes: [UInt8], _ from: Int, _ pattern: StaticString) -> Int {
    var index = from
    let first = pattern.withUTF8Buffer { $0[0] }
    while index < bytes.count {
      if lower(bytes[index]) == first, matches(bytes, index, pattern) { return index }
      index += 1
    }
    return bytes.count
  }

  /// Measures `bytes`. O(n): every byte is visited a bounded number of times.
  static func measure(_ bytes: [UInt8]) -> HTMLWeight {
    var weight = HTMLWeight()
    var index = 0
    let count = bytes.count
    var runStart = -1
    while index < count {
      let byte = bytes[index]
      if HTMLWeight.isSpace(byte) {
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
          HTMLWeight.isSpace(bytes[index + 6]) || bytes[index + 6] == UInt8(ascii: ">")
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
  static func scanTag(_ bytes: [UInt8], _ start: Int, _ weight: inout HTMLWeight) -> Int {
    let count = bytes.count
    var index = start
    while index < count, !HTMLWeight.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"),
      bytes[index] != UInt8(ascii: "/")
    { index += 1 }
    while index < count {
      while index < count, HTMLWeight.isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") {
        index += 1
      }
      guard index < count, bytes[index] != UInt8(ascii: ">") else { return min(count, index + 1) }
      let nameStart = index
      while index < count, !HTMLWeight.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
        bytes[index] != UInt8(ascii: ">")
      { index += 1 }
      let isStyle = index - nameStart == 5 && matches(bytes, nameStart, "style")
      while index < count, HTMLWeight.isSpace(bytes[index]) { index += 1 }
      guard index < count, bytes[index] == UInt8(ascii: "=") else { continue }
      index += 1
      while index < count, HTMLWeight.isSpace(bytes[index]) { index += 1 }
      guard index < count else { break }
      let valueStart: Int
      let valueEnd: Int
      if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
        let quote = bytes[index]
        valueStart = index + 1
        var end = valueStart
        while end < count, bytes[end] != quote { end += 1 }
        valueEnd = end
        index = min(count, end + 1)
      } else {
        valueStart = index
        while index < count, !HTMLWeight.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") {
          index += 1
        }
        valueEnd = index
      }
      if isStyle {
        weight.note(.styleAttribute, valueStart, valueEnd)
      } else {
        var at = valueStart
        while at < valueEnd, HTMLWeight.isSpace(bytes[at]) { at += 1 }
        if matches(bytes, at, "data:") { weight.note(.dataURI, at, valueEnd) }
      }
    }
    return count
  }
}
