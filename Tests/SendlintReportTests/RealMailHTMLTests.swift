import Foundation
import SendlintCore
import SendlintEngine
import SendlintHTML
import SendlintInventory
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintReport
import SendlintRules
import Testing

/// Issue 12, HTML/CSS/text part: real mail read as clients read it. Every draft here is minimal
/// and written for the test.
enum RealMail {
  static func template(_ html: String) -> Inventory {
    InventoryReader.template(SourceFile(path: "t.html", text: html), isHTML: true)
  }

  static func findings(
    _ inventory: Inventory, _ rule: String, category: String? = nil,
    policyText: String = RuleExample.examplePolicy
  ) throws -> [Finding] {
    Engine.check(inventory, policy: try policy(policyText), category: category).filter { $0.rule == rule }
  }

  static func html(_ html: String, _ rule: String, category: String? = nil) throws -> [Finding] {
    try findings(template(html), rule, category: category)
  }

  static func campaign(_ manifest: String, html: String) throws -> Inventory {
    let (parsed, diagnostics) = CampaignManifest.read(SourceFile(path: "campaign.yaml", text: manifest))
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    return InventoryReader.campaign(
      try #require(parsed), html: SourceFile(path: "body.html", text: html), text: nil)
  }
}

/// Item 1: `tracking/pixel` reads sizes as clients lay images out.
@Suite struct TrackingPixelSizeTests {
  @Test func oneSidedSizeIsAPixel() throws {
    let found = try RealMail.html(
      #"<p>Hi</p><img src="https://t.example/o.gif?u=1" height="1">"#, "tracking/pixel")
    #expect(found.count == 1)
    #expect(found.first?.message.contains("1 pixel high with no width given") == true, "\(found)")
  }

  @Test func misspeltHeightLeavesOneSideAndIsStillAPixel() throws {
    let found = try RealMail.html(
      #"<img src="https://t.example/o.gif?u=8812" width="1" hight="1">"#, "tracking/pixel")
    #expect(found.count == 1)
    #expect(found.first?.message.contains("1 pixel wide with no height given") == true, "\(found)")
  }

  @Test func maximumSizesClampTheImage() throws {
    let found = try RealMail.html(
      #"<img src="https://t.example/o.gif" width="600" height="300" style="max-width:1px;max-height:1px">"#,
      "tracking/pixel")
    #expect(found.count == 1)
    #expect(found.first?.message.contains("is 1×1 pixels") == true, "\(found)")
  }

  @Test func oneSidedStaticSpacerIsNotAPixel() throws {
    // The layout spacer of old mail: a plain file every recipient loads alike.
    #expect(
      try RealMail.html(
        #"<td><img src="https://www.contoso.com/img/1p.gif" height="1" alt=""></td>"#, "tracking/pixel"
      ).isEmpty)
    #expect(
      try RealMail.html(#"<img src="https://t.example/o/88127731.gif" height="1">"#, "tracking/pixel").count
        == 1)
  }

  @Test func oneLargeSideIsNotAPixel() throws {
    #expect(
      try RealMail.html(
        #"<img src="https://www.contoso.com/logo.png" height="40" alt="Contoso">"#, "tracking/pixel"
      ).isEmpty)
  }

  @Test func perRecipientBackgroundAttributeIsAPixel() throws {
    let html =
      #"<table><tr><td background="https://t.example/bg.gif?r={{recipient_id}}">Hi</td></tr></table>"#
    let found = try RealMail.html(html, "tracking/pixel")
    #expect(found.count == 1)
    #expect(found.first?.message.contains("background image") == true, "\(found)")
    #expect(found.first?.message.contains("{{recipient_id}}") == true, "\(found)")
  }

  @Test func perRecipientCSSBackgroundsArePixels() throws {
    let inline = #"<div style="background-image:url('https://t.example/bg.gif?r=*|UNIQID|*')">Hi</div>"#
    #expect(try RealMail.html(inline, "tracking/pixel").count == 1)
    let sheet =
      "<style>.hero { background: url(https://t.example/bg.gif?r=%%subscriber_id%%) }</style><div class=\"hero\">Hi</div>"
    #expect(try RealMail.html(sheet, "tracking/pixel").count == 1)
  }

