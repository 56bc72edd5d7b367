import SendlintCore
import SendlintInventory

/// `identity/spf-fail`: the envelope domain's published SPF does not pass for a sending IP.
public struct SPFFail: OnlineRule {
  public static let metadata = RuleMetadata(
    id: "identity/spf-fail",
    summary: "The Return-Path domain's published SPF record does not authorise a sending IP (--online).",
    defaultSeverity: .error,
    whatItDoes: """
      With `--online`, evaluates the SPF record of the envelope domain (the `Return-Path`, or the \
      manifest's `sending.return_path`) for each sending IP (the manifest's `sending.ips`, or the newest \
      public `Received` hop), as RFC 7208 `check_host()` does: `ip4`, `ip6`, `a`, `mx`, `ptr`, `include`, \
      `exists`, `redirect`, `all`, qualifiers and macros, with the limits of 10 DNS-querying terms and 2 \
      void lookups. Reports `fail`, `softfail`, `neutral` from a matching `?` term, `none` and `permerror`, \
      with the chain of records read.
      """,
    whyIsThisBad: """
      Receivers check SPF on the envelope domain; Gmail and Yahoo reject bulk mail that passes neither SPF \
      nor DKIM with alignment, and a `permerror` (too many lookups is the common one) counts as a failure.
      """,
    example:
      "`Return-Path: <bounce@contoso.com>` sent from 198.51.100.7 while `contoso.com` publishes `v=spf1 ip4:203.0.113.0/24 -all`.",
    useInstead:
      "Add the sending IPs (or the ESP's `include:`) to the record, and flatten includes to stay within 10 lookups.",
    references: ["RFC 7208 §4 (check_host), §4.6.4 (DNS lookup limits), §7 (macros)"]
      + bulkSenderRequirements,
    placeholders: ["domain", "ip", "result"],
    tags: ["authentication", "online"],
    needs: "--online, a Return-Path or sending.return_path, and a sending IP (sending.ips or Received fields)"
  )

  public init(options: RuleOptions) {}

  public func check(_ facts: OnlineFacts, _ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    facts.spf.compactMap { check in
      switch check.result {
      case .pass, .temperror: return nil  // temperror is input/dns-unavailable
      // no term matched: neutral by default is not a failure
      case .neutral where !check.reason.hasPrefix("\""): return nil
      default: break
      }
      let chain = check.chain.isEmpty ? "" : "; records read: " + check.chain.joined(separator: " → ")
      return Hit(
        range: check.range,
        message:
          "SPF of \(check.domain) gives \(check.result.rawValue) for \(check.ip): \(check.reason)\(chain)",
        help: check.result == .permerror || check.result == .none
          ? "publish one valid `v=spf1` TXT record on \(check.domain) within RFC 7208's limits (10 DNS-querying terms, 2 void lookups)"
          : "authorise \(check.ip) in the SPF record of \(check.domain) (an ip4:/ip6: term or the ESP's include:)",
        evidence: "spf|\(check.domain)|\(check.ip)|\(check.result.rawValue)",
        placeholders: ["domain": check.domain, "ip": check.ip, "result": check.result.rawValue])
    }
  }
}
