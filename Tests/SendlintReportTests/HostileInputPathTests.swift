import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintReport
import SendlintTestSupport
import Testing

/// Issue 11, confinement: drafts and policies from strangers must not make sendlint read or print
/// what the user never pointed at, nor hang. Each test builds a fake repository (a `.git` folder)
/// in a temporary directory with a secret beside it, outside the root.
@Suite struct HostileInputPathTests {
  static let secret = "SECRET-TOKEN-7f3a9c"

  /// `root/repo/.git`, `root/secret.txt` and `root/secret.yaml` (both holding the secret).
  static func makeRepository() throws -> (repo: URL, outside: URL) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-hostile-\(UUID().uuidString)")
    let repo = root.appendingPathComponent("repo")
    try FileManager.default.createDirectory(
      at: repo.appendingPathComponent(".git"), withIntermediateDirectories: true)
    try "token: \(secret)\n".write(
      to: root.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
    try "\(secret): [\n".write(
      to: root.appendingPathComponent("secret.yaml"), atomically: true, encoding: .utf8)
    return (repo, root)
  }

  static func write(_ text: String, _ path: String, in repo: URL) throws {
    let url = repo.appendingPathComponent(path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  /// Lints in `repo` in a child task; fails (rather than hangs) when it takes over a minute.
  static func lint(_ paths: [String], in repo: URL) async throws -> (report: LintReport, output: String) {
    let request = LintRequest(paths: paths, workingDirectory: repo.path)
    let report = try await finishing { Engine().lint(request) }
    let finished = try #require(report, "the lint did not finish: it blocked")
    let text = TextFormatter(color: false).format(
      findings: finished.findings, diagnostics: finished.diagnostics, draftCount: finished.draftCount)
    let json = JSONReport(
      findings: finished.findings, diagnostics: finished.diagnostics, draftCount: finished.draftCount,
      toolVersion: "0"
    ).encoded()
    return (finished, text + json)
  }

  static let message =
    "From: a@example.com\nTo: b@example.com\nSubject: hi\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <a@example.com>\n\nhello\n"

  @Test func extendsOutsideTheRootAndSystemFilesAreRefusedWithoutContent() async throws {
    let (repo, _) = try Self.makeRepository()
    try Self.write(
      "version: 1\nextends: [/proc/self/environ, /etc/passwd, ../../secret.yaml, ../../secret.txt]\n",
      "drafts/.sendlint.yaml", in: repo)
    try Self.write(Self.message, "drafts/a.eml", in: repo)
    let (report, output) = try await Self.lint(["drafts"], in: repo)
    #expect(!output.contains(Self.secret))
    #expect(!output.contains("root:x:0"))
    #expect(!output.contains("PATH="))
    let refused = report.diagnostics.filter { $0.code == "policy/refused-path" }
    #expect(refused.count == 4, "\(report.diagnostics)")
    #expect(refused.allSatisfy { $0.position?.line == 2 })
    #expect(report.exitCode(failOn: .error) == 2)
  }

  @Test func manifestTemplatesMayNotEscapeTheRoot() async throws {
    let (repo, _) = try Self.makeRepository()
    try Self.write(
      "campaign: c\nfrom: a@example.com\nsubject: s\ntext: ../../secret.txt\nhtml: /etc/passwd\n",
      "c/campaign.yaml", in: repo)
    let (report, output) = try await Self.lint(["c"], in: repo)
    #expect(!output.contains(Self.secret))
    #expect(!output.contains("root:x:0"))
    let refused = report.diagnostics.filter { $0.code == "manifest/refused-template" }
    #expect(Set(refused.compactMap { $0.position?.line }) == [4, 5], "\(report.diagnostics)")
  }

  @Test func symlinksOutOfTheRootAreRefusedAndLoopsEnd() async throws {
    let (repo, outside) = try Self.makeRepository()
    try Self.write(Self.message, "drafts/ok.eml", in: repo)
    let fm = FileManager.default
    let drafts = repo.appendingPathComponent("drafts")
    try fm.createSymbolicLink(
      atPath: drafts.appendingPathComponent("passwd.eml").path,
      withDestinationPath: outside.appendingPathComponent("secret.txt").path)
    try fm.createSymbolicLink(atPath: drafts.appendingPathComponent("etc").path, withDestinationPath: "/etc")
    // Two links to the folder itself: 2^depth paths if folders are not visited once.
    try fm.createSymbolicLink(atPath: drafts.appendingPathComponent("a").path, withDestinationPath: ".")
    try fm.createSymbolicLink(atPath: drafts.appendingPathComponent("b").path, withDestinationPath: ".")
    let (report, output) = try await Self.lint(["drafts"], in: repo)
    #expect(!output.contains(Self.secret))
    #expect(report.draftCount == 3, "\(report.drafts.map(\.path))")  // ok.eml and the two refused links
    let refused = report.findings.filter {
      $0.rule == "input/unparseable" && $0.message.contains("outside the repository root")
    }
    #expect(Set(refused.map(\.path)) == ["drafts/passwd.eml", "drafts/etc"])
    // The fix for a refusal, not input/unparseable's general help about what sendlint reads.
    #expect(
      refused.allSatisfy { $0.help == PathConfinement.Refusal.outside(realPath: "").help },
      "\(refused.map(\.help))")
    #expect(report.skipped.contains { $0.reason.hasPrefix("already searched") })
  }

  @Test func fifosAreRefusedWithoutBlocking() async throws {
    let (repo, _) = try Self.makeRepository()
    try Self.write("", "drafts/.keep.txt", in: repo)
    for name in ["drafts/pipe.eml", "drafts/x/campaign.yaml", "drafts/.sendlint.yaml"] {
      try FileManager.default.createDirectory(
        at: repo.appendingPathComponent(name).deletingLastPathComponent(), withIntermediateDirectories: true)
      #expect(mkfifo(repo.appendingPathComponent(name).path, 0o600) == 0)
    }
    let (report, output) = try await Self.lint(["drafts"], in: repo)
    #expect(output.contains("named pipe (FIFO)"))
    #expect(
      report.diagnostics.contains { $0.code == "policy/refused-path" && $0.message.contains("FIFO") },
      "\(report.diagnostics)")
  }

