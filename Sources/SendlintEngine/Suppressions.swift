import Foundation
import SendlintCore
import SendlintInventory
import SendlintPolicy
import SendlintRules

/// Inline directives in template comments that do not render:
/// `{{!-- sendlint-disable-next-line RULE[, RULE] -- reason --}}`, `{{! … }}`, `{# … #}`.
/// A directive in an HTML comment ships to every recipient; it is ignored and reported.
enum InlineDirectives {
  struct Directive {
    let rules: [String]
    /// Where each of `rules` is written (same order).
    let ruleRanges: [SourceRange]
    let reason: String?
    let file: SourceFile
    /// The line the directive suppresses (the one after it).
    let targetLine: Int
    let range: SourceRange
  }

  static let marker = Array("sendlint-disable-next-line".utf8)

  /// Directives in the files a draft was read from that are templates (HTML/text), not messages.
  static func directives(in inventory: Inventory) -> [Directive] {
    var result: [Directive] = []
    for file in inventory.files
    where inventory.kind != .eml && file !== inventory.draftFile || inventory.kind == .template {
      for tag in MergeTags.find(in: file.bytes) where tag.isComment {
        let text = Array(file.bytes[tag.range])
        guard let found = text.firstRange(of: marker) else { continue }
        let rest = String(decoding: text[found.upperBound...], as: UTF8.self)
          .replacingOccurrences(of: "--}}", with: "").replacingOccurrences(of: "}}", with: "")
          .replacingOccurrences(of: "#}", with: "")
        let parts = rest.components(separatedBy: "--")
        let rules = parts[0].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
          .filter { !$0.isEmpty }
        let reason =
          parts.count > 1
          ? parts.dropFirst().joined(separator: "--").trimmingCharacters(in: .whitespacesAndNewlines) : nil
        let range = SourceRange(file: file, start: tag.range.lowerBound, end: tag.range.upperBound)
        // Each id's first occurrence after the previous one, after the marker.
        var cursor = found.upperBound
        var ruleRanges: [SourceRange] = []
        for rule in rules {
          let bytes = Array(rule.utf8)
          let start = text[cursor...].firstRange(of: bytes)?.lowerBound ?? found.lowerBound
          cursor = min(text.count, start + bytes.count)
          ruleRanges.append(
            SourceRange(
              file: file, start: tag.range.lowerBound + start, end: tag.range.lowerBound + start + bytes.count
            ))
        }
        result.append(
          Directive(
            rules: rules, ruleRanges: ruleRanges, reason: reason?.isEmpty == false ? reason : nil, file: file,
            targetLine: range.endPosition.line + 1, range: range))
      }
    }
    return result
  }

  /// `<!-- sendlint-disable… -->` in HTML the recipient receives: the comments the HTML tokenizer
  /// read in each HTML body (a base64 or quoted-printable part decoded), never a mention in text.
  static func htmlCommentDirectives(in inventory: Inventory) -> [Hit] {
    inventory.htmlCommentDirectives.map { range in
      Hit(
        range: range,
        message: "sendlint directive in an HTML comment: it ships to every recipient and sendlint ignores it",
        help:
          "use a template comment that does not render, e.g. {{!-- sendlint-disable-next-line RULE -- reason --}}, or a policy suppress entry",
        evidence: "html-comment-directive")
    }
  }
}

/// Applies policy suppressions and inline directives across a run, and reports the unused ones.
struct SuppressionTracker {
  private var used: Set<String> = []
  private var relevant: [String: (Suppression, SourceFile?)] = [:]
  private var unusedInline: [Finding] = []
  private(set) var suppressed = 0
  /// Directives naming rules that do not exist, as diagnostics (like an unknown rule id in a
  /// policy): a misspelt id suppresses nothing while looking as if it did.
  private var unknownRules: [Diagnostic] = []
  /// Unknown ids past `maximumUnknownRuleDiagnostics`, counted in one closing diagnostic: a
  /// hostile template of 100,000 directives on one line must not copy that line 100,000 times.
  private var omittedUnknownRules = 0
  static let maximumUnknownRuleDiagnostics = 50
  /// `file:offset` of the unknown ids already reported: a template shared by several campaigns
  /// is read once per campaign.
  private var reportedUnknown: Set<String> = []

