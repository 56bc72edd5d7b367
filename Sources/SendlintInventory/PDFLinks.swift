import CZlibShim
import SendlintCore

/// The `/URI` actions of a PDF (ISO 32000-1:2008 §12.6.4.7), read as bytes: nothing is rendered,
/// no font or image is decoded, no JavaScript is run.
///
/// A PDF reader makes these clickable, so a link inside an attachment is a link of the message.
/// The file is read token by token (§7.2: white space, delimiters, regular characters), once:
///
/// - `N G obj … endobj` gives the object number every `/URI` found inside is reported with;
/// - `/URI` (a name, `#xx` escapes decoded as §7.3.5 says, so `/U#52I` counts) followed by a
///   literal string `( … )` (§7.3.4.2: balanced parentheses, `\n \r \t \b \f \( \) \\`, one to
///   three octal digits, backslash-newline continuations) or a hex string `< … >` (§7.3.4.3: white
///   space ignored, an odd last digit read as followed by 0), or by `N G R`, a reference to a string
///   object anywhere in the file;
/// - a stream's data (§7.3.8) is skipped by its `/Length` when `endstream` follows it there, else up
///   to the next `endstream`; `/FlateDecode` data is inflated with the system zlib and read the same
///   way (content streams, embedded files, an embedded PDF), and a `/Type /ObjStm` object stream
///   (§7.5.7) is split at the offsets its header gives, so each object keeps its own number.
///
/// Hostile files are bounded: at most `maximumInflatedBytes` are inflated per attachment (a zip
/// bomb stops there), `maximumObjects` objects and `maximumLinks` links are read, streams nest
/// `maximumStreamDepth` deep; hitting a limit is reported in `limits`, never a crash. O(n + m) in
/// the file's size n and the inflated size m.
public enum PDFLinks {
  /// Inflated bytes per attachment, all streams together.
  public static let maximumInflatedBytes = 16 * 1024 * 1024
  /// Objects read per attachment (`obj` keywords and the objects of object streams).
  public static let maximumObjects = 100_000
  /// Links read per attachment.
  public static let maximumLinks = 1_000
  /// Streams inside inflated streams (an embedded file's own streams) are read this deep.
  public static let maximumStreamDepth = 3
  /// Bytes kept of one string; the rest is read past.
  public static let maximumStringBytes = 64 * 1024
  /// Bytes of string objects kept for resolving `/URI N G R`.
  static let maximumStringObjectBytes = 1024 * 1024
  /// A PDF reader looks for `%PDF-` this far into the file (Acrobat's tolerance, which phishers use).
  public static let headerWindow = 1024

  /// One link.
  public struct URI: Sendable, Equatable {
    /// The URI as the reader sees it (string escapes decoded).
    public let value: String
    /// The number of the object holding it (inside an object stream, the inner object's).
    public let objectNumber: Int?
    /// Offset in the PDF of what holds it: the object, or the stream it was inflated from.
    public let offset: Int
  }

  /// What was read of one PDF.
  public struct Result: Sendable, Equatable {
    public var uris: [URI] = []
    /// Limits hit, each a sentence ("more than 1000 links"), for an input finding.
    public var limits: [String] = []
  }

  /// True when `bytes` starts, within `headerWindow`, with a PDF header as readers accept it.
  public static func isPDF<C: Collection<UInt8>>(_ bytes: C) -> Bool {
    Array(bytes.prefix(headerWindow + 5)).firstByteRange(of: Array("%PDF-".utf8)) != nil
  }

  public static func read(_ bytes: [UInt8]) -> Result {
    var reader = Reader()
    reader.scan(bytes, 0..<bytes.count, depth: 0, objectNumber: nil, reportOffset: nil, inObjectStream: false)
    reader.resolveReferences()
    var result = Result()
    result.uris = reader.uris
    if reader.inflateLimitHit {
      result.limits.append(
        "more than \(maximumInflatedBytes / (1024 * 1024)) MiB of compressed streams; the rest were not inflated"
      )
    }
    if reader.objectLimitHit {
      result.limits.append("more than \(maximumObjects) objects; the rest were not read")
    }
    if reader.linkLimitHit { result.limits.append("more than \(maximumLinks) links; the rest were not read") }
    if reader.depthLimitHit {
      result.limits.append(
        "streams nested more than \(maximumStreamDepth) deep; the inner ones were not read")
    }
    return result
  }

