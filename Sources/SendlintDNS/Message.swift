/// DNS wire format (RFC 1035 §4): the query this client sends and a bounded reader of answers.
///
/// The reader works on the datagram's bytes and never trusts a count or a pointer: every read is
/// bounds-checked, a compression pointer must point strictly before the label that holds it (so
/// no chain can loop), at most `DNSMessage.maximumPointerJumps` pointers are followed per name, a
/// name longer than 255 octets is malformed, and record counts are capped by what the remaining
/// bytes could hold and by `DNSMessage.maximumRecords`. O(n) in the packet for each section.

/// Record types this client asks for or reads.
public enum DNSRecordType: UInt16, Sendable, Hashable, CustomStringConvertible {
  case a = 1
  case ns = 2
  case cname = 5
  case soa = 6
  case ptr = 12
  case mx = 15
  case txt = 16
  case aaaa = 28
  case opt = 41

  public var description: String {
    switch self {
    case .a: "A"
    case .ns: "NS"
    case .cname: "CNAME"
    case .soa: "SOA"
    case .ptr: "PTR"
    case .mx: "MX"
    case .txt: "TXT"
    case .aaaa: "AAAA"
    case .opt: "OPT"
    }
  }
}

/// The data of one resource record, decoded for the types sendlint reads.
public enum DNSRecordData: Sendable, Hashable {
  case a([UInt8])
  case aaaa([UInt8])
  /// The character-strings of a TXT record, in order (RFC 7208 §3.3 concatenates them).
  case txt([[UInt8]])
  case mx(preference: UInt16, exchange: String)
  case ptr(String)
  case cname(String)
  case ns(String)
  case soa(mname: String, rname: String, minimum: UInt32)
  /// A type sendlint does not decode.
  case other(type: UInt16)
}

/// One resource record.
public struct DNSRecord: Sendable, Hashable {
  /// The owner name, lowercased, without the trailing dot.
  public let name: String
  public let type: UInt16
  public let ttl: UInt32
  public let data: DNSRecordData

  public init(name: String, type: UInt16, ttl: UInt32, data: DNSRecordData) {
    self.name = name
    self.type = type
    self.ttl = ttl
    self.data = data
  }

  /// TXT strings joined without separators, as RFC 7208 §3.3 and RFC 6376 §3.6.2.2 read them.
  public var joinedText: String? {
    guard case .txt(let strings) = data else { return nil }
    return String(decoding: strings.joined(), as: UTF8.self)
  }
}

/// Why a packet could not be read.
public struct DNSParseError: Error, Sendable, Hashable, CustomStringConvertible {
  public let reason: String
  public init(_ reason: String) { self.reason = reason }
  public var description: String { reason }
}

/// A decoded DNS response.
public struct DNSMessage: Sendable {
  public let id: UInt16
  public let isResponse: Bool
  public let truncated: Bool
  /// RCODE (RFC 1035 §4.1.1; 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED).
  public let rcode: UInt8
  public let questionName: String?
  public let questionType: UInt16?
  public let answers: [DNSRecord]
  public let authority: [DNSRecord]

  /// Names longer than this are malformed (RFC 1035 §2.3.4).
  public static let maximumNameLength = 255
  /// Compression pointers followed in one name; more is a hostile packet.
  public static let maximumPointerJumps = 32
  /// Records read from the answer and authority sections together.
  public static let maximumRecords = 512

