import SendlintCore

/// A MIME entity (RFC 2045): headers, a body range in the raw file, and children for multiparts
/// and encapsulated messages.
public struct MIMEEntity: Sendable {
  public let headers: [HeaderField]
  /// Parsed Content-Type; `text/plain; charset=us-ascii` when absent (RFC 2045 §5.2), or
  /// `message/rfc822` inside multipart/digest.
  public let contentType: ContentType
  /// Whether the Content-Type header was present and parsed.
  public let hasExplicitContentType: Bool
  /// Lowercased Content-Transfer-Encoding, `7bit` when absent.
  public let transferEncoding: String
  public let disposition: ContentType?
  /// Offsets of the body in the raw file.
  public let bodyStart: Int
  public let bodyEnd: Int
  /// Sub-parts of a multipart, or the single encapsulated message of message/rfc822.
  public let children: [MIMEEntity]
  /// Offset of the entity's first header byte.
  public let start: Int

  /// All header fields with a name, in order.
  public func fields(named name: String) -> [HeaderField] { headers.filter { $0.is(name) } }
  /// The first field with a name.
  public func field(named name: String) -> HeaderField? { headers.first { $0.is(name) } }

  public var isMultipart: Bool { contentType.type == "multipart" }
  public var isEncapsulatedMessage: Bool {
    contentType.value == "message/rfc822" || contentType.value == "message/global"
  }

  /// The attachment file name from Content-Disposition `filename` or Content-Type `name`.
  public var filename: String? {
    disposition?.parameters["filename"] ?? contentType.parameters["name"]
  }

  /// True for parts a mail client shows as attachments rather than inline body text.
  public var isAttachment: Bool {
    if disposition?.value == "attachment" { return true }
    if isMultipart || isEncapsulatedMessage { return false }
    if filename != nil, contentType.type != "text" { return true }
    return contentType.type != "text" && contentType.type != "multipart" && disposition?.value != "inline"
      && contentType.type != "image"
      || (contentType.type == "image" && disposition?.value != "inline" && field(named: "Content-ID") == nil)
  }

  /// The body after transfer decoding, with the map back to raw offsets. O(body).
  public func decodedBody(in file: SourceFile) -> (bytes: [UInt8], map: OffsetMap) {
    let slice = file.bytes[bodyStart..<bodyEnd]
    switch transferEncoding {
    case "quoted-printable": return TransferDecoding.quotedPrintable(slice, base: bodyStart)
    case "base64": return TransferDecoding.base64(slice, base: bodyStart)
    default: return (Array(slice), .identity(base: bodyStart))
    }
  }

  /// Text of a text part as UTF-8, mapped back to raw offsets.
  public func decodedText(in file: SourceFile) -> (text: DecodedText, lossy: Bool) {
    let body = decodedBody(in: file)
    let converted = Charset.toUTF8(body.bytes, charset: contentType.parameters["charset"])
    return (DecodedText(bytes: converted.text.bytes, maps: converted.text.maps + [body.map]), converted.lossy)
  }

  /// Depth-first walk over this entity and every descendant.
  public func walk(_ visit: (MIMEEntity, _ depth: Int) -> Void) {
    func recurse(_ entity: MIMEEntity, _ depth: Int) {
      visit(entity, depth)
      for child in entity.children { recurse(child, depth + 1) }
    }
    recurse(self, 0)
  }
}

/// A parsed message: the root entity and any problems met while parsing.
public struct MIMEMessage: Sendable {
  public let file: SourceFile
  public let root: MIMEEntity
  public let problems: [ParseProblem]

  /// Parses a raw RFC 5322 message. Never fails: broken input yields a best-effort tree and
  /// problems. O(n) per nesting level, with nesting bounded by `MIMELimits.maximumDepth`.
  public static func parse(_ file: SourceFile) -> MIMEMessage {
    var parser = EntityParser(bytes: file.bytes)
    let root = parser.parseEntity(start: 0, end: file.bytes.count, depth: 0, defaultType: nil)
    return MIMEMessage(file: file, root: root, problems: parser.problems)
  }
}

struct EntityParser {
  let bytes: [UInt8]
  var problems: [ParseProblem] = []
  var partCount = 0
  var reportedPartLimit = false

  init(bytes: [UInt8]) { self.bytes = bytes }

