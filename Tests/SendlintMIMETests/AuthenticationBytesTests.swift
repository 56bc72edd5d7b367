import Testing

@testable import SendlintMIME

/// `AuthenticationResults.parse` reads ASCII fields on bytes; it must answer what the Character
/// steps answer on every ASCII text, CR LF, comments, quotes and escapes included.
@Suite struct AuthenticationBytesTests {
  static let fields = [
    "", " ", ";", "example.com; none", "example.com 1; spf=pass smtp.mailfrom=example.net",
    "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=contoso.com; dkim=none (message not signed)\r\n header.d=none;",
    "mx.example.org;\r\n dkim = pass (good (nested) signature) header.d=example.net header . s = \"sel 1\"",
    "x; dmarc=fail reason=\"policy \\\"reject\\\"\" header.from=contoso.com",
    "x; auth/1=pass smtp.auth=\"a;b\" (c;d) e.f=\"g\\\r\n h\"", "x;spf=SoftFail\r\n\r\n smtp.MailFrom=A.B",
    "x; a=b \\(not a comment) c.d=e", "x; a=\"\\\"", "x; a=\"", "x; ( unclosed comment; spf=pass",
    "x; ) spf=pass", "x; =pass", "x; spf= pass / x . y = z", "(only a comment)", "x;\r\n\t;\r\n",
  ]

  @Test func handPickedFieldsAgree() {
    for field in Self.fields {
      #expect(AuthenticationResults.parse(field) == AuthenticationResults.parseByCharacter(field), "\(field)")
    }
  }

  @Test func randomASCIIFieldsAgree() {
    let pieces = [
      "a", "B", "spf", "DKIM", "pass", "reason", "header.d", "x.y", "=", ".", "/", ";", "(", ")", "\"", "\\",
      " ",
      "\t", "\r", "\n", "\r\n", "\u{0B}", "\u{0C}", "1", "-", "_", "\u{1F}",
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    var differing: [String] = []
    for _ in 0..<3_000 {
      let field = (0..<(next() % 40)).map { _ in pieces[next() % pieces.count] }.joined()
      if AuthenticationResults.parse(field) != AuthenticationResults.parseByCharacter(field) {
        differing.append(field)
      }
    }
    let count = differing.count
    #expect(count == 0, "the first that differ: \(differing.prefix(5))")
  }

  @Test func nonASCIIFieldsTakeTheCharacterSteps() throws {
    // ";" with a combining mark after it is one Character and no separator: the Character steps
    // keep one statement where the byte steps would split it, so this field tells which ran.
    let field = "x; spf=pass a.b=c;\u{301}d.e=f"
    #expect(
      AuthenticationResults.parseASCII(Array(field.utf8)) != AuthenticationResults.parseByCharacter(field))
    let results = try #require(AuthenticationResults.parse(field))
    #expect(results.results.count == 1)
    #expect(results.result(for: "spf")?.properties["a.b"] == "c;\u{301}d.e=f")
  }

}