  /// Reads a response. Throws `DNSParseError` for anything that is not a well-formed message.
  public static func parse(_ bytes: [UInt8]) throws(DNSParseError) -> DNSMessage {
    var reader = Reader(bytes: bytes)
    guard bytes.count >= 12 else {
      throw DNSParseError("\(bytes.count) bytes is shorter than a DNS header (12)")
    }
    let id = try reader.u16()
    let flags = try reader.u16()
    let qdcount = Int(try reader.u16())
    let ancount = Int(try reader.u16())
    let nscount = Int(try reader.u16())
    _ = try reader.u16()  // additional records are not read
    guard qdcount <= 1 else {
      throw DNSParseError("\(qdcount) questions in a response (at most 1 is meaningful)")
    }
    var questionName: String?
    var questionType: UInt16?
    if qdcount == 1 {
      questionName = try reader.name()
      questionType = try reader.u16()
      _ = try reader.u16()
    }
    // Each record takes at least 11 bytes (a root name, type, class, TTL, length).
    let possible = (bytes.count - reader.offset) / 11
    guard ancount + nscount <= possible else {
      throw DNSParseError(
        "header announces \(ancount + nscount) records but only \(bytes.count - reader.offset) bytes follow")
    }
    guard ancount + nscount <= maximumRecords else {
      throw DNSParseError("\(ancount + nscount) records exceed the limit of \(maximumRecords)")
    }
    var answers: [DNSRecord] = []
    for _ in 0..<ancount { answers.append(try reader.record()) }
    var authority: [DNSRecord] = []
    for _ in 0..<nscount { authority.append(try reader.record()) }
    return DNSMessage(
      id: id, isResponse: flags & 0x8000 != 0, truncated: flags & 0x0200 != 0, rcode: UInt8(flags & 0x000F),
      questionName: questionName, questionType: questionType, answers: answers, authority: authority)
  }

