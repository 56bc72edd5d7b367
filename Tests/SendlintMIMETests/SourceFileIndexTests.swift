import SendlintCore
import SendlintMIME
import Testing

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

  @Test func pseudoRandomMail() {
    // A fixed linear congruential sequence over a mail-like alphabet: reproducible, no seeds.
    let alphabet: [[UInt8]] = [
      [0x61], [0x20], [0x3D], [0x0A], [0x0D], [0x0D, 0x0A], Array("ü".utf8), Array("中".utf8), [0xF0, 0x9F],
      [0xFF],
    ]
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    for length in [0, 1, 7, 8, 9, 63, 64, 65, 200, 1_000] {
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
