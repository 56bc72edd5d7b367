import ArgumentParser
import Foundation
import Sendlint
import SendlintCore
import SendlintDNS
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintReport
import SendlintRules

/// The version reported by `--version` and in JSON output.
let sendlintVersion = SendlintVersion.current

@main
struct Sendlint: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sendlint",
    abstract: "Lint outbound bulk-mail drafts against your brand's policy before they are sent.",
    discussion: """
      Exit codes: 0 no findings at or above --fail-on; 1 findings at or above it; 2 usage, policy, \
      manifest or internal error.
      """,
    version: sendlintVersion,
    subcommands: [
      Lint.self, Rules.self, Explain.self, Inspect.self, PolicyCommand.self, Init.self, BaselineCommand.self,
      Serve.self,
    ],
    defaultSubcommand: Lint.self)

  /// Runs the command; usage errors exit with 2 as documented, not ArgumentParser's 64.
  static func main() {
    // `serve` forwards everything, --help included, to sendlint-server untouched.
    if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "serve" {
      Serve.execServer(Array(CommandLine.arguments.dropFirst(2)))
    }
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let exit as ExitCode {
      Foundation.exit(exit.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(2)
    }
  }
}

/// An option whose value is one of an enumeration's raw strings. ArgumentParser's defaults for
/// these requirements build a key path per case and format each value through
/// `String(describing:)`, whose first use looks up protocol conformances one by one: 1.5 M of the
/// 37 M instructions of an empty lint, paid at every start. Here each is the raw value itself;
/// the help and error texts are unchanged (`CLIChoiceTests`).
protocol CLIChoice: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension CLIChoice {
  var defaultValueDescription: String { rawValue }
  static var allValueStrings: [String] { allCases.map { $0.rawValue } }
  /// No value has a description of its own (ArgumentParser lists one only when it differs from
  /// the value).
  static var allValueDescriptions: [String: String] { [:] }
  static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}

enum OutputFormat: String, CLIChoice {
  case text, json, sarif, github, junit, gitlab, html
}

enum InspectFormat: String, CLIChoice {
  case text, json
}

enum CatalogueFormat: String, CLIChoice {
  case text, json, markdown
}

enum FailOn: String, CLIChoice {
  case error, warning, info, never

  var severity: Severity? {
    switch self {
    case .error: .error
    case .warning: .warning
    case .info: .info
    case .never: nil
    }
  }
}

/// Writes `text` to a file atomically, or to standard output.
func emit(_ text: String, to path: String?) throws {
  guard let path else {
    FileHandle.standardOutput.write(Data(text.utf8))
    return
  }
  do {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
  } catch {
    // Not a usage error (the arguments parsed): a diagnostic and exit 2, without the usage text.
    try NamedDraft.fail([
      Diagnostic(
        code: "usage/cannot-write",
        message: "cannot write \(path.escapedForDisplay): \(error.localizedDescription.escapedForDisplay)",
        help: "check that the folder exists and is writable", path: path)
    ])
  }
}

func useColor(disabled: Bool) -> Bool {
  if disabled || ProcessEnvironment.value("NO_COLOR") != nil { return false }
  return isatty(STDOUT_FILENO) == 1
}