  /// The unknown-rule diagnostics of the run, the last one counting those not shown.
  var diagnostics: [Diagnostic] {
    guard omittedUnknownRules > 0, let last = unknownRules.last else { return unknownRules }
    return unknownRules + [
      Diagnostic(
        code: "suppression/unknown-rule",
        message:
          "…and \(omittedUnknownRules) more unknown rule id\(omittedUnknownRules == 1 ? "" : "s") in sendlint-disable-next-line directives, not shown",
        help: "fix the ids above first; at most \(Self.maximumUnknownRuleDiagnostics) are shown",
        path: last.path)
    ]
  }

  static func key(_ suppression: Suppression) -> String { "\(suppression.file):\(suppression.line)" }

  /// Notes the policy's suppressions that concern this draft (for the unused report).
  mutating func register(_ policy: ResolvedPolicy, draft path: String) {
    for suppression in policy.suppressions
    where suppression.files.isEmpty
      || suppression.files.contains(where: { $0.matches(relativePathFrom(path, suppression.baseDirectory)) })
    {
      if relevant[Self.key(suppression)] == nil { relevant[Self.key(suppression)] = (suppression, nil) }
    }
  }

  func relativePathFrom(_ path: String, _ directory: String) -> String {
    let prefix = directory.hasSuffix("/") ? directory : directory + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }

  /// `findings` one array per rule, in order, as `Engine.checkedByRule` gives them.
  mutating func apply(
    _ findings: [[Finding]], inventory: Inventory, policy: ResolvedPolicy, absolutePath: String, today: String
  ) -> [Finding] {
    let directives = InlineDirectives.directives(in: inventory)
    var usedDirectives = Set<Int>()
    var kept: [Finding] = []
    kept.reserveCapacity(findings.reduce(0) { $0 + $1.count })
    for finding in findings.joined() {
      // What sendlint did not read it cannot vouch for: no suppression hides a limit it hit.
      if finding.rule == InputProblems.limitExceeded {
        kept.append(finding)
        continue
      }
      // Inline: a directive with a reason on the line before the finding, for its rule.
      if let range = finding.range,
        let index = directives.firstIndex(where: { directive in
          directive.reason != nil && directive.file === range.file
            && directive.targetLine == range.startPosition.line
            && (directive.rules.contains(finding.rule) || directive.rules.contains("all"))
        })
      {
        usedDirectives.insert(index)
        suppressed += 1
        continue
      }
      if let suppression = policy.suppressions.first(where: {
        $0.matches(finding, absolutePath: absolutePath)
      }) {
        used.insert(Self.key(suppression))
        if let expires = suppression.expires, expires <= today {
          kept.append(
            Finding(
              rule: finding.rule, severity: finding.severity, message: finding.message,
              help: (finding.help.map { $0 + "; " } ?? "")
                + "the suppression (\(suppression.reason)) expired on \(expires)",
              range: finding.range, draftPath: finding.draftPath, evidence: finding.fingerprint))
          continue
        }
        suppressed += 1
        continue
      }
      kept.append(finding)
    }
    let enabled = Set(
      EffectiveSettings.rules(policy: policy, category: nil, path: absolutePath).lazy.filter(\.isEnabled).map(
        \.metadata.id))
    let known = RuleRegistry.ids + policy.customRules.map(\.metadata.id)
    let knownSet = Set(known)
    for directive in directives {
      for (rule, range) in zip(directive.rules, directive.ruleRanges)
      where rule != "all" && !knownSet.contains(rule) {
        guard reportedUnknown.insert("\(range.file.path):\(range.start)").inserted else { continue }
        guard unknownRules.count < Self.maximumUnknownRuleDiagnostics else {
          omittedUnknownRules += 1
          continue
        }
        let position = range.startPosition
        let suggestion = Suggestion.nearest(to: rule, in: known)
        unknownRules.append(
          Diagnostic(
            code: "suppression/unknown-rule",
            message:
              "sendlint-disable-next-line names the unknown rule \"\(rule.escapedForDisplay)\"; it suppresses nothing",
            help: (suggestion.map { "did you mean \"\($0)\"? " } ?? "")
              + "`sendlint rules` lists every rule id; fix or remove the id",
            path: range.file.path, position: position, sourceLine: range.file.lineText(position.line)))
      }
    }
    for (index, directive) in directives.enumerated() where !usedDirectives.contains(index) {
      // Unknown ids are reported above, not again as unused.
      guard
        directive.rules.isEmpty || directive.rules.contains(where: { $0 == "all" || knownSet.contains($0) })
      else { continue }
      if directive.reason == nil, enabled.contains("sendlint/suppression-without-reason") {
        kept.append(
          Finding(
            rule: "sendlint/suppression-without-reason",
            severity: severity("sendlint/suppression-without-reason", policy),
            message:
              "the directive for \(directive.rules.joined(separator: ", ")) gives no reason and suppresses nothing",
            help: "add the reason after --: {{!-- sendlint-disable-next-line RULE -- reason --}}",
            range: directive.range,
            draftPath: inventory.draftPath, evidence: "no-reason|\(directive.rules.joined(separator: ","))"))
      } else if directive.reason != nil, enabled.contains("sendlint/unused-suppression") {
        kept.append(
          Finding(
            rule: "sendlint/unused-suppression", severity: severity("sendlint/unused-suppression", policy),
            message:
              "the directive for \(directive.rules.joined(separator: ", ")) suppressed nothing on line \(directive.targetLine)",
            help: "remove it", range: directive.range, draftPath: inventory.draftPath,
            evidence: "unused-inline|\(directive.rules.joined(separator: ","))"))
      }
    }
    return kept
  }

