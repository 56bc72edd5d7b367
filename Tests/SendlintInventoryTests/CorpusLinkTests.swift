import Foundation
import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintTestSupport
import Testing

/// Links and visible text of real messages, checked against expectations written by reading the
/// raw HTML of each message (decoded independently with Python's email package while writing
/// them): nested inline elements, entity-encoded attributes, Outlook conditional comments (VML),
/// mso-hide alternatives, hidden text, IP hosts in legacy forms.
@Suite struct CorpusLinkTests {
  struct Expected: Sendable {
    let kind: LinkKind
    let hrefPrefix: String
    let text: String
    var host: String? = nil
    var conditional: Bool? = nil
    var hidden: Bool = false
    var altText: String? = nil
  }

  static let legit = "legit/unspy-email-newsletters/src/Matcher/"
  static let rspamd = "detection/rspamd/test/functional/messages/"
  static let spamassassin = "detection/spamassassin-tdata/t/data/spam/"

  static let expectations: [(path: String, links: [Expected])] = [
    (
      legit + "mailchimp/examples/2023-01-17-schreibsuchti.u1.eml",
      [
        Expected(
          kind: .a,
          hrefPrefix:
            "https://schreibsuchti.us3.list-manage.com/track/click?u=5e78d7ef2297cc80842b7591e&id=c3569d2df3",
          text: "Das E-Mail-Money-System"),
        Expected(
          kind: .a,
          hrefPrefix:
            "https://schreibsuchti.us3.list-manage.com/vcard?u=5e78d7ef2297cc80842b7591e&id=93b720b585",
          text: "Zu Kontakten hinzufügen"),
        Expected(
          kind: .a,
          hrefPrefix:
            "https://schreibsuchti.us3.list-manage.com/unsubscribe?u=5e78d7ef2297cc80842b7591e&id=93b720b585",
          text: "abmelden"),
      ]
    ),
    (
      legit + "_todo/klaviyo/examples/2023-01-25-katjes-u1.eml",
      [
        Expected(
          kind: .a, hrefPrefix: "https://trk.klclick.com/ls/click?upn=L3exNPy0YRiEtcQ01BHws124c",
          text: "Shop now", host: "trk.klclick.com"),
        Expected(
          kind: .a, hrefPrefix: "https://trk.klclick.com/ls/click?upn=L3exNPy0YRiEtcQ01BHwsxYxQE",
          text: "zum Shop"),
        Expected(
          kind: .a, hrefPrefix: "https://trk.klclick.com/ls/click?upn=L3exNPy0YRiEtcQ01BHws5W5Fdfc3VW2c",
          text: "Abmelden"),
      ]
    ),
    (
      legit + "inxmail/examples/2023-02-16-inxmail-u1.eml",
      [
        Expected(
          kind: .a, hrefPrefix: "https://newsletter.inxmail.de/d?o00y047q00f7bu0id0000l6y",
          text: "Knowledge Base", conditional: false),
        // The VML button exists only inside <!--[if mso]>; its HTML twin carries mso-hide:all and
        // is what every other client shows.
        Expected(
          kind: .vml, hrefPrefix: "https://newsletter.inxmail.de/d?o00y047y00f7bu0id0000l6y",
          text: "Zur Knowledge Base", conditional: true),
        Expected(
          kind: .a, hrefPrefix: "https://newsletter.inxmail.de/d?o00y047y00f7bu0id0000l6y",
          text: "Zur Knowledge Base", conditional: false),
        Expected(
          kind: .vml, hrefPrefix: "https://newsletter.inxmail.de/d?o00y05b000f7bu0id0000l6y",
          text: "Mehr zu Inxmail", conditional: true),
        Expected(
          kind: .a, hrefPrefix: "https://newsletter.inxmail.de/d?o00y05d000f7bu0ik0000l6y",
          text: "Newsletter abbestellen"),
      ]
    ),
    (
      legit + "_todo/elaine/examples/2023-01-15-rewe.u1.eml",
      [
        Expected(
          kind: .a, hrefPrefix: "https://epost.rewe.de/go/1m37v32nb0l99x6xnh13ro65vp0ulsf6a2fkcw804405/246",
          text: "hier"),
        Expected(
          kind: .a, hrefPrefix: "https://epost.rewe.de/go/tez7v32nb0li4q2ku0q2xvjmdcvtg9dv8h5w0gw8w459/246",
          text: "Meine Daten"),
      ]
    ),
    (
      legit + "_todo/getresponse/examples/2023-01-06-vfl-bochum.u1.eml",
      [
        Expected(
          kind: .a, hrefPrefix: "https://newsletter.vfl-bochum.de/view.html?x=a62e&m=zZObcL&mc=n",
          text: "Deine E-Mail wird nicht korrekt angezeigt? Im Browser ansehen!"),
        Expected(
          kind: .a, hrefPrefix: "https://newsletter.vfl-bochum.de/unsubscribe.html?x=a62e", text: "abmelden"),
        Expected(
          kind: .a, hrefPrefix: "https://newsletter.vfl-bochum.de/change_details.html?x=a62e",
          text: "Ihre Kontaktdaten bearbeiten"),
      ]
    ),
    (
      legit + "cleverreach/examples/2023-01-02-oekumenisches-asylforum.u1.eml",
      [
        Expected(
          kind: .a,
          hrefPrefix: "https://121070.seu2.cleverreach.com/m/14141611/0-d234a2f09557ef527dc744d4bea36283",
          text: "hier"),
        Expected(kind: .a, hrefPrefix: "mailto:news.asylforum@diakonie-freiburg.de", text: "Redaktion"),
        Expected(kind: .a, hrefPrefix: "#Akteur", text: "Aktuelles von den Akteur*innen"),
        // Two coloured spans: "Neu: " and "Initiativen-Steckbrief".
        Expected(kind: .a, hrefPrefix: "#Steckbrief", text: "Neu: Initiativen-Steckbrief"),
      ]
    ),
    (
      legit + "_todo/convertkit/examples/2023-01-16-zeitzuleben.u1.eml",
      [
        Expected(kind: .a, hrefPrefix: "https://zeitzuleben.de/newsletter/", text: "→ Kostenlos anmelden"),
        Expected(
          kind: .a, hrefPrefix: "https://click.convertkit-mail4.com/p9unqonzo5iqumomk5uq/kkhmh6h8wm3237hl/",
          text: "Alle Downloads, Formulare, Arbeitsblätter an einem Ort"),
        Expected(
          kind: .a, hrefPrefix: "https://unsubscribe.convertkit-mail4.com/p9unqonzo5iqumomk5uq",
          text: "Abmelden"),
      ]
    ),
    (
      rspamd + "phishing1.eml",
      [
        Expected(
          kind: .a, hrefPrefix: "http://www.example.net", text: "http://www.cnn.com", host: "www.example.net")
      ]
    ),
    (
      rspamd + "url4.eml",
      [
        Expected(kind: .a, hrefPrefix: "https://example.com/", text: "https://rspamd.tk"),
        Expected(
          kind: .a, hrefPrefix: "https://rspamd.com/doc/modules/multimap.html", text: "https://rspamd.com"),
      ]
    ),
    (
      rspamd + "html_phishing.eml",
      [
        Expected(kind: .a, hrefPrefix: "https://phishing-site.evil", text: "", altText: "Logo"),
        Expected(kind: .a, hrefPrefix: "https://phishing-site.evil/steal-credentials", text: "Verify Now"),
        Expected(kind: .a, hrefPrefix: "https://phishing-site.evil/fake", text: "click here"),
      ]
    ),
    (
      rspamd + "zerofont.eml",
      [
        Expected(kind: .a, hrefPrefix: "https://example.com", text: "test url")
      ]
    ),
    (
      spamassassin + "009",
      [
        Expected(
          kind: .a, hrefPrefix: "http://62.16.101.59/livesex.htm", text: "CLICK HERE TO ENTER",
          host: "62.16.101.59"),
        Expected(kind: .a, hrefPrefix: "http://0x425c45de/", text: "testing IP", host: "66.92.69.222"),
        Expected(kind: .a, hrefPrefix: "http://66.92.0x45.221/", text: "testing IP", host: "66.92.69.221"),
        Expected(kind: .a, hrefPrefix: "http://1113343455/", text: "testing IP", host: "66.92.69.223"),
        Expected(
          kind: .a, hrefPrefix: "http://slashdot.org@1113343456/", text: "another", host: "66.92.69.224"),
      ]
    ),
  ]

