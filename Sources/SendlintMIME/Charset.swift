import CICUShim
import SendlintCore

/// Charset conversion to UTF-8. UTF-8 and ASCII are checked in Swift; Latin-1 and Windows-1252 (the
/// usual mislabelled pair) are converted in Swift with exact offsets; everything else goes through
/// ICU, which knows every IANA name and alias.
public enum Charset {
  /// Converts `bytes` labelled `charset` (nil: undeclared) to UTF-8 with an offset map back to the
  /// input. Unknown charsets fall back to Windows-1252 for 8-bit input, as mail clients do; the
  /// second result says whether a fallback or replacement happened.
  public static func toUTF8(_ bytes: [UInt8], charset: String?) -> (text: DecodedText, lossy: Bool) {
    toUTF8(bytes[...], charset: charset)
  }

  /// The same for a slice (a body inside the raw message): offsets in the result's map are relative
  /// to the slice's start, and the slice is copied at most once.
  public static func toUTF8(_ bytes: ArraySlice<UInt8>, charset: String?) -> (text: DecodedText, lossy: Bool)
  {
    let label = Self.label(charset)
    if bytes.isAllASCII, !encodesTextInASCIIBytes(label) {
      return (DecodedText(bytes: Array(bytes), maps: [.identity(base: 0)]), false)
    }
    switch label {
    case "utf-8", "utf8", "unicode-1-1-utf-8":
      if isValidUTF8(bytes) { return (DecodedText(bytes: Array(bytes), maps: [.identity(base: 0)]), false) }
      // Declared UTF-8 with bad sequences: each becomes U+FFFD, the rest stays UTF-8 (WHATWG).
      return (lenientUTF8(Array(bytes)), true)
    case "", "us-ascii", "ascii":
      if isValidUTF8(bytes) { return (DecodedText(bytes: Array(bytes), maps: [.identity(base: 0)]), false) }
      // Undeclared or mislabelled 8-bit text: what mail clients show is Windows-1252.
      return (windows1252(bytes), true)
    case "iso-8859-1", "latin1", "iso_8859-1", "l1", "windows-1252", "cp1252", "x-cp1252":
      // WHATWG Encoding: the iso-8859-1 label means windows-1252.
      return (windows1252(bytes), false)
    default:
      if let converted = convertWithICU(Array(bytes), charset: label) { return (converted, false) }
      return (windows1252(bytes), true)
    }
  }

  /// A charset parameter as the conversions read it: lowercased, without surrounding whitespace.
  static func label(_ charset: String?) -> String { (charset ?? "").lowercased().trimmingASCIIWhitespace() }

  /// Charsets that encode text in ASCII bytes (UTF-7, ISO-2022-*, HZ) or are not ASCII-based at
  /// all (UTF-16/32): converted even when every byte is below 0x80. Each name starts with one of
  /// c, h, i or u, so any other first byte answers at once. An ASCII label (every real one) is
  /// compared on bytes: its Characters are its bytes but CR LF, which ends no name.
  static func encodesTextInASCIIBytes(_ label: String) -> Bool {
    let utf8 = label.utf8
    guard let first = utf8.first,
      first == UInt8(ascii: "u") || first == UInt8(ascii: "i") || first == UInt8(ascii: "h")
        || first == UInt8(ascii: "c")
    else { return false }
    if utf8.isAllASCII {
      var label = label
      return label.withUTF8 { bytes in
        asciiEncodingLabelBytes.contains { prefix in
          prefix.count <= bytes.count && prefix.indices.allSatisfy { bytes[$0] == prefix[$0] }
        }
      }
    }
    return asciiEncodingLabels.contains { label.hasPrefix($0) }
  }

  static let asciiEncodingLabels = [
    "utf-7", "utf7", "unicode-1-1-utf-7", "utf-16", "utf-32", "ucs-2", "ucs-4", "iso-2022", "hz", "csiso2022",
  ]
  static let asciiEncodingLabelBytes = asciiEncodingLabels.map { Array($0.utf8) }

  /// Convenience for header words: bytes in a charset to a Swift string. ASCII bytes in an
  /// ASCII-based charset are the text as they are, without building a map.
  public static func string(_ bytes: [UInt8], charset: String?) -> String {
    if bytes.isAllASCII, !encodesTextInASCIIBytes(label(charset)) {
      return String(decoding: bytes, as: UTF8.self)
    }
    return String(decoding: toUTF8(bytes, charset: charset).text.bytes, as: UTF8.self)
  }

