import SendlintCore

/// An IPv4 or IPv6 address.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
  case v4(UInt32)
  case v6([UInt16])

  /// Parses a strict dotted-quad IPv4 address or an IPv6 address (RFC 4291 §2.2 text forms,
  /// optionally bracketed, an `IPv6:` prefix as in SMTP literals allowed).
  public init?(_ text: String) {
    var trimmed = Substring(text)
    if trimmed.hasPrefix("["), trimmed.hasSuffix("]") { trimmed = trimmed.dropFirst().dropLast() }
    if trimmed.lowercased().hasPrefix("ipv6:") { trimmed = trimmed.dropFirst(5) }
    // An ASCII text's ":" Characters are its ":" bytes (Foundation's search cost 5,700
    // instructions a call); other text keeps the Character search.
    if trimmed.utf8.isAllASCII ? trimmed.utf8.contains(UInt8(ascii: ":")) : trimmed.contains(":") {
      guard let pieces = IPv6Parser.parse(Array(trimmed.utf8)) else { return nil }
      self = .v6(pieces)
      return
    }
    let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var value: UInt32 = 0
    for part in parts {
      guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
        let number = UInt32(part), number <= 255
      else { return nil }
      value = value << 8 | number
    }
    self = .v4(value)
  }

  public var description: String {
    switch self {
    case .v4(let value):
      return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    case .v6(let pieces):
      return IPv6Parser.serialize(pieces)
    }
  }

  /// Bits of the address, most significant first, as 128 bits for IPv6 and 32 for IPv4.
  func bit(_ index: Int) -> Bool {
    switch self {
    case .v4(let value): return value >> (31 - index) & 1 == 1
    case .v6(let pieces): return pieces[index / 16] >> (15 - index % 16) & 1 == 1
    }
  }

  var bitCount: Int {
    if case .v4 = self { return 32 }
    return 128
  }

  /// Private, loopback, link-local or unspecified: addresses that are never a public sending IP.
  public var isInternal: Bool {
    switch self {
    case .v4(let value):
      let first = value >> 24
      let second = value >> 16 & 0xFF
      return first == 10 || first == 127 || first == 0 || (first == 172 && (16...31).contains(second))
        || (first == 192 && second == 168) || (first == 169 && second == 254)
        || (first == 100 && (64...127).contains(second))
    case .v6(let pieces):
      if pieces.allSatisfy({ $0 == 0 }) { return true }
      if pieces[0..<7].allSatisfy({ $0 == 0 }) && pieces[7] == 1 { return true }
      return pieces[0] & 0xFE00 == 0xFC00 || pieces[0] & 0xFFC0 == 0xFE80
    }
  }
}

/// An address block such as `203.0.113.0/24` or `2001:db8::/32`.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
  public let address: IPAddress
  public let prefixLength: Int

  /// Parses `address/prefix` or a single address (a /32 or /128). Host bits may be set, as people
  /// write `203.0.113.7/24`; they are ignored.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    guard let address = IPAddress(parts[0].trimmingASCIIWhitespace()) else { return nil }
    self.address = address
    if parts.count == 2 {
      guard let length = Int(parts[1].trimmingASCIIWhitespace()), length >= 0, length <= address.bitCount
      else { return nil }
      prefixLength = length
    } else {
      prefixLength = address.bitCount
    }
  }

  /// Whether `ip` lies in this block (an IPv4 address never lies in an IPv6 block and vice versa,
  /// except IPv4-mapped IPv6 addresses, which are compared as IPv4).
  public func contains(_ ip: IPAddress) -> Bool {
    var candidate = ip
    if case .v6(let pieces) = ip, case .v4 = address, pieces[0..<5].allSatisfy({ $0 == 0 }),
      pieces[5] == 0xFFFF
    {
      candidate = .v4(UInt32(pieces[6]) << 16 | UInt32(pieces[7]))
    }
    guard candidate.bitCount == address.bitCount else { return false }
    for index in 0..<prefixLength where candidate.bit(index) != address.bit(index) { return false }
    return true
  }

  public var description: String { "\(address)/\(prefixLength)" }
}

