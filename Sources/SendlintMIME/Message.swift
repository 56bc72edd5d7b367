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
  /// For multiparts: whether any delimiter was found (otherwise the body is read as text).
  public let hasParts: Bool
  /// A message/rfc822 body sent base64 or quoted-printable: the message parsed from the decoded
  /// bytes, as a file of its own (positions in it are positions in the decoded message).
  public let decodedMessage: [MIMEMessage]

  /// All header fields with a name, in order.
  public func fields(named name: String) -> [HeaderField] { headers.filter { $0.is(name) } }
  /// The first field with a name.
  /// The field with a name; when it repeats, the last one, which parsers act on (as for
  /// Content-Type). `fields(named:)` gives every occurrence.
  public func field(named name: String) -> HeaderField? { headers.last { $0.is(name) } }

  /// A multipart whose boundary occurs; one whose boundary never does is read as text.
  public var isMultipart: Bool { contentType.type == "multipart" && hasParts }
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
    default:
      if Self.looksQuotedPrintable(slice) { return TransferDecoding.quotedPrintable(slice, base: bodyStart) }
      return (Array(slice), .identity(base: bodyStart))
    }
  }

  /// Whether a body declared 7bit/8bit (or nothing) is in fact quoted-printable: several "=3D"
  /// (an encoded "=") and soft line breaks, which no plain text or HTML contains by accident.
  /// Such mislabelled mail is read decoded, and the inventory reports the mislabel.
  public static func looksQuotedPrintable(_ body: ArraySlice<UInt8>) -> Bool {
    var encodedEquals = 0
    var softBreaks = 0
    // Only an "=" followed by two more bytes counts; memchr finds each one.
    let searchEnd = body.endIndex - 2
    var index = body.startIndex
    while index < searchEnd, let at = body.firstIndex(ofByte: UInt8(ascii: "="), from: index, to: searchEnd) {
      let next = body[at + 1]
      let after = body[at + 2]
      if next == UInt8(ascii: "3"), after == UInt8(ascii: "D") || after == UInt8(ascii: "d") {
        encodedEquals += 1
      }
      if next == 0x0A || (next == 0x0D && (after == 0x0A || after == 0x0D)) { softBreaks += 1 }
      if encodedEquals >= 3 && softBreaks >= 1 { return true }
      index = at + 1
    }
    return false
  }

  /// True when a body's declared encoding says it is not quoted-printable but it is.
  public func isMislabelledQuotedPrintable(in file: SourceFile) -> Bool {
    guard transferEncoding != "quoted-printable", transferEncoding != "base64" else { return false }
    return Self.looksQuotedPrintable(file.bytes[bodyStart..<bodyEnd])
  }

  /// Text of a text part as UTF-8, mapped back to raw offsets.
  public func decodedText(in file: SourceFile) -> (text: DecodedText, lossy: Bool) {
    let charset = contentType.parameters["charset"]
    if transferEncoding != "quoted-printable", transferEncoding != "base64",
      !isMislabelledQuotedPrintable(in: file)
    {
      // Identity encodings: convert straight from the raw bytes, copying them once.
      let converted = Charset.toUTF8(file.bytes[bodyStart..<bodyEnd], charset: charset)
      return (
        DecodedText(bytes: converted.text.bytes, maps: converted.text.maps + [.identity(base: bodyStart)]),
        converted.lossy
      )
    }
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
    var parser = EntityParser(bytes: file.bytes, path: file.path)
    let root = parser.parseEntity(start: 0, end: file.bytes.count, depth: 0, defaultType: nil)
    return MIMEMessage(file: file, root: root, problems: parser.problems)
  }
}

struct EntityParser {
  let bytes: [UInt8]
  let path: String
  var problems: [ParseProblem] = []
  var partCount = 0
  var reportedPartLimit = false
  /// Encoded message/rfc822 parts are parsed as messages of their own at most this deep.
  var encodedNesting = 0
  /// Where each boundary's delimiter lines are, found once per message (see `DelimiterIndex`).
  let delimiters: DelimiterIndex