struct Lint: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lint",
    abstract: "Lint drafts: .eml files, campaign manifests and templates, in files or folders.")

  @Argument(help: "Files and folders to lint (default: the current folder).")
  var paths: [String] = []

  @Option(help: "Policy file to use instead of the nearest .sendlint.yaml.")
  var policy: String?

  @Option(help: "Output format (default: github under GitHub Actions, else text).")
  var format: OutputFormat?

  @Option(help: "Write the report to this file instead of standard output.")
  var output: String?

  @Option(name: .customLong("sarif-output"), help: "Also write SARIF 2.1.0 to this file.")
  var sarifOutput: String?

  @Option(name: .customLong("json-output"), help: "Also write the JSON report to this file.")
  var jsonOutput: String?

  @Option(name: .customLong("junit-output"), help: "Also write JUnit XML to this file.")
  var junitOutput: String?

  @Option(name: .customLong("gitlab-output"), help: "Also write a GitLab Code Quality report to this file.")
  var gitlabOutput: String?
  @Option(
    name: .customLong("html-output"),
    help: "Also write the HTML report (the message as received, findings pinned on it) to this file.")
  var htmlOutput: String?

  @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding has at least this severity.")
  var failOn: FailOn = .error

  @Option(name: .customLong("max-warnings"), help: "Exit 1 when there are more warnings than this.")
  var maxWarnings: Int?

  @Option(
    name: .customLong("max-results"),
    help:
      "SARIF: carry at most this many results, errors first (default 5000, what GitHub code scanning shows; it rejects over 25000)."
  )
  var maxResults: Int = SARIFLog.defaultMaxResults

  @Option(help: "Category for drafts that do not state one (overrides the policy's classify).")
  var category: String?

  @Flag(name: .customLong("no-color"), help: "Never colour the text output.")
  var noColor = false

  @Option(help: "A baseline file: findings it lists are not reported (see `sendlint baseline`).")
  var baseline: String?

  @Flag(help: "List every file and folder that was not linted, and why.")
  var verbose = false

  @Option(
    name: .customLong("stdin-filename"),
    help: "With `lint -`: the path standard input stands for (locations, kind by extension, policy search).")
  var stdinFilename: String?

  @Flag(
    name: .shortAndLong,
    help: "Report errors only; warnings and infos still count for --fail-on and --max-warnings.")
  var quiet = false

  @Flag(
    name: .customLong("from-hook"),
    help:
      "The paths are files a commit changed (pre-commit): skip policy-test fixture folders and sendlint's own files."
  )
  var fromHook = false

  @Option(help: "Leave out paths matching this gitignore-style pattern (repeatable), after .sendlintignore.")
  var exclude: [String] = []

  @Flag(
    help:
      "Check published DNS as receivers will: SPF, DKIM keys, DMARC, reverse DNS, link hosts (off by default)."
  )
  var online = false

  @Option(
    help: ArgumentHelp(
      "With --online: the nameserver to ask instead of /etc/resolv.conf's (repeatable).",
      valueName: "ADDR[:PORT]"))
  var resolver: [String] = []

  @Option(name: .customLong("dns-timeout"), help: "With --online: seconds to wait for one server's answer.")
  var dnsTimeout: Double = 3

  @Option(
    name: .customLong("dns-budget"),
    help:
      "With --online: seconds for all lookups of the run together; later checks report input/dns-unavailable."
  )
  var dnsBudget: Double = 30

  @Option(
    help:
      "Drafts to lint at once (default: one per core; 1 lints them one after another). The report is the same for any value."
  )
  var jobs: Int?

  func run() throws {
    if let jobs, jobs < 1 {
      throw ValidationError(
        "--jobs \(jobs) must be at least 1 (1 lints the drafts one after another; leave it out for one per core)"
      )
    }
    guard maxResults >= 1 else {
      throw ValidationError(
        "--max-results \(maxResults) must be at least 1; to see every finding use --format json")
    }
    var request = LintRequest(paths: paths, policyPath: policy, category: category)
    request.baselinePath = baseline
    request.findsBaseline = true
    request.fromHook = fromHook
    request.excludes = exclude
    request.jobs = jobs
    request.buildsPreviews = format == .html || htmlOutput != nil
    request.online = online
    for text in resolver {
      guard let address = ResolverAddress(parsing: text) else {
        throw ValidationError(
          "--resolver \"\(text.escapedForDisplay)\" is not an IP address with an optional port; write 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:5353"
        )
      }
      request.resolverAddresses.append(address)
    }
    guard dnsTimeout.isFinite, dnsTimeout > 0, dnsTimeout <= 60 else {
      throw ValidationError("--dns-timeout \(dnsTimeout) must be more than 0 and at most 60 seconds")
    }
    guard dnsBudget.isFinite, dnsBudget > 0, dnsBudget <= 3600 else {
      throw ValidationError("--dns-budget \(dnsBudget) must be more than 0 and at most 3600 seconds")
    }
    request.dnsTimeout = .milliseconds(Int(dnsTimeout * 1000))
    request.dnsBudget = .milliseconds(Int(dnsBudget * 1000))
    if paths.contains("-") {
      guard paths == ["-"] else {
        throw ValidationError(
          "`-` (standard input) must be the only path; got \(paths.joined(separator: " "))")
      }
      request.standardInput = StandardInputDraft(bytes: try readStandardInput(), filename: stdinFilename)
    } else if let stdinFilename {
      throw ValidationError(
        "--stdin-filename \"\(stdinFilename)\" needs `-` as the path, e.g. `sendlint lint - --stdin-filename \(stdinFilename)`"
      )
    }
    let started = ContinuousClock.now
    let fullReport = Linter.run(request)
    let elapsed = ContinuousClock.now - started
    // For JUnit: the run's time, and every warning (--quiet or not) for its max-warnings testcase.
    let facts = RunFacts(
      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
      warningCount: fullReport.count(.warning))
    // --quiet changes what is shown, never the verdict: the exit status below is computed from
    // every finding, so `--quiet --fail-on warning` still fails on a warning it does not print.
    var report = fullReport
    if quiet { report = fullReport.filteringFindings { $0.severity >= .error } }
    let chosen = format ?? (ProcessEnvironment.value("GITHUB_ACTIONS") == "true" ? .github : .text)
    var rendered = render(
      report, as: chosen, color: output == nil && useColor(disabled: noColor), facts: facts)
    // Skipped paths and hidden findings: in the text report itself; beside a machine format, on
    // standard error, so its output stays one document.
    let notes = skippedNotes(report) + hiddenNote(fullReport, shown: report.findings.count)
    if chosen == .text { rendered += notes } else { FileHandle.standardError.write(Data(notes.utf8)) }
    try emit(rendered, to: output)
    for (path, extra) in [
      (sarifOutput, OutputFormat.sarif), (jsonOutput, .json), (junitOutput, .junit), (gitlabOutput, .gitlab),
      (htmlOutput, .html),
    ] {
      if let path { try emit(render(report, as: extra, color: false, facts: facts), to: path) }
    }
    if chosen == .github, let summaryPath = ProcessEnvironment.value("GITHUB_STEP_SUMMARY"),
      !summaryPath.isEmpty,
      let handle = FileHandle(forWritingAtPath: summaryPath)
    {
      // The step summary is appended to, as GitHub documents.
      handle.seekToEndOfFile()
      handle.write(
        Data(
          GitHubFormatter.summary(
            findings: report.findings, diagnostics: report.diagnostics, draftCount: report.draftCount
          ).utf8))
      handle.closeFile()
    }
    throw ExitCode(fullReport.exitCode(failOn: failOn.severity, maxWarnings: maxWarnings))
  }

  /// Standard input, bounded like a draft file: read(2) in a loop up to one byte past the cap, so
  /// an endless pipe costs at most `DraftLoader.maximumFileBytes` of memory.
  func readStandardInput() throws -> [UInt8] {
    let limit = DraftLoader.maximumFileBytes
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while bytes.count <= limit {
      let wanted = min(chunk.count, limit + 1 - bytes.count)
      let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, wanted) }
      if count == 0 { break }
      if count < 0 {
        if errno == EINTR { continue }
        try refuse("cannot read standard input: \(String(cString: strerror(errno)))")
      }
      bytes += chunk[0..<count]
    }
    if bytes.count > limit {
      try refuse(
        "standard input is larger than the \(limit / (1024 * 1024)) MiB limit for a draft; it was not linted "
          + "(input/limit-exceeded); split the draft or lint the file by path")
    }
    return bytes
  }

  /// An input error: a diagnostic on standard error and exit 2, without the usage text that
  /// ValidationError adds (the arguments were fine).
  func refuse(_ message: String) throws -> Never {
    try NamedDraft.fail([
      Diagnostic(code: "input/unreadable-stdin", message: message, path: StandardInputDraft.defaultName)
    ])
  }

  /// "(3 suppressed, 5 baselined by .sendlint-baseline.json, 2 below error hidden by --quiet)",
  /// or nothing: findings left out of the report are counted, never dropped silently.
  func hiddenNote(_ report: LintReport, shown: Int) -> String {
    var parts: [String] = []
    if report.suppressedCount > 0 { parts.append("\(report.suppressedCount) suppressed") }
    if report.baselinedCount > 0 || report.baselineUsed != nil {
      parts.append("\(report.baselinedCount) baselined" + (report.baselineUsed.map { " by \($0)" } ?? ""))
    }
    let quieted = report.findings.count - shown
    if quieted > 0 { parts.append("\(quieted) below error hidden by --quiet") }
    return parts.isEmpty ? "" : "(\(parts.joined(separator: ", ")))\n"
  }

  /// "N files skipped" (and with `--verbose` each skipped path and why), or nothing.
  func skippedNotes(_ report: LintReport) -> String {
    var text = ""
    if verbose {
      for entry in report.skipped {
        text += "skipped \(entry.path)\(entry.isFolder ? "/" : ""): \(entry.reason)\n"
      }
    }
    let count = report.skippedFileCount
    if count > 0 {
      text +=
        "\(count) file\(count == 1 ? "" : "s") skipped (not drafts)\(verbose ? "" : "; --verbose lists them")\n"
    }
    return text
  }

  /// What the engine's report does not hold: measured or counted by `run`.
  struct RunFacts {
    var seconds: Double?
    var warningCount: Int?
  }

  func render(_ report: LintReport, as format: OutputFormat, color: Bool, facts: RunFacts = RunFacts())
    -> String
  {
    // The library's formatters: the CLI prints exactly what `Report.formatted` returns.
    let options = FormatOptions(
      color: color, failOn: failOn.severity, maxWarnings: maxWarnings, warningCount: facts.warningCount,
      seconds: facts.seconds, maxResults: maxResults)
    // the same case names
    return Report(report).formatted(ReportFormat(rawValue: format.rawValue)!, options: options)
  }
}