  mutating func parseEntity(start: Int, end: Int, depth: Int, defaultType: ContentType?) -> MIMEEntity {
    partCount += 1
    let header = HeaderParser.parse(bytes, from: start, to: end, problems: &problems)
    let contentTypeField = header.fields.first { $0.is("Content-Type") }
    let parsedType = contentTypeField.flatMap { ContentType.parse($0.value) }
    if contentTypeField != nil, parsedType == nil {
      problems.append(ParseProblem(code: "input/malformed-header", message: "Content-Type \"\(contentTypeField!.value)\" cannot be parsed; treating the part as text/plain", offset: contentTypeField!.start))  // checked non-nil
    }
    let contentType = parsedType ?? defaultType ?? ContentType(value: "text/plain", parameters: ["charset": "us-ascii"])
    let encoding = header.fields.first { $0.is("Content-Transfer-Encoding") }?.value.lowercased()
      .trimmingASCIIWhitespace() ?? "7bit"
    let disposition = header.fields.first { $0.is("Content-Disposition") }.flatMap { ContentType.parse($0.value) }
    let bodyStart = min(header.bodyStart, end)
    var children: [MIMEEntity] = []

    let canNest = depth < MIMELimits.maximumDepth
    if contentType.type == "multipart" || contentType.value == "message/rfc822" || contentType.value == "message/global" {
      if !canNest {
        problems.append(ParseProblem(code: "input/limit-exceeded", message: "MIME nesting deeper than \(MIMELimits.maximumDepth) levels; inner parts were not parsed", offset: start))
      } else if contentType.type == "multipart" {
        if let boundary = contentType.parameters["boundary"], !boundary.isEmpty {
          let childDefault = contentType.subtype == "digest" ? ContentType(value: "message/rfc822") : nil
          for range in partRanges(boundary: Array(boundary.utf8), start: bodyStart, end: end, entityStart: start) {
            guard partCount < MIMELimits.maximumParts else {
              if !reportedPartLimit {
                reportedPartLimit = true
                problems.append(ParseProblem(code: "input/limit-exceeded", message: "more than \(MIMELimits.maximumParts) MIME parts; the rest were not parsed", offset: range.lowerBound))
              }
              break
            }
            children.append(parseEntity(start: range.lowerBound, end: range.upperBound, depth: depth + 1, defaultType: childDefault))
          }
        } else {
          problems.append(ParseProblem(code: "input/malformed-mime", message: "multipart part has no boundary parameter; its body is treated as text", offset: contentTypeField?.start ?? start))
        }
      } else if encoding == "7bit" || encoding == "8bit" || encoding == "binary" {
        children.append(parseEntity(start: bodyStart, end: end, depth: depth + 1, defaultType: nil))
      }
    }
    return MIMEEntity(
      headers: header.fields, contentType: contentType, hasExplicitContentType: parsedType != nil,
      transferEncoding: encoding, disposition: disposition, bodyStart: bodyStart, bodyEnd: end,
      children: children, start: start)
  }

  /// Byte ranges of the parts between delimiter lines `--boundary` (RFC 2046 §5.1.1). The CRLF
  /// before a delimiter belongs to the delimiter. A missing close delimiter ends the last part at
  /// the end of the body, as mail clients do. O(n).
  mutating func partRanges(boundary: [UInt8], start: Int, end: Int, entityStart: Int) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var partStart: Int?
    var lineStart = start
    var closed = false
    while lineStart < end {
      let line = HeaderParser.lineEnd(bytes, from: lineStart, limit: end)
      if isDelimiter(at: lineStart, lineEnd: line.end, boundary: boundary) {
        let isClose = line.end - lineStart >= boundary.count + 4
          && bytes[lineStart + 2 + boundary.count] == UInt8(ascii: "-")
          && bytes[lineStart + 3 + boundary.count] == UInt8(ascii: "-")
        if let begin = partStart {
          // Exclude the line break that precedes the delimiter.
          var stop = lineStart
          if stop > begin, bytes[stop - 1] == UInt8(ascii: "\n") { stop -= 1 }
          if stop > begin, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
          ranges.append(begin..<max(begin, stop))
        }
        if isClose {
          closed = true
          break
        }
        partStart = line.next
      }
      lineStart = line.next
    }
    if !closed {
      if let begin = partStart {
        ranges.append(begin..<end)
        problems.append(ParseProblem(code: "input/malformed-mime", message: "multipart body has no closing boundary \"--\(String(decoding: boundary, as: UTF8.self))--\"; the last part runs to the end", offset: begin))
      } else {
        problems.append(ParseProblem(code: "input/malformed-mime", message: "boundary \"\(String(decoding: boundary, as: UTF8.self))\" never occurs in the multipart body", offset: entityStart))
      }
    }
    return ranges
  }

  func isDelimiter(at lineStart: Int, lineEnd: Int, boundary: [UInt8]) -> Bool {
    guard lineEnd - lineStart >= boundary.count + 2,
      bytes[lineStart] == UInt8(ascii: "-"), bytes[lineStart + 1] == UInt8(ascii: "-")
    else { return false }
    for (offset, byte) in boundary.enumerated() where bytes[lineStart + 2 + offset] != byte { return false }
    // After the boundary: optional "--", then only transport padding (whitespace).
    var index = lineStart + 2 + boundary.count
    if index + 1 < lineEnd, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-") { index += 2 }
    while index < lineEnd {
      if bytes[index] != UInt8(ascii: " ") && bytes[index] != UInt8(ascii: "\t") { return false }
      index += 1
    }
    return true
  }
}
