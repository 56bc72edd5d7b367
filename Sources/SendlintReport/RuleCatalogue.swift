import SendlintCore
import SendlintRules

/// `sendlint rules` and `sendlint explain`, rendered from rule metadata.
public enum RuleCatalogue {
  /// One line per rule: id, default severity, summary.
  public static func table(_ rules: [RuleMetadata]) -> String {
    let width = rules.map(\.id.count).max() ?? 0
    func severity(_ rule: RuleMetadata) -> String {
      var text = rule.defaultSeverity.rawValue
      if !rule.categorySeverities.isEmpty {
        text += " (" + rule.categorySeverities.sorted { $0.key < $1.key }.map { "\($0.value.rawValue) in \($0.key)" }.joined(separator: ", ") + ")"
      }
      return text
    }
    let severityWidth = rules.map { severity($0).count }.max() ?? 0
    var out = ""
    for rule in rules {
      out += rule.id.padding(to: width) + "  " + severity(rule).padding(to: severityWidth) + "  " + rule.summary + "\n"
    }
    return out
  }

  /// A rule's full documentation in Markdown, with its examples.
  public static func explain(_ rule: RuleMetadata) -> String {
    var text = rule.markdown
    if !rule.examples.isEmpty {
      text += "\n## Examples (run as tests)\n\n"
      for example in rule.examples {
        text += "- \(example.flagged ? "flagged" : "clean"): \(example.title)\n"
      }
    }
    return text
  }
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
