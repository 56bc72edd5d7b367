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
    for file in inventory.files where inventory.kind != .eml && file !== inventory.draftFile || inventory.kind == .template {
      for tag in MergeTags.find(in: file.bytes) where tag.isComment {
        let text = Array(file.bytes[tag.range])
        guard let found = text.firstRange(of: marker) else { continue }
        let rest = String(decoding: text[found.upperBound...], as: UTF8.self)
          .replacingOccurrences(of: "--}}", with: "").replacingOccurrences(of: "}}", with: "").replacingOccurrences(of: "#}", with: "")
        let parts = rest.components(separatedBy: "--")
        let rules = parts[0].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init).filter { !$0.isEmpty }
        let reason = parts.count > 1 ? parts.dropFirst().joined(separator: "--").trimmingCharacters(in: .whitespacesAndNewlines) : nil
        let range = SourceRange(file: file, start: tag.range.lowerBound, end: tag.range.upperBound)
        result.append(Directive(rules: rules, reason: reason?.isEmpty == false ? reason : nil, file: file, targetLine: range.endPosition.line + 1, range: range))
      }
    }
    return result
  }

  /// `<!-- sendlint-disable… -->` in HTML the recipient receives.
  static func htmlCommentDirectives(in inventory: Inventory) -> [Hit] {
    var hits: [Hit] = []
    for file in inventory.files {
      var from = 0
      let bytes = file.bytes
      while let open = bytes[from...].firstByteRange(of: Array("<!--".utf8)) {
        let close = bytes[open.upperBound...].firstByteRange(of: Array("-->".utf8))?.lowerBound ?? bytes.count
        if bytes[open.upperBound..<close].firstByteRange(of: Array("sendlint-disable".utf8)) != nil {
          hits.append(Hit(
            range: SourceRange(file: file, start: open.lowerBound, end: min(bytes.count, close + 3)),
            message: "sendlint directive in an HTML comment: it ships to every recipient and sendlint ignores it",
            help: "use a template comment that does not render, e.g. {{!-- sendlint-disable-next-line RULE -- reason --}}, or a policy suppress entry",
            evidence: "html-comment-directive"))
        }
        from = min(bytes.count, close + 3)
        if from >= bytes.count { break }
      }
    }
    return hits
  }
}

/// Applies policy suppressions and inline directives across a run, and reports the unused ones.
struct SuppressionTracker {
  private var used: Set<String> = []
  private var relevant: [String: (Suppression, SourceFile?)] = [:]
  private var unusedInline: [Finding] = []
  private(set) var suppressed = 0

  static func key(_ suppression: Suppression) -> String { "\(suppression.file):\(suppression.line)" }

  /// Notes the policy's suppressions that concern this draft (for the unused report).
  mutating func register(_ policy: ResolvedPolicy, draft path: String) {
    for suppression in policy.suppressions where suppression.files.isEmpty || suppression.files.contains(where: { $0.matches(relativePathFrom(path, suppression.baseDirectory)) }) {
      if relevant[Self.key(suppression)] == nil { relevant[Self.key(suppression)] = (suppression, nil) }
    }
  }

  func relativePathFrom(_ path: String, _ directory: String) -> String {
    let prefix = directory.hasSuffix("/") ? directory : directory + "/"
    return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
  }

