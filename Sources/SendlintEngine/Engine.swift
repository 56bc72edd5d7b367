import Foundation
import SendlintCore
import SendlintDNS
import SendlintInventory
import SendlintOnline
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
  /// With no `baselinePath`, use `.sendlint-baseline.json` at the repository root when it exists
  /// (the CLI's `lint`; off for library callers and `baseline update`, which must see everything).
  public var findsBaseline = false
  /// One draft given as bytes (`lint -`): linted instead of discovering `paths`.
  public var standardInput: StandardInputDraft?
  /// A campaign given as bytes (the library, a server): linted instead of discovering `paths`.
  public var campaign: InMemoryCampaign?
  /// A policy already loaded, used for every draft instead of `policyPath` or discovery.
  public var policy: ResolvedPolicy?
  /// A baseline already read (the library), applied like `baselinePath`; `baselinePath` wins.
  public var baseline: Baseline?
  /// The name `baselineUsed` reports for `baseline`.
  public var baselineName: String?

  /// The paths are files a commit changed (`--from-hook`); see `DraftLoader.fromHook`.
  public var fromHook = false
  /// `--exclude` patterns (gitignore syntax); see `IgnoreRules`.
  public var excludes: [String] = []
  /// Today, for suppression expiry (`YYYY-MM-DD`); the engine's only clock, injectable for tests.
  public var today: String = Engine.todayString()
  /// Build a `DraftPreview` per draft (`--format html`); off by default, it keeps each inventory
  /// until the findings are final.
  public var buildsPreviews = false
  /// `--online`: look up published DNS for every draft (a policy's `online: true` turns it on for
  /// the drafts under it). Off: no socket is opened and the online rules never run.
  public var online = false
  /// Answers online lookups; nil: a socket client of `resolverAddresses`, else of /etc/resolv.conf.
  public var resolver: (any DNSResolver)?
  /// `--resolver`: the nameservers to ask instead of /etc/resolv.conf's.
  public var resolverAddresses: [ResolverAddress] = []
  /// `--dns-timeout`: how long one server is waited for, per question.
  public var dnsTimeout: Duration = .seconds(3)
  /// `--dns-budget`: all lookups of one run together; later questions are not asked.
  public var dnsBudget: Duration = .seconds(30)
  /// Drafts read and checked at once (`--jobs`); nil: one per core. The report is the same for
  /// any value: drafts are merged in discovery order.
  public var jobs: Int?
  /// Stops the lint early when cancelled (see `LintCancellation`); nil: runs to its end.
  public var cancellation: LintCancellation?

  public init(
    paths: [String], policyPath: String? = nil, category: String? = nil,
    workingDirectory: String = FileManager.default.currentDirectoryPath
  ) {
    self.paths = paths.isEmpty ? ["."] : paths
    self.policyPath = policyPath
    self.category = category
    self.workingDirectory = workingDirectory
  }
}

/// A draft read from standard input, and the path that names it (locations, kind, policy search).
public struct StandardInputDraft: Sendable {
  /// The draft's bytes, already bounded by the reader (`DraftLoader.maximumFileBytes`).
  public var bytes: [UInt8]
  /// `--stdin-filename`, relative to the working directory; nil: a message named `<stdin>`.
  public var filename: String?

  /// What the bytes are, when the caller knows (the library): nil, from `filename`'s extension.
  public var kind: Kind?

  public enum Kind: Sendable {
    case message, htmlTemplate, textTemplate
  }

  public init(bytes: [UInt8], filename: String? = nil, kind: Kind? = nil) {
    self.bytes = bytes
    self.filename = filename
    self.kind = kind
  }

  /// The name used when `--stdin-filename` is not given.
  public static let defaultName = "<stdin>"
}

