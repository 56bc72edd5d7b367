/// Defanged or spelled-out addresses in text (`hxxp://`, `example[.]com`, "h t t p s : / /",
/// "secure-login dot net"), found on bytes; munged mail addresses in signatures ("jane at example
/// dot net") are not addresses. Parsing only, moved out of `link/obfuscated`, which judges what is
/// found (docs/decisions.md, "Link analysis in one place").
public enum DefangedAddresses {
  /// Words that stand before "at" in prose ("write to us at …", "log in at …", "available at …"):
  /// the text after them is read as a place, not as the domain of a spelled-out mail address.
  static let proseBeforeAt: Set<String> = [
    "i", "me", "we", "us", "you", "him", "her", "it", "them", "in", "on", "online", "here", "there", "up",
    "back",
    "out", "touch", "visit", "available", "found", "find", "look", "click", "go", "log", "login", "sign",
    "signed",
    "contact", "email", "e-mail", "mail", "write", "reach", "call", "apply", "register", "shop", "buy",
    "order",
    "more", "details", "info", "information", "see", "read", "join", "site", "website", "page", "portal",
    "account",
  ]

  /// Whether the domain starting at `domainStart` is the domain of a munged mail address in a
  /// signature ("jane at example dot net", "jane(at)example[dot]net", "jane@example[dot]net"): an
  /// anti-harvesting habit of mailing-list mail, not a disguised link. The "at" must follow a
  /// local part; plain " at " after a word of prose ("write to us at …") does not count.
  public static func isMungedAddress(_ bytes: [UInt8], domainStart: Int) -> Bool {
    func isLocal(_ b: UInt8) -> Bool {
      (b >= 48 && b <= 57) || (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || b == UInt8(ascii: ".")
        || b == UInt8(ascii: "_")
        || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
    }
    func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }
    var index = domainStart
    var spaces = 0
    while index > 0, bytes[index - 1] == 0x20 || bytes[index - 1] == 0x09, spaces < 4 {
      index -= 1
      spaces += 1
    }
    guard index > 0 else { return false }
    if bytes[index - 1] == UInt8(ascii: "@") { return index >= 2 && isLocal(bytes[index - 2]) }
    // A bracketed "at": (at) [at] {at} <at>, with or without spaces around it.
    let closers: [UInt8: UInt8] = [
      UInt8(ascii: ")"): UInt8(ascii: "("), UInt8(ascii: "]"): UInt8(ascii: "["),
      UInt8(ascii: "}"): UInt8(ascii: "{"), UInt8(ascii: ">"): UInt8(ascii: "<"),
    ]
    if let opener = closers[bytes[index - 1]], index >= 4, lower(bytes[index - 2]) == UInt8(ascii: "t"),
      lower(bytes[index - 3]) == UInt8(ascii: "a"),
      bytes[index - 4] == opener
    {
      var before = index - 4
      while before > 0, bytes[before - 1] == 0x20, index - before < 8 { before -= 1 }
      return before > 0 && isLocal(bytes[before - 1])
    }
    // A plain " at " between a local part and the domain.
    guard spaces > 0, index >= 3, lower(bytes[index - 1]) == UInt8(ascii: "t"),
      lower(bytes[index - 2]) == UInt8(ascii: "a"), bytes[index - 3] == 0x20
    else { return false }
    let localEnd = index - 3
    var localStart = localEnd
    while localStart > 0, isLocal(bytes[localStart - 1]), localEnd - localStart < 64 { localStart -= 1 }
    guard localStart < localEnd else { return false }
    if localStart > 0 {
      let previous = bytes[localStart - 1]
      guard
        previous == 0x20 || previous == 0x09 || previous == 0x0A || previous == 0x0D
          || previous == UInt8(ascii: "<")
          || previous == UInt8(ascii: "(") || previous == UInt8(ascii: "\"") || previous == UInt8(ascii: ",")
          || previous == UInt8(ascii: ":")
      else { return false }
    }
    let local = String(decoding: bytes[localStart..<localEnd].map(lower), as: UTF8.self)
    return !proseBeforeAt.contains(local)
  }