  mutating func apply(_ findings: [Finding], inventory: Inventory, policy: ResolvedPolicy, absolutePath: String, today: String) -> [Finding] {
    let directives = InlineDirectives.directives(in: inventory)
    var usedDirectives = Set<Int>()
    var kept: [Finding] = []
    for finding in findings {
      // What sendlint did not read it cannot vouch for: no suppression hides a limit it hit.
      if finding.rule == InputProblems.limitExceeded {
        kept.append(finding)
        continue
      }
      // Inline: a directive with a reason on the line before the finding, for its rule.
      if let range = finding.range, let index = directives.firstIndex(where: { directive in
        directive.reason != nil && directive.file === range.file && directive.targetLine == range.startPosition.line
          && (directive.rules.contains(finding.rule) || directive.rules.contains("all"))
      }) {
        usedDirectives.insert(index)
        suppressed += 1
        continue
      }
      if let suppression = policy.suppressions.first(where: { $0.matches(finding, absolutePath: absolutePath) }) {
        used.insert(Self.key(suppression))
        if let expires = suppression.expires, expires <= today {
          kept.append(Finding(
            rule: finding.rule, severity: finding.severity, message: finding.message,
            help: (finding.help.map { $0 + "; " } ?? "") + "the suppression (\(suppression.reason)) expired on \(expires)",
            range: finding.range, draftPath: finding.draftPath, evidence: finding.fingerprint))
          continue
        }
        suppressed += 1
        continue
      }
      kept.append(finding)
    }
    let enabled = Set(Engine.enabledRules(policy: policy, category: nil, path: absolutePath).map(\.metadata.id))
    for (index, directive) in directives.enumerated() where !usedDirectives.contains(index) {
      if directive.reason == nil, enabled.contains("sendlint/suppression-without-reason") {
        kept.append(Finding(
          rule: "sendlint/suppression-without-reason", severity: severity("sendlint/suppression-without-reason", policy),
          message: "the directive for \(directive.rules.joined(separator: ", ")) gives no reason and suppresses nothing",
          help: "add the reason after --: {{!-- sendlint-disable-next-line RULE -- reason --}}", range: directive.range,
          draftPath: inventory.draftPath, evidence: "no-reason|\(directive.rules.joined(separator: ","))"))
      } else if directive.reason != nil, enabled.contains("sendlint/unused-suppression") {
        kept.append(Finding(
          rule: "sendlint/unused-suppression", severity: severity("sendlint/unused-suppression", policy),
          message: "the directive for \(directive.rules.joined(separator: ", ")) suppressed nothing on line \(directive.targetLine)",
          help: "remove it", range: directive.range, draftPath: inventory.draftPath, evidence: "unused-inline|\(directive.rules.joined(separator: ","))"))
      }
    }
    return kept
  }

  func severity(_ id: String, _ policy: ResolvedPolicy) -> Severity {
    policy.rules[id]?.severity ?? RuleRegistry.metadata(for: id)?.defaultSeverity ?? .warning
  }

  /// Policy suppressions that concerned a linted draft and suppressed nothing.
  func unused() -> [Finding] {
    relevant.values.filter { !used.contains(Self.key($0.0)) }.sorted { Self.key($0.0) < Self.key($1.0) }.map { suppression, _ in
      Finding(
        rule: "sendlint/unused-suppression", severity: .warning,
        message: "the suppression of \(suppression.rule)\(suppression.value.map { " for \"\($0)\"" } ?? "") (\(suppression.reason)) matched no finding",
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
      entries[finding.fingerprint, default: Entry(fingerprint: finding.fingerprint, rule: finding.rule, path: finding.path, count: 0)].count += finding.count
    }
    self.findings = entries.values.sorted { ($0.path, $0.rule, $0.fingerprint) < ($1.path, $1.rule, $1.fingerprint) }
  }

  public static func read(_ path: String) -> Result<Baseline, Diagnostic> {
    guard let data = FileManager.default.contents(atPath: path) else {
      return .failure(Diagnostic(code: "usage/no-baseline", message: "cannot read baseline \(path)", help: "create it with `sendlint baseline update --baseline \(path)`", path: path))
    }
    do { return .success(try JSONDecoder().decode(Baseline.self, from: data)) } catch {
      return .failure(Diagnostic(code: "usage/bad-baseline", message: "baseline \(path) is not a sendlint baseline: \(error)", path: path))
    }
  }

  /// Findings not covered: each baseline entry absorbs as many identical findings as it counts.
  public func filter(_ findings: [Finding]) -> [Finding] {
    var remaining = Dictionary(uniqueKeysWithValues: self.findings.map { ($0.fingerprint, $0.count) })
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
    result.findings = findings.isEmpty ? [] : self.findings.compactMap { entry in
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
