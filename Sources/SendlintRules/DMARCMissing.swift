import SendlintCore
import SendlintInventory

/// `identity/dmarc-missing`: the From domain publishes no usable DMARC record.
public struct DMARCMissing: OnlineRule {
  public static let metadata = RuleMetadata(
    id: "identity/dmarc-missing",
    summary: "The From domain (and its organisational domain) publishes no usable DMARC record (--online).",
    defaultSeverity: .error,
    whatItDoes: """
      With `--online`, looks up `_dmarc.` + the From domain, then `_dmarc.` + its organisational domain \
      (RFC 7489 §6.6.3, using the Public Suffix List), and reports when neither has a `v=DMARC1` record, \
      when there are several, or when the record has no valid `p=` (and no `rua=`).
      """,
    whyIsThisBad:
      "Gmail and Yahoo require bulk senders to publish DMARC (at least `p=none`) since February 2024; mail without it is rejected or filtered.",
    example: "`From: news@contoso.com` while `_dmarc.contoso.com` has no TXT record.",
    useInstead:
      "Publish `v=DMARC1; p=none; rua=mailto:dmarc@contoso.com` on `_dmarc.` + the organisational domain, then tighten.",
    references: ["RFC 7489 §6.3 (record format), §6.6.3 (policy discovery)", "draft-ietf-dmarc-dmarcbis"]
      + bulkSenderRequirements,
    placeholders: ["domain"],
    tags: ["authentication", "online"],
    needs: "--online and a From domain")

  public init(options: RuleOptions) {}

  public func check(_ facts: OnlineFacts, _ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    facts.dmarc.compactMap { check in
      if let reason = check.invalidReason, let recordDomain = check.recordDomain {
        return Hit(
          range: check.range,
          message:
            "the DMARC record of \(check.fromDomain) at _dmarc.\(recordDomain) cannot be used: \(reason)",
          help: "publish one record `v=DMARC1; p=none|quarantine|reject; …` at _dmarc.\(recordDomain)",
          evidence: "dmarc-invalid|\(check.fromDomain)", placeholders: ["domain": check.fromDomain])
      }
      guard check.record == nil else { return nil }
      return Hit(
        range: check.range,
        message:
          "From domain \(check.fromDomain) publishes no DMARC record (no v=DMARC1 TXT at _dmarc.\(check.fromDomain) or its organisational domain)",
        help:
          "publish `v=DMARC1; p=none; rua=mailto:…` at _dmarc.\(context.suffixes?.registrableDomain(of: check.fromDomain) ?? check.fromDomain)",
        evidence: "dmarc-missing|\(check.fromDomain)", placeholders: ["domain": check.fromDomain])
    }
  }
}
