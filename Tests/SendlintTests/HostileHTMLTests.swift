import SendlintCore
import SendlintHTML
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
    let rendered = template.render(["message": "{{rule}}" + String(repeating: "é", count: 100), "rule": "{{message}}"])
    #expect(rendered.utf8.count <= MessageTemplate.maximumRenderedBytes)
    #expect(rendered.utf8.count > MessageTemplate.maximumRenderedBytes - 8)
    #expect(rendered.hasSuffix("…"))
    #expect(rendered.hasPrefix("{{rule}}éé"))
  }
}