  @Test func sharedBackgroundImageIsNotAPixel() throws {
    let html =
      #"<td background="https://www.contoso.com/bg.jpg" style="background-image:url(https://www.contoso.com/bg.jpg)">Hi</td>"#
    #expect(try RealMail.html(html, "tracking/pixel").isEmpty)
  }
}

/// Item 5: the visibility cascade.
@Suite struct VisibilityCascadeTests {
  func hidden(_ html: String) -> [String] {
    HTMLInventory.read(Array(html.utf8)).hiddenText.map { $0.text.trimmingCharacters(in: .whitespaces) }
  }

  func reasons(_ html: String) -> [String] { HTMLInventory.read(Array(html.utf8)).hiddenText.map(\.reason) }

  @Test func importantStyleRuleBeatsANormalInlineStyle() {
    #expect(
      hidden(
        #"<style>.x { display: none !important }</style><p>Hi</p><p class="x" style="display:block">Secret</p>"#
      ) == ["Secret"])
  }

  @Test func normalStyleRuleStillLosesToTheInlineStyle() {
    #expect(
      hidden(#"<style>.x { display: none }</style><p>Hi</p><p class="x" style="display:block">Shown</p>"#)
        .isEmpty)
  }

  @Test func importantInlineStyleBeatsAnImportantRule() {
    #expect(
      hidden(
        #"<style>.x { display: none !important }</style><p class="x" style="display:block !important">Shown</p>"#
      ).isEmpty)
  }

  @Test func importantDeclarationWinsWithinOneBlock() {
    #expect(hidden(#"<p>Hi</p><p style="display:none !important; display:block">Secret</p>"#) == ["Secret"])
  }

  @Test func clipRectOfNothingHidesAnAbsoluteElement() {
    #expect(
      hidden(#"<p>Hi</p><span style="position:absolute; clip:rect(0 0 0 0)">Secret</span>"#) == ["Secret"])
    #expect(
      hidden(#"<p>Hi</p><span style="position:absolute;clip:rect(1px, 1px, 1px, 1px)">Secret</span>"#) == [
        "Secret"
      ])
    // clip applies to absolutely positioned boxes only; an auto side clips nothing there.
    #expect(hidden(#"<p>Hi</p><span style="clip:rect(0 0 0 0)">Shown</span>"#).isEmpty)
    #expect(
      hidden(#"<p>Hi</p><span style="position:absolute;clip:rect(0 auto auto 0)">Shown</span>"#).isEmpty)
  }

  @Test func scaleZeroHides() {
    #expect(hidden(#"<p>Hi</p><div style="transform:scale(0)">Secret</div>"#) == ["Secret"])
    #expect(hidden(#"<p>Hi</p><div style="transform: translateX(2px) scaleY(0)">Secret</div>"#) == ["Secret"])
    #expect(hidden(#"<p>Hi</p><div style="transform:scale(1.05)">Shown</div>"#).isEmpty)
  }

  @Test func transparentTextIsHidden() {
    #expect(hidden(#"<p>Hi</p><span style="color:transparent">Secret</span>"#) == ["Secret"])
    #expect(hidden(#"<p>Hi</p><span style="color:rgba(0,0,0,0)">Secret</span>"#) == ["Secret"])
  }

  @Test func textNearTheBackgroundColourIsHidden() {
    let found = reasons(
      ##"<div style="background:#ffffff"><p>Hi</p><span style="color:#fefefe">Secret</span></div>"##)
    #expect(found.count == 1)
    #expect(found.first?.contains("contrast") == true, "\(found)")
    #expect(
      hidden(##"<table bgcolor="#000000"><tr><td><font color="#0a0a0a">Secret</font></td></tr></table>"##)
        == ["Secret"])
  }

  @Test func lowButReadableContrastIsNotHidden() {
    // Light grey fine print (#aaa on white is 2.3:1) is poor style, not hidden text.
    #expect(
      hidden(##"<div style="background:#ffffff"><span style="color:#aaaaaa">Unsubscribe</span></div>"##)
        .isEmpty)
  }

  @Test func gradientTextIsVisible() {
    // Transparent glyphs over a background clipped to the text show the gradient.
    #expect(
      hidden(
        #"<p>Hi</p><span style="background:linear-gradient(90deg,#fd6,#fa0);-webkit-background-clip:text;background-clip:text;color:transparent">Shown</span>"#
      ).isEmpty)
  }

  @Test func gradientOrPictureBackgroundIsUnknown() {
    let html =
      ##"<body style="background:linear-gradient(145deg, #0a0f1e 0%, #0c1222 100%)"><p style="color:#0a0f1a">Shown</p><td style="background-color:#ffffff;background-image:url(https://www.contoso.com/bg.jpg)"><span style="color:#fefefe">Shown</span></td></body>"##
    #expect(hidden(html).isEmpty)
  }

  @Test func linkInsideACellOfAWrappingLinkKeepsTheCellBackground() {
    // The inner <a> does not close the table (a formatting marker sits at the cell).
    let html =
      ##"<body style="background-color:#080808;color:#ffffff"><a href="https://www.contoso.com/a" style="color:#fff"><table><tr><td style="background-color:#2ecc71"><a href="https://www.contoso.com/b" style="color:#000000">Claim</a></td></tr></table></a></body>"##
    let inventory = HTMLInventory.read(Array(html.utf8))
    #expect(inventory.hiddenText.isEmpty)
    #expect(inventory.links.map { $0.text.string } == ["", "Claim"])
  }

  @Test func childThatSetsAReadableColourIsVisible() {
    let html =
      ##"<div style="background:#ffffff;color:#ffffff">Secret<span style="color:#000000">Shown</span></div>"##
    #expect(hidden(html) == ["Secret"])
  }
}