  /// The tokenizer's state across the whole file and everything inflated from it.
  struct Reader {
    var uris: [URI] = []
    var inflatedBytes = 0
    var objects = 0
    var inflateLimitHit = false
    var objectLimitHit = false
    var linkLimitHit = false
    var depthLimitHit = false
    /// `/URI N G R` found, resolved at the end.
    var references: [(object: Int, holder: Int?, offset: Int)] = []
    /// Objects whose value is a string, for those references.
    var stringObjects: [Int: String] = [:]
    var stringObjectBytes = 0

    var stopped: Bool { objectLimitHit || linkLimitHit }

    mutating func add(_ value: [UInt8], objectNumber: Int?, offset: Int) {
      guard uris.count < PDFLinks.maximumLinks else {
        linkLimitHit = true
        return
      }
      let text = Self.text(value).trimming(" \t\r\n\u{0}")
      if !text.isEmpty { uris.append(URI(value: text, objectNumber: objectNumber, offset: offset)) }
    }

    mutating func resolveReferences() {
      for reference in references {
        guard let value = stringObjects[reference.object] else { continue }
        add(Array(value.utf8), objectNumber: reference.holder ?? reference.object, offset: reference.offset)
      }
    }

    /// PDF text strings are PDFDocEncoding or UTF-16BE with a byte-order mark (§7.9.2.2); a URI is
    /// 7-bit ASCII by definition, so anything else is read as UTF-8 (bad bytes become U+FFFD).
    static func text(_ bytes: [UInt8]) -> String {
      if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
        var units: [UInt16] = []
        var index = 2
        while index + 1 < bytes.count {
          units.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
          index += 2
        }
        return String(decoding: units, as: UTF16.self)
      }
      return String(decoding: bytes, as: UTF8.self)
    }

