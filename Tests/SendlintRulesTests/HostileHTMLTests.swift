import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintRules
import SendlintTestSupport
import SendlintURL
import Testing

/// Issue 11, hostile HTML: inputs generated here at sizes where the old quadratic code took tens of
/// seconds (each finishing within a normal `swift test` run is the check), with their results
/// checked so a fix that drops input cannot pass.
@Suite struct HostileHTMLTests {
  /// Every token of `html`.
  func tokens(_ html: String) -> [HTMLToken] {
    var tokenizer = HTMLTokenizer(bytes: Array(html.utf8))
    var tokens: [HTMLToken] = []
    tokenizer.tokenize { tokens.append($0) }
    return tokens
  }

  /// An 800 KB DOCTYPE name, public and system id (old code copied each per byte: > 60 s).
  @Test func longDoctypeFieldsAreLinear() {
    let size = 800_000
    let name = String(repeating: "A", count: size)
    let id = String(repeating: "x", count: size)
    let found = tokens("<!DOCTYPE \(name) PUBLIC \"\(id)\" \"\(id)\">")
    guard case .doctype(let gotName, let publicId, let systemId, _, _)? = found.first else {
      Issue.record("no doctype token")
      return
    }
    #expect(gotName?.utf8.count == size)
    #expect(gotName?.first == "a")  // lowercased
    #expect(publicId?.utf8.count == size)
    #expect(systemId?.utf8.count == size)
  }

  /// 80,000 attributes, every second one a duplicate (old duplicate check was O(n²): 23 s).
  @Test func manyAttributesAreLinear() {
    let distinct = 80_000
    var html = "<p"
    for index in 0..<distinct { html += " a\(index)=\(index) a\(index)=dup" }
    html += ">"
    guard case .startTag(let tag)? = tokens(html).first else {
      Issue.record("no start tag")
      return
    }
    #expect(tag.attributes.count == distinct)
    // The first of duplicates wins (§13.2.5.33).
    #expect(tag.attributes.last?.name == "a\(distinct - 1)")
    #expect(tag.attributes.last?.value == "\(distinct - 1)")
  }

  /// 600 KB of C0 controls before a URL (old code removed them one `removeFirst` at a time: 22 s).
  @Test func controlPrefixedURLIsLinear() {
    let prefix = String(repeating: "\u{01}", count: 600_000)
    let suffix = String(repeating: " ", count: 600_000)
    let url = URLRecord.parse(prefix + "https://example.com/a" + suffix)
    #expect(url?.href == "https://example.com/a")
  }
}

/// Issue 11, hostile policies: `message:` templates render in one pass and are capped.
@Suite struct HostileMessageTemplateTests {
  @Test func valuesAreNotExpandedAgain() {
    let template = MessageTemplate("{{a}} and {{b}}")
    #expect(template.render(["a": "{{b}}", "b": "B"]) == "{{b}} and B")
    #expect(MessageTemplate("{{ a }} {{unknown}} {{open").render(["a": "A"]) == "A {{unknown}} {{open")
  }

  /// A 220 KB template of placeholders, each value itself a placeholder: the old loop expanded it
  /// repeatedly (5.1 GB); now the output is cut at the named cap.
  @Test func renderedLengthIsCapped() {
    let template = MessageTemplate(String(repeating: "{{message}}{{rule}}", count: 11_000))
    let rendered = template.render([
      "message": "{{rule}}" + String(repeating: "é", count: 100), "rule": "{{message}}",
    ])
    #expect(rendered.utf8.count <= MessageTemplate.maximumRenderedBytes)
    #expect(rendered.utf8.count > MessageTemplate.maximumRenderedBytes - 8)
    #expect(rendered.hasSuffix("…"))
    #expect(rendered.hasPrefix("{{rule}}éé"))
  }
}

