import SendlintCore
import SendlintInventory

/// `input/dns-unavailable`: an online check could not be made because DNS did not answer.
public struct DNSUnavailableFindings: OnlineRule {
  public static let metadata = RuleMetadata(
    id: "input/dns-unavailable",
    summary:
      "An --online lookup timed out, failed (SERVFAIL, REFUSED, malformed answer) or ran out of the time budget.",
    // An error by default, like input/limit-exceeded: what was not checked must not pass as clean.
    defaultSeverity: .error,
    whatItDoes: """
      With `--online`, reports each DNS question that got no usable answer — a timeout, SERVFAIL, REFUSED, \
      a malformed answer, a socket error, or the per-run budget (`--dns-budget`) used up — and the check \
      that needed it. The check is not made; no other online rule reports on it.
      """,
    whyIsThisBad:
      "An online check that could not be made says nothing about what receivers will see; treating it as a pass would hide the failure.",
    example: "`TXT _dmarc.contoso.com`: no answer from 192.0.2.53:53 within the timeout.",
    useInstead: "Check the resolver (`--resolver`), raise `--dns-timeout` or `--dns-budget`, and run again.",
    references: ["RFC 1035 §4.1.1 (RCODE)", "RFC 7208 §2.6.6 (temperror)"],
    placeholders: ["question"],
    tags: ["input", "online"],
    needs: "--online")

  public init(options: RuleOptions) {}

  public func check(_ facts: OnlineFacts, _ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    facts.unavailable.map { item in
      Hit(
        range: item.range, message: "\(item.purpose) was not checked: \(item.question): \(item.reason)",
        help:
          "check that the resolver answers (--resolver ADDR[:PORT]), or raise --dns-timeout / --dns-budget, and run again",
        evidence: "dns|\(item.question)", placeholders: ["question": item.question])
    }
  }
}