  init(bytes: [UInt8], path: String) {
    self.bytes = bytes
    self.path = path
    self.delimiters = DelimiterIndex(bytes: bytes)
  }

  mutating func parseEntity(start: Int, end: Int, depth: Int, defaultType: ContentType?) -> MIMEEntity {
    parseEntity(start: start, limit: end, depth: depth, defaultType: defaultType, boundary: nil).entity
  }

  /// Parses the entity at `start`. Inside a multipart (`boundary` set) a leaf ends at the next
  /// delimiter line of that boundary; a nested multipart ends after its own close delimiter.
  /// Returns the entity and where it stopped.
  mutating func parseEntity(
    start: Int, limit: Int, depth: Int, defaultType: ContentType?, boundary: [UInt8]?, isPart: Bool = false
  ) -> (entity: MIMEEntity, stop: Int) {
    partCount += 1
    // The header block runs to its blank line even past a delimiter-like line (the header parser
    // skips those), as stalwart and Dovecot read truncated parts.
    // A part's own header block ends at a line that is exactly the enclosing delimiter: a doubled
    // boundary line opens an empty part and an unterminated header ends there, as mime4j and
    // MIME-tools read them. Any other delimiter-like line in a header block (a longer boundary
    // that merely starts with ours, or a boundary cut into a forwarded message's header) is
    // skipped, as stalwart reads it.
    let cut =
      isPart ? boundary.flatMap { exactDelimiterInHeaderBlock(from: start, limit: limit, boundary: $0) } : nil
    let header = HeaderParser.parse(bytes, from: start, to: cut?.offset ?? limit, problems: &problems)
    let nextDelimiter =
      cut ?? boundary.flatMap { self.nextDelimiter(from: header.bodyStart, limit: limit, boundary: $0) }
    // When a field occurs twice, the last one wins, as in stalwart and Dovecot.
    let contentTypeField = header.fields.last { $0.is("Content-Type") }
    let parsedType = contentTypeField.flatMap { ContentType.parse($0.value) }
    if let contentTypeField, parsedType == nil {
      problems.append(
        ParseProblem(
          code: "input/malformed-header",
          message:
            "Content-Type \"\(contentTypeField.value)\" cannot be parsed; treating the part as text/plain",
          offset: contentTypeField.start))
    }
    let contentType =
      parsedType ?? defaultType ?? ContentType(value: "text/plain", parameters: ["charset": "us-ascii"])
    let encoding =
      header.fields.last { $0.is("Content-Transfer-Encoding") }?.value.lowercased()
      .trimmingASCIIWhitespace() ?? "7bit"
    let disposition = header.fields.last { $0.is("Content-Disposition") }.flatMap {
      ContentType.parse($0.value)
    }
    let bodyStart = min(max(header.bodyStart, start), limit)
    var children: [MIMEEntity] = []
    var hasParts = false
    // A leaf ends at the enclosing multipart's next delimiter (the line break before it belongs to
    // the delimiter), or at the limit.
    var stop = nextDelimiter?.offset ?? limit
    var bodyEnd = stop < limit ? trimLineBreak(before: stop, notBefore: bodyStart) : limit

    let canNest = depth < MIMELimits.maximumDepth
    if contentType.type == "multipart" {
      if let own = contentType.parameters["boundary"], !own.isEmpty, canNest {
        let childDefault = contentType.subtype == "digest" ? ContentType(value: "message/rfc822") : nil
        // The multipart reads up to the end of what contains it, not just to the next outer
        // delimiter: only the innermost boundary counts (stalwart's and Dovecot's reading).
        if let result = parseMultipart(
          boundary: Array(own.utf8), bodyStart: bodyStart, limit: limit, depth: depth,
          childDefault: childDefault)
        {
          children = result.children
          hasParts = true
          stop = result.stop
          bodyEnd = result.stop
        } else {
          problems.append(
            ParseProblem(
              code: "input/malformed-mime",
              message: "boundary \"\(own)\" never occurs in the multipart body; it is read as text",
              offset: contentTypeField?.start ?? start))
        }
      } else if !canNest {
        problems.append(
          ParseProblem(
            code: "input/limit-exceeded",
            message:
              "MIME nesting deeper than \(MIMELimits.maximumDepth) levels; inner parts were not parsed",
            offset: start))
      } else {
        problems.append(
          ParseProblem(
            code: "input/malformed-mime",
            message: "multipart part has no boundary parameter; its body is read as text",
            offset: contentTypeField?.start ?? start))
      }
    } else if contentType.value == "message/rfc822" || contentType.value == "message/global", canNest,
      encoding == "7bit" || encoding == "8bit" || encoding == "binary"
    {
      // Inside a multipart the encapsulated message is read in the stream: its own multiparts'
      // boundaries come first, so a forwarded message whose boundary extends ours stays whole.
      let inner = parseEntity(
        start: bodyStart, limit: boundary == nil ? bodyEnd : limit, depth: depth + 1, defaultType: nil,
        boundary: boundary)
      // A "message" without any header field is not one (a broken attachment): keep it a leaf.
      if !inner.entity.headers.isEmpty {
        children.append(inner.entity)
        if boundary != nil, inner.stop != stop {
          stop = inner.stop
          bodyEnd = inner.entity.isMultipart ? inner.stop : inner.entity.bodyEnd
        }
      } else {
        partCount -= 1
      }
    }
    let isMessage = contentType.value == "message/rfc822" || contentType.value == "message/global"
    if isMessage, !canNest {
      problems.append(
        ParseProblem(
          code: "input/limit-exceeded",
          message:
            "MIME nesting deeper than \(MIMELimits.maximumDepth) levels; the attached message was not parsed",
          offset: start))
    }
    let isEncodedMessage = isMessage && (encoding == "base64" || encoding == "quoted-printable")
    if isEncodedMessage, canNest, encodedNesting >= MIMELimits.maximumEncodedNesting, bodyEnd > bodyStart {
      problems.append(
        ParseProblem(
          code: "input/limit-exceeded",
          message:
            "more than \(MIMELimits.maximumEncodedNesting) attached messages nested inside encoded attached messages; the innermost was not parsed",
          offset: start))
    }
    var decodedMessage: [MIMEMessage] = []
    if isEncodedMessage, canNest, encodedNesting < MIMELimits.maximumEncodedNesting, bodyEnd > bodyStart {
      // Decode, then read the attached message as a file of its own.
      let slice = bytes[bodyStart..<bodyEnd]
      let decoded =
        encoding == "base64"
        ? TransferDecoding.base64(slice, base: bodyStart).bytes
        : TransferDecoding.quotedPrintable(slice, base: bodyStart).bytes
      let name = disposition?.parameters["filename"] ?? contentType.parameters["name"] ?? "attached message"
      let file = SourceFile(path: "\(path) › \(name)", bytes: decoded)
      var inner = EntityParser(bytes: decoded, path: file.path)
      inner.encodedNesting = encodedNesting + 1
      inner.partCount = partCount
      let root = inner.parseEntity(start: 0, end: decoded.count, depth: depth + 1, defaultType: nil)
      partCount = inner.partCount
      if !root.headers.isEmpty {
        decodedMessage = [MIMEMessage(file: file, root: root, problems: inner.problems)]
      }
    }
    let entity = MIMEEntity(
      headers: header.fields, contentType: contentType, hasExplicitContentType: parsedType != nil,
      transferEncoding: encoding, disposition: disposition, bodyStart: bodyStart,
      bodyEnd: max(bodyStart, bodyEnd),
      children: children, start: start, hasParts: hasParts, decodedMessage: decodedMessage)
    return (entity, stop)
  }

