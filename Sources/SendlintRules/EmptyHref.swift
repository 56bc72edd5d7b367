import SendlintCore
import SendlintInventory
import SendlintURL

/// `link/empty-href`: links that go nowhere.
public struct EmptyHref: Rule {
  public static let metadata = RuleMetadata(
    id: "link/empty-href",
    summary:
      "A link goes nowhere: no href, an empty one, `#`, `javascript:`, `about:blank`, or a placeholder URL.",
    defaultSeverity: .warning,
    whatItDoes: """
      Flags `<a>`, `<area>` and VML links whose href is empty or blank, `#` alone, a `javascript:` or \
      `about:blank` URL, a scheme with nothing after it (`http://`, `mailto:`), or a placeholder left from \
      the template: a host under the reserved example domains (`example.com`, `example.net`, \
      `example.org`; not the `.example` top-level domain, which documentation and tests use for \
      hosts that merely must not resolve), or, when the manifest gives \
      `variables`, a merge tag standing for the whole href or its host (`{{unsubscribe_url}}`) with no \
      value among them. Also flags `<a>` elements with neither `href` nor `name`/`id`, which are not \
      links at all. Hidden links and links in text parts are left out.
      """,
    whyIsThisBad: """
      A recipient who clicks gets nothing, a blank tab, or a page that does not exist; mail clients \
      strip `javascript:` URLs, so the click does nothing in every inbox. It is the first thing a \
      pre-send checklist catches, and a call to action that goes nowhere costs the campaign its clicks.
      """,
    example: "```html\n<a href=\"#\">Shop the sale</a>\n```",
    useInstead:
      "Give every link its real destination: `<a href=\"https://www.contoso.com/sale\">Shop the sale</a>`.",
    references: [
      "HTML Living Standard §4.6.1 (the a element: without href it represents a placeholder, not a link)",
      "RFC 2606 §3 (example.com, example.net, example.org are reserved for documentation)",
      "Litmus Checklist, 'Links' (broken and empty links)",
    ],
    examples: [
      RuleExample("href=\"#\"", flagged: true, .html(##"<p><a href="«#">Shop the sale</a></p>"##)),
      RuleExample("an empty href", flagged: true, .html(##"<p><a href="«">Shop the sale</a></p>"##)),
      RuleExample(
        "a javascript: href", flagged: true,
        .html(##"<p><a href="«javascript:void(0)">Shop the sale</a></p>"##)),
      RuleExample("about:blank", flagged: true, .html(##"<p><a href="«about:blank">Shop</a></p>"##)),
      RuleExample(
        "a placeholder host", flagged: true,
        .html(##"<p><a href="«https://www.example.com/sale">Shop</a></p>"##)),
      RuleExample("a scheme alone", flagged: true, .html(##"<p><a href="«http://">Shop</a></p>"##)),
      RuleExample("an a with no href", flagged: true, .html("<p>«<a>Shop the sale</a></p>")),
      RuleExample(
        "an unfilled merge tag while variables are given", flagged: true,
        .campaign(
          manifest: """
            campaign: spring
            category: marketing
            html: body.html
            variables: { first_name: Ada }
            """,
          html: #"<p>Hi {{first_name}}. <a href="«{{unsubscribe_url}}">Unsubscribe</a></p>"#, text: nil)),
      RuleExample(
        "a merge tag with its value", flagged: false,
        .campaign(
          manifest: """
            campaign: spring
            category: marketing
            html: body.html
            variables: { unsubscribe_url: "https://www.contoso.com/u/1" }
            """,
          html: #"<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>"#, text: nil)),
      RuleExample(
        "real links, an in-page anchor and a named target", flagged: false,
        .html(
          ##"<p><a name="top"></a><a href="https://www.contoso.com/sale">Shop</a> <a href="#terms">Terms</a> <a href="mailto:help@contoso.com">Mail us</a></p>"##
        )),
      RuleExample(
        "a merge tag in a template without variables", flagged: false,
        .html(##"<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>"##)),
    ],
    placeholders: ["href"],
    tags: ["links", "checklist"])

  public init(options: RuleOptions) {}

  /// The reserved second-level example domains (RFC 2606 §3), the ones templates ship with.
  static let placeholderDomains = ["example.com", "example.net", "example.org"]

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    let variables = MergeVariables(inventory.variables)
    for link in inventory.links where link.kind == .a || link.kind == .area || link.kind == .vml {
      guard !link.fromText, !link.hidden, let reason = reason(link, variables: variables) else { continue }
      let shown = link.href.escapedForDisplay
      hits.append(
        Hit(
          range: link.range, message: "link \"\(linkText(link))\" has the href \"\(shown)\", which \(reason)",
          help: "give the link its real destination URL (https://…), or remove the link",
          evidence: "\(link.kind.rawValue)|\(link.href.trimmingASCIIWhitespace().lowercased())",
          placeholders: ["href": link.href]))
    }
    for body in inventory.htmlBodies {
      for anchor in body.facts.anchorsWithoutHref {
        hits.append(
          Hit(
            range: body.locator.range(anchor.start, anchor.end),
            message: "<a> element has no href: it is not a link, and clicking it does nothing",
            help: "add the destination as href=\"https://…\", or use <span> for text that is not a link",
            evidence: "no-href"))
      }
    }
    return hits
  }

  private func linkText(_ link: Link) -> String {
    let text = link.text.trimmingASCIIWhitespace()
    let shown = text.isEmpty ? (link.imageAltTexts.first?.text ?? "") : text
    return String(shown.prefix(60)).escapedForDisplay
  }

  /// Why the href goes nowhere, or nil when it goes somewhere.
  func reason(_ link: Link, variables: MergeVariables) -> String? {
    let href = link.href.trimmingASCIIWhitespace()
    let lowered = href.lowercased()
    if href.isEmpty { return "is empty: the click reloads or does nothing" }
    if href == "#" { return "points to the top of the message: the click goes nowhere" }
    if lowered.hasPrefix("javascript:") {
      return "runs script, which mail clients never do: the click does nothing"
    }
    if lowered == "about:blank" { return "opens a blank page" }
    if ["http:", "https:", "http://", "https://", "mailto:", "tel:"].contains(lowered) {
      return "has a scheme and nothing after it"
    }
    // A tag hiding the host (or the whole href) that the given variables do not fill stays a tag.
    if !variables.exact.isEmpty, let tag = link.unresolvedHostTag, variables.value(for: tag) == nil {
      return
        "keeps the merge tag \"\(tag.escapedForDisplay)\" where the URL should be, and the manifest's variables give it no value"
    }
    if let host = link.host,
      Self.placeholderDomains.contains(where: { host == $0 || host.hasSuffix("." + $0) })
    {
      return "is on the reserved placeholder domain \(host): the template's URL was never filled in"
    }
    return nil
  }
}
