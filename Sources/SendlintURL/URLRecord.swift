/// A parsed URL, following the WHATWG URL standard's basic URL parser for the parts a mail client
/// acts on: scheme, credentials, host, port, path, query, fragment.
public struct URLRecord: Sendable, Hashable, CustomStringConvertible {
  public var scheme: String
  public var username: String = ""
  public var password: String = ""
  public var host: Host?
  public var port: Int?
  /// The path as serialised (for special URLs always starting with "/").
  public var path: String = ""
  public var query: String?
  public var fragment: String?
  /// Things about the written form that a recipient would not notice but a rule should: a
  /// percent-encoded host, an IPv4 address in a legacy form, credentials, backslashes.
  public var notes: Set<Note> = []

  public enum Note: String, Sendable, Hashable {
    case percentEncodedHost, legacyIPv4, credentials, backslashes, whitespaceRemoved
  }

  static let specialSchemes: [String: Int?] = ["http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21, "file": nil]

  public var isSpecial: Bool { Self.specialSchemes[scheme] != nil }

  /// The serialised URL.
  public var href: String {
    var output = scheme + ":"
    if let host {
      output += "//"
      if !username.isEmpty || !password.isEmpty {
        output += username
        if !password.isEmpty { output += ":" + password }
        output += "@"
      }
      output += host.description
      if let port { output += ":\(port)" }
    }
    output += path
    if let query { output += "?" + query }
    if let fragment { output += "#" + fragment }
    return output
  }

  public var description: String { href }

  /// Parses `input`, resolving it against `base` when it is relative. Nil means failure.
  public static func parse(_ input: String, base: URLRecord? = nil) -> URLRecord? {
    var parser = URLParser(input: input, base: base)
    return parser.parse()
  }
}

/// The state machine behind `URLRecord.parse`, condensed: it follows the standard's states but
/// walks the input in larger steps where the standard's per-character states agree.
struct URLParser {
  var input: [UInt8]
  let base: URLRecord?
  var notes: Set<URLRecord.Note> = []