/// Built-in rules plus the custom rules of a policy (`--policy`, or the nearest .sendlint.yaml).
func catalogue(policy: String?) throws -> [RuleMetadata] {
  let loader = DraftLoader()
  guard
    let path = policy.map(loader.absolutePath)
      ?? PolicyLoader.discover(from: FileManager.default.currentDirectoryPath)
  else {
    return RuleRegistry.allMetadata
  }
  do { return try PolicyLoader.load(path: path, displayPath: loader.displayPath).allRuleMetadata } catch {
    try NamedDraft.fail(error.diagnostics)
  }
}

/// Diagnostics (problems with sendlint's own inputs) as every command writes them: one block each,
/// on standard error, so standard output holds only the command's report.
func writeDiagnostics(_ diagnostics: [Diagnostic], formatter: TextFormatter = TextFormatter(color: false)) {
  for diagnostic in diagnostics {
    FileHandle.standardError.write(Data((formatter.formatDiagnostic(diagnostic) + "\n").utf8))
  }
}

struct Rules: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "List every rule — built-in and the policy's custom rules — with its default severity.")

  @Option(help: "Output format.")
  var format: CatalogueFormat = .text

  @Option(help: "Policy whose custom rules to include (default: the nearest .sendlint.yaml).")
  var policy: String?

  func run() throws {
    let rules = try catalogue(policy: policy)
    switch format {
    case .text: print(RuleCatalogue.table(rules), terminator: "")
    case .json: print(RuleCatalogue.json(rules), terminator: "")
    case .markdown: print(RuleCatalogue.markdownIndex(rules), terminator: "")
    }
  }
}

struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain", abstract: "Show a rule's documentation.")

  @Argument(help: "The rule id, e.g. link/text-host-mismatch.")
  var rule: String

  @Option(help: "Policy whose custom rules to include (default: the nearest .sendlint.yaml).")
  var policy: String?

  func run() throws {
    let rules = try catalogue(policy: policy)
    guard let metadata = rules.first(where: { $0.id == rule }) else {
      let suggestion = Suggestion.nearest(to: rule, in: rules.map(\.id))
      try NamedDraft.fail([
        Diagnostic(
          code: "usage/unknown-rule", message: "unknown rule \"\(rule.escapedForDisplay)\"",
          help: (suggestion.map { "did you mean \"\($0)\"? " } ?? "")
            + "`sendlint rules` lists every rule id", path: rule)
      ])
    }
    print(RuleCatalogue.explain(metadata), terminator: "")
  }
}

struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "Work with policy files.",
    subcommands: [Validate.self, Show.self, Test.self, Schema.self])

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract:
        "Print the effective policy for a draft: its category and each rule's severity, and what set it.")

    @Argument(help: "A draft (an .eml, a campaign manifest or a template).")
    var draft: String

    @Option(help: "Policy file to use instead of the nearest .sendlint.yaml.")
    var policy: String?

    func run() throws {
      // The draft and the policy are found, confined and read as `lint DRAFT --policy POLICY` would.
      let named = try NamedDraft.load(draft, policy: policy)
      let loader = named.loader
      let absolute = named.source.path
      let resolved: ResolvedPolicy
      do { resolved = try named.policy(explicit: policy) } catch { try NamedDraft.fail(error.diagnostics) }
      // Decided as `lint` decides it: a manifest category the policy does not declare is lint's
      // diagnostic and exit 2 here too, since lint would not lint the draft.
      let settings = named.settings(under: resolved)
      guard settings.diagnostics.isEmpty else { try NamedDraft.fail(settings.diagnostics) }
      print("draft: \(loader.displayPath(absolute))")
      print(
        "policy: \(resolved.path.map(loader.displayPath) ?? "sendlint:recommended (no .sendlint.yaml found)") — layers: \(resolved.layers.joined(separator: ", "))"
      )
      print("category: \(settings.category ?? "none") (\(settings.categoryOrigin.explanation))")
      print(
        "overrides applying: \(settings.overrides.isEmpty ? "none" : settings.overrides.joined(separator: ", "))"
      )
      let width = settings.rules.map(\.metadata.id.count).max() ?? 0
      for rule in settings.rules {
        let severity =
          rule.onlyInCategories.map { "off (only in \($0.joined(separator: ", ")))" }
          ?? rule.severity.rawValue
        print(
          "  \(rule.metadata.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(severity.count < 9 ? severity.padding(toLength: 9, withPad: " ", startingAt: 0) : severity)  \(rule.origin.explanation)"
        )
      }
    }
  }

  struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "test",
      abstract:
        "Run policy tests: fixture drafts with expected findings (sendlint-tests.yaml); closes with \"N passed, N failed\"."
    )

    @Argument(
      help: "A folder with sendlint-tests.yaml files (searched recursively; default: the current folder).")
    var directory: String = "."

    func run() throws {
      let loader = DraftLoader()
      let result = PolicyTests.run(in: loader.absolutePath(directory), loader: loader)
      for line in result.lines { print(line) }
      print("\(result.passed) passed, \(result.failed) failed")
      // Problems with the tests' own files are diagnostics, on standard error like every command's.
      writeDiagnostics(result.diagnostics)
      if !result.diagnostics.isEmpty { throw ExitCode(2) }
      if result.failed > 0 { throw ExitCode(1) }
    }
  }

  struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "schema",
      abstract: "Print the JSON Schema of .sendlint.yaml, for editor completion.")
    func run() throws { print(PolicySchema.generate(), terminator: "") }
  }

  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "validate",
      abstract: "Check a policy file; exit 0 when valid, 2 when not.")

    @Argument(help: "The policy file (default: the nearest .sendlint.yaml).")
    var file: String?

    @Flag(name: .customLong("no-color"), help: "Never colour the output.")
    var noColor = false

    func run() throws {
      // Confined and resolved as `lint --policy FILE` does: a named file outside the repository is
      // readable, a link out of it from inside is not.
      let loader = DraftLoader(explicitPaths: [file].compactMap { $0 })
      guard
        let path = file ?? PolicyLoader.discover(from: loader.workingDirectory, within: loader.confinement)
      else {
        try NamedDraft.fail([
          Diagnostic(
            code: "policy/not-found",
            message:
              "no .sendlint.yaml found in \(loader.displayRoot.escapedForDisplay) or the folders above it, up to the repository root",
            help: "name the policy file: `sendlint policy validate FILE`, or create one with `sendlint init`",
            path: ".")
        ])
      }
      let formatter = TextFormatter(color: useColor(disabled: noColor))
      do {
        let policy = try PolicyLoader.load(
          path: loader.absolutePath(path), displayPath: loader.displayPath, confinement: loader.confinement)
        let rules = policy.rules.count
        print(
          "\(loader.displayPath(loader.absolutePath(path))): valid (\(policy.layers.count) layer\(policy.layers.count == 1 ? "" : "s"): \(policy.layers.joined(separator: ", ")); \(rules) rule setting\(rules == 1 ? "" : "s"))"
        )
      } catch {
        let list = error
        writeDiagnostics(list.diagnostics, formatter: formatter)
        FileHandle.standardError.write(
          Data(
            "\(list.diagnostics.count) error\(list.diagnostics.count == 1 ? "" : "s") in the policy\n".utf8))
        throw ExitCode(2)
      }
    }
  }
}

