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
  /// A baseline file: findings whose fingerprints it lists are not reported.
  public var baselinePath: String?
  /// The paths are files a commit changed (`--from-hook`); see `DraftLoader.fromHook`.
  public var fromHook = false
  /// `--exclude` patterns (gitignore syntax); see `IgnoreRules`.
  public var excludes: [String] = []
  /// Today, for suppression expiry (`YYYY-MM-DD`); the engine's only clock, injectable for tests.
  public var today: String = Engine.todayString()

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
  /// Files and folders found but not linted, with the reason: nothing is skipped silently.
  public var skipped: [SkippedPath] = []
  /// Skipped files (folders aside), for summaries.
  public var skippedFileCount: Int { skipped.filter { !$0.isFolder }.count }

  public func count(_ severity: Severity) -> Int { findings.filter { $0.severity == severity }.count }

  /// Exit status: 2 for diagnostics, 1 when a finding reaches `failOn` (nil: never), else 0.
  /// Metadata of every rule the run knew: built-in and the custom rules of the policies used.
  public var ruleMetadata: [RuleMetadata] = RuleRegistry.allMetadata

  /// Findings left out because a suppression or the baseline covers them.
  public var suppressedCount = 0
  public var baselinedCount = 0

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
    var loader = DraftLoader(workingDirectory: request.workingDirectory, explicitPaths: request.paths + [request.policyPath].compactMap { $0 })
    loader.fromHook = request.fromHook
    loader.excludes = request.excludes
    let discovery = loader.discoverAll(request.paths)
    let drafts = discovery.drafts
    report.diagnostics += discovery.diagnostics
    report.skipped = discovery.skipped
    var policies: [String: Result<ResolvedPolicy, DiagnosticList>] = [:]
    var reportedPolicies: Set<String> = []
    func policy(for draft: String) -> ResolvedPolicy? {
      let explicit = request.policyPath.map(loader.absolutePath)
      let directory = (draft as NSString).deletingLastPathComponent
      guard let path = explicit ?? PolicyLoader.discover(from: directory, within: loader.confinement) else {
        return PolicyLoader.builtinDefault(directory: request.workingDirectory)
      }
      if policies[path] == nil { policies[path] = PolicyLoader.load(path: path, displayPath: loader.displayPath, confinement: loader.confinement) }
      switch policies[path]! {  // set just above
      case .success(let policy): return policy
      case .failure(let list):
        if reportedPolicies.insert(path).inserted { report.diagnostics += list.diagnostics }
        return nil
      }
    }
    var suppressions = SuppressionTracker()
    for draft in drafts {
      guard let policy = policy(for: draft.path) else { continue }
      suppressions.register(policy, draft: draft.path)
      for custom in policy.customRules where !report.ruleMetadata.contains(where: { $0.id == custom.metadata.id }) {
        report.ruleMetadata.append(custom.metadata)
      }
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
        rules: Self.enabledRules(policy: policy, category: category, path: draft.path).map(\.metadata.id)))
      var findings = Self.check(inventory, policy: policy, category: category, path: draft.path)
      findings = suppressions.apply(findings, inventory: inventory, policy: policy, absolutePath: draft.path, today: request.today)
      report.findings += findings
    }
    report.findings += suppressions.unused()
    report.suppressedCount = suppressions.suppressed
    if let baselinePath = request.baselinePath {
      switch Baseline.read(loader.absolutePath(baselinePath)) {
      case .success(let baseline):
        let kept = baseline.filter(report.findings)
        report.baselinedCount = report.findings.count - kept.count
        report.findings = kept
      case .failure(let diagnostic):
        report.diagnostics.append(diagnostic)
      }
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

  static func todayString() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: Date())
  }

  /// The rules that run for a draft of `category` under `policy`, with their severities and
  /// settings (overrides applied).
  public static func enabledRules(policy: ResolvedPolicy, category: String?, path: String = "") -> [(metadata: RuleMetadata, severity: Severity, setting: RuleSetting?)] {
    let settings = policy.effectiveRules(path: path, category: category)
    return policy.allRuleMetadata.compactMap { metadata in
      let setting = settings[metadata.id]
      if let categories = setting?.categories, !(category.map(categories.contains) ?? false) { return nil }
      let severity = setting?.severity ?? metadata.defaultSeverity(for: category)
      return severity == .off ? nil : (metadata, severity, setting)
    }
  }

  /// Runs every enabled rule on one inventory under a policy. Pure apart from the rules it calls.
  public static func check(_ inventory: Inventory, policy: ResolvedPolicy, category: String?, path: String = "") -> [Finding] {
    let context = RuleContext(brand: policy.brand, category: category)
    var findings: [Finding] = []
    let enabled = Dictionary(uniqueKeysWithValues: enabledRules(policy: policy, category: category, path: path).map { ($0.metadata.id, ($0.severity, $0.setting)) })
    func add(_ hits: [Hit], _ metadata: RuleMetadata) {
      guard let (severity, setting) = enabled[metadata.id] else { return }
      // Parsed once per rule, rendered in one pass per hit: values are never re-scanned for
      // placeholders and the result is capped (MessageTemplate.maximumRenderedBytes).
      let template = setting?.message.map(MessageTemplate.init)
      for hit in hits {
        var message = hit.message
        if let template {
          // The policy's wording, with the rule's named values.
          var values = hit.placeholders
          values["message"] = hit.message
          values["rule"] = metadata.id
          message = template.render(values)
        }
        findings.append(Finding(
          rule: metadata.id, severity: severity, message: message, help: hit.help, range: hit.range,
          draftPath: inventory.draftPath, evidence: hit.evidence))
      }
    }
    for ruleType in RuleRegistry.builtin where enabled[ruleType.metadata.id] != nil {
      let metadata = ruleType.metadata
      let rule = ruleType.init(options: policy.options(for: metadata, setting: enabled[metadata.id]?.1))
      add(rule.check(inventory, context), metadata)
    }
    for metadata in InputProblems.all { add(InputProblems.hits(for: metadata.id, in: inventory), metadata) }
    for custom in policy.customRules where enabled[custom.metadata.id] != nil { add(custom.check(inventory, context), custom.metadata) }
    // Directives in HTML comments are findings themselves (they ship); see SuppressionTracker.
    if let meta = MetaRules.all.first(where: { $0.id == "sendlint/html-comment-suppression" }) {
      add(InlineDirectives.htmlCommentDirectives(in: inventory), meta)
    }
    return findings
  }
}
