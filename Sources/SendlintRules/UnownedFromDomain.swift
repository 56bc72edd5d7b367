import SendlintCore
import SendlintInventory
import SendlintMIME

/// `identity/unowned-from-domain`: the From domain is not one of the brand's sending domains.
public struct UnownedFromDomain: Rule {
  public static let metadata = RuleMetadata(
    id: "identity/unowned-from-domain",
    summary: "The From address's domain is not in brand.sending_domains.",
    defaultSeverity: .error,
    whatItDoes: "Checks every From address against `brand.sending_domains`, exactly: a vendor-delegated subdomain must be listed itself.",
    whyIsThisBad: """
      The From domain is what people and DMARC judge. A From the brand never declared is either a \
      mistake that will fail DMARC or a vendor speaking in the brand's name without permission.
      """,
    example: "```\nFrom: Contoso <news@contoso-mail.example>\n```",
    useInstead: "Send from a declared domain, or add the domain to `brand.sending_domains` after setting up its authentication.",
    references: ["RFC 5322 §3.6.2 (originator fields)", "RFC 7489 §3.1 (DMARC identifier alignment)", "CAN-SPAM Act, 15 U.S.C. §7704(a)(1) (accurate header information)"],
    examples: [
      RuleExample("an undeclared domain", flagged: true, .eml("From: Contoso <«news@contoso-mail.example>\nSubject: Hi\n\nHello.\n")),
      RuleExample("a declared sending domain", flagged: false, .eml("From: Contoso News <news@news.contoso.com>\nSubject: Hi\n\nHello.\n")),
    ],
    placeholders: ["address", "domain"],
    tags: ["identity", "authentication"],
    needs: "brand.sending_domains in the policy, and a From field")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    IdentityCheck.unowned(inventory.from, field: "From", brand: context.brand)
  }
}

/// `identity/unowned-reply-to`: replies would go to a domain the brand does not send from.
public struct UnownedReplyTo: Rule {
  public static let metadata = RuleMetadata(
    id: "identity/unowned-reply-to",
    summary: "The Reply-To address's domain is not in brand.sending_domains.",
    defaultSeverity: .error,
    whatItDoes: """
      Checks every Reply-To address against `brand.sending_domains`, exactly. A vendor-delegated \
      subdomain such as `email.microsoft.com` must be listed itself to pass.
      """,
    whyIsThisBad: """
      Replies carry customers' questions — and sometimes their data — to whoever runs that domain. \
      `Reply-To: windowssecurity@email.microsoft.com` sent replies to the vendor, not to Microsoft.
      """,
    example: "```\nReply-To: windowssecurity@email.microsoft.com\n```",
    useInstead: "Reply to an address on a declared sending domain, e.g. `Reply-To: security@microsoft.com`.",
    references: ["RFC 5322 §3.6.2 (Reply-To)", "Microsoft Security Bulletin MS03-026 reminder (2003)"],
    examples: [
      RuleExample(
        "a vendor-delegated subdomain", flagged: true,
        .eml("From: Contoso <news@contoso.com>\nReply-To: «replies@email.contoso.com\nSubject: Hi\n\nHello.\n")),
      RuleExample("a declared domain", flagged: false, .eml("From: Contoso <news@contoso.com>\nReply-To: help@contoso.com\nSubject: Hi\n\nHello.\n")),
    ],
    placeholders: ["address", "domain"],
    tags: ["identity"],
    needs: "brand.sending_domains in the policy, and a Reply-To field")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    IdentityCheck.unowned(inventory.replyTo, field: "Reply-To", brand: context.brand)
  }
}

enum IdentityCheck {
  static func unowned(_ identities: [Identity], field: String, brand: BrandFacts) -> [Hit] {
    guard !brand.sendingDomains.isEmpty else { return [] }
    return identities.compactMap { identity in
      guard let domain = identity.mailbox.domain, !brand.isSendingDomain(domain) else { return nil }
      let owned = brand.isOwned(domain)
      let vendor = brand.vendor(operating: domain)
      var detail = ""
      if let vendor { detail = ", a brand host operated by \(vendor.name)" } else if owned { detail = ", a brand domain not declared for sending" }
      // Point at the address inside the field.
      let file = identity.range.file
      let slice = file.bytes[identity.range.start..<identity.range.end]
      var range = identity.range
      if let found = slice.firstRange(of: Array(identity.mailbox.address.utf8)) {
        range = SourceRange(file: file, start: found.lowerBound, end: found.upperBound)
      }
      return Hit(
        range: range,
        message: "\(field) \(identity.mailbox.address) is on \(domain)\(detail), which is not in brand.sending_domains",
        help: "use an address on \(brand.sendingDomains.joined(separator: " or ")), or add \(domain) to brand.sending_domains once it is authenticated for the brand",
        evidence: "\(field)|\(domain)", placeholders: ["address": identity.mailbox.address, "domain": domain])
    }
  }
}
