import Foundation
import SendlintCore

/// GitLab Code Quality report (`--format gitlab`): the subset of the Code Climate issue format that
/// GitLab reads from an `artifacts:reports:codequality` file and shows in the merge request widget
/// and the diff. A JSON array of objects, each with `description`, `check_name`, `fingerprint`,
/// `severity` and `location` (`path`, `lines.begin`); GitLab ignores any other field, so none is
/// written. https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
public struct GitLabCodeQualityReport: Codable, Sendable {
  /// One Code Quality issue.
  public struct Issue: Codable, Sendable, Hashable {
    /// The finding's message (escaped for display), shown in the widget.
    public var description: String
    /// The rule id, or a diagnostic's code.
    public var checkName: String
    /// Unique per issue within the report, stable across line shifts: GitLab compares reports of
    /// the source and target branches by fingerprint, and shows only one issue per fingerprint.
    public var fingerprint: String
    /// `info`, `minor`, `major`, `critical` or `blocker`; see `severity(_:)`.
    public var severity: String
    public var location: Location

    enum CodingKeys: String, CodingKey {
      case description, fingerprint, severity, location
      case checkName = "check_name"
    }
  }

  public struct Location: Codable, Sendable, Hashable {
    /// Repository-relative, as in every other format.
    public var path: String
    public var lines: Lines
  }

  public struct Lines: Codable, Sendable, Hashable {
    /// 1-based; 1 for findings about a whole file.
    public var begin: Int
  }

  /// The severities GitLab documents, lowest first.
  public static let severities = ["info", "minor", "major", "critical", "blocker"]

  /// sendlint's severities on GitLab's scale: an error (what fails the gate by default) is
  /// `critical`, a warning `minor`, an info `info`. `major` is left out so that the widget's order
  /// keeps errors and warnings apart; `blocker` is for diagnostics, which stop the run (exit 2).
  public static func severity(_ severity: Severity) -> String {
    switch severity {
    case .error: "critical"
    case .warning: "minor"
    case .info, .off: "info"
    }
  }

  public var issues: [Issue]

  /// The report for a run: one issue per finding, then one `blocker` per diagnostic (a problem
  /// with the policy, a manifest or the arguments, at its own file and line), so that a broken
  /// policy is visible in the merge request rather than only in the job log.
  public init(findings: [Finding], diagnostics: [Diagnostic]) {
    let findingPrints = OccurrenceFingerprints.of(findings)
    var issues = zip(findings, findingPrints).map { finding, fingerprint in
      Issue(
        description: (finding.message + finding.occurrenceNote).escapedForDisplay,
        checkName: finding.rule.escapedForDisplay, fingerprint: fingerprint,
        severity: Self.severity(finding.severity),
        location: Location(
          path: finding.path.escapedForDisplay,
          lines: Lines(begin: max(1, finding.range?.startPosition.line ?? 1))))
    }
    let diagnosticPrints = OccurrenceFingerprints.of(diagnostics)
    issues += zip(diagnostics, diagnosticPrints).map { diagnostic, fingerprint in
      Issue(
        description: diagnostic.message.escapedForDisplay
          + (diagnostic.help.map { " (help: " + $0.escapedForDisplay + ")" } ?? ""),
        checkName: diagnostic.code.escapedForDisplay, fingerprint: fingerprint, severity: "blocker",
        location: Location(
          path: diagnostic.path.escapedForDisplay, lines: Lines(begin: max(1, diagnostic.position?.line ?? 1))
        ))
    }
    self.issues = issues
  }

  /// The array itself is the document.
  public init(from decoder: Decoder) throws { issues = try [Issue](from: decoder) }
  public func encode(to encoder: Encoder) throws { try issues.encode(to: encoder) }

  /// Pretty, key-sorted JSON with a trailing newline; `[]` when there is nothing to report.
  public func encoded() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Plain Codable structs of strings and integers always encode.
    return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
  }
}
