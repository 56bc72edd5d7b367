import Testing

@testable import SendlintMIME

/// `Charset.isValidUTF8` against the stdlib's UTF-8 decoder it replaced: every one- and two-byte
/// input, every three-byte input, four-byte inputs over every lead and second byte, each at every
/// offset of an eight-byte word and after ASCII runs, and truncated sequences at the end.
@Suite struct UTF8ValidationTests {
  static func reference(_ bytes: ArraySlice<UInt8>) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue: continue
      case .emptyInput: return true
      case .error: return false
      }
    }
  }

  static func agree(_ bytes: [UInt8]) -> Bool { Charset.isValidUTF8(bytes[...]) == reference(bytes[...]) }

  @Test func everyShortInput() {
    var wrong: [[UInt8]] = []
    for a in 0...255 {
      if !Self.agree([UInt8(a)]) { wrong.append([UInt8(a)]) }
      for b in 0...255 {
        let pair = [UInt8(a), UInt8(b)]
        if !Self.agree(pair) { wrong.append(pair) }
        guard a >= 0xC0 else { continue }
        for c in 0...255 where !Self.agree([UInt8(a), UInt8(b), UInt8(c)]) {
          wrong.append([UInt8(a), UInt8(b), UInt8(c)])
        }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(5))")
  }

  @Test func fourByteSequences() {
    var wrong: [[UInt8]] = []
    for lead in 0xF0...0xFF {
      for second in 0...255 {
        for third: UInt8 in [0x7F, 0x80, 0xBF, 0xC0] {
          for fourth: UInt8 in [0x41, 0x80, 0x9F, 0xBF, 0xC0, 0xFF] {
            let bytes = [UInt8(lead), UInt8(second), third, fourth]
            if !Self.agree(bytes) { wrong.append(bytes) }
          }
        }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(5))")
  }

  @Test func sequencesAtEveryAlignmentAndTruncated() {
    let samples: [[UInt8]] = [
      Array("é".utf8), Array("€".utf8), Array("😀".utf8), Array("\u{10FFFF}".utf8), [0xED, 0xA0, 0x80],
      [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xFF],
    ]
    for sample in samples {
      for lead in 0..<17 {
        for tail in [0, 1, 9] {
          let ascii = [UInt8](repeating: UInt8(ascii: "a"), count: lead)
          let bytes = ascii + sample + [UInt8](repeating: UInt8(ascii: "z"), count: tail)
          #expect(Self.agree(bytes), "\(bytes)")
          for cut in 1..<sample.count {
            #expect(Self.agree(ascii + sample.prefix(cut)), "\(sample) cut at \(cut)")
          }
        }
      }
    }
    // A slice that does not start at index 0 of its array.
    let array = Array("abc\u{00E9}defghijklmnop".utf8)
    #expect(Charset.isValidUTF8(array[3...]) && !Charset.isValidUTF8(array[4...]))
  }
}
