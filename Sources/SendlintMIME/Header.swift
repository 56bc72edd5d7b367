import SendlintCore

/// One header field as it appears in the message (RFC 5322 §2.2), unfolded, with its source span.
public struct HeaderField: Sendable {
  /// The field name as written (compare with `is(_:)`, which ignores case).
  public let name: String
  /// The unfolded raw value: CRLF before whitespace removed, leading blanks trimmed; bytes kept as
  /// they are, so 8-bit headers survive.
  public let rawValue: [UInt8]
  /// Byte offset of the first character of the field name.
  public let start: Int
  /// Byte offset just past the field's last line (excluding its terminator).
  public let end: Int
  /// Byte offset of the value's first character.
  public let valueStart: Int

  /// The raw value as a string (invalid UTF-8 replaced).
  public var value: String { String(decoding: rawValue, as: UTF8.self) }

  /// The value with RFC 2047 encoded words decoded, as an unstructured field (Subject).
  public var decodedValue: String { EncodedWords.decode(bytes: rawValue) }

  /// Case-insensitive name comparison.
  public func `is`(_ other: String) -> Bool { name.caseInsensitiveEquals(other) }
}

extension String {
  /// ASCII case-insensitive equality, enough for header and parameter names.
  public func caseInsensitiveEquals(_ other: String) -> Bool {
    let left = utf8
    let right = other.utf8
    guard left.count == right.count else { return false }
    for (a, b) in zip(left, right) where a != b {
      let la = a >= 65 && a <= 90 ? a + 32 : a
      let lb = b >= 65 && b <= 90 ? b + 32 : b
      if la != lb { return false }
    }
    return true
  }
}

/// A problem met while parsing a message: reported as an `input/…` finding, parsing goes on.
public struct ParseProblem: Sendable, Hashable {
  /// The finding's rule id, e.g. `input/limit-exceeded`.
  public let code: String
  public let message: String
  /// Offset in the raw file.
  public let offset: Int
}

/// Limits that keep hostile mail from costing unbounded time or memory. Exceeding one is a
/// finding, and parsing continues with what was read.
public enum MIMELimits {
  /// Multipart and message/rfc822 nesting depth.
  public static let maximumDepth = 32
  /// message/rfc822 parts sent base64 or quoted-printable inside one another: each level is decoded
  /// into a copy of its own, so this bounds the copies.
  public static let maximumEncodedNesting = 4
  /// Parts across the whole message.
  public static let maximumParts = 2_000
  /// Header fields in one header block.
  public static let maximumHeaderFields = 2_000
  /// Bytes in one unfolded header field.
  public static let maximumHeaderFieldBytes = 256 * 1024
}

/// Parses an RFC 5322 header block.
enum HeaderParser {
  /// Parses fields from `start` up to the blank line that ends the header block.
  /// Returns the fields and the offset where the body starts. O(n) in the header block size.
  ///
  ///     field = field-name ":" unstructured CRLF ; continuation lines begin with WSP (§2.2.3)
  static func parse(
    _ bytes: [UInt8], from start: Int, to limit: Int, problems: inout [ParseProblem]
  ) -> (fields: [HeaderField], bodyStart: Int) {
    var fields: [HeaderField] = []
    var index = start
    // An mbox "From " separator line before the headers is not a header; skip it.
    if limit - index >= 5, bytes[index..<index + 5].elementsEqual("From ".utf8) {
      index = lineEnd(bytes, from: index, limit: limit).next
    }
    var reportedFieldLimit = false
    var reportedInvalidLine = false
    while index < limit {
      let line = lineEnd(bytes, from: index, limit: limit)
      if line.end == index {
        // Blank line: the body follows.
        return (fields, line.next)
      }
      let first = bytes[index]
      if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
        // A continuation with no field before it (obsolete or broken); skip it.
        problems.append(
          ParseProblem(
            code: "input/malformed-header", message: "header continuation line without a field before it",
            offset: index))
        index = line.next
        continue
      }
      // Field name: printable ASCII except ":", up to the colon (RFC 5322 §3.6.8); whitespace
      // before the colon is obsolete syntax (§4.5) and tolerated.
      var colon = index
      while colon < line.end, bytes[colon] != UInt8(ascii: ":") { colon += 1 }
      var nameEnd = colon
      while nameEnd > index,
        bytes[nameEnd - 1] == UInt8(ascii: " ") || bytes[nameEnd - 1] == UInt8(ascii: "\t")
      {
        nameEnd -= 1
      }
      // ftext (RFC 5322 §3.6.8): printable ASCII other than ":"; no spaces inside the name.
      let validName = nameEnd > index && bytes[index..<nameEnd].allSatisfy { $0 >= 33 && $0 <= 126 }
      guard colon < line.end, validName else {
        // Not a field: skipped, and the header block goes on to its blank line, as mime4j,
        // stalwart and Dovecot read such mail (a stray line, a boundary cut into a header block).
        if !reportedInvalidLine {
          reportedInvalidLine = true
          problems.append(
            ParseProblem(
              code: "input/malformed-header",
              message:
                "line in the header block is not a header field and was skipped: \"\(String(decoding: bytes[index..<min(line.end, index + 60)], as: UTF8.self))\"",
              offset: index))
        }
        index = line.next
        continue
      }
      let name = String(decoding: bytes[index..<nameEnd], as: UTF8.self)
      // Value: the rest of this line and all continuation lines, unfolded.
      var value: [UInt8] = []
      var cursor = colon + 1
      var lineEndOffset = line.end
      var next = line.next
      var truncated = false
      while true {
        if value.count + (lineEndOffset - cursor) <= MIMELimits.maximumHeaderFieldBytes {
          value.append(contentsOf: bytes[cursor..<lineEndOffset])
        } else {
          truncated = true
        }
        guard next < limit, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") else {
          break
        }
        let continuation = lineEnd(bytes, from: next, limit: limit)
        cursor = next
        lineEndOffset = continuation.end
        next = continuation.next
      }
      if truncated {
        problems.append(
          ParseProblem(
            code: "input/limit-exceeded",
            message:
              "header field \"\(name)\" is longer than \(MIMELimits.maximumHeaderFieldBytes) bytes; the rest was ignored",
            offset: index))
      }
      var valueStart = colon + 1
      while valueStart < line.end,
        bytes[valueStart] == UInt8(ascii: " ") || bytes[valueStart] == UInt8(ascii: "\t")
      {
        valueStart += 1
      }
      let trimmed = value.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
      if fields.count < MIMELimits.maximumHeaderFields {
        fields.append(
          HeaderField(
            name: name, rawValue: Array(trimmed), start: index, end: lineEndOffset, valueStart: valueStart))
      } else if !reportedFieldLimit {
        reportedFieldLimit = true
        problems.append(
          ParseProblem(
            code: "input/limit-exceeded",
            message: "more than \(MIMELimits.maximumHeaderFields) header fields; the rest were ignored",
            offset: index))
      }
      index = next
    }
    return (fields, limit)
  }

  /// End of the line starting at `start` (before CRLF/LF/CR) and the start of the next line.
  static func lineEnd(_ bytes: [UInt8], from start: Int, limit: Int) -> (end: Int, next: Int) {
    guard let index = bytes.firstLineBreak(from: start, limit: limit) else { return (limit, limit) }
    if bytes[index] == UInt8(ascii: "\n") { return (index, index + 1) }
    if index + 1 < limit, bytes[index + 1] == UInt8(ascii: "\n") { return (index, index + 2) }
    return (index, index + 1)
  }
}