  func severity(_ id: String, _ policy: ResolvedPolicy) -> Severity {
    policy.rules[id]?.severity ?? RuleRegistry.metadata(for: id)?.defaultSeverity ?? .warning
  }

  /// Policy suppressions that concerned a linted draft and suppressed nothing.
  func unused() -> [Finding] {
    relevant.values.filter { !used.contains(Self.key($0.0)) }.sorted { Self.key($0.0) < Self.key($1.0) }.map {
      suppression, _ in
      Finding(
        rule: "sendlint/unused-suppression", severity: .warning,
        message:
          "the suppression of \(suppression.rule)\(suppression.value.map { " for \"\($0)\"" } ?? "") (\(suppression.reason)) matched no finding",
        help: "remove it from the policy", range: nil, draftPath: "\(suppression.file):\(suppression.line)",
        evidence: "unused|\(suppression.rule)|\(suppression.value ?? "")")
    }
  }
}

/// A baseline: fingerprints of accepted findings, with counts (identical findings share one).
public struct Baseline: Codable, Sendable {
  public struct Entry: Codable, Sendable {
    public let fingerprint: String
    public let rule: String
    public let path: String
    public var count: Int
  }

  public var version = 1
  public var findings: [Entry]

  public init(_ findings: [Finding]) {
    var entries: [String: Entry] = [:]
    for finding in findings {
      entries[
        finding.fingerprint,
        default: Entry(fingerprint: finding.fingerprint, rule: finding.rule, path: finding.path, count: 0)
      ].count += finding.count
    }
    self.findings = entries.values.sorted {
      ($0.path, $0.rule, $0.fingerprint) < ($1.path, $1.rule, $1.fingerprint)
    }
  }

  /// Baselines larger than this are refused: one entry is about 200 bytes, so this is some 80,000
  /// accepted findings, and a hostile or mistaken file (a log, a dump) is not decoded whole.
  public static let maximumBytes = 16 * 1024 * 1024

