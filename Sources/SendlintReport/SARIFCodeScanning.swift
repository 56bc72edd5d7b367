import SendlintCore
import SendlintRules

/// What GitHub code scanning needs of a SARIF log beyond the OASIS schema: how a rule ranks
/// (`security-severity`, the `security` tag, `problem.severity`), one stable fingerprint per result,
/// a bounded number of results, and rule help from policies that renders only as the text written.
/// See docs/decisions.md, "CI gate: SARIF for code scanning".
public enum SARIFRuleClass: String, Sendable, CaseIterable {
  /// Link deception: the set the scorecard counts (docs/decisions.md, "Scorecard").
  case deception
  /// Who the mail claims to come from: `identity/…`.
  case identity
  /// What a security notice must not do: `security/…`.
  case securityNotice = "security-notice"
  /// Executable attachments: `attachment/…`.
  case malware
  /// Links that are not deceptive by themselves but expose recipients (plain http, third-party
  /// redirectors, hosts outside the brand).
  case linkRisk = "link-risk"
  /// Tracking of recipients: `tracking/…`.
  case privacy
  /// Deliverability, compliance and authoring: bulk-sender, content, headers, input, suppressions.
  case hygiene
  /// A rule written in a policy: security-relevant only when its author tagged it `security`.
  case custom

  static let deceptionRules: Set<String> = [
    "link/text-host-mismatch", "link/obfuscated", "link/lookalike-domain", "link/same-target",
  ]
  static let linkRiskRules: Set<String> = ["link/insecure", "link/redirector", "link/off-brand-host"]
  /// Every built-in group; a test fails when a built-in rule's group is missing here.
  static let groups: [String: SARIFRuleClass] = [
    "identity": .identity, "security": .securityNotice, "attachment": .malware, "tracking": .privacy,
    "link": .hygiene, "a11y": .hygiene, "bulk": .hygiene, "content": .hygiene, "deliverability": .hygiene,
    "message": .hygiene, "input": .hygiene, "sendlint": .hygiene,
  ]

  /// Whether `id` is one of sendlint's own rules (built-in, input or meta), not a policy's.
  public static func isBuiltin(_ id: String) -> Bool { RuleRegistry.metadata(for: id) != nil }

  /// The class of a rule: by id for the link rules, by group for the rest; nil for a built-in rule
  /// whose group is unknown (a test keeps that from happening).
  public static func of(_ rule: RuleMetadata) -> SARIFRuleClass? {
    guard isBuiltin(rule.id) else { return .custom }
    if deceptionRules.contains(rule.id) { return .deception }
    if linkRiskRules.contains(rule.id) { return .linkRisk }
    return rule.id.split(separator: "/").first.flatMap { groups[String($0)] }
  }

  /// Scores on GitHub's scale (critical ≥ 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9) for a
  /// default severity of error, warning and info. No class reaches critical: a draft has not been
  /// sent yet. A policy rule its author tagged `security` ranks with the link risks.
  func scores(tags: [String]) -> (error: Double, warning: Double, info: Double) {
    switch self {
    case .deception: (8.5, 6.5, 3.5)
    case .identity, .securityNotice, .malware: (8.0, 6.0, 3.0)
    case .linkRisk, .privacy: (5.5, 4.0, 2.0)
    case .custom where isSecurityRelevant(tags: tags): (5.5, 4.0, 2.0)
    case .hygiene, .custom: (3.0, 2.0, 1.0)
    }
  }

  /// Whether GitHub should show the rule's alerts as security alerts.
  func isSecurityRelevant(tags: [String]) -> Bool {
    switch self {
    case .hygiene: false
    case .custom: tags.contains("security")
    default: true
    }
  }
}

extension SARIFLog {
  /// Results a run carries by default: what GitHub code scanning displays per run (it rejects runs
  /// with more than 25,000).
  public static let defaultMaxResults = 5_000
  /// GitHub's upper limit of results per run.
  public static let codeScanningRejectsAbove = 25_000
  /// The `partialFingerprints` key. v2: occurrence-aware (v1 was the baseline fingerprint, shared
  /// by identical findings in one file).
  public static let fingerprintKey = "sendlint/v2"
  /// The id of the notification saying results were left out.
  public static let cappedNotificationID = "sarif/results-capped"

  /// The rule's code-scanning properties: tags (its own, its class, `security` when relevant),
  /// `security-severity` and `problem.severity` from its ranking severity and class.
  static func properties(_ rule: RuleMetadata) -> ReportingDescriptor.Properties {
    let ruleClass = SARIFRuleClass.of(rule) ?? .hygiene
    let security = ruleClass.isSecurityRelevant(tags: rule.tags)
    var tags: [String] = []
    // SARIF requires unique tags; a policy may repeat one or name `custom` or `security` itself.
    for tag in (rule.tags + [ruleClass.rawValue] + (security ? ["security"] : [])).map(\.escapedForDisplay)
    where !tags.contains(tag) {
      tags.append(tag)
    }
    let scores = ruleClass.scores(tags: rule.tags)
    let score: Double
    let problem: String
    switch rankingSeverity(rule) {
    case .error: (score, problem) = (scores.error, "error")
    case .warning: (score, problem) = (scores.warning, "warning")
    case .info, .off: (score, problem) = (scores.info, "recommendation")
    }
    return .init(tags: tags, securitySeverity: String(format: "%.1f", score), problemSeverity: problem)
  }

