import Foundation
import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintMIME
import SendlintRules
import Testing

/// The facts the deliverability and message rules of issue 16 read, and the edges of those rules,
/// on minimal drafts written here.
@Suite struct DeliverabilityTests {
  let context = RuleContext(brand: BrandFacts(), category: nil)

  func hits<R: Rule>(_ rule: R.Type, _ inventory: Inventory, _ options: [String: OptionValue] = [:]) -> [Hit]
  {
    R(options: RuleOptions(options)).check(inventory, context)
  }

  func eml(_ text: String) -> Inventory { InventoryReader.eml(SourceFile(path: "m.eml", text: text)) }

  @Test func weightCountsEachContributor() {
    let html =
      "<style>p { color: red }</style>\n\n    <p style=\"margin:0\">Hi</p><!-- note --><!--[if mso]><b style=\"x:y\">o</b><![endif]--><img src=\"data:image/png;base64,AAAA\">"
    let weight = HTMLWeight.measure(Array(html.utf8))
    #expect(weight.styleElementBytes == " p { color: red }".utf8.count - 1)
    #expect(weight.styleAttributeBytes == "margin:0".utf8.count + "x:y".utf8.count)
    #expect(weight.dataURIBytes == "data:image/png;base64,AAAA".utf8.count)
    #expect(weight.commentBytes == "<!-- note -->".utf8.count)
    #expect(weight.collapsibleWhitespaceBytes == "\n\n    ".utf8.count - 1)
    #expect(weight.largest?.kind == .dataURI)
  }

  @Test func weightOfUnclosedConstructsEndsAtTheEnd() {
    for html in ["<style>p{", "<!-- open", "<p style=\"x", "<img src=data:", "<"] {
      let weight = HTMLWeight.measure(Array(html.utf8))
      #expect(weight.totals.allSatisfy { $0.bytes <= html.utf8.count }, "\(html)")
    }
  }

  @Test func quotedPrintableLengthEncodesEqualsSignsAndWrapsLines() {
    #expect(HTMLPartSize.quotedPrintableLength(Array("a=b\n".utf8)) == "a=3Db\r\n".utf8.count)
    #expect(HTMLPartSize.quotedPrintableLength(Array("é".utf8)) == "=C3=A9".utf8.count)
    #expect(HTMLPartSize.quotedPrintableLength(Array("a \n".utf8)) == "a=20\r\n".utf8.count)
    // 100 letters: one soft break ("=" CRLF) after 75.
    #expect(HTMLPartSize.quotedPrintableLength(Array(String(repeating: "x", count: 100).utf8)) == 103)
  }

