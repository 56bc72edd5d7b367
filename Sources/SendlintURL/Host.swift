import CICUShim

/// A URL host after the WHATWG host parser: a domain in ASCII (IDNA-processed), an IP address,
/// or an opaque host of a non-special URL.
public enum Host: Sendable, Hashable, CustomStringConvertible {
  case domain(String)
  case ip(IPAddress)
  case opaque(String)
  case empty

  public var description: String {
    switch self {
    case .domain(let name): name
    case .ip(.v4(let value)): IPAddress.v4(value).description
    case .ip(let address): "[\(address)]"
    case .opaque(let text): text
    case .empty: ""
    }
  }

  /// The domain name, if this is one.
  public var domain: String? {
    if case .domain(let name) = self { return name }
    return nil
  }

  /// The name for people: punycode labels shown as Unicode.
  public var displayName: String {
    guard case .domain(let name) = self, name.contains("xn--") else { return description }
    return IDNA.toUnicode(name) ?? name
  }
}

/// UTS #46 processing through ICU, with the options the WHATWG URL standard uses.
public enum IDNA {
  /// Domain to ASCII: nil when UTS #46 reports an error (the URL is then invalid).
  ///
  /// An all-ASCII domain is only lowercased: the current URL standard's UTS #46 revision accepts
  /// every ASCII label (including `xn--` labels ICU 72's Unicode 15.0 revision rejects), as the
  /// WPT expectations show; the forbidden-code-point check that follows still applies.
  public static func toASCII(_ domain: String) -> String? {
    if !domain.isEmpty, domain.utf8.isAllASCII {
      return String(asciiLowercasing: domain.utf8)
    }
    return call(domain, sendlint_idna_to_ascii)
  }

  /// UTS #46 with the options of its conformance file (STD3 rules, hyphen and length checks):
  /// the result and whether any error was recorded.
  public static func strict(_ domain: String, toASCII: Bool) -> (value: String, failed: Bool) {
    let result = convert(domain) { sendlint_idna_strict(toASCII ? 1 : 0, $0, $1, $2, $3, $4) }
    return (result?.value ?? "", result.map { $0.errors != 0 } ?? true)
  }

  /// Domain to Unicode for display; nil on error.
  public static func toUnicode(_ domain: String) -> String? {
    call(domain, sendlint_idna_to_unicode)
  }

  private static func call(
    _ input: String,
    _ function: (
      UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<CChar>?, Int32, UnsafeMutablePointer<UInt32>?
    ) -> Int32
  ) -> String? {
    guard input.utf8.count < 4096, let result = convert(input, function), result.errors == 0 else {
      return nil
    }
    return result.value
  }

  /// Runs an ICU conversion into a buffer that grows until the output fits.
  private static func convert(
    _ input: String,
    _ function: (
      UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<CChar>?, Int32, UnsafeMutablePointer<UInt32>?
    ) -> Int32
  ) -> (value: String, errors: UInt32)? {
    let utf8 = Array(input.utf8)
    var capacity = max(64, utf8.count * 4 + 16)
    while true {
      var output = [CChar](repeating: 0, count: capacity)
      var errors: UInt32 = 0
      let written = utf8.withUnsafeBufferPointer { source in
        source.withMemoryRebound(to: CChar.self) { chars in
          function(chars.baseAddress, Int32(utf8.count), &output, Int32(capacity), &errors)
        }
      }
      if written < 0 { return nil }
      if Int(written) > capacity {
        capacity = Int(written) + 1
        continue
      }
      return (String(decoding: output[0..<Int(written)].map { UInt8(bitPattern: $0) }, as: UTF8.self), errors)
    }
  }
}

/// UTS #39 confusable skeletons through ICU: two strings with the same skeleton look alike.
public enum Confusables {
  public static func skeleton(_ text: String) -> String {
    let utf8 = Array(text.utf8)
    var capacity = max(64, utf8.count * 4 + 16)
    for _ in 0..<3 {
      var output = [CChar](repeating: 0, count: capacity)
      let written = utf8.withUnsafeBufferPointer { source in
        source.withMemoryRebound(to: CChar.self) { chars in
          sendlint_confusable_skeleton(chars.baseAddress, Int32(utf8.count), &output, Int32(capacity))
        }
      }
      if written < 0 { return text }
      if Int(written) > capacity {
        capacity = Int(written) + 1
        continue
      }
      return String(decoding: output[0..<Int(written)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    return text
  }
}

/// Unicode scripts of host labels (UTS #39 "mixed script" detection), through ICU.
public enum Scripts {
  /// The distinct scripts of a string's letters, ignoring Common and Inherited (digits,
  /// punctuation, combining marks).
  public static func scripts(of text: String) -> Set<Int32> {
    var result = Set<Int32>()
    for scalar in text.unicodeScalars {
      let script = sendlint_script(scalar.value)
      if script > 1 { result.insert(script) }
    }
    return result
  }

  /// Whether a label mixes scripts in a way UTS #39's "highly restrictive" level forbids. Han with
  /// Hiragana/Katakana (Japanese) or Hangul (Korean) and Han with Bopomofo are allowed mixes.
  public static func isMixed(_ label: String) -> Bool {
    let found = scripts(of: label)
    guard found.count > 1 else { return false }
    // USCRIPT_HAN 17, HIRAGANA 20, KATAKANA 22, HANGUL 18, BOPOMOFO 5, LATIN 25.
    let japanese: Set<Int32> = [17, 20, 22, 25]
    let korean: Set<Int32> = [17, 18, 25]
    let chinese: Set<Int32> = [17, 5, 25]
    return !(found.isSubset(of: japanese) || found.isSubset(of: korean) || found.isSubset(of: chinese))
  }
}

/// Characters that change how a host or text looks without being seen.
public enum InvisibleCharacters {
  /// Zero-width characters and bidirectional controls.
  public static func find(in text: String) -> [Unicode.Scalar] {
    // Every invisible character is outside ASCII (`ScalarFastPathTests`): ASCII text has none.
    if text.utf8.isAllASCII { return [] }
    return text.unicodeScalars.filter { isInvisible($0) }
  }

  public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF, 0x00AD, 0x180E, 0x061C:
      true
    default: false
    }
  }

  /// `U+200B ZERO WIDTH SPACE`-style names for messages.
  public static func describe(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    let padded = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    return "U+\(padded) \(scalar.properties.name ?? "")"
  }
}

/// Host names compared the way link rules need.
public enum HostName {
  /// Lowercased, without a trailing dot.
  public static func normalise(_ host: String) -> String {
    var lowered = host.lowercased()
    while lowered.hasSuffix(".") { lowered.removeLast() }
    return lowered
  }

  /// `host` equals `domain` or is a subdomain of it (label-wise, so `evilcontoso.com` is not).
  public static func host(_ host: String, isWithin domain: String) -> Bool {
    let host = normalise(host)
    let domain = normalise(domain)
    return host == domain || host.hasSuffix("." + domain)
  }

  /// The host without one leading `www.` label.
  public static func strippingWWW(_ host: String) -> String {
    let host = normalise(host)
    return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
  }
}
