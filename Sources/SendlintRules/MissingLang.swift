import SendlintCore
import SendlintInventory

/// `a11y/missing-lang`: HTML that does not say what language it is in.
public struct MissingLang: Rule {
  public static let metadata = RuleMetadata(
    id: "a11y/missing-lang",
    summary: "The HTML states no language (no lang on <html>), or states one that is not a language tag.",
    defaultSeverity: .warning,
    whatItDoes: """
      Flags an HTML body with no `lang` (or `xml:lang`) on `<html>`, on `<body>`, or on a wrapper \
      element that opens before any visible text (Gmail drops the `<html>` element, so careful \
      templates repeat `lang` on a wrapper), and a `lang` that is empty or not shaped like a BCP 47 \
      tag (`en`, `en-GB`, `zh-Hant`). An HTML file without `<html>` and `<body>` tags is a fragment \
      that an ESP layout wraps, and is judged only when it is the body of a message.
      """,
    whyIsThisBad: """
      Screen readers pick their voice and pronunciation rules from the language: without it an English \
      newsletter is read with the reader's default voice, which may be German or Japanese, and \
      translation offers and hyphenation go wrong too.
      """,
    example: "```html\n<html>\n<body>…</body>\n</html>\n```",
    useInstead: "`<html lang=\"en\">`, and the same `lang` on the outermost wrapper `<div>` or `<table>`.",
    references: [
      "WCAG 2.2 SC 3.1.1 Language of Page, Level A; Technique H57 (lang on the html element)",
      "BCP 47 / RFC 5646 (tags for identifying languages)",
    ],
    examples: [
      RuleExample(
        "no lang", flagged: true,
        .html("«<html>\n<head><title>Spring</title></head>\n<body><p>Hi</p></body>\n</html>")),
      RuleExample(
        "an empty lang", flagged: true, .html("<html lang=\"«\">\n<body><p>Hi</p></body>\n</html>")),
      RuleExample(
        "a lang that is no language tag", flagged: true,
        .html("<html lang=\"«english\">\n<body><p>Hi</p></body>\n</html>")),
      RuleExample(
        "lang on html", flagged: false, .html("<html lang=\"en-GB\">\n<body><p>Hi</p></body>\n</html>")),
      RuleExample(
        "lang on the wrapper", flagged: false,
        .html("<html>\n<body>\n<div lang=\"de\" style=\"margin:0\"><p>Hallo</p></div>\n</body>\n</html>")),
    ],
    placeholders: ["lang"],
    tags: ["accessibility", "checklist"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    inventory.htmlBodies.compactMap { body in
      guard body.isDocument || inventory.kind == .eml else { return nil }
      guard let language = body.facts.language else {
        let range =
          body.facts.htmlTag.map { body.locator.range($0.start, $0.end) } ?? body.locator.range(0, 0)
        return Hit(
          range: range,
          message:
            "the HTML states no language: no lang attribute on <html>, <body> or a wrapper before the first text",
          help:
            "add the message's language as <html lang=\"en\"> (use its BCP 47 tag), and repeat it on the outermost wrapper element",
          evidence: "no-lang")
      }
      let value = language.value.trimmingASCIIWhitespace()
      guard !Self.isLanguageTag(value) else { return nil }
      return Hit(
        range: body.locator.range(language.valueStart, language.valueEnd),
        message: value.isEmpty
          ? "lang on <\(language.element)> is empty: the HTML states no language"
          : "lang \"\(value.escapedForDisplay)\" on <\(language.element)> is not a language tag",
        help: "write a BCP 47 tag such as \"en\", \"en-GB\" or \"fr\"",
        evidence: "bad-lang|\(value.lowercased())", placeholders: ["lang": value])
    }
  }

  /// BCP 47's shape, loosely: a primary subtag of 2–3 letters (or `i`/`x` for the old and private
  /// forms), then subtags of 1–8 letters or digits.
  static func isLanguageTag(_ value: String) -> Bool {
    let subtags = value.split(separator: "-", omittingEmptySubsequences: false)
    guard let primary = subtags.first else { return false }
    let letters = primary.allSatisfy { $0.isASCII && $0.isLetter }
    guard letters, (2...3).contains(primary.count) || primary == "i" || primary == "x" else { return false }
    return subtags.dropFirst().allSatisfy {
      (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
  }
}
