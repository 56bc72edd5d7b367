import SendlintCore
import SendlintInventory
import SendlintMIME
import SendlintURL

/// `identity/display-name-brand`: the From display name names the brand, the address is not the brand's.
public struct DisplayNameBrand: Rule {
  public static let metadata = RuleMetadata(
    id: "identity/display-name-brand",
    summary: "The From display name names the brand, but the address is outside brand.sending_domains.",
    defaultSeverity: .warning,
    whatItDoes: """
      Reads the display name of every From address: when it contains `brand.name` (as one word or \
      consecutive words, `PayPal` or `Pay Pal`) or one of its distinctive words (four letters or more, \
      not a generic word such as *Bank*, *Group*, *Security*, *Support*), compared by UTS #39 skeleton \
      so `PayPaI` with a capital I counts, and the address's domain is not in `brand.sending_domains` \
      (or, when none are declared, not under `brand.domains`), it is reported.
      """,
    whyIsThisBad: """
      Most clients show the display name and hide the address, so display-name impersonation is the \
      commonest phishing disguise — and a brand whose own mail comes from an undeclared address \
      (an ESP's default, a vendor's domain) looks exactly like it. Gmail and Microsoft flag such mail \
      as possible impersonation, and readers trained to check the sender cannot tell it from a forgery.
      """,
    example: "```\nFrom: Contoso Security <alerts@contoso-notify.example>\n```",
    useInstead:
      "Send with an address on a declared sending domain (`alerts@contoso.com`), or declare the domain in `brand.sending_domains` once it is authenticated for the brand.",
    references: [
      "RFC 5322 §3.4 (display names)", "M3AAWG, 'Sender Best Common Practices' (sender identification)",
      "Google Workspace admin help: protection against display-name spoofing of employees and brands",
    ],
    examples: [
      RuleExample(
        "the brand's name on an ESP's address", flagged: true,
        .eml("From: Contoso Security <«alerts@contoso-notify.example>\nSubject: s\n\nx\n")),
      RuleExample(
        "a distinctive word of a longer brand name, by skeleton", flagged: true,
        .eml("From: \"Fabrikarn Support\" <«help@mailer.example>\nSubject: s\n\nx\n"),
        policy: "brand:\n  name: Fabrikam Bank\n"),
      RuleExample(
        "the brand's name on a declared sending domain", flagged: false,
        .eml("From: Contoso Security <alerts@news.contoso.com>\nSubject: s\n\nx\n")),
      RuleExample(
        "only a generic word of the brand's name", flagged: false,
        .eml("From: City Bank Support <help@citybank.example>\nSubject: s\n\nx\n"),
        policy: "brand:\n  name: Fabrikam Bank\n"),
    ],
    placeholders: ["name", "address", "domain"],
    tags: ["identity", "phishing"],
    needs:
      "brand.name, and brand.sending_domains or brand.domains, in the policy; a From field with a display name"
  )

  /// Words too common in company names to identify one.
  static let genericWords: Set<String> = [
    "the", "and", "of", "for", "bank", "banking", "group", "inc", "ltd", "llc", "plc", "gmbh", "corp",
    "corporation",
    "company", "co", "services", "service", "online", "mail", "email", "news", "newsletter", "team",
    "support", "help",
    "security", "secure", "international", "global", "national", "first", "united", "american", "general",
    "digital",
    "systems", "solutions", "media", "store", "shop", "club", "direct", "financial", "finance", "insurance",
    "health",
    "care", "energy", "airlines", "post", "express", "capital", "trust", "credit", "union", "federal",
    "savings",
    "community", "customer", "account", "accounts", "info", "notification", "notifications", "official",
    "department",
    "government", "technologies", "technology", "software", "network", "networks", "holdings", "partners",
  ]

  public init(options: RuleOptions) {}

  /// Lowercased skeletons of a text's words (letters and digits; everything else separates).
  static func words(_ text: String) -> [String] {
    var words: [String] = []
    var current = String.UnicodeScalarView()
    func flush() {
      if !current.isEmpty { words.append(Confusables.skeleton(String(current)).lowercased()) }
      current = String.UnicodeScalarView()
    }
    for scalar in text.unicodeScalars {
      if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
        current.append(scalar)
      } else {
        flush()
      }
    }
    flush()
    return words
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    let brand = context.brand
    guard let name = brand.name, !brand.sendingDomains.isEmpty || !brand.domains.isEmpty else { return [] }
    let nameWords = Self.words(name)
    let whole = nameWords.joined()
    let distinctive = nameWords.filter { $0.count >= 4 && !Self.genericWords.contains($0) }
    guard !whole.isEmpty else { return [] }
    var hits: [Hit] = []
    for identity in inventory.from {
      guard let display = identity.mailbox.displayName, let domain = identity.mailbox.domain else { continue }
      let declared = brand.sendingDomains.isEmpty ? brand.isOwned(domain) : brand.isSendingDomain(domain)
      guard !declared else { continue }
      let shown = Self.words(display)
      // The whole name as consecutive words, or one distinctive word of it.
      var named = false
      for start in shown.indices where !named {
        var joined = ""
        for word in shown[start...] {
          joined += word
          if joined == whole { named = true }
          if joined.count >= whole.count { break }
        }
      }
      if !named { named = shown.contains(where: distinctive.contains) }
      guard named else { continue }
      let file = identity.range.file
      var range = identity.range
      if let found = file.bytes[identity.range.start..<identity.range.end].firstRange(
        of: Array(identity.mailbox.address.utf8))
      {
        range = SourceRange(file: file, start: found.lowerBound, end: found.upperBound)
      }
      let allowed =
        brand.sendingDomains.isEmpty
        ? "under brand.domains (\(brand.domains.joined(separator: ", ")))"
        : "in brand.sending_domains (\(brand.sendingDomains.joined(separator: ", ")))"
      hits.append(
        Hit(
          range: range,
          message:
            "From display name \"\(display.escapedForDisplay)\" names the brand \(name.escapedForDisplay), but the address \(identity.mailbox.address.escapedForDisplay) is on \(domain.escapedForDisplay), which is not \(allowed); readers and filters will take it for impersonation",
          help:
            "send from an address on \(brand.sendingDomains.first ?? brand.domains.first ?? "a brand domain"), or add \(domain.escapedForDisplay) to brand.sending_domains once it is authenticated for the brand",
          evidence: "\(whole)|\(domain)",
          placeholders: ["name": display, "address": identity.mailbox.address, "domain": domain]))
    }
    return hits
  }
}
