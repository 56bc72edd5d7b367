import SendlintCore

/// A `DKIM-Signature` field read as its tag list (RFC 6376 §3.2, §3.5).
///
///     tag-list = tag-spec *( ";" tag-spec ) [ ";" ]
///     tag-spec = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
///
/// Folding whitespace inside values is removed (it is insignificant in every tag sendlint reads).
/// Unknown tags are kept; a repeated tag makes the signature invalid (§3.2) and is recorded.
public struct DKIMSignature: Sendable, Hashable {
  /// Tags in their order of appearance (the first occurrence of a repeated tag).
  public let tags: [Tag]
  /// Tag names that occur more than once.
  public let repeatedTags: [String]

  public struct Tag: Sendable, Hashable {
    public let name: String
    public let value: String
  }

  /// The value of a tag; tag names are case-sensitive.
  public subscript(_ name: String) -> String? { tags.first { $0.name == name }?.value }

  /// `d=`, the signing domain, lowercased.
  public var domain: String? { self["d"].map { $0.lowercased() } }
  /// `a=`, the signing algorithm (`rsa-sha256`, `ed25519-sha256`, `rsa-sha1`).
  public var algorithm: String? { self["a"].map { $0.lowercased() } }
  /// `h=`, the signed header fields, lowercased.
  public var signedHeaders: [String] {
    (self["h"] ?? "").splitASCII(separator: UInt8(ascii: ":")).map { $0.lowercased() }.filter { !$0.isEmpty }
  }
  /// `l=`, the number of body octets the signature covers, when limited.
  public var bodyLength: Int? { self["l"].flatMap { Int($0) } }

  /// Tags RFC 6376 §3.5 requires that are absent.
  public var missingRequiredTags: [String] {
    ["v", "a", "b", "bh", "d", "h", "s"].filter { self[$0] == nil }
  }

  public static func parse(_ value: String) -> DKIMSignature {
    var tags: [Tag] = []
    var repeated: [String] = []
    // An ASCII field (every real one; `b=` runs to hundreds of bytes) is read on bytes: its "="
    // Characters are its "=" bytes, and its whitespace Characters (TAB…CR, SPACE, CR LF) are
    // made of exactly the bytes removed here. Other text is read by Character.
    let ascii = value.utf8.isAllASCII
    for spec in value.splitASCII(separator: UInt8(ascii: ";"), omittingEmptySubsequences: true) {
      let name: String
      let tagValue: String
      if ascii {
        let utf8 = spec.utf8
        guard let equals = utf8.firstIndex(of: UInt8(ascii: "=")) else { continue }
        name = String(decoding: utf8[..<equals].filter { !$0.isASCIIWhiteSpaceCharacter }, as: UTF8.self)
        tagValue = String(
          decoding: utf8[utf8.index(after: equals)...].filter { !$0.isASCIIWhiteSpaceCharacter },
          as: UTF8.self)
      } else {
        guard let equals = spec.firstIndex(of: "=") else { continue }
        name = spec[..<equals].filter { !$0.isWhitespace }
        tagValue = spec[spec.index(after: equals)...].filter { !$0.isWhitespace }
      }
      guard !name.isEmpty else { continue }
      if tags.contains(where: { $0.name == name }) {
        if !repeated.contains(name) { repeated.append(name) }
        continue
      }
      tags.append(Tag(name: name, value: tagValue))
    }
    return DKIMSignature(tags: tags, repeatedTags: repeated)
  }
}

/// An `Authentication-Results` field (RFC 8601 §2.2): the verifying host and its results.
///
///     authres-header = [CFWS] authserv-id [ CFWS authres-version ] ( no-result / 1*resinfo )
///     resinfo        = [CFWS] ";" methodspec [ CFWS reasonspec ] [ 1*( CFWS propspec ) ]
///     methodspec     = [CFWS] method [CFWS] "=" [CFWS] result
///     propspec       = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
public struct AuthenticationResults: Sendable, Hashable {
  /// The verifying host; empty when the field starts with a result (Microsoft's form).
  public let authservID: String
  public let results: [Result]

  public struct Result: Sendable, Hashable {
    /// The method, lowercased (`spf`, `dkim`, `dmarc`, `arc`, `iprev`, `auth`).
    public let method: String
    /// The result, lowercased (`pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, …).
    public let result: String
    public let reason: String?
    /// Properties by `ptype.property`, lowercased name (`header.d`, `smtp.mailfrom`, `header.from`).
    public let properties: [String: String]
  }

  /// The first result of a method.
  public func result(for method: String) -> Result? { results.first { $0.method == method } }

