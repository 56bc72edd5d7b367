import SendlintCore
import SendlintURL
import Testing

@testable import SendlintInventory

/// Issue 15, item 3: the parsing the link rules share — hosts a link's text shows, destinations a
/// redirect carries, ESP tracker and image proxy classification, defanged addresses — lives in
/// SendlintURL and runs once per link when the inventory is built (`Link.analysis`). Every input
/// here is a minimal one written for the test.
@Suite struct LinkAnalysisTests {
  let finder = TextURLFinder()

  func shown(_ text: String) -> [ShownHost] {
    LinkTextHosts.shown(in: text, urls: finder.find(in: Array(text.utf8)))
  }

  func url(_ text: String) throws -> URLRecord { try #require(URLRecord.parse(text)) }

  // MARK: hosts the link text shows

  @Test func aWholeTextHostIsShownAndPointedAt() {
    #expect(shown("Contoso.com").map(\.host) == ["contoso.com"])
    #expect(shown("» Contoso.com «").map(\.host) == ["contoso.com"])
    let found = shown("https://www.contoso.com/account")
    #expect(
      found == [
        ShownHost(host: "www.contoso.com", written: "https://www.contoso.com/account", start: 8, end: 23)
      ])
  }

  @Test func aCapitalisedNameInsideLongerTextIsNotAnAddress() {
    #expect(shown("DDR Memory at Crucial.com").isEmpty)
    #expect(shown("News.com: Top CIOs").isEmpty)
    #expect(shown("ODP.NET").isEmpty)
    // Lower case, a path, a scheme or www. make it an address again.
    #expect(shown("sign in at contoso.com today").map(\.host) == ["contoso.com"])
    #expect(shown("see Contoso.com/help now").map(\.host) == ["contoso.com"])
    #expect(shown("see www.Contoso.com now").map(\.host) == ["www.contoso.com"])
  }

  @Test func mailAddressesAndMailtoAreNotHosts() {
    #expect(shown("write to jane@contoso.com").isEmpty)
    #expect(shown("mailto:jane@contoso.com").isEmpty)
  }

