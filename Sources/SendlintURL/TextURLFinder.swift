/// A URL found in plain text or in the visible text of HTML.
public struct TextURL: Sendable, Hashable {
  /// The URL as written (for `<…>`-delimited URLs across lines, with the line breaks removed).
  public let text: String
  /// Byte offsets in the searched text: the URL's first byte and just past its last.
  public let start: Int
  public let end: Int
  /// How it was recognised.
  public let form: Form
  /// When the text right after the URL continues its path across a space or line break: the
  /// continuation's byte range in the searched text. The `link/split-url` rule reports it.
  public var split: Range<Int>?

  public enum Form: String, Sendable, Hashable, Codable {
    /// `scheme://…` or `mailto:`.
    case schemed
    /// `www.example.com/…`
    case www
    /// `example.com/…` with a suffix the Public Suffix List knows, or a dotted IPv4 address with a
    /// path (`192.0.2.1/login`; a bare `192.0.2.1` is not a link).
    case bare
    /// `<http://…>` (RFC 3986 Appendix C), possibly across lines.
    case delimited
    /// `name@example.com`: an address clients link as `mailto:`.
    case email
  }

  /// The URL with a scheme, as a mail client would open it.
  public var openable: String {
    switch form {
    case .www, .bare: "http://" + text
    case .email: "mailto:" + text
    case .schemed, .delimited: text
    }
  }
}

/// Finds URLs in text the way mail clients autolink them, and URLs cut in two by whitespace.
///
/// Recognised: `http(s)://`, `ftp://`, `mailto:` URLs; `www.` hosts; bare `host.tld/…` when the
/// Public Suffix List knows the suffix (without a list, bare hosts are not recognised rather than
/// guessed) and dotted IPv4 addresses followed by a path; e-mail addresses; `<…>`-delimited URLs, which may continue
/// across line breaks (RFC 3986 Appendix C). A URL ends at whitespace, at Unicode punctuation, at
/// an unbalanced closing bracket; trailing sentence punctuation and unbalanced quotes are not part
/// of it. Hosts must be valid (no empty labels, no leading or trailing hyphen, a valid port).
/// Linear in the input.
public struct TextURLFinder: Sendable {
  public let suffixes: PublicSuffixList?
  /// A continuation after a break must have at least this many characters to count as a split.
  public var minimumContinuation: Int

  public init(suffixes: PublicSuffixList? = PublicSuffixList.shared, minimumContinuation: Int = 3) {
    self.suffixes = suffixes
    self.minimumContinuation = minimumContinuation
  }

  static let schemes: [[UInt8]] = ["https://", "http://", "ftp://", "mailto:"].map { Array($0.utf8) }
  static let www = Array("www.".utf8)

