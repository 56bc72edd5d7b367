import SendlintCore
import SendlintInventory
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintRules
import SendlintURL
import Testing

/// Issue 12, link destinations: where a click really goes — through redirects that carry the
/// destination in the path, as a scheme-relative value or in base64; through ESP click trackers;
/// through the client's resolution of schemeless hrefs — and what the link rules say about it.
/// Every draft here is a minimal one written for the test.
@Suite struct LinkDestinationTests {
  func hits<R: Rule>(_ rule: R.Type, html: String, brand: String = RuleExample.examplePolicy) throws -> [Hit]
  {
    let policy = try policy(brand)
    let inventory = InventoryReader.template(SourceFile(path: "t.html", text: html), isHTML: true)
    return R(options: policy.options(for: R.metadata)).check(
      inventory, RuleContext(brand: policy.brand, category: nil))
  }

  func target(_ href: String) -> String? {
    URLRecord.parse(href).flatMap(RedirectUnwrapping.finalTarget).map(\.href)
  }

  // MARK: unwrapping

  @Test func destinationsInThePathAreUnwrapped() {
    #expect(
      target("https://t.example.net/Clickthrough/1/*http://www.example.ie/") == "http://www.example.ie/")
    #expect(
      target("https://r.us-east-1.awstrack.me/L0/https:%2F%2Fwww.example.com%2Fa/1/0100abc")?.hasPrefix(
        "https://www.example.com/a/1/") == true)
    // The outer query belongs to the destination written in the path.
    #expect(
      target("https://t.example.net/go/https://shop.example.org/p?id=3") == "https://shop.example.org/p?id=3")
    // "http" inside a word, or without "//", is not a destination.
    #expect(target("https://www.example.com/blog/http-basics") == nil)
    #expect(target("https://www.example.com/xhttp://evil.example/") == nil)
  }

  @Test func schemeRelativeDoubleEncodedAndBase64ValuesAreUnwrapped() {
    #expect(target("https://ad.example.net/c?adurl=//evil.example/login") == "https://evil.example/login")
    #expect(target("http://ad.example.net/c?adurl=//evil.example/") == "http://evil.example/")
    #expect(
      target("https://r.example.net/?u=https%253A%252F%252Fevil.example%252F") == "https://evil.example/")
    #expect(
      target("https://www.bing.com/ck/a?!&&p=7f3a&u=a1aHR0cHM6Ly9ldmlsLmV4YW1wbGUvbG9naW4&ntb=1")
        == "https://evil.example/login")
    #expect(target("https://r.example.net/?d=aHR0cDovL2V2aWwuZXhhbXBsZS8") == "http://evil.example/")
    // Base64 of something that is not a URL, and a value that only looks like base64, stay opaque.
    #expect(target("https://r.example.net/?d=aGVsbG8gd29ybGQgaGVsbG8") == nil)
    #expect(target("https://r.example.net/?d=aHR0c!!notbase64!!") == nil)
    // "///" is not a scheme-relative host.
    #expect(target("https://r.example.net/?u=///evil.example/") == nil)
  }

  @Test func unwrappingIsBounded() throws {
    // Nesting deeper than maximumUnwrapDepth gives no single destination.
    var url = "https://evil.example/"
    for level in 0...(RedirectUnwrapping.maximumUnwrapDepth + 1) {
      url =
        "https://r\(level).example.net/?u="
        + String(
          decoding: url.utf8.flatMap { byte -> [UInt8] in
            (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2E
              ? [byte] : Array(String(format: "%%%02X", byte).utf8)
          }, as: UTF8.self)
    }
    #expect(target(url) == nil)
    // A path over the cap is not searched (linear work however long the href).
    let long =
      "https://t.example.net/" + String(repeating: "a", count: RedirectUnwrapping.maximumUnwrapInput)
      + "/http://evil.example/"
    #expect(target(long) == nil)
    // Hitting either limit is a link/redirector finding that says so, never a silent pass.
    for href in [url, long] {
      let found = try hits(Redirector.self, html: "<a href=\"\(href)\">Your account</a>")
      #expect(
        found.contains { $0.evidence.hasPrefix("unwrap-limit|") && $0.message.contains("was not read") },
        "\(found.map(\.message))")
    }
    let within = try hits(
      Redirector.self,
      html: "<a href=\"https://r.example.net/?u=https%3A%2F%2Fevil.example%2F\">Your account</a>")
    #expect(!within.contains { $0.evidence.hasPrefix("unwrap-limit|") })
  }

  // MARK: client resolution of schemeless hrefs

  @Test func protocolRelativeAndSchemelessHrefsAreJudgedAsClientsOpenThem() throws {
    let found = try hits(
      TextHostMismatch.self,
      html:
        #"<a href="//evil.example/login">www.contoso.com</a> <a href="evil.example.net/x">www.contoso.com</a>"#
    )
    #expect(found.count == 2)
    #expect(found[0].message.contains("goes to evil.example"))
    #expect(
      found[0].message.contains("has no scheme; mail clients open it as http://evil.example/login"),
      "\(found[0].message)")
    #expect(
      found[1].message.contains("mail clients open it as http://evil.example.net/x"), "\(found[1].message)")
    // The same client resolution reaches the other link rules.
    let insecure = try hits(Insecure.self, html: #"<a href="//www.contoso.com/a">Read</a>"#)
    #expect(insecure.count == 1)
  }

  @Test func relativeFileNamesStayRelative() {
    let inventory = InventoryReader.template(
      SourceFile(
        path: "t.html",
        text:
          #"<a href="archive.zip">a</a> <a href="notes.md">b</a> <a href="page.html">c</a> <a href="///x">d</a>"#
      ), isHTML: true)
    #expect(inventory.links.allSatisfy { $0.url == nil && !$0.resolvedByClient })
    // With a <base href>, the href is relative to it, not to the client's guess.
    let based = InventoryReader.template(
      SourceFile(
        path: "t.html", text: #"<base href="https://www.contoso.com/d/"><a href="evil.example/x">x</a>"#),
      isHTML: true)
    #expect(based.links.first?.url?.href == "https://www.contoso.com/d/evil.example/x")
    #expect(based.links.first?.resolvedByClient == false)
  }

  // MARK: hidden links, bidi hosts

  @Test func aLinkHiddenByCSSIsJudgedAndTheMessageSaysSo() throws {
    let found = try hits(
      TextHostMismatch.self,
      html: #"<div style="display:none"><a href="https://evil.example/">www.contoso.com</a></div>"#)
    #expect(found.count == 1)
    #expect(found.first?.message.contains("hidden by CSS") == true)
  }

  @Test func bidiControlsInAnHrefHostAreObfuscation() throws {
    let found = try hits(
      Obfuscated.self, html: "<a href=\"https://www.\u{202E}elgoog\u{202C}.example/\">Account</a>")
    #expect(found.count == 1)
    let message = try #require(found.first?.message)
    #expect(message.contains("U+202E"))
    #expect(
      !message.unicodeScalars.contains { InvisibleCharacters.isInvisible($0) },
      "the message quotes the href escaped")
  }

  // MARK: ESP click trackers

  @Test func espClickTrackersAreRedirectorsNamedOncePerHost() throws {
    let html =
      #"<a href="https://u1.ct.sendgrid.net/ls/click?upn=a">www.contoso.com</a> <a href="https://u1.ct.sendgrid.net/ls/click?upn=b">Shop</a> <a href="https://x.us3.list-manage.com/track/click?u=1&amp;id=2">News</a>"#
    let found = try hits(Redirector.self, html: html)
    #expect(found.count == 2)
    #expect(
      found[0].message.contains("2 links go through SendGrid's click tracker u1.ct.sendgrid.net"),
      "\(found[0].message)")
    #expect(found[0].message.contains("\"www.contoso.com\""))
    #expect(found[1].message.contains("Mailchimp's click tracker x.us3.list-manage.com"))
    // No deception finding for the opaque tracker over a shown host: the redirector finding is it.
    #expect(try hits(TextHostMismatch.self, html: html).isEmpty)
    // A tracker the brand declares is its own.
    let declared =
      "version: 1\nbrand: { domains: [contoso.com], tracking_domains: [u1.ct.sendgrid.net, x.us3.list-manage.com] }\n"
    #expect(try hits(Redirector.self, html: html, brand: declared).isEmpty)
  }

  @Test func theTrackerTableNamesEveryESPTheIssueListsWithASource() {
    let names = Set(ESPClickTracker.known.map(\.esp))
    for esp in [
      "SendGrid", "Mailchimp", "Mandrill (Mailchimp Transactional)", "Klaviyo", "Constant Contact", "Mailjet",
      "Amazon SES", "Postmark", "AWeber",
    ] {
      #expect(names.contains(esp), "\(esp)")
    }
    #expect(
      ESPClickTracker.known.allSatisfy {
        !$0.source.isEmpty && !$0.domain.isEmpty && $0.paths.allSatisfy { !$0.hasSuffix("/") }
      })
    // Path prefixes match whole segments.
    let tracker = ESPClickTracker.known.first { $0.esp == "SendGrid" }!
    #expect(
      tracker.matches(
        host: "u1.ct.sendgrid.net", url: URLRecord.parse("https://u1.ct.sendgrid.net/ls/click?upn=a")!))
    #expect(
      !tracker.matches(
        host: "u1.ct.sendgrid.net", url: URLRecord.parse("https://u1.ct.sendgrid.net/ls/clicks")!))
    #expect(
      !tracker.matches(
        host: "sendgrid.net.evil.example", url: URLRecord.parse("https://sendgrid.net.evil.example/ls/click")!
      ))
  }

  // MARK: declared tracking domains carrying a destination

  @Test func aTrackingDomainIsJudgedOnTheDestinationItCarries() throws {
    let html = #"<a href="https://click.contoso.com/r?url=https%3A%2F%2Fevil.example%2F">www.contoso.com</a>"#
    let mismatch = try hits(TextHostMismatch.self, html: html)
    #expect(mismatch.count == 1)
    #expect(
      mismatch.first?.message.contains(
        "through the brand's tracking domain click.contoso.com to evil.example") == true)
    let offBrand = try hits(OffBrandHost.self, html: html)
    #expect(offBrand.count == 1)
    #expect(offBrand.first?.message.contains("to evil.example") == true)
    // Carrying a brand destination, or none, it stays clean.
    #expect(
      try hits(
        TextHostMismatch.self,
        html:
          #"<a href="https://click.contoso.com/r?url=https%3A%2F%2Fwww.contoso.com%2F">www.contoso.com</a>"#
      ).isEmpty)
    #expect(
      try hits(TextHostMismatch.self, html: #"<a href="https://click.contoso.com/t/1">www.contoso.com</a>"#)
        .isEmpty)
  }

  // MARK: image proxies and IP image hosts

  @Test func proxiedImagesAreReportedAsTheirOrigin() throws {
    let html =
      #"<img src="https://ci3.googleusercontent.com/proxy/AbC=s0-d-e1-ft#https://cdn.example.net/logo.png" width="90" height="40"> <img src="https://imgproxy.eu.example.com/?u=https%3A%2F%2Fassets.example.org%2Fa.png" width="90" height="40">"#
    let found = try hits(OffBrandHost.self, html: html)
    #expect(found.count == 2)
    #expect(
      found[0].message.contains(
        "image loads from cdn.example.net (through the image proxy ci3.googleusercontent.com)"),
      "\(found[0].message)")
    #expect(
      found[1].message.contains(
        "image loads from assets.example.org (through the image proxy imgproxy.eu.example.com)"),
      "\(found[1].message)")
    let ip = try hits(
      Obfuscated.self,
      html:
        #"<img src="https://ci3.googleusercontent.com/proxy/AbC=s0#http://3221225991/p.gif" width="90" height="40"> <img src="http://0xC0000207/x.png"> <img src="http://192.0.2.7/y.png">"#
    )
    // Every IP-address image host is flagged since the third stop (docs/decisions.md,
    // "IP-literal image hosts"); the disguised forms say so.
    #expect(ip.count == 3)
    #expect(
      ip[0].message.contains("image loads from the IP address 192.0.2.7 written in a disguised form"),
      "\(ip[0].message)")
    #expect(ip[1].message.contains("disguised form"))
    #expect(
      ip[2].message == "image loads from the IP address 192.0.2.7 in \"http://192.0.2.7/y.png\"",
      "\(ip[2].message)")
  }

  // MARK: same target

  @Test func aFragmentDoesNotSplitOneTarget() throws {
    let found = try hits(
      SameTarget.self,
      html:
        #"<a href="https://r.example/x#1">www.contoso.com/a</a> <a href="https://r.example/x#2">help.contoso.com</a>"#
    )
    #expect(found.count == 1)
    #expect(found.first?.message.contains("all go to https://r.example/x") == true)
  }
}