  /// Finds disguised URLs in text. Linear: each check at a position reads a bounded window.
  public static func find(in bytes: [UInt8], suffixes: PublicSuffixList?) -> [(
    start: Int, end: Int, snippet: String, kind: String
  )] {
    func lower(_ i: Int) -> UInt8 {
      i < bytes.count ? (bytes[i] >= 65 && bytes[i] <= 90 ? bytes[i] | 0x20 : bytes[i]) : 0
    }
    func isAlnum(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 97 && b <= 122) || (b >= 65 && b <= 90) }
    func skipSpaces(_ i: inout Int) { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
    var found: [(Int, Int, String, String)] = []
    var i = 0
    while i < bytes.count {
      let c = lower(i)
      if c == UInt8(ascii: "h"), i == 0 || !isAlnum(bytes[i - 1]) {
        // hxxp:// and hxxp[:]//
        if lower(i + 1) == UInt8(ascii: "x"), lower(i + 2) == UInt8(ascii: "x"),
          lower(i + 3) == UInt8(ascii: "p")
        {
          var j = i + 4
          if lower(j) == UInt8(ascii: "s") { j += 1 }
          if lower(j) == UInt8(ascii: "[") { j += 1 }
          if lower(j) == UInt8(ascii: ":") {
            var end = j
            while end < bytes.count, end - i < 200,
              !(bytes[end] == 0x20 || bytes[end] == 0x0A || bytes[end] == 0x0D)
            { end += 1 }
            found.append((i, end, String(decoding: bytes[i..<end], as: UTF8.self), "hxxp scheme"))
            i = end
            continue
          }
        }
        // h t t p s : / /  (letters separated by spaces)
        var j = i + 1
        var spaced = false
        var matched = true
        for letter in Array("ttp".utf8) {
          let before = j
          skipSpaces(&j)
          if j > before { spaced = true }
          if lower(j) != letter {
            matched = false
            break
          }
          j += 1
        }
        if matched {
          var k = j
          skipSpaces(&k)
          if lower(k) == UInt8(ascii: "s") { j = k + 1 }
          var m = j
          skipSpaces(&m)
          if m > j { spaced = true }
          if lower(m) == UInt8(ascii: ":") {
            m += 1
            skipSpaces(&m)
            if lower(m) == UInt8(ascii: "/") {
              m += 1
              skipSpaces(&m)
              if lower(m) == UInt8(ascii: "/"), spaced {
                var end = m + 1
                skipSpaces(&end)
                while end < bytes.count, end - i < 200,
                  !(bytes[end] == 0x20 || bytes[end] == 0x0A || bytes[end] == 0x0D)
                { end += 1 }
                found.append(
                  (i, end, String(decoding: bytes[i..<end], as: UTF8.self), "a URL spelled with spaces"))
                i = end
                continue
              }
            }
          }
        }
      }
      // example[.]com, example(.)com, example[dot]com
      if c == UInt8(ascii: "[") || c == UInt8(ascii: "(") || c == UInt8(ascii: "{"), i > 0,
        isAlnum(bytes[i - 1])
      {
        let close: UInt8 =
          c == UInt8(ascii: "[")
          ? UInt8(ascii: "]") : c == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "}")
        var inner = 0
        if lower(i + 1) == UInt8(ascii: "."), lower(i + 2) == close { inner = 3 }
        if lower(i + 1) == UInt8(ascii: "d"), lower(i + 2) == UInt8(ascii: "o"),
          lower(i + 3) == UInt8(ascii: "t"), lower(i + 4) == close
        {
          inner = 5
        }
        if inner > 0, i + inner < bytes.count, isAlnum(bytes[i + inner]) {
          var start = i
          while start > 0,
            isAlnum(bytes[start - 1]) || bytes[start - 1] == UInt8(ascii: "-")
              || bytes[start - 1] == UInt8(ascii: ".")
          { start -= 1 }
          var end = i + inner
          while end < bytes.count, end - start < 200,
            !(bytes[end] == 0x20 || bytes[end] == 0x0A || bytes[end] == 0x0D)
          { end += 1 }
          if isMungedAddress(bytes, domainStart: start) {
            i = end
            continue
          }
          found.append(
            (start, end, String(decoding: bytes[start..<end], as: UTF8.self), "a dot written in brackets"))
          i = end
          continue
        }
      }
      // secure-login dot net
      if c == 0x20, lower(i + 1) == UInt8(ascii: "d"), lower(i + 2) == UInt8(ascii: "o"),
        lower(i + 3) == UInt8(ascii: "t"), lower(i + 4) == 0x20, let suffixes
      {
        var start = i
        while start > 0, isAlnum(bytes[start - 1]) || bytes[start - 1] == UInt8(ascii: "-") { start -= 1 }
        var end = i + 5
        while end < bytes.count, isAlnum(bytes[end]) { end += 1 }
        let label = bytes[start..<i]
        let tld = String(decoding: bytes[(i + 5)..<end], as: UTF8.self).lowercased()
        if isMungedAddress(bytes, domainStart: start) {
          // "jane at example dot co dot uk": skip the whole spelled-out domain.
          while end + 5 < bytes.count, bytes[end] == 0x20, lower(end + 1) == UInt8(ascii: "d"),
            lower(end + 2) == UInt8(ascii: "o"),
            lower(end + 3) == UInt8(ascii: "t"), bytes[end + 4] == 0x20, isAlnum(bytes[end + 5])
          {
            end += 5
            while end < bytes.count, isAlnum(bytes[end]) || bytes[end] == UInt8(ascii: "-") { end += 1 }
          }
          i = end
          continue
        }
        if label.count >= 4,
          label.contains(UInt8(ascii: "-")) || label.allSatisfy({ !($0 >= 65 && $0 <= 90) }),
          suffixes.isKnownSuffix(tld), end - (i + 5) >= 2
        {
          found.append(
            (start, end, String(decoding: bytes[start..<end], as: UTF8.self), "\"dot\" spelled out"))
          i = end
          continue
        }
      }
      i += 1
    }
    return found.map { (start: $0.0, end: $0.1, snippet: $0.2, kind: $0.3) }
  }
}
