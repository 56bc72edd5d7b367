import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintReport

/// The outcome of one lint: findings about the drafts, diagnostics about sendlint's own inputs
/// (policy, manifest, usage), and what was checked. A value: `Sendable`, formatted by functions of
/// it, the same output the CLI prints.
public struct Report: Sendable {
  /// The engine's report, for the CLI (which adds what it measures around the run).
  public let lintReport: LintReport
  /// The folder that SARIF's `originalUriBaseIds` names (repository-relative paths start there).
  public let workingDirectory: String

  public init(_ lintReport: LintReport, workingDirectory: String = DraftLoader().displayRoot) {
    self.lintReport = lintReport
    self.workingDirectory = workingDirectory
  }

  /// Findings, sorted by path, position and rule; suppressed and baselined ones left out.
  public var findings: [Finding] { lintReport.findings }
  /// Problems with sendlint's own inputs. Any diagnostic makes `exitStatus` 2.
  public var diagnostics: [Diagnostic] { lintReport.diagnostics }
  /// Per draft: path, category, policy and the rules that ran.
  public var drafts: [DraftSummary] { lintReport.drafts }
  /// Files and folders found but not linted (path linting only), with the reason.
  public var skipped: [SkippedPath] { lintReport.skipped }

  /// Counts for a one-line verdict.
  public struct Summary: Sendable, Equatable {
    public let drafts: Int
    public let errors: Int
    public let warnings: Int
    public let infos: Int
    public let diagnostics: Int
    public let suppressed: Int
    public let baselined: Int
    public let skippedFiles: Int
  }

  public var summary: Summary {
    Summary(
      drafts: lintReport.draftCount, errors: lintReport.count(.error), warnings: lintReport.count(.warning),
      infos: lintReport.count(.info),
      diagnostics: lintReport.diagnostics.count, suppressed: lintReport.suppressedCount,
      baselined: lintReport.baselinedCount,
      skippedFiles: lintReport.skippedFileCount)
  }

  /// The CLI's exit status: 2 for any diagnostic, 1 when a finding reaches `failOn` (nil: never)
  /// or warnings exceed `maxWarnings`, else 0. A send pipeline refuses the campaign unless 0.
  public func exitStatus(failOn: Severity? = .error, maxWarnings: Int? = nil) -> Int32 {
    lintReport.exitCode(failOn: failOn, maxWarnings: maxWarnings)
  }

  /// The same report with only findings of at least `severity` (the CLI's `--quiet`); counts and
  /// the verdict of the original are unaffected.
  public func keeping(atLeast severity: Severity) -> Report {
    var copy = lintReport
    copy.findings = copy.findings.filter { $0.severity >= severity }
    return Report(copy, workingDirectory: workingDirectory)
  }

  /// The report as one of the CLI's `--format` outputs.
  public func formatted(_ format: ReportFormat, options: FormatOptions = FormatOptions()) -> String {
    let report = lintReport
    switch format {
    case .text:
      return TextFormatter(color: options.color).format(
        findings: report.findings, diagnostics: report.diagnostics, draftCount: report.draftCount)
    case .json:
      return JSONReport(
        findings: report.findings, diagnostics: report.diagnostics, draftCount: report.draftCount,
        toolVersion: SendlintVersion.current,
        skippedFiles: report.skippedFileCount, suppressed: report.suppressedCount,
        baselined: report.baselinedCount, baseline: report.baselineUsed
      ).encoded()
    case .sarif:
      return SARIFLog(
        findings: report.findings, diagnostics: report.diagnostics,
        rules: report.ruleMetadata.sorted { $0.id < $1.id },
        toolVersion: SendlintVersion.current, workingDirectory: workingDirectory,
        maxResults: options.maxResults
      ).encoded()
    case .github:
      return GitHubFormatter.format(findings: report.findings, diagnostics: report.diagnostics)
    case .junit:
      return JUnitFormatter.format(
        findings: report.findings, diagnostics: report.diagnostics,
        drafts: report.drafts.map { JUnitFormatter.Draft(path: $0.path, rules: $0.rules) },
        failOn: options.failOn,
        maxWarnings: options.maxWarnings, warningCount: options.warningCount, seconds: options.seconds)
    case .gitlab:
      return GitLabCodeQualityReport(findings: report.findings, diagnostics: report.diagnostics).encoded()
    case .html:
      // The message previews exist when the lint asked for them (`Linter.buildsPreviews`, the
      // CLI's `--format html`); without them the page lists the findings alone.
      return HTMLReportFormatter.format(
        findings: report.findings, diagnostics: report.diagnostics, previews: report.previews,
        draftCount: report.draftCount,
        toolVersion: SendlintVersion.current)
    }
  }
}

/// The report formats: the CLI's `--format` values.
public enum ReportFormat: String, Sendable, CaseIterable {
  case text, json, sarif, github, junit, gitlab, html
}

/// What some formats need beyond the report.
public struct FormatOptions: Sendable {
  /// ANSI colour in `text`.
  public var color = false
  /// JUnit: the severity that fails a testcase (nil: never), as `--fail-on`.
  public var failOn: Severity? = .error
  /// JUnit: `--max-warnings`, for its max-warnings testcase.
  public var maxWarnings: Int?
  /// JUnit: every warning of the run (with `keeping(atLeast:)`, the count before filtering).
  public var warningCount: Int?
  /// JUnit: the run's time in seconds.
  public var seconds: Double?
  /// SARIF: at most this many results (errors first), as `--max-results`; GitHub shows 5,000.
  public var maxResults: Int

  public init(
    color: Bool = false, failOn: Severity? = .error, maxWarnings: Int? = nil, warningCount: Int? = nil,
    seconds: Double? = nil,
    maxResults: Int = SARIFLog.defaultMaxResults
  ) {
    self.maxResults = maxResults
    self.color = color
    self.failOn = failOn
    self.maxWarnings = maxWarnings
    self.warningCount = warningCount
    self.seconds = seconds
  }
}