/// Item 4: a hidden unsubscribe link is no unsubscribe link.
@Suite struct HiddenUnsubscribeTests {
  let manifest = "campaign: c\ncategory: marketing\nhtml: body.html\n"

  func findings(_ html: String) throws -> [Finding] {
    try RealMail.findings(
      RealMail.campaign(manifest, html: html), "bulk/missing-body-unsubscribe", category: "marketing")
  }

  @Test func inlineHiddenUnsubscribeLinkDoesNotCount() throws {
    #expect(
      try findings(
        #"<p>News</p><a href="https://www.contoso.com/unsubscribe?u=1" style="display:none">Unsubscribe</a>"#
      ).count == 1)
  }

  @Test func unsubscribeLinkHiddenByAStyleRuleDoesNotCount() throws {
    let html =
      #"<style>.foot { display: none }</style><p>News</p><div class="foot"><a href="https://www.contoso.com/u?x=1">Unsubscribe</a></div>"#
    #expect(try findings(html).count == 1)
  }

  @Test func visibleUnsubscribeLinkCounts() throws {
    #expect(try findings(#"<p>News</p><a href="https://www.contoso.com/u?x=1">Unsubscribe</a>"#).isEmpty)
  }
}

/// Item 2: a URL in HTML text outside anchors is judged like the same URL in text/plain.
@Suite struct HTMLTextObfuscationTests {
  @Test func numericHostInParagraphTextIsObfuscated() throws {
    let found = try RealMail.html("<p>Sign in at http://3221225985/login today</p>", "link/obfuscated")
    #expect(found.count == 1)
    #expect(found.first?.message.contains("192.0.2.1") == true, "\(found)")
    #expect(found.first?.range?.startPosition.column == 15)
  }

  @Test func credentialsInParagraphTextAreObfuscated() throws {
    #expect(
      try RealMail.html("<p>Go to https://www.contoso.com@evil.example/login now</p>", "link/obfuscated")
        .count == 1)
  }

  @Test func anchorTextIsJudgedOnceThroughItsHref() throws {
    #expect(
      try RealMail.html(#"<a href="http://3221225985/login">http://3221225985/login</a>"#, "link/obfuscated")
        .count == 1)
  }

  @Test func plainURLInParagraphTextIsClean() throws {
    #expect(
      try RealMail.html("<p>Visit https://www.contoso.com/account today</p>", "link/obfuscated").isEmpty)
  }
}