  @Test func anIPAddressHostPointsAtTheWholeURL() {
    let text = "go to http://192.0.2.7/login"
    #expect(
      shown(text) == [ShownHost(host: "192.0.2.7", written: "http://192.0.2.7/login", start: 6, end: 28)])
  }

  @Test func theEdgesOfATextAreItsPunctuationAndSpaces() {
    #expect(LinkTextHosts.core(of: "  «Crucial.com»! ") == "Crucial.com")
    #expect(LinkTextHosts.core(of: "Read the report") == "Read the report")
  }

  // MARK: unwrapping

  @Test func theChainIsComputedOnceAndAgreesWithTheSingleCalls() throws {
    let wrapped = try url(
      "https://a.example.net/r?url=https%3A%2F%2Fb.example.net%2Fr%3Furl%3Dhttps%253A%252F%252Fevil.example%252Fx"
    )
    let chain = RedirectUnwrapping.chain(wrapped)
    #expect(chain.map { $0.map { $0.host?.description ?? "" } } == [["b.example.net"], ["evil.example"], []])
    #expect(RedirectUnwrapping.finalTarget(chain: chain)?.href == "https://evil.example/x")
    #expect(RedirectUnwrapping.finalTarget(wrapped)?.href == "https://evil.example/x")
    #expect(RedirectUnwrapping.unwrapLimit(wrapped, chain: chain) == nil)
  }

  @Test func twoDestinationsAreAmbiguous() throws {
    let wrapped = try url("https://r.example.net/go?a=https://one.example/&b=https://two.example/")
    let chain = RedirectUnwrapping.chain(wrapped)
    #expect(chain.count == 1 && chain[0].count == 2)
    #expect(RedirectUnwrapping.finalTarget(chain: chain) == nil)
  }

  @Test func nestingPastTheLimitIsReportedNotFollowed() throws {
    var href = "https://end.example/"
    for level in 0...RedirectUnwrapping.maximumUnwrapDepth {
      href = "https://r\(level).example.net/r?u=" + percentEncoded(href)
    }
    let deep = try url(href)
    let chain = RedirectUnwrapping.chain(deep)
    #expect(chain.count == RedirectUnwrapping.maximumUnwrapDepth + 1)
    #expect(RedirectUnwrapping.finalTarget(chain: chain) == nil)
    #expect(
      RedirectUnwrapping.unwrapLimit(deep, chain: chain)
        == "it nests redirects more than \(RedirectUnwrapping.maximumUnwrapDepth) deep")
    #expect(
      RedirectUnwrapping.unwrapLimit(deep, embedded: RedirectUnwrapping.embeddedTargets(deep))
        == RedirectUnwrapping.unwrapLimit(deep, chain: chain))
  }

  @Test func anOverlongQueryIsNotSearched() throws {
    let long = try url(
      "https://r.example.net/r?x=" + String(repeating: "a", count: 16_400) + "&u=https://evil.example/")
    let analysis = LinkAnalysis(url: long, text: nil, hiddenText: nil, altTexts: [], finder: finder)
    #expect(analysis.embeddedTargets.isEmpty)
    #expect(analysis.unwrapLimit?.hasPrefix("its query is 16") == true)
  }

  // MARK: classification

  @Test func espTrackersMatchTheirRedirectPathsOnly() throws {
    #expect(
      ESPClickTracker.tracker(for: try url("https://u1.ct.sendgrid.net/ls/click?upn=a1"))?.esp == "SendGrid")
    #expect(ESPClickTracker.tracker(for: try url("https://u1.ct.sendgrid.net/ls/clicks")) == nil)
    #expect(ESPClickTracker.tracker(for: try url("https://www.contoso.com/ls/click")) == nil)
  }

  /// `tracker(for:)` compares against each tracker's domain normalised once; the answer is the
  /// one `HostName.host(_:isWithin:)` on every tracker gave, for each tracker's own forms, near
  /// misses and hosts with upper case, trailing dots and IDNA.
  @Test func espTrackerLookupAgreesWithHostComparison() throws {
    func reference(_ url: URLRecord) -> ESPClickTracker? {
      guard let host = url.host.map({ HostName.normalise($0.description) }) else { return nil }
      return ESPClickTracker.known.first { tracker in
        guard HostName.host(host, isWithin: tracker.domain) else { return false }
        if tracker.paths.isEmpty { return true }
        let path = url.path.lowercased()
        return tracker.paths.contains { path == $0 || path.hasPrefix($0 + "/") }
      }
    }
    var texts = ["https://www.contoso.com/", "mailto:a@b.example", "https://xsendgrid.net/ls/click"]
    for tracker in ESPClickTracker.known {
      for host in [
        tracker.domain, "a.\(tracker.domain)", "A.\(tracker.domain.uppercased()).", "x\(tracker.domain)",
      ] {
        for path in tracker.paths + ["/", "/other", (tracker.paths.first ?? "/p").uppercased() + "/more"] {
          texts.append("https://\(host)\(path)?u=1")
        }
      }
    }
    texts += ["https://b\u{FC}cher.sendgrid.net/ls/click", "https://sendgrid.net./wf/click/x"]
    for text in texts {
      let parsed = try url(text)
      #expect(ESPClickTracker.tracker(for: parsed)?.esp == reference(parsed)?.esp, "\(text)")
      #expect(ESPClickTracker.tracker(for: parsed)?.domain == reference(parsed)?.domain, "\(text)")
    }
  }

  @Test func imageProxiesGiveTheirOrigin() throws {
    let gmail = try url(
      "https://ci3.googleusercontent.com/proxy/abc=s0-d-e1-ft#https://img.contoso.com/logo.png")
    #expect(ImageProxy.origin(of: gmail)?.href == "https://img.contoso.com/logo.png")
    let outlook = try url("https://imgproxy.example.net/fetch?u=https%3A%2F%2Fimg.contoso.com%2Fa.png")
    #expect(ImageProxy.origin(of: outlook)?.href == "https://img.contoso.com/a.png")
    #expect(
      ImageProxy.origin(of: try url("https://ci3.googleusercontent.com/other#https://x.example/")) == nil)
  }

  // MARK: defanged addresses

  @Test func defangedAddressesAreFoundAndMungedMailAddressesAreNot() {
    func kinds(_ text: String) -> [String] {
      DefangedAddresses.find(in: Array(text.utf8), suffixes: PublicSuffixList.shared).map(\.kind)
    }
    #expect(kinds("Log in at hxxps://contoso-login.example/verify today") == ["hxxp scheme"])
    #expect(kinds("write to jane at example dot net") == [])
    #expect(kinds("Sign in at secure-login dot net now") == ["\"dot\" spelled out"])
    let munged = Array("jane at example dot net".utf8)
    #expect(DefangedAddresses.isMungedAddress(munged, domainStart: 8))
    let prose = Array("log in at secure-login dot net".utf8)
    #expect(!DefangedAddresses.isMungedAddress(prose, domainStart: 10))
  }

  // MARK: once per link, in the inventory

  @Test func theInventoryAnalysesEachLinkOnce() throws {
    let html = #"""
      <a href="https://click.example.net/r?url=https%3A%2F%2Fevil.example%2F">www.contoso.com</a>
      <a href="https://u1.ct.sendgrid.net/ls/click?upn=a1" style="display:none">contoso.com</a>
      <a href="https://evil.example/"><img src="https://x.example/a.png" alt="www.contoso.com"></a>
      """#
    let inventory = InventoryReader.template(SourceFile(path: "t.html", text: html), isHTML: true)
    let links = inventory.links.filter { $0.kind == .a }
    try #require(links.count == 3)
    #expect(links.allSatisfy { $0.analysed != nil })
    #expect(links[0].analysis.finalTargetHost == "evil.example")
    #expect(links[0].analysis.textHosts.map(\.host) == ["www.contoso.com"])
    #expect(links[0].analysis.tracker == nil)
    #expect(links[1].analysis.tracker?.esp == "SendGrid")
    #expect(links[1].analysis.hiddenTextHosts.map(\.host) == ["contoso.com"])
    #expect(links[2].analysis.altTextHosts.map { $0.map(\.host) } == [["www.contoso.com"]])
  }

  @Test func aLinkInATextPartIsItsOwnText() throws {
    let inventory = InventoryReader.template(
      SourceFile(path: "t.txt", text: "Read https://r.example.net/r?u=https://evil.example/ now\n"),
      isHTML: false)
    let link = try #require(inventory.links.first { $0.fromText })
    #expect(link.analysis.textURLs.isEmpty)
    #expect(link.analysis.finalTargetHost == "evil.example")
  }
}

/// Percent-encodes everything but unreserved characters (RFC 3986 §2.3), for nesting URLs in tests.
private func percentEncoded(_ text: String) -> String {
  var output = ""
  for byte in text.utf8 {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
      UInt8(ascii: "~"):
      output.append(Character(Unicode.Scalar(byte)))
    default:
      let hex = String(byte, radix: 16, uppercase: true)
      output += "%" + (hex.count == 1 ? "0" + hex : hex)
    }
  }
  return output
}