  /// Whether `bytes` is well-formed UTF-8 (Unicode Table 3-7: no overlong forms, surrogates or
  /// scalars above U+10FFFF). ASCII is skipped eight bytes at a time; each other sequence is
  /// checked by its lead byte's range for the second byte, then continuation bytes. The stdlib's
  /// scalar-by-scalar decoder took 11 instructions a byte (2% of a newsletter lint);
  /// `UTF8ValidationTests` compares the two.
  static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return true }
      let count = buffer.count
      var index = 0
      while index < count {
        if count - index >= 8,
          UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
        {
          index += 8
          continue
        }
        let lead = base[index]
        if lead < 0x80 {
          index += 1
          continue
        }
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
          length = 3
          low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
          length = 3
          high = 0x9F
        case 0xF0:
          length = 4
          low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
          length = 4
          high = 0x8F
        default: return false
        }
        guard count - index >= length, base[index + 1] >= low, base[index + 1] <= high else { return false }
        if length > 2, base[index + 2] & 0xC0 != 0x80 { return false }
        if length > 3, base[index + 3] & 0xC0 != 0x80 { return false }
        index += length
      }
      return true
    }
  }

  /// UTF-8 with each maximal invalid subsequence replaced by U+FFFD, with an exact map. O(n).
  static func lenientUTF8(_ bytes: [UInt8]) -> DecodedText {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var map = OffsetMap()
    map.add(decoded: 0, source: 0, exact: true)
    var index = 0
    while index < bytes.count {
      let lead = bytes[index]
      let length =
        lead < 0x80 ? 1 : lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 ? 2 : 0
      var valid = length > 0 && index + length <= bytes.count
      if valid, length > 1 {
        for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { valid = false }
        if valid, String(validating: bytes[index..<(index + length)], as: UTF8.self) == nil { valid = false }
      }
      if valid {
        if out.count != index { map.add(decoded: out.count, source: index, exact: true) }
        out.append(contentsOf: bytes[index..<(index + length)])
        index += length
      } else {
        map.add(decoded: out.count, source: index, exact: true)
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
        index += 1
        map.add(decoded: out.count, source: index, exact: true)
      }
    }
    return DecodedText(bytes: out, maps: [map])
  }

  /// Beyond this many 8-bit bytes the map keeps one segment per line instead of two per
  /// character, bounding its memory on binary data mislabelled as text.
  static let maximumExactSegments = 16_384

  /// Windows-1252 to UTF-8 with an exact map (a segment at each multi-byte character), or a
  /// per-line map for mostly 8-bit input. O(n).
  static func windows1252(_ slice: ArraySlice<UInt8>) -> DecodedText {
    // Offsets relative to the slice: the caller's map adds the slice's place in the file.
    slice.withUnsafeBufferPointer { windows1252(buffer: $0) }
  }

  private static func windows1252(buffer bytes: UnsafeBufferPointer<UInt8>) -> DecodedText {
    // The exact output size first, so the text is allocated once (growing it would hold the old
    // and the new storage at once: up to 3.75 times a binary body).
    var outputSize = 0
    var highBytes = 0
    for byte in bytes {
      if byte < 0x80 {
        outputSize += 1
      } else {
        highBytes += 1
        outputSize += UTF8.width(Windows1252.scalar(for: byte))
      }
    }
    var out = [UInt8]()
    out.reserveCapacity(outputSize)
    var map = OffsetMap()
    map.add(decoded: 0, source: 0, exact: true)
    let exact = highBytes <= maximumExactSegments
    for (index, byte) in bytes.enumerated() {
      if !exact {
        if index == 0 || bytes[index - 1] == UInt8(ascii: "\n") {
          map.add(decoded: out.count, source: index, exact: false)
        }
        if byte < 0x80 {
          out.append(byte)
        } else {
          UTF8.encode(Windows1252.scalar(for: byte)) { out.append($0) }
        }
        continue
      }
      if byte < 0x80 {
        if out.count != index { map.add(decoded: out.count, source: index, exact: true) }
        out.append(byte)
        continue
      }
      map.add(decoded: out.count, source: index, exact: true)
      UTF8.encode(Windows1252.scalar(for: byte)) { out.append($0) }
      map.add(decoded: out.count, source: index + 1, exact: true)
    }
    return DecodedText(bytes: out, maps: [map])
  }

  /// Converts line by line so that offsets map to the right line even for multi-byte charsets.
  static func convertWithICU(_ bytes: [UInt8], charset: String) -> DecodedText? {
    var out = [UInt8]()
    var map = OffsetMap()
    var lineStart = 0
    var known = true
    func flush(_ end: Int) {
      guard known, end > lineStart else { return }
      map.add(decoded: out.count, source: lineStart, exact: false)
      let slice = Array(bytes[lineStart..<end])
      var capacity = slice.count * 4 + 16
      while true {
        var buffer = [UInt8](repeating: 0, count: capacity)
        let written = charset.withCString { name in
          slice.withUnsafeBufferPointer { input in
            buffer.withUnsafeMutableBufferPointer { output in
              // slice non-empty
              input.baseAddress!.withMemoryRebound(to: CChar.self, capacity: slice.count) { source in
                // capacity > 0
                output.baseAddress!.withMemoryRebound(to: CChar.self, capacity: capacity) { target in
                  sendlint_convert_to_utf8(name, source, Int32(slice.count), target, Int32(capacity))
                }
              }
            }
          }
        }
        if written == -2 {
          capacity *= 2
          continue
        }
        if written < 0 {
          known = false
          return
        }
        out.append(contentsOf: buffer[0..<Int(written)])
        return
      }
    }
    // Line by line keeps positions on the right line; charsets whose bytes are not ASCII-based
    // (UTF-16, UTF-32) must be converted whole.
    let wide = charset.contains("16") || charset.contains("32") || charset.hasPrefix("ucs")
    if !wide {
      for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
        flush(index + 1)
        lineStart = index + 1
      }
    }
    flush(bytes.count)
    return known ? DecodedText(bytes: out, maps: [map]) : nil
  }
}