/// Item 3: URLs split inside the host, after the scheme or inside a path word; mailto: and tel:
/// values are not URLs a reader follows.
@Suite struct SplitURLShapeTests {
  func text(_ body: String) throws -> [Finding] {
    try RealMail.findings(
      InventoryReader.template(SourceFile(path: "t.txt", text: body), isHTML: false), "link/split-url")
  }

  @Test func spaceAfterAHostDot() throws {
    let found = try text("Sign in at https://www.contoso. com/login today.\n")
    #expect(found.count == 1)
    #expect(found.first?.help?.contains("https://www.contoso.com/login") == true, "\(found)")
  }

  @Test func hostCutWithoutAPathNeedsAHostTheMessageLinksTo() throws {
    #expect(
      try RealMail.html(
        #"<p>Visit https://www.contoso. com today</p><a href="https://www.contoso.com/">Home</a>"#,
        "link/split-url"
      ).count == 1)
    #expect(try RealMail.html("<p>Visit https://www.contoso. com today</p>", "link/split-url").isEmpty)
  }

  @Test func spaceAfterTheScheme() throws {
    let found = try text("Sign in at https:// www.contoso.com/login today.\n")
    #expect(found.count == 1)
    #expect(found.first?.range?.startPosition.column == 12)
    #expect(found.first?.help?.contains("https://www.contoso.com/login") == true, "\(found)")
  }

  @Test func spaceInsideAPathWord() throws {
    let found = try text("Check https://www.contoso.com/secu rity/ now.\n")
    #expect(found.count == 1)
    #expect(found.first?.help?.contains("https://www.contoso.com/security/") == true, "\(found)")
    #expect(try text("Check https://www.contoso.com/account/secu rity/reset.html now.\n").count == 1)
  }

  @Test func proseAfterURLsIsNotASplit() throws {
    #expect(try text("See https://www.contoso.com/docs and/or the FAQ.\n").isEmpty)
    #expect(try text("Call https://www.contoso.com/help 24/7 for help.\n").isEmpty)
    #expect(try text("We moved to https://www.contoso. Com is our old name.\n").isEmpty)
    #expect(try text("Write to https:// then stop.\n").isEmpty)
  }

  @Test func mailtoAndTelWithSpacesAreNotSplitURLs() throws {
    #expect(
      try RealMail.html(
        #"<a href="mailto:help@contoso.com?subject=Order help&body=Hi there">Mail us</a>"#, "link/split-url"
      ).isEmpty)
    #expect(try RealMail.html(#"<a href="tel:+1 800 555 0100">Call us</a>"#, "link/split-url").isEmpty)
    #expect(try text("Mail mailto:help@contoso.com?subject=Order help today.\n").isEmpty)
    #expect(
      try RealMail.html(#"<a href="https://www.contoso.com/a b">Read</a>"#, "link/split-url").count == 1)
  }
}

/// Item 6: HTML inside a triple-stash merge variable is linted as HTML.
@Suite struct MergeVariableHTMLTests {
  let manifest = """
    campaign: c
    category: marketing
    html: body.html
    variables:
      promo: '<a href="http://3221225985/deal">Our deal</a>'
    """

  @Test func tripleStashHTMLEntersTheInventoryAtTheVariable() throws {
    let inventory = try RealMail.campaign(manifest, html: "<p>News</p><p>{{{promo}}}</p>")
    let link = try #require(inventory.links.first { $0.href == "http://3221225985/deal" })
    #expect(link.range.file.path == "campaign.yaml")
    #expect(link.range.startPosition.line == 5)
    #expect(link.range.startPosition.column == 20)
    #expect(link.text == "Our deal")
    let found = try RealMail.findings(inventory, "link/obfuscated", category: "marketing")
    #expect(found.count == 1)
    #expect(found.first?.range?.file.path == "campaign.yaml")
  }

