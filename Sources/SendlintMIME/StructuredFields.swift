import SendlintCore

/// A `type/subtype; parameters` value (RFC 2045 §5.1) or a Content-Disposition (RFC 2183), with
/// RFC 2231 parameter continuations and charsets.
public struct ContentType: Sendable, Hashable {
  /// Lowercased `type/subtype` (or disposition type).
  public let value: String
  /// Lowercased parameter names → decoded values.
  public let parameters: [String: String]

  public init(value: String, parameters: [String: String] = [:]) {
    self.value = value
    self.parameters = parameters
  }

  public var type: String { String(value.splitASCII(separator: UInt8(ascii: "/"), maxSplits: 1).first ?? "") }
  public var subtype: String {
    let parts = value.splitASCII(separator: UInt8(ascii: "/"), maxSplits: 1)
    return parts.count > 1 ? String(parts[1]) : ""
  }

  /// Parses a header value; an empty or garbled value yields nil.
  public static func parse(_ text: String) -> ContentType? {
    var scanner = ParameterScanner(text)
    // The type ends at ";" — or at whitespace, since senders forget the ";" before parameters.
    let value = scanner.token(until: "; \t\r\n").lowercased().trimmingASCIIWhitespace()
    guard !value.isEmpty else { return nil }
    var plain: [String: String] = [:]
    var sections: [String: [(index: Int, encoded: Bool, value: String)]] = [:]
    while scanner.skip(";") || scanner.hasMore {
      let rawName = scanner.token(until: "=;").trimmingASCIIWhitespace().lowercased()
      guard scanner.skip("=") else { continue }
      let rawValue = scanner.value()
      guard !rawName.isEmpty else { continue }
      // RFC 2231: name*N*=…, name*N=…, name*=…
      let pieces = rawName.split(separator: "*", omittingEmptySubsequences: false)
      if pieces.count == 1 {
        if plain[rawName] == nil { plain[rawName] = rawValue }
      } else {
        let name = String(pieces[0])
        let encoded = rawName.hasSuffix("*")
        let index = pieces.count >= 2 ? Int(pieces[1]) ?? 0 : 0
        sections[name, default: []].append((index, encoded, rawValue))
      }
    }
    for (name, parts) in sections {
      let ordered = parts.sorted { $0.index < $1.index }
      var charset: String?
      var bytes: [UInt8] = []
      for (position, part) in ordered.enumerated() {
        var value = Substring(part.value)
        if part.encoded, position == 0 {
          // charset'language'value
          let fields = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
          if fields.count == 3 {
            charset = String(fields[0])
            value = fields[2]
          }
        }
        bytes += part.encoded ? PercentDecoding.decode(value.utf8) : Array(value.utf8)
      }
      // An RFC 2231 value beats a plain one of the same name (RFC 2231 §3).
      plain[name] = Charset.string(bytes, charset: charset)
    }
    for (name, value) in plain where value.contains("=?") {
      plain[name] = EncodedWords.decode(value)  // common non-standard practice for filenames
    }
    return ContentType(value: value, parameters: plain)
  }

}

/// A tiny scanner over a structured header value: tokens, quoted strings, comments skipped.
struct ParameterScanner {
  private let scalars: [Unicode.Scalar]
  private var index = 0

  init(_ text: String) { scalars = Array(text.unicodeScalars) }

  mutating func skipWhitespaceAndComments() {
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" {
        index += 1
      } else if scalar == "(" {
        var depth = 0
        while index < scalars.count {
          if scalars[index] == "\\" {
            index += 2
            continue
          }
          if scalars[index] == "(" { depth += 1 }
          if scalars[index] == ")" {
            depth -= 1
            if depth == 0 {
              index += 1
              break
            }
          }
          index += 1
        }
      } else {
        return
      }
    }
  }

  /// Whether anything but whitespace and comments is left.
  var hasMore: Bool {
    mutating get {
      skipWhitespaceAndComments()
      return index < scalars.count
    }
  }

  mutating func skip(_ character: Unicode.Scalar) -> Bool {
    skipWhitespaceAndComments()
    if index < scalars.count, scalars[index] == character {
      index += 1
      return true
    }
    return false
  }

  /// Characters up to any of `stops` (or the end), skipping comments.
  mutating func token(until stops: String) -> String {
    skipWhitespaceAndComments()
    let stopSet = Set(stops.unicodeScalars)
    var out = String.UnicodeScalarView()
    while index < scalars.count, !stopSet.contains(scalars[index]) {
      if scalars[index] == "(" {
        skipWhitespaceAndComments()
        continue
      }
      out.append(scalars[index])
      index += 1
    }
    return String(out)
  }

  /// A parameter value: a quoted string (backslash escapes removed) or a token.
  mutating func value() -> String {
    skipWhitespaceAndComments()
    guard index < scalars.count else { return "" }
    if scalars[index] == "\"" {
      index += 1
      var out = String.UnicodeScalarView()
      while index < scalars.count, scalars[index] != "\"" {
        if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
        out.append(scalars[index])
        index += 1
      }
      index += 1
      return String(out)
    }
    return token(until: ";").trimmingASCIIWhitespace()
  }
}