  /// Parses a field value. An ASCII value (nearly every real one) is read on its bytes, by the
  /// same steps as `parseByCharacter`, which reads any other: in ASCII text each Character is one
  /// byte except CR LF, and no step tells CR LF from CR then LF (both are whitespace, neither is a
  /// delimiter, and an escape before CR LF keeps both bytes either way). `AuthenticationBytesTests`
  /// compares the two. Microsoft's fields run to kilobytes of comments, and the Character steps
  /// cost about 250 instructions a byte.
  public static func parse(_ value: String) -> AuthenticationResults? {
    value.utf8.isAllASCII ? parseASCII(Array(value.utf8)) : parseByCharacter(value)
  }

  static func parseASCII(_ value: [UInt8]) -> AuthenticationResults? {
    let statements = ASCIISteps.split(ASCIISteps.removingComments(value))
    guard let head = statements.first else { return nil }
    let authserv =
      head.split(whereSeparator: \.isASCIIWhiteSpaceCharacter).first.map {
        String(decoding: $0, as: UTF8.self)
      } ?? ""
    guard !authserv.isEmpty else { return nil }
    let headIsResult = authserv.utf8.contains(UInt8(ascii: "="))
    var results: [Result] = []
    for statement in headIsResult ? statements[...] : statements.dropFirst() {
      let words = ASCIISteps.tokens(statement)
      guard let first = words.first, let equals = first.firstIndex(of: UInt8(ascii: "=")) else { continue }
      var methodBytes = first[..<equals]
      if let slash = methodBytes.firstIndex(of: UInt8(ascii: "/")) { methodBytes = methodBytes[..<slash] }
      let method = String(asciiLowercasing: methodBytes)
      let result = String(asciiLowercasing: first[(equals + 1)...])
      var reason: String?
      var properties: [String: String] = [:]
      for word in words.dropFirst() {
        guard let equals = word.firstIndex(of: UInt8(ascii: "=")) else { continue }
        let name = String(asciiLowercasing: word[..<equals])
        let value = ASCIISteps.unquote(word[(equals + 1)...])
        if name == "reason" {
          reason = value
        } else if name.utf8.contains(UInt8(ascii: ".")) {
          properties[name] = value
        }
      }
      results.append(Result(method: method, result: result, reason: reason, properties: properties))
    }
    return AuthenticationResults(authservID: headIsResult ? "" : authserv.lowercased(), results: results)
  }

  /// `parseByCharacter`'s steps on ASCII bytes.
  enum ASCIISteps {
    static func removingComments(_ value: [UInt8]) -> [UInt8] {
      var out: [UInt8] = []
      out.reserveCapacity(value.count)
      var depth = 0
      var quoted = false
      var escaped = false
      for byte in value {
        if escaped {
          if depth == 0 { out.append(byte) }
          escaped = false
          continue
        }
        if byte == UInt8(ascii: "\\") {
          escaped = true
          if depth == 0 { out.append(byte) }
          continue
        }
        if quoted {
          out.append(byte)
          if byte == UInt8(ascii: "\"") { quoted = false }
          continue
        }
        switch byte {
        case UInt8(ascii: "("): depth += 1
        case UInt8(ascii: ")"): depth = max(0, depth - 1)
        case UInt8(ascii: "\"") where depth == 0:
          quoted = true
          out.append(byte)
        default:
          if depth == 0 { out.append(byte) }
        }
      }
      return out
    }

    static func split(_ value: [UInt8]) -> [ArraySlice<UInt8>] {
      var parts: [ArraySlice<UInt8>] = []
      var start = 0
      var quoted = false
      for (index, byte) in value.enumerated() {
        if byte == UInt8(ascii: "\"") { quoted.toggle() }
        if byte == UInt8(ascii: ";"), !quoted {
          parts.append(value[start..<index])
          start = index + 1
        }
      }
      parts.append(value[start...])
      return parts
    }

    static func isJoiner(_ byte: UInt8) -> Bool {
      byte == UInt8(ascii: "=") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
    }

    static func tokens(_ statement: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
      var compact: [UInt8] = []
      compact.reserveCapacity(statement.count)
      var pendingSpace = false
      var quoted = false
      for byte in statement {
        if byte == UInt8(ascii: "\"") { quoted.toggle() }
        if !quoted, byte.isASCIIWhiteSpaceCharacter {
          pendingSpace = true
          continue
        }
        if pendingSpace {
          let joins = isJoiner(byte) || compact.last.map(isJoiner) == true
          if !joins, !compact.isEmpty { compact.append(0x20) }
          pendingSpace = false
        }
        compact.append(byte)
      }
      var words: [ArraySlice<UInt8>] = []
      var start = 0
      quoted = false
      for (index, byte) in compact.enumerated() {
        if byte == UInt8(ascii: "\"") { quoted.toggle() }
        if byte == 0x20, !quoted {
          if start < index { words.append(compact[start..<index]) }
          start = index + 1
        }
      }
      if start < compact.count { words.append(compact[start...]) }
      return words
    }