  /// The severity a rule is ranked by: its default; for a rule that is off by default and on only
  /// in some categories (`security/unsigned` in security notices, `bulk/…` for marketing), the
  /// highest of those, the severity it has wherever it runs. A rule that is on everywhere keeps its
  /// default (`tracking/pixel` ranks as the info it is in most mail; its results still carry their
  /// own level).
  static func rankingSeverity(_ rule: RuleMetadata) -> Severity {
    guard rule.defaultSeverity == .off else { return rule.defaultSeverity }
    return rule.categorySeverities.values.max() ?? .off
  }

  /// The indices of the findings a capped run keeps, in report order: errors first, then warnings,
  /// then notes, each in report order, up to `maxResults`.
  static func kept(_ findings: [Finding], maxResults: Int) -> [Int] {
    guard findings.count > maxResults else { return Array(findings.indices) }
    let ranked = findings.indices.sorted { first, second in
      findings[first].severity != findings[second].severity
        ? findings[first].severity > findings[second].severity : first < second
    }
    return ranked.prefix(max(0, maxResults)).sorted()
  }

  /// The run-level notification for results left out, or nil when none were.
  static func cappedNotification(findings: [Finding], kept: [Int], maxResults: Int) -> Notification? {
    let omitted = findings.count - kept.count
    guard omitted > 0 else { return nil }
    let keptSet = Set(kept)
    let left = findings.indices.filter { !keptSet.contains($0) }.map { findings[$0].severity }
    let counts = [(Severity.error, "error"), (.warning, "warning"), (.info, "note")].compactMap {
      severity, name -> String? in
      let count = left.filter { SARIFLog.level($0) == SARIFLog.level(severity) }.count
      return count == 0 ? nil : "\(count) \(name)\(count == 1 ? "" : "s")"
    }
    let raise = min(findings.count, codeScanningRejectsAbove)
    let text =
      "\(omitted) of \(findings.count) results were left out of this SARIF log (\(counts.joined(separator: ", "))): "
      + "it carries at most \(maxResults), errors first, because GitHub code scanning shows \(defaultMaxResults) results per run "
      + "and rejects runs with more than \(codeScanningRejectsAbove). To see every finding, run `sendlint lint --format json` "
      + "(or `--format text`); to upload more, pass `--max-results \(raise)`."
    return Notification(
      level: "warning", message: Message(text: text), locations: nil,
      descriptor: .init(id: cappedNotificationID))
  }

  /// Rule help from a policy, as Markdown that renders exactly as written: the fixed headings are
  /// sendlint's, every value is escaped (controls as `\u{…}`, every ASCII punctuation character
  /// backslash-escaped, which CommonMark renders as the character alone), so a policy's text can
  /// make no link, image, HTML or heading in a code-scanning alert.
  static func escapedMarkdown(_ rule: RuleMetadata) -> String {
    var text = "# \(markdownText(rule.id))\n\n\(markdownText(rule.summary))\n\n"
    text += "Default severity: **\(rule.defaultSeverity.rawValue)**\n\n"
    let sections = [
      ("What it does", rule.whatItDoes == rule.summary ? "" : rule.whatItDoes),
      ("Why is this bad?", rule.whyIsThisBad),
      ("Example", rule.example), ("Use instead", rule.useInstead),
    ]
    for (heading, body) in sections where !body.isEmpty {
      text += "## \(heading)\n\n\(markdownText(body))\n\n"
    }
    if !rule.references.isEmpty {
      text +=
        "## References\n\n" + rule.references.map { "- " + markdownText($0) }.joined(separator: "\n") + "\n\n"
    }
    return text + "This rule is defined by a policy; its text is shown as written.\n"
  }

  /// One value as inert Markdown, its line breaks kept as soft breaks.
  static func markdownText(_ value: String) -> String {
    value.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      var output = ""
      let trimmed = line.hasSuffix("\r") ? line.dropLast() : line[...]
      for scalar in String(trimmed).escapedForDisplay.unicodeScalars {
        if scalar.isASCII, scalar.properties.generalCategory.isPunctuationOrSymbol { output += "\\" }
        output.unicodeScalars.append(scalar)
      }
      return output
    }.joined(separator: "\n")
  }

  /// A policy's `help_uri` when it is a plain http(s) URI (no spaces, quotes or controls), else nil:
  /// policy rules have no page in sendlint's documentation.
  static func customHelpURI(_ rule: RuleMetadata) -> String? {
    guard let uri = rule.references.first, uri.hasPrefix("https://") || uri.hasPrefix("http://") else {
      return nil
    }
    let allowed = Set(
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?#%[]".utf8)
    return uri.utf8.allSatisfy(allowed.contains) ? uri : nil
  }
}

extension Unicode.GeneralCategory {
  /// ASCII punctuation in CommonMark's sense is every printable ASCII character that is neither a
  /// letter, a digit nor a space: Unicode's punctuation and symbol categories.
  var isPunctuationOrSymbol: Bool {
    switch self {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
      true
    default: false
    }
  }
}