  /// The parts of a multipart body (RFC 2046 §5.1.1), read as stalwart and Dovecot read them: a
  /// delimiter is a line that starts with "--" and the boundary, whatever follows it; only the
  /// innermost open multipart's boundary counts; a missing close delimiter ends the last part
  /// where the enclosing body ends. Nil when the boundary never occurs. O(n) per level.
  mutating func parseMultipart(
    boundary: [UInt8], bodyStart: Int, limit: Int, depth: Int, childDefault: ContentType?
  ) -> (children: [MIMEEntity], stop: Int)? {
    guard var delimiter = nextDelimiter(from: bodyStart, limit: limit, boundary: boundary) else { return nil }
    var children: [MIMEEntity] = []
    while true {
      let line = HeaderParser.lineEnd(bytes, from: delimiter.offset, limit: limit)
      if delimiter.isClose { return (children, line.next) }
      // A delimiter at the very end opens no part.
      if line.next >= limit { return (children, limit) }
      guard partCount < MIMELimits.maximumParts else {
        if !reportedPartLimit {
          reportedPartLimit = true
          problems.append(
            ParseProblem(
              code: "input/limit-exceeded",
              message: "more than \(MIMELimits.maximumParts) MIME parts; the rest were not parsed",
              offset: delimiter.offset))
        }
        return (children, limit)
      }
      let part = parseEntity(
        start: line.next, limit: limit, depth: depth + 1, defaultType: childDefault, boundary: boundary,
        isPart: true)
      children.append(part.entity)
      guard part.stop < limit, let next = nextDelimiter(from: part.stop, limit: limit, boundary: boundary)
      else {
        problems.append(
          ParseProblem(
            code: "input/malformed-mime",
            message:
              "multipart body has no closing delimiter \"--\(String(decoding: boundary, as: UTF8.self))--\"; the last part runs to the end",
            offset: line.next))
        return (children, limit)
      }
      delimiter = next
    }
  }