  @Test func htmlVariableExpansionsAreCapped() throws {
    let body = "<p>News</p>" + String(repeating: "<p>{{{promo}}}</p>", count: 250)
    let inventory = try RealMail.campaign(manifest, html: body)
    #expect(inventory.links.filter { $0.href == "http://3221225985/deal" }.count == 200)
    #expect(
      inventory.problems.contains { $0.code == "input/limit-exceeded" && $0.message.contains("triple-stash") }
    )
  }

  @Test func doubleStashEscapesTheHTML() throws {
    let inventory = try RealMail.campaign(manifest, html: "<p>News</p><p>{{promo}}</p>")
    #expect(!inventory.links.contains { $0.href == "http://3221225985/deal" })
  }

  @Test func variableWithoutMarkupAddsNothing() throws {
    let inventory = try RealMail.campaign(
      manifest.replacingOccurrences(
        of: "'<a href=\"http://3221225985/deal\">Our deal</a>'", with: "Spring sale"),
      html: "<p>{{{promo}}}</p>")
    #expect(inventory.links.isEmpty)
  }
}

/// Item 7: one defect repeated is one finding with a count and its first locations.
@Suite struct FindingAggregationTests {
  func lintRepeated(_ count: Int) throws -> LintReport {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-aggregate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let pixel = #"<img src="https://t.example/o.gif" width="1" height="1">"#
    let html = "<p>Hi</p>\n" + Array(repeating: pixel, count: count).joined(separator: "\n") + "\n"
    try html.write(to: folder.appendingPathComponent("body.html"), atomically: true, encoding: .utf8)
    return Engine().lint(LintRequest(paths: ["body.html"], workingDirectory: folder.path))
  }

  @Test func repeatedDefectIsOneFindingWithACount() throws {
    let report = try lintRepeated(3_000)
    let pixels = report.findings.filter { $0.rule == "tracking/pixel" }
    #expect(pixels.count == 1)
    let finding = try #require(pixels.first)
    #expect(finding.count == 3_000)
    #expect(finding.locations.count == Finding.maximumLocations)
    #expect(finding.locations.map(\.startPosition.line) == [2, 3, 4, 5, 6])
    #expect(finding.range?.startPosition.line == 2)
    #expect(report.count(.info) >= 3_000)
  }

  @Test func textShowsTheCountAndTheFirstLocations() throws {
    let report = try lintRepeated(3_000)
    let finding = try #require(report.findings.first { $0.rule == "tracking/pixel" })
    let text = TextFormatter(color: false).formatFinding(finding)
    #expect(
      text.contains(
        "also at body.html:3:11, body.html:4:11, body.html:5:11, body.html:6:11 (and 2,995 more)"), "\(text)")
    let summary = TextFormatter(color: false).summary(
      findings: report.findings, diagnostics: [], draftCount: 1)
    let occurrences = report.findings.reduce(0) { $0 + $1.count }
    #expect(occurrences >= 3_000)
    #expect(summary.contains("✖ \(report.findings.count) problem"), "\(summary)")
    #expect(summary.contains("; \(TextFormatter.grouped(occurrences)) occurrences)"), "\(summary)")
  }

  @Test func jsonCarriesCountAndLocations() throws {
    let report = try lintRepeated(7)
    let json = JSONReport(findings: report.findings, diagnostics: [], draftCount: 1, toolVersion: "test")
    let finding = try #require(json.findings.first { $0.rule == "tracking/pixel" })
    #expect(finding.count == 7)
    #expect(finding.locations?.map(\.line) == [2, 3, 4, 5, 6])
    // The summary counts the findings listed, so it adds up to the array.
    #expect(json.summary.infos == json.findings.filter { $0.severity == "info" }.count)
  }

  @Test func differentMessagesStayApart() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-aggregate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let html =
      #"<img src="https://t.example/o.gif" width="1" height="1"><img src="https://u.example/o.gif" width="1" height="1">"#
    try html.write(to: folder.appendingPathComponent("body.html"), atomically: true, encoding: .utf8)
    let report = Engine().lint(LintRequest(paths: ["body.html"], workingDirectory: folder.path))
    let pixels = report.findings.filter { $0.rule == "tracking/pixel" }
    #expect(pixels.count == 2)
    #expect(pixels.allSatisfy { $0.count == 1 && $0.locations.count == 1 })
  }
}
