import Foundation
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
        text +=
          " ("
          + rule.categorySeverities.sorted { $0.key < $1.key }.map { "\($0.value.rawValue) in \($0.key)" }
          .joined(separator: ", ") + ")"
      }
      return text
    }
    let severityWidth = rules.map { severity($0).count }.max() ?? 0
    var out = ""
    for rule in rules {
      out +=
        rule.id.padding(to: width) + "  " + severity(rule).padding(to: severityWidth) + "  " + rule.summary
        + "\n"
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

extension RuleCatalogue {
  struct RuleJSON: Codable {
    let id: String
    let summary: String
    let default_severity: String
    let category_severities: [String: String]
    let options: [OptionJSON]
    let tags: [String]
    let documentation: String
  }

  struct OptionJSON: Codable {
    let name: String
    let `default`: String
    let help: String
  }

  /// The catalogue as JSON, for tools.
  public static func json(_ rules: [RuleMetadata]) -> String {
    let entries = rules.map {
      RuleJSON(
        id: $0.id, summary: $0.summary, default_severity: $0.defaultSeverity.rawValue,
        category_severities: $0.categorySeverities.mapValues(\.rawValue),
        options: $0.options.map {
          OptionJSON(name: $0.name, default: $0.defaultValue.description, help: $0.help)
        },
        tags: $0.tags, documentation: $0.markdown)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Codable structs of strings always encode.
    return String(decoding: try! encoder.encode(entries), as: UTF8.self) + "\n"
  }

  /// The catalogue as a Markdown table linking each rule's page.
  public static func markdownIndex(_ rules: [RuleMetadata]) -> String {
    var out =
      "# sendlint rules\n\nGenerated from rule metadata by `sendlint rules --format markdown`; a test fails when these pages are stale (regenerate with `SENDLINT_UPDATE_DOCS=1 swift test --filter RuleDocs`).\n\n"
    out += "| rule | default | checks |\n|---|---|---|\n"
    for rule in rules {
      var severity = rule.defaultSeverity.rawValue
      if !rule.categorySeverities.isEmpty {
        severity +=
          " ("
          + rule.categorySeverities.sorted { $0.key < $1.key }.map { "\($0.value.rawValue) in \($0.key)" }
          .joined(separator: ", ") + ")"
      }
      out += "| [`\(rule.id)`](\(rule.id).md) | \(severity) | \(rule.summary) |\n"
    }
    return out
  }

  /// Every generated documentation file under `docs/rules/`: relative path → content.
  public static func documentationFiles(_ rules: [RuleMetadata]) -> [String: String] {
    var files = ["README.md": markdownIndex(rules)]
    for rule in rules { files[rule.id + ".md"] = explain(rule) }
    return files
  }
}

extension String {
  func padding(to width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
