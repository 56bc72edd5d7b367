import Foundation
import SendlintCore
import SendlintInventory
import SendlintURL
import Testing

/// Issue 15, hot paths: the byte-level rewrites read inputs exactly as before, and where
/// Character semantics hid a byte (a space before a combining mark) they now see it.
@Suite struct HotPathTests {
  @Test func publicSuffixListParsesBytesLikeText() {
    let text = "// comment\n  com\t// trailing words\nCO.UK\r\n*.Kawasaki.JP\n!City.Kawasaki.jp\n\n中国\n!\n"
    let list = PublicSuffixList(bytes: Array(text.utf8), source: "test")
    #expect(list.isKnownSuffix("com"))
    #expect(list.isKnownSuffix("co.uk"))
    #expect(list.isKnownSuffix("xn--fiqs8s"))
    #expect(!list.isKnownSuffix("comment"))
    #expect(!list.isKnownSuffix("trailing"))
    #expect(list.registrableDomain(of: "www.contoso.co.uk") == "contoso.co.uk")
    #expect(list.registrableDomain(of: "a.b.kawasaki.jp") == "a.b.kawasaki.jp")
    #expect(list.registrableDomain(of: "www.city.kawasaki.jp") == "city.kawasaki.jp")
    #expect(list.registrableDomain(of: "shop.xn--fiqs8s") == "shop.xn--fiqs8s")
    #expect(PublicSuffixList(text: text, source: "test").registrableDomain(of: "x.y.co.uk") == "y.co.uk")
  }

  @Test func containsBytesAgreesWithContainsOnASCIIMarkers() {
    let texts = [
      "", "url(", "background: url(x.png)", "linear-gradient(red, blue)", "URL(x)", "urx(url", "ur", "é url(",
      String(repeating: "u", count: 300) + "url(", "unsubscribe from this list",
    ]
    for text in texts {
      for pattern in ["url(", "gradient(", "unsubscribe", "u", ""] {
        #expect(
          text.containsBytes(pattern) == (pattern.isEmpty || text.contains(pattern)), "\(text) / \(pattern)")
        #expect(
          text.dropFirst().containsBytes(pattern) == (pattern.isEmpty || text.dropFirst().contains(pattern)))
      }
    }
  }

  @Test func hrefSpacesAreFoundOnBytes() throws {
    func split(_ href: String) throws -> Int {
      try RealMail.html("<a href=\"\(href)\">Read</a>", "link/split-url").count
    }
    #expect(try split("  https://www.contoso.com/a  ") == 0)
    #expect(try split(" https://www.contoso.com/a b ") == 1)
    #expect(try split("www.contoso.com/a b") == 1)
    #expect(try split("contoso.com/a b") == 0)
    #expect(try split("MAILTO:help@contoso.com?subject=Order help") == 0)
    #expect(try split("Tel:+1 800 555 0100") == 0)
    // A space before a combining mark is still a space in the URL the browser opens.
    #expect(try split("https://www.contoso.com/a \u{301}b") == 1)
  }

  @Test func hostFactsCacheIsBoundedAndAnswersLikeTheComputation() {
    let cache = HostFactsCache<Int, Int>(limit: 3)
    var computed = 0
    for key in [1, 2, 1, 3, 4, 5, 1] {
      #expect(
        cache.value(for: key) {
          computed += 1
          return key * 10
        } == key * 10)
      #expect(cache.count <= 3)
    }
    #expect(computed == 6)  // the second 1 was remembered; the cache started over at 4
    let shared = HostFactsCache<Int, Int>(limit: 64)
    DispatchQueue.concurrentPerform(iterations: 400) { index in
      let key = index % 100
      precondition(shared.value(for: key) { key * key } == key * key)
    }
    #expect(shared.count <= 64)
  }

  @Test func memoisedPublicSuffixesMatchFirstAnswers() {
    let list = PublicSuffixList(bytes: Array("com\nco.uk\n*.ck\n!www.ck\n".utf8), source: "test")
    for _ in 0..<2 {
      #expect(list.publicSuffix(of: "mail.contoso.co.uk") == "co.uk")
      #expect(list.registrableDomain(of: "a.b.ck") == "a.b.ck")
      #expect(list.registrableDomain(of: "www.ck") == "www.ck")
      #expect(list.publicSuffix(of: "192.0.2.1") == nil)
    }
  }

  @Test func longFragmentsAndOpaquePathsParseWhole() throws {
    let long = String(repeating: "a b\u{e9}", count: 20_000)
    let fragment = try #require(URLRecord.parse("https://www.contoso.com/x#" + long)).fragment
    #expect(fragment == String(repeating: "a%20b%C3%A9", count: 20_000))
    let opaque = try #require(URLRecord.parse("mailto:" + long + "?subject=Hi there"))
    #expect(opaque.opaquePath == String(repeating: "a b%C3%A9", count: 20_000))
    #expect(opaque.query == "subject=Hi%20there")
    let user = try #require(
      URLRecord.parse("https://j\u{f6}e:p\u{e4}ss@www.contoso.com:0443/a/../b/%2E/c?q=\u{fc}#f"))
    #expect(user.href == "https://j%C3%B6e:p%C3%A4ss@www.contoso.com/b/c?q=%C3%BC#f")
    #expect(try #require(URLRecord.parse("mailto:a ?b")).href == "mailto:a%20?b")
  }
}
