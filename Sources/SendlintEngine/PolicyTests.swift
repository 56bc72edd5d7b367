import Foundation
import SendlintCore
import SendlintInventory
import SendlintPolicy

/// `sendlint policy test`: fixture drafts with the findings a policy must (not) produce, declared
/// in `sendlint-tests.yaml` (read by `PolicyTestFile` in the policy layer; nothing here sees YAML):
///
///     policy: ../.sendlint.yaml          # optional; default: the policy nearest each fixture
///     cases:
///       - draft: password-prompt.campaign.yaml
///         expect: [contoso/no-password-prompt, "link/insecure@body.html:3"]
///         expect_not: [link/text-host-mismatch]
public enum PolicyTests {
  public static let fileName = "sendlint-tests.yaml"

  public struct Result: Sendable {
    public var lines: [String] = []
    public var passed = 0
    public var failed = 0
    public var diagnostics: [Diagnostic] = []
  }

  /// A `sendlint-tests.yaml` larger than this is not read (a `tests/limit-exceeded` diagnostic).
  public static let maximumFileBytes = 1024 * 1024

  public static func run(in directory: String, loader: DraftLoader) -> Result {
    var result = Result()
    // The folder named is the user's choice; links found inside it may not lead out of the root.
    let confinement = PathConfinement(workingDirectory: loader.workingDirectory, explicitPaths: [directory])
    var visited: Set<[UInt64]> = []
    var found: [String] = []
    findTestFiles(in: directory, relative: "", confinement: confinement, visited: &visited, found: &found)
    let files = found.sorted()
    if files.isEmpty {
      result.diagnostics.append(
        Diagnostic(
          code: "usage/no-policy-tests", message: "no \(fileName) under \(loader.displayPath(directory))",
          help: "write one listing fixture drafts with expect/expect_not", path: loader.displayPath(directory)
        ))
      return result
    }
    for relative in files {
      let path = directory + "/" + relative
      let folder = (path as NSString).deletingLastPathComponent
      let bytes: [UInt8]
      switch confinement.read(path, maximumBytes: maximumFileBytes) {
      case .success(let read): bytes = read.bytes
      case .failure(let refusal):
        result.diagnostics.append(
          Diagnostic(
            code: refusal.isLimit ? "tests/limit-exceeded" : "tests/refused-path",
            message: refusal.message(loader.displayPath(path), root: confinement.root), help: refusal.help,
            path: loader.displayPath(path)))
        continue
      }
      let file = SourceFile(path: loader.displayPath(path), bytes: bytes)
      var tests = PolicyTestFile(file)
      let policy = tests.policy.map { (folder as NSString).appendingPathComponent($0) }
      for testCase in tests.cases {
        guard let draft = testCase.draft else {
          result.failed += 1
          result.lines.append(
            "FAIL \(loader.displayPath(path)):\(testCase.position?.line ?? 0) (a case without a draft)")
          continue
        }
        let expect = testCase.expect
        let expectNot = testCase.expectNot
        let name = "\(loader.displayPath(folder))/\(draft.value)"
        let draftPath = (folder as NSString).appendingPathComponent(draft.value)
        // Every case counts: one that cannot run is a failure, and its problem points at the case.
        func fail(_ problems: [String]) {
          result.failed += 1
          result.lines.append("FAIL \(name)")
          result.lines += problems.map { "  " + $0 }
        }
        if case .failure(let refusal) = confinement.check(draftPath), refusal != .missing {
          tests.report(
            "refused-fixture",
            "fixture draft " + refusal.message("\"\(draft.value)\"", root: confinement.root),
            at: draft.position, help: refusal.help)
          fail(["fixture refused: \(loader.displayPath(draftPath))"])
          continue
        }
        guard FileManager.default.fileExists(atPath: draftPath) else {
          tests.report(
            "missing-fixture",
            "fixture draft \"\(draft.value)\" not found (looked for \(loader.displayPath(draftPath)))",
            at: draft.position, help: "fixture paths are relative to \(fileName)")
          fail(["fixture not found: \(loader.displayPath(draftPath))"])
          continue
        }
        var request = LintRequest(
          paths: [draftPath], policyPath: policy, workingDirectory: loader.workingDirectory)
        request.today = "2000-01-01"
        let report = Engine().lint(request)
        if !report.diagnostics.isEmpty {
          result.diagnostics += report.diagnostics
          fail(report.diagnostics.map { "\($0.path): \($0.message) [\($0.code)]" })
          continue
        }
        // An expectation naming a rule that does not exist can never be met (expect) or can never
        // fail (expect_not): both are mistakes in the test file, not results.
        let known = report.ruleMetadata.map(\.id)
        var unknown: [String] = []
        for entry in expect + expectNot {
          let rule = String(entry.value.split(separator: "@", maxSplits: 1).first ?? "")
          guard !known.contains(rule) else { continue }
          let suggestion = Suggestion.nearest(to: rule, in: known)
          tests.report(
            "unknown-rule", "unknown rule \"\(rule.escapedForDisplay)\" in an expectation",
            at: entry.position,
            help: suggestion.map { "did you mean \"\($0)\"?" } ?? "`sendlint rules` lists the rule ids")
          unknown.append("unknown rule \(rule)")
        }
        var problems: [String] = unknown
        for expectation in expect.map(\.value) where !matches(expectation, report.findings) {
          problems.append(
            "expected \(expectation), got \(report.findings.map { "\($0.rule)@\(($0.path as NSString).lastPathComponent):\($0.range?.startPosition.line ?? 0)" }.joined(separator: ", ").nilIfEmpty ?? "no findings")"
          )
        }
        for rule in expectNot.map(\.value) where report.findings.contains(where: { $0.rule == rule }) {
          problems.append(
            "expected no \(rule), got: \(report.findings.filter { $0.rule == rule }.map(\.message).joined(separator: "; "))"
          )
        }
        if problems.isEmpty {
          result.passed += 1
          result.lines.append("PASS \(name)")
        } else {
          fail(problems)
        }
      }
      result.diagnostics += tests.diagnostics
    }
    return result
  }

