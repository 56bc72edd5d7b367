import SendlintCore

/// JUnit XML: one testsuite per draft, one testcase per rule checked in it; a rule's findings are
/// its failures. CI systems (GitLab, Jenkins, Azure) show it as a test report.
public enum JUnitFormatter {
  /// A draft as JUnit needs it.
  public struct Draft: Sendable {
    public let path: String
    public let rules: [String]
    public init(path: String, rules: [String]) {
      self.path = path
      self.rules = rules
    }
  }

  /// XML-escapes a value quoted from a draft or policy, after escaping it for display: no control,
  /// bidi control or non-character reaches the file, so every XML 1.0 parser reads it.
  public static func escape(_ text: String) -> String { escapeMarkup(text.escapedForDisplay) }

  /// XML-escapes text whose line breaks are the formatter's own (a failure's body). Every code
  /// point XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF) and every other
  /// control, bidi control and non-character is shown as `\u{…}`.
  static func escapeMarkup(_ text: String) -> String {
    var output = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      case "'": output += "&apos;"
      default:
        if scalar != "\n" && scalar != "\t" && DisplayEscaping.needsEscaping(scalar) {
          output += DisplayEscaping.escape(scalar)
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    return output
  }

  public static func format(findings: [Finding], diagnostics: [Diagnostic], drafts: [Draft]) -> String {
    let byDraft = Dictionary(grouping: findings, by: \.draftPath)
    var suites = ""
    var totalTests = 0
    var totalFailures = 0
    if !diagnostics.isEmpty {
      totalTests += 1
      totalFailures += 1
      suites += "  <testsuite name=\"sendlint configuration\" tests=\"1\" failures=\"1\" errors=\"0\">\n"
      suites += "    <testcase name=\"inputs\" classname=\"sendlint\">\n      <failure message=\"\(escape("\(diagnostics.count) problem(s) with policy, manifest or arguments"))\" type=\"configuration\">"
      suites += escapeMarkup(diagnostics.map(\.description).joined(separator: "\n"))
      suites += "</failure>\n    </testcase>\n  </testsuite>\n"
    }
    for draft in drafts {
      let draftFindings = byDraft[draft.path] ?? []
      let byRule = Dictionary(grouping: draftFindings, by: \.rule)
      let rules = Array(Set(draft.rules).union(byRule.keys)).sorted()
      let failures = rules.filter { byRule[$0] != nil }.count
      totalTests += rules.count
      totalFailures += failures
      suites += "  <testsuite name=\"\(escape(draft.path))\" tests=\"\(rules.count)\" failures=\"\(failures)\" errors=\"0\">\n"
      for rule in rules {
        suites += "    <testcase name=\"\(escape(rule))\" classname=\"\(escape(draft.path))\""
        guard let ruleFindings = byRule[rule] else {
          suites += "/>\n"
          continue
        }
        let first = ruleFindings[0]
        suites += ">\n      <failure message=\"\(escape(first.message))\" type=\"\(first.severity.rawValue)\">"
        suites += escapeMarkup(ruleFindings.map { finding in
          let position = finding.range.map { ":\($0.startPosition.line)" + ($0.hasColumn ? ":\($0.startPosition.column)" : "") } ?? ""
          return "\(finding.path.escapedForDisplay)\(position): \(finding.severity.rawValue): \(finding.message.escapedForDisplay)"
            + (finding.help.map { "\n  help: " + $0.escapedForDisplay } ?? "")
        }.joined(separator: "\n"))
        suites += "</failure>\n    </testcase>\n"
      }
      suites += "  </testsuite>\n"
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sendlint\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\" errors=\"0\">\n" + suites + "</testsuites>\n"
  }
}
