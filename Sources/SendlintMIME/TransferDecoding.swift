import SendlintCore

/// Content-Transfer-Encoding decoders (RFC 2045 §6). Lenient as mail clients are: bad input is
/// kept or skipped, never an error.
public enum TransferDecoding {
  /// Quoted-printable (RFC 2045 §6.7). `=XX` decodes, `=` before a line break is a soft break and
  /// vanishes, a malformed `=` is kept literally. Exact offset map. O(n).
  public static func quotedPrintable(_ input: ArraySlice<UInt8>, base: Int) -> (
    bytes: [UInt8], map: OffsetMap
  ) {
    var out = [UInt8]()
    out.reserveCapacity(input.count)
    var map = OffsetMap()
    map.add(decoded: 0, source: base, exact: true)
    var index = input.startIndex
    let end = input.endIndex
    while index < end {
      let byte = input[index]
      if byte == UInt8(ascii: "=") {
        // Soft line break: "=" then optional trailing whitespace then CRLF or LF.
        var probe = index + 1
        while probe < end, input[probe] == UInt8(ascii: " ") || input[probe] == UInt8(ascii: "\t") {
          probe += 1
        }
        if probe < end, input[probe] == UInt8(ascii: "\r") || input[probe] == UInt8(ascii: "\n") {
          // CR CR LF (a CRLF file converted once more) is one line break, as Python's binascii
          // reads it: every CR of the run, then the LF.
          while input[probe] == UInt8(ascii: "\r"), probe + 1 < end,
            input[probe + 1] == UInt8(ascii: "\r") || input[probe + 1] == UInt8(ascii: "\n")
          {
            probe += 1
          }
          index = probe + 1
          map.add(decoded: out.count, source: base + (index - input.startIndex), exact: true)
          continue
        }
        if probe == end {
          // "=" (and blanks) at the very end of the body: a soft break with nothing after it.
          index = end
          continue
        }
        if index + 2 < end, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
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

  /// Base64 (RFC 2045 §6.8), skipping characters outside the alphabet; padding ends the line's data.
  /// Offsets map to the start of the encoded line. O(n).
  public static func base64(_ input: ArraySlice<UInt8>, base: Int) -> (bytes: [UInt8], map: OffsetMap) {
    var out = [UInt8]()
    out.reserveCapacity(input.count * 3 / 4)
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
      } else if let value = base64Value(byte) {
        accumulator = accumulator << 6 | UInt32(value)
        bits += 6
        if bits >= 8 {
          bits -= 8
          out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
        }
      } else if byte == UInt8(ascii: "=") {
        // Padding ends the data (RFC 2045 §6.8). Senders that concatenate encoded blocks start
        // each on a new line, so decoding resumes at the next line; the rest of this one is junk.
        accumulator = 0
        bits = 0
        while index + 1 < input.endIndex, input[index + 1] != UInt8(ascii: "\n") { index += 1 }
      }
      index += 1
    }
    if map.segments.isEmpty { map.add(decoded: 0, source: base, exact: false) }
    return (out, map)
  }

  /// Decodes a whole base64 string without position tracking (RFC 2047 "B" words).
  public static func base64(_ text: some Sequence<UInt8>) -> [UInt8] {
    base64(ArraySlice(Array(text)), base: 0).bytes
  }

  @inline(__always)
  static func hexValue(_ byte: UInt8) -> UInt8? { PercentDecoding.hexValue(byte) }

  @inline(__always)
  static func base64Value(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
    case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
    default: nil
    }
  }
}