  init(input: String, base: URLRecord?) {
    var bytes = Array(input.utf8)
    // Strip leading and trailing C0 controls and spaces; remove tabs and newlines anywhere.
    while let first = bytes.first, first <= 0x20 { bytes.removeFirst() }
    while let last = bytes.last, last <= 0x20 { bytes.removeLast() }
    let before = bytes.count
    bytes.removeAll { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    if bytes.count != before { notes.insert(.whitespaceRemoved) }
    self.input = bytes
    self.base = base
  }

  static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
  static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

  mutating func parse() -> URLRecord? {
    // Scheme.
    var schemeEnd: Int?
    if let first = input.first, Self.isAlpha(first) {
      var index = 1
      while index < input.count {
        let byte = input[index]
        if Self.isAlpha(byte) || Self.isDigit(byte) || byte == 43 || byte == 45 || byte == 46 {
          index += 1
          continue
        }
        if byte == UInt8(ascii: ":") { schemeEnd = index }
        break
      }
    }
    guard let schemeEnd else { return parseRelative() }
    let scheme = String(decoding: input[0..<schemeEnd], as: UTF8.self).lowercased()
    var rest = Array(input[(schemeEnd + 1)...])
    var url = URLRecord(scheme: scheme)
    if url.isSpecial {
      if scheme != "file", let base, base.scheme == scheme, !(rest.first == 47 || rest.first == 92) {
        // "http:foo" with an http base is relative to it.
        input = rest
        return parseRelative()
      }
      var slashes = 0
      while let first = rest.first, first == 47 || first == 92 {
        if first == 92 { notes.insert(.backslashes) }
        rest.removeFirst()
        slashes += 1
      }
      _ = slashes
      if scheme == "file" {
        return parseFile(rest)
      }
      return parseAuthorityAndRest(rest, into: &url)
    }
    if rest.starts(with: [47, 47]) {
      return parseAuthorityAndRest(Array(rest.dropFirst(2)), into: &url)
    }
    // Opaque path (mailto:, tel:, javascript:, data:).
    let (pathPart, query, fragment) = splitQueryAndFragment(rest)
    url.path = String(decoding: pathPart, as: UTF8.self)
    url.query = query
    url.fragment = fragment
    url.notes = notes
    return url
  }

  private func splitQueryAndFragment(_ bytes: [UInt8]) -> ([UInt8], String?, String?) {
    var body = bytes
    var fragment: String?
    if let hash = body.firstIndex(of: 35) {
      fragment = String(decoding: body[(hash + 1)...], as: UTF8.self)
      body = Array(body[..<hash])
    }
    var query: String?
    if let question = body.firstIndex(of: 63) {
      query = String(decoding: body[(question + 1)...], as: UTF8.self)
      body = Array(body[..<question])
    }
    return (body, query, fragment)
  }

  private mutating func parseAuthorityAndRest(_ bytes: [UInt8], into url: inout URLRecord) -> URLRecord? {
    let special = url.isSpecial
    let authorityEnd = bytes.firstIndex { $0 == 47 || $0 == 63 || $0 == 35 || (special && $0 == 92) } ?? bytes.count
    var authority = Array(bytes[..<authorityEnd])
    if let at = authority.lastIndex(of: 64) {
      notes.insert(.credentials)
      let credentials = authority[..<at]
      if let colon = credentials.firstIndex(of: 58) {
        url.username = String(decoding: credentials[..<colon], as: UTF8.self)
        url.password = String(decoding: credentials[(colon + 1)...], as: UTF8.self)
      } else {
        url.username = String(decoding: credentials, as: UTF8.self)
      }
      authority = Array(authority[(at + 1)...])
    }
    // Port: after the last ":" outside brackets.
    var hostBytes = authority
    if let colon = authority.lastIndex(of: 58), !(authority.lastIndex(of: 93).map { $0 > colon } ?? false) {
      let portBytes = authority[(colon + 1)...]
      hostBytes = Array(authority[..<colon])
      if !portBytes.isEmpty {
        guard portBytes.allSatisfy(Self.isDigit), portBytes.count <= 5, let port = Int(String(decoding: portBytes, as: UTF8.self)),
          port <= 65535
        else { return nil }
        if URLRecord.specialSchemes[url.scheme] != .some(port) { url.port = port }
      }
    }
    if special, hostBytes.isEmpty { return nil }
    guard let host = parseHost(hostBytes, special: special) else { return nil }
    url.host = host
    var (pathBytes, query, fragment) = splitQueryAndFragment(Array(bytes[authorityEnd...]))
    if special {
      if pathBytes.contains(92) { notes.insert(.backslashes) }
      pathBytes = pathBytes.map { $0 == 92 ? 47 : $0 }
      if pathBytes.isEmpty { pathBytes = [47] }
    }
    url.path = Self.normalisePath(String(decoding: pathBytes, as: UTF8.self))
    url.query = query
    url.fragment = fragment
    url.notes = notes
    return url
  }

  private mutating func parseFile(_ rest: [UInt8]) -> URLRecord? {
    var url = URLRecord(scheme: "file")
    let hostEnd = rest.firstIndex { $0 == 47 || $0 == 92 || $0 == 63 || $0 == 35 } ?? rest.count
    let hostBytes = Array(rest[..<hostEnd])
    if hostBytes.isEmpty || String(decoding: hostBytes, as: UTF8.self).lowercased() == "localhost" {
      url.host = .empty
    } else {
      guard let host = parseHost(hostBytes, special: true) else { return nil }
      url.host = host
    }
    let (pathBytes, query, fragment) = splitQueryAndFragment(Array(rest[hostEnd...]))
    url.path = Self.normalisePath(String(decoding: pathBytes.map { $0 == 92 ? 47 : $0 }, as: UTF8.self))
    if url.path.isEmpty { url.path = "/" }
    url.query = query
    url.fragment = fragment
    return url
  }

  private mutating func parseRelative() -> URLRecord? {
    guard var url = base else { return nil }
    url.notes = notes
    let special = url.isSpecial
    let bytes = input
    if bytes.starts(with: [47, 47]) || (special && bytes.count >= 2 && (bytes[0] == 47 || bytes[0] == 92) && (bytes[1] == 47 || bytes[1] == 92)) {
      var fresh = URLRecord(scheme: url.scheme)
      return parseAuthorityAndRest(Array(bytes.dropFirst(2)), into: &fresh)
    }
    let (pathBytes, query, fragment) = splitQueryAndFragment(bytes)
    if pathBytes.isEmpty {
      if bytes.first == 63 {
        url.query = query
        url.fragment = fragment
      } else if bytes.first == 35 {
        url.fragment = fragment
      }
      return url
    }
    let path = String(decoding: special ? pathBytes.map { $0 == 92 ? 47 : $0 } : pathBytes, as: UTF8.self)
    if path.hasPrefix("/") {
      url.path = Self.normalisePath(path)
    } else {
      let directory = url.path.lastIndex(of: "/").map { String(url.path[...$0]) } ?? "/"
      url.path = Self.normalisePath(directory + path)
    }
    url.query = query
    url.fragment = fragment
    return url
  }

  /// Removes `.` and `..` segments (including their percent-encoded forms) as the standard does.
  static func normalisePath(_ path: String) -> String {
    guard path.contains(".") else { return path }
    var output: [Substring] = []
    let segments = path.split(separator: "/", omittingEmptySubsequences: false)
    for (index, segment) in segments.enumerated() {
      let lowered = segment.lowercased()
      let isLast = index == segments.count - 1
      if index == 0, segment.isEmpty { continue }
      if lowered == "." || lowered == "%2e" {
        if isLast { output.append("") }
      } else if [".." , ".%2e", "%2e.", "%2e%2e"].contains(lowered) {
        if !output.isEmpty { output.removeLast() }
        if isLast { output.append("") }
      } else {
        output.append(segment)
      }
    }
    return (path.hasPrefix("/") ? "/" : "") + output.joined(separator: "/")
  }

  /// The host parser (§3.5): IPv6 in brackets, opaque hosts for non-special URLs, otherwise
  /// percent-decoding, UTS #46 ToASCII, forbidden code points, and IPv4 in any legacy form.
  mutating func parseHost(_ bytes: [UInt8], special: Bool) -> Host? {
    if bytes.first == 91 {
      guard bytes.last == 93, let pieces = IPv6Parser.parse(Array(bytes.dropFirst().dropLast())) else { return nil }
      return .ip(.v6(pieces))
    }
    if !special {
      let forbidden: Set<UInt8> = [0, 9, 10, 13, 32, 35, 47, 58, 60, 62, 63, 64, 91, 92, 93, 94, 124]
      guard !bytes.contains(where: { forbidden.contains($0) }) else { return nil }
      return bytes.isEmpty ? .empty : .opaque(String(decoding: bytes, as: UTF8.self))
    }
    let decoded = Self.percentDecode(bytes)
    if decoded.count != bytes.count { notes.insert(.percentEncodedHost) }
    let text = String(decoding: decoded, as: UTF8.self)
    guard let ascii = IDNA.toASCII(text.lowercased()), !ascii.isEmpty else { return nil }
    let forbiddenDomain: Set<UInt8> = [0, 9, 10, 13, 32, 35, 37, 47, 58, 60, 62, 63, 64, 91, 92, 93, 94, 124, 127]
    guard !ascii.utf8.contains(where: { forbiddenDomain.contains($0) || $0 < 0x20 }) else { return nil }
    if Self.endsInNumber(ascii) {
      guard let value = Self.parseIPv4(ascii) else { return nil }
      if IPAddress.v4(value).description != ascii { notes.insert(.legacyIPv4) }
      return .ip(.v4(value))
    }
    return .domain(ascii)
  }

  static func percentDecode(_ bytes: [UInt8]) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      if bytes[index] == 37, index + 2 < bytes.count, let high = IPv6Parser.hexValue(bytes[index + 1]),
        let low = IPv6Parser.hexValue(bytes[index + 2])
      {
        output.append(high << 4 | low)
        index += 3
      } else {
        output.append(bytes[index])
        index += 1
      }
    }
    return output
  }

