import SendlintCore
import SendlintInventory

/// `link/unresolvable-host`: a link host (or the From domain) does not resolve.
public struct UnresolvableHost: OnlineRule {
  public static let metadata = RuleMetadata(
    id: "link/unresolvable-host",
    summary:
      "A link's host has no A or AAAA record, or the From domain has no MX, A or AAAA record (--online).",
    defaultSeverity: .error,
    whatItDoes: """
      With `--online`, looks up the host each link's click goes to first (after the ESP's click \
      rewrite) for A, then AAAA, and the From domain for MX, then A and AAAA (RFC 5321 §5.1's implicit \
      MX). Reports names that do not exist (NXDOMAIN) or have no address.
      """,
    whyIsThisBad: """
      A link to a host that does not resolve is a dead link, often a typo or a domain not yet (or no \
      longer) registered — one a stranger can register. Receivers reject mail whose From domain cannot \
      receive replies or bounces.
      """,
    example: "`<a href=\"https://offers.contoso.example/\">` while `offers.contoso.example` does not exist.",
    useInstead: "Fix the host name, or publish its records before the send.",
    references: ["RFC 1035 (A records)", "RFC 3596 (AAAA)", "RFC 5321 §5.1 (MX and the implicit MX)"]
      + bulkSenderRequirements,
    placeholders: ["host"],
    tags: ["links", "online"],
    needs: "--online")

  public init(options: RuleOptions) {}

  public func check(_ facts: OnlineFacts, _ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    facts.hosts.map { check in
      let why =
        check.nonexistent
        ? "does not exist (NXDOMAIN)"
        : (check.role == .link ? "has no A or AAAA record" : "has no MX, A or AAAA record")
      return Hit(
        range: check.range,
        message: "\(check.role == .link ? "link host" : "From domain") \(check.host) \(why)",
        help: check.role == .link
          ? "correct the link's host, or publish an address for \(check.host) before sending"
          : "send from a domain that has MX (or A/AAAA) records",
        evidence: "unresolvable|\(check.role.rawValue)|\(check.host)", placeholders: ["host": check.host])
    }
  }
}
