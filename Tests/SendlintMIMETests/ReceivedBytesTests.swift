import Testing

@testable import SendlintMIME

/// `ReceivedHop` finds brackets and phrases of ASCII text on bytes; each must answer what the
/// Character search answers, on ASCII and other text alike.
@Suite struct ReceivedBytesTests {
  static func addressLiteralByCharacter(_ text: String) -> String? {
    guard let open = text.firstIndex(of: "["), let close = text.lastIndex(of: "]"), open < close else {
      return nil
    }
    var inner = String(text[text.index(after: open)..<close])
    if inner.lowercased().hasPrefix("ipv6:") { inner = String(inner.dropFirst(5)) }
    return ReceivedHop.bareIP(inner)
  }

  @Test func addressLiteralsAgree() {
    let texts = [
      "", "[", "]", "][", "[]", "[192.0.2.1]", "([192.0.2.1])", "x [192.0.2.1] y [z]", "[IPv6:2001:db8::1]",
      "[ipv6:2001:db8::1]:25", "unknown [198.51.100.7]", "[192.0.2.1", "192.0.2.1]", "[\r\n192.0.2.1]",
      "[\u{301}192.0.2.1]", "[192.0.2.1]\u{301}", "h\u{E9}lo [192.0.2.1]", "[192.0.2.1]\u{301}]",
    ]
    for text in texts {
      #expect(ReceivedHop.addressLiteral(text) == Self.addressLiteralByCharacter(text), "\(text)")
    }
    #expect(ReceivedHop.addressLiteral("mx ([192.0.2.1])") == "192.0.2.1")
  }

  @Test func lowercasedPhrasesAgree() {
    let texts = [
      "", "may be forged", "MAY BE FORGED", "host [192.0.2.1] (may be forged)", "may be forge",
      "may be forged\u{301}", "\u{301}may be forged", "M\u{C1}Y be forged", "may\r\nbe forged",
      "Sendmail 8.14",
      "SENDMAIL\u{301}", "by mx (8.12.8/8.12.8) with ESMTP",
    ]
    for text in texts {
      for phrase in ["may be forged", "sendmail"] {
        #expect(
          ReceivedHop.containsLowercased(text, phrase) == text.lowercased().contains(phrase),
          "\(text) \(phrase)")
      }
    }
    #expect(ReceivedHop.containsLowercased("(May Be Forged)", "may be forged"))
  }
}
