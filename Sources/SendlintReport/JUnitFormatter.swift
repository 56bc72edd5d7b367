import Foundation
import SendlintCore

/// JUnit XML: one testsuite per draft, one testcase per rule checked in it. A rule's findings that
/// fail the run are its `<failure>`; the others are its `<system-out>`. CI systems (GitLab, Jenkins,
/// Azure) show it as a test report.
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

  /// The testcase `classname` for a draft: its path with every `.` written `_`. Jenkins splits a
  /// classname at its last dot into package and class, so `Examples/ms03-026/campaign.yaml` would
  /// show as class `yaml` in package `Examples/ms03-026/campaign`; the draft's real path is in the
  /// testsuite's `name` and each testcase's `file`.
  public static func classname(_ path: String) -> String {
    String(path.escapedForDisplay.map { $0 == "." ? "_" : $0 })
  }

  /// Seconds as JUnit's `time` attribute: three decimals, `0` when not measured.
  static func time(_ seconds: Double?) -> String {
    guard let seconds, seconds.isFinite, seconds > 0 else { return "0" }
    return String(format: "%.3f", seconds)
  }

  /// One line per finding, as in a failure's or `<system-out>`'s body.
  static func lines(_ findings: [Finding]) -> String {
    escapeMarkup(
      findings.map { finding in
        let position =
          finding.range.map {
            ":\($0.startPosition.line)" + ($0.hasColumn ? ":\($0.startPosition.column)" : "")
          } ?? ""
        return
          "\(finding.path.escapedForDisplay)\(position): \(finding.severity.rawValue): \((finding.message + finding.occurrenceNote).escapedForDisplay)"
          + (finding.help.map { "\n  help: " + $0.escapedForDisplay } ?? "")
      }.joined(separator: "\n"))
  }

  /// The report.
  ///
  /// A testcase fails only for findings that fail the run (at or above `failOn`, the `--fail-on`
  /// severity; nil: none does), so a passing job never shows a failed test; its other findings
  /// (warnings, infos) are listed in the testcase's `<system-out>`. With `maxWarnings`, a
  /// `max-warnings` testcase in the `sendlint gate` suite fails when `warningCount` (default: the
  /// warnings among `findings`) exceeds it. Per-draft times are not measured (the engine reports
  /// none), so testcases and suites say `time="0"`; `seconds` is the whole run's, on the root.
  public static func format(
    findings: [Finding], diagnostics: [Diagnostic], drafts: [Draft], failOn: Severity? = .error,
    maxWarnings: Int? = nil,
    warningCount: Int? = nil, seconds: Double? = nil
  ) -> String {
    let byDraft = Dictionary(grouping: findings, by: \.draftPath)
    var suites = ""
    var totalTests = 0
    var totalFailures = 0
    var totalErrors = 0
    func fails(_ finding: Finding) -> Bool {
      guard let failOn else { return false }
      return finding.severity >= failOn && finding.severity != .off
    }
    if !diagnostics.isEmpty {
      // The run did not happen: a JUnit error (not a failure), as for a test that could not run.
      totalTests += 1
      totalErrors += 1
      suites +=
        "  <testsuite name=\"sendlint configuration\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n"
      suites +=
        "    <testcase name=\"inputs\" classname=\"sendlint\" time=\"0\">\n      <error message=\"\(escape("\(diagnostics.count) problem(s) with policy, manifest or arguments"))\" type=\"configuration\">"
      suites += escapeMarkup(diagnostics.map(\.description).joined(separator: "\n"))
      suites += "</error>\n    </testcase>\n  </testsuite>\n"
    }
    if let maxWarnings {
      let warnings = warningCount ?? findings.filter { $0.severity == .warning }.count
      let exceeded = warnings > maxWarnings
      totalTests += 1
      if exceeded { totalFailures += 1 }
      suites +=
        "  <testsuite name=\"sendlint gate\" tests=\"1\" failures=\"\(exceeded ? 1 : 0)\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
      suites += "    <testcase name=\"max-warnings\" classname=\"sendlint\" time=\"0\""
      if exceeded {
        let message =
          "\(warnings) warning\(warnings == 1 ? "" : "s"), more than --max-warnings \(maxWarnings)"
        suites +=
          ">\n      <failure message=\"\(escape(message))\" type=\"max-warnings\">\(escapeMarkup(message + "; fix warnings or raise --max-warnings"))</failure>\n    </testcase>\n"
      } else {
        suites += "/>\n"
      }
      suites += "  </testsuite>\n"
    }
    for draft in drafts {
      let draftFindings = byDraft[draft.path] ?? []
      let byRule = Dictionary(grouping: draftFindings, by: \.rule)
      let rules = Array(Set(draft.rules).union(byRule.keys)).sorted()
      let failures = rules.filter { byRule[$0]?.contains(where: fails) ?? false }.count
      totalTests += rules.count
      totalFailures += failures
      let classname = Self.classname(draft.path)
      let file = escape(draft.path)
      suites +=
        "  <testsuite name=\"\(file)\" tests=\"\(rules.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
      for rule in rules {
        suites +=
          "    <testcase name=\"\(escape(rule))\" classname=\"\(escapeMarkup(classname))\" file=\"\(file)\" time=\"0\""
        guard let ruleFindings = byRule[rule] else {
          suites += "/>\n"
          continue
        }
        suites += ">\n"
        let failing = ruleFindings.filter(fails)
        let passing = ruleFindings.filter { !fails($0) }
        if let first = failing.first {
          suites +=
            "      <failure message=\"\(escape(first.message))\" type=\"\(first.severity.rawValue)\">\(lines(failing))</failure>\n"
        }
        if !passing.isEmpty { suites += "      <system-out>\(lines(passing))</system-out>\n" }
        suites += "    </testcase>\n"
      }
      suites += "  </testsuite>\n"
    }
    return
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sendlint\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\" errors=\"\(totalErrors)\" time=\"\(time(seconds))\">\n"
      + suites + "</testsuites>\n"
  }
}
