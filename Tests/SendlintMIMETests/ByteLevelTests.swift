import SendlintCore
import SendlintMIME
import Testing

/// Undeclared 8-bit text is read as Windows-1252, as mail clients show it.
@Suite struct CharsetReadingTests {
  @Test func undeclaredEightBitIsWindows1252() {
    // é (Latin-1 range, 2 UTF-8 bytes), € and – (0x80–0x9F table, 3 bytes), ÿ (0xFF).
    let raw: [UInt8] = Array("caf".utf8) + [0xE9, 0x20, 0x80, 0x20, 0x96, 0x20, 0xFF]
    let converted = Charset.toUTF8(raw, charset: nil)
    #expect(converted.text.string == "café € – ÿ")
    #expect(converted.lossy)
    // Offsets map back: "€" starts at decoded byte 6 and came from raw byte 5.
    #expect(converted.text.sourceOffset(for: 6).offset == 5)
    #expect(converted.text.sourceOffset(for: 10).offset == 7)
  }

  @Test func latin1LabelMeansWindows1252() {
    #expect(
      Charset.toUTF8([0x93, 0x68, 0x69, 0x94], charset: "ISO-8859-1").text.string == "\u{201C}hi\u{201D}")
  }
}

@Suite struct ByteSearchTests {
  @Test func firstByteRange() {
    let bytes = Array("a<!-<!--x-->-->".utf8)
    #expect(bytes.firstByteRange(of: Array("<!--".utf8)) == 4..<8)
    #expect(bytes[9...].firstByteRange(of: Array("-->".utf8)) == 9..<12)
    #expect(bytes.firstByteRange(of: Array("<![".utf8)) == nil)
    #expect(bytes.firstByteRange(of: Array("-->".utf8)) == 9..<12)
    #expect(bytes[13...].firstByteRange(of: Array("-->".utf8)) == nil)
    #expect(Array("ab".utf8).firstByteRange(of: Array("abc".utf8)) == nil)
    #expect(Array("abc".utf8).firstByteRange(of: Array("abc".utf8)) == 0..<3)
    #expect([UInt8]().firstByteRange(of: Array("a".utf8)) == nil)
    // As Foundation's `firstRange(of:)`, which the rules' byte-slice searches used: no empty match.
    #expect(bytes.firstByteRange(of: []) == nil)
    #expect(bytes[3...].firstByteRange(of: []) == bytes[3...].firstRange(of: [UInt8]()))
  }

  @Test func trimmingASCIIWhitespace() {
    #expect(" \t\u{0C}a b\r\n".trimmingASCIIWhitespace() == "a b")
    #expect("\r\n\r\n".trimmingASCIIWhitespace() == "")
    #expect("\u{00A0}x\u{00A0}".trimmingASCIIWhitespace() == "\u{00A0}x\u{00A0}")
    #expect(Array(" x".utf8).map(\.isASCIIWhitespace) == [true, false])
  }
}

/// The String trim and `containsNonASCIIWhitespace` against the generic StringProtocol trim:
/// every string of up to three pieces from whitespace, CR LF, other Unicode spaces, ASCII and
/// multi-byte letters, as Strings and as Substrings of a longer text.
@Suite struct ASCIITrimTests {
  static func generic<S: StringProtocol>(_ text: S) -> String { text.trimmingASCIIWhitespace() }

  @Test func stringTrimAgreesWithTheGenericOne() {
    let pieces = [
      "", " ", "\t", "\r\n", "\u{0C}", "\u{0B}", "\u{00A0}", "\u{2003}", "a", "é", "😀", "a b", "\r",
    ]
    var wrong: [String] = []
    for a in pieces {
      for b in pieces {
        for c in pieces {
          let text = a + b + c
          let trimmed = text.trimmingASCIIWhitespace()
          if trimmed != Self.generic(text) { wrong.append(text) }
          if text.containsNonASCIIWhitespace == Self.generic(text).isEmpty { wrong.append(text) }
          let inner = ("x" + text + "y").dropFirst().dropLast()
          if inner.trimmingASCIIWhitespace() != trimmed || inner.containsNonASCIIWhitespace == trimmed.isEmpty
          {
            wrong.append(text)
          }
        }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(5).map(\.debugDescription))")
  }
}

/// `isAllASCII` reads eight bytes at a time; it must answer what `allSatisfy { $0 < 0x80 }` does
/// for every length, every position of a non-ASCII byte and every alignment, on each storage it
/// is used on (an array, a slice, a String's and a Substring's UTF-8).
@Suite struct AllASCIITests {
  @Test func agreesWithTheByteLoop() {
    let backing = [UInt8](repeating: UInt8(ascii: "a"), count: 48)
    for start in 0..<8 {
      for length in 0...32 {
        for high in [nil, 0x80, 0xFF, 0xC3] as [UInt8?] {
          for position in high == nil ? [0] : Array(0..<max(length, 1)) where position < max(length, 1) {
            var bytes = backing
            if let high, length > 0 { bytes[start + position] = high }
            let slice = bytes[start..<(start + length)]
            let expected = slice.allSatisfy { $0 < 0x80 }
            #expect(slice.isAllASCII == expected, "start \(start) length \(length) at \(position)")
            #expect(Array(slice).isAllASCII == expected)
            let text = String(decoding: slice, as: UTF8.self)
            #expect(text.utf8.isAllASCII == text.utf8.allSatisfy { $0 < 0x80 })
            #expect(text.dropFirst().utf8.isAllASCII == text.dropFirst().utf8.allSatisfy { $0 < 0x80 })
          }
        }
      }
    }
    #expect(AnySequence([UInt8(0x41), 0x90]).isAllASCII == false)
    #expect(AnySequence([UInt8(0x41), 0x7F]).isAllASCII)
  }
}

/// `DisplayEscaping.escaped` answers printable ASCII from its bytes, and `containsBytes` stands in
/// for one-byte `contains` tests: each must give what the scalar loop and `contains(_:)` give.
@Suite struct EscapingFastPathTests {
  static func reference(_ text: String, keepingTabs: Bool) -> String {
    var output = ""
    for scalar in text.unicodeScalars {
      if DisplayEscaping.needsEscaping(scalar, keepingTabs: keepingTabs) {
        output += DisplayEscaping.escape(scalar)
      } else {
        output.unicodeScalars.append(scalar)
      }
    }
    return output
  }

