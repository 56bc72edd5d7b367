import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintTestSupport
import Testing

/// Issue 13: pre-commit names single files, often from a subfolder; the result must be the one a
/// full run from the repository root gives. Each test builds a repository (a `.git` folder) in a
/// temporary directory holding a copy of the project's own `Examples/`.
@Suite struct PreCommitAndPathTests {
  /// `repo/.git` and `repo/Examples` (copied from this package's examples).
  static func makeRepository() throws -> URL {
    let repo = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-precommit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: repo.appendingPathComponent(".git"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: TestPaths.examples, toPath: repo.appendingPathComponent("Examples").path)
    return repo
  }

  static func write(_ text: String, _ path: String, in repo: URL) throws {
    let url = repo.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  static func lint(_ paths: [String], in directory: URL) -> LintReport {
    Engine().lint(LintRequest(paths: paths, workingDirectory: directory.path))
  }

  @Test func pathsAreRelativeToTheRepositoryRootFromASubfolder() throws {
    let repo = try Self.makeRepository()
    defer { try? FileManager.default.removeItem(at: repo) }
    let fromRoot = Self.lint(["Examples/ms03-026/campaign.yaml"], in: repo)
    let fromSubfolder = Self.lint(["ms03-026/campaign.yaml"], in: repo.appendingPathComponent("Examples"))
    #expect(!fromRoot.findings.isEmpty)
    #expect(fromSubfolder.findings.map(\.path) == fromRoot.findings.map(\.path))
    #expect(fromSubfolder.findings.contains { $0.path == "Examples/ms03-026/body.html" })
    #expect(fromSubfolder.findings.allSatisfy { $0.path.hasPrefix("Examples/ms03-026/") })
  }

  @Test func withoutARepositoryPathsAreRelativeToTheWorkingDirectory() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-norepo-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: TestPaths.examples + "/ms03-026", toPath: folder.appendingPathComponent("ms03-026").path)
    let loader = DraftLoader(workingDirectory: folder.path)
    // A temporary folder is under no repository on CI machines; when it is, the root is that one.
    if PathConfinement.repositoryRoot(containing: folder.path) == nil {
      #expect(loader.displayPath(folder.path + "/ms03-026/body.html") == "ms03-026/body.html")
    }
  }

  static func summary(_ report: LintReport) -> [String] {
    report.findings.map {
      "\($0.path):\($0.range.map { "\($0.startPosition.line):\($0.startPosition.column)" } ?? "") \($0.rule)"
    }
  }

  @Test func aTemplateNamedAloneIsLintedWithinItsCampaign() throws {
    let repo = try Self.makeRepository()
    defer { try? FileManager.default.removeItem(at: repo) }
    let campaign = Self.lint(["Examples/ms03-026/campaign.yaml"], in: repo)
    let template = Self.lint(["ms03-026/body.html"], in: repo.appendingPathComponent("Examples"))
    #expect(campaign.findings.contains { $0.rule == "link/text-host-mismatch" })
    #expect(Self.summary(template) == Self.summary(campaign))
    #expect(template.draftCount == 1)
    #expect(template.exitCode(failOn: .error, maxWarnings: nil) != 0)
    // The text part too, and from a folder below the manifest's (a manifest naming `parts/x.html`).
    #expect(Self.summary(Self.lint(["Examples/ms03-026/body.txt"], in: repo)) == Self.summary(campaign))
    let fixed = Self.lint(["Examples/ms03-026-fixed/body.html"], in: repo)
    #expect(fixed.exitCode(failOn: .error, maxWarnings: nil) == 0)
  }

  @Test func aTemplateAndItsManifestBothNamedAreOneDraft() throws {
    let repo = try Self.makeRepository()
    defer { try? FileManager.default.removeItem(at: repo) }
    let both = Self.lint(
      ["Examples/ms03-026/body.html", "Examples/ms03-026/campaign.yaml", "Examples/ms03-026/body.txt"],
      in: repo)
    #expect(both.draftCount == 1)
    #expect(Self.summary(both) == Self.summary(Self.lint(["Examples/ms03-026/campaign.yaml"], in: repo)))
  }

  @Test func manifestsInAncestorFoldersAreFoundAndUnrelatedTemplatesStayAlone() throws {
    let repo = try Self.makeRepository()
    defer { try? FileManager.default.removeItem(at: repo) }
    try Self.write(
      "<p>Hello <a href=\"https://example.com/\">example.com</a></p>\n", "mail/parts/body.html", in: repo)
    try Self.write("<p>Nobody uses me</p>\n", "mail/parts/orphan.html", in: repo)
    try Self.write(
      "campaign: c\ncategory: newsletter\nfrom: \"A <a@example.com>\"\nsubject: Hi\nhtml: parts/body.html\n",
      "mail/a.campaign.yaml", in: repo)
    try Self.write(
      "campaign: other\ncategory: newsletter\nfrom: \"A <a@example.com>\"\nsubject: Hi\nhtml: mail/parts/body.html\n",
      "campaign.yaml", in: repo)
    let loader = DraftLoader(workingDirectory: repo.appendingPathComponent("mail").path)
    let drafts = loader.discover(["parts/body.html", "parts/orphan.html"]).drafts
    #expect(
      drafts.map { loader.displayPath($0.path) } == [
        "campaign.yaml", "mail/a.campaign.yaml", "mail/parts/orphan.html",
      ])
    #expect(
      drafts.last
        == .template(
          path: repo.appendingPathComponent("mail/parts/orphan.html").standardizedFileURL.path, isHTML: true))
  }

  @Test func fromHookSkipsPolicyTestFixturesAndOwnFiles() throws {
    let repo = try Self.makeRepository()
    defer { try? FileManager.default.removeItem(at: repo) }
    let paths = [
      "Examples/policy-tests/password.html", "Examples/policy-tests/sendlint-tests.yaml",
      "Examples/ms03-026/body.html",
    ]
    var loader = DraftLoader(workingDirectory: repo.path)
    loader.fromHook = true
    let hook = loader.discoverAll(paths)
    #expect(hook.drafts.map { loader.displayPath($0.path) } == ["Examples/ms03-026/campaign.yaml"])
    #expect(
      hook.skipped.map(\.path) == [
        "Examples/policy-tests/password.html", "Examples/policy-tests/sendlint-tests.yaml",
      ])
    #expect(hook.skipped.first?.reason.contains("policy-test fixtures") == true)
    // Named outside a hook, a fixture is still linted: the user chose it.
    let named = DraftLoader(workingDirectory: repo.path).discoverAll(["Examples/policy-tests/password.html"])
    #expect(
      named.drafts.map { loader.displayPath($0.path) } == ["Examples/policy-tests/password.campaign.yaml"])
    var request = LintRequest(paths: paths, workingDirectory: repo.path)
    request.fromHook = true
    #expect(Engine().lint(request).draftCount == 1)
  }

  @Test func aNamedPolicyLintsTheDraftsItGoverns() throws {
    let repo = try Self.makeRepository()
    defer { try? FileManager.default.removeItem(at: repo) }
    let loader = DraftLoader(workingDirectory: repo.path)
    let found = loader.discoverAll(["Examples/.sendlint.yaml"])
    let walked = loader.discoverAll(["Examples"])
    #expect(found.drafts == walked.drafts)
    #expect(
      found.drafts.contains(
        .campaign(
          manifestPath: repo.appendingPathComponent("Examples/ms03-026/campaign.yaml").standardizedFileURL
            .path)))
    #expect(!found.drafts.contains { $0.path.contains("policy-tests") })
    #expect(found.diagnostics.isEmpty)
  }

  @Test(arguments: [
    ("*.html", "a/b/c.html", false, true), ("*.html", "c.html", false, true),
    ("*.html", "c.htmlx", false, false),
    ("/top.html", "top.html", false, true), ("/top.html", "a/top.html", false, false),
    ("drafts/", "x/drafts", true, true), ("drafts/", "x/drafts", false, false),
    ("a/**/b.txt", "a/b.txt", false, true), ("a/**/b.txt", "a/x/y/b.txt", false, true),
    ("a/**/b.txt", "xa/b.txt", false, false),
    ("**/old", "old", true, true), ("**/old", "m/n/old", true, true), ("old/**", "old/x/y.html", false, true),
    ("old/**", "old", true, false), ("a/*.html", "a/b/c.html", false, false),
    ("b?.txt", "b1.txt", false, true),
    ("[abc].eml", "b.eml", false, true), ("[!abc].eml", "b.eml", false, false), ("\\#x", "#x", false, true),
  ])
  func gitignoreSyntax(pattern: String, path: String, isFolder: Bool, excluded: Bool) {
    var rules = IgnoreRules()
    rules.add(pattern, origin: "test")
    #expect((rules.exclusion(path, isFolder: isFolder) != nil) == excluded)
  }

  @Test func negationAndCommentsFollowGitignore() {
    var rules = IgnoreRules()
    rules.add("# archived drafts\n*.html\n!keep.html\n\n", origin: ".sendlintignore")
    #expect(rules.exclusion("a/drop.html", isFolder: false) == "excluded by .sendlintignore:2 (*.html)")
    #expect(rules.exclusion("a/keep.html", isFolder: false) == nil)
    #expect(rules.exclusion("# archived drafts", isFolder: false) == nil)
  }

  @Test func hostilePatternsMatchInBoundedWork() {
    // A backtracking matcher takes exponential time here; the NFA is O(path × pattern).
    var rules = IgnoreRules()
    rules.add(String(repeating: "*a", count: 200) + "b", origin: "test")
    #expect(rules.exclusion(String(repeating: "a", count: 5000), isFolder: false) == nil)
    var many = IgnoreRules()
    many.add(
      Array(repeating: "x", count: IgnoreRules.maximumPatterns + 5).joined(separator: "\n"),
      origin: ".sendlintignore")
    #expect(many.problems.count == 1)
    var long = IgnoreRules()
    long.add(String(repeating: "y", count: IgnoreRules.maximumPatternBytes + 1), origin: ".sendlintignore")
    #expect(long.problems.count == 1 && long.isEmpty)
  }

  @Test func sendlintignoreAndExcludeApplyDuringDiscovery() throws {
    let repo = try Self.makeRepository()
    defer { try? FileManager.default.removeItem(at: repo) }
    try Self.write(
      "# not ours\nExamples/newsletter/\n/Examples/ms03-026/*.eml\n", ".sendlintignore", in: repo)
    var loader = DraftLoader(workingDirectory: repo.appendingPathComponent("Examples").path)
    let found = loader.discoverAll(["."])
    let shown = found.drafts.map { loader.displayPath($0.path) }
    #expect(shown == ["Examples/ms03-026-fixed/campaign.yaml", "Examples/ms03-026/campaign.yaml"])
    #expect(
      found.skipped.contains {
        $0.path == "Examples/newsletter" && $0.isFolder && $0.reason.contains(".sendlintignore:2")
      })
    #expect(found.skipped.contains { $0.path == "Examples/ms03-026/ms03-026.eml" })
    // Named explicitly (pre-commit), an excluded file stays excluded.
    #expect(loader.discoverAll(["newsletter/spring.html"]).drafts.isEmpty)
    loader.excludes = ["ms03-026-fixed"]
    #expect(
      loader.discoverAll(["."]).drafts.map { loader.displayPath($0.path) } == [
        "Examples/ms03-026/campaign.yaml"
      ])
  }

  @Test func quotedGlobsAreExpandedWithinTheRoot() throws {
    let repo = try Self.makeRepository()
    defer { try? FileManager.default.removeItem(at: repo) }
    let loader = DraftLoader(workingDirectory: repo.appendingPathComponent("Examples").path)
    let found = loader.discoverAll(["ms03-026*/**/*.html"])
    #expect(found.diagnostics.isEmpty)
    // Each matched template is named, so it is linted within its campaign.
    #expect(
      found.drafts.map { loader.displayPath($0.path) } == [
        "Examples/ms03-026-fixed/campaign.yaml", "Examples/ms03-026/campaign.yaml",
      ])
    let none = loader.discoverAll(["nothing/**/*.eml"])
    #expect(none.drafts.isEmpty && none.diagnostics.map(\.code) == ["usage/no-such-path"])
  }
}