  /// Collects the `sendlint-tests.yaml` files under `directory` (paths relative to it). A link is
  /// followed only when its real path is allowed by `confinement`, and each real folder is
  /// entered once (device and inode), so `a -> .` loops end; `.git`-like folders are skipped.
  static func findTestFiles(
    in directory: String, relative: String, confinement: PathConfinement, visited: inout Set<[UInt64]>,
    found: inout [String]
  ) {
    var status = stat()
    guard stat(directory, &status) == 0,
      visited.insert([UInt64(status.st_dev), UInt64(status.st_ino)]).inserted,
      let entries = try? FileManager.default.contentsOfDirectory(atPath: directory)
    else { return }
    for entry in entries.sorted() where !DraftLoader.skippedFolders.contains(entry) {
      let path = directory + "/" + entry
      let shown = relative.isEmpty ? entry : relative + "/" + entry
      var entryStatus = stat()
      guard lstat(path, &entryStatus) == 0 else { continue }
      if (entryStatus.st_mode & S_IFMT) == S_IFLNK {
        guard case .success = confinement.check(path), stat(path, &entryStatus) == 0 else { continue }
      }
      switch entryStatus.st_mode & S_IFMT {
      case S_IFDIR:
        findTestFiles(in: path, relative: shown, confinement: confinement, visited: &visited, found: &found)
      default: if entry == fileName { found.append(shown) }
      }
    }
  }

  /// `rule` or `rule@file:line`.
  static func matches(_ expectation: String, _ findings: [Finding]) -> Bool {
    let parts = expectation.split(separator: "@", maxSplits: 1)
    let rule = String(parts[0])
    guard parts.count == 2 else { return findings.contains { $0.rule == rule } }
    let location = parts[1].split(separator: ":")
    let fileName = String(location[0])
    let line = location.count > 1 ? Int(location[1]) : nil
    return findings.contains { finding in
      finding.rule == rule && (finding.path as NSString).lastPathComponent == fileName
        && (line == nil || finding.range?.startPosition.line == line)
    }
  }
}

/// The policy `sendlint init` writes: every section, commented, and it validates. Its first line
/// points YAML language servers (VS Code, Neovim, JetBrains) at the policy's JSON Schema, so
/// editors complete and check keys; `sendlint policy schema` prints the same schema offline.
public enum StarterPolicy {
  /// Where editors fetch the schema from; the file is generated by `sendlint policy schema`.
  public static let schemaURL =
    "https://raw.githubusercontent.com/sendlint/sendlint/main/docs/sendlint-policy.schema.json"

  public static let text = """
    # yaml-language-server: $schema=\(schemaURL)
    # sendlint policy — what "genuine mail from us" means. Docs: README.md, docs/rules/.
    # Check it with `sendlint policy validate`; see what applies to a draft with
    # `sendlint policy show DRAFT`.
    version: 1

    # Built-in packs first; later entries and this file override them.
    extends: [sendlint:recommended]

    # Facts about the brand. Rules that need a fact you leave out say nothing.
    brand:
      name: Example
      domains: [example.com]                 # registrable domains the brand owns
      sending_domains: [example.com]         # exact From / Return-Path / DKIM d= domains
      tracking_domains: []                   # click-tracking hosts the brand itself runs
      sending_ips: []                        # e.g. [203.0.113.0/24, "2001:db8::/48"]
      vendors: []                            # e.g. [{ name: Acme ESP, sending_ips: [198.51.100.0/24], categories: [marketing] }]
      # postal_address: "Example Ltd, 1 Example Way, Springfield"

    categories: [marketing, transactional, security-notice]

    # How drafts without a stated category get one (first match wins).
    classify:
      - { files: ["security/**"], category: security-notice }

    # Severities: error, warning, info, off.
    rules:
      link/insecure: warning

    # Settings for some files or categories; later blocks win.
    overrides:
      - name: legacy templates
        files: ["legacy/**"]
        rules: { link/insecure: off }

    # Findings you accept, with a reason (and optionally an end date).
    suppress: []

    """
}
