import SendlintCore
import SendlintInventory

/// `identity/dmarc-policy-none`: the From domain's DMARC policy asks receivers to do nothing.
public struct DMARCPolicyNone: OnlineRule {
  public static let metadata = RuleMetadata(
    id: "identity/dmarc-policy-none",
    summary:
      "The From domain's DMARC policy is p=none: spoofed mail is delivered like genuine mail (--online).",
    defaultSeverity: .off,
    categorySeverities: ["marketing": .info, "security-notice": .warning],
    whatItDoes: """
      With `--online`, reads the DMARC policy that applies to the From domain (`sp=` when the record is \
      the organisational domain's and the From is a subdomain) and notes `p=none`. On by default for \
      bulk (marketing) mail as info and for security notices as a warning.
      """,
    whyIsThisBad: """
      `p=none` meets Gmail's and Yahoo's minimum for bulk senders but protects no one: mail that fails \
      DMARC is delivered anyway, so a phisher can use the brand's From domain. Yahoo and Gmail encourage \
      moving to `quarantine` or `reject`.
      """,
    example: "`_dmarc.contoso.com` publishes `v=DMARC1; p=none`.",
    useInstead:
      "Once the aggregate reports show all genuine mail aligned, publish `p=quarantine`, then `p=reject`.",
    references: ["RFC 7489 §6.3 (p=, sp=)", "draft-ietf-dmarc-dmarcbis (p=none as monitoring mode)"]
      + bulkSenderRequirements,
    placeholders: ["domain"],
    tags: ["authentication", "bulk-sender", "online"],
    needs: "--online and a From domain with a DMARC record")

  public init(options: RuleOptions) {}

  public func check(_ facts: OnlineFacts, _ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    facts.dmarc.compactMap { check in
      guard check.invalidReason == nil, check.policy == "none", let recordDomain = check.recordDomain else {
        return nil
      }
      return Hit(
        range: check.range,
        message:
          "the DMARC policy for \(check.fromDomain) is none (_dmarc.\(recordDomain)): receivers deliver mail that fails DMARC",
        help:
          "move _dmarc.\(recordDomain) to p=quarantine, then p=reject, once aggregate reports show genuine mail aligned",
        evidence: "dmarc-none|\(check.fromDomain)", placeholders: ["domain": check.fromDomain])
    }
  }
}
