import SendlintCore

/// A parsed URL, following the WHATWG URL standard's basic URL parser (url.spec.whatwg.org §4.4)
/// state by state, with its percent-encode sets, so that sendlint reads hrefs exactly as the
/// recipient's browser will.
public struct URLRecord: Sendable, Hashable, CustomStringConvertible {
  public var scheme: String
  public var username: String = ""
  public var password: String = ""
  public var host: Host?
  public var port: Int?
  /// Path segments, or nil when the URL has an opaque path (`mailto:x`, `javascript:…`).
  public var pathSegments: [String] = []
  public var opaquePath: String?
  public var query: String?
  public var fragment: String?
  /// Things about the written form that a recipient would not notice but a rule should.
  public var notes: Set<Note> = []

  public enum Note: String, Sendable, Hashable {
    case percentEncodedHost, legacyIPv4, credentials, backslashes, whitespaceRemoved
  }

  static let specialSchemes: [String: Int?] = [
    "http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21, "file": nil,
  ]

  public init(scheme: String) { self.scheme = scheme }

  /// A switch, not a dictionary lookup: the parser asks this for every code point.
  public var isSpecial: Bool {
    switch scheme {
    case "http", "https", "ws", "wss", "ftp", "file": true
    default: false
    }
  }

  /// The serialised path.
  public var path: String {
    if let opaquePath { return opaquePath }
    return pathSegments.map { "/" + $0 }.joined()
  }

  /// The URL serializer (§4.5).
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
    if host == nil, opaquePath == nil, pathSegments.count > 1, pathSegments[0].isEmpty { output += "/." }
    output += path
    if let query { output += "?" + query }
    if let fragment { output += "#" + fragment }
    return output
  }

  public var description: String { href }

  /// Parses `input`, resolving it against `base` when it is relative. Nil means failure.
  public static func parse(_ input: String, base: URLRecord? = nil) -> URLRecord? {
    var parser = URLParser(input: input, base: base)
    return parser.run()
  }
}

/// Percent-encode sets (§1.3).
enum PercentEncodeSet {
  case c0Control, fragment, query, specialQuery, path, userinfo

  func contains(_ scalar: UInt32) -> Bool {
    if scalar < 0x20 || scalar > 0x7E { return true }
    let c = UInt8(scalar)
    switch self {
    case .c0Control: return false
    case .fragment: return c == 0x20 || c == 0x22 || c == 0x3C || c == 0x3E || c == 0x60
    case .query: return c == 0x20 || c == 0x22 || c == 0x23 || c == 0x3C || c == 0x3E
    case .specialQuery: return PercentEncodeSet.query.contains(scalar) || c == 0x27
    case .path:
      return PercentEncodeSet.query.contains(scalar) || c == 0x3F || c == 0x5E || c == 0x60 || c == 0x7B
        || c == 0x7D
    case .userinfo:
      return PercentEncodeSet.path.contains(scalar) || c == 0x2F || c == 0x3A || c == 0x3B || c == 0x3D
        || c == 0x40
        || (c >= 0x5B && c <= 0x5D) || c == 0x7C
    }
  }

  static let hex = Array("0123456789ABCDEF".utf8)

  /// UTF-8 percent-encodes `scalar` into `output` (UTF-8) if it is in the set.
  @inline(__always)
  func append(_ scalar: Unicode.Scalar, to output: inout [UInt8]) {
    if scalar.value < 0x80 {
      append(byte: UInt8(scalar.value), to: &output)
    } else {
      // Every set holds all non-ASCII code points: each UTF-8 byte is escaped.
      for byte in UTF8.encode(scalar)! { Self.escape(byte, to: &output) }
    }
  }

  /// The same for UTF-8 `bytes` already collected: a non-ASCII byte belongs to a code point
  /// every set holds, so escaping byte by byte equals escaping code point by code point.
  func append(bytes: [UInt8], to output: inout [UInt8]) {
    for byte in bytes { append(byte: byte, to: &output) }
  }

  @inline(__always)
  func append(byte: UInt8, to output: inout [UInt8]) {
    if contains(UInt32(byte)) { Self.escape(byte, to: &output) } else { output.append(byte) }
  }

  @inline(__always)
  static func escape(_ byte: UInt8, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "%"))
    output.append(hex[Int(byte >> 4)])
    output.append(hex[Int(byte & 0xF)])
  }
}

