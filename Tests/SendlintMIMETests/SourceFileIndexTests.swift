import SendlintCore
import Testing

@testable import SendlintMIME

/// `SourceFile`'s line index reads eight bytes at a time; these compare it, at every offset, with
/// the plain byte loop it replaced (line starts after LF, after a lone CR, never between CR and LF;
/// columns in scalars). Inputs put line breaks and multi-byte scalars on both sides of every word
/// and checkpoint boundary.
@Suite struct SourceFileIndexTests {
  /// The reference: line starts and the one-based (line, column) of every offset 0...count.
  static func reference(_ bytes: [UInt8]) -> (starts: [Int], positions: [SourcePosition]) {
    var starts = [0]
    for (index, byte) in bytes.enumerated() {
      if byte == 0x0A || (byte == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) {
        starts.append(index + 1)
      }
    }
    var positions: [SourcePosition] = []
    var line = 0
    for offset in 0...bytes.count {
      while line + 1 < starts.count, starts[line + 1] <= offset { line += 1 }
      let column = 1 + bytes[starts[line]..<offset].filter { $0 & 0xC0 != 0x80 }.count
      positions.append(SourcePosition(line: line + 1, column: column))
    }
    return (starts, positions)
  }

  static func check(_ bytes: [UInt8]) {
    let file = SourceFile(path: "t", bytes: bytes)
    let expected = reference(bytes)
    #expect(file.lineStarts == expected.starts, "\(bytes)")
    for offset in 0...bytes.count where file.position(of: offset) != expected.positions[offset] {
      Issue.record(
        "offset \(offset) of \(bytes.count): \(file.position(of: offset)) != \(expected.positions[offset])")
      return
    }
  }

  @Test func breaksAndScalarsAtEveryAlignment() {
    // "é" (2 bytes), "€" (3), "😀" (4), CRLF, lone CR, LF, and an invalid lone continuation byte.
    let pieces: [[UInt8]] = [
      Array("é".utf8), Array("€".utf8), Array("😀".utf8), [0x0D, 0x0A], [0x0D], [0x0A], [0x80], [0x0D, 0x0D],
    ]
    for piece in pieces {
      for lead in 0..<70 {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: lead)
        bytes += piece + Array("bcdefgh".utf8) + piece
        bytes += [UInt8](repeating: UInt8(ascii: "z"), count: 140 - lead)
        Self.check(bytes)
      }
    }
  }

  /// Blocks of nothing but continuation bytes (a checkpoint block of them counts 256), and of
  /// nothing but lead bytes, around line breaks.
  @Test func blocksOfContinuationBytes() {
    for byte: UInt8 in [0x80, 0xBF, 0xC3, 0xFF] {
      for lead in [0, 1, 7, 255] {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: lead)
        bytes += [UInt8](repeating: byte, count: 600) + [0x0A] + [UInt8](repeating: byte, count: 300)
        Self.check(bytes)
      }
    }
  }

  @Test func pseudoRandomMail() {
    // A fixed linear congruential sequence over a mail-like alphabet: reproducible, no seeds.
    let alphabet: [[UInt8]] = [
      [0x61], [0x20], [0x3D], [0x0A], [0x0D], [0x0D, 0x0A], Array("ü".utf8), Array("中".utf8), [0xF0, 0x9F],
      [0xFF],
    ]
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    for length in [0, 1, 7, 8, 9, 63, 64, 65, 200, 255, 256, 257, 511, 512, 513, 1_000, 3_000] {
      var bytes: [UInt8] = []
      while bytes.count < length {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes += alphabet[Int(state >> 33) % alphabet.count]
      }
      Self.check(bytes)
    }
  }

  @Test func emptyAndBreakOnlyFiles() {
    Self.check([])
    Self.check([0x0A])
    Self.check([0x0D])
    Self.check([UInt8](repeating: 0x0A, count: 100))
    Self.check(Array([UInt8](repeating: 0x0D, count: 17) + [0x0A]))
  }
}

/// The word-at-a-time line-break search and the memchr-driven quoted-printable sniffing, against
/// the byte loops they replaced, at every start and limit.
@Suite struct ByteScannerTests {
  static let samples: [[UInt8]] = [
    [],
    Array("no break at all, longer than one word".utf8),
    Array("a\r\nb\nc\rd\r\r\n".utf8),
    Array("0123456\n89abcdef\r0123456789ab\r\n".utf8),
    [UInt8](repeating: 0x0D, count: 9) + [UInt8](repeating: 0x8D, count: 9) + [0x0A],
  ]

