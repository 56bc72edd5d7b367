import SendlintCore
import SendlintInventory
import SendlintRules
import Testing

/// identity/display-name-brand, identity/freemail-reply-to and message/invalid-headers' From-domain
/// check, on minimal messages written for these tests.
@Suite struct IdentityRuleTests {
  func eml(_ headers: String) -> Inventory {
    InventoryReader.eml(
      SourceFile(
        path: "m.eml",
        text: "Date: Mon, 4 Aug 2003 10:00:00 -0700\nMessage-ID: <1@x.example>\n\(headers)\nSubject: s\n\nx\n"
      ))
  }

  func brand(name: String?, domains: [String] = ["contoso.com"], sending: [String] = []) -> BrandFacts {
    var brand = BrandFacts()
    brand.name = name
    brand.domains = domains
    brand.sendingDomains = sending
    return brand
  }

  func displayNameHits(_ from: String, _ brand: BrandFacts) -> [String] {
    DisplayNameBrand(options: RuleOptions()).check(
      eml("From: \(from)"), RuleContext(brand: brand, category: nil)
    ).map(\.message)
  }

  @Test func displayNameBrand() {
    let contoso = brand(name: "Contoso", sending: ["contoso.com", "news.contoso.com"])
    #expect(displayNameHits("Contoso Security <alerts@contoso-notify.example>", contoso).count == 1)
    #expect(displayNameHits("\"CONTOSO\" <alerts@mailer.example>", contoso).count == 1)
    // skeletons: 0 reads as o
    #expect(displayNameHits("C0nt0so <alerts@mailer.example>", contoso).count == 1)
    #expect(displayNameHits("Contoso <news@news.contoso.com>", contoso).isEmpty)
    #expect(displayNameHits("Contosofoods <x@mailer.example>", contoso).isEmpty)  // another word
    #expect(displayNameHits("alerts@mailer.example", contoso).isEmpty)  // no display name
    // sending_domains are exact; without them brand.domains (and subdomains) are the brand's.
    #expect(displayNameHits("Contoso <a@mail.contoso.com>", contoso).count == 1)
    #expect(displayNameHits("Contoso <a@mail.contoso.com>", brand(name: "Contoso")).isEmpty)
    // A multi-word name: whole (spaced or not) or a distinctive word; generic words alone never.
    let bank = brand(name: "Bank of Fabrikam", domains: ["fabrikam.example"])
    #expect(displayNameHits("BankofFabrikam <a@x.example>", bank).count == 1)
    #expect(displayNameHits("Fabrikam alerts <a@x.example>", bank).count == 1)
    #expect(displayNameHits("Bank of Springfield <a@x.example>", bank).isEmpty)
    // No brand name, nothing to compare.
    #expect(displayNameHits("Contoso <a@x.example>", brand(name: nil)).isEmpty)
    // The message quotes the display name escaped.
    let message = displayNameHits("\"Contoso\u{202E}moc\" <a@x.example>", contoso).first ?? ""
    #expect(message.contains("names the brand Contoso"))
    #expect(!message.unicodeScalars.contains("\u{202E}"))
  }

  func freemailHits(_ headers: String) -> [String] {
    FreemailReplyTo(options: RuleOptions()).check(
      eml(headers), RuleContext(brand: BrandFacts(), category: nil)
    ).compactMap(\.placeholders["address"])
  }

  @Test func freemailReplyTo() {
    #expect(
      freemailHits("From: Billing <billing@contoso.com>\nReply-To: contoso.billing@GMAIL.com") == [
        "contoso.billing@GMAIL.com"
      ])
    #expect(
      freemailHits("From: Billing <billing@contoso.com>\nReply-To: a@contoso.com, b@outlook.com") == [
        "b@outlook.com"
      ])
    #expect(freemailHits("From: Billing <billing@contoso.com>\nReply-To: b@gmail.com.evil.example").isEmpty)
    #expect(freemailHits("From: Ann <ann@gmx.de>\nReply-To: ann@gmail.com").isEmpty)
    #expect(freemailHits("From: Billing <billing@contoso.com>").isEmpty)
    // Every entry of the data has a source and a lowercase domain.
    #expect(
      FreemailProviders.entries.allSatisfy {
        !$0.source.isEmpty && $0.domain == $0.domain.lowercased() && $0.domain.contains(".")
      })
    #expect(FreemailProviders.domains.count == FreemailProviders.entries.count)
  }

  @Test func fromDomainIsADomainName() {
    func evidence(_ from: String) -> [String] {
      InvalidHeaders(options: RuleOptions()).check(
        eml("From: \(from)"), RuleContext(brand: BrandFacts(), category: nil)
      )
      .map(\.evidence).filter { $0.hasPrefix("from-domain") }
    }
    #expect(evidence("Correios <rastreio@correios>") == ["from-domain-invalid|correios"])
    #expect(evidence("aviso@%comunicacoes.com") == ["from-domain-invalid|%comunicacoes.com"])
    #expect(evidence("a@contoso..com") == ["from-domain-invalid|contoso..com"])
    #expect(evidence("a@-contoso.com") == ["from-domain-invalid|-contoso.com"])
    #expect(evidence("a@contoso.123") == ["from-domain-invalid|contoso.123"])
    #expect(evidence("a@\(String(repeating: "a", count: 64)).com").count == 1)
    #expect(evidence("undisclosed@") == ["from-domain-invalid|undisclosed@"])
    for valid in [
      "a@contoso.com", "a@mail.contoso.co.uk", "a@xn--bcher-kva.example", "a@b\u{00FC}cher.example",
      "a@[192.0.2.1]", "a@contoso.com.",
    ] {
      #expect(evidence(valid).isEmpty, "\(valid)")
    }
    // The finding points at the domain inside the field.
    let hits = InvalidHeaders(options: RuleOptions()).check(
      eml("From: Correios <rastreio@correios>"), RuleContext(brand: BrandFacts(), category: nil))
    let hit = hits.first { $0.evidence.hasPrefix("from-domain") }
    let file = hit?.range?.file
    #expect(hit?.range.map { String(decoding: file!.bytes[$0.start..<$0.end], as: UTF8.self) } == "correios")
  }
}
