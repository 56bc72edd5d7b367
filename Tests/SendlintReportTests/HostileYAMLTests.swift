import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintTestSupport
import SendlintYAML
import Testing

/// Issue 11, YAML and manifests: policies, manifests and `sendlint-tests.yaml` come from strangers,
/// so a small file must not expand into a huge tree, nest without end, or report its problems one
/// run at a time. Every input is generated here.
@Suite struct HostileYAMLTests {
  /// "Billion laughs": `levels` anchors, each a list of `width` aliases of the one before, so the
  /// last expands to width^levels scalars. The first alias is on line 2, column 8 (`l1: &l1 [*l0`).
  static func aliasBomb(levels: Int = 10, width: Int = 10, under key: String) -> String {
    var text = "\(key):\n  l0: &l0 lol\n"
    for level in 1..<levels {
      text +=
        "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: width).joined(separator: ", ")
        + "]\n"
    }
    return text
  }

  static func policyDiagnostics(_ text: String) -> [Diagnostic] {
    switch Result(catching: { () throws(DiagnosticList) in
      try PolicyLoader.load(text: text, path: "policy.yaml", directory: "/")
    }) {
    case .success: return []
    case .failure(let list): return list.diagnostics
    }
  }

  @Test func anAliasBombInAPolicyIsRefusedAtItsFirstAlias() {
    let diagnostics = Self.policyDiagnostics("version: 1\n" + Self.aliasBomb(under: "x_bomb"))
    let alias = diagnostics.filter { $0.code == "policy/yaml-alias" }
    #expect(alias.count == 1)
    #expect(alias.first?.position == SourcePosition(line: 4, column: 12))
    #expect(alias.first?.message.contains("*l0") == true)
    // Nothing was composed: no diagnostic about the unknown key `x_bomb` follows.
    #expect(diagnostics.count == 1)
  }

  @Test func anAliasBombInAManifestIsRefused() {
    let text = "campaign: c\nhtml: body.html\n" + Self.aliasBomb(under: "variables")
    let (_, diagnostics) = CampaignManifest.read(SourceFile(path: "c.campaign.yaml", bytes: Array(text.utf8)))
    #expect(diagnostics.map(\.code) == ["manifest/yaml-alias"])
    #expect(diagnostics.first?.position?.line == 5)
  }

  @Test func nestingDeeperThanTheLimitIsALocatedLimitDiagnostic() {
    let depth = YAMLReader.maximumDepth + 1
    let text =
      "version: 1\nbrand: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
      + "\n"
    let diagnostics = Self.policyDiagnostics(text)
    #expect(diagnostics.map(\.code) == ["policy/limit-exceeded"])
    // The root mapping is level 1, so the (limit)th bracket opens level limit + 1.
    #expect(diagnostics.first?.position == SourcePosition(line: 2, column: 8 + YAMLReader.maximumDepth - 1))
    // At the limit itself the file is read (and only the schema complains).
    let within =
      "version: 1\nbrand: " + String(repeating: "[", count: depth - 2)
      + String(repeating: "]", count: depth - 2) + "\n"
    #expect(!Self.policyDiagnostics(within).contains { $0.code == "policy/limit-exceeded" })
  }

  /// Also a work bound: the lists are one 100 kB line, on which locating each item by walking
  /// from the line start took minutes (quadratic) before the reader resumed its walk.
  @Test func aListOrMappingWiderThanTheLimitIsALimitDiagnostic() {
    let limit = YAMLReader.maximumItemsPerNode
    func manifest(_ text: String) -> [Diagnostic] {
      CampaignManifest.read(SourceFile(path: "c.campaign.yaml", bytes: Array(text.utf8))).1
    }
    let list =
      "campaign: c\nhtml: b.html\nattachments: [" + (0...limit).map { "a\($0).pdf" }.joined(separator: ", ")
      + "]\n"
    #expect(manifest(list).map(\.code) == ["manifest/limit-exceeded"])
    let atLimit =
      "campaign: c\nhtml: b.html\nattachments: [" + (1...limit).map { "a\($0).pdf" }.joined(separator: ", ")
      + "]\n"
    #expect(manifest(atLimit).isEmpty)
    let mapping = "campaign: c\nhtml: b.html\nvariables:\n" + (0...limit).map { "  v\($0): x\n" }.joined()
    let diagnostics = manifest(mapping)
    #expect(diagnostics.map(\.code) == ["manifest/limit-exceeded"])
    #expect(diagnostics.first?.position?.line == 4 + limit)
  }
}