/// The basic URL parser's state machine (§4.4), over code points.
struct URLParser {
  enum State {
    case schemeStart, scheme, noScheme, specialRelativeOrAuthority, pathOrAuthority, relative, relativeSlash
    case specialAuthoritySlashes, specialAuthorityIgnoreSlashes, authority, host, port, file, fileSlash,
      fileHost
    case pathStart, path, opaquePath, query, fragment
  }

  var input: [Unicode.Scalar]
  let base: URLRecord?
  var notes: Set<URLRecord.Note> = []

  init(input: String, base: URLRecord?) {
    // ASCII input (nearly every href) becomes scalars byte by byte, without UTF-8 decoding.
    let all = Self.asciiScalars(input) ?? Array(input.unicodeScalars)
    // Strip leading and trailing C0 controls and spaces; remove ASCII tab and newline anywhere.
    // One slice, not `removeFirst` per scalar: that shifted the whole array each time, quadratic
    // in a hostile prefix of controls.
    let first = all.firstIndex { $0.value > 0x20 } ?? all.endIndex
    let last = all.lastIndex { $0.value > 0x20 }.map { $0 + 1 } ?? first
    var scalars = Array(all[first..<max(first, last)])
    let before = scalars.count
    scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
    if scalars.count != before { notes.insert(.whitespaceRemoved) }
    self.input = scalars
    self.base = base
  }

  /// The scalars of an ASCII string, one per byte, in one pass; nil when a byte is not ASCII.
  static func asciiScalars(_ input: String) -> [Unicode.Scalar]? {
    var text = input
    return text.withUTF8 { utf8 in
      guard !utf8.contains(where: { $0 >= 0x80 }) else { return nil }
      return [Unicode.Scalar](unsafeUninitializedCapacity: utf8.count) { buffer, count in
        for index in utf8.indices { buffer[index] = Unicode.Scalar(utf8[index]) }
        count = utf8.count
      }
    }
  }

  static func isAlpha(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }
  static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

  static func isWindowsDriveLetter(_ text: [Unicode.Scalar], normalized: Bool = false) -> Bool {
    text.count == 2 && isAlpha(text[0]) && (text[1] == ":" || (!normalized && text[1] == "|"))
  }

  /// "Starts with a Windows drive letter" (§4.3) for the input from `index`.
  func startsWithWindowsDriveLetter(_ index: Int) -> Bool {
    guard index + 1 < input.count, Self.isWindowsDriveLetter([input[index], input[index + 1]]) else {
      return false
    }
    if index + 2 == input.count { return true }
    let third = input[index + 2]
    return third == "/" || third == "\\" || third == "?" || third == "#"
  }

  /// On the path buffer's bytes (ASCII: the path set escapes everything else), ASCII case folded.
  static func isSingleDot(_ segment: [UInt8]) -> Bool { segment == [0x2E] || matches(segment, "%2e") }
  static func isDoubleDot(_ segment: [UInt8]) -> Bool {
    matches(segment, "..") || matches(segment, ".%2e") || matches(segment, "%2e.")
      || matches(segment, "%2e%2e")
  }

  static func matches(_ bytes: [UInt8], _ lowercase: StaticString) -> Bool {
    guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
    for index in 0..<bytes.count
    where (bytes[index] >= 65 && bytes[index] <= 90 ? bytes[index] | 0x20 : bytes[index])
      != lowercase.utf8Start[index]
    {
      return false
    }
    return true
  }

  /// A two-byte Windows drive letter in a buffer (`c:`, or `c|` unless normalized).
  static func isWindowsDriveLetter(_ bytes: [UInt8], normalized: Bool = false) -> Bool {
    bytes.count == 2 && ((bytes[0] | 0x20) >= 97 && (bytes[0] | 0x20) <= 122)
      && (bytes[1] == UInt8(ascii: ":") || (!normalized && bytes[1] == UInt8(ascii: "|")))
  }

  /// Appends a code point to a UTF-8 buffer.
  @inline(__always)
  static func append(_ scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
    if scalar.value < 0x80 {
      buffer.append(UInt8(scalar.value))
    } else {
      buffer.append(contentsOf: UTF8.encode(scalar)!)
    }
  }

