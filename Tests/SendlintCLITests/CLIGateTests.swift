import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintTestSupport
import Testing

/// Issue 13: a CI gate must never pass by weakening itself silently — a misspelt flag value, a path
/// set with nothing to lint, an empty policy. Each test fails on the behaviour before the fix. The
/// CLI cases run the built binary (`.build/debug/sendlint`, built by `swift test`) in a generated
/// repository, as a CI job would.
@Suite struct CLIGateTests {
  // MARK: 3. empty policy

  @Test(arguments: ["", "# only a comment\n# and another\n", "~\n", "just a word\n", "---\n"])
  func emptyPolicyIsAnError(text: String) {
    guard
      case .failure(let list) = Result(catching: { () throws(DiagnosticList) in
        try PolicyLoader.load(text: text, path: "p.yaml", directory: "/")
      })
    else {
      Issue.record("an empty policy \(text.debugDescription) loaded as valid")
      return
    }
    #expect(list.diagnostics.map(\.code) == ["policy/empty"])
    #expect(list.diagnostics.first?.position == SourcePosition(line: 1, column: 1))
    #expect(list.diagnostics.first?.help?.contains("sendlint init") == true)
  }

  @Test func emptyPolicyFileFailsTheLint() throws {
    let root = try SendlintCLI.repository([".sendlint.yaml": "# todo\n", "mail/a.txt": "Hello\n"])
    let report = Engine().lint(LintRequest(paths: ["mail"], workingDirectory: root))
    #expect(report.diagnostics.map(\.code) == ["policy/empty"])
    #expect(report.exitCode(failOn: .error) == 2)
  }

  // MARK: 1. --category must be declared

  @Test func misspeltCategoryIsAUsageErrorNotFewerFindings() throws {
    var request = LintRequest(
      paths: ["Examples/ms03-026/ms03-026.eml"], workingDirectory: TestPaths.packageRoot)
    let honest = Engine().lint(request)
    #expect(honest.count(.error) > 0)
    request.category = "secuirty-notice"
    let report = Engine().lint(request)
    #expect(report.diagnostics.map(\.code) == ["usage/unknown-category"])
    let diagnostic = try #require(report.diagnostics.first)
    #expect(diagnostic.message.contains("\"secuirty-notice\""))
    #expect(diagnostic.message.contains("security-notice"), "names the declared categories")
    #expect(diagnostic.help?.contains("did you mean \"security-notice\"?") == true)
    #expect(report.findings.isEmpty, "no draft is linted under an undeclared category")
    #expect(report.exitCode(failOn: .error) == 2)
  }