/// Issue 11, hostile manifests: merge variables are looked up through an index and their expansion
/// (and the click rewrite's) is capped per URL and per draft, each cap an `input/limit-exceeded`.
@Suite struct HostileMergeVariableTests {
  func campaign(_ manifest: String, html: String) throws -> Inventory {
    let (parsed, diagnostics) = CampaignManifest.read(SourceFile(path: "campaign.yaml", text: manifest))
    #expect(diagnostics.isEmpty, "\(diagnostics)")
    return InventoryReader.campaign(
      try #require(parsed), html: SourceFile(path: "body.html", text: html), text: nil)
  }

  func limitProblems(_ inventory: Inventory) -> [InputProblem] {
    inventory.problems.filter { $0.code == "input/limit-exceeded" }
  }

  /// 5,000 variables and 5,000 tags that only match case-insensitively: the old fallback scanned
  /// (and lowercased) every variable per tag, 25 million comparisons.
  @Test func caseInsensitiveLookupIsIndexed() throws {
    let count = 5_000
    let variables = (0..<count).map { "v\($0): \"p\($0)\"" }.joined(separator: ", ")
    let html = (0..<count).map { #"<a href="https://example.com/{{V\#($0)}}">x</a>"# }.joined()
    let inventory = try campaign("campaign: c\nhtml: body.html\nvariables: { \(variables) }\n", html: html)
    #expect(inventory.links.count == count)
    #expect(inventory.links.first?.url?.href == "https://example.com/p0")
    #expect(inventory.links.last?.url?.href == "https://example.com/p\(count - 1)")
    #expect(limitProblems(inventory).isEmpty)
  }

  /// A 1 MB variable in 2,000 links (old code built 2 GB of URLs: > 120 s): expansion stops at the
  /// per-draft cap, reported once.
  @Test func expansionIsCappedPerDraft() throws {
    let value = String(repeating: "a", count: 1_000_000)
    let html = String(repeating: #"<a href="https://example.com/{{big}}">x</a>"#, count: 2_000)
    let inventory = try campaign(
      "campaign: c\nhtml: body.html\nvariables: { big: \"\(value)\" }\n", html: html)
    #expect(inventory.links.count == 2_000)
    let expanded = inventory.links.filter { ($0.url?.href.utf8.count ?? 0) > value.utf8.count }
    #expect(expanded.count == ExpansionBudget.maximumBytesPerDraft / value.utf8.count)
    #expect(inventory.links.last?.url?.href == "https://example.com/")
    let problems = limitProblems(inventory)
    #expect(problems.count == 1)
    #expect(problems.first?.message.contains("ExpansionBudget.maximumBytesPerDraft") == true)
  }

  /// One URL whose tags expand past 1 MiB is cut at the per-expansion cap.
  @Test func expansionIsCappedPerURL() throws {
    let value = String(repeating: "b", count: 100_000)
    let html = #"<a href="https://example.com/\#(String(repeating: "{{big}}", count: 20))">x</a>"#
    let inventory = try campaign(
      "campaign: c\nhtml: body.html\nvariables: { big: \"\(value)\" }\n", html: html)
    let href = try #require(inventory.links.first?.url?.href)
    #expect(href.utf8.count <= ExpansionBudget.maximumBytesPerExpansion)
    #expect(href.utf8.count > ExpansionBudget.maximumBytesPerExpansion - value.utf8.count)
    #expect(
      limitProblems(inventory).first?.message.contains("ExpansionBudget.maximumBytesPerExpansion") == true)
  }

  /// A click `url` template of 50,000 `{{url}}` (old code re-expanded it in link/same-target for each
  /// link: > 120 s): the delivered URL is computed once, capped, and the rule reads it.
  @Test func clickRewriteIsComputedOnceAndCapped() throws {
    let template = String(repeating: "{{url}}", count: 50_000)
    let manifest = """
      campaign: c
      html: body.html
      tracking: { clicks: { domain: t.example.net, url: "https://t.example.net/c?\(template)" } }
      """
    let html = (0..<200).map { #"<a href="https://example.com/\#($0)">example.com/\#($0)</a>"# }.joined()
    let inventory = try campaign(manifest, html: html)
    #expect(inventory.links.count == 200)
    let delivered = inventory.links.compactMap(\.deliveredURL)
    #expect(delivered.count == 200)
    #expect(delivered.allSatisfy { $0.utf8.count <= ExpansionBudget.maximumBytesPerExpansion })
    #expect(
      delivered.first?.hasPrefix("https://t.example.net/c?https://example.com/0https://example.com/0") == true
    )
    #expect(limitProblems(inventory).count == 1)
    // One rewrite for the campaign, referred to by every link, not a copy per link.
    let rewrite = try #require(inventory.clickRewrite)
    #expect(inventory.links.allSatisfy { $0.rewrite === rewrite })
    // Links cut to the same prefix share a target: the rule still runs, on the stored URLs.
    let hits = SameTarget(options: RuleOptions()).check(
      inventory, RuleContext(brand: BrandFacts(), category: nil))
    #expect(!hits.isEmpty)
  }

  /// A rewritten URL is not searched again: an href containing `{{link}}` stays as written.
  @Test func clickRewriteIsOnePass() {
    let rewrite = ClickRewrite(
      domain: "t.example.net", range: SourceRange(file: SourceFile(path: "m", text: ""), start: 0, end: 0),
      urlTemplate: "https://t.example.net/?u={{url}}&l={{link}}")
    var budget = ExpansionBudget()
    #expect(
      rewrite.rewritten("https://a.example/{{link}}", budget: &budget)
        == "https://t.example.net/?u=https://a.example/{{link}}&l=https://a.example/{{link}}")
  }
}

/// Issue 11, hostile policies: a custom rule's own `message:` renders in one pass, capped, and quotes
/// at most `CustomRule.maximumQuotedMatchCharacters` of what matched.
@Suite struct HostileCustomRuleMessageTests {
  func hits(message: String?, body: String) throws -> [Hit] {
    let metadata = RuleMetadata(
      id: "custom/long-x", summary: "x", defaultSeverity: .warning, whatItDoes: "", whyIsThisBad: "",
      example: "",
      useInstead: "", references: [])
    let rule = CustomRule(
      metadata: metadata,
      kind: .pattern(fields: [.htmlVisible], regex: try LinearRegex(#"\{\{field\}\}x+"#), source: ""),
      message: message)
    let inventory = InventoryReader.template(SourceFile(path: "t.html", text: "<p>\(body)</p>"), isHTML: true)
    return rule.check(inventory, RuleContext(brand: BrandFacts(), category: nil))
  }

  /// The matched text holds `{{field}}`: the old loop could expand it again, depending on order.
  @Test func matchIsQuotedOnceAndCut() throws {
    let body = "{{field}}" + String(repeating: "x", count: 100_000)
    let found = try hits(message: "[{{match}}] in {{field}}", body: body)
    let hit = try #require(found.first)
    let quoted = String(body.prefix(CustomRule.maximumQuotedMatchCharacters)) + "…"
    #expect(hit.message == "[\(quoted)] in html.visible")
    // The default message quotes the same cut text.
    let plain = try #require(try hits(message: nil, body: body).first)
    #expect(plain.message.hasSuffix("\"\(quoted)\""))
  }

  /// 20,000 `{{match}}` in the policy's message: the output stops at the rendered-size cap.
  @Test func renderedMessageIsCapped() throws {
    let found = try hits(message: String(repeating: "{{match}}", count: 20_000), body: "{{field}}xxx")
    let hit = try #require(found.first)
    #expect(hit.message.utf8.count <= MessageTemplate.maximumRenderedBytes)
    #expect(hit.message.hasPrefix("{{field}}xxx{{field}}xxx"))
    #expect(hit.message.hasSuffix("…"))
  }
}

/// Issue 11, hostile CSS: the cascade is charged for its work (selectors tested, compound
/// components compared, ancestors walked) against `HTMLInventory.maximumCascadeWork`, and `<style>`
/// text is kept up to `HTMLInventory.maximumStyleBytes`; each cap hit is a reported problem.
@Suite struct HostileCascadeTests {
  /// Slack over the budget: work is checked before each selector and ancestor, so one compound
  /// (here at most 20,001 components) may finish past it.
  let slack = 20_001

  func cascadeLimitHit(_ inventory: HTMLInventory) -> Bool {
    inventory.problems.contains { $0.message.contains("HTMLInventory.maximumCascadeWork") }
  }

  /// 20,000 comma selectors in one rule × 20,000 elements each matched only by the last: the old
  /// budget counted one rule per element (400 million selector tests, unbounded).
  @Test func commaSelectorsAreCharged() {
    let count = 20_000
    let selectors = (0..<count).map { ".c\($0)" }.joined(separator: ",")
    let body = String(repeating: #"<p class="c\#(count - 1)">x</p>"#, count: count)
    let inventory = HTMLInventory.read(Array("<style>\(selectors) { display: none }</style>\(body)".utf8))
    #expect(cascadeLimitHit(inventory))
    #expect(inventory.cascadeWork <= HTMLInventory.maximumCascadeWork + slack)
    #expect(inventory.cascadeWork > HTMLInventory.maximumCascadeWork)
    // Elements matched before the budget ran out are hidden; later ones keep their inline style.
    #expect(!inventory.hiddenText.isEmpty)
    #expect(inventory.visibleText.bytes.contains(UInt8(ascii: "x")))
  }

  /// A compound of 20,000 classes against elements carrying all of them: the old array lookup was
  /// 200 million comparisons per element; through a set it is 20,000, charged.
  @Test func longCompoundsAreCharged() {
    let classes = (0..<20_000).map { "k\($0)" }
    let compound = "." + classes.joined(separator: ".")
    let element = #"<p class="\#(classes.joined(separator: " "))">hidden</p>"#
    let elements = 10
    let html =
      "<style>\(compound) { display: none }</style>" + String(repeating: element, count: elements)
      + "<p>shown</p>"
    let inventory = HTMLInventory.read(Array(html.utf8))
    #expect(!cascadeLimitHit(inventory))
    #expect(inventory.hiddenText.count == elements)
    #expect(inventory.cascadeWork >= elements * classes.count)
    #expect(inventory.cascadeWork < 2 * elements * classes.count + 1_000)
  }

  /// A 3,000-compound descendant chain over 500 nested elements, tested by 40,000 leaves: every
  /// ancestor walked is charged and the budget stops it.
  @Test func descendantChainsAreCharged() {
    let chain = Array(repeating: "div", count: 3_000).joined(separator: " ") + " p"
    let html =
      "<style>\(chain) { color: red }</style>" + String(repeating: "<div>", count: 500)
      + String(repeating: "<p>x</p>", count: 40_000)
    let inventory = HTMLInventory.read(Array(html.utf8))
    #expect(cascadeLimitHit(inventory))
    #expect(inventory.cascadeWork <= HTMLInventory.maximumCascadeWork + slack)
  }

  /// 2 MB of `<style>` text: the first MiB is parsed, the rest dropped and reported.
  @Test func styleTextIsCapped() {
    let rule = ".a{color:red}\n"
    let style = String(repeating: rule, count: 2_000_000 / rule.utf8.count)
    let inventory = HTMLInventory.read(
      Array("<style>\(style)</style><style>.b{display:none}</style><p class=b>x</p>".utf8))
    #expect(inventory.styleBytes <= HTMLInventory.maximumStyleBytes)
    #expect(inventory.problems.contains { $0.message.contains("HTMLInventory.maximumStyleBytes") })
    // The later block is past the cap too: its rule is not applied.
    #expect(inventory.hiddenText.isEmpty)
  }

  /// Through the inventory, the cascade and style caps are `input/limit-exceeded` problems.
  @Test func capsAreInputProblems() {
    let selectors = (0..<4_000).map { ".c\($0)" }.joined(separator: ",")
    let body = String(repeating: #"<p class="c3999">x</p>"#, count: 4_000)
    let style = String(repeating: " ", count: HTMLInventory.maximumStyleBytes)
    let file = SourceFile(
      path: "t.html", text: "<style>\(selectors) { display: none }</style>\(body)<style>\(style)</style>")
    let problems = InventoryReader.template(file, isHTML: true).problems.filter {
      $0.code == "input/limit-exceeded"
    }
    #expect(problems.contains { $0.message.contains("maximumCascadeWork") })
    #expect(problems.contains { $0.message.contains("maximumStyleBytes") })
  }
}