  @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= 48 && byte <= 57) || ((byte | 0x20) >= 97 && (byte | 0x20) <= 122)
  }

  static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }

  func hasPrefix(_ bytes: [UInt8], at index: Int, _ prefix: [UInt8]) -> Bool {
    guard index + prefix.count <= bytes.count else { return false }
    for (offset, byte) in prefix.enumerated() where Self.lower(bytes[index + offset]) != byte { return false }
    return true
  }

  /// The scalar starting at `index` and its length in bytes (invalid UTF-8 reads as one byte).
  static func scalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar?, Int) {
    let lead = bytes[index]
    if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
    let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
    guard length > 1, index + length <= bytes.count else { return (nil, 1) }
    var value = UInt32(lead) & (0xFF >> (length + 1))
    for offset in 1..<length {
      let byte = bytes[index + offset]
      guard byte & 0xC0 == 0x80 else { return (nil, 1) }
      value = value << 6 | UInt32(byte & 0x3F)
    }
    return (Unicode.Scalar(value), length)
  }

  /// Non-ASCII scalars that end a URL in running text: spaces, punctuation, math symbols
  /// (e.g. the fullwidth vertical bar). Letters, marks, digits, emoji and format characters
  /// (ZWJ) stay part of it.
  static func endsURL(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .spaceSeparator, .lineSeparator, .paragraphSeparator, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation, .dashPunctuation, .mathSymbol, .control:
      return true
    default:
      return false
    }
  }

  /// ASCII bytes that can be inside a URL in running text.
  @inline(__always) static func isURLASCII(_ byte: UInt8) -> Bool {
    if byte <= 0x20 || byte == 0x7F { return false }
    switch byte {
    case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "`"), UInt8(ascii: "\\"), UInt8(ascii: "^"):
      return false
    default: return true
    }
  }

  /// The end of the URL that starts at `start`: stops at whitespace, delimiters, Unicode
  /// punctuation and at a closing bracket that has no opening one inside the URL.
  func scanEnd(_ bytes: [UInt8], from start: Int) -> Int {
    var index = start
    var parentheses = 0
    var brackets = 0
    var braces = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte < 0x80 {
        guard Self.isURLASCII(byte) else { break }
        switch byte {
        case UInt8(ascii: "("): parentheses += 1
        case UInt8(ascii: ")"):
          if parentheses == 0 { return index }
          parentheses -= 1
        case UInt8(ascii: "["): brackets += 1
        case UInt8(ascii: "]"):
          if brackets == 0 { return index }
          brackets -= 1
        case UInt8(ascii: "{"): braces += 1
        case UInt8(ascii: "}"):
          if braces == 0 { return index }
          braces -= 1
        case UInt8(ascii: "|"):
          return index
        default: break
        }
        index += 1
      } else {
        let (scalar, length) = Self.scalar(bytes, at: index)
        if let scalar, Self.endsURL(scalar) { break }
        index += length
      }
    }
    return index
  }

  /// All URLs in `bytes` (UTF-8), in order, with split continuations marked. `knownURLs` are URLs
  /// the message links to elsewhere: a joined form equal to one of them is a split whatever the
  /// continuation looks like. At most `maximumResults` are returned: the caller asks for one more
  /// than it will keep, to know whether the text held more.
  public func find(in bytes: [UInt8], knownURLs: Set<String> = [], maximumResults: Int = .max) -> [TextURL] {
    // The text is cut into tokens (runs without whitespace); within a token a URL can start at a
    // scheme or `www.` on a word boundary, a bare host only once per token, at its first word, and
    // an e-mail address around an "@". Each byte is looked at a bounded number of times, so
    // hostile input (a megabyte of "a.a.a.") costs no more than prose.
    var results: [TextURL] = []
    var index = 0
    let count = bytes.count
    while index < count, results.count < maximumResults {
      while index < count, bytes[index].isASCIIWhitespace { index += 1 }
      let tokenStart = index
      while index < count, !bytes[index].isASCIIWhitespace { index += 1 }
      let tokenEnd = index
      guard tokenEnd > tokenStart else { continue }
      var position = tokenStart
      var bareChecked = false
      var consumedUpTo = tokenStart
      while position < tokenEnd {
        let byte = bytes[position]
        if byte == UInt8(ascii: "<"), let delimited = delimitedURL(bytes, at: position) {
          results.append(delimited)
          position = delimited.end + 1
          consumedUpTo = position
          if position > index { index = min(count, position) }
          break
        }
        let previous: UInt8? = position > 0 ? bytes[position - 1] : nil
        var wordStart =
          previous.map { !Self.isAlphanumeric($0) && $0 != UInt8(ascii: "_") && $0 < 0x80 } ?? true
        if let previous, previous >= 0x80, byte < 0x80 {
          // After a non-ASCII character: a boundary when that character is punctuation or space.
          var lead = position - 1
          while lead > max(0, position - 4), bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
          if let scalar = Self.scalar(bytes, at: lead).0 { wordStart = Self.endsURL(scalar) }
        }
        let startsWord = wordStart && (Self.isAlphanumeric(byte) || byte >= 0xC0)
        if startsWord {
          let schemed = Self.schemes.contains { hasPrefix(bytes, at: position, $0) }
          let hostStart =
            previous.map {
              $0 != UInt8(ascii: "@") && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "/")
                && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ":")
            } ?? true
          let www = hostStart && hasPrefix(bytes, at: position, Self.www)
          let tryBare = hostStart && !bareChecked && !schemed && !www
          if schemed || www || tryBare {
            if tryBare { bareChecked = true }
            if let url = url(
              bytes, at: position, form: schemed ? .schemed : www ? .www : .bare, knownURLs: knownURLs)
            {
              results.append(url)
              let resume = url.split?.upperBound ?? url.end
              position = resume
              consumedUpTo = resume
              if resume > index { index = resume }
              continue
            }
          }
        }
        if byte == UInt8(ascii: "@"), position >= consumedUpTo,
          let email = email(bytes, at: position, lowerBound: consumedUpTo, tokenEnd: tokenEnd)
        {
          results.append(email)
          position = email.end
          consumedUpTo = email.end
          continue
        }
        position += 1
      }
    }
    return results.count > maximumResults ? Array(results.prefix(maximumResults)) : results
  }

  private func url(_ bytes: [UInt8], at start: Int, form: TextURL.Form, knownURLs: Set<String>) -> TextURL? {
    var end = scanEnd(bytes, from: start)
    end = trimTrailing(bytes, start: start, end: end)
    guard end > start else { return nil }
    // Most bare candidates are words without a dot: `isBareHost`'s first test, on the bytes,
    // before a String is made of them.
    if form == .bare, !Self.hostPartMayBeHost(bytes[start..<end]) { return nil }
    let text = String(decoding: bytes[start..<end], as: UTF8.self)
    switch form {
    case .schemed:
      if text.lowercased().hasPrefix("mailto:") {
        guard text.contains("@"), text.count > 8 else { return nil }
      } else {
        guard let parsed = URLRecord.parse(text), let host = parsed.host, isValidHost(host) else {
          return nil
        }
      }
    case .www:
      guard text.count > 4, let parsed = URLRecord.parse("http://" + text), let host = parsed.host,
        isValidHost(host)
      else {
        return nil
      }
    case .bare:
      guard isBareHost(text), URLRecord.parse("http://" + text) != nil else { return nil }
      if isBareIPv4WithoutPath(text) { return nil }
    case .delimited, .email:
      break
    }
    var result = TextURL(text: text, start: start, end: end, form: form)
    if form != .bare || text.contains("/") {
      result.split = continuation(bytes, of: result, knownURLs: knownURLs)
    }
    return result
  }

  /// Hosts people write: domains whose labels are letters, digits and inner hyphens (or non-ASCII),
  /// and IP addresses.
  func isValidHost(_ host: Host) -> Bool {
    switch host {
    case .ip: return true
    case .empty, .opaque: return false
    case .domain(let name):
      let labels = name.split(separator: ".", omittingEmptySubsequences: false)
      guard !labels.isEmpty else { return false }
      for (index, label) in labels.enumerated() {
        if label.isEmpty { return index == labels.count - 1 && labels.count > 1 }  // a trailing dot is fine
        guard label.first != "-", label.last != "-",
          label.utf8.allSatisfy({ Self.isAlphanumeric($0) || $0 == 45 })
        else { return false }
      }
      return true
    }
  }

  /// A schemeless dotted IPv4 address with no path (`10.0.0.1`, `127.0.0.1:25`) or with only a CIDR
  /// prefix length (`192.168.0.0/24`): netmasks, version numbers and log lines, which no mail
  /// client autolinks (linkify-it leaves every schemeless IP alone unless `fuzzyIP` is set).
  /// A path (`192.0.2.1/login`) makes it an address a reader types into a browser.
  func isBareIPv4WithoutPath(_ text: String) -> Bool {
    let hostPart = text.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }
    guard IPAddress(String(hostPart)) != nil else { return false }
    guard let slash = text.firstIndex(of: "/") else { return true }
    let path = text[text.index(after: slash)...]
    return path.isEmpty ? false : path.count <= 3 && path.allSatisfy { $0.isASCII && $0.isNumber }
  }

  /// A bare `host.tld[/…]` whose last label is a public suffix, or a dotted IPv4 address.
  /// A bare host's first test, on the text before its first "/", "?", "#" or ":": at most 253
  /// bytes, no "@", a ".". `url` asks it of a candidate's bytes before making a String of them,
  /// `isBareHost` of the String's.
  static func hostPartMayBeHost(_ bytes: some Collection<UInt8>) -> Bool {
    var dot = false
    var count = 0
    for byte in bytes {
      if byte == 0x2F || byte == 0x3F || byte == 0x23 || byte == 0x3A { break }
      if byte == 0x40 { return false }
      if byte == 0x2E { dot = true }
      count += 1
      if count > 253 { return false }
    }
    return dot
  }

  func isBareHost(_ text: String) -> Bool {
    // On UTF-8 bytes: the delimiters are ASCII, and Substring.contains went through Foundation.
    let utf8 = text.utf8
    let hostEnd = utf8.firstIndex { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 || $0 == 0x3A } ?? utf8.endIndex
    let hostPart = utf8[..<hostEnd]
    // A domain name has at most 253 characters (RFC 1035 §2.3.4); longer runs are not hosts.
    guard Self.hostPartMayBeHost(hostPart) else { return false }
    if IPAddress(String(decoding: hostPart, as: UTF8.self)) != nil { return true }
    guard let suffixes else { return false }
    let labels = hostPart.split(separator: 0x2E, omittingEmptySubsequences: false)
    guard labels.count >= 2,
      labels.allSatisfy({
        !$0.isEmpty && $0.first != 45 && $0.last != 45
          && $0.allSatisfy { Self.isAlphanumeric($0) || $0 == 45 || $0 >= 0x80 }
      })
    else { return false }
    guard let lastBytes = labels.last else { return false }
    let last = String(decoding: lastBytes, as: UTF8.self)
    guard !last.allSatisfy(\.isNumber) else { return false }
    let ascii = IDNA.toASCII(last.lowercased()) ?? last.lowercased()
    return suffixes.isKnownSuffix(ascii)
  }

  /// `local@domain.tld` around the "@" at `at`, within the token.
  private func email(_ bytes: [UInt8], at: Int, lowerBound: Int, tokenEnd: Int) -> TextURL? {
    guard suffixes != nil else { return nil }
    // RFC 5322 atext plus dots and quoted parts, scanning back from the "@".
    var start = at
    while start > lowerBound {
      let byte = bytes[start - 1]
      let isLocal = Self.isAlphanumeric(byte) || "!#$%&'*+/=?^_`{|}~.-\"".utf8.contains(byte)
      guard isLocal else { break }
      start -= 1
    }
    while start < at, bytes[start] == UInt8(ascii: ".") || bytes[start] == UInt8(ascii: "'") { start += 1 }
    // A quote that opens before the address and has no partner inside it is not part of it.
    if start < at, bytes[start] == UInt8(ascii: "\""),
      bytes[start..<at].filter({ $0 == UInt8(ascii: "\"") }).count % 2 == 1
    {
      start += 1
    }
    guard start < at else { return nil }
    var end = at + 1
    while end < tokenEnd {
      let byte = bytes[end]
      if byte < 0x80 {
        guard Self.isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else {
          break
        }
        end += 1
      } else {
        let (scalar, length) = Self.scalar(bytes, at: end)
        guard let scalar, !Self.endsURL(scalar) else { break }
        end += length
      }
    }
    while end > at + 1, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") {
      end -= 1
    }
    let domain = String(decoding: bytes[(at + 1)..<end], as: UTF8.self)
    guard domain.contains("."), isBareHost(domain) else { return nil }
    return TextURL(
      text: String(decoding: bytes[start..<end], as: UTF8.self), start: start, end: end, form: .email)
  }

  /// Drops trailing punctuation that ends sentences, and quotes without a partner inside the URL.
  func trimTrailing(_ bytes: [UInt8], start: Int, end: Int) -> Int {
    var end = end
    while end > start {
      let last = bytes[end - 1]
      switch last {
      case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
        UInt8(ascii: "?"), UInt8(ascii: "*"):
        end -= 1
      case UInt8(ascii: "\""), UInt8(ascii: "'"):
        let quotes = bytes[start..<end].filter { $0 == last }.count
        if quotes % 2 == 1 { end -= 1 } else { return end }
      default:
        return end
      }
    }
    return end
  }

  /// `<scheme:…>` possibly spanning lines; the whitespace inside is not part of the URL.
  private func delimitedURL(_ bytes: [UInt8], at open: Int) -> TextURL? {
    var index = open + 1
    if hasPrefix(bytes, at: index, Array("url:".utf8)) { index += 4 }
    guard Self.schemes.contains(where: { hasPrefix(bytes, at: index, $0) }) else { return nil }
    let start = index
    var joined: [UInt8] = []
    var lineBreaks = 0
    while index < bytes.count, bytes[index] != UInt8(ascii: ">") {
      let byte = bytes[index]
      if byte == 0x0A { lineBreaks += 1 }
      if lineBreaks > 4 || byte == UInt8(ascii: "<") { return nil }
      if !byte.isASCIIWhitespace { joined.append(byte) }
      index += 1
    }
    guard index < bytes.count, !joined.isEmpty else { return nil }
    return TextURL(text: String(decoding: joined, as: UTF8.self), start: start, end: index, form: .delimited)
  }

  /// The text after `url` that continues its path across one space or one line break, if it
  /// clearly does: the URL ends where a path cannot end or the continuation starts a path part,
  /// and the continuation looks like a path (has `/`, `=`, `&`, `_`, `%`, `#`, `?`, or an inner
  /// dot such as `file.asp`) and is not a URL of its own; or the joined form is a URL the message
  /// links to elsewhere.
  func continuation(_ bytes: [UInt8], of url: TextURL, knownURLs: Set<String>) -> Range<Int>? {
    var index = url.end
    var lineBreaks = 0
    var spaces = 0
    while index < bytes.count, bytes[index].isASCIIWhitespace {
      if bytes[index] == 0x0A { lineBreaks += 1 } else { spaces += 1 }
      index += 1
    }
    guard index > url.end, lineBreaks <= 1, spaces <= 2 || lineBreaks == 1, index < bytes.count else {
      return nil
    }
    let start = index
    var end = scanEnd(bytes, from: start)
    end = trimTrailing(bytes, start: start, end: end)
    guard end > start else { return nil }
    let piece = Array(bytes[start..<end])
    let pieceText = String(decoding: piece, as: UTF8.self)
    let joined = url.text + pieceText
    if knownURLs.contains(joined) || knownURLs.contains("http://" + joined) { return start..<end }
    guard piece.count >= minimumContinuation else { return nil }
    // A new URL or an e-mail address is not a continuation.
    if Self.schemes.contains(where: { hasPrefix(bytes, at: start, $0) })
      || hasPrefix(bytes, at: start, Self.www)
    {
      return nil
    }
    if pieceText.contains("@") { return nil }
    // Where the URL stopped must allow more path to follow.
    let urlLast = bytes[url.end - 1]
    let openEnded =
      [
        UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "="), UInt8(ascii: "&"),
        UInt8(ascii: "?"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "~"),
      ].contains(urlLast)
      || (url.end < bytes.count
        && [UInt8(ascii: "."), UInt8(ascii: "?"), UInt8(ascii: "=")].contains(bytes[url.end]))
    let startsPath = [
      UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: "#"),
    ].contains(piece[0])
    guard openEnded || startsPath else { return nil }
    // The continuation must look like a path, not like a word of prose.
    let pathMarkers: Set<UInt8> = [
      UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "&"), UInt8(ascii: "_"),
      UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "?"),
    ]
    var looksLikePath = piece.contains(where: pathMarkers.contains)
    if !looksLikePath, let dot = piece.firstIndex(of: UInt8(ascii: ".")), dot > 0, dot + 1 < piece.count,
      Self.isAlphanumeric(piece[dot + 1])
    {
      looksLikePath = true  // file.ext or host.tld
    }
    return looksLikePath ? start..<end : nil
  }
}