/// IPv6 text parsing and serialisation following the WHATWG URL standard's IPv6 parser, which
/// accepts exactly the RFC 4291 forms including a trailing dotted IPv4 part.
enum IPv6Parser {
  static func parse(_ input: [UInt8]) -> [UInt16]? {
    var address = [UInt16](repeating: 0, count: 8)
    var pieceIndex = 0
    var compress: Int?
    var pointer = 0
    func at(_ index: Int) -> UInt8? { index < input.count ? input[index] : nil }
    if at(pointer) == UInt8(ascii: ":") {
      guard at(pointer + 1) == UInt8(ascii: ":") else { return nil }
      pointer += 2
      pieceIndex += 1
      compress = pieceIndex
    }
    while let c = at(pointer) {
      guard pieceIndex != 8 else { return nil }
      if c == UInt8(ascii: ":") {
        guard compress == nil else { return nil }
        pointer += 1
        pieceIndex += 1
        compress = pieceIndex
        continue
      }
      var value: UInt16 = 0
      var length = 0
      while length < 4, let digit = at(pointer).flatMap(hexValue) {
        value = value * 0x10 + UInt16(digit)
        pointer += 1
        length += 1
      }
      if at(pointer) == UInt8(ascii: ".") {
        guard length != 0 else { return nil }
        pointer -= length
        guard pieceIndex <= 6 else { return nil }
        var numbersSeen = 0
        while let c2 = at(pointer) {
          var ipv4Piece: Int?
          if numbersSeen > 0 {
            guard c2 == UInt8(ascii: "."), numbersSeen < 4 else { return nil }
            pointer += 1
          }
          guard let first = at(pointer), first >= 48, first <= 57 else { return nil }
          while let digit = at(pointer), digit >= 48, digit <= 57 {
            let number = Int(digit - 48)
            if ipv4Piece == nil {
              ipv4Piece = number
            } else if ipv4Piece == 0 {
              return nil
            } else {
              ipv4Piece = ipv4Piece! * 10 + number  // non-nil in this branch
            }
            guard ipv4Piece! <= 255 else { return nil }  // set just above
            pointer += 1
          }
          address[pieceIndex] = address[pieceIndex] * 0x100 + UInt16(ipv4Piece ?? 0)
          numbersSeen += 1
          if numbersSeen == 2 || numbersSeen == 4 { pieceIndex += 1 }
        }
        guard numbersSeen == 4 else { return nil }
        break
      } else if at(pointer) == UInt8(ascii: ":") {
        pointer += 1
        guard at(pointer) != nil else { return nil }
      } else if at(pointer) != nil {
        return nil
      }
      address[pieceIndex] = value
      pieceIndex += 1
    }
    if let compress {
      var swaps = pieceIndex - compress
      pieceIndex = 7
      while pieceIndex != 0, swaps > 0 {
        address.swapAt(pieceIndex, compress + swaps - 1)
        pieceIndex -= 1
        swaps -= 1
      }
    } else if pieceIndex != 8 {
      return nil
    }
    return address
  }

  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 48...57: byte - 48
    case 65...70: byte - 55
    case 97...102: byte - 87
    default: nil
    }
  }

  /// RFC 5952 text: lowercase, the longest run of two or more zero pieces compressed.
  static func serialize(_ pieces: [UInt16]) -> String {
    var bestStart = -1
    var bestLength = 1
    var index = 0
    while index < 8 {
      if pieces[index] == 0 {
        var end = index
        while end < 8, pieces[end] == 0 { end += 1 }
        if end - index > bestLength {
          bestStart = index
          bestLength = end - index
        }
        index = end
      } else {
        index += 1
      }
    }
    var output = ""
    var ignore0 = false
    for (i, piece) in pieces.enumerated() {
      if ignore0, piece == 0 { continue }
      ignore0 = false
      if i == bestStart {
        output += i == 0 ? "::" : ":"
        ignore0 = true
        continue
      }
      output += String(piece, radix: 16)
      if i != 7 { output += ":" }
    }
    return output
  }
}
