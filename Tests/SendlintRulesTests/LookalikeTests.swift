import SendlintCore
import SendlintInventory
import SendlintRules
import Testing

/// link/lookalike-domain on the classes of issue 12: skeleton distance, transpositions and
/// combosquats, with minimal drafts written here.
@Suite struct LookalikeTests {
  func hosts(
    _ hrefs: [String], brand domains: [String], name: String? = nil,
    from: String = "support@account-check.example", options: RuleOptions = RuleOptions()
  ) -> [String] {
    let html = hrefs.map { "<a href=\"https://\($0)/\">x</a>" }.joined(separator: "\n")
    let inventory = InventoryReader.eml(
      SourceFile(path: "m.eml", text: "From: \(from)\nSubject: s\nContent-Type: text/html\n\n\(html)\n"))
    var brand = BrandFacts()
    brand.name = name
    brand.domains = domains
    return LookalikeDomain(options: options).check(inventory, RuleContext(brand: brand, category: nil))
      .compactMap(\.placeholders["host"])
  }

  @Test func skeletonDistance() {
    // Cyrillic а р р ӏ е: skeleton appie.corn, one edit from apple.corn; not equal, so only the
    // distance between skeletons finds it.
    let cyrillic = "\u{0430}\u{0440}\u{0440}\u{04CF}\u{0435}.com"
    #expect(hosts([cyrillic], brand: ["apple.com"]) == ["xn--80ak6aa92e.com"])
    #expect(hosts([cyrillic], brand: ["apple.com"], options: RuleOptions(["max_distance": .int(0)])).isEmpty)
  }

  @Test func transpositionsAndTypos() {
    #expect(
      hosts(["paypla.com", "www.paypa1.com", "paypall.com"], brand: ["paypal.com"]) == [
        "paypla.com", "www.paypa1.com", "paypall.com",
      ])
    // Two edits are not one typo; a short name is not measured at all.
    #expect(hosts(["pyapla.com"], brand: ["paypal.com"]).isEmpty)
    #expect(hosts(["ibn.com"], brand: ["ibm.com"]).isEmpty)
  }

  @Test func combosquats() {
    let squats = [
      "paypal-secure.com", "paypal-com.evil.example", "paypal.evil.example", "secure-pay-pal.example",
    ]
    #expect(
      hosts(squats, brand: ["paypal.com"]) == [
        "paypal-secure.com", "paypal-com.evil.example", "paypal.evil.example", "secure-pay-pal.example",
      ])
    // By brand.name too, confusables included (`paypa1` reads as `paypal`).
    #expect(
      hosts(["paypa1-login.example"], brand: ["pp.example"], name: "PayPal") == ["paypa1-login.example"])
    // Not a word of the host, another suffix of the same name, the brand's own and accepted hosts.
    #expect(
      hosts(
        ["paypalnews.example", "paypal.de", "www.paypal.co.uk", "paypal.com", "help.paypal.com"],
        brand: ["paypal.com"]
      ).isEmpty)
    #expect(
      hosts(["paypal-secure.com"], brand: ["paypal.com"], options: RuleOptions(["combosquats": .bool(false)]))
        .isEmpty)
    // In the brand's own mail, combinations are its campaign domains or its ESP's hosts; typos are not.
    #expect(
      hosts(
        ["paypal.us3.list-manage.example", "media-paypal.com", "paypla.com"], brand: ["paypal.com"],
        from: "news@paypal.com") == ["paypla.com"])
    // A hyphenated name under another suffix is the brand's too.
    #expect(hosts(["www.norma-online.de"], brand: ["norma-online.info"]).isEmpty)
    var brand = BrandFacts()
    brand.domains = ["paypal.com"]
    brand.allowedHosts = ["paypal-community.com"]
    let inventory = InventoryReader.eml(
      SourceFile(
        path: "m.eml",
        text:
          "From: a@evil.example\nContent-Type: text/html\n\n<a href=\"https://www.paypal-community.com/\">x</a>\n"
      ))
    #expect(
      LookalikeDomain(options: RuleOptions()).check(inventory, RuleContext(brand: brand, category: nil))
        .isEmpty)
  }

  @Test func damerauDistance() {
    #expect(Suggestion.typoDistance("paypal", "paypla", limit: 3) == 1)
    #expect(Suggestion.typoDistance("paypal", "paypal", limit: 3) == 0)
    #expect(Suggestion.typoDistance("ab", "ba", limit: 3) == 1)
    #expect(Suggestion.typoDistance("kitten", "sitting", limit: 3) == 3)
    #expect(Suggestion.typoDistance("kitten", "sitting", limit: 1) == 2)
    #expect(Suggestion.typoDistance("", "abc", limit: 3) == 3)
  }
}
