import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `link/insecure`: plain `http:` links.
public struct Insecure: Rule {
  public static let metadata = RuleMetadata(
    id: "link/insecure",
    summary: "A link uses plain http: instead of https:.",
    defaultSeverity: .warning,
    categorySeverities: ["security-notice": .error],
    whatItDoes: "Flags `http:` links in HTML (`a`, `area`, VML, forms) and URLs in text parts.",
    whyIsThisBad: """
      An http link can be rewritten on the way (public Wi-Fi, captive portals) and browsers mark its \
      page as not secure; a security notice that sends customers to an insecure page undoes its own advice.
      """,
    example: "```html\n<a href=\"http://www.microsoft.com/security/\">Security</a>\n```",
    useInstead: "Use `https:` for every link.",
    references: [
      "RFC 8996 context: HTTPS everywhere; Chrome 'Not secure' labelling since 2018",
      "M3AAWG Sender BCP v3 §3.7",
    ],
    examples: [
      RuleExample(
        "an http link", flagged: true, .html(#"<a href="«http://www.contoso.com/">Home</a>"#),
        message: #"link "http://www.contoso.com/" uses plain http"#),
      RuleExample(
        "an http URL in a text part", flagged: true, .text("See «http://www.contoso.com/update now.\n")),
      RuleExample(
        "https and mailto", flagged: false,
        .html(#"<a href="https://www.contoso.com/">Home</a> <a href="mailto:help@contoso.com">Mail us</a>"#)),
    ],
    placeholders: ["url"],
    tags: ["links", "transport"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    // A draft repeats a URL (the same link in every part): its texts are made once.
    var texts = SharedHitTexts()
    return inventory.links.compactMap { link in
      guard link.kind != .background, link.kind != .css, let url = link.url, url.scheme == "http" else {
        return nil
      }
      // A bare www.host in text is linked as http by clients; only a written http: counts.
      if link.fromText, !link.href.lowercased().hasPrefix("http:") { return nil }
      let href = url.href
      return texts.hit(at: link.range, key: "\(link.href)\u{1F}\(href)") {
        Hit(
          range: nil, message: "link \"\(link.href)\" uses plain http",
          help: "use https://\(href.dropFirst("http://".count))", evidence: href,
          placeholders: ["url": href])
      }
    }
  }
}