  static func shortenPath(_ url: inout URLRecord) {
    if url.scheme == "file", url.pathSegments.count == 1,
      isWindowsDriveLetter(Array(url.pathSegments[0].unicodeScalars), normalized: true)
    {
      return
    }
    if !url.pathSegments.isEmpty { url.pathSegments.removeLast() }
  }

  /// Appends the ASCII scalars from `start` (which `keep` accepts) while `keep` accepts them, as
  /// bytes, and returns the index of the last one appended: the state machine's loop then steps
  /// past it, as if it had appended each in its own turn.
  @inline(__always)
  func copyRun(from start: Int, to output: inout [UInt8], while keep: (UInt32) -> Bool) -> Int {
    var end = start + 1
    while end < input.count, keep(input[end].value) { end += 1 }
    output.reserveCapacity(output.count + end - start)
    for index in start..<end { output.append(UInt8(truncatingIfNeeded: input[index].value)) }
    return end - 1
  }

  mutating func run() -> URLRecord? {
    var url = URLRecord(scheme: "")
    var state = State.schemeStart
    // The state machine's buffer and the opaque path or fragment being built, as UTF-8 bytes:
    // appending to a String code point by code point dominated URL parsing.
    var buffer: [UInt8] = []
    buffer.reserveCapacity(input.count)
    var tail: [UInt8] = []
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
    var atSignSeen = false
    var insideBrackets = false
    var passwordTokenSeen = false
    var pointer = 0
    func c(_ index: Int) -> Unicode.Scalar? { index < input.count ? input[index] : nil }

    var specialScheme = url.scheme
    var special = url.isSpecial
    while true {
      let current = c(pointer)
      if url.scheme != specialScheme {
        specialScheme = url.scheme
        special = url.isSpecial
      }
      switch state {
      case .schemeStart:
        if let ch = current, Self.isAlpha(ch) {
          buffer.append(UInt8(ch.value) | 0x20)
          state = .scheme
        } else {
          state = .noScheme
          pointer -= 1
        }
      case .scheme:
        if let ch = current, Self.isAlpha(ch) || Self.isDigit(ch) || ch == "+" || ch == "-" || ch == "." {
          buffer.append(Self.isAlpha(ch) ? UInt8(ch.value) | 0x20 : UInt8(ch.value))
        } else if current == ":" {
          url.scheme = text(buffer)
          buffer.removeAll(keepingCapacity: true)
          if url.scheme == "file" {
            state = .file
          } else if url.isSpecial, let base, base.scheme == url.scheme {
            state = .specialRelativeOrAuthority
          } else if url.isSpecial {
            state = .specialAuthoritySlashes
          } else if c(pointer + 1) == "/" {
            state = .pathOrAuthority
            pointer += 1
          } else {
            url.opaquePath = ""
            state = .opaquePath
          }
        } else {
          buffer.removeAll(keepingCapacity: true)
          state = .noScheme
          pointer = -1
        }
      case .noScheme:
        guard let base else { return nil }
        if base.opaquePath != nil {
          guard current == "#" else { return nil }
          url = base
          url.fragment = ""
          state = .fragment
        } else if base.scheme != "file" {
          state = .relative
          pointer -= 1
        } else {
          state = .file
          pointer -= 1
        }
      case .specialRelativeOrAuthority:
        if current == "/", c(pointer + 1) == "/" {
          state = .specialAuthorityIgnoreSlashes
          pointer += 1
        } else {
          state = .relative
          pointer -= 1
        }
      case .pathOrAuthority:
        if current == "/" {
          state = .authority
        } else {
          state = .path
          pointer -= 1
        }
      case .relative:
        guard let base else { return nil }  // reached only with a base
        url.scheme = base.scheme
        if current == "/" {
          state = .relativeSlash
        } else if url.isSpecial, current == "\\" {
          notes.insert(.backslashes)
          state = .relativeSlash
        } else {
          url.username = base.username
          url.password = base.password
          url.host = base.host
          url.port = base.port
          url.pathSegments = base.pathSegments
          url.query = base.query
          if current == "?" {
            url.query = ""
            state = .query
          } else if current == "#" {
            url.fragment = ""
            state = .fragment
          } else if current != nil {
            url.query = nil
            Self.shortenPath(&url)
            state = .path
            pointer -= 1
          }
        }
      case .relativeSlash:
        if url.isSpecial, current == "/" || current == "\\" {
          if current == "\\" { notes.insert(.backslashes) }
          state = .specialAuthorityIgnoreSlashes
        } else if current == "/" {
          state = .authority
        } else {
          guard let base else { return nil }
          url.username = base.username
          url.password = base.password
          url.host = base.host
          url.port = base.port
          state = .path
          pointer -= 1
        }
      case .specialAuthoritySlashes:
        if current == "/", c(pointer + 1) == "/" {
          state = .specialAuthorityIgnoreSlashes
          pointer += 1
        } else {
          state = .specialAuthorityIgnoreSlashes
          pointer -= 1
        }
      case .specialAuthorityIgnoreSlashes:
        if current != "/" && current != "\\" {
          state = .authority
          pointer -= 1
        } else if current == "\\" {
          notes.insert(.backslashes)
        }
      case .authority:
        if current == "@" {
          notes.insert(.credentials)
          if atSignSeen { buffer.insert(contentsOf: "%40".utf8, at: 0) }
          atSignSeen = true
          var username = Array(url.username.utf8)
          var password = Array(url.password.utf8)
          for byte in buffer {
            if byte == UInt8(ascii: ":") && !passwordTokenSeen {
              passwordTokenSeen = true
              continue
            }
            if passwordTokenSeen {
              PercentEncodeSet.userinfo.append(byte: byte, to: &password)
            } else {
              PercentEncodeSet.userinfo.append(byte: byte, to: &username)
            }
          }
          url.username = text(username)
          url.password = text(password)
          buffer.removeAll(keepingCapacity: true)
        } else if current == nil || current == "/" || current == "?" || current == "#"
          || (special && current == "\\")
        {
          if atSignSeen && buffer.isEmpty { return nil }
          // Back over the buffer's code points: its bytes that do not continue a UTF-8 sequence.
          pointer -= buffer.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } + 1
          buffer.removeAll(keepingCapacity: true)
          state = .host
        } else if let ch = current {
          Self.append(ch, to: &buffer)
        }
      case .host:
        if url.scheme == "file" {
          pointer -= 1
          state = .fileHost
        } else if current == ":", !insideBrackets {
          if buffer.isEmpty { return nil }
          guard let host = parseHost(text(buffer), special: special) else { return nil }
          url.host = host
          buffer.removeAll(keepingCapacity: true)
          state = .port
        } else if current == nil || current == "/" || current == "?" || current == "#"
          || (special && current == "\\")
        {
          pointer -= 1
          if special, buffer.isEmpty { return nil }
          guard let host = parseHost(text(buffer), special: special) else { return nil }
          url.host = host
          buffer.removeAll(keepingCapacity: true)
          state = .pathStart
        } else if let ch = current {
          if ch == "[" { insideBrackets = true }
          if ch == "]" { insideBrackets = false }
          Self.append(ch, to: &buffer)
        }
      case .port:
        if let ch = current, Self.isDigit(ch) {
          buffer.append(UInt8(ch.value))
        } else if current == nil || current == "/" || current == "?" || current == "#"
          || (special && current == "\\")
        {
          if !buffer.isEmpty {
            let digits = buffer.drop { $0 == UInt8(ascii: "0") }
            guard digits.count <= 5 else { return nil }
            let port = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard port <= 65535 else { return nil }
            url.port = URLRecord.specialSchemes[url.scheme] == .some(port) ? nil : port
            buffer.removeAll(keepingCapacity: true)
          }
          state = .pathStart
          pointer -= 1
        } else {
          return nil
        }
      case .file:
        url.scheme = "file"
        url.host = .empty
        if current == "/" || current == "\\" {
          if current == "\\" { notes.insert(.backslashes) }
          state = .fileSlash
        } else if let base, base.scheme == "file" {
          url.host = base.host
          url.pathSegments = base.pathSegments
          url.query = base.query
          if current == "?" {
            url.query = ""
            state = .query
          } else if current == "#" {
            url.fragment = ""
            state = .fragment
          } else if current != nil {
            url.query = nil
            if !startsWithWindowsDriveLetter(pointer) {
              Self.shortenPath(&url)
            } else {
              url.pathSegments = []
            }
            state = .path
            pointer -= 1
          }
        } else {
          state = .path
          pointer -= 1
        }
      case .fileSlash:
        if current == "/" || current == "\\" {
          if current == "\\" { notes.insert(.backslashes) }
          state = .fileHost
        } else {
          if let base, base.scheme == "file" {
            url.host = base.host
            if !startsWithWindowsDriveLetter(pointer), let first = base.pathSegments.first,
              Self.isWindowsDriveLetter(Array(first.unicodeScalars), normalized: true)
            {
              url.pathSegments.append(first)
            }
          }
          state = .path
          pointer -= 1
        }
      case .fileHost:
        if current == nil || current == "/" || current == "\\" || current == "?" || current == "#" {
          pointer -= 1
          if Self.isWindowsDriveLetter(buffer) {
            state = .path
          } else if buffer.isEmpty {
            url.host = .empty
            state = .pathStart
          } else {
            guard var host = parseHost(text(buffer), special: true) else { return nil }
            if host == .domain("localhost") { host = .empty }
            url.host = host
            buffer.removeAll(keepingCapacity: true)
            state = .pathStart
          }
        } else if let ch = current {
          Self.append(ch, to: &buffer)
        }
      case .pathStart:
        if special {
          if current == "\\" { notes.insert(.backslashes) }
          state = .path
          if current != "/" && current != "\\" { pointer -= 1 }
        } else if current == "?" {
          url.query = ""
          state = .query
        } else if current == "#" {
          url.fragment = ""
          state = .fragment
        } else if current != nil {
          state = .path
          if current != "/" { pointer -= 1 }
        } else if url.host == nil {
          // Nothing: an empty path.
        }
      case .path:
        let atEnd =
          current == nil || current == "/" || (special && current == "\\") || current == "?" || current == "#"
        if atEnd {
          if special, current == "\\" { notes.insert(.backslashes) }
          if Self.isDoubleDot(buffer) {
            Self.shortenPath(&url)
            if current != "/" && !(special && current == "\\") { url.pathSegments.append("") }
          } else if Self.isSingleDot(buffer) && current != "/" && !(special && current == "\\") {
            url.pathSegments.append("")
          } else if !Self.isSingleDot(buffer) {
            if url.scheme == "file", url.pathSegments.isEmpty, Self.isWindowsDriveLetter(buffer) {
              buffer[1] = UInt8(ascii: ":")
            }
            url.pathSegments.append(text(buffer))
          }
          buffer.removeAll(keepingCapacity: true)
          if current == "?" {
            url.query = ""
            state = .query
          } else if current == "#" {
            url.fragment = ""
            state = .fragment
          }
        } else if let ch = current {
          if PercentEncodeSet.path.contains(ch.value) {
            PercentEncodeSet.path.append(ch, to: &buffer)
          } else {
            // A run of what the path keeps as it is, up to the segment's end, copied at once.
            pointer = copyRun(from: pointer, to: &buffer) {
              !PercentEncodeSet.path.contains($0) && $0 != 0x2F && !(special && $0 == 0x5C)
            }
          }
        }
      case .opaquePath:
        // Built in `tail`; entered only with an empty opaque path, stored when it ends.
        if current == "?" {
          url.opaquePath = text(tail)
          tail.removeAll()
          url.query = ""
          state = .query
        } else if current == "#" {
          url.opaquePath = text(tail)
          tail.removeAll()
          url.fragment = ""
          state = .fragment
        } else if current == " " {
          let next = c(pointer + 1)
          if next == "?" || next == "#" { tail.append(contentsOf: "%20".utf8) } else { tail.append(0x20) }
        } else if let ch = current {
          if PercentEncodeSet.c0Control.contains(ch.value) {
            PercentEncodeSet.c0Control.append(ch, to: &tail)
          } else {
            // Printable ASCII other than space, "?" and "#" is kept as it is: a `data:` URL's
            // payload is copied in runs, not state by state.
            pointer = copyRun(from: pointer, to: &tail) { $0 > 0x20 && $0 < 0x7F && $0 != 0x3F && $0 != 0x23 }
          }
        }
      case .query:
        if current == "#" || current == nil {
          let set: PercentEncodeSet = special ? .specialQuery : .query
          var encoded = Array((url.query ?? "").utf8)
          set.append(bytes: buffer, to: &encoded)
          url.query = text(encoded)
          buffer.removeAll(keepingCapacity: true)
          if current == "#" {
            url.fragment = ""
            state = .fragment
          }
        } else if let ch = current {
          if ch.value < 0x80 {
            pointer = copyRun(from: pointer, to: &buffer) { $0 < 0x80 && $0 != 0x23 }
          } else {
            Self.append(ch, to: &buffer)
          }
        }
      case .fragment:
        // Built in `tail`; this state is never left, so the fragment is stored after the loop.
        if let ch = current {
          if PercentEncodeSet.fragment.contains(ch.value) {
            PercentEncodeSet.fragment.append(ch, to: &tail)
          } else {
            pointer = copyRun(from: pointer, to: &tail) { !PercentEncodeSet.fragment.contains($0) }
          }
        }
      }
      if current == nil && pointer >= input.count { break }
      pointer += 1
      if pointer > input.count { break }
    }
    if state == .fragment { url.fragment = (url.fragment ?? "") + text(tail) }
    if state == .opaquePath { url.opaquePath = (url.opaquePath ?? "") + text(tail) }
    // Strip trailing spaces from an opaque path when there is no query or fragment (§4.4 note).
    if url.opaquePath != nil, url.query == nil, url.fragment == nil {
      while url.opaquePath?.hasSuffix(" ") == true { url.opaquePath?.removeLast() }
    }
    url.notes = notes
    return url
  }

  /// The host parser (§3.5).
  mutating func parseHost(_ input: String, special: Bool) -> Host? {
    let scalars = Array(input.unicodeScalars)
    if scalars.first == "[" {
      guard scalars.last == "]",
        let pieces = IPv6Parser.parse(
          Array(String(String.UnicodeScalarView(scalars.dropFirst().dropLast())).utf8))
      else { return nil }
      return .ip(.v6(pieces))
    }
    if !special {
      guard !scalars.contains(where: Self.forbiddenHostCodePoints.contains) else { return nil }
      var output: [UInt8] = []
      for scalar in scalars { PercentEncodeSet.c0Control.append(scalar, to: &output) }
      return output.isEmpty ? .empty : .opaque(String(decoding: output, as: UTF8.self))
    }
    let decoded = PercentDecoding.decode(input.utf8)
    if decoded.count != input.utf8.count { notes.insert(.percentEncodedHost) }
    let domain = String(decoding: decoded, as: UTF8.self)
    guard let ascii = IDNA.toASCII(domain), !ascii.isEmpty else { return nil }
    guard !ascii.utf8.contains(where: { Self.isForbiddenDomainByte($0) }) else { return nil }
    if Self.endsInNumber(ascii) {
      guard let value = Self.parseIPv4(ascii) else { return nil }
      if IPAddress.v4(value).description != ascii { notes.insert(.legacyIPv4) }
      return .ip(.v4(value))
    }
    return .domain(ascii)
  }

  /// Forbidden host code points (§3.2), built once rather than per host.
  static let forbiddenHostCodePoints: Set<Unicode.Scalar> = [
    "\0", "\t", "\n", "\r", " ", "#", "/", ":", "<", ">", "?", "@", "[", "\\", "]", "^", "|",
  ]

  /// Forbidden domain code points (§3.2) of an ASCII domain: C0 controls, `%`, DEL and the forbidden host set.
  static func isForbiddenDomainByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0..<0x20, 32, 35, 37, 47, 58, 60, 62, 63, 64, 91, 92, 93, 94, 124, 127: true
    default: false
    }
  }

  /// The "ends in a number" checker (§3.5).
  static func endsInNumber(_ host: String) -> Bool {
    var parts = host.splitASCII(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    if parts.last == "" {
      if parts.count == 1 { return false }
      parts.removeLast()
    }
    guard let last = parts.last, !last.isEmpty else { return false }
    if last.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return true }
    return parseIPv4Number(last) != nil
  }

  /// The IPv4 parser (§3.5): one to four parts, each decimal, octal (leading 0) or hex (0x).
  static func parseIPv4(_ host: String) -> UInt32? {
    var parts = host.splitASCII(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
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
    // On bytes: a Character such as "1\u{301}" sorts inside "0"..."7" but is no digit.
    let valid = text.utf8.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "7"): true
      case UInt8(ascii: "8"), UInt8(ascii: "9"): radix != 8
      case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): radix == 16
      default: false
      }
    }
    guard valid else { return nil }
    // Long numbers overflow: they are valid numbers, just too large for any IPv4 part.
    return UInt64(text, radix: radix) ?? UInt64.max
  }
}