  /// Reads the baseline at `path` (absolute), as every input is read: through `confinement` (no
  /// link out of the allowed trees, no FIFO, device or `.git` file) and at most `maximumBytes`.
  /// `shown` is the path as messages print it; `typed` the `--baseline` argument, for the commands
  /// a help line suggests (nil: the default file, which needs no `--baseline`). Without a
  /// confinement, the working directory's repository plus the baseline's own tree are allowed (a
  /// path the caller names).
  public static func read(
    _ path: String, confinement: PathConfinement? = nil, shown: String? = nil, typed: String? = nil
  ) throws(Diagnostic) -> Baseline {
    let workingDirectory = FileManager.default.currentDirectoryPath
    let absolute = PathConfinement.absolute(path, in: workingDirectory)
    let confinement =
      confinement ?? PathConfinement(workingDirectory: workingDirectory, explicitPaths: [absolute])
    let shown = shown ?? path
    let update = "sendlint baseline update" + (typed.map { " --baseline \($0.escapedForDisplay)" } ?? "")
    let data: Data
    switch confinement.read(absolute, maximumBytes: maximumBytes) {
    case .success(let read): data = Data(read.bytes)
    case .failure(.missing):
      throw Diagnostic(
        code: "usage/no-baseline", message: "cannot read baseline \(shown.escapedForDisplay): no such file",
        help: "create it with `\(update)`, or check the path (relative to the current folder)", path: shown)
    case .failure(let refusal):
      let help =
        refusal.isLimit
        ? "this is not a baseline sendlint wrote (one accepts at most some 80,000 findings); fix the findings and regenerate it with `\(update)`"
        : refusal.help
      throw Diagnostic(
        code: refusal.isLimit ? "usage/limit-exceeded" : "usage/refused-path",
        message: "baseline: " + refusal.message(shown.escapedForDisplay, root: confinement.root),
        help: help, path: shown)
    }
    do { return try JSONDecoder().decode(Baseline.self, from: data) } catch {
      throw Diagnostic(
        code: "usage/bad-baseline",
        message:
          "baseline \(shown.escapedForDisplay) is not a sendlint baseline: \(Self.reason(error).escapedForDisplay)",
        help: "regenerate it with `\(update)`", path: shown)
    }
  }

  /// A baseline given as bytes (the library): the same size limit and decoding as `read`.
  public static func decode(_ data: Data, shown: String) throws(Diagnostic) -> Baseline {
    guard data.count <= maximumBytes else {
      throw Diagnostic(
        code: "usage/limit-exceeded",
        message:
          "baseline \(shown.escapedForDisplay) is \(data.count) bytes, over the \(maximumBytes / (1024 * 1024)) MiB limit",
        help: "this is not a baseline sendlint wrote; regenerate it with `sendlint baseline update`",
        path: shown)
    }
    do { return try JSONDecoder().decode(Baseline.self, from: data) } catch {
      throw Diagnostic(
        code: "usage/bad-baseline",
        message:
          "baseline \(shown.escapedForDisplay) is not a sendlint baseline: \(Self.reason(error).escapedForDisplay)",
        help: "regenerate it with `sendlint baseline update`", path: shown)
    }
  }

  /// A decoding error in one line: what was wrong and where in the JSON, never the file's text.
  static func reason(_ error: Error) -> String {
    func at(_ path: [CodingKey]) -> String {
      path.isEmpty ? "" : " at " + path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    switch error as? DecodingError {
    case .dataCorrupted(let context): return "invalid JSON\(at(context.codingPath))"
    case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\"\(at(context.codingPath))"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "wrong type\(at(context.codingPath))"
    default: return "unreadable JSON"
    }
  }

  /// Findings not covered: each baseline entry absorbs as many identical findings as it counts.
  public func filter(_ findings: [Finding]) -> [Finding] {
    // A hand-edited or merged baseline may list a fingerprint twice: the counts add up.
    var remaining = Dictionary(self.findings.map { ($0.fingerprint, $0.count) }, uniquingKeysWith: +)
    return findings.filter { finding in
      if let count = remaining[finding.fingerprint], count > 0 {
        remaining[finding.fingerprint] = count - 1
        return false
      }
      return true
    }
  }

  /// Keeps only entries still produced (at most as many as are produced).
  public func pruned(by findings: [Finding]) -> Baseline {
    let current = Baseline(findings)
    let counts = Dictionary(uniqueKeysWithValues: current.findings.map { ($0.fingerprint, $0.count) })
    var result = self
    result.findings =
      findings.isEmpty
      ? []
      : self.findings.compactMap { entry in
        guard let count = counts[entry.fingerprint] else { return nil }
        var kept = entry
        kept.count = min(entry.count, count)
        return kept
      }
    return result
  }

  /// Writes atomically (a temporary file renamed over the target).
  public func write(to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
  }
}
