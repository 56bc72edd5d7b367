import SendlintCore
import SendlintInventory
import SendlintURL

/// `link/lookalike-domain`: a host made to look like one of the brand's domains.
public struct LookalikeDomain: Rule {
  public static let metadata = RuleMetadata(
    id: "link/lookalike-domain",
    summary: "A link or image host is confusable with a brand domain, embeds it, or mixes scripts.",
    defaultSeverity: .error,
    whatItDoes: """
      For every link and image host outside the brand's domains, compares its registrable domain with \
      each of `brand.domains`: the same UTS #39 confusable skeleton (`rnicrosoft.com`, `micrоsoft.com` \
      with a Cyrillic о), an edit distance of at most `max_distance` (`microsofts.com`, `micosoft.com`), \
      or the brand domain embedded as labels of another domain (`microsoft.com.evil.example`). Also \
      flags any host label that mixes scripts (Latin with Cyrillic or Greek), which UTS #39 calls \
      highly restrictive.
      """,
    whyIsThisBad: """
      Lookalike domains are the oldest phishing trick. A brand's own mail that links to one — a typo in \
      a template, a partner's vanity domain — trains customers to accept them, and filters that watch \
      for them (Gmail's, Microsoft's) score the mail as impersonation.
      """,
    example: """
      ```html
      <a href="https://www.rnicrosoft.com/update">Update now</a>
      ```
      """,
    useInstead: "Link to the brand's real domain; register typo domains defensively but never send to them.",
    references: [
      "Unicode Technical Standard #39 §4 (confusable detection) and §5.2 (restriction levels)",
      "ICANN SSAC SAC 084 (confusable domain names)",
    ],
    options: [
      OptionSpec(name: "max_distance", kind: .int(0...3), defaultValue: .int(1), help: "Largest edit distance (between registrable domains) that counts as a lookalike; 0 turns the check off."),
    ],
    examples: [
      RuleExample("rn for m", flagged: true, .html(#"<a href="https://«www.c0ntoso.com/">Your account</a>"#)),
      RuleExample("a Cyrillic o", flagged: true, .html("<a href=\"https://«www.cont\u{043E}so.com/\">Your account</a>")),
      RuleExample("the brand embedded in another domain", flagged: true, .html(#"<a href="https://«contoso.com.account-check.example/">Verify</a>"#)),
      RuleExample("a one-letter typo", flagged: true, .html(#"<img src="https://«contosso.com/logo.png" alt="">"#)),
      RuleExample("the brand's own hosts", flagged: false, .html(#"<a href="https://help.contoso.com/">Help</a> <img src="https://www.contoso.com/a.png">"#)),
      RuleExample("an unrelated domain", flagged: false, .html(#"<a href="https://www.fabrikam.example/">Partner</a>"#)),
    ],
    placeholders: ["host", "brand_domain"],
    tags: ["phishing", "links"],
    needs: "brand.domains in the policy; the edit-distance check also needs the Public Suffix List")

  let maximumDistance: Int

  public init(options: RuleOptions) {
    maximumDistance = options.int("max_distance", default: 1)
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    let brandDomains = context.brand.domains.map(HostName.normalise)
    var hits: [Hit] = []
    var targets: [(host: String, range: SourceRange)] = inventory.links.compactMap { link in link.host.map { ($0, link.hostRange) } }
    targets += inventory.images.compactMap { image in image.addedByOpenTracking ? nil : image.host.map { ($0, image.hostRange) } }
    var skeletons: [String: String] = [:]
    for domain in brandDomains { skeletons[domain] = Confusables.skeleton(Host.domain(domain).displayName) }
    for (host, range) in targets {
      // Mixed scripts in any label, brand or not.
      let display = Host.domain(host).displayName
      if let label = display.split(separator: ".").first(where: { Scripts.isMixed(String($0)) }) {
        hits.append(Hit(
          range: range, message: "host \(display) mixes scripts in the label \"\(label)\" (shown to people as it is, written \(host))",
          help: "use a host whose labels are each in one script", evidence: "mixed|\(host)", placeholders: ["host": host]))
        continue
      }
      guard !brandDomains.isEmpty, !context.brand.isOwned(host), !context.brand.isTrackingDomain(host) else { continue }
      let registrable = context.suffixes?.registrableDomain(of: host)
      let displayRegistrable = registrable.map { Host.domain($0).displayName }
      for brand in brandDomains {
        if let registrable, let displayRegistrable, registrable != brand,
          Confusables.skeleton(displayRegistrable) == skeletons[brand]
        {
          hits.append(lookalike(host, brand, "looks like", range))
          break
        }
        if let registrable, maximumDistance > 0, registrable.count >= 5,
          Suggestion.editDistance(registrable, brand) <= maximumDistance
        {
          hits.append(lookalike(host, brand, "is one typo away from", range))
          break
        }
        let labels = host.split(separator: ".").map(String.init)
        let brandLabels = brand.split(separator: ".").map(String.init)
        if labels.count > brandLabels.count + 1,
          (0..<(labels.count - brandLabels.count)).contains(where: { Array(labels[$0..<($0 + brandLabels.count)]) == brandLabels })
        {
          hits.append(lookalike(host, brand, "embeds", range))
          break
        }
      }
    }
    return hits
  }

  private func lookalike(_ host: String, _ brand: String, _ relation: String, _ range: SourceRange) -> Hit {
    let display = Host.domain(host).displayName
    return Hit(
      range: range,
      message: "host \(display)\(display != host ? " (\(host))" : "") \(relation) the brand domain \(brand) but is not the brand's",
      help: "link to \(brand) itself; if this domain is the brand's, add it to brand.domains",
      evidence: "\(host)|\(brand)", placeholders: ["host": host, "brand_domain": brand])
  }
}