/// A manifest's problems arrive in one run, all as diagnostics (exit 2), none as findings.
@Suite struct ManifestProblemsAtOnceTests {
  @Test func everyManifestProblemIsReportedInOneRun() throws {
    let (repo, _) = try HostileInputPathTests.makeRepository()
    let manifest = """
      campaign: c
      categroy: marketing
      subject: [not, one, value]
      html: missing.html
      sending:
        ips: [203.0.113.7, 999.1.1.1, 198.51.100.0/24]
        helo: "bad_host..example"
        dkim_domain: ok.example.com
        dkim_domains: [example.com, "-bad-.example"]

      """
    try HostileInputPathTests.write(manifest, "c.campaign.yaml", in: repo)
    let report = Engine().lint(LintRequest(paths: ["c.campaign.yaml"], workingDirectory: repo.path))
    #expect(report.exitCode(failOn: .error) == 2)
    #expect(report.findings.isEmpty)
    let found = report.diagnostics.map { "\($0.code)@\($0.position?.line ?? 0)" }
    #expect(
      found.sorted() == [
        "manifest/bad-value@6", "manifest/bad-value@6", "manifest/bad-value@7", "manifest/bad-value@9",
        "manifest/missing-template@4", "manifest/unknown-key@2", "manifest/wrong-type@3",
      ])
    let messages = report.diagnostics.map(\.message).joined(separator: "\n")
    #expect(messages.contains("\"999.1.1.1\" is not an IP address"))
    #expect(messages.contains("\"198.51.100.0/24\" is an address range"))
    #expect(messages.contains("\"bad_host..example\" is not a domain name"))
    #expect(messages.contains("\"-bad-.example\" is not a domain name"))
  }

  @Test func aValidSendingSectionRaisesNothing() {
    let text =
      "campaign: c\nhtml: b.html\nsending:\n  ips: [203.0.113.7, \"2001:db8::7\"]\n  helo: mh.example.net.\n  dkim_domain: xn--bcher-kva.example\n"
    let (_, diagnostics) = CampaignManifest.read(SourceFile(path: "c.campaign.yaml", bytes: Array(text.utf8)))
    #expect(diagnostics.isEmpty)
  }
}

/// The engine's runner (the test target has a suite of the same name).
private typealias PolicyTestRunner = SendlintEngine.PolicyTests

/// `sendlint policy test` walks a folder from a pull request: links out of the root and loops are
/// not followed, FIFOs do not block, and an oversized tests file is a limit diagnostic.
@Suite struct PolicyTestsConfinementTests {
  @Test func policyTestDiscoveryStaysInsideTheRootAndEnds() async throws {
    let (repo, outside) = try HostileInputPathTests.makeRepository()
    let secret = HostileInputPathTests.secret
    // Outside the root: a tests file whose content would show up in a diagnostic if read.
    try "\(secret): [\n".write(
      to: outside.appendingPathComponent(PolicyTestRunner.fileName), atomically: true, encoding: .utf8)
    try HostileInputPathTests.write("cases: []\n", "tests/ok/\(PolicyTestRunner.fileName)", in: repo)
    let big =
      "cases: []\n" + String(repeating: "# padding\n", count: PolicyTestRunner.maximumFileBytes / 10 + 1)
    try HostileInputPathTests.write(big, "tests/big/\(PolicyTestRunner.fileName)", in: repo)
    let tests = repo.appendingPathComponent("tests")
    try FileManager.default.createSymbolicLink(
      atPath: tests.appendingPathComponent("loop").path, withDestinationPath: ".")
    try FileManager.default.createSymbolicLink(
      atPath: tests.appendingPathComponent("out").path, withDestinationPath: outside.path)
    try FileManager.default.createDirectory(
      at: tests.appendingPathComponent("fifo"), withIntermediateDirectories: true)
    #expect(mkfifo(tests.appendingPathComponent("fifo/\(PolicyTestRunner.fileName)").path, 0o600) == 0)
    let loader = DraftLoader(workingDirectory: repo.path)
    let result = try await finishing { PolicyTestRunner.run(in: tests.path, loader: loader) }
    let finished = try #require(result, "policy test discovery did not finish: it blocked or looped")
    let text = finished.diagnostics.map { "\($0.code) \($0.path) \($0.message) \($0.sourceLine ?? "")" }
      .joined(separator: "\n")
    #expect(!text.contains(secret))
    #expect(finished.diagnostics.map(\.code).sorted() == ["tests/limit-exceeded", "tests/refused-path"])
    #expect(
      finished.diagnostics.first { $0.code == "tests/refused-path" }?.message.contains("named pipe") == true)
  }
}
