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
    /// `example.com/…` with a suffix the Public Suffix List knows.
    case bare
    /// `<http://…>` (RFC 3986 Appendix C), possibly across lines.
    case delimited
  }

  /// The URL with a scheme, as a mail client would open it.
  public var openable: String {
    form == .www || form == .bare ? "http://" + text : text
  }
}

/// Finds URLs in text the way mail clients autolink them, and URLs cut in two by whitespace.
///
/// Recognised: `http(s)://`, `ftp://`, `mailto:` URLs; `www.` hosts; bare `host.tld/…` when the
/// Public Suffix List knows the suffix (without a list, bare hosts are not recognised rather than
/// guessed); `<…>`-delimited URLs, which may continue across line breaks (RFC 3986 Appendix C).
/// Trailing punctuation and unbalanced closing brackets are not part of a URL. O(n).
public struct TextURLFinder: Sendable {
  public let suffixes: PublicSuffixList?
  /// A continuation after a break must have at least this many characters to count as a split.
  public var minimumContinuation: Int

  public init(suffixes: PublicSuffixList? = PublicSuffixList.shared, minimumContinuation: Int = 3) {
    self.suffixes = suffixes
    self.minimumContinuation = minimumContinuation
  }

  static let schemes: [[UInt8]] = ["https://", "http://", "ftp://", "mailto:"].map { Array($0.utf8) }