/// A mailbox from an address header (RFC 5322 §3.4).
public struct Mailbox: Sendable, Hashable, Codable {
  /// The display name, RFC 2047 words decoded; nil when absent.
  public let displayName: String?
  /// `local@domain` as written (without angle brackets).
  public let address: String

  public init(displayName: String?, address: String) {
    self.displayName = displayName
    self.address = address
  }

  /// The domain part, lowercased; nil for an address without `@`.
  public var domain: String? {
    guard let at = address.lastIndex(of: "@") else { return nil }
    let domain = address[address.index(after: at)...].lowercased()
    return domain.isEmpty ? nil : domain.trimming("[]")
  }

  /// Parses an address list: mailboxes, `name <addr>`, groups (`team: a@x, b@y;`), comments,
  /// quoted strings. Tolerates the obsolete and broken forms mail clients accept.
  public static func parseList(_ text: String) -> [Mailbox] {
    var result: [Mailbox] = []
    var phrase = ""
    var address: String?
    var plain = ""
    var scalars = Array(text.unicodeScalars)[...]
    func finish() {
      let name = phrase.trimmingASCIIWhitespace()
      if let address {
        let trimmed = address.trimmingASCIIWhitespace()
        if !trimmed.isEmpty {
          result.append(
            Mailbox(displayName: name.isEmpty ? nil : EncodedWords.decode(name), address: trimmed))
        }
      } else {
        let bare = plain.trimmingASCIIWhitespace()
        // A bare word without "@" is a name without an address (RFC 5322 has no such mailbox).
        if !bare.isEmpty, bare.contains("@") { result.append(Mailbox(displayName: nil, address: bare)) }
      }
      phrase = ""
      plain = ""
      address = nil
    }
    while let scalar = scalars.popFirst() {
      switch scalar {
      case "\"":
        var quoted = ""
        while let inner = scalars.popFirst(), inner != "\"" {
          if inner == "\\", let escaped = scalars.popFirst() {
            quoted.unicodeScalars.append(escaped)
          } else {
            quoted.unicodeScalars.append(inner)
          }
        }
        phrase += quoted
        plain += "\"" + quoted + "\""
      case "(":
        var depth = 1
        while depth > 0, let inner = scalars.popFirst() {
          if inner == "\\" {
            _ = scalars.popFirst()
            continue
          }
          if inner == "(" { depth += 1 }
          if inner == ")" { depth -= 1 }
        }
      case "<":
        var inner = ""
        while let next = scalars.popFirst(), next != ">" { inner.unicodeScalars.append(next) }
        // Strip an obsolete route (`@a,@b:user@host`).
        if let colon = inner.lastIndex(of: ":"), inner.hasPrefix("@") {
          inner = String(inner[inner.index(after: colon)...])
        }
        address = inner
      case ",":
        finish()
      case ":":
        // Group name: discard it, the mailboxes follow.
        phrase = ""
        plain = ""
      case ";":
        finish()
      default:
        phrase.unicodeScalars.append(scalar)
        plain.unicodeScalars.append(scalar)
      }
    }
    finish()
    return result
  }
}

/// The parts of a `Received` field (RFC 5321 §4.4) that tell where mail came from.
public struct ReceivedHop: Sendable, Hashable {
  /// The name after `from` (often the HELO/EHLO name), if it is not an address literal.
  public let fromName: String?
  /// The address of the connecting host: a bracketed literal in the `from` clause or its comment.
  public let fromIP: String?
  /// A reverse-DNS name recorded in the `from` comment (`from helo (rdns [ip])`), if any.
  public let reverseName: String?
  /// The host that added the field.
  public let byHost: String?
  /// How the field shows that the connecting host had no (forward-confirmed) reverse-DNS name;
  /// nil when a name is recorded or the form does not say (Microsoft's `from helo (ip)`).
  public let missingReverseDNS: MissingReverseDNS?

  /// The forms in which receiving MTAs record a client without a reverse-DNS name.
  public enum MissingReverseDNS: String, Sendable, Hashable {
    /// `from [192.0.2.1]` (any MTA; Exim's `from [ip] (helo=x)`).
    case addressLiteral
    /// Postfix: `from helo (unknown [192.0.2.1])`.
    case postfixUnknown
    /// Sendmail: `from helo ([192.0.2.1])` (a name would stand before the literal).
    case sendmailLiteral
    /// Sendmail: `from helo (rdns [192.0.2.1] (may be forged))`: the PTR name does not resolve back.
    case notConfirmed

