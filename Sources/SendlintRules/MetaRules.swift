import SendlintCore

/// Findings about sendlint's own suppressions: ids and documentation, so they can be configured
/// and explained like rules.
public enum MetaRules {
  static func metadata(_ id: String, _ summary: String, _ severity: Severity, what: String, why: String)
    -> RuleMetadata
  {
    RuleMetadata(
      id: id, summary: summary, defaultSeverity: severity, whatItDoes: what, whyIsThisBad: why,
      example: "See the finding's location.", useInstead: "Remove or fix the suppression.",
      references: ["docs/suppressions.md"], tags: ["suppression"])
  }

  public static let all: [RuleMetadata] = [
    metadata(
      "sendlint/html-comment-suppression",
      "A sendlint directive sits in an HTML comment, which ships to recipients.", .warning,
      what:
        "Reports `<!-- sendlint-disable… -->`: HTML comments reach every recipient, so sendlint ignores directives in them.",
      why: "Lint directives in delivered mail leak tooling and policy details to recipients and filters."),
    metadata(
      "sendlint/suppression-without-reason", "An inline suppression gives no reason.", .error,
      what:
        "Reports `sendlint-disable-next-line RULE` directives without `-- reason`; they suppress nothing.",
      why: "A suppression nobody can explain is a finding nobody will fix."),
    metadata(
      "sendlint/unused-suppression", "A suppression matched no finding.", .warning,
      what:
        "Reports policy `suppress` entries and inline directives that suppressed nothing in this run (policy entries only when their files were linted).",
      why: "Stale suppressions hide the next real finding."),
  ]
}