    /// The byte that closes a string opened by `opening`.
    func closing(_ opening: UInt8) -> UInt8 {
      opening == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: ">")
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
      byte == 0x00 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D || byte == 0x20
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["),
        UInt8(ascii: "]"),
        UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
        true
      default: false
      }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
      default: nil
      }
    }

    /// A literal string starting at `start` (the `(`), decoded; `next` is just past its `)` (or the
    /// end, when it is never closed). §7.3.4.2.
    static func literalString(_ bytes: [UInt8], _ start: Int, _ end: Int) -> (value: [UInt8], next: Int) {
      var value: [UInt8] = []
      var depth = 0
      var index = start + 1
      func keep(_ byte: UInt8) { if value.count < PDFLinks.maximumStringBytes { value.append(byte) } }
      while index < end {
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "("):
          depth += 1
          keep(byte)
        case UInt8(ascii: ")"):
          if depth == 0 { return (value, index) }
          depth -= 1
          keep(byte)
        case 0x0D:
          // An end of line in a string is a line feed, whatever it was written as.
          if index < end, bytes[index] == 0x0A { index += 1 }
          keep(0x0A)
        case UInt8(ascii: "\\"):
          guard index < end else { return (value, index) }
          let escaped = bytes[index]
          index += 1
          switch escaped {
          case UInt8(ascii: "n"): keep(0x0A)
          case UInt8(ascii: "r"): keep(0x0D)
          case UInt8(ascii: "t"): keep(0x09)
          case UInt8(ascii: "b"): keep(0x08)
          case UInt8(ascii: "f"): keep(0x0C)
          case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var code = Int(escaped - UInt8(ascii: "0"))
            var digits = 1
            while digits < 3, index < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[index]) {
              code = code * 8 + Int(bytes[index] - UInt8(ascii: "0"))
              index += 1
              digits += 1
            }
            keep(UInt8(truncatingIfNeeded: code))  // \777 overflows a byte: high bit ignored, as readers do
          case 0x0D:
            if index < end, bytes[index] == 0x0A { index += 1 }  // a continuation: nothing kept
          case 0x0A: break
          default: keep(escaped)  // \( \) \\ and unknown escapes: the character itself
          }
        default: keep(byte)
        }
      }
      return (value, end)
    }

    /// A hex string starting at `start` (the `<`). §7.3.4.3.
    static func hexString(_ bytes: [UInt8], _ start: Int, _ end: Int) -> (value: [UInt8], next: Int) {
      var value: [UInt8] = []
      var high: UInt8?
      var index = start + 1
      while index < end {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: ">") { break }
        guard let nibble = hexValue(byte) else { continue }  // white space (and junk) ignored
        if let first = high {
          if value.count < PDFLinks.maximumStringBytes { value.append(first << 4 | nibble) }
          high = nil
        } else {
          high = nibble
        }
      }
      if let first = high, value.count < PDFLinks.maximumStringBytes { value.append(first << 4) }
      return (value, index)
    }

    /// What the tokens of one object say about its stream.
    /// Stream subtypes that are pictures or font programs (ISO 32000-1 §8.9.5, §9.9).
    static let subtypesWithoutLinks: Set<String> = ["Image", "Type1C", "CIDFontType0C", "OpenType"]

    struct ObjectState {
      var filters: [String] = []
      var objectStream = false
      /// An image or a font program (`/Subtype /Image`, `/Length1` …): data a viewer never reads
      /// actions from, so it is not inflated (it is most of a PDF's inflated size).
      var holdsNoLinks = false
      var length: Int?
      var count: Int?
      var first: Int?
    }

    /// Reads `bytes[range]`: tokens, objects, strings after `/URI`, streams. `objectNumber` is the
    /// object the text belongs to when it has no `obj` of its own (an inflated stream, an object of
    /// an object stream); `reportOffset` replaces offsets in `bytes` when `bytes` is not the file.
    mutating func scan(
      _ bytes: [UInt8], _ range: Range<Int>, depth: Int, objectNumber outerObject: Int?, reportOffset: Int?,
      inObjectStream: Bool
    ) {
      let end = range.upperBound
      var index = range.lowerBound
      var currentObject = outerObject
      var objectStart = reportOffset ?? range.lowerBound
      var state = ObjectState()
      // The last two tokens when they were integers, for `N G obj` and `N G R`.
      var numbers: [Int] = []
      var lastKey = ""
      var inFilterArray = false
      var expectingURI = false
      var tokensInObject = 0
      while index < end, !stopped {
        let byte = bytes[index]
        if Self.isWhitespace(byte) {
          index += 1
          continue
        }
        let tokenStart = index
        switch byte {
        case UInt8(ascii: "%"):
          while index < end, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
          continue
        case UInt8(ascii: "("),
          UInt8(ascii: "<") where index + 1 >= end || bytes[index + 1] != UInt8(ascii: "<"):
          let string =
            byte == UInt8(ascii: "(")
            ? Self.literalString(bytes, index, end) : Self.hexString(bytes, index, end)
          index = string.next
          let offset = reportOffset ?? objectStart
          // An unclosed string is no string to a reader: it runs to the end of the data.
          if expectingURI, string.next < end || bytes[end - 1] == closing(byte) {
            add(string.value, objectNumber: currentObject, offset: offset)
          }
          if tokensInObject == 0, reportOffset == nil || inObjectStream, let number = currentObject,
            stringObjectBytes < PDFLinks.maximumStringObjectBytes
          {
            let text = Self.text(string.value)
            stringObjectBytes += text.utf8.count
            stringObjects[number] = text
          }
          expectingURI = false
          numbers = []
          tokensInObject += 1
          continue
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
          // `<<` or `>>` (a lone `>` is junk, skipped the same way).
          index +=
            byte == UInt8(ascii: "<") ? 2 : (index + 1 < end && bytes[index + 1] == UInt8(ascii: ">") ? 2 : 1)
          expectingURI = false
          numbers = []
          tokensInObject += 1
          continue
        case UInt8(ascii: "["):
          index += 1
          inFilterArray = lastKey == "Filter"
          expectingURI = false
          numbers = []
          tokensInObject += 1
          continue
        case UInt8(ascii: "]"):
          index += 1
          inFilterArray = false
          lastKey = ""
          numbers = []
          continue
        case UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "}"):
          index += 1
          numbers = []
          continue
        case UInt8(ascii: "/"):
          index += 1
          var name: [UInt8] = []
          while index < end, !Self.isWhitespace(bytes[index]), !Self.isDelimiter(bytes[index]) {
            if bytes[index] == UInt8(ascii: "#"), index + 2 < end, let high = Self.hexValue(bytes[index + 1]),
              let low = Self.hexValue(bytes[index + 2])
            {
              name.append(high << 4 | low)
              index += 3
            } else {
              name.append(bytes[index])
              index += 1
            }
            if name.count > 127 { name.removeLast() }  // names are at most 127 bytes (Annex C)
          }
          let decoded = String(decoding: name, as: UTF8.self)
          tokensInObject += 1
          numbers = []
          if decoded == "URI" {
            expectingURI = true
            lastKey = decoded
            continue
          }
          expectingURI = false
          if lastKey == "Filter" || inFilterArray {
            state.filters.append(decoded)
            if !inFilterArray { lastKey = "" }
            continue
          }
          if lastKey == "Type", decoded == "ObjStm" { state.objectStream = true }
          if lastKey == "Subtype", Self.subtypesWithoutLinks.contains(decoded) { state.holdsNoLinks = true }
          if decoded == "Length1" || decoded == "Length2" || decoded == "Length3" {
            state.holdsNoLinks = true
          }
          lastKey = lastKey == "Type" ? "" : decoded
          continue
        default:
          break
        }
        // A regular token: a number or a keyword.
        while index < end, !Self.isWhitespace(bytes[index]), !Self.isDelimiter(bytes[index]) { index += 1 }
        let token = bytes[tokenStart..<index]
        tokensInObject += 1
        if token.count <= 9, token.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
          // Integers of up to 9 digits: object numbers, generations, lengths.
          let value = token.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
          numbers.append(value)
          if numbers.count > 2 { numbers.removeFirst() }
          switch lastKey {
          case "Length": state.length = value
          case "N": state.count = value
          case "First": state.first = value
          default: break
          }
          if lastKey != "URI" { lastKey = "" }
          continue
        }
        let keyword = String(decoding: token, as: UTF8.self)
        switch keyword {
        case "obj":
          objects += 1
          if objects > PDFLinks.maximumObjects {
            objectLimitHit = true
            return
          }
          if numbers.count == 2 { currentObject = numbers[0] }
          objectStart = reportOffset ?? tokenStart
          state = ObjectState()
          tokensInObject = 0
        case "endobj":
          currentObject = outerObject
          state = ObjectState()
        case "R":
          if expectingURI, numbers.count == 2 {
            references.append((numbers[0], currentObject, reportOffset ?? objectStart))
          }
        case "stream":
          index = stream(
            bytes, after: index, end: end, state: state, depth: depth, objectNumber: currentObject,
            objectStart: objectStart)
          state = ObjectState()
        default:
          break
        }
        expectingURI = false
        lastKey = ""
        numbers = []
      }
    }

    /// Reads a stream whose keyword ends at `keywordEnd`; returns where reading goes on (after
    /// `endstream`).
    mutating func stream(
      _ bytes: [UInt8], after keywordEnd: Int, end: Int, state: ObjectState, depth: Int, objectNumber: Int?,
      objectStart: Int
    ) -> Int {
      // §7.3.8.1: the keyword is followed by CRLF or LF; writers also put a lone CR or spaces.
      var dataStart = keywordEnd
      while dataStart < end, bytes[dataStart] == 0x20 { dataStart += 1 }
      if dataStart < end, bytes[dataStart] == 0x0D { dataStart += 1 }
      if dataStart < end, bytes[dataStart] == 0x0A { dataStart += 1 }
      let endKeyword = Array("endstream".utf8)
      var dataEnd: Int?
      if let length = state.length, length <= end - dataStart {
        var after = dataStart + length
        while after < end, Self.isWhitespace(bytes[after]) { after += 1 }
        if bytes[after..<min(end, after + endKeyword.count)].elementsEqual(endKeyword) {
          dataEnd = dataStart + length
        }
      }
      let found = dataEnd ?? bytes[dataStart..<end].firstByteRange(of: endKeyword)?.lowerBound ?? end
      let resume = min(end, bytes[found..<end].firstByteRange(of: endKeyword)?.upperBound ?? end)
      let data = dataStart..<max(dataStart, found)
      guard depth < PDFLinks.maximumStreamDepth else {
        depthLimitHit = true
        return resume
      }
      let flate = state.filters.count == 1 && (state.filters[0] == "FlateDecode" || state.filters[0] == "Fl")
      if state.holdsNoLinks { return resume }
      if state.filters.isEmpty {
        // Uncompressed data is read as its own text, so a stray `(` in it cannot swallow the file.
        scan(
          bytes, data, depth: depth + 1, objectNumber: objectNumber, reportOffset: objectStart,
          inObjectStream: false)
        return resume
      }
      guard flate, !data.isEmpty else { return resume }  // other filters (images, fonts) hold no links
      let room = PDFLinks.maximumInflatedBytes - inflatedBytes
      guard room > 0 else {
        inflateLimitHit = true
        return resume
      }
      let (inflated, hitLimit) = Self.inflate(bytes, data, limit: room)
      inflatedBytes += inflated.count
      if hitLimit { inflateLimitHit = true }
      if state.objectStream, let count = state.count, let first = state.first {
        objectStream(inflated, count: count, first: first, depth: depth, offset: objectStart)
      } else {
        scan(
          inflated, 0..<inflated.count, depth: depth + 1, objectNumber: objectNumber,
          reportOffset: objectStart, inObjectStream: false)
      }
      return resume
    }

    /// §7.5.7: `count` pairs of integers (object number, offset relative to `first`), then the
    /// objects. Offsets that go backwards or past the end end that object at the next sane one.
    mutating func objectStream(_ bytes: [UInt8], count: Int, first: Int, depth: Int, offset: Int) {
      guard first <= bytes.count else { return }
      var pairs: [(number: Int, offset: Int)] = []
      var index = 0
      var pending: Int?
      while index < first, pairs.count < count {
        while index < first, Self.isWhitespace(bytes[index]) { index += 1 }
        let start = index
        while index < first, index - start < 10,
          (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index])
        { index += 1 }
        guard index > start else { break }  // not an integer: the header ends here
        let value = bytes[start..<index].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        if let number = pending {
          pairs.append((number, value))
          pending = nil
        } else {
          pending = value
        }
      }
      for (position, pair) in pairs.enumerated() {
        objects += 1
        if objects > PDFLinks.maximumObjects {
          objectLimitHit = true
          return
        }
        let start = first + pair.offset
        let next = position + 1 < pairs.count ? first + pairs[position + 1].offset : bytes.count
        guard start < bytes.count else { continue }
        let stop = next > start && next <= bytes.count ? next : bytes.count
        scan(
          bytes, start..<stop, depth: depth + 1, objectNumber: pair.number, reportOffset: offset,
          inObjectStream: true)
        if stopped { return }
      }
    }

    /// Inflates `bytes[range]` into at most `limit` bytes; true when the limit cut it short.
    static func inflate(_ bytes: [UInt8], _ range: Range<Int>, limit: Int) -> ([UInt8], Bool) {
      bytes.withUnsafeBufferPointer { buffer in
        // Not nil: `range` is non-empty and inside `bytes`, whose storage is contiguous.
        let start = buffer.baseAddress! + range.lowerBound
        let result = sendlint_inflate(start, Int64(range.count), Int64(limit))
        defer { sendlint_inflate_free(result.data) }
        let output =
          result.data.map { Array(UnsafeBufferPointer(start: $0, count: Int(result.length))) } ?? []
        return (output, result.status == Int32(SENDLINT_INFLATE_LIMIT))
      }
    }
  }
}

/// Names the attachment (and PDF object) a finding about an attachment's link is about: rules word
/// their messages for links in general, and such a link's location is only its MIME part.
public struct AttachmentLinkNotes: Sendable {
  let links: [SourceRange: [Link]]

  public init(_ inventory: Inventory) {
    var links: [SourceRange: [Link]] = [:]
    for link in inventory.links where link.origin != nil { links[link.range, default: []].append(link) }
    self.links = links
  }

  /// `message` with ` (in PDF attachment "a.pdf", object 12)` appended when `range` is where an
  /// attachment's link is: the link whose href (else host) the message quotes, else the first.
  public func annotate(_ message: String, range: SourceRange?) -> String {
    guard let range, let candidates = links[range], let first = candidates.first else { return message }
    let link =
      candidates.first { message.contains($0.href) } ?? candidates.first {
        $0.host.map(message.contains) ?? false
      } ?? first
    guard let origin = link.origin, !message.contains(origin) else { return message }
    return message + " (in \(origin))"
  }
}