  /// A recursive query for `name` and `type` with an EDNS0 OPT record offering `udpSize`.
  /// Throws when the name is not a valid DNS name (empty label, label over 63, over 255 octets).
  public static func query(id: UInt16, name: String, type: DNSRecordType, udpSize: UInt16 = 1232)
    throws(DNSParseError) -> [UInt8]
  {
    var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]
    bytes += try encodeName(name)
    bytes += [UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xFF), 0, 1]
    // OPT: root name, type 41, class = payload size, TTL 0, no options (RFC 6891 §6.1.2).
    bytes += [0, 0, 41, UInt8(udpSize >> 8), UInt8(udpSize & 0xFF), 0, 0, 0, 0, 0, 0]
    return bytes
  }

  /// The wire form of a name: length-prefixed labels and the root.
  public static func encodeName(_ name: String) throws(DNSParseError) -> [UInt8] {
    var text = Substring(name)
    if text.hasSuffix(".") { text = text.dropLast() }
    var bytes: [UInt8] = []
    if !text.isEmpty {
      for label in text.split(separator: ".", omittingEmptySubsequences: false) {
        let utf8 = Array(label.utf8)
        guard !utf8.isEmpty else { throw DNSParseError("empty label in name") }
        guard utf8.count <= 63 else { throw DNSParseError("label of \(utf8.count) octets (at most 63)") }
        bytes.append(UInt8(utf8.count))
        bytes += utf8
      }
    }
    bytes.append(0)
    guard bytes.count <= maximumNameLength else {
      throw DNSParseError("name of \(bytes.count) octets (at most 255)")
    }
    return bytes
  }

  struct Reader {
    let bytes: [UInt8]
    var offset = 0

    mutating func u8() throws(DNSParseError) -> UInt8 {
      guard offset < bytes.count else { throw DNSParseError("truncated at offset \(offset)") }
      defer { offset += 1 }
      return bytes[offset]
    }

    mutating func u16() throws(DNSParseError) -> UInt16 {
      guard offset + 2 <= bytes.count else { throw DNSParseError("truncated at offset \(offset)") }
      defer { offset += 2 }
      return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u32() throws(DNSParseError) -> UInt32 {
      let high = try u16()
      return UInt32(high) << 16 | UInt32(try u16())
    }

    /// A possibly compressed name at `offset` (RFC 1035 §4.1.4), lowercased, without the root dot.
    mutating func name() throws(DNSParseError) -> String {
      let (text, end) = try Self.readName(bytes, at: offset, limit: bytes.count)
      offset = end
      return text
    }

    /// Reads a name at `start`; returns it and the offset after its in-place part. Pointers must go
    /// strictly backwards from the label that holds them, so the walk ends; jumps are capped too.
    static func readName(_ bytes: [UInt8], at start: Int, limit: Int) throws(DNSParseError) -> (String, Int) {
      var labels: [String] = []
      var position = start
      var end: Int?
      var jumps = 0
      var length = 1
      var floor = start
      while true {
        guard position < limit else { throw DNSParseError("name runs past the end at offset \(position)") }
        let byte = bytes[position]
        switch byte & 0xC0 {
        case 0xC0:
          guard position + 1 < limit else {
            throw DNSParseError("truncated compression pointer at offset \(position)")
          }
          let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
          guard target < floor else {
            throw DNSParseError(
              "compression pointer at offset \(position) to \(target) does not point backwards")
          }
          jumps += 1
          guard jumps <= DNSMessage.maximumPointerJumps else {
            throw DNSParseError(
              "more than \(DNSMessage.maximumPointerJumps) compression pointers in one name")
          }
          if end == nil { end = position + 2 }
          position = target
          floor = target
        case 0x00:
          let count = Int(byte)
          if count == 0 {
            return (labels.joined(separator: "."), end ?? position + 1)
          }
          guard position + 1 + count <= limit else {
            throw DNSParseError("label runs past the end at offset \(position)")
          }
          length += count + 1
          guard length <= DNSMessage.maximumNameLength else {
            throw DNSParseError("name longer than \(DNSMessage.maximumNameLength) octets")
          }
          labels.append(
            String(decoding: bytes[(position + 1)...(position + count)], as: UTF8.self).lowercased())
          position += 1 + count
        default:
          throw DNSParseError("reserved label type 0x\(String(byte, radix: 16)) at offset \(position)")
        }
      }
    }

    mutating func record() throws(DNSParseError) -> DNSRecord {
      let owner = try name()
      let type = try u16()
      _ = try u16()
      let ttl = try u32()
      let length = Int(try u16())
      let start = offset
      let end = start + length
      guard end <= bytes.count else {
        throw DNSParseError("record data of \(length) bytes runs past the end at offset \(start)")
      }
      let data: DNSRecordData
      func embeddedName(at position: Int) throws(DNSParseError) -> (String, Int) {
        let (text, after) = try Self.readName(bytes, at: position, limit: end)
        return (text, after)
      }
      switch DNSRecordType(rawValue: type) {
      case .a:
        guard length == 4 else { throw DNSParseError("A record of \(length) bytes (4 expected)") }
        data = .a(Array(bytes[start..<end]))
      case .aaaa:
        guard length == 16 else { throw DNSParseError("AAAA record of \(length) bytes (16 expected)") }
        data = .aaaa(Array(bytes[start..<end]))
      case .txt:
        var strings: [[UInt8]] = []
        var position = start
        while position < end {
          let count = Int(bytes[position])
          guard position + 1 + count <= end else {
            throw DNSParseError("TXT string runs past its record at offset \(position)")
          }
          strings.append(Array(bytes[(position + 1)..<(position + 1 + count)]))
          position += 1 + count
        }
        data = .txt(strings)
      case .mx:
        guard length >= 3 else { throw DNSParseError("MX record of \(length) bytes") }
        let preference = UInt16(bytes[start]) << 8 | UInt16(bytes[start + 1])
        let (exchange, after) = try embeddedName(at: start + 2)
        guard after == end else { throw DNSParseError("MX record has trailing bytes") }
        data = .mx(preference: preference, exchange: exchange)
      case .ptr, .cname, .ns:
        let (target, after) = try embeddedName(at: start)
        guard after == end else {
          throw DNSParseError("\(DNSRecordType(rawValue: type)!) record has trailing bytes")
        }  // rawValue matched a case above
        switch DNSRecordType(rawValue: type) {
        case .ptr: data = .ptr(target)
        case .cname: data = .cname(target)
        default: data = .ns(target)
        }
      case .soa:
        let (mname, afterM) = try embeddedName(at: start)
        let (rname, afterR) = try embeddedName(at: afterM)
        guard afterR + 20 == end else { throw DNSParseError("SOA record of the wrong length") }
        let minimum =
          UInt32(bytes[end - 4]) << 24 | UInt32(bytes[end - 3]) << 16 | UInt32(bytes[end - 2]) << 8
          | UInt32(bytes[end - 1])
        data = .soa(mname: mname, rname: rname, minimum: minimum)
      default:
        data = .other(type: type)
      }
      offset = end
      return DNSRecord(name: owner, type: type, ttl: ttl, data: data)
    }
  }
}
