import SendlintCore

/// Where a redirect says it goes: destinations carried in a redirect's query, in its path, as a
/// scheme-relative value or as base64, unwrapped through nested redirects. Bounded: only the first
/// `maximumUnwrapInput` bytes of a URL's path or query are read, each value is percent-decoded at
/// most twice and base64-decoded at most once, and nesting stops at `maximumUnwrapDepth`.
/// Parsing, not judgement: `LinkAnalysis` runs it once per link when the inventory is built, and
/// the link rules (`link/redirector`, `link/text-host-mismatch`, `link/off-brand-host`), image
/// proxies and the inspect view read that analysis (docs/decisions.md, "Link analysis in one place").
public enum RedirectUnwrapping {
  /// Nested redirects followed before giving up (the destination is then unknown).
  public static let maximumUnwrapDepth = 4
  /// A path or query longer than this is not searched for a destination.
  public static let maximumUnwrapInput = 16_384

  /// The destinations one redirect carries, in order, without duplicates:
  /// - an absolute http(s) URL embedded in the path (`/Clickthrough/…/*http://www.example.ie`,
  ///   `awstrack.me/L0/https:%2F%2Fwww.example.com%2F/1/…`), which takes the outer query with it;
  /// - otherwise every query parameter whose value, percent-decoded once or twice, is an absolute
  ///   http(s) URL, a scheme-relative one (`adurl=//host/…`, resolved against the redirect's own
  ///   scheme as the redirector's `Location` would be), or base64 of one (Bing's `u=a1aHR0cHM6…`).
  public static func embeddedTargets(_ url: URLRecord) -> [URLRecord] {
    guard url.scheme == "http" || url.scheme == "https" else { return [] }
    if let target = destinationInPath(url) { return [target] }
    guard let query = url.query, query.utf8.count <= maximumUnwrapInput else { return [] }
    var candidates: [URLRecord] = []
    var seen: Set<String> = []
    for pair in query.splitASCII(separator: UInt8(ascii: "&")) {
      let parts = pair.splitASCII(separator: UInt8(ascii: "="), maxSplits: 1)
      guard parts.count == 2, let target = destination(inValue: parts[1], scheme: url.scheme) else {
        continue
      }
      if seen.insert(target.href).inserted { candidates.append(target) }
    }
    return candidates
  }

  /// The single embedded target, unwrapped through nested redirects up to `maximumUnwrapDepth` levels;
  /// nil when there is none, when a level carries several (ambiguous), or when nesting goes deeper.
  public static func finalTarget(_ url: URLRecord) -> URLRecord? {
    finalTarget(chain: chain(url))
  }

  /// The embedded targets level by level, computed once: `[embeddedTargets(url)]`, then the
  /// targets of its single target, and so on while each level carries exactly one, at most
  /// `maximumUnwrapDepth + 1` levels (what `finalTarget` and `unwrapLimit` read).
  public static func chain(_ url: URLRecord) -> [[URLRecord]] {
    var levels: [[URLRecord]] = []
    var current = url
    for _ in 0...maximumUnwrapDepth {
      let targets = embeddedTargets(current)
      levels.append(targets)
      guard targets.count == 1 else { break }
      current = targets[0]
    }
    return levels
  }

  /// `finalTarget` read from a chain computed by `chain(_:)`.
  public static func finalTarget(chain levels: [[URLRecord]]) -> URLRecord? {
    var unwrapped: URLRecord?
    for targets in levels {
      if targets.isEmpty { return unwrapped }
      guard targets.count == 1 else { return nil }
      unwrapped = targets[0]
    }
    return nil  // nested beyond any sane limit
  }

  /// Why a limit stopped reading `url`'s destination, or nil when unwrapping ran to its end: a
  /// path or query over `maximumUnwrapInput`, or single-target nesting deeper than
  /// `maximumUnwrapDepth`. `embedded` is `embeddedTargets(url)`, already computed by the caller.
  /// A limit is reported, never a silent pass: the rules then judged the wrapper alone.
  public static func unwrapLimit(_ url: URLRecord, embedded: [URLRecord]) -> String? {
    unwrapLimit(url, chain: embedded.count == 1 ? [embedded] + chain(embedded[0]) : [embedded])
  }

  /// `unwrapLimit` read from a chain computed by `chain(_:)` (levels past the limit are not read).
  public static func unwrapLimit(_ url: URLRecord, chain levels: [[URLRecord]]) -> String? {
    guard url.scheme == "http" || url.scheme == "https" else { return nil }
    let pathBytes = url.path.utf8.count
    if pathBytes > maximumUnwrapInput {
      return
        "its path is \(pathBytes) bytes, over the \(maximumUnwrapInput) sendlint searches for an embedded destination"
    }
    if let query = url.query, query.utf8.count > maximumUnwrapInput {
      return
        "its query is \(query.utf8.count) bytes, over the \(maximumUnwrapInput) sendlint searches for an embedded destination"
    }
    // `maximumUnwrapDepth + 1` levels, each carrying exactly one target.
    guard levels.count > maximumUnwrapDepth,
      levels.prefix(maximumUnwrapDepth + 1).allSatisfy({ $0.count == 1 })
    else { return nil }
    return "it nests redirects more than \(maximumUnwrapDepth) deep"
  }

