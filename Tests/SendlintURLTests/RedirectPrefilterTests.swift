import SendlintCore
import Testing

@testable import SendlintURL

/// `RedirectUnwrapping.destination(inValue:scheme:)` skips a query value whose first decoded bytes
/// cannot start a URL or base64 URL; every value must give what the full readings (kept here as
/// the reference) give, and `PercentDecoding.decodedPrefix` must be a prefix of `decode`.
@Suite struct RedirectPrefilterTests {
  static func reference(_ raw: Substring, scheme: String) -> URLRecord? {
    var value = String(decoding: PercentDecoding.decode(raw.utf8, plusAsSpace: true), as: UTF8.self)
    if let target = RedirectUnwrapping.absolute(value, scheme: scheme) { return target }
    let lowered = value.lowercased()
    if lowered.hasPrefix("http%3a") || lowered.hasPrefix("https%3a") || lowered.hasPrefix("%2f%2f") {
      value = String(decoding: PercentDecoding.decode(value.utf8), as: UTF8.self)
      if let target = RedirectUnwrapping.absolute(value, scheme: scheme) { return target }
    }
    let plain = String(decoding: PercentDecoding.decode(raw.utf8), as: UTF8.self)
    if let decoded = RedirectUnwrapping.base64URL(plain) {
      return RedirectUnwrapping.absolute(decoded, scheme: scheme)
    }
    return nil
  }

  @Test func skippedValuesAreNoDestinations() {
    let base64 = "aHR0cHM6Ly9ldmlsLmV4YW1wbGUvcGF0aA"  // https://evil.example/path
    let values = [
      "", "1", "abc", "https://evil.example/x", "HTTPS://EVIL.EXAMPLE/", "http%3A%2F%2Fevil.example%2F",
      "%68ttps://evil.example/", "%2568ttps%253A%252F%252Fevil.example",
      "https%253A%252F%252Fevil.example%252F",
      "//evil.example/p", "%2F%2Fevil.example", "///x", "+https://evil.example", "%2", "%", "%%68",
      base64, "xx" + base64, "%61HR0cHM6Ly9ldmlsLmV4YW1wbGU", "+-" + base64, "\u{130}ttps://x.example",
      "\u{212A}https://x.example", "%FFhttps://x.example", "%C3%A9" + base64, "h", "H", "/", "a",
      "%E2%80%AEhttps://evil.example",
    ]
    for value in values {
      for scheme in ["https", "http"] {
        let raw = Substring(value)
        #expect(
          RedirectUnwrapping.destination(inValue: raw, scheme: scheme)?.href
            == Self.reference(raw, scheme: scheme)?.href, "\(value)")
      }
    }
    // Every one- and two-byte printable ASCII start before a URL and before the base64 marker.
    let bytes = (0x20...0x7E).map { UInt8($0) }
    for first in bytes {
      for second in bytes {
        let start = String(decoding: [first, second], as: UTF8.self)
        for value in [start + "https://e.example/", start + base64, start, String(start.prefix(1)) + base64] {
          let raw = Substring(value)
          #expect(
            RedirectUnwrapping.destination(inValue: raw, scheme: "https")?.href
              == Self.reference(raw, scheme: "https")?.href, "\(value)")
        }
      }
    }
  }

  @Test func decodedPrefixIsAPrefixOfTheDecoding() {
    let inputs = [
      "", "%", "%4", "%41", "%41%42c", "a%zz%41", "+%2B+", "%%41", String(repeating: "%41", count: 5),
    ]
    for input in inputs {
      let whole = PercentDecoding.decode(input.utf8)
      for count in 0...6 {
        #expect(
          PercentDecoding.decodedPrefix(input.utf8, count: count) == Array(whole.prefix(count)), "\(input)")
      }
    }
  }
}

/// `TextURLFinder.url` rejects a bare candidate on its bytes (`hostPartMayBeHost`) before making
/// a String of it: every candidate it rejects must be one `isBareHost` rejects, invalid UTF-8
/// (repaired to U+FFFD, longer) and hosts around the 253-byte limit included.
@Suite struct BareHostPrefilterTests {
  @Test func rejectedCandidatesAreNoBareHosts() {
    let finder = TextURLFinder()
    var candidates: [[UInt8]] = [
      Array("example.com".utf8), Array("example".utf8), Array("a@b.com".utf8), Array("b.com/a@x".utf8),
      Array("x/y.com".utf8), Array("x?y.com".utf8), Array("x#y.com".utf8), Array("x:80.com".utf8),
      Array("192.168.0.1".utf8), Array("caf\u{E9}.fr".utf8), [0x61, 0xFF, 0x2E, 0x63, 0x6F, 0x6D],
      [0xC3, 0x2E, 0x64, 0x65],
    ]
    for length in [250, 251, 252, 253, 254, 255] {
      let label = Array(repeating: UInt8(ascii: "a"), count: length - 4)
      candidates.append(label + Array(".com".utf8))
      candidates.append(Array(label.dropLast(2)) + [0xFF, 0xFE] + Array(".com".utf8))
    }
    for bytes in candidates {
      let text = String(decoding: bytes, as: UTF8.self)
      if !TextURLFinder.hostPartMayBeHost(bytes[...]) {
        #expect(!finder.isBareHost(text), "\(text.debugDescription)")
      }
    }
    #expect(TextURLFinder.hostPartMayBeHost(Array("example.com".utf8)[...]))
    #expect(!TextURLFinder.hostPartMayBeHost(Array("example".utf8)[...]))
  }
}
