import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintRules
import Testing

/// The inventory facts the checklist's accessibility rules read (issue 16): what the cascade
/// computes for them, and that hostile bodies cannot make them grow without bound.
@Suite struct AccessibilityFactsTests {
  func facts(_ html: String) -> HTMLAccessibilityFacts { HTMLInventory.read(Array(html.utf8)).accessibility }

  @Test func fontSizeAndWeightFollowTheCascade() throws {
    let found = facts(
      #"""
      <style>.big { font-size: 150%; }</style>
      <div style="font-size:16px;color:#777777"><p class="big">Large</p><b>Bold</b><h2>Heading</h2><font size="6">Font</font></div>
      """#)
    let runs = Dictionary(found.styledRuns.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
    #expect(try #require(runs["Large"]).fontSize == 24)
    #expect(try #require(runs["Bold"]).bold)
    #expect(try #require(runs["Bold"]).fontSize == 16)
    #expect(try #require(runs["Heading"]).fontSize == 24)
    #expect(try #require(runs["Heading"]).bold)
    #expect(try #require(runs["Font"]).fontSize == 32)
    #expect(runs.values.allSatisfy { $0.color == "#777777" })
  }

  @Test func linksWithoutColourAreDrawnInLinkBlue() throws {
    let found = facts(
      #"<div style="background:#222222"><a href="https://www.contoso.com/">Shop</a> <span>plain</span></div>"#
    )
    let shop = try #require(found.styledRuns.first { $0.text == "Shop" })
    #expect(shop.color == "#0000ee")
    #expect(shop.background == "#222222")
    let plain = try #require(found.styledRuns.first { $0.text == "plain" })
    #expect(plain.color == nil)
  }

  @Test func languageTablesAndAnchorsAreRecorded() throws {
    let found = facts(
      #"<html><body><table lang="fr" role="presentation"><tr><th>x</th></tr></table><table><caption>c</caption></table><a>no href</a><a name="top"></a></body></html>"#
    )
    let language = try #require(found.language)
    #expect(language.value == "fr" && language.element == "table")
    #expect(found.tables.map(\.role) == ["presentation", nil])
    #expect(found.tables.map(\.hasHeaders) == [true, true])
    #expect(found.anchorsWithoutHref.count == 1)
    #expect(found.htmlTag != nil && found.hasBodyTag)
  }

  /// A lang after visible text does not state the document's language.
  @Test func langAfterTextDoesNotCount() {
    #expect(facts(#"<html><body><p>Hello</p><div lang="en">more</div></body></html>"#).language == nil)
  }

  /// 30,000 href-less anchors and 30,000 coloured spans: the facts stop at their caps.
  @Test func hostileBodiesAreCapped() {
    let anchors = String(repeating: "<a>x</a>", count: 30_000)
    let spans = (0..<30_000).map {
      "<span style=\"color:#\($0 % 2 == 0 ? "999999" : "888888")\">t\($0)</span>"
    }.joined()
    let read = HTMLInventory.read(Array(("<html><body>" + anchors + spans + "</body></html>").utf8))
    let found = read.accessibility
    #expect(found.anchorsWithoutHref.count == 10_000)
    #expect(found.styledRuns.count == 20_000)
    // Each cap is reported (input/limit-exceeded), never a silent stop.
    #expect(
      read.problems.map(\.message) == [
        "more than 10000 href-less anchors in one HTML body; the rest were not checked",
        "more than 20000 styled text runs in one HTML body; the rest were not checked",
      ])
    let tables = HTMLInventory.read(Array(String(repeating: "<table></table>", count: 10_001).utf8))
    #expect(tables.accessibility.tables.count == 10_000)
    #expect(
      tables.problems.map(\.message) == ["more than 10000 tables in one HTML body; the rest were not checked"]
    )
    // One finding per colour pair, not per run.
    let inventory = InventoryReader.template(
      SourceFile(path: "t.html", text: "<html lang=\"en\"><body>" + spans + "</body></html>"), isHTML: true)
    let hits = LowContrast(options: RuleOptions()).check(
      inventory, RuleContext(brand: BrandFacts(), category: nil))
    #expect(hits.count == 2)
    #expect(hits.allSatisfy { $0.message.contains("more runs in these colours") })
  }
}

/// Styled runs that certainly reach 4.5:1 are not recorded (issue 15, memory), and dropping them
/// changes nothing the contrast rule says: a grey element's pieces around well-contrasted children
/// are still separate runs, counted as before.
@Suite struct StyledRunRecordingTests {
  func runs(_ html: String) -> [StyledTextRun] {
    HTMLInventory.read(Array(html.utf8)).accessibility.styledRuns
  }

  @Test func runsThatReachTheRatioAreNotRecorded() {
    let found = runs(
      #"""
      <p style="color:#333333">dark</p><p style="color:#777777">grey</p><p style="color:#767676">passes</p>
      <div style="background:#0067b8"><span style="color:#ffffff">white on blue</span></div>
      <td style="background-image:url(x.png)"><span style="color:#ffffff">on a picture</span></td>
      """#)
    #expect(found.map(\.text) == ["grey", "on a picture"])
  }

  @Test func droppedChildrenStillSeparateTheirParentsRuns() {
    let html =
      #"<html lang="en"><body><p style="color:#999999">grey one <b style="color:#000000">x</b> grey two <b style="color:#000000">y</b> grey three</p></body></html>"#
    #expect(runs(html).map(\.text) == ["grey one", "grey two", "grey three"])
    let inventory = InventoryReader.template(SourceFile(path: "t.html", text: html), isHTML: true)
    let hits = LowContrast(options: RuleOptions()).check(
      inventory, RuleContext(brand: BrandFacts(), category: nil))
    #expect(
      hits.map(\.message) == [
        #"text "grey one" is #999999 on #ffffff, contrast 2.85:1, below WCAG 1.4.3's 4.50:1 (and 2 more runs in these colours)"#
      ])
  }
}
