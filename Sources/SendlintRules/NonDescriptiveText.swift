import SendlintCore
import SendlintInventory

/// `link/non-descriptive-text`: "click here" and friends.
public struct NonDescriptiveText: Rule {
  public static let metadata = RuleMetadata(
    id: "link/non-descriptive-text",
    summary:
      "A link's whole text is \"click here\", \"here\", \"more\" or the like, which says nothing of where it goes.",
    defaultSeverity: .info,
    whatItDoes: """
      Flags `<a>` links whose accessible name, ignoring case, punctuation and spacing, is one of the \
      `phrases` (by default "click here", "click", "here", "more", "this", "link", "this link", "tap here", \
      "go"). A link with an `aria-label`, `aria-labelledby` or `title` is left alone: it names itself. \
      "Read more" and "learn more" are not in the default list: newsletters put them under a headline \
      that gives their purpose, which WCAG 2.4.4 accepts; add them to `phrases` to flag them too.
      """,
    whyIsThisBad: """
      Screen-reader users move through a message by its list of links, out of context: ten links called \
      "here" tell them nothing. Descriptive link text is also what recipients scan for, and filters \
      score "click here" as a spam phrase.
      """,
    example:
      "```html\n<p>Our spring range has landed. <a href=\"https://www.contoso.com/spring\">Click here</a>.</p>\n```",
    useInstead:
      "Put the purpose in the link: `<a href=\"https://www.contoso.com/spring\">See the spring range</a>`.",
    references: [
      "WCAG 2.2 SC 2.4.4 Link Purpose (In Context), Level A; Failure F84 (non-specific links such as \"click here\" or \"more\")",
      "WCAG 2.2 SC 2.4.9 Link Purpose (Link Only), Level AAA",
    ],
    options: [
      phrasesOption.spec
    ],
    examples: [
      RuleExample(
        "click here", flagged: true,
        .html(
          #"<p>Our spring range has landed. <a href="«https://www.contoso.com/spring">Click here!</a></p>"#)),
      RuleExample(
        "more", flagged: true,
        .html(#"<p>New colours. <a href="«https://www.contoso.com/spring">More &raquo;</a></p>"#)),
      RuleExample(
        "descriptive text and a labelled link", flagged: false,
        .html(
          #"""
          <p><a href="https://www.contoso.com/spring">See the spring range</a>
          <a href="https://www.contoso.com/spring" aria-label="More about the spring range">More</a>
          <a href="https://www.contoso.com/blog">Read more</a></p>
          """#)),
    ],
    placeholders: ["text"],
    tags: ["links", "accessibility", "checklist"])

  static let defaultPhrases = [
    "click here", "click", "here", "more", "this", "link", "this link", "tap here", "go",
  ]

  let phrases: Set<String>
  /// The most letters and digits any phrase has: a link text with more ASCII ones than this is
  /// none of them, whatever its case or punctuation, and is not normalised at all.
  let maximumPhraseAlphanumerics: Int

  public static let phrasesOption = RuleOption(
    "phrases", default: defaultPhrases,
    help:
      "Link texts (compared without case, punctuation or extra spaces) that say nothing of the destination.")

  public init(options: RuleOptions) {
    phrases = Set(options[Self.phrasesOption].map(Self.normalised))
    maximumPhraseAlphanumerics = phrases.map { $0.unicodeScalars.count { $0 != " " } }.max() ?? 0
  }

  /// Whether `text` has more ASCII letters and digits than `limit`. Each stays one letter or digit
  /// when `normalised` lowercases the text (other scalars may add some, never remove one), so a
  /// text past the limit normalises to something longer than every phrase.
  static func hasMoreASCIIAlphanumerics(_ text: String, than limit: Int) -> Bool {
    var count = 0
    for byte in text.utf8 where (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte >= 0x30 && byte <= 0x39
    {
      count += 1
      if count > limit { return true }
    }
    return false
  }

  /// Lowercased words, punctuation and symbols dropped, single spaces.
  static func normalised(_ text: String) -> String {
    let kept = text.lowercased().unicodeScalars.map {
      $0.properties.isAlphabetic || $0.properties.numericType != nil ? Character($0) : " "
    }
    return String(kept).split(separator: " ").joined(separator: " ")
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    inventory.links.compactMap { link in
      guard link.kind == .a, !link.fromText, !link.hidden, link.accessibleLabel == nil,
        !Self.hasMoreASCIIAlphanumerics(link.text, than: maximumPhraseAlphanumerics)
      else { return nil }
      let name = ([link.text] + link.imageAltTexts.map(\.text) + link.shownImageAltTexts).joined(
        separator: " ")
      if Self.hasMoreASCIIAlphanumerics(name, than: maximumPhraseAlphanumerics) { return nil }
      let key = Self.normalised(name)
      guard !key.isEmpty, phrases.contains(key) else { return nil }
      let shown = name.trimmingASCIIWhitespace().escapedForDisplay
      return Hit(
        range: link.range,
        message:
          "link text \"\(shown)\" does not say where the link goes (it reads as \"\(shown)\" in a screen reader's list of links)",
        help:
          "write the destination or action into the link text, e.g. \"See the spring range\" instead of \"\(shown)\"",
        evidence: "non-descriptive|\(key)", placeholders: ["text": shown])
    }
  }
}