  @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
  }

  /// Bytes that can be inside a URL in running text (RFC 3986 unreserved, reserved, "%", and any
  /// non-ASCII byte for IRIs), excluding the delimiters people put around URLs.
  @inline(__always) static func isURLByte(_ byte: UInt8) -> Bool {
    if byte >= 0x80 { return true }
    if byte <= 0x20 || byte == 0x7F { return false }
    switch byte {
    case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "{"),
      UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "\\"), UInt8(ascii: "^"):
      return false
    default: return true
    }
  }

  @inline(__always) static func isAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= 48 && byte <= 57) || ((byte | 0x20) >= 97 && (byte | 0x20) <= 122)
  }

  static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }

  func hasPrefix(_ bytes: [UInt8], at index: Int, _ prefix: [UInt8]) -> Bool {
    guard index + prefix.count <= bytes.count else { return false }
    for (offset, byte) in prefix.enumerated() where Self.lower(bytes[index + offset]) != byte { return false }
    return true
  }

  /// All URLs in `bytes` (UTF-8), in order, with split continuations marked. `knownURLs` are URLs
  /// the message links to elsewhere: a joined form equal to one of them is a split whatever the
  /// continuation looks like.
  public func find(in bytes: [UInt8], knownURLs: Set<String> = []) -> [TextURL] {
    // Linear: the text is cut into tokens (runs without whitespace); within a token a URL can
    // start at a scheme or `www.` on a word boundary, or — for bare hosts — at the token's start
    // after opening punctuation. Each byte is looked at a bounded number of times, so hostile
    // input (a megabyte of "a.a.a.") costs no more than prose.
    var results: [TextURL] = []
    var index = 0
    let count = bytes.count
    while index < count {
      while index < count, Self.isSpace(bytes[index]) { index += 1 }
      let tokenStart = index
      while index < count, !Self.isSpace(bytes[index]) { index += 1 }
      let tokenEnd = index
      guard tokenEnd > tokenStart else { continue }
      // `<…>` delimited URLs may cross whitespace; they start at a "<".
      var position = tokenStart
      var bareChecked = false
      while position < tokenEnd {
        let byte = bytes[position]
        if byte == UInt8(ascii: "<"), let delimited = delimitedURL(bytes, at: position) {
          results.append(delimited)
          position = delimited.end + 1
          if position > index { index = min(count, position) }
          break
        }
        let atBoundary = position == 0 || !Self.isAlphanumeric(bytes[position - 1]) && bytes[position - 1] != UInt8(ascii: "@")
          && bytes[position - 1] != UInt8(ascii: ".") && bytes[position - 1] != UInt8(ascii: "/")
        if atBoundary, Self.isAlphanumeric(byte) {
          let triggered = Self.schemes.contains { hasPrefix(bytes, at: position, $0) } || hasPrefix(bytes, at: position, Array("www.".utf8))
          // A bare host is only tried once per token, at its first word.
          let tryBare = !bareChecked && !triggered
          if triggered || tryBare {
            bareChecked = true
            if let url = url(bytes, at: position, knownURLs: knownURLs) {
              results.append(url)
              let resume = url.split?.upperBound ?? url.end
              position = resume
              if resume > index { index = resume }
              continue
            }
          }
        }
        position += 1
      }
    }
    return results
  }

  private func url(_ bytes: [UInt8], at start: Int, knownURLs: Set<String>) -> TextURL? {
    var form: TextURL.Form
    if Self.schemes.contains(where: { hasPrefix(bytes, at: start, $0) }) {
      form = .schemed
    } else if hasPrefix(bytes, at: start, Array("www.".utf8)) {
      form = .www
    } else {
      form = .bare
    }
    var end = start
    while end < bytes.count, Self.isURLByte(bytes[end]) { end += 1 }
    end = trimTrailing(bytes, start: start, end: end)
    guard end > start else { return nil }
    let text = String(decoding: bytes[start..<end], as: UTF8.self)
    switch form {
    case .schemed:
      // Require something after the scheme.
      guard let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...].contains(where: { $0 != "/" }) else {
        return nil
      }
    case .www:
      guard text.count > 4 else { return nil }
    case .bare:
      guard isBareHost(text) else { return nil }
    case .delimited:
      break
    }
    var result = TextURL(text: text, start: start, end: end, form: form)
    if form != .bare || text.contains("/") { result.split = continuation(bytes, of: result, knownURLs: knownURLs) }
    return result
  }

  /// A bare `host.tld[/…]` whose last label is a public suffix; e-mail addresses are not URLs.
  private func isBareHost(_ text: String) -> Bool {
    guard let suffixes else { return false }
    let hostPart = text.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }
    // A domain name has at most 253 characters (RFC 1035 §2.3.4); longer runs are not hosts.
    guard hostPart.utf8.count <= 253, !hostPart.contains("@"), hostPart.contains(".") else { return false }
    let labels = hostPart.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { Self.isAlphanumeric($0) || $0 == 45 || $0 >= 0x80 } })
    else { return false }
    // The top-level label must be a suffix the list knows and not be all digits.
    guard let last = labels.last, !last.allSatisfy(\.isNumber) else { return false }
    let ascii = IDNA.toASCII(String(last).lowercased()) ?? String(last).lowercased()
    return suffixes.isKnownSuffix(ascii)
  }

  /// Drops trailing punctuation that ends sentences and closing brackets that have no opening one
  /// inside the URL (as GitHub, Thunderbird and linkify do).
  func trimTrailing(_ bytes: [UInt8], start: Int, end: Int) -> Int {
    var end = end
    while end > start {
      let last = bytes[end - 1]
      switch last {
      case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"),
        UInt8(ascii: "?"), UInt8(ascii: "'"), UInt8(ascii: "*"):
        end -= 1
      case UInt8(ascii: ")"), UInt8(ascii: "]"):
        let open = last == UInt8(ascii: ")") ? UInt8(ascii: "(") : UInt8(ascii: "[")
        let opens = bytes[start..<end].filter { $0 == open }.count
        let closes = bytes[start..<end].filter { $0 == last }.count
        if closes > opens { end -= 1 } else { return end }
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
      if !Self.isSpace(byte) { joined.append(byte) }
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
    // Only trailing punctuation we trimmed that could be part of the path may sit between.
    var lineBreaks = 0
    var spaces = 0
    while index < bytes.count, Self.isSpace(bytes[index]) {
      if bytes[index] == 0x0A { lineBreaks += 1 } else { spaces += 1 }
      index += 1
    }
    guard index > url.end, lineBreaks <= 1, spaces <= 2 || lineBreaks == 1, index < bytes.count else { return nil }
    // A quoted reply marker at the start of the next line is not part of anything.
    let start = index
    var end = start
    while end < bytes.count, Self.isURLByte(bytes[end]) { end += 1 }
    end = trimTrailing(bytes, start: start, end: end)
    guard end > start else { return nil }
    let piece = Array(bytes[start..<end])
    let pieceText = String(decoding: piece, as: UTF8.self)
    let joined = url.text + pieceText
    if knownURLs.contains(joined) || knownURLs.contains("http://" + joined) { return start..<end }
    guard piece.count >= minimumContinuation else { return nil }
    // A new URL or an e-mail address is not a continuation.
    if Self.schemes.contains(where: { hasPrefix(bytes, at: start, $0) }) || hasPrefix(bytes, at: start, Array("www.".utf8)) {
      return nil
    }
    if pieceText.contains("@") { return nil }
    // Where the URL stopped must allow more path to follow.
    let urlLast = bytes[url.end - 1]
    let openEnded = [UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "="), UInt8(ascii: "&"),
      UInt8(ascii: "?"), UInt8(ascii: "%"), UInt8(ascii: "+"), UInt8(ascii: "~")].contains(urlLast)
      || (url.end < bytes.count && [UInt8(ascii: "."), UInt8(ascii: "?"), UInt8(ascii: "=")].contains(bytes[url.end]))
    let startsPath = [UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "&"), UInt8(ascii: "="), UInt8(ascii: "#")].contains(piece[0])
    guard openEnded || startsPath else { return nil }
    // The continuation must look like a path, not like a word of prose.
    let pathMarkers: Set<UInt8> = [UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "&"), UInt8(ascii: "_"),
      UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "?")]
    var looksLikePath = piece.contains(where: pathMarkers.contains)
    if !looksLikePath, let dot = piece.firstIndex(of: UInt8(ascii: ".")), dot > 0, dot + 1 < piece.count,
      Self.isAlphanumeric(piece[dot + 1])
    {
      looksLikePath = true  // file.ext or host.tld
    }
    return looksLikePath ? start..<end : nil
  }
}