  /// A query value read as a destination URL, or nil.
  static func destination(inValue raw: Substring, scheme: String) -> URLRecord? {
    // Most query values are ids and flags: what the readings below look for starts with "h", "H",
    // "/" or "%" once decoded (no other character lowercases to those; a repaired invalid byte is
    // U+FFFD), or carries base64's "aHR0c" at its first or third byte. A value decoding to
    // neither is no destination, and is not decoded whole.
    let head = PercentDecoding.decodedPrefix(raw.utf8, count: 3)
    guard let first = head.first else { return nil }
    let mayBeURL =
      first == UInt8(ascii: "h") || first == UInt8(ascii: "H") || first == UInt8(ascii: "/")
      || first == UInt8(ascii: "%")
    let mayBeBase64 = first == UInt8(ascii: "a") || (head.count > 2 && head[2] == UInt8(ascii: "a"))
    guard mayBeURL || mayBeBase64 else { return nil }
    // Form encoding first (`+` is a space there); base64 keeps its `+`, so it reads the value
    // percent-decoded without that.
    var value = String(decoding: PercentDecoding.decode(raw.utf8, plusAsSpace: true), as: UTF8.self)
    if let target = absolute(value, scheme: scheme) { return target }
    // Encoded twice (`https%253A%252F%252F…`): one more pass, only for a value that then starts a URL.
    let lowered = value.lowercased()
    if lowered.hasPrefix("http%3a") || lowered.hasPrefix("https%3a") || lowered.hasPrefix("%2f%2f") {
      value = String(decoding: PercentDecoding.decode(value.utf8), as: UTF8.self)
      if let target = absolute(value, scheme: scheme) { return target }
    }
    let plain = String(decoding: PercentDecoding.decode(raw.utf8), as: UTF8.self)
    if let decoded = base64URL(plain) { return absolute(decoded, scheme: scheme) }
    return nil
  }

  /// `value` as an absolute http(s) URL with a host, or a scheme-relative `//host/…` resolved
  /// against `scheme`.
  static func absolute(_ value: String, scheme: String) -> URLRecord? {
    let lowered = value.prefix(8).lowercased()
    let text: String
    if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
      text = value
    } else if lowered.hasPrefix("//"), let third = value.utf8.dropFirst(2).first, third != UInt8(ascii: "/"),
      third != UInt8(ascii: "\\")
    {
      text = scheme + ":" + value
    } else {
      return nil
    }
    guard let target = URLRecord.parse(text), target.host != nil, !(target.host?.description.isEmpty ?? true)
    else { return nil }
    return target
  }

  /// A destination written into the path: the first `http://` or `https://` (case-insensitive, after
  /// up to two rounds of percent-decoding, so `https:%2F%2F` counts) that does not follow a letter or
  /// digit. The rest of the path and the outer query belong to it.
  static func destinationInPath(_ url: URLRecord) -> URLRecord? {
    let path = url.path
    guard path.utf8.count <= maximumUnwrapInput else { return nil }
    var decoded = Array(path.utf8)
    for round in 0..<3 {
      if let start = embeddedSchemeStart(decoded) {
        var text = String(decoding: decoded[start...], as: UTF8.self)
        if let query = url.query { text += "?" + query }
        return absolute(text, scheme: url.scheme)
      }
      guard round < 2, decoded.contains(UInt8(ascii: "%")) else { return nil }
      decoded = PercentDecoding.decode(decoded)
    }
    return nil
  }

  private static func embeddedSchemeStart(_ bytes: [UInt8]) -> Int? {
    func lower(_ i: Int) -> UInt8 { bytes[i] >= 65 && bytes[i] <= 90 ? bytes[i] | 0x20 : bytes[i] }
    var index = 1  // a path starts with "/"
    while index + 7 <= bytes.count {
      if lower(index) == UInt8(ascii: "h"), lower(index + 1) == UInt8(ascii: "t"),
        lower(index + 2) == UInt8(ascii: "t"),
        lower(index + 3) == UInt8(ascii: "p")
      {
        var colon = index + 4
        if colon < bytes.count, lower(colon) == UInt8(ascii: "s") { colon += 1 }
        let before = bytes[index - 1]
        let alphanumeric = (before >= 48 && before <= 57) || (before | 0x20 >= 97 && before | 0x20 <= 122)
        if !alphanumeric, colon + 2 < bytes.count, bytes[colon] == UInt8(ascii: ":"),
          bytes[colon + 1] == UInt8(ascii: "/"),
          bytes[colon + 2] == UInt8(ascii: "/")
        {
          return index
        }
      }
      index += 1
    }
    return nil
  }

  /// Base64 (standard or URL alphabet, padding optional) of an http(s) URL, as redirectors write it:
  /// the encoding of `http` is `aHR0c`, optionally after Bing's two-character version prefix (`a1`).
  static func base64URL(_ value: String) -> String? {
    var bytes = Array(value.utf8)
    guard bytes.count >= 12, bytes.count <= maximumUnwrapInput else { return nil }
    let marker = Array("aHR0c".utf8)
    if !bytes.starts(with: marker) {
      guard bytes.count > 2 + marker.count, bytes[2...].starts(with: marker) else { return nil }
      bytes.removeFirst(2)
    }
    guard let decoded = RedirectBase64.decode(bytes) else { return nil }
    guard let text = String(validating: decoded, as: UTF8.self) else { return nil }
    let lowered = text.prefix(8).lowercased()
    return lowered.hasPrefix("http://") || lowered.hasPrefix("https://") ? text : nil
  }
}

/// RFC 4648 base64 decoding, standard and URL-safe alphabets, padding optional; nil on any other byte.
enum RedirectBase64 {
  static func decode(_ input: [UInt8]) -> [UInt8]? {
    var output: [UInt8] = []
    output.reserveCapacity(input.count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    for byte in input {
      let value: UInt32
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
      case UInt8(ascii: "+"), UInt8(ascii: "-"): value = 62
      case UInt8(ascii: "/"), UInt8(ascii: "_"): value = 63
      case UInt8(ascii: "="): return output
      default: return nil
      }
      accumulator = (accumulator << 6) | value
      bits += 6
      if bits >= 8 {
        bits -= 8
        output.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
      }
    }
    return output
  }
}
