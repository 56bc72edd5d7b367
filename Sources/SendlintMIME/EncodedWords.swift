import SendlintCore

/// RFC 2047 encoded words: `=?charset?B|Q?text?=`, with the language suffix of RFC 2231 §5.
public enum EncodedWords {
  /// Decodes every encoded word in an unstructured header value given as a string.
  public static func decode(_ value: String) -> String {
    guard value.contains("=?") else { return value }
    return decode(bytes: Array(value.utf8))
  }

  /// Decodes every encoded word in raw header bytes. Whitespace between two adjacent encoded words
  /// is dropped (§6.2); malformed words are left as written. Raw 8-bit bytes — outside words, or
  /// inside them where senders put them unencoded — are read as UTF-8 when valid, else as the
  /// word's charset (or Windows-1252 outside words), as mail clients do. O(n).
  /// `=?`, which starts every encoded word.
  static let wordStart: [UInt8] = [UInt8(ascii: "="), UInt8(ascii: "?")]

  public static func decode(bytes: [UInt8]) -> String {
    // Most fields hold no encoded word: the bytes are the text, as the loop below would build it.
    guard bytes.firstByteRange(of: wordStart) != nil else {
      return bytes.isEmpty ? "" : Charset.string(bytes, charset: nil)
    }
    var result = ""
    var pending: [UInt8] = []  // undecoded bytes since the last word
    var lastWasEncoded = false
    var index = 0
    func flushPending(dropIfWhitespaceBetweenWords: Bool) {
      if dropIfWhitespaceBetweenWords,
        pending.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A })
      {
        pending.removeAll()
        return
      }
      if !pending.isEmpty { result += Charset.string(pending, charset: nil) }
      pending.removeAll()
    }
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "="), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "?"),
        let (decoded, next) = decodeWord(bytes, at: index)
      {
        flushPending(dropIfWhitespaceBetweenWords: lastWasEncoded)
        result += decoded
        index = next
        lastWasEncoded = true
        continue
      }
      let byte = bytes[index]
      if !(byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A) { lastWasEncoded = false }
      pending.append(byte)
      index += 1
    }
    flushPending(dropIfWhitespaceBetweenWords: false)
    return result
  }

  private static func decodeWord(_ bytes: [UInt8], at start: Int) -> (String, Int)? {
    // =?charset?encoding?encoded-text?=
    var index = start + 2
    let charsetStart = index
    while index < bytes.count, bytes[index] != UInt8(ascii: "?") {
      if bytes[index] == 0x20 || bytes[index] == 0x0A || index - charsetStart > 64 { return nil }
      index += 1
    }
    guard index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: "?") else { return nil }
    // RFC 2231 §5: `charset*language`. An ASCII name (every real one) is cut at its "*" byte,
    // which is then also its "*" Character; any other keeps the Character search.
    let name = bytes[charsetStart..<index]
    var charset: String
    if name.isAllASCII {
      let star = name.firstIndex(of: UInt8(ascii: "*")) ?? index
      charset = String(decoding: bytes[charsetStart..<star], as: UTF8.self)
    } else {
      charset = String(decoding: name, as: UTF8.self)
      if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
    }
    let encoding = bytes[index + 1] | 0x20
    let payloadStart = index + 3
    var end = payloadStart
    while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "?") && bytes[end + 1] == UInt8(ascii: "=")) {
      if bytes[end] == 0x0A || bytes[end] == 0x0D { return nil }
      end += 1
    }
    guard end + 1 < bytes.count else { return nil }
    let payload = Array(bytes[payloadStart..<end])
    let decoded: [UInt8]
    switch encoding {
    case UInt8(ascii: "b"):
      decoded = TransferDecoding.base64(payload)
    case UInt8(ascii: "q"):
      var out: [UInt8] = []
      var position = 0
      while position < payload.count {
        let byte = payload[position]
        if byte == UInt8(ascii: "_") {
          out.append(UInt8(ascii: " "))
        } else if byte == UInt8(ascii: "="), position + 2 < payload.count,
          let high = TransferDecoding.hexValue(payload[position + 1]),
          let low = TransferDecoding.hexValue(payload[position + 2])
        {
          out.append(high << 4 | low)
          position += 2
        } else {
          out.append(byte)
        }
        position += 1
      }
      decoded = out
    default:
      return nil
    }
    return (Charset.string(decoded, charset: charset), end + 2)
  }
}