  @Test func mailDatesInCurrentAndObsoleteForms() {
    #expect(MailDate.parse("Mon, 4 Aug 2003 10:00:00 -0700") == 1_060_016_400)
    #expect(MailDate.parse("4 Aug 2003 17:00:00 +0000 (UTC)") == 1_060_016_400)
    #expect(MailDate.parse("Mon, 04 Aug 03 10:00 PDT") == 1_060_016_400)
    #expect(MailDate.parse("Mon,  4 Aug 2003 17:00:00 GMT") == 1_060_016_400)
    #expect(
      MailDate.parseReceived("from a (a [192.0.2.1]) by mx.example; Mon, 4 Aug 2003 10:00:00 -0700 (PDT)")
        == 1_060_016_400)
    for bad in [
      "", "yesterday", "Mon, 32 Aug 2003 10:00:00 -0700", "Mon, 4 Foo 2003 10:00:00 -0700",
      "4 Aug 2003 25:00:00 +0000", "4 Aug 2003 10:00:00 +07",
    ] {
      #expect(MailDate.parse(bad) == nil, "\(bad)")
    }
  }

  @Test func clippingMeasuresTheTransferEncodingNotTheDecodedHTML() {
    // 1,500 decoded bytes, about 2,000 as base64: over a 1,800 limit only as sent.
    let html = "<p>" + String(repeating: "Spring is here. ", count: 93) + "</p>"
    let encoded = Data(html.utf8).base64EncodedString(options: [
      .lineLength76Characters, .endLineWithLineFeed,
    ])
    let message = eml(
      "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n\(encoded)\n"
    )
    #expect(message.htmlParts.first?.decodedBytes == html.utf8.count)
    let found = hits(GmailClipping.self, message, ["max_bytes": .int(1_800)])
    #expect(found.count == 1)
    #expect(found.first?.message.contains("as sent (base64)") == true)
    let plain = eml(
      "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n\(html)\n"
    )
    #expect(hits(GmailClipping.self, plain, ["max_bytes": .int(1_800)]).isEmpty)
  }

  @Test func clippingCountsTheClickRewriteOfACampaign() throws {
    let links = (0..<30).map { "<a href=\"https://www.contoso.com/p/\($0)\">Item \($0)</a>" }.joined(
      separator: "\n")
    let manifest = { (tracking: String) in
      SourceFile(
        path: "campaign.yaml",
        text: "campaign: c\ncategory: marketing\nhtml: body.html\ntext: body.txt\n" + tracking)
    }
    func inventory(_ tracking: String) throws -> Inventory {
      let (read, diagnostics) = CampaignManifest.read(manifest(tracking))
      #expect(diagnostics.isEmpty)
      return InventoryReader.campaign(
        try #require(read), html: SourceFile(path: "body.html", text: links),
        text: SourceFile(path: "body.txt", text: "Items\n"))
    }
    let untracked = try inventory("")
    let tracked = try inventory(
      "tracking:\n  clicks: { enabled: true, domain: click.contoso.com, url: \"https://click.contoso.com/ls/click?upn=0123456789abcdef0123456789abcdef0123456789&u={{url}}\" }\n"
    )
    let before = try #require(untracked.htmlParts.first?.sentBytes)
    let after = try #require(tracked.htmlParts.first?.sentBytes)
    #expect(after > before + 30 * 80)
    let limit = before + 100
    #expect(hits(GmailClipping.self, untracked, ["max_bytes": .int(limit)]).isEmpty)
    #expect(
      hits(GmailClipping.self, tracked, ["max_bytes": .int(limit)]).first?.message.contains("estimated")
        == true)
  }

  @Test func alternativeWithOnlyAnHTMLPartHasNoTextPart() {
    let message = eml(
      """
      From: a@contoso.com
      Subject: s
      MIME-Version: 1.0
      Content-Type: multipart/alternative; boundary="b"

      --b
      Content-Type: text/html; charset=utf-8

      <p>Hello</p>
      --b
      Content-Type: text/plain; name="notes.txt"
      Content-Disposition: attachment; filename="notes.txt"

      notes
      --b--

      """)
    let found = hits(MissingTextPart.self, message)
    #expect(found.count == 1)
    #expect(found.first?.range?.startPosition.line == 4)
  }

  @Test func imageRichNewsletterWithRealTextIsNotImageOnly() {
    // Thirteen images over 800,000 px² beside about 1,500 characters: readable with images off.
    let images = (0..<13).map {
      "<img src=\"https://www.contoso.com/\($0).jpg\" width=\"600\" height=\"104\" alt=\"\">"
    }.joined()
    let text = "<p>" + String(repeating: "Linen shirts and canvas shoes are back. ", count: 44) + "</p>"
    let inventory = InventoryReader.template(SourceFile(path: "t.html", text: images + text), isHTML: true)
    #expect(hits(ImageOnly.self, inventory).isEmpty)
    #expect(hits(ImageOnly.self, inventory, ["min_characters_per_kpx": .int(2)]).count == 1)
  }

  @Test func messageIDOnAnESPHostNameIsFlaggedWithItsOwnWording() {
    let message = eml(
      "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nMessage-ID: <wPgX@mailer-host-1-1>\nSubject: s\n\nx\n"
    )
    let found = hits(MissingMessageIDDomain.self, message)
    #expect(found.count == 1)
    #expect(found.first?.message.contains("single label (a host name, not a domain)") == true)
    #expect(found.first?.message.contains("From") == false)
    // A malformed one is message/invalid-headers' finding, not this rule's.
    #expect(hits(MissingMessageIDDomain.self, eml("From: a@contoso.com\nMessage-ID: 12345\n\nx\n")).isEmpty)
  }

  @Test func dateSkewComparesAgainstEveryHopAndIgnoresUnparseableDates() {
    let received =
      "Received: by mx.example.net; Mon, 4 Aug 2003 10:05:00 -0700\nReceived: from mta (mta [203.0.113.5]) by relay.example.net; Mon, 4 Aug 2003 10:01:00 -0700\n"
    let onTime = eml(received + "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\n\nx\n")
    #expect(hits(DateSkew.self, onTime).isEmpty)
    let future = eml(received + "Date: Mon, 4 Aug 2003 14:00:00 -0700\nFrom: a@contoso.com\n\nx\n")
    #expect(hits(DateSkew.self, future).first?.message.contains("3 hours after") == true)
    #expect(hits(DateSkew.self, future, ["future_hours": .int(4)]).isEmpty)
    let unreadable = eml(received + "Date: someday\nFrom: a@contoso.com\n\nx\n")
    #expect(hits(DateSkew.self, unreadable).isEmpty)
  }

  @Test func subjectLengthCountsCharactersAsReadersDo() {
    let emoji = String(repeating: "🌷", count: 60)
    #expect(hits(SubjectLength.self, eml("From: a@contoso.com\nSubject: \(emoji)\n\nx\n")).isEmpty)
    #expect(hits(SubjectLength.self, eml("From: a@contoso.com\nSubject: \(emoji)🌷\n\nx\n")).count == 1)
  }

  @Test func spacerOnlyPreheaderIsNoPreheader() {
    let html =
      "<div style=\"display:none\">&zwnj;&nbsp;&zwnj;&nbsp;</div><p>View this email in your browser</p>"
    let inventory = InventoryReader.template(SourceFile(path: "t.html", text: html), isHTML: true)
    #expect(hits(MissingPreheader.self, inventory).count == 1)
  }
}
