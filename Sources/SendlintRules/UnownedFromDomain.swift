import SendlintCore
import SendlintInventory
import SendlintMIME

/// `identity/unowned-from-domain`: the From domain is not one of the brand's sending domains.
public struct UnownedFromDomain: Rule {
  public static let metadata = RuleMetadata(
    id: "identity/unowned-from-domain",
    summary: "The From address's domain is not in brand.sending_domains.",
    defaultSeverity: .error,
    whatItDoes:
      "Checks every From address against `brand.sending_domains`, exactly: a vendor-delegated subdomain must be listed itself.",
    whyIsThisBad: """
      The From domain is what people and DMARC judge. A From the brand never declared is either a \
      mistake that will fail DMARC or a vendor speaking in the brand's name without permission.
      """,
    example: "```\nFrom: Contoso <news@contoso-mail.example>\n```",
    useInstead:
      "Send from a declared domain, or add the domain to `brand.sending_domains` after setting up its authentication.",
    references: [
      "RFC 5322 §3.6.2 (originator fields)", "RFC 7489 §3.1 (DMARC identifier alignment)",
      "CAN-SPAM Act, 15 U.S.C. §7704(a)(1) (accurate header information)",
    ],
    examples: [
      RuleExample(
        "an undeclared domain", flagged: true,
        .eml("From: Contoso <«news@contoso-mail.example>\nSubject: Hi\n\nHello.\n")),
      RuleExample(
        "a declared sending domain", flagged: false,
        .eml("From: Contoso News <news@news.contoso.com>\nSubject: Hi\n\nHello.\n")),
    ],
    placeholders: ["address", "domain"],
    tags: ["identity", "authentication"],
    needs: "brand.sending_domains in the policy, and a From field")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    IdentityCheck.unowned(inventory.from, field: "From", brand: context.brand)
  }
}