struct Init: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Write a commented starter policy (.sendlint.yaml) in the current folder.")

  @Flag(help: "Overwrite an existing .sendlint.yaml.")
  var force = false

  func run() throws {
    let path = FileManager.default.currentDirectoryPath + "/.sendlint.yaml"
    if FileManager.default.fileExists(atPath: path), !force {
      try NamedDraft.fail([
        Diagnostic(
          code: "usage/policy-exists", message: ".sendlint.yaml already exists here",
          help: "use --force to overwrite it", path: ".sendlint.yaml")
      ])
    }
    try emit(StarterPolicy.text, to: path)
    print("wrote .sendlint.yaml — fill in the brand facts, then run `sendlint policy validate`")
  }
}

struct BaselineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "baseline", abstract: "Accept today's findings so that only new ones are reported.",
    subcommands: [Update.self, Prune.self])

  struct Options: ParsableArguments {
    @Argument(help: "Files and folders to lint (default: the current folder).")
    var paths: [String] = []

    @Option(
      help:
        "The baseline file, relative to the current folder (default: .sendlint-baseline.json at the repository root, where `lint` finds it)."
    )
    var baseline: String?

    /// `--baseline` as given (relative to the current folder), else the one `lint` discovers.
    var baselinePath: String {
      baseline ?? PathConfinement(workingDirectory: FileManager.default.currentDirectoryPath).root + "/"
        + Engine.baselineFileName
    }

    @Option(help: "Policy file to use instead of the nearest .sendlint.yaml.")
    var policy: String?
  }

  struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "update",
      abstract: "Write every current finding's fingerprint to the baseline.")
    @OptionGroup var options: Options

    func run() throws {
      let report = Engine().lint(LintRequest(paths: options.paths, policyPath: options.policy))
      guard report.diagnostics.isEmpty else { try NamedDraft.fail(report.diagnostics) }
      try Baseline(report.findings).write(to: options.baselinePath)
      print(
        "baseline \(options.baselinePath): \(report.findings.count) finding\(report.findings.count == 1 ? "" : "s") accepted"
      )
    }
  }

  struct Prune: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "prune", abstract: "Drop baseline entries that no longer occur.")
    @OptionGroup var options: Options

    func run() throws {
      let existing: Baseline
      do { existing = try Baseline.read(options.baselinePath, typed: options.baseline) } catch {
        try NamedDraft.fail([error])
      }
      let report = Engine().lint(LintRequest(paths: options.paths, policyPath: options.policy))
      let pruned = existing.pruned(by: report.findings)
      try pruned.write(to: options.baselinePath)
      print(
        "baseline \(options.baselinePath): \(existing.findings.count - pruned.findings.count) entr\(existing.findings.count - pruned.findings.count == 1 ? "y" : "ies") removed, \(pruned.findings.count) kept"
      )
    }
  }
}
