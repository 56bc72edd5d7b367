import SendlintCore
import SendlintInventory
import SendlintURL

/// `link/lookalike-domain`: a host made to look like one of the brand's domains.
public struct LookalikeDomain: Rule {
  public static let metadata = RuleMetadata(
    id: "link/lookalike-domain",
    summary:
      "A link or image host is confusable with a brand domain, a typo or combosquat of it, embeds it, or mixes scripts.",
    defaultSeverity: .error,
    whatItDoes: """
      For every link and image host outside the brand's domains, compares its registrable domain with \
      each of `brand.domains`: the same UTS #39 confusable skeleton (`rnicrosoft.com`, `micrоsoft.com` \
      with a Cyrillic о); an edit distance of at most `max_distance`, between the domains as written or \
      between their skeletons, a swap of neighbours counting as one edit (`microsofts.com`, \
      `micosoft.com`, `paypla.com`, Cyrillic `аррӏе.com` whose skeleton `appie.corn` is one edit from \
      `apple.corn`); the brand domain embedded as labels of another domain (`microsoft.com.evil.example`); \
      and combosquats — the brand's name (its domain's label, or `brand.name` in letters and digits) as a \
      label or hyphenated word of another domain (`paypal-secure.com`, `paypal-com.evil.example`, \
      `paypal.evil.example`; not `paypal.de`, which brands own), in mail whose From is outside \
      `brand.domains` (in the brand's own mail such hosts are nearly always its own campaign domains or \
      its ESP's, and `link/off-brand-host` asks for them to be declared). Names shorter than four letters are not measured or looked \
      for. Hosts the policy accepts (owned, tracking, vendor and allowed hosts) are not judged. Also \
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
      maximumDistanceOption.spec,
      combosquatsOption.spec,
    ],
    examples: [
      RuleExample("rn for m", flagged: true, .html(#"<a href="https://«www.c0ntoso.com/">Your account</a>"#)),
      RuleExample(
        "a Cyrillic o", flagged: true, .html("<a href=\"https://«www.cont\u{043E}so.com/\">Your account</a>")),
      RuleExample(
        "the brand embedded in another domain", flagged: true,
        .html(#"<a href="https://«contoso.com.account-check.example/">Verify</a>"#)),
      RuleExample(
        "a one-letter typo", flagged: true, .html(#"<img src="https://«contosso.com/logo.png" alt="">"#)),
      RuleExample(
        "two letters swapped", flagged: true, .html(#"<a href="https://«www.contsoo.com/">Your account</a>"#)),
      RuleExample(
        "Cyrillic letters one edit from the brand, by skeleton", flagged: true,
        .html("<a href=\"https://«\u{0430}\u{0440}\u{0440}\u{04CF}\u{0435}.com/\">Your account</a>"),
        policy: "brand:\n  domains: [apple.com]\n"),
      RuleExample(
        "the brand's name with another word", flagged: true,
        .eml(
          "From: Contoso Support <support@account-check.example>\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://«contoso-secure.com/login\">Sign in</a>\n"
        )),
      RuleExample(
        "the brand's domain as a hyphenated label", flagged: true,
        .eml(
          "From: Contoso Support <support@account-check.example>\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://«contoso-com.account-check.example/\">Verify</a>\n"
        )),
      RuleExample(
        "the brand's name as a subdomain of another domain", flagged: true,
        .eml(
          "From: Contoso Support <support@account-check.example>\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://«contoso.account-check.example/\">Verify</a>\n"
        )),
      RuleExample(
        "the brand's name under another suffix", flagged: false,
        .eml(
          "From: Contoso Support <support@account-check.example>\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://www.contoso.de/\">Deutschland</a>\n"
        )),
      RuleExample(
        "the brand's name with another word, from brand.name", flagged: true,
        .eml(
          "From: Contoso Support <support@account-check.example>\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://«login-fabrikam.example/\">Sign in</a>\n"
        ), policy: "brand:\n  name: Fabrikam\n  domains: [fabrikam-bank.example]\n"),
      RuleExample(
        "a hyphenated brand domain inside another", flagged: true,
        .eml(
          "From: Contoso Support <support@account-check.example>\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://«fabrikam-bank-login.example/\">Sign in</a>\n"
        ), policy: "brand:\n  domains: [fabrikam-bank.example]\n"),
      RuleExample(
        "a name that only contains the brand's", flagged: false,
        .eml(
          "From: Contoso Support <support@account-check.example>\nSubject: s\nContent-Type: text/html\n\n<a href=\"https://www.contosofoods.example/\">Partner</a> <a href=\"https://www.cont.example/\">Cont</a>\n"
        )),
      RuleExample(
        "in the brand's own mail, its ESP's host named after it", flagged: false,
        .html(#"<a href="https://contoso.us3.list-manage.example/track/click?u=1">Read</a>"#)),
      RuleExample(
        "the brand's own hosts", flagged: false,
        .html(#"<a href="https://help.contoso.com/">Help</a> <img src="https://www.contoso.com/a.png">"#)),
      RuleExample(
        "an unrelated domain", flagged: false, .html(#"<a href="https://www.fabrikam.example/">Partner</a>"#)),
    ],
    placeholders: ["host", "brand_domain"],
    tags: ["phishing", "links"],
    needs: "brand.domains in the policy; the edit-distance check also needs the Public Suffix List")

  let maximumDistance: Int
  let combosquats: Bool

  public static let maximumDistanceOption = RuleOption(
    "max_distance", default: 1, range: 0...3,
    help:
      "Largest edit distance (between registrable domains, as written or as UTS #39 skeletons; a swap of neighbours is one edit) that counts as a lookalike; 0 turns the check off."
  )
  public static let combosquatsOption = RuleOption(
    "combosquats", default: true,
    help:
      "Also flag hosts that use the brand's name as a label or hyphenated word of another domain (`contoso-secure.com`, `contoso.evil.example`)."
  )

  public init(options: RuleOptions) {
    maximumDistance = options[Self.maximumDistanceOption]
    combosquats = options[Self.combosquatsOption]
  }

  /// Brand names shorter than this are not looked for inside other names (`hp`, `bt`, `ibm` occur
  /// in too many unrelated words and hosts), nor measured by edit distance.
  static let minimumNameLength = 4

  /// One brand domain, prepared once per draft.
  struct Mark {
    let domain: String
    /// The skeleton of the domain as shown (Unicode).
    let skeleton: String
    /// The domain's label before its public suffix (`paypal` of `paypal.co.uk`), and its skeleton.
    let label: String
    let labelSkeleton: String
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    let brandDomains = context.brand.domains.map(HostName.normalise)
    var hits: [Hit] = []
    var targets: [(host: String, range: SourceRange)] = inventory.links.compactMap { link in
      link.host.map { ($0, link.hostRange) }
    }
    targets += inventory.images.compactMap { image in
      image.addedByOpenTracking ? nil : image.host.map { ($0, image.hostRange) }
    }
    let marks: [Mark] = brandDomains.map { domain in
      let label = Self.labels(beforeSuffixOf: domain, context.suffixes).last ?? domain
      return Mark(
        domain: domain, skeleton: Self.skeleton(Host.domain(domain).displayName), label: label,
        labelSkeleton: Self.skeleton(Host.domain(label).displayName).filter { $0 != "-" })
    }
    // The brand's name, letters and digits only (`Bank of Contoso` → `bankofcontoso`), looked for
    // like a domain label.
    let nameSkeleton: (String, String)? = context.brand.name.map { name in
      (
        Self.skeleton(
          String(
            String.UnicodeScalarView(
              name.lowercased().unicodeScalars.filter {
                $0.properties.isAlphabetic || ("0"..."9").contains($0)
              }))), name
      )
    }
    // Brands register combinations of their name (`media-amazon.com`, `contoso-rewards.com`) and
    // ESPs host them under it (`contoso.us3.list-manage.com`), so in the brand's own mail — From
    // under brand.domains, or no From (a template) — a combination is taken to be one of those and
    // left to link/off-brand-host; in mail whose From is not the brand's it is a combosquat.
    // Measured on the legitimate corpora (docs/decisions.md, "Identity and signing").
    let ownMail =
      inventory.from.isEmpty
      || inventory.from.contains { $0.mailbox.domain.map(context.brand.isOwned) ?? false }
    // A newsletter's links share a few hosts: each host's display form and first mixed-script
    // label are worked out once per draft.
    var scriptFacts: [String: (display: String, mixedLabel: String?)] = [:]
    for (host, range) in targets {
      // Mixed scripts in any label, brand or not.
      let facts: (display: String, mixedLabel: String?)
      if let known = scriptFacts[host] {
        facts = known
      } else {
        let display = Host.domain(host).displayName
        facts = (
          display,
          display.split(separator: ".").first(where: { Scripts.isMixed(String($0)) }).map(String.init)
        )
        scriptFacts[host] = facts
      }
      let display = facts.display
      if let label = facts.mixedLabel {
        hits.append(
          Hit(
            range: range,
            message:
              "host \(display.escapedForDisplay) mixes scripts in the label \"\(String(label).escapedForDisplay)\" (shown to people as it is, written \(host.escapedForDisplay))",
            help: "use a host whose labels are each in one script", evidence: "mixed|\(host)",
            placeholders: ["host": host]))
        continue
      }
      guard !marks.isEmpty, IPAddress(host) == nil, !context.brand.isOwned(host),
        !context.brand.isTrackingDomain(host),
        context.brand.vendor(operating: host) == nil, !context.brand.isAllowed(host)
      else { continue }
      let registrable = context.suffixes?.registrableDomain(of: host)
      let displayRegistrable = registrable.map { Host.domain($0).displayName }
      let registrableSkeleton = displayRegistrable.map(Self.skeleton)
      let labels = host.split(separator: ".").map(String.init)
      judging: for mark in marks {
        let brand = mark.domain
        if let registrable, let registrableSkeleton, registrable != brand,
          registrableSkeleton == mark.skeleton
        {
          hits.append(lookalike(host, brand, "looks like", range))
          break
        }
        // Edit distance, between the domains as written and between their UTS #39 skeletons (so
        // Cyrillic `аррӏе.com`, skeleton `appie.corn`, is one edit from `apple.com`), counting a
        // swap of two neighbours as one edit (`paypla.com`).
        if let registrable, let registrableSkeleton, maximumDistance > 0, registrable != brand,
          mark.label.count >= Self.minimumNameLength
        {
          let written = Suggestion.typoDistance(registrable, brand, limit: maximumDistance)
          let shown = Suggestion.typoDistance(registrableSkeleton, mark.skeleton, limit: maximumDistance)
          if min(written, shown) <= maximumDistance {
            let edits = min(written, shown)
            let relation =
              written <= maximumDistance
              ? (edits == 1 ? "is one typo away from" : "is \(edits) typos away from")
              : "is \(edits == 1 ? "one edit" : "\(edits) edits") from (once confusable characters are read as what they look like)"
            hits.append(lookalike(host, brand, relation, range))
            break
          }
        }
        let brandLabels = brand.split(separator: ".").map(String.init)
        if labels.count > brandLabels.count + 1,
          (0..<(labels.count - brandLabels.count)).contains(where: {
            Array(labels[$0..<($0 + brandLabels.count)]) == brandLabels
          })
        {
          hits.append(lookalike(host, brand, "embeds", range))
          break
        }
        // Combosquats: the brand's name as a label or hyphen-separated word of another domain's
        // labels (`paypal-secure.com`, `paypal-com.evil.example`, `paypal.evil.example`).
        guard combosquats, !ownMail else { continue }
        // The name alone as the registrable label under another suffix (`contoso.de`, `amazon.co.uk`)
        // is not flagged: measured on the corpora, nearly all such hosts were the brands' own
        // country domains (docs/decisions.md, "Identity and signing").
        let names =
          [(mark.labelSkeleton, Host.domain(mark.label).displayName)] + (nameSkeleton.map { [$0] } ?? [])
        let before = Self.labels(beforeSuffixOf: host, context.suffixes)
        for (index, label) in before.enumerated() {
          let words = Host.domain(label).displayName.split(separator: "-").map { Self.skeleton(String($0)) }
          if index == before.count - 1, names.contains(where: { $0.0 == words.joined() }) { continue }
          for (name, shown) in names where name.count >= Self.minimumNameLength {
            if Self.containsRun(words, joinedAs: name) {
              hits.append(
                lookalike(
                  host, brand,
                  "combines the brand's name \"\(shown.escapedForDisplay)\" with other words, like", range))
              break judging
            }
          }
        }
      }
    }
    return hits
  }

  /// Whether consecutive words, joined, spell `name`.
  static func containsRun(_ words: [String], joinedAs name: String) -> Bool {
    for start in words.indices {
      var joined = ""
      for word in words[start...] {
        joined += word
        if joined == name { return true }
        if joined.count >= name.count { break }
      }
    }
    return false
  }

  /// The labels of `host` before its public suffix (all but the last when no list is loaded).
  static func labels(beforeSuffixOf host: String, _ suffixes: PublicSuffixList?) -> [String] {
    let labels = host.split(separator: ".").map(String.init)
    let suffixCount = suffixes?.publicSuffix(of: host).map { $0.split(separator: ".").count } ?? 1
    return Array(labels.dropLast(min(suffixCount, labels.count)))
  }

  /// The UTS #39 skeleton, lowercased (skeletons keep case: `PayPaI` → `PayPal`).
  /// Memoised: ICU's skeleton is the costly step, and hosts and brand names repeat.
  static func skeleton(_ text: String) -> String {
    skeletons.value(for: text) { Confusables.skeleton(text).lowercased() }
  }
  private static let skeletons = HostFactsCache<String, String>()

  private func lookalike(_ host: String, _ brand: String, _ relation: String, _ range: SourceRange) -> Hit {
    let display = Host.domain(host).displayName
    let shown = display.escapedForDisplay + (display != host ? " (\(host.escapedForDisplay))" : "")
    return Hit(
      range: range,
      message: "host \(shown) \(relation) the brand domain \(brand) but is not the brand's",
      help:
        "link to \(brand) itself; if this host is the brand's, add its domain to brand.domains (a vendor's: to that vendor's hosts, another accepted one: to brand.allowed_hosts)",
      evidence: "\(host)|\(brand)", placeholders: ["host": host, "brand_domain": brand])
  }
}
