import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `link/same-target`: several links show different addresses and all go to one place.
public struct SameTarget: Rule {
  public static let metadata = RuleMetadata(
    id: "link/same-target",
    summary: "Several links show different addresses but all go to one target.",
    defaultSeverity: .warning,
    whatItDoes: """
      Groups the links whose visible text shows an address by the URL the click actually requests \
      (after the send-time click rewrite, without its `#fragment`, which never reaches the server) and flags a group whose links show two or more different \
      addresses.
      """,
    whyIsThisBad: """
      The MS03-026 reminder showed three different microsoft.com addresses, and all three went to one \
      redirect on the vendor's host. Links that say different things and do the same thing are what \
      phishing looks like.
      """,
    example: """
      ```html
      <a href="http://email.microsoft.com/redirect.asp?HB41">http://windowsupdate.microsoft.com</a>
      <a href="http://email.microsoft.com/redirect.asp?HB41">http://www.microsoft.com/protect</a>
      ```
      """,
    useInstead: "Give each link its own target (an ESP must rewrite each link to its own tracked URL).",
    references: [
      "Microsoft Security Bulletin MS03-026 reminder (August 2003)", "RFC 3986 §7.6 (semantic attacks)",
    ],
    examples: [
      RuleExample(
        "two addresses, one redirect", flagged: true,
        .html(
          #"<a href="https://r.example/x?1">www.contoso.com/a</a> <a href="https://r.example/x?1">«help.contoso.com</a>"#
        )),
      RuleExample(
        "one click-tracking URL for every link", flagged: true,
        .campaign(
          manifest: """
            campaign: notice
            category: marketing
            html: body.html
            tracking:
              clicks: { enabled: true, domain: click.contoso.com, url: "https://click.contoso.com/r?id=7" }
            """,
          html:
            #"<a href="https://www.contoso.com/a">www.contoso.com/a</a> <a href="https://help.contoso.com/">«help.contoso.com</a>"#,
          text: nil)),
      RuleExample(
        "two addresses, one target, different fragments", flagged: true,
        .html(
          #"<a href="https://r.example/x#a">www.contoso.com/a</a> <a href="https://r.example/x#b">«help.contoso.com</a>"#
        )),
      RuleExample(
        "one page, two sections", flagged: false,
        .html(
          #"<a href="https://www.contoso.com/faq#a">www.contoso.com/faq</a> <a href="https://www.contoso.com/faq#b">www.contoso.com/faq</a>"#
        )),
      RuleExample(
        "the same address twice", flagged: false,
        .html(
          #"<a href="https://www.contoso.com/a">www.contoso.com/a</a> <a href="https://www.contoso.com/a">www.contoso.com/a</a>"#
        )),
    ],
    placeholders: ["target"],
    tags: ["phishing", "links"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    // Members are kept as indices into the inventory's links: a message can hold thousands.
    var groups: [String: [(index: Int, shown: String)]] = [:]
    var order: [String] = []
    let links = inventory.links
    for (index, link) in links.enumerated() where link.kind == .a || link.kind == .area || link.kind == .vml {
      // The fragment is not sent to the server: `page#a` and `page#b` are one target.
      guard let delivered = link.deliveredURL else { continue }
      let target = String(
        delivered.splitASCII(separator: UInt8(ascii: "#"), maxSplits: 1, omittingEmptySubsequences: false)[0])
      guard let shown = link.analysis.textURLs.first(where: { $0.form != .email })
      else { continue }
      let normalised = shown.text.lowercased().replacingOccurrences(of: "https://", with: "")
        .replacingOccurrences(of: "http://", with: "")
        .trimmingTrailingSlash()
      if groups[target] == nil { order.append(target) }
      groups[target, default: []].append((index, normalised))
    }
    var hits: [Hit] = []
    for target in order {
      guard let members = groups[target] else { continue }
      var seen: Set<String> = []
      let distinct = members.map(\.shown).filter { seen.insert($0).inserted }
      // Reported at the first link that shows a second address.
      guard distinct.count >= 2, let member = members.first(where: { $0.shown == distinct[1] }) else {
        continue
      }
      let second = links[member.index]
      let viaRewrite = second.rewrite != nil
      hits.append(
        Hit(
          range: second.textLocator.map { $0.range(0, second.text.utf8.count) } ?? second.range,
          message:
            "\(members.count) links show \(distinct.count) different addresses (\(distinct.joined(separator: ", "))) but all go to \(target)\(viaRewrite ? " after the click rewrite" : "")",
          help: viaRewrite
            ? "have the ESP rewrite each link to its own tracked URL (tracking.clicks.url needs {{url}})"
            : "point each link at the address it shows",
          evidence: "\(target)|\(distinct.sorted().joined(separator: ","))", placeholders: ["target": target])
      )
    }
    return hits
  }
}

extension String {
  func trimmingTrailingSlash() -> String {
    var text = self
    while text.hasSuffix("/") { text.removeLast() }
    return text
  }
}