  struct Delimiter {
    let offset: Int
    let isClose: Bool
  }

  /// The first line at or after `from` that starts with "--" and `boundary`.
  /// The first delimiter line of `boundary` at or after the line starting at `from`, before
  /// `limit`. Through the message's `DelimiterIndex` when `from` is one of its line starts (always,
  /// in practice), so 2,000 nested multiparts whose boundary never occurs no longer each rescan
  /// the rest of the message; otherwise line by line.
  func nextDelimiter(from: Int, limit: Int, boundary: [UInt8]) -> Delimiter? {
    if let candidates = delimiters.candidates(for: boundary, atOrAfterLine: from) {
      for offset in candidates {
        guard offset < limit else { return nil }
        if let found = delimiterAt(offset, limit: limit, boundary: boundary) { return found }
      }
      return nil
    }
    var lineStart = from
    while lineStart < limit {
      if let found = delimiterAt(lineStart, limit: limit, boundary: boundary) { return found }
      lineStart = HeaderParser.lineEnd(bytes, from: lineStart, limit: limit).next
    }
    return nil
  }

  func delimiterAt(_ lineStart: Int, limit: Int, boundary: [UInt8]) -> Delimiter? {
    let end = lineStart + 2 + boundary.count
    guard end <= limit, bytes[lineStart] == UInt8(ascii: "-"), bytes[lineStart + 1] == UInt8(ascii: "-")
    else { return nil }
    for (offset, byte) in boundary.enumerated() where bytes[lineStart + 2 + offset] != byte { return nil }
    let isClose = end + 1 < limit && bytes[end] == UInt8(ascii: "-") && bytes[end + 1] == UInt8(ascii: "-")
    return Delimiter(offset: lineStart, isClose: isClose)
  }