/// A campaign held in memory: its manifest's bytes and the templates it names, keyed by the path
/// written in the manifest (`html:`, `text:`). Nothing is read from the file system.
public struct InMemoryCampaign: Sendable {
  public var manifest: [UInt8]
  public var templates: [String: [UInt8]]
  /// The manifest's path for locations and messages, relative to the working directory.
  public var name: String

  public init(manifest: [UInt8], templates: [String: [UInt8]], name: String) {
    self.manifest = manifest
    self.templates = templates
    self.name = name
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

  /// Occurrences at `severity`: an aggregated finding counts as many times as it occurred.
  public func count(_ severity: Severity) -> Int {
    findings.filter { $0.severity == severity }.reduce(0) { $0 + $1.count }
  }

  /// Exit status: 2 for diagnostics, 1 when a finding reaches `failOn` (nil: never), else 0.
  /// Metadata of every rule the run knew: built-in and the custom rules of the policies used.
  public var ruleMetadata: [RuleMetadata] = RuleRegistry.allMetadata

  /// Findings left out because a suppression or the baseline covers them.
  public var suppressedCount = 0
  public var baselinedCount = 0
  /// The baseline file applied (display path), given or found at the repository root.
  public var baselineUsed: String?
  /// With `LintRequest.buildsPreviews`: one preview per linted draft, in `drafts` order.
  public var previews: [DraftPreview] = []

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
    var loader = DraftLoader(
      workingDirectory: request.workingDirectory,
      explicitPaths: request.paths + [request.policyPath, request.baselinePath].compactMap { $0 })
    loader.fromHook = request.fromHook
    loader.excludes = request.excludes
    var drafts: [DraftSource] = []
    var stdinFile: SourceFile?
    var skippedCount = 0
    if let input = request.standardInput {
      do {
        let source = try Self.standardInputSource(input, loader: loader)
        drafts = [source]
        stdinFile = SourceFile(path: loader.displayPath(source.path), bytes: input.bytes)
      } catch {
        report.diagnostics.append(error)
      }
    } else if let campaign = request.campaign {
      drafts = [.campaign(manifestPath: loader.absolutePath(campaign.name))]
    } else {
      let discovery = loader.discoverAll(request.paths)
      drafts = discovery.drafts
      report.diagnostics += discovery.diagnostics
      report.skipped = discovery.skipped
      skippedCount = discovery.skipped.count
    }
    var policies: [String: Result<ResolvedPolicy, DiagnosticList>] = [:]
    var reportedPolicies: Set<String> = []
    func policy(for draft: String) -> ResolvedPolicy? {
      if let preloaded = request.policy { return preloaded }
      let explicit = request.policyPath.map(loader.absolutePath)
      let directory = (draft as NSString).deletingLastPathComponent
      guard let path = explicit ?? PolicyLoader.discover(from: directory, within: loader.confinement) else {
        return PolicyLoader.builtinDefault(directory: request.workingDirectory)
      }
      if policies[path] == nil {
        // Stored as a `Result`: each policy is loaded once per run however many drafts share it.
        policies[path] = Result { () throws(DiagnosticList) in
          try PolicyLoader.load(path: path, displayPath: loader.displayPath, confinement: loader.confinement)
        }
      }
      switch policies[path]! {  // set just above
      case .success(let policy): return policy
      case .failure(let list):
        if reportedPolicies.insert(path).inserted { report.diagnostics += list.diagnostics }
        return nil
      }
    }
    // Nothing to lint is a usage error, not "no problems in 0 drafts": a CI gate pointed at a
    // renamed folder or a wrong glob would otherwise pass forever (ESLint: "No files matching").
    if drafts.isEmpty, report.diagnostics.isEmpty, request.standardInput == nil, request.campaign == nil {
      report.diagnostics.append(Self.noDraftsDiagnostic(request.paths, skipped: skippedCount))
    }
    // `--category` is checked against every policy a draft uses: a misspelt value would match no
    // category-scoped rule and silently drop them. Checked once per policy; its drafts are not
    // linted under a category the policy does not know.
    var categoryChecked: [String: Bool] = [:]
    func acceptsForcedCategory(_ policy: ResolvedPolicy) -> Bool {
      guard let forced = request.category else { return true }
      let key = policy.path ?? "sendlint:\(PolicyLoader.defaultPack)"
      if let known = categoryChecked[key] { return known }
      let accepted = policy.categories.contains(forced)
      categoryChecked[key] = accepted
      if !accepted {
        let shown = policy.path.map(loader.displayPath) ?? key
        let declared = policy.categories.isEmpty ? "none" : policy.categories.joined(separator: ", ")
        let suggestion =
          Suggestion.nearest(to: forced, in: policy.categories).map { "did you mean \"\($0)\"? " } ?? ""
        report.diagnostics.append(
          Diagnostic(
            code: "usage/unknown-category",
            message:
              "--category \"\(forced)\" is not a category declared by the policy \(shown) (declared: \(declared))",
            help:
              "\(suggestion)give one of the declared categories, or add it to `categories:` in the policy",
            path: shown))
      }
      return accepted
    }
    // One resolver per run, made before the drafts when any of them is online: each name is asked
    // once per run (it is locked, so the reading threads share it) and the budget spans all drafts.
    // Offline it is never made, so no socket is ever opened.
    // In draft order, before any draft is read: each draft's policy and the forced category's
    // check, keeping the diagnostics they raise with the draft that raised them, so the report
    // lists them where a sequential loop would.
    var plans: [(policy: ResolvedPolicy?, diagnostics: [Diagnostic])] = []
    plans.reserveCapacity(drafts.count)
    for draft in drafts {
      let before = report.diagnostics.count
      let found = policy(for: draft.path)
      let accepted = found.flatMap { acceptsForcedCategory($0) ? $0 : nil }
      plans.append((accepted, Array(report.diagnostics[before...])))
      report.diagnostics.removeSubrange(before...)
    }
    // Reading and checking a draft depends on nothing but the draft and its policy: done on
    // `jobs` threads, at most two drafts per thread in flight (memory stays bounded), and merged
    // here in draft order, so the report is the one a sequential run writes.
    let jobs = max(1, request.jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    let draftPolicies = plans.map(\.policy)
    var runResolver: RunResolver?
    if request.online || draftPolicies.contains(where: { $0?.online == true }) {
      let deadline = ContinuousClock.now + request.dnsBudget
      let inner: any DNSResolver =
        request.resolver
        ?? (request.resolverAddresses.isEmpty
          ? SocketResolver.system(timeout: request.dnsTimeout, deadline: deadline)
          : SocketResolver(
            servers: request.resolverAddresses, timeout: request.dnsTimeout, deadline: deadline))
      runResolver = RunResolver(inner, budget: request.dnsBudget)
    }
    let work: @Sendable (Int) -> CheckedDraft = { [loader, drafts, stdinFile, runResolver] index in
      guard let policy = draftPolicies[index] else { return CheckedDraft() }
      if request.cancellation?.isCancelled == true { return CheckedDraft() }
      return Self.read(
        drafts[index], policy: policy, request: request, loader: loader, standardInput: stdinFile,
        resolver: runResolver)
    }
    var suppressions = SuppressionTracker()
    var previewInputs: [(Inventory, DraftSummary, BrandFacts)] = []
    OrderedWork.run(count: drafts.count, jobs: jobs, window: 2 * jobs, work: work) { index, checked in
      let draft = drafts[index]
      report.diagnostics += plans[index].diagnostics
      guard let policy = plans[index].policy else { return }
      suppressions.register(policy, draft: draft.path)
      for custom in policy.customRules
      where !report.ruleMetadata.contains(where: { $0.id == custom.metadata.id }) {
        report.ruleMetadata.append(custom.metadata)
      }
      report.diagnostics += checked.diagnostics
      guard let inventory = checked.inventory else { return }
      report.draftCount += 1
      guard let summary = checked.summary else { return }
      report.drafts.append(summary)
      let findings = suppressions.apply(
        checked.findings, inventory: inventory, policy: policy, absolutePath: draft.path, today: request.today
      )
      // The first draft's findings become the report's array, not a second copy of it.
      if report.findings.isEmpty { report.findings = findings } else { report.findings += findings }
      if request.buildsPreviews { previewInputs.append((inventory, summary, policy.brand)) }
    }
    if let cancellation = request.cancellation, cancellation.isCancelled {
      // Some drafts were not read, or not checked by every rule: the report is partial, and says so
      // (unused suppressions are not judged on a partial run).
      report.diagnostics.append(
        Diagnostic(
          code: "usage/cancelled",
          message: "the lint was cancelled before it finished; the findings are incomplete",
          help: "run it again with a larger time budget (a server's --request-timeout), or on fewer drafts",
          path: request.standardInput?.filename ?? request.campaign?.name ?? request.paths.first ?? "."))
      report.diagnostics += suppressions.diagnostics
      report.suppressedCount = suppressions.suppressed
      return report
    }
    report.diagnostics += suppressions.diagnostics
    report.findings += suppressions.unused()
    report.suppressedCount = suppressions.suppressed
    var baselinePath = request.baselinePath.map(loader.absolutePath)
    if baselinePath == nil, request.findsBaseline {
      let candidate = loader.confinement.root + "/" + Self.baselineFileName
      var status = stat()
      if lstat(candidate, &status) == 0 {
        // Found, not named: it is repository content like any draft, so a link out is refused.
        switch loader.confinement.check(candidate) {
        case .success: baselinePath = candidate
        case .failure(let refusal):
          report.diagnostics.append(
            Diagnostic(
              code: "usage/refused-path",
              message: "baseline: "
                + refusal.message(loader.displayPath(candidate), root: loader.confinement.root),
              help: refusal.help, path: loader.displayPath(candidate)))
        }
      }
    }
    if baselinePath == nil, let baseline = request.baseline {
      report.baselineUsed = request.baselineName
      let kept = baseline.filter(report.findings)
      report.baselinedCount = report.findings.count - kept.count
      report.findings = kept
    }
    if let baselinePath {
      do {
        let baseline = try Baseline.read(
          baselinePath, confinement: loader.confinement, shown: loader.displayPath(baselinePath),
          typed: request.baselinePath)
        report.baselineUsed = loader.displayPath(baselinePath)
        let kept = baseline.filter(report.findings)
        report.baselinedCount = report.findings.count - kept.count
        report.findings = kept
      } catch {
        report.diagnostics.append(error)
      }
    }
    // Sort keys are computed once per finding, not in the comparator: O(n) positions, not
    // O(n log n). The original index breaks ties, so the order stays deterministic.
    let keys = report.findings.enumerated().map { index, finding in
      (finding.path, finding.range?.startPosition ?? SourcePosition(line: 0, column: 0), finding.rule, index)
    }
    let order = keys.sorted { lhs, rhs in
      if lhs.0 != rhs.0 { return lhs.0 < rhs.0 }
      if lhs.1 != rhs.1 { return lhs.1 < rhs.1 }
      if lhs.2 != rhs.2 { return lhs.2 < rhs.2 }
      return lhs.3 < rhs.3
    }
    report.findings = Self.aggregate(order.map { report.findings[$0.3] })
    if request.buildsPreviews {
      var byDraft: [String: [Int]] = [:]
      for (index, finding) in report.findings.enumerated() {
        byDraft[finding.draftPath, default: []].append(index)
      }
      report.previews = previewInputs.map { inventory, summary, brand in
        DraftPreview.build(
          inventory, summary: summary, brand: brand, findings: report.findings,
          indexes: byDraft[inventory.draftPath] ?? [])
      }
    }
    return report
  }

  /// Identical findings of one draft (same rule, severity, message, help and fingerprint, so a
  /// baseline entry's count still covers every occurrence) become one, with
  /// `count` and the first `Finding.maximumLocations` locations, in the order given (the report's,
  /// so "first" is by position). One defect repeated 3,000 times is one line to fix, not 3,000;
  /// and the report's size is bounded by the distinct defects. Suppressions and the baseline have
  /// already applied per occurrence. O(n).
  public static func aggregate(_ findings: [Finding]) -> [Finding] {
    var output: [Finding] = []
    var index: [AggregationKey: Int] = [:]
    output.reserveCapacity(findings.count)
    for finding in findings {
      let key = AggregationKey(
        draftPath: finding.draftPath, rule: finding.rule, severity: finding.severity,
        message: finding.message,
        help: finding.help ?? "", fingerprint: finding.fingerprintValue)
      if let existing = index[key] {
        output[existing].count += finding.count
        for location in finding.locations where output[existing].locations.count < Finding.maximumLocations {
          output[existing].locations.append(location)
        }
      } else {
        index[key] = output.count
        output.append(finding)
      }
    }
    return output
  }

  /// What makes findings identical for `aggregate`: compared field by field, with no joined text
  /// or fingerprint written out per finding.
  struct AggregationKey: Hashable {
    let draftPath: String
    let rule: String
    let severity: Severity
    let message: String
    let help: String
    let fingerprint: Fingerprint.Value
  }

  /// One draft read and checked, before suppressions (which depend on the run, in order).
  struct CheckedDraft: Sendable {
    var inventory: Inventory?
    /// The loader's diagnostics, then a stated category the policy does not declare.
    var diagnostics: [Diagnostic] = []
    /// Nil when the draft was not linted (unreadable, or an undeclared stated category).
    var summary: DraftSummary?
    /// One array per rule (`checkedByRule`).
    var findings: [[Finding]] = []
  }

  /// Reads `draft`, classifies it and runs its policy's rules: everything per draft that needs
  /// nothing from the other drafts, so drafts can be read on several threads at once.
  static func read(
    _ draft: DraftSource, policy: ResolvedPolicy, request: LintRequest, loader: DraftLoader,
    standardInput: SourceFile?,
    resolver: RunResolver?
  ) -> CheckedDraft {
    let (loaded, diagnostics) =
      standardInput.map { Self.readStandardInput($0, as: draft, finder: loader.finder) }
      ?? request.campaign.map {
        Self.readCampaign($0, shown: loader.displayPath(draft.path), finder: loader.finder)
      } ?? loader.load(draft)
    var checked = CheckedDraft(inventory: loaded, diagnostics: diagnostics)
    guard var inventory = loaded, request.cancellation?.isCancelled != true else { return checked }
    if let resolver, request.online || policy.online {
      inventory.online = OnlineCollector(resolver: resolver).collect(inventory)
      checked.inventory = inventory
    }
    // Category and rule severities: decided once, as `policy show` and `inspect` show them.
    let settings = EffectiveSettings.resolve(
      policy: policy, path: draft.path, statedCategory: inventory.statedCategory,
      requestedCategory: request.category,
      subject: inventory.subject?.value)
    guard settings.diagnostics.isEmpty else {
      checked.diagnostics += settings.diagnostics
      return checked
    }
    let category = settings.category
    checked.summary = DraftSummary(
      path: inventory.draftPath, category: category,
      policy: policy.path.map(loader.displayPath) ?? "sendlint:\(PolicyLoader.defaultPack)",
      rules: settings.enabledRules.map(\.metadata.id))
    checked.findings = Self.checkedByRule(
      inventory, policy: policy, category: category, path: draft.path, cancellation: request.cancellation,
      rules: settings.rules)
    if !request.buildsPreviews { checked.inventory = Self.retained(inventory) }
    return checked
  }

  /// What the run keeps of a checked draft's inventory when it builds no preview: the suppression
  /// tracker reads only the draft's identity and files (inline directives), so the links, bodies
  /// and texts are released when `read` returns, not held while the run applies suppressions
  /// and collects the findings (on flanker's `enclosed-endless.eml`, 2,000 HTML parts, that
  /// overlap was 11 MB, 3.8× the message).
  static func retained(_ inventory: Inventory) -> Inventory {
    var kept = Inventory(draftPath: inventory.draftPath, kind: inventory.kind, draftFile: inventory.draftFile)
    kept.files = inventory.files
    return kept
  }

  /// The kind of the standard-input draft, from its name: `.eml` (or no name) a message,
  /// `.html`/`.htm`/`.txt` a template. A manifest is refused: its templates are separate files.
  static func standardInputSource(_ input: StandardInputDraft, loader: DraftLoader) throws(Diagnostic)
    -> DraftSource
  {
    if let kind = input.kind {
      let absolute = loader.absolutePath(input.filename ?? StandardInputDraft.defaultName)
      switch kind {
      case .message: return .eml(path: absolute)
      case .htmlTemplate: return .template(path: absolute, isHTML: true)
      case .textTemplate: return .template(path: absolute, isHTML: false)
      }
    }
    guard let filename = input.filename else {
      return .eml(path: loader.absolutePath(StandardInputDraft.defaultName))
    }
    let absolute = loader.absolutePath(filename)
    let name = (absolute as NSString).lastPathComponent
    let lowered = name.lowercased()
    if lowered == "campaign.yaml" || lowered.hasSuffix(".campaign.yaml") {
      throw
        Diagnostic(
          code: "usage/stdin-manifest",
          message:
            "--stdin-filename \"\(filename)\" names a campaign manifest, which cannot be read from standard input",
          help:
            "a manifest's templates are files beside it; lint the manifest by path: `sendlint lint \(filename)`",
          path: filename)
    }
    switch (name as NSString).pathExtension.lowercased() {
    case "eml": return .eml(path: absolute)
    case "html", "htm": return .template(path: absolute, isHTML: true)
    case "txt": return .template(path: absolute, isHTML: false)
    default:
      throw
        Diagnostic(
          code: "usage/stdin-kind",
          message: "--stdin-filename \"\(filename)\" does not say what kind of draft standard input holds",
          help: "name it with .eml (a message), .html or .htm (an HTML template) or .txt (a text template)",
          path: filename)
    }
  }

  static func readStandardInput(_ file: SourceFile, as source: DraftSource, finder: TextURLFinder) -> (
    inventory: Inventory?, diagnostics: [Diagnostic]
  ) {
    if case .template(_, let isHTML) = source {
      return (InventoryReader.template(file, isHTML: isHTML, finder: finder), [])
    }
    return (InventoryReader.eml(file, finder: finder), [])
  }

  /// A campaign from memory, read as `DraftLoader.load` reads one from files: manifest problems
  /// and templates it names but `templates` lacks are diagnostics at the manifest's line.
  static func readCampaign(_ campaign: InMemoryCampaign, shown: String, finder: TextURLFinder) -> (
    inventory: Inventory?, diagnostics: [Diagnostic]
  ) {
    let file = SourceFile(path: shown, bytes: campaign.manifest)
    let (manifest, diagnostics) = CampaignManifest.read(file)
    guard let manifest else { return (nil, diagnostics) }
    var problems: [Diagnostic] = []
    func template(_ reference: Located<String>?) -> SourceFile? {
      guard let reference else { return nil }
      if let bytes = campaign.templates[reference.value] {
        // Named as a file beside the manifest would be, so locations read the same either way.
        let directory = (shown as NSString).deletingLastPathComponent
        return SourceFile(
          path: directory.isEmpty
            ? reference.value : (directory as NSString).appendingPathComponent(reference.value), bytes: bytes)
      }
      let position = reference.range.startPosition
      let given = campaign.templates.keys.sorted()
      let suggestion =
        Suggestion.nearest(to: reference.value, in: given).map {
          "did you mean \"\($0.escapedForDisplay)\"? "
        } ?? ""
      problems.append(
        Diagnostic(
          code: "manifest/missing-template",
          message: "template \"\(reference.value.escapedForDisplay)\" was not given with the campaign",
          help: "\(suggestion)pass it in the templates, keyed by the path the manifest writes"
            + (given.isEmpty
              ? " (none were given)"
              : " (given: \(given.prefix(10).map(\.escapedForDisplay).joined(separator: ", ")))"),
          path: shown, position: position, sourceLine: file.lineText(position.line)))
      return nil
    }
    let html = template(manifest.html)
    let text = template(manifest.text)
    guard problems.isEmpty, diagnostics.isEmpty else { return (nil, diagnostics + problems) }
    return (InventoryReader.campaign(manifest, html: html, text: text, finder: finder), [])
  }

  /// The baseline `lint` uses from the repository root when none is given.
  public static let baselineFileName = ".sendlint-baseline.json"

  /// What a run that found no draft says: the paths it was given and what sendlint lints.
  static func noDraftsDiagnostic(_ paths: [String], skipped: Int) -> Diagnostic {
    let named = paths.map { "\"\($0)\"" }.joined(separator: ", ")
    let skippedNote =
      skipped == 0
      ? ""
      : " (\(skipped) file\(skipped == 1 ? "" : "s") or folder\(skipped == 1 ? "" : "s") skipped as not drafts; --verbose lists them)"
    return Diagnostic(
      code: "usage/no-drafts", message: "no drafts found in \(named)\(skippedNote)",
      help: "sendlint lints .eml messages, campaign manifests (*.campaign.yaml, campaign.yaml) and templates "
        + "(.html, .htm, .txt); check the paths given to `sendlint lint`",
      path: paths.first ?? ".")
  }

  /// Today in UTC as `yyyy-MM-dd`, from gmtime_r: a DateFormatter cost 2 M instructions (ICU
  /// set-up) of every run's start-up.
  static func todayString() -> String {
    var seconds = time(nil)
    var parts = tm()
    guard gmtime_r(&seconds, &parts) != nil else { return "1970-01-01" }
    func padded(_ value: Int32, _ width: Int) -> String {
      let digits = String(value)
      return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))"
  }

