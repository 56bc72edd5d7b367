import Foundation
import Sendlint
import SendlintEngine
import SendlintTestSupport
import Testing

/// The library façade: drafts from memory through the CLI's own pipeline.
@Suite struct LibraryTests {
  static let policyYAML = "version: 1\nextends: [sendlint:recommended]\nbrand:\n  domains: [shop.example]\n"

  /// A message whose link text shows the brand while the href goes elsewhere.
  static func message(_ index: Int = 0) -> String {
    "From: Shop <news@shop.example>\r\nTo: you@example.org\r\nSubject: Sale \(index)\r\nMessage-ID: <\(index)@shop.example>\r\n"
      + "Date: Mon, 1 Jun 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      + "<p>Hi <a href=\"https://login\(index % 7).evil.example/x\">https://shop.example/account</a></p>\r\n"
  }

  static let manifest = """
    campaign: spring
    from: "Shop <news@shop.example>"
    subject: Spring sale
    html: body.html
    sending:
      return_path: bounce@shop.example
    """

  static func policy() throws -> SendlintPolicySet { try SendlintPolicySet.load(yaml: Data(policyYAML.utf8)) }

  static func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "sendlint-library-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  @Test func messageFromMemoryMatchesTheCLIPathLint() async throws {
    let folder = try Self.temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try Self.message().write(toFile: folder + "/welcome.eml", atomically: true, encoding: .utf8)
    try Self.policyYAML.write(toFile: folder + "/.sendlint.yaml", atomically: true, encoding: .utf8)
    let fromFile = Engine().lint(
      LintRequest(paths: ["welcome.eml"], policyPath: ".sendlint.yaml", workingDirectory: folder))
    let linter = Linter(policy: try .load(path: folder + "/.sendlint.yaml"), workingDirectory: folder)
    let report = try await linter.lint(message: Data(Self.message().utf8), name: "welcome.eml")
    #expect(report.diagnostics.isEmpty)
    #expect(report.findings.map(\.rule).contains("link/text-host-mismatch"))
    // Ranges hold their SourceFile by reference: compared by what they say, not by identity.
    func shown(_ findings: [Finding]) -> [String] {
      findings.map {
        "\($0.path):\($0.range.map { "\($0.startPosition.line):\($0.startPosition.column)" } ?? "-") \($0.rule) \($0.severity) \($0.message) \($0.fingerprint)"
      }
    }
    #expect(shown(report.findings) == shown(fromFile.findings))
    #expect(report.formatted(.json) == Report(fromFile, workingDirectory: folder).formatted(.json))
    #expect(report.exitStatus() == 1)
    #expect(report.summary.drafts == 1 && report.summary.errors == 1)
    let mismatch = try #require(report.findings.first { $0.rule == "link/text-host-mismatch" })
    #expect(mismatch.path == "welcome.eml")
    #expect(mismatch.range?.startPosition == SourcePosition(line: 9, column: 55))
  }

  @Test func everyFormatIsAFunctionOfTheReport() async throws {
    let report = try await Linter(policy: try Self.policy()).lint(message: Data(Self.message().utf8))
    let sarif = try JSONSerialization.jsonObject(with: Data(report.formatted(.sarif).utf8)) as? [String: Any]
    #expect(sarif?["version"] as? String == "2.1.0")
    let json = try JSONSerialization.jsonObject(with: Data(report.formatted(.json).utf8)) as? [String: Any]
    #expect((json?["findings"] as? [Any])?.count == report.findings.count)
    #expect(report.formatted(.text).contains("[link/text-host-mismatch]"))
    #expect(report.formatted(.github).contains("::error"))
    #expect(report.formatted(.junit).hasPrefix("<?xml"))
    #expect(report.formatted(.gitlab).contains("\"check_name\""))
    #expect(report.keeping(atLeast: .error).findings.allSatisfy { $0.severity == .error })
  }

  @Test func campaignFromMemoryAppliesInlineSuppressions() async throws {
    let body = "<p><a href=\"https://login.evil.example/x\">https://shop.example/account</a></p>\n"
    let linter = Linter(policy: try Self.policy())
    let plain = try await linter.lint(
      campaign: Data(Self.manifest.utf8), templates: ["body.html": Data(body.utf8)],
      name: "spring.campaign.yaml")
    #expect(plain.diagnostics.isEmpty)
    let mismatch = try #require(plain.findings.first { $0.rule == "link/text-host-mismatch" })
    #expect(mismatch.path == "body.html")
    #expect(mismatch.range?.startPosition.line == 1)
    let suppressed =
      "{{!-- sendlint-disable-next-line link/text-host-mismatch -- legal approved, MKT-1 --}}\n" + body
    let report = try await linter.lint(
      campaign: Data(Self.manifest.utf8), templates: ["body.html": Data(suppressed.utf8)],
      name: "spring.campaign.yaml")
    #expect(!report.findings.contains { $0.rule == "link/text-host-mismatch" })
    #expect(report.summary.suppressed == 1)
  }

  @Test func campaignTemplateInASubfolderIsNamedBesideItsManifest() async throws {
    let body = "<p><a href=\"https://login.evil.example/x\">https://shop.example/account</a></p>\n"
    let report = try await Linter(policy: try Self.policy())
      .lint(
        campaign: Data(Self.manifest.utf8), templates: ["body.html": Data(body.utf8)],
        name: "mail/spring.campaign.yaml")
    #expect(report.findings.first { $0.rule == "link/text-host-mismatch" }?.path == "mail/body.html")
  }

  @Test func aTemplateTheManifestNamesButNotGivenIsADiagnostic() async throws {
    let report = try await Linter(policy: try Self.policy())
      .lint(
        campaign: Data(Self.manifest.utf8), templates: ["bodyy.html": Data("<p>x</p>".utf8)],
        name: "spring.campaign.yaml")
    let diagnostic = try #require(report.diagnostics.first)
    #expect(diagnostic.code == "manifest/missing-template")
    #expect(diagnostic.message.contains("\"body.html\""))
    #expect(diagnostic.help?.contains("did you mean \"bodyy.html\"") == true)
    #expect(diagnostic.position?.line == 4)
    #expect(report.exitStatus() == 2)
  }

  @Test func baselineFromBytesHidesAcceptedFindings() async throws {
    var linter = Linter(policy: try Self.policy())
    let first = try await linter.lint(message: Data(Self.message().utf8))
    #expect(!first.findings.isEmpty)
    let bytes = try JSONEncoder().encode(Baseline(first.findings))
    linter.baseline = try Baseline.decode(bytes)
    let second = try await linter.lint(message: Data(Self.message().utf8))
    #expect(second.findings.isEmpty)
    #expect(second.summary.baselined == first.findings.count)
    #expect(second.exitStatus() == 0)
    #expect(throws: BaselineError.self) { try Baseline.decode(Data("{\"version\":1}".utf8)) }
  }

  @Test func policyFromBytesResolvesExtendsThroughTheResolver() async throws {
    let base = "version: 1\nextends: [sendlint:recommended]\nbrand:\n  domains: [shop.example]\n"
    var asked: [String] = []
    let policy = try SendlintPolicySet.load(
      yaml: Data("version: 1\nextends: [shared/base.yaml]\n".utf8), name: "client.yaml"
    ) { reference in
      asked.append(reference)
      guard reference == "shared/base.yaml" else { throw CocoaError(.fileNoSuchFile) }
      return Data(base.utf8)
    }
    #expect(asked == ["shared/base.yaml"])
    #expect(
      policy.layers == ["sendlint:checklist", "sendlint:recommended", "shared/base.yaml", "client.yaml"])
    // The brand domain came from the resolved layer: a link to it is on-brand.
    let report = try await Linter(policy: policy).lint(message: Data(Self.message().utf8))
    #expect(report.findings.contains { $0.rule == "link/text-host-mismatch" })
  }

  @Test func policyFromBytesReportsResolverFailuresCyclesAndErrors() throws {
    func diagnostics(_ yaml: String, resolver: @escaping (String) throws -> Data) -> [Diagnostic] {
      do {
        _ = try SendlintPolicySet.load(yaml: Data(yaml.utf8), name: "client.yaml", resolver: resolver)
        return []
      } catch SendlintError.policy(let diagnostics) { return diagnostics } catch { return [] }
    }
    let missing = diagnostics("version: 1\nextends: [nope.yaml]\n") { _ in throw CocoaError(.fileNoSuchFile) }
    #expect(missing.map(\.code) == ["policy/extends-not-found"])
    #expect(missing.first?.position?.line == 2)
    let cycle = diagnostics("version: 1\nextends: [a.yaml]\n") { _ in
      Data("version: 1\nextends: [a.yaml]\n".utf8)
    }
    #expect(cycle.map(\.code) == ["policy/extends-cycle"])
    let unknownKey = diagnostics("version: 1\nbrnad: {}\n") { _ in Data() }
    #expect(unknownKey.map(\.code) == ["policy/unknown-key"])
    // With no resolver, only built-in packs may be extended.
    #expect(throws: SendlintError.self) {
      try SendlintPolicySet.load(yaml: Data("version: 1\nextends: [x.yaml]\n".utf8))
    }
  }

  @Test func anOversizedDraftIsRefusedNotLinted() async throws {
    let huge = Data(count: Linter.maximumDraftBytes + 1)
    await #expect(throws: SendlintError.self) { _ = try await Linter().lint(message: huge) }
  }

  @Test func hundredConcurrentLintsEqualSerialOnes() async throws {
    let linter = Linter(policy: try Self.policy())
    var serial: [String] = []
    for index in 0..<100 {
      serial.append(
        try await linter.lint(message: Data(Self.message(index).utf8), name: "m\(index).eml").formatted(.json)
      )
    }
    let concurrent = try await withThrowingTaskGroup(of: (Int, String).self) { group in
      for index in 0..<100 {
        group.addTask {
          (
            index,
            try await linter.lint(message: Data(Self.message(index).utf8), name: "m\(index).eml").formatted(
              .json)
          )
        }
      }
      var results = [String](repeating: "", count: 100)
      for try await (index, json) in group { results[index] = json }
      return results
    }
    #expect(concurrent == serial)
    #expect(Set(serial).count == 100)
  }

  /// `sendlint lint Examples` must not take the embedding example's Swift package for drafts.
  @Test func lintingExamplesSkipsTheEmbeddingPackage() {
    let report = Engine().lint(
      LintRequest(paths: [TestPaths.examples + "/embedding"], workingDirectory: TestPaths.packageRoot))
    #expect(report.drafts.isEmpty)
    #expect(report.diagnostics.map(\.code) == ["usage/no-drafts"])
    #expect(report.skipped.contains { $0.path.hasSuffix("main.swift") })
  }
}
