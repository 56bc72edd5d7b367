import SendlintCore
import SendlintInventory
import SendlintMIME

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
        .eml(
          "From: Contoso <news@contoso.com>\nReply-To: «replies@email.contoso.com\nSubject: Hi\n\nHello.\n")),
      RuleExample(
        "a declared domain", flagged: false,
        .eml("From: Contoso <news@contoso.com>\nReply-To: help@contoso.com\nSubject: Hi\n\nHello.\n")),
    ],
    placeholders: ["address", "domain"],
    tags: ["identity"],
    needs: "brand.sending_domains in the policy, and a Reply-To field")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    IdentityCheck.unowned(inventory.replyTo, field: "Reply-To", brand: context.brand)
  }
}