  /// The "ends in a number" checker (§3.5).
  static func endsInNumber(_ host: String) -> Bool {
    var parts = host.split(separator: ".", omittingEmptySubsequences: false)
    if parts.last == "" {
      if parts.count == 1 { return false }
      parts.removeLast()
    }
    guard let last = parts.last, !last.isEmpty else { return false }
    if last.utf8.allSatisfy(isDigit) { return true }
    return parseIPv4Number(last) != nil
  }

  /// The IPv4 parser (§3.5): one to four parts, each decimal, octal (leading 0) or hex (0x).
  static func parseIPv4(_ host: String) -> UInt32? {
    var parts = host.split(separator: ".", omittingEmptySubsequences: false)
    if parts.last == "", parts.count > 1 { parts.removeLast() }
    guard parts.count <= 4 else { return nil }
    var numbers: [UInt64] = []
    for part in parts {
      guard let number = parseIPv4Number(part) else { return nil }
      numbers.append(number)
    }
    for number in numbers.dropLast() where number > 255 { return nil }
    guard let last = numbers.last, last < UInt64(1) << (8 * (5 - UInt64(numbers.count))) else { return nil }
    var ipv4 = last
    for (index, number) in numbers.dropLast().enumerated() {
      ipv4 += number << (8 * (3 - UInt64(index)))
    }
    return UInt32(truncatingIfNeeded: ipv4)
  }

  static func parseIPv4Number(_ part: Substring) -> UInt64? {
    guard !part.isEmpty else { return nil }
    var text = part
    var radix = 10
    if text.count >= 2, text.hasPrefix("0x") || text.hasPrefix("0X") {
      text = text.dropFirst(2)
      radix = 16
    } else if text.count >= 2, text.hasPrefix("0") {
      text = text.dropFirst()
      radix = 8
    }
    if text.isEmpty { return 0 }
    guard text.count <= 20 else { return text.allSatisfy({ $0.isHexDigit }) ? UInt64.max : nil }
    return UInt64(text, radix: radix)
  }
}
