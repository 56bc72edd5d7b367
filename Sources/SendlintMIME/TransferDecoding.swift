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
      if byte != UInt8(ascii: "=") {
        // Everything up to the next "=" is itself: copied in one run (memchr finds its end).
        let stop = input.firstIndex(ofByte: UInt8(ascii: "="), from: index + 1, to: end) ?? end
        out.append(contentsOf: input[index..<stop])
        index = stop
        continue
      }
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
      out.append(byte)
      index += 1
    }
    return (out, map)
  }

  /// Base64 (RFC 2045 §6.8), skipping characters outside the alphabet; padding ends the line's data.
  /// Offsets map to the start of the encoded line. O(n).
  public static func base64(_ input: ArraySlice<UInt8>, base: Int) -> (bytes: [UInt8], map: OffsetMap) {
    var map = OffsetMap()
    let capacity = input.count / 4 * 3 + 3
    let out = input.withUnsafeBufferPointer { source in
      base64Table.withUnsafeBufferPointer { table in
        [UInt8](unsafeUninitializedCapacity: capacity) { output, written in
          var count = 0
          var accumulator: UInt32 = 0
          var bits = 0
          var atLineStart = true
          var index = 0
          let end = source.count
          while index < end {
            if atLineStart {
              map.add(decoded: count, source: base + index, exact: false)
              atLineStart = false
            }
            // Four letters of the alphabet on a byte boundary: three bytes at once (the loop
            // below would emit the same three; a group holds no newline, so no line starts in it).
            if bits == 0, end - index >= 4 {
              let a = table[Int(source[index])]
              let b = table[Int(source[index + 1])]
              let c = table[Int(source[index + 2])]
              let d = table[Int(source[index + 3])]
              if (a | b | c | d) < 64 {
                output[count] = a << 2 | b >> 4
                output[count + 1] = b << 4 | c >> 2
                output[count + 2] = c << 6 | d
                count += 3
                index += 4
                continue
              }
            }
            let byte = source[index]
            let value = table[Int(byte)]
            if byte == UInt8(ascii: "\n") {
              atLineStart = true
            } else if value < 64 {
              accumulator = accumulator << 6 | UInt32(value)
              bits += 6
              if bits >= 8 {
                bits -= 8
                output[count] = UInt8(truncatingIfNeeded: accumulator >> UInt32(bits))
                count += 1
              }
            } else if byte == UInt8(ascii: "=") {
              // Padding ends the data (RFC 2045 §6.8). Senders that concatenate encoded blocks
              // start each on a new line, so decoding resumes at the next line; the rest of this
              // one is junk.
              accumulator = 0
              bits = 0
              while index + 1 < end, source[index + 1] != UInt8(ascii: "\n") { index += 1 }
            }
            index += 1
          }
          written = count
        }
      }
    }
    if map.segments.isEmpty { map.add(decoded: 0, source: base, exact: false) }
    return (out, map)
  }

  /// `base64Value` for every byte, 0xFF outside the alphabet.
  static let base64Table: [UInt8] = (0...255).map { base64Value(UInt8($0)) ?? 0xFF }

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
