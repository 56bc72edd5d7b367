import SendlintCore
import SendlintMIME
import Testing

/// `TransferDecoding.quotedPrintable` copies the run up to each "=" at once; its bytes and its
/// offset map must be the ones the byte-by-byte loop (kept here as the reference) gave.
@Suite struct QuotedPrintableRunTests {
  static func reference(_ input: ArraySlice<UInt8>, base: Int) -> (bytes: [UInt8], map: OffsetMap) {
    var out = [UInt8]()
    var map = OffsetMap()
    map.add(decoded: 0, source: base, exact: true)
    var index = input.startIndex
    let end = input.endIndex
    func hex(_ byte: UInt8) -> UInt8? {
      switch byte {
      case 0x30...0x39: byte - 0x30
      case 0x41...0x46: byte - 0x41 + 10
      case 0x61...0x66: byte - 0x61 + 10
      default: nil
      }
    }
    while index < end {
      let byte = input[index]
      if byte == UInt8(ascii: "=") {
        var probe = index + 1
        while probe < end, input[probe] == 0x20 || input[probe] == 0x09 { probe += 1 }
        if probe < end, input[probe] == 0x0D || input[probe] == 0x0A {
          while input[probe] == 0x0D, probe + 1 < end, input[probe + 1] == 0x0D || input[probe + 1] == 0x0A {
            probe += 1
          }
          index = probe + 1
          map.add(decoded: out.count, source: base + (index - input.startIndex), exact: true)
          continue
        }
        if probe == end {
          index = end
          continue
        }
        if index + 2 < end, let high = hex(input[index + 1]), let low = hex(input[index + 2]) {
          map.add(decoded: out.count, source: base + (index - input.startIndex), exact: true)
          out.append(high << 4 | low)
          index += 3
          map.add(decoded: out.count, source: base + (index - input.startIndex), exact: true)
          continue
        }
      }
      out.append(byte)
      index += 1
    }
    return (out, map)
  }

  @Test func runsDecodeAsTheByteLoopDecodes() {
    var texts = [
      "", "plain", "=", "==", "=3D", "=3d=20x", "a=\r\nb", "a=  \r\nb", "a=\nb", "a=\r\r\nb", "=\r", "x=4",
      "x=4G", "=ZZ", "caf=C3=A9 ok=\r\n", "line one\r\nline=20two=\r\n=3D=3D end=", "= \t", "soft= \n",
    ]
    // Pseudo-random mixes of the bytes that matter.
    let pieces = ["a", "=", "3", "D", "\r", "\n", " ", "\t", "f", "=\r\n", "=3D", "\u{E9}"]
    var state: UInt64 = 42
    for _ in 0..<400 {
      var text = ""
      for _ in 0..<30 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text += pieces[Int(state >> 33) % pieces.count]
      }
      texts.append(text)
    }
    for text in texts {
      let bytes = Array(("<<" + text + ">>").utf8)
      // A slice inside a larger buffer, as bodies are decoded.
      let slice = bytes[2..<(bytes.count - 2)]
      let decoded = TransferDecoding.quotedPrintable(slice, base: 100)
      let expected = Self.reference(slice, base: 100)
      #expect(decoded.bytes == expected.bytes, "\(text.debugDescription)")
      for offset in 0...expected.bytes.count {
        #expect(
          decoded.map.source(for: offset).offset == expected.map.source(for: offset).offset,
          "\(text.debugDescription) at \(offset)")
        #expect(decoded.map.source(for: offset).exact == expected.map.source(for: offset).exact)
      }
    }
  }
}
