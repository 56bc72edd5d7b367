import SendlintCore

/// RFC 2047 encoded words: `=?charset?B|Q?text?=`, with the language suffix of RFC 2231 §5.
public enum EncodedWords {
  /// Decodes every encoded word in an unstructured header value. Whitespace between two adjacent
  /// encoded words is dropped (§6.2). Malformed words are left as written.
  public static func decode(_ value: String) -> String {
    guard value.contains("=?") else { return value }
    var result = ""
    var pendingWhitespace = ""
    var lastWasEncoded = false
    var remainder = Substring(value)
    while !remainder.isEmpty {
      if remainder.hasPrefix("=?"), let (decoded, rest) = decodeWord(remainder) {
        if !lastWasEncoded { result += pendingWhitespace }
        pendingWhitespace = ""
        result += decoded
        remainder = rest
        lastWasEncoded = true
        continue
      }
      let character = remainder.removeFirst()
      if character == " " || character == "\t" || character == "\r" || character == "\n" {
        pendingWhitespace.append(character)
      } else {
        result += pendingWhitespace
        pendingWhitespace = ""
        result.append(character)
        lastWasEncoded = false
      }
    }
    return result + pendingWhitespace
  }

  private static func decodeWord(_ text: Substring) -> (String, Substring)? {
    // =?charset?encoding?encoded-text?=
    let body = text.dropFirst(2)
    guard let firstQuestion = body.firstIndex(of: "?") else { return nil }
    var charset = String(body[..<firstQuestion])
    if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }
    let afterCharset = body[body.index(after: firstQuestion)...]
    guard let encoding = afterCharset.first, afterCharset.dropFirst().first == "?" else { return nil }
    let encoded = afterCharset.dropFirst(2)
    guard let end = encoded.firstRange(of: "?=") else { return nil }
    let payload = Array(encoded[..<end.lowerBound].utf8)
    let bytes: [UInt8]
    switch encoding {
    case "B", "b":
      bytes = TransferDecoding.base64(payload)
    case "Q", "q":
      var out: [UInt8] = []
      var index = 0
      while index < payload.count {
        let byte = payload[index]
        if byte == UInt8(ascii: "_") {
          out.append(UInt8(ascii: " "))
        } else if byte == UInt8(ascii: "="), index + 2 < payload.count,
          let high = TransferDecoding.hexValue(payload[index + 1]),
          let low = TransferDecoding.hexValue(payload[index + 2])
        {
          out.append(high << 4 | low)
          index += 2
        } else {
          out.append(byte)
        }
        index += 1
      }
      bytes = out
    default:
      return nil
    }
    return (Charset.string(bytes, charset: charset), encoded[end.upperBound...])
  }
}
