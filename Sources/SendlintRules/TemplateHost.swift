import SendlintCore
import SendlintInventory

/// `link/template-host`: a merge tag stands where the link's host should be.
public struct TemplateHost: Rule {
  public static let metadata = RuleMetadata(
    id: "link/template-host",
    summary: "A link's host is a merge tag, so where it goes cannot be checked before sending.",
    defaultSeverity: .warning,
    whatItDoes: """
      Flags links whose host part is an unresolved merge tag (`{{url}}`, `*|LINK|*`, `%%link%%`, `${url}`) \
      that the campaign's `variables` do not give a value for. Tags in the path or query are fine.
      """,
    whyIsThisBad: """
      Every link rule judges hosts. A link whose host is filled in at send time escapes all of them — and \
      a data feed that fills it with the wrong value sends customers somewhere nobody reviewed.
      """,
    example: """
      ```html
      <a href="{{offer_url}}">See the offer</a>
      ```
      """,
    useInstead: """
      Give the variable a representative value in the manifest so the link is checked:

      ```yaml
      variables: { offer_url: "https://www.contoso.com/offers/spring" }
      ```
      """,
    references: ["PRODUCT.md, 'Drafts': merge tags"],
    examples: [
      RuleExample(
        "a whole-URL merge tag", flagged: true, .html(#"<a href="«{{offer_url}}">See the offer</a>"#)),
      RuleExample(
        "a tag in the query is fine", flagged: false,
        .html(#"<a href="https://www.contoso.com/o?u={{id}}">See the offer</a>"#)),
      RuleExample(
        "a value from the manifest resolves it", flagged: false,
        .campaign(
          manifest: """
            campaign: spring
            category: marketing
            html: body.html
            variables: { offer_url: "https://www.contoso.com/offers" }
            """,
          html: #"<a href="{{offer_url}}">See the offer</a>"#, text: nil)),
    ],
    placeholders: ["tag"],
    tags: ["links", "templates"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    inventory.links.compactMap { link in
      guard let tag = link.unresolvedHostTag else { return nil }
      return Hit(
        range: link.range,
        message:
          "the host of link \"\(link.href)\" is the merge tag \"\(tag)\"; where it goes cannot be checked",
        help: "give \"\(tag)\" a representative value under `variables:` in the campaign manifest",
        evidence: tag, placeholders: ["tag": tag])
    }
  }
}