  @Test func extendsDiamondLoadsEachFileOnce() throws {
    let (repo, _) = try Self.makeRepository()
    // 30 levels of diamonds: 2^30 loads if each mention is loaded again.
    let levels = 30
    for level in 0..<levels {
      let next = level + 1 == levels ? "" : "extends: [l\(level + 1)a.yaml, l\(level + 1)b.yaml]\n"
      try Self.write("version: 1\n\(next)", "p/l\(level)a.yaml", in: repo)
      try Self.write("version: 1\n\(next)", "p/l\(level)b.yaml", in: repo)
    }
    let policy = try PolicyLoader.load(
      path: repo.appendingPathComponent("p/l0a.yaml").path,
      confinement: PathConfinement(workingDirectory: repo.path)
    )
    #expect(policy.layers.count == 2 * levels - 1)
  }

  @Test func policyErrorsAreCappedAndSummarised() throws {
    let (repo, _) = try Self.makeRepository()
    let body = (0..<500).map { "  - { rule: nope/x\($0), reason: r }" }.joined(separator: "\n")
    try Self.write("version: 1\nsuppress:\n\(body)\n", "p.yaml", in: repo)
    guard
      case .failure(let list) = Result(catching: { () throws(DiagnosticList) in
        try PolicyLoader.load(
          path: repo.appendingPathComponent("p.yaml").path,
          confinement: PathConfinement(workingDirectory: repo.path))
      })
    else {
      Issue.record("the policy loaded")
      return
    }
    #expect(list.diagnostics.count == PolicyLoader.maximumDiagnosticsPerFile + 1)
    // Each entry is two errors (unknown rule, then no rule): 1,000 in all.
    #expect(
      list.diagnostics.last?.message.contains(
        "and \(1000 - PolicyLoader.maximumDiagnosticsPerFile) more errors") == true,
      "\(list.diagnostics.last!)")  // count checked above
  }

  @Test func oversizedPoliciesAreRefused() throws {
    let (repo, _) = try Self.makeRepository()
    try Self.write(
      "# " + String(repeating: "x", count: PolicyLoader.maximumPolicyBytes) + "\n", "big.yaml", in: repo)
    guard
      case .failure(let list) = Result(catching: { () throws(DiagnosticList) in
        try PolicyLoader.load(
          path: repo.appendingPathComponent("big.yaml").path,
          confinement: PathConfinement(workingDirectory: repo.path))
      })
    else {
      Issue.record("the policy loaded")
      return
    }
    #expect(list.diagnostics.map(\.code) == ["policy/limit-exceeded"])
  }

  @Test func unknownFilesAreReportedAndMessagesWithoutExtensionAreLinted() async throws {
    let (repo, _) = try Self.makeRepository()
    try Self.write(Self.message, "mail/cur/1700000000.M1P1.host:2,S", in: repo)
    try Self.write(Self.message, "mail/seed.raw", in: repo)
    try Self.write("\u{D0}\u{CF}\u{11}\u{E0} binary", "mail/outlook.msg", in: repo)
    try Self.write("body { }", "mail/style.css", in: repo)
    let (report, _) = try await Self.lint(["mail"], in: repo)
    #expect(Set(report.drafts.map(\.path)) == ["mail/cur/1700000000.M1P1.host:2,S", "mail/seed.raw"])
    #expect(
      Set(report.skipped.filter { !$0.isFolder }.map(\.path)) == ["mail/outlook.msg", "mail/style.css"])
  }

  @Test func policyDiscoveryStopsAtTheRoot() throws {
    let (repo, outside) = try Self.makeRepository()
    try "version: 1\n".write(
      to: outside.appendingPathComponent(".sendlint.yaml"), atomically: true, encoding: .utf8)
    try Self.write(Self.message, "a/b/x.eml", in: repo)
    let confinement = PathConfinement(workingDirectory: repo.appendingPathComponent("a").path)
    #expect(confinement.root == PathConfinement.realPath(repo.path))
    #expect(PolicyLoader.discover(from: repo.appendingPathComponent("a/b").path, within: confinement) == nil)
  }
}
