import Foundation
import SendlintCore
import SendlintInventory
import SendlintPolicy
import SendlintRules
import SendlintURL

/// What to lint and how.
public struct LintRequest: Sendable {
  public var paths: [String]
  /// An explicit policy file; nil: search upwards from each draft.
  public var policyPath: String?
  /// Category for drafts that state none (before `classify`).
  public var category: String?
  public var workingDirectory: String

  public init(paths: [String], policyPath: String? = nil, category: String? = nil, workingDirectory: String = FileManager.default.currentDirectoryPath) {
    self.paths = paths.isEmpty ? ["."] : paths
    self.policyPath = policyPath
    self.category = category
    self.workingDirectory = workingDirectory
  }
}

/// The outcome of a run: findings, or diagnostics about sendlint's own inputs.
public struct LintReport: Sendable {
  public var findings: [Finding] = []
  public var diagnostics: [Diagnostic] = []
  public var draftCount = 0
  /// Per draft: its path, category, policy and the rules that ran, for summaries and JUnit.
  public var drafts: [DraftSummary] = []

  public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }

  /// Exit status: 2 for diagnostics, 1 when a finding reaches `failOn` (nil: never), else 0.
  public func exitCode(failOn: Severity?, maxWarnings: Int? = nil) -> Int32 {
    if !diagnostics.isEmpty { return 2 }
    if let failOn, findings.contains(where: { $0.severity >= failOn && $0.severity != .off }) { return 1 }
    if let maxWarnings, count(.warning) > maxWarnings { return 1 }
    return 0
  }
}

/// What was checked in one draft.
public struct DraftSummary: Sendable {
  public let path: String
  public let category: String?
  public let policy: String
  /// Ids of the rules that ran, sorted.
  public let rules: [String]

  public init(path: String, category: String?, policy: String, rules: [String]) {
    self.path = path
    self.category = category
    self.policy = policy
    self.rules = rules
  }
}

/// Runs the pipeline: discover → load → classify → rules → findings.
public struct Engine: Sendable {
  public init() {}

  public func lint(_ request: LintRequest) -> LintReport {
    var report = LintReport()
    let loader = DraftLoader(workingDirectory: request.workingDirectory)
    let (drafts, discoveryDiagnostics) = loader.discover(request.paths)
    report.diagnostics += discoveryDiagnostics
    var policies: [String: Result<ResolvedPolicy, DiagnosticList>] = [:]
    var reportedPolicies: Set<String> = []
    func policy(for draft: String) -> ResolvedPolicy? {
      let explicit = request.policyPath.map(loader.absolutePath)
      let directory = (draft as NSString).deletingLastPathComponent
      guard let path = explicit ?? PolicyLoader.discover(from: directory) else {
        return PolicyLoader.builtinDefault(directory: request.workingDirectory)
      }
      if policies[path] == nil { policies[path] = PolicyLoader.load(path: path, displayPath: loader.displayPath) }
      switch policies[path]! {  // set just above
      case .success(let policy): return policy
      case .failure(let list):
        if reportedPolicies.insert(path).inserted { report.diagnostics += list.diagnostics }
        return nil
      }
    }
    for draft in drafts {
      guard let policy = policy(for: draft.path) else { continue }
      let (inventory, diagnostics) = loader.load(draft)
      report.diagnostics += diagnostics
      guard let inventory else { continue }
      report.draftCount += 1
      // Category: stated by the manifest, else --category, else the policy's classify.
      var category: String?
      if let stated = inventory.statedCategory {
        if !policy.categories.contains(stated.value) {
          let position = stated.range.startPosition
          report.diagnostics.append(Diagnostic(
            code: "manifest/unknown-category", message: "category \"\(stated.value)\" is not declared in the policy",
            help: Suggestion.nearest(to: stated.value, in: policy.categories).map { "did you mean \"\($0)\"?" } ?? "declared categories: \(policy.categories.joined(separator: ", "))",
            path: stated.range.file.path, position: position, sourceLine: stated.range.file.lineText(position.line)))
          continue
        }
        category = stated.value
      } else if let forced = request.category {
        category = forced
      } else {
        category = policy.classify(path: draft.path, subject: inventory.subject?.value)
      }
      report.drafts.append(DraftSummary(
        path: inventory.draftPath, category: category, policy: policy.path.map(loader.displayPath) ?? "sendlint:\(PolicyLoader.defaultPack)",
        rules: Self.enabledRules(policy: policy, category: category).map(\.metadata.id)))
      report.findings += Self.check(inventory, policy: policy, category: category)
    }
    report.findings.sort { lhs, rhs in
      if lhs.path != rhs.path { return lhs.path < rhs.path }
      let left = lhs.range?.startPosition ?? SourcePosition(line: 0, column: 0)
      let right = rhs.range?.startPosition ?? SourcePosition(line: 0, column: 0)
      if left != right { return left < right }
      return lhs.rule < rhs.rule
    }
    return report
  }

  /// The rules that run for a draft of `category` under `policy`, with their severities.
  public static func enabledRules(policy: ResolvedPolicy, category: String?) -> [(metadata: RuleMetadata, severity: Severity)] {
    RuleRegistry.allMetadata.compactMap { metadata in
      let setting = policy.rules[metadata.id]
      if let categories = setting?.categories, !(category.map(categories.contains) ?? false) { return nil }
      let severity = setting?.severity ?? metadata.defaultSeverity(for: category)
      return severity == .off ? nil : (metadata, severity)
    }
  }

  /// Runs every enabled rule on one inventory under a policy. Pure apart from the rules it calls.
  public static func check(_ inventory: Inventory, policy: ResolvedPolicy, category: String?) -> [Finding] {
    let context = RuleContext(brand: policy.brand, category: category)
    var findings: [Finding] = []
    let enabled = Dictionary(uniqueKeysWithValues: enabledRules(policy: policy, category: category).map { ($0.metadata.id, $0.severity) })
    func severity(for metadata: RuleMetadata) -> Severity? { enabled[metadata.id] }
    func add(_ hits: [Hit], _ metadata: RuleMetadata, _ severity: Severity) {
      for hit in hits {
        findings.append(Finding(
          rule: metadata.id, severity: severity, message: hit.message, help: hit.help, range: hit.range,
          draftPath: inventory.draftPath, evidence: hit.evidence))
      }
    }
    for ruleType in RuleRegistry.builtin {
      let metadata = ruleType.metadata
      guard let severity = severity(for: metadata) else { continue }
      let rule = ruleType.init(options: policy.options(for: metadata))
      add(rule.check(inventory, context), metadata, severity)
    }
    for metadata in InputProblems.all {
      guard let severity = severity(for: metadata) else { continue }
      add(InputProblems.hits(for: metadata.id, in: inventory), metadata, severity)
    }
    return findings
  }
}