    /// The form as a phrase for messages, naming `address`.
    public func phrase(_ address: String) -> String {
      switch self {
      case .addressLiteral: "recorded as an address literal only"
      case .postfixUnknown: "recorded by Postfix as (unknown [\(address)])"
      case .sendmailLiteral: "recorded by Sendmail as ([\(address)]) with no name"
      case .notConfirmed: "its PTR name does not resolve back to it; Sendmail noted \"may be forged\""
      }
    }
  }

  public init(
    fromName: String?, fromIP: String?, reverseName: String?, byHost: String?,
    missingReverseDNS: MissingReverseDNS? = nil
  ) {
    self.fromName = fromName
    self.fromIP = fromIP
    self.reverseName = reverseName
    self.byHost = byHost
    self.missingReverseDNS = missingReverseDNS
  }

  /// Parses a Received value; clauses it does not recognise are ignored.
  public static func parse(_ value: String) -> ReceivedHop {
    // Drop the date after the last ";".
    let clauses = value.splitASCII(separator: UInt8(ascii: ";")).first.map(String.init) ?? value
    let words = tokenize(clauses)
    var fromName: String?
    var fromIP: String?
    var reverseName: String?
    var byHost: String?
    var index = 0
    var inFrom = false
    var fromComments: [String] = []
    var inBy = false
    var byComments: [String] = []
    while index < words.count {
      let word = words[index]
      let lower = word.text.lowercased()
      if !word.isComment, lower == "from" {
        inFrom = true
        if index + 1 < words.count, !words[index + 1].isComment {
          let name = words[index + 1].text
          if let literal = addressLiteral(name) { fromIP = literal } else { fromName = name }
          index += 1
        }
      } else if !word.isComment, lower == "by" {
        inFrom = false
        inBy = true
        if index + 1 < words.count, !words[index + 1].isComment {
          byHost = words[index + 1].text
          index += 1
        }
      } else if !word.isComment, ["with", "id", "via", "for"].contains(lower) {
        inFrom = false
        inBy = false
      } else if inBy, word.isComment {
        byComments.append(word.text)
      } else if inFrom {
        if word.isComment { fromComments.append(word.text) }
        // A comment such as "(mail.example.com [192.0.2.1])", "([192.0.2.1])",
        // "(HELO x) (192.0.2.1)" or "(helo=x)".
        for piece in word.text.splitASCII(whereSeparator: { $0 == 0x20 || $0 == 0x09 }) {
          let text = String(piece)
          if let literal = addressLiteral(text) {
            if fromIP == nil { fromIP = literal }
          } else if let bare = bareIP(text) {
            if fromIP == nil { fromIP = bare }
          } else if word.isComment, text.contains("."), !text.contains("="),
            !text.lowercased().hasPrefix("helo"),
            reverseName == nil
          {
            reverseName = text.trimming("()")
          }
        }
      }
      index += 1
    }
    let missing =
      fromIP == nil
      ? nil
      : missingReverseDNS(
        fromName: fromName, reverseName: reverseName, comments: fromComments, byComments: byComments,
        field: value)
    return ReceivedHop(
      fromName: fromName, fromIP: fromIP, reverseName: reverseName, byHost: byHost, missingReverseDNS: missing
    )
  }

