import Testing

@testable import SendlintURL

/// `IPAddress` tells IPv6 from IPv4 by a ":" found on the bytes of ASCII text; the forms mail
/// carries must still read as before.
@Suite struct IPAddressTextTests {
  @Test func formsReadAsBefore() {
    let cases: [(String, String?)] = [
      ("192.0.2.1", "192.0.2.1"), ("[192.0.2.1]", "192.0.2.1"), ("::1", "::1"),
      ("[IPv6:2001:db8::1]", "2001:db8::1"),
      ("ipv6:2001:DB8::2", "2001:db8::2"), ("::ffff:192.0.2.1", "::ffff:c000:201"), ("192.0.2.1:25", nil),
      ("256.0.0.1", nil), ("1.2.3", nil), ("a:b", nil), ("", nil), (":", nil), ("1\u{301}.2.3.4", nil),
      ("\u{FF1A}\u{FF1A}1", nil),
    ]
    for (text, expected) in cases {
      #expect(IPAddress(text)?.description == expected, "\(text)")
    }
  }
}