  @Test func categoryIsCheckedAgainstEachPolicyUsed() throws {
    // Two folders, two policies: `marketing` exists in one only.
    let root = try SendlintCLI.repository([
      "news/.sendlint.yaml": "version: 1\ncategories: [marketing, transactional]\n",
      "news/a.txt": "Hello\n",
      "security/.sendlint.yaml": "version: 1\ncategories: [security-notice]\n",
      "security/b.txt": "Hello\n",
    ])
    var request = LintRequest(paths: ["news", "security"], workingDirectory: root)
    request.category = "marketing"
    let report = Engine().lint(request)
    #expect(report.diagnostics.map(\.code) == ["usage/unknown-category"])
    #expect(report.diagnostics.first?.path == "security/.sendlint.yaml")
    #expect(report.drafts.map(\.path) == ["news/a.txt"])
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func binaryExitsTwoOnAnUndeclaredCategory() throws {
    let run = try SendlintCLI.sendlint(
      ["lint", "Examples/ms03-026/ms03-026.eml", "--category", "secuirty-notice"], in: TestPaths.packageRoot)
    #expect(run.status == 2)
    #expect(run.all.contains("--category \"secuirty-notice\""))
    #expect(run.all.contains("did you mean \"security-notice\"?"))
  }

  // MARK: 2. no drafts

  @Test func pathsWithoutDraftsAreAUsageError() throws {
    let root = try SendlintCLI.repository(["docs/readme.md": "# notes\n", "empty/.keep": ""])
    let report = Engine().lint(LintRequest(paths: ["docs", "empty"], workingDirectory: root))
    #expect(report.diagnostics.map(\.code) == ["usage/no-drafts"])
    let message = report.diagnostics.first?.message ?? ""
    #expect(message.contains("\"docs\"") && message.contains("\"empty\""))
    #expect(report.diagnostics.first?.help?.contains(".eml") == true)
    #expect(report.exitCode(failOn: .error) == 2)
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func binaryExitsTwoWhenNothingIsLinted() throws {
    let root = try SendlintCLI.repository(["docs/readme.md": "# notes\n"])
    let run = try SendlintCLI.sendlint(["lint", "docs"], in: root)
    #expect(run.status == 2)
    #expect(run.all.contains("usage/no-drafts"))
    #expect(!run.all.contains("no problems in 0 drafts"))
  }

  // MARK: 5. --quiet

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func quietHidesWarningsButKeepsTheVerdict() throws {
    let root = try SendlintCLI.repository(SendlintCLI.warningDraft)
    let loud = try SendlintCLI.sendlint(["lint", "mail"], in: root)
    #expect(loud.stdout.contains("warning:"), "the draft has a warning to hide: \(loud.all)")
    let quiet = try SendlintCLI.sendlint(["lint", "--quiet", "mail"], in: root)
    #expect(quiet.status == 0)
    #expect(!quiet.stdout.contains("warning:"))
    #expect(quiet.stdout.contains("(1 below error hidden by --quiet)"))
    let json = try SendlintCLI.sendlint(["lint", "-q", "--format", "json", "mail"], in: root)
    #expect(!json.stdout.contains("\"warning\","), "machine formats are filtered too")
    // Hiding a warning never turns a failing gate green.
    let gate = try SendlintCLI.sendlint(["lint", "--quiet", "--fail-on", "warning", "mail"], in: root)
    #expect(gate.status == 1)
    let capped = try SendlintCLI.sendlint(["lint", "--quiet", "--max-warnings", "0", "mail"], in: root)
    #expect(capped.status == 1)
  }

  // MARK: 6. baseline found at the repository root

  @Test func baselineAtTheRepositoryRootIsFoundFromASubfolder() throws {
    let root = try SendlintCLI.repository(SendlintCLI.warningDraft)
    let first = Engine().lint(LintRequest(paths: ["."], workingDirectory: root + "/mail"))
    #expect(first.findings.count == 1)
    try Baseline(first.findings).write(to: root + "/" + Engine.baselineFileName)
    var request = LintRequest(paths: ["."], workingDirectory: root + "/mail")
    #expect(Engine().lint(request).findings.count == 1, "library callers opt in")
    request.findsBaseline = true
    let report = Engine().lint(request)
    #expect(report.findings.isEmpty)
    #expect(report.baselinedCount == 1)
    #expect(report.baselineUsed != nil)
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func textSummaryCountsBaselinedFindings() throws {
    let root = try SendlintCLI.repository(SendlintCLI.warningDraft)
    let update = try SendlintCLI.sendlint(["baseline", "update", "mail"], in: root)
    #expect(update.status == 0, "\(update.all)")
    let run = try SendlintCLI.sendlint(["lint", "mail"], in: root)
    #expect(run.status == 0)
    #expect(!run.stdout.contains("warning:"))
    #expect(run.stdout.contains("(1 baselined by .sendlint-baseline.json)"), "\(run.all)")
  }

  // MARK: 4. lint - (standard input)

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func standardInputIsOneDraftNamedByStdinFilename() throws {
    // The policy in `news/` is found from the named path's folder, not the working directory.
    let root = try SendlintCLI.repository([
      "news/.sendlint.yaml": "version: 1\nextends: [sendlint:recommended]\nrules:\n  link/insecure: error\n"
    ])
    let input = Array("Visit http://example.com/offer now\n".utf8)
    let named = try SendlintCLI.sendlint(
      ["lint", "-", "--stdin-filename", "news/offer.txt"], in: root, input: input)
    #expect(named.status == 1, "\(named.all)")
    #expect(named.stdout.contains("news/offer.txt:1:7: error:"), "\(named.all)")
    // Without a name: a message called <stdin>, policy from the working directory (none: the
    // recommended pack, where link/insecure is a warning).
    let message = Array("From: a@example.com\nSubject: hi\n\nVisit http://example.com/offer now\n".utf8)
    let bare = try SendlintCLI.sendlint(["lint", "-"], in: root, input: message)
    #expect(bare.stdout.contains("<stdin>:4:7: warning:"), "\(bare.all)")
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func standardInputRefusesManifestsUnknownKindsAndOversizedInput() throws {
    let root = try SendlintCLI.repository([:])
    let manifest = try SendlintCLI.sendlint(
      ["lint", "-", "--stdin-filename", "c/campaign.yaml"], in: root, input: Array("campaign: x\n".utf8))
    #expect(manifest.status == 2)
    #expect(manifest.all.contains("usage/stdin-manifest"))
    let unknown = try SendlintCLI.sendlint(
      ["lint", "-", "--stdin-filename", "notes.md"], in: root, input: Array("x".utf8))
    #expect(unknown.status == 2)
    #expect(unknown.all.contains("usage/stdin-kind"))
    let orphan = try SendlintCLI.sendlint(["lint", "--stdin-filename", "a.txt", "."], in: root)
    #expect(orphan.status == 2)
    let big = [UInt8](repeating: UInt8(ascii: "a"), count: DraftLoader.maximumFileBytes + 1)
    let oversized = try SendlintCLI.sendlint(["lint", "-"], in: root, input: big)
    #expect(oversized.status == 2)
    #expect(oversized.stderr.contains("larger than the 64 MiB limit"), "\(oversized.stderr)")
  }
}