  /// The rules that run for a draft of `category` under `policy`, with their severities and
  /// settings (overrides applied): `EffectiveSettings.rules` without those that are off.
  public static func enabledRules(policy: ResolvedPolicy, category: String?, path: String = "") -> [(
    metadata: RuleMetadata, severity: Severity, setting: RuleSetting?
  )] {
    EffectiveSettings.rules(policy: policy, category: category, path: path).filter(\.isEnabled).map {
      ($0.metadata, $0.severity, $0.setting)
    }
  }

  /// Runs every enabled rule on one inventory under a policy. Pure apart from the rules it calls.
  /// Runs `policy`'s enabled rules over `inventory`. A `cancellation` is looked at between rules;
  /// once cancelled the remaining rules are skipped (the run reports `usage/cancelled`).
  /// `rules`: the draft's `EffectiveSettings.rules` when the caller has resolved them (the same
  /// policy, category and path), so they are not decided twice.
  public static func check(
    _ inventory: Inventory, policy: ResolvedPolicy, category: String?, path: String = "",
    cancellation: LintCancellation? = nil, rules: [EffectiveSettings.Rule]? = nil
  ) -> [Finding] {
    Array(
      checkedByRule(
        inventory, policy: policy, category: category, path: path, cancellation: cancellation, rules: rules
      )
      .joined())
  }

