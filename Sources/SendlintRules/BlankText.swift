import SendlintCore
import SendlintInventory

/// `link/blank-text`: links a screen reader can only call "link".
public struct BlankText: Rule {
  public static let metadata = RuleMetadata(
    id: "link/blank-text",
    summary: "A link has no accessible name: no visible text, no image alt text, no aria-label.",
    defaultSeverity: .warning,
    whatItDoes: """
      Flags `<a>` and `<area>` links with no visible text, no non-empty `alt` on an image inside them \
      (or on the `<area>`), and no `aria-label`, `aria-labelledby` or `title`. Text hidden by CSS does \
      not count; hidden links and links in text parts are left out.
      """,
    whyIsThisBad: """
      A screen reader announces such a link as "link" or reads out its URL, so the reader cannot tell \
      where it goes; the usual cause is a linked image with `alt=""` or no alt, or an icon drawn by CSS.
      """,
    example:
      "```html\n<a href=\"https://www.contoso.com/sale\"><img src=\"https://www.contoso.com/sale.png\" alt=\"\"></a>\n```",
    useInstead: """
      Say where the link goes: `<img … alt="Shop the spring sale">`, link text, or \
      `aria-label="Shop the spring sale"`.
      """,
    references: [
      "WCAG 2.2 SC 2.4.4 Link Purpose (In Context), Level A",
      "WCAG 2.2 SC 4.1.2 Name, Role, Value, Level A; Technique F89 (a link's only content is an image without alt)",
    ],
    examples: [
      RuleExample(
        "a linked image with empty alt", flagged: true,
        .html(
          #"<p><a href="«https://www.contoso.com/sale"><img src="https://www.contoso.com/sale.png" alt=""></a></p>"#
        )),
      RuleExample(
        "a link with no content", flagged: true,
        .html(#"<p>Follow us <a href="«https://www.contoso.com/social"></a></p>"#)),
      RuleExample(
        "a link whose only text is hidden", flagged: true,
        .html(#"<p><a href="«https://www.contoso.com/sale"><span style="display:none">Sale</span></a></p>"#)),
      RuleExample(
        "a linked logo in a font-size:0 cell (the image shows, its alt names the link)", flagged: false,
        .html(
          #"<table role="presentation"><tr><td style="font-size:0px"><a href="https://www.contoso.com/"><img src="https://www.contoso.com/logo.png" alt="Contoso" style="display:block;font-size:0px"></a></td></tr></table>"#
        )),
      RuleExample(
        "text, alt text and aria-label", flagged: false,
        .html(
          #"""
          <p><a href="https://www.contoso.com/sale">Shop the sale</a>
          <a href="https://www.contoso.com/"><img src="https://www.contoso.com/logo.png" alt="Contoso home"></a>
          <a href="https://www.contoso.com/social" aria-label="Contoso on social media"><span class="icon"></span></a></p>
          """#)),
    ],
    placeholders: ["href"],
    tags: ["links", "accessibility", "checklist"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    inventory.links.compactMap { link in
      guard link.kind == .a || link.kind == .area, !link.fromText, !link.hidden,
        !link.text.containsNonASCIIWhitespace, link.accessibleLabel == nil,
        !link.imageAltTexts.contains(where: { $0.text.containsNonASCIIWhitespace }),
        link.shownImageAltTexts.isEmpty
      else { return nil }
      let what = !link.hiddenText.containsNonASCIIWhitespace ? "no visible text" : "only hidden text"
      return Hit(
        range: link.range,
        message:
          "link to \"\(String(link.href.prefix(100)).escapedForDisplay)\" has \(what), no image alt text and no aria-label: a screen reader announces it only as \"link\"",
        help: "give the link text, a non-empty alt on its image, or aria-label=\"…\" saying where it goes",
        evidence: "blank|\(link.url?.href ?? link.href)", placeholders: ["href": link.href])
    }
  }
}