  @Test(.enabled(if: TestPaths.sharedHas("corpora"), "../shared/corpora is absent"))
  func linksAndVisibleTextMatchTheReading() throws {
    let shared = try #require(TestPaths.shared)
    var checked = 0
    for (path, expected) in Self.expectations {
      let data = try Data(contentsOf: URL(fileURLWithPath: shared + "/corpora/" + path))
      let inventory = InventoryReader.eml(SourceFile(path: path, bytes: Array(data)))
      for want in expected {
        let candidates = inventory.links.filter {
          $0.kind == want.kind && $0.href.hasPrefix(want.hrefPrefix) && $0.text == want.text
        }
        let link = candidates.first { want.conditional == nil || $0.inConditionalComment == want.conditional }
        #expect(
          link != nil,
          "\(path): no \(want.kind) link to \(want.hrefPrefix)… showing \(want.text.debugDescription); links there: \(inventory.links.filter { $0.href.hasPrefix(want.hrefPrefix) }.map { "\($0.kind) \($0.text.debugDescription) conditional=\($0.inConditionalComment)" })"
        )
        guard let link else { continue }
        if let host = want.host { #expect(link.host == host, "\(path): host of \(want.hrefPrefix)") }
        #expect(link.hidden == want.hidden, "\(path): hidden flag of \(want.hrefPrefix)")
        if let alt = want.altText { #expect(link.imageAltTexts.map(\.text) == [alt]) }
        checked += 1
      }
    }
    print("corpus links checked: \(checked) in \(Self.expectations.count) messages")
    // Every expectation was checked: none was skipped because its link was missing.
    #expect(checked == Self.expectations.reduce(0) { $0 + $1.links.count })
  }

  /// zerofont.eml: "fi<span style=font-size:0>le </span>sh<span style=font-size:0>aring </span>"
  /// shows "fish" and hides "le " and "aring ".
  @Test(
    .enabled(
      if: TestPaths.sharedHas("corpora/" + CorpusLinkTests.rspamd + "zerofont.eml"),
      "../shared/corpora is absent"))
  func zeroFontTextIsHiddenAndTheRestJoins() throws {
    let shared = try #require(TestPaths.shared)
    let data = try Data(contentsOf: URL(fileURLWithPath: shared + "/corpora/" + Self.rspamd + "zerofont.eml"))
    let inventory = InventoryReader.eml(SourceFile(path: "zerofont.eml", bytes: Array(data)))
    #expect(inventory.hiddenText.map(\.text) == ["le ", "aring "])
    #expect(inventory.hiddenText.allSatisfy { $0.reason == "font-size:0px" })
    let visible = inventory.visibleTexts.first { $0.inHTML }?.text ?? ""
    #expect(visible.contains("fish"))
    #expect(!visible.contains("file"))
  }
}