  /// `check`'s findings as each rule gave them, one array per rule in order: a draft's findings
  /// are kept until the run applies its suppressions, after the inventory is released, and one
  /// array grown across every rule held two copies of them at each growth while the inventory was
  /// still alive (1.4 MB for the 10,000 findings of flanker's `enclosed-endless.eml`).
  static func checkedByRule(
    _ inventory: Inventory, policy: ResolvedPolicy, category: String?, path: String = "",
    cancellation: LintCancellation? = nil, rules: [EffectiveSettings.Rule]? = nil
  ) -> [[Finding]] {
    let context = RuleContext(brand: policy.brand, category: category)
    var findings: [[Finding]] = []
    let resolved = rules ?? EffectiveSettings.rules(policy: policy, category: category, path: path)
    var enabled: [String: (Severity, RuleSetting?)] = [:]
    enabled.reserveCapacity(resolved.count)
    for rule in resolved where rule.isEnabled { enabled[rule.metadata.id] = (rule.severity, rule.setting) }
    let attachmentLinks = AttachmentLinkNotes(inventory)
    // A defect repeated across a draft (one off-brand host behind 4,000 links) gives thousands of
    // findings with equal messages and help, each rendered and escaped anew: they share one copy,
    // so the draft's findings hold each distinct text once until `aggregate` merges them.
    var texts = Set<String>()
    func shared(_ text: String) -> String { texts.insert(text).memberAfterInsert }
    func add(_ hits: [Hit], _ metadata: RuleMetadata) {
      guard let (severity, setting) = enabled[metadata.id], !hits.isEmpty else { return }
      var found: [Finding] = []
      found.reserveCapacity(hits.count)
      defer { findings.append(found) }
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
        message = attachmentLinks.annotate(message, range: hit.range)
        found.append(
          Finding(
            // Messages quote draft content: escaped here, once, so no output can carry its controls.
            // Evidence stays raw: fingerprints must not change with display rules.
            rule: metadata.id, severity: severity, message: shared(message.escapedForDisplay),
            help: hit.help.map { shared($0.escapedForDisplay) }, range: hit.range,
            draftPath: inventory.draftPath, evidence: hit.evidence))
      }
    }
    for ruleType in RuleRegistry.builtin where enabled[ruleType.metadata.id] != nil {
      if cancellation?.isCancelled == true { return findings }
      let metadata = ruleType.metadata
      let rule = ruleType.init(options: policy.options(for: metadata, setting: enabled[metadata.id]?.1))
      add(rule.check(inventory, context), metadata)
    }
    if let facts = inventory.online {
      for ruleType in RuleRegistry.online where enabled[ruleType.metadata.id] != nil {
        let metadata = ruleType.metadata
        let rule = ruleType.init(options: policy.options(for: metadata, setting: enabled[metadata.id]?.1))
        add(rule.check(facts, inventory, context), metadata)
      }
    }
    for metadata in InputProblems.all { add(InputProblems.hits(for: metadata.id, in: inventory), metadata) }
    if enabled[InputProblems.limitExceeded] == nil {
      // A policy may lower input/limit-exceeded but not silence it: a draft sendlint did not read
      // fully is never reported clean. Turned off (or scoped away), it still reports, as info.
      for hit in InputProblems.hits(for: InputProblems.limitExceeded, in: inventory) {
        findings.append([
          Finding(
            rule: InputProblems.limitExceeded, severity: .info, message: hit.message,
            help: "this policy turns input/limit-exceeded off, which it cannot: the draft was not fully read",
            range: hit.range, draftPath: inventory.draftPath, evidence: hit.evidence)
        ])
      }
    }
    for custom in policy.customRules where enabled[custom.metadata.id] != nil {
      if cancellation?.isCancelled == true { return findings }
      add(custom.check(inventory, context), custom.metadata)
    }
    // Directives in HTML comments are findings themselves (they ship); see SuppressionTracker.
    if let meta = MetaRules.all.first(where: { $0.id == "sendlint/html-comment-suppression" }) {
      add(InlineDirectives.htmlCommentDirectives(in: inventory), meta)
    }
    return findings
  }
}
