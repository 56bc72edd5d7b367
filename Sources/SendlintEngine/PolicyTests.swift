import Foundation
import SendlintCore
import SendlintInventory
import SendlintPolicy
import SendlintYAML

/// `sendlint policy test`: fixture drafts with the findings a policy must (not) produce, declared
/// in `sendlint-tests.yaml`:
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

  public static func run(in directory: String, loader: DraftLoader) -> Result {
    var result = Result()
    let files = (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? [])
      .filter { ($0 as NSString).lastPathComponent == fileName }.sorted()
    if files.isEmpty {
      result.diagnostics.append(Diagnostic(code: "usage/no-policy-tests", message: "no \(fileName) under \(loader.displayPath(directory))", help: "write one listing fixture drafts with expect/expect_not", path: loader.displayPath(directory)))
      return result
    }
    for relative in files {
      let path = directory + "/" + relative
      let folder = (path as NSString).deletingLastPathComponent
      let file = SourceFile(path: loader.displayPath(path), bytes: Array(FileManager.default.contents(atPath: path) ?? Data()))
      var reader = YAMLReader(file: file, codePrefix: "tests")
      guard let root = reader.root() else {
        result.diagnostics += reader.diagnostics
        continue
      }
      var policy: String?
      var cases: [YAMLNode] = []
      for (key, _, value) in reader.mapping(root, allowed: ["policy", "cases"], context: fileName) {
        if key == "policy" { policy = reader.string(value, context: "policy").map { (folder as NSString).appendingPathComponent($0) } }
        if key == "cases" { cases = reader.sequence(value, context: "cases") }
      }
      for item in cases {
        var draft: String?
        var expect: [String] = []
        var expectNot: [String] = []
        for (key, _, value) in reader.mapping(item, allowed: ["draft", "expect", "expect_not", "category"], context: "a case") {
          switch key {
          case "draft": draft = reader.string(value, context: "draft")
          case "expect": expect = reader.strings(value, context: "expect").map(\.value)
          case "expect_not": expectNot = reader.strings(value, context: "expect_not").map(\.value)
          default: break
          }
        }
        guard let draft else {
          reader.report("missing-key", "a case needs a draft", at: item, help: "add `draft: FILE` relative to \(fileName)")
          continue
        }
        let draftPath = (folder as NSString).appendingPathComponent(draft)
        var request = LintRequest(paths: [draftPath], policyPath: policy, workingDirectory: loader.workingDirectory)
        request.today = "2000-01-01"
        let report = Engine().lint(request)
        if !report.diagnostics.isEmpty {
          result.diagnostics += report.diagnostics
          continue
        }
        var problems: [String] = []
        for expectation in expect where !matches(expectation, report.findings) {
          problems.append("expected \(expectation), got \(report.findings.map { "\($0.rule)@\(($0.path as NSString).lastPathComponent):\($0.range?.startPosition.line ?? 0)" }.joined(separator: ", ").nilIfEmptyString ?? "no findings")")
        }
        for rule in expectNot where report.findings.contains(where: { $0.rule == rule }) {
          problems.append("expected no \(rule), got: \(report.findings.filter { $0.rule == rule }.map(\.message).joined(separator: "; "))")
        }
        let name = "\(loader.displayPath(folder))/\(draft)"
        if problems.isEmpty {
          result.passed += 1
          result.lines.append("PASS \(name)")
        } else {
          result.failed += 1
          result.lines.append("FAIL \(name)")
          result.lines += problems.map { "  " + $0 }
        }
      }
      result.diagnostics += reader.diagnostics
    }
    return result
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

extension String {
  var nilIfEmptyString: String? { isEmpty ? nil : self }
}

/// The policy `sendlint init` writes: every section, commented, and it validates.
public enum StarterPolicy {
  public static let text = """
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