  /// Sendmail names itself by its version pair in the `by` comment (`8.12.8/8.12.8`, `8.14.4/8.14.4/Submit`).
  private static func isSendmail(byComments: [String], field: String) -> Bool {
    if containsLowercased(field, "sendmail") { return true }
    return byComments.contains { comment in
      let version = comment.split(separator: "/").first.map(String.init) ?? ""
      let numbers = version.split(separator: ".", omittingEmptySubsequences: false)
      return comment.contains("/") && numbers.count >= 3
        && numbers.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
  }

  /// Reads the MTA's own notation for "no reverse-DNS name" (docs/decisions.md, "Identity and signing").
  private static func missingReverseDNS(
    fromName: String?, reverseName: String?, comments: [String], byComments: [String], field: String
  ) -> MissingReverseDNS? {
    if fromName == nil, reverseName == nil { return .addressLiteral }
    // qmail's `from unknown (HELO x) (ip)` is not read as missing: qmail records what tcpserver
    // looked up, and tcpserver is commonly run with -H (no lookups), so "unknown" is no evidence.
    for comment in comments {
      let pieces = comment.splitASCII { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        .map(String.init)
      if containsLowercased(comment, "may be forged") { return .notConfirmed }
      if let literal = pieces.firstIndex(where: { addressLiteral($0) != nil && $0.hasPrefix("[") }) {
        if literal > 0, pieces[literal - 1].lowercased() == "unknown" { return .postfixUnknown }
        // Sendmail writes `(rdns [ip])`, or `([ip])` when there is no name. Exim writes
        // `from rdns ([ip])` for a verified name equal to the HELO, so Exim's fields (named in
        // their `with` clause, or by Exim's `helo=`/`]:port` notation) are not read this way.
        // Other MTAs (InterMail, qmail patches) write the same shape without having looked the name
        // up, so the form is read only from a field Sendmail wrote: its version comment in the
        // `by` clause (`(8.12.8/8.12.8)`) or its name.
        if pieces.count == 1, literal == 0, fromName != nil, reverseName == nil,
          isSendmail(byComments: byComments, field: field)
        {
          return .sendmailLiteral
        }
      }
    }
    return nil
  }

  /// Whether `text`, lowercased, contains `phrase` (lowercase ASCII). An ASCII text is searched on
  /// bytes (its Characters are its bytes but CR LF, and the phrases hold neither CR nor LF);
  /// another by Character, where a combining mark after the phrase's last letter is no match.
  static func containsLowercased(_ text: String, _ phrase: String) -> Bool {
    text.utf8.isAllASCII ? text.lowercased().containsBytes(phrase) : text.lowercased().contains(phrase)
  }

  private struct Word {
    let text: String
    let isComment: Bool
  }

  /// Words and parenthesised comments (nested parentheses kept in the comment; an unclosed one
  /// runs to the end), on UTF-8 bytes: every delimiter is ASCII and no multi-byte sequence holds
  /// an ASCII byte, so the words are those of a scalar-by-scalar scan.
  private static func tokenize(_ text: String) -> [Word] {
    var words: [Word] = []
    var text = text
    text.withUTF8 { bytes in
      var wordStart: Int?
      func flush(_ end: Int) {
        if let start = wordStart, start < end {
          words.append(Word(text: String(decoding: bytes[start..<end], as: UTF8.self), isComment: false))
        }
        wordStart = nil
      }
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        if byte == UInt8(ascii: "(") {
          flush(index)
          var depth = 1
          var close = index + 1
          while close < bytes.count {
            if bytes[close] == UInt8(ascii: "(") { depth += 1 }
            if bytes[close] == UInt8(ascii: ")") {
              depth -= 1
              if depth == 0 { break }
            }
            close += 1
          }
          let comment = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
          words.append(Word(text: comment, isComment: true))
          index = close + 1
          continue
        }
        if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A {
          flush(index)
        } else if wordStart == nil {
          wordStart = index
        }
        index += 1
      }
      flush(bytes.count)
    }
    return words
  }

  /// `[192.0.2.1]` or `[IPv6:2001:db8::1]` → the address text.
  static func addressLiteral(_ text: String) -> String? {
    // An ASCII text's "[" and "]" Characters are its "[" and "]" bytes: found without stepping
    // Characters. In another, "[" with a combining mark after it is no bracket.
    let ascii = text.utf8.isAllASCII
    guard let open = ascii ? text.utf8.firstIndex(of: UInt8(ascii: "[")) : text.firstIndex(of: "["),
      let close = ascii ? text.utf8.lastIndex(of: UInt8(ascii: "]")) : text.lastIndex(of: "]"), open < close
    else {
      return nil
    }
    var inner = String(text[text.index(after: open)..<close])
    if inner.lowercased().hasPrefix("ipv6:") { inner = String(inner.dropFirst(5)) }
    return bareIP(inner)
  }

  /// A bare IPv4 dotted quad or IPv6 address (loosely checked; the URL layer parses strictly).
  static func bareIP(_ text: String) -> String? {
    let trimmed = text.trimming("()[],;")
    // Checked on UTF-8 bytes, not Characters: "1\u{301}" is one Character that sorts between "0"
    // and "9" yet is no digit, and Unicode's hex digits include fullwidth forms.
    let parts = trimmed.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
    if parts.count == 4,
      parts.allSatisfy({ part in
        !part.isEmpty && part.count <= 3 && part.allSatisfy(isASCIIDigit)
          && part.reduce(0, { $0 * 10 + Int($1 - UInt8(ascii: "0")) }) <= 255
      })
    {
      return trimmed
    }
    let colons = trimmed.utf8.filter { $0 == UInt8(ascii: ":") }.count
    if colons >= 2,
      trimmed.utf8.allSatisfy({ isASCIIHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
    {
      return trimmed
    }
    return nil
  }

  private static func isASCIIDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private static func isASCIIHexDigit(_ byte: UInt8) -> Bool {
    isASCIIDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
  }
}