  @Test func escapedAgreesWithTheScalarLoop() {
    var texts = ["", "plain text", "tab\there", "caf\u{E9}", "a\u{202E}b", "x\u{FEFF}", "\u{1F600} ok"]
    for value in UInt32(0)...0xFF {
      let scalar = Unicode.Scalar(value)!
      texts.append("ab" + String(scalar) + "cd")
      texts.append(String(scalar))
    }
    for text in texts {
      for keepingTabs in [false, true] {
        #expect(
          DisplayEscaping.escaped(text, keepingTabs: keepingTabs)
            == Self.reference(text, keepingTabs: keepingTabs),
          "\(text.debugDescription) \(keepingTabs)")
      }
    }
  }

  @Test func oneByteContainsBytesAgreesWithContains() {
    let texts = ["", "a", "a/b", "caf\u{E9}/", String(repeating: "x", count: 100) + "!", "\u{1F600}"]
    for text in texts {
      for needle in ["/", "!", " ", "<", "\u{0}"] {
        let byte = needle.utf8.first!
        #expect(text.containsBytes(needle) == text.utf8.contains(byte), "\(text.debugDescription) \(byte)")
      }
    }
  }
}

/// `String(asciiLowercasing:)` writes the string in place; it must give what lowercasing a copy
/// of the bytes and decoding it gave, invalid UTF-8 repaired alike, at the 15/16-byte boundary
/// where a string stops fitting inline.
@Suite struct ASCIILowercasingTests {
  @Test func agreesWithMappingThenDecoding() {
    let inputs: [[UInt8]] = [
      [], Array("A".utf8), Array("Content-Type".utf8), Array("ABCDEFGHIJKLMNO".utf8),
      Array("ABCDEFGHIJKLMNOP".utf8),
      Array("@[`{ AZaz09".utf8), Array("\u{C4}B\u{212A}".utf8), [0xFF], [0x41, 0xC3], [0xE2, 0x82, 0x41],
      (0...255).map { UInt8($0) },
    ]
    for bytes in inputs {
      let expected = String(decoding: bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
      #expect(String(asciiLowercasing: bytes) == expected, "\(bytes)")
      #expect(Array(String(asciiLowercasing: bytes[...]).utf8) == Array(expected.utf8), "\(bytes)")
    }
  }
}

/// `String(wordsOf:separatedBy:)` over ASCII text split at `isASCIIWhiteSpaceCharacter` must give
/// what splitting its Characters at `isWhitespace` and joining with spaces gives: CR LF, VT, FF
/// and the information separators (0x1C–0x1F, no White_Space) included.
@Suite struct ASCIIWordsTests {
  @Test func agreesWithTheCharacterSplit() {
    let pieces = [
      "a", "Bc", " ", "  ", "\t", "\r", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}", "!", "-",
    ]
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    var texts = ["", " ", "a", " a ", "a  b", "\r\na\r\n\r\nb\r\n", "\u{1C}a\u{1F}"]
    for _ in 0..<2_000 {
      texts.append((0..<(next() % 24)).map { _ in pieces[next() % pieces.count] }.joined())
    }
    var differing: [String] = []
    for text in texts
    where String(wordsOf: text.utf8, separatedBy: \.isASCIIWhiteSpaceCharacter)
      != text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    {
      differing.append(text)
    }
    let count = differing.count
    #expect(count == 0, "the first that differ: \(differing.prefix(5))")
    #expect(
      String(wordsOf: Array(" one\t two \r\n".utf8), separatedBy: \.isASCIIWhiteSpaceCharacter) == "one two")
  }
}