  @Test func firstLineBreakMatchesTheByteLoop() {
    for bytes in Self.samples {
      for from in 0...bytes.count {
        for limit in from...bytes.count {
          let expected = (from..<limit).first { bytes[$0] == 0x0A || bytes[$0] == 0x0D }
          #expect(bytes.firstLineBreak(from: from, limit: limit) == expected, "\(bytes) \(from) \(limit)")
        }
      }
    }
  }

  /// The loop `looksQuotedPrintable` had: every "=" with two bytes after it.
  static func referenceLooksQuotedPrintable(_ body: ArraySlice<UInt8>) -> Bool {
    var equals = 0
    var breaks = 0
    var index = body.startIndex
    while index + 2 < body.endIndex {
      if body[index] == UInt8(ascii: "=") {
        if body[index + 1] == UInt8(ascii: "3"),
          body[index + 2] == UInt8(ascii: "D") || body[index + 2] == UInt8(ascii: "d")
        {
          equals += 1
        }
        if body[index + 1] == 0x0A
          || (body[index + 1] == 0x0D && (body[index + 2] == 0x0A || body[index + 2] == 0x0D))
        {
          breaks += 1
        }
      }
      if equals >= 3 && breaks >= 1 { return true }
      index += 1
    }
    return false
  }

  @Test func quotedPrintableSniffingMatchesTheByteLoop() {
    let texts = [
      "a=3Db=3dc=3D=\r\nd", "=3D=3D=3D", "=3D=3D=\n=3", "x=\r\r=3D=3D=3D", "==3D=3D=3D=\n", "=3D=3D=3D=\r",
      "plain text = not encoded\n", "=\n=\n=\n=3D=3D", "=3D=3D=\n=3D",
    ]
    for text in texts {
      let bytes = Array(("pre" + text).utf8)
      for start in 0...bytes.count {
        for end in start...bytes.count {
          let slice = bytes[start..<end]
          #expect(
            MIMEEntity.looksQuotedPrintable(slice) == Self.referenceLooksQuotedPrintable(slice),
            "\(text) \(start)..<\(end)")
        }
      }
    }
  }
}

/// Base64 decodes four letters at a time; bytes and line map must be the byte loop's.
@Suite struct Base64FastPathTests {
  static func reference(_ input: ArraySlice<UInt8>, base: Int) -> (bytes: [UInt8], map: [[Int]]) {
    var out: [UInt8] = []
    var map = OffsetMap()
    var accumulator: UInt32 = 0
    var bits = 0
    var atLineStart = true
    var index = input.startIndex
    while index < input.endIndex {
      let byte = input[index]
      if atLineStart {
        map.add(decoded: out.count, source: base + (index - input.startIndex), exact: false)
        atLineStart = false
      }
      if byte == UInt8(ascii: "\n") {
        atLineStart = true
      } else if let value = TransferDecoding.base64Value(byte) {
        accumulator = accumulator << 6 | UInt32(value)
        bits += 6
        if bits >= 8 {
          bits -= 8
          out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
        }
      } else if byte == UInt8(ascii: "=") {
        accumulator = 0
        bits = 0
        while index + 1 < input.endIndex, input[index + 1] != UInt8(ascii: "\n") { index += 1 }
      }
      index += 1
    }
    if map.segments.isEmpty { map.add(decoded: 0, source: base, exact: false) }
    return (out, map.segments.map { [$0.decoded, $0.source, $0.exact ? 1 : 0] })
  }

  @Test func agreesWithTheByteLoop() {
    let alphabet = Array("ABCXYZabcxyz0189+/-_=\n\r .*\u{7F}".utf8) + [0xC3, 0xFF]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var inputs: [[UInt8]] = [
      [], Array("TWFu".utf8), Array("TWFuIGlz\nIGRpc3Rp\r\nbmd1aXNo==\nZWQ=".utf8), Array("T W F u".utf8),
      Array("TWE=junk\nTWFu".utf8), Array("-_-_".utf8),
    ]
    for length in [1, 3, 4, 5, 7, 8, 63, 64, 65, 300] {
      var bytes: [UInt8] = []
      for _ in 0..<length {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        // Mostly letters, so four-letter groups occur at every alignment.
        let pick = Int(state >> 33) % 40
        bytes.append(pick < 26 ? alphabet[pick % 12] : alphabet[pick % alphabet.count])
      }
      inputs.append(bytes)
    }
    for input in inputs {
      for start in [0, 1] where start <= input.count {
        let slice = input[start...]
        let got = TransferDecoding.base64(slice, base: 7)
        let expected = Self.reference(slice, base: 7)
        #expect(got.bytes == expected.bytes, "\(input)")
        #expect(
          got.map.segments.map { [$0.decoded, $0.source, $0.exact ? 1 : 0] } == expected.map, "\(input)")
      }
    }
  }
}