    static func unquote(_ value: ArraySlice<UInt8>) -> String {
      guard value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") else {
        return String(decoding: value, as: UTF8.self)
      }
      var out: [UInt8] = []
      var escaped = false
      for byte in value.dropFirst().dropLast() {
        if escaped || byte != UInt8(ascii: "\\") {
          out.append(byte)
          escaped = false
        } else {
          escaped = true
        }
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  static func parseByCharacter(_ value: String) -> AuthenticationResults? {
    let statements = split(removingComments(value))
    guard let head = statements.first else { return nil }
    let authserv = head.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
    guard !authserv.isEmpty else { return nil }
    // An authserv-id is a value (a domain name, RFC 8601 §2.5) and cannot contain "=". Microsoft
    // (Exchange Online) omits it and starts with a result: `spf=pass (sender IP is …) smtp.mailfrom=…`.
    // Leniently, that first statement is read as a resinfo and the authserv-id is empty.
    let headIsResult = authserv.contains("=")
    var results: [Result] = []
    for statement in headIsResult ? statements[...] : statements.dropFirst() {
      let words = tokens(statement)
      guard let first = words.first, let equals = first.firstIndex(of: "=") else { continue }
      var method = first[..<equals].lowercased()
      if let slash = method.firstIndex(of: "/") { method = String(method[..<slash]) }
      let result = first[first.index(after: equals)...].lowercased()
      var reason: String?
      var properties: [String: String] = [:]
      for word in words.dropFirst() {
        guard let equals = word.firstIndex(of: "=") else { continue }
        let name = word[..<equals].lowercased()
        let value = unquote(String(word[word.index(after: equals)...]))
        if name == "reason" { reason = value } else if name.contains(".") { properties[name] = value }
      }
      results.append(Result(method: method, result: result, reason: reason, properties: properties))
    }
    return AuthenticationResults(authservID: headIsResult ? "" : authserv.lowercased(), results: results)
  }

  /// The value with RFC 5322 comments removed (nested, quoted strings respected).
  static func removingComments(_ value: String) -> String {
    var out = ""
    var depth = 0
    var quoted = false
    var escaped = false
    for character in value {
      if escaped {
        if depth == 0 { out.append(character) }
        escaped = false
        continue
      }
      if character == "\\" {
        escaped = true
        if depth == 0 { out.append(character) }
        continue
      }
      if quoted {
        out.append(character)
        if character == "\"" { quoted = false }
        continue
      }
      switch character {
      case "(": depth += 1
      case ")": depth = max(0, depth - 1)
      case "\"" where depth == 0:
        quoted = true
        out.append(character)
      default:
        if depth == 0 { out.append(character) } else if character.isNewline { continue }
      }
    }
    return out
  }

  /// Splits on ";" outside quoted strings.
  static func split(_ value: String) -> [String] {
    var parts: [String] = []
    var current = ""
    var quoted = false
    for character in value {
      if character == "\"" { quoted.toggle() }
      if character == ";", !quoted {
        parts.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    parts.append(current)
    return parts
  }

  /// Whitespace-separated words, with the optional whitespace around "=", "." and "/" removed so
  /// that `dkim = pass` and `header . d = x` read as one word each.
  static func tokens(_ statement: String) -> [String] {
    var compact = ""
    var pendingSpace = false
    var quoted = false
    for character in statement {
      if character == "\"" { quoted.toggle() }
      if !quoted, character.isWhitespace {
        pendingSpace = true
        continue
      }
      if pendingSpace {
        let joins = "=./".contains(character) || compact.last.map { "=./".contains($0) } == true
        if !joins, !compact.isEmpty { compact.append(" ") }
        pendingSpace = false
      }
      compact.append(character)
    }
    var words: [String] = []
    var current = ""
    quoted = false
    for character in compact {
      if character == "\"" { quoted.toggle() }
      if character == " ", !quoted {
        if !current.isEmpty { words.append(current) }
        current = ""
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  static func unquote(_ value: String) -> String {
    guard value.count >= 2, value.first == "\"", value.last == "\"" else { return value }
    var out = ""
    var escaped = false
    for character in value.dropFirst().dropLast() {
      if escaped || character != "\\" {
        out.append(character)
        escaped = false
      } else {
        escaped = true
      }
    }
    return out
  }
}
