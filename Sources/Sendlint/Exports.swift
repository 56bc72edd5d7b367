// The front door: `import Sendlint` alone lints drafts held in memory and formats the report.
//
// SendlintCore is re-exported whole: it is the vocabulary every report is made of (Finding,
// Severity, Diagnostic, SourceRange, SourcePosition, `escapedForDisplay`) and nothing in it reads
// files or holds state. Everything else is wrapped or named by a typealias, so the engine's,
// the loaders' and the formatters' internals stay free to change (docs/decisions.md, "Library
// façade").
@_exported import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintRules

/// What was checked in one draft: its path, category, policy and the rules that ran.
public typealias DraftSummary = SendlintEngine.DraftSummary
/// A file or folder found but not linted, and why (path linting only).
public typealias SkippedPath = SendlintInventory.SkippedPath
/// A rule's id, summary, default severity and documentation.
public typealias RuleMetadata = SendlintRules.RuleMetadata

/// The library's version: the one the CLI reports and the JSON and SARIF reports carry.
public enum SendlintVersion {
  public static let current = "0.1.0"
}

/// Why the library refused an input before linting it.
public enum SendlintError: Error, Sendable, CustomStringConvertible {
  /// The policy did not load: its diagnostics, each with path, line and a fix.
  case policy([Diagnostic])
  /// A draft larger than `limit` bytes: it is refused, not linted in part.
  case inputTooLarge(name: String, size: Int, limit: Int)

  public var description: String {
    switch self {
    case .policy(let diagnostics):
      return "the policy has \(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s"):\n"
        + diagnostics.map(\.description).joined(separator: "\n")
    case .inputTooLarge(let name, let size, let limit):
      return
        "draft \"\(name.escapedForDisplay)\" is \(size) bytes, over the \(limit / (1024 * 1024)) MiB limit for a draft; "
        + "it was not linted (input/limit-exceeded); split the draft"
    }
  }
}

/// Fingerprints of accepted findings (`.sendlint-baseline.json`); see `Baseline.decode(_:)`.
public typealias Baseline = SendlintEngine.Baseline