  /// The first line of the header block at `from` (up to its blank line) that is exactly the
  /// delimiter or close delimiter of `boundary`, trailing spaces and tabs allowed.
  func exactDelimiterInHeaderBlock(from: Int, limit: Int, boundary: [UInt8]) -> Delimiter? {
    var lineStart = from
    while lineStart < limit {
      let line = HeaderParser.lineEnd(bytes, from: lineStart, limit: limit)
      if line.end == lineStart { return nil }
      if let found = delimiterAt(lineStart, limit: limit, boundary: boundary) {
        var index = lineStart + 2 + boundary.count + (found.isClose ? 2 : 0)
        while index < line.end, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
          index += 1
        }
        if index == line.end { return found }
      }
      lineStart = line.next
    }
    return nil
  }

  /// The offset before the line break that precedes `offset` (the break belongs to the delimiter).
  func trimLineBreak(before offset: Int, notBefore floor: Int) -> Int {
    var stop = offset
    if stop > floor, stop <= bytes.count, bytes[stop - 1] == UInt8(ascii: "\n") { stop -= 1 }
    if stop > floor, stop <= bytes.count, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
    return stop
  }
}

/// The delimiter lines of a message, indexed so that finding the next delimiter of a boundary
/// costs a binary search, not a scan. Built lazily: the line starts once per message (O(n)), and
/// for each boundary length the lines starting with `--` grouped by the bytes that follow, up to
/// `keyLength` of them (O(lines beginning with "--") per distinct length, and at most
/// `keyLength` lengths: RFC 2046 boundaries are 1 to 70 bytes; a longer one is keyed by its first
/// 70 and its candidates are checked whole).
final class DelimiterIndex: @unchecked Sendable {
  // Used by one parser on one thread; the class only lets the non-mutating search memoise.
  private let bytes: [UInt8]
  private var lineStarts: [Int]?
  private var dashLines: [Int] = []
  private var byLength: [Int: [ArraySlice<UInt8>: [Int]]] = [:]

  /// Bytes of a boundary used as the index key.
  static let keyLength = 70

  init(bytes: [UInt8]) { self.bytes = bytes }

  /// The lines at or after `from` that start with `--` and the boundary's first `keyLength`
  /// bytes, in order; nil when `from` is not a line start of the message.
  func candidates(for boundary: [UInt8], atOrAfterLine from: Int) -> ArraySlice<Int>? {
    let starts = indexLines()
    guard Self.contains(starts, from) else { return nil }
    let length = min(boundary.count, Self.keyLength)
    let groups = group(length: length)
    guard let offsets = groups[boundary[..<length]] else { return [] }
    var low = 0
    var high = offsets.count
    while low < high {
      let mid = (low + high) / 2
      if offsets[mid] < from { low = mid + 1 } else { high = mid }
    }
    return offsets[low...]
  }

  private func indexLines() -> [Int] {
    if let lineStarts { return lineStarts }
    var starts: [Int] = []
    var index = 0
    let count = bytes.count
    while index < count {
      starts.append(index)
      if index + 1 < count, bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-") {
        dashLines.append(index)
      }
      index = HeaderParser.lineEnd(bytes, from: index, limit: count).next
    }
    lineStarts = starts
    return starts
  }

  private func group(length: Int) -> [ArraySlice<UInt8>: [Int]] {
    if let groups = byLength[length] { return groups }
    var groups: [ArraySlice<UInt8>: [Int]] = [:]
    for line in dashLines where line + 2 + length <= bytes.count {
      groups[bytes[(line + 2)..<(line + 2 + length)], default: []].append(line)
    }
    byLength[length] = groups
    return groups
  }

  private static func contains(_ sorted: [Int], _ value: Int) -> Bool {
    var low = 0
    var high = sorted.count
    while low < high {
      let mid = (low + high) / 2
      if sorted[mid] < value { low = mid + 1 } else { high = mid }
    }
    return low < sorted.count && sorted[low] == value
  }
}
