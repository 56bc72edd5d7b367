import Foundation
import SendlintCore
import SendlintPolicy
import SendlintRules
import SendlintTestSupport
import Testing

/// Issue 19: a rule option is declared once (`RuleOption`: name, type, default, help); the rule
/// reads it typed, its metadata lists the same declaration, and the policy fills it in.
@Suite struct TypedSettingsTests {
  @Test func anOptionsDefaultIsWrittenOnceAndReadTyped() {
    #expect(TextHostMismatch.metadata.options.map(\.name) == ["match", "include_alt_text"])
    #expect(TextHostMismatch.metadata.options.first?.defaultValue == .string("host"))
    #expect(TextHostMismatch.metadata.options.first?.kind == .choice(["host", "registrable-domain"]))
    #expect(RuleOptions()[TextHostMismatch.match] == .host)
    #expect(RuleOptions()[TextHostMismatch.includeAltText] == true)
    #expect(
      RuleOptions(["match": .string("registrable-domain")])[TextHostMismatch.match] == .registrableDomain)
    #expect(RuleOptions(["max_size": .int(5)])[TrackingPixel.maxSizeOption] == 5)
    #expect(DMARCMisaligned.metadata.options.map(\.defaultValue) == [.string("relaxed")])
    #expect(LookalikeDomain.metadata.options.map(\.kind) == [.int(0...3), .bool])
  }

  @Test func thePolicysValueReachesTheTypedOption() throws {
    let text =
      "version: 1\nrules:\n  link/text-host-mismatch: { options: { match: registrable-domain, include_alt_text: false } }\n"
    let policy = try PolicyLoader.load(text: text, path: "p.yaml", directory: "/")
    let options = policy.options(for: TextHostMismatch.metadata)
    #expect(options[TextHostMismatch.match] == .registrableDomain)
    #expect(options[TextHostMismatch.includeAltText] == false)
  }

  @Test func customRuleKindsAreTheEnumsCases() {
    #expect(PolicyLoader.customRuleKinds == ["pattern", "require", "forbid", "link-host"])
    #expect(CustomRule.KindName(rawValue: "link_host") == nil)
    #expect(CustomRule.KindName.linkHost.placeholders == ["host", "text", "allowed"])
  }

  @Test func anUnknownKindIsADiagnosticNeverLinkHost() throws {
    let text =
      "version: 1\ncustom_rules:\n  acme/x:\n    kind: link-hots\n    text: \"(?i)acme\"\n    hosts: [acme.example]\n"
    guard
      case .failure(let list) = Result(catching: { () throws(DiagnosticList) in
        try PolicyLoader.load(text: text, path: "p.yaml", directory: "/")
      })
    else {
      Issue.record("an unknown kind must not load")
      return
    }
    let unknown = try #require(list.diagnostics.first { $0.code == "policy/unknown-kind" })
    #expect(unknown.message == "custom rule acme/x has the unknown kind \"link-hots\"")
    #expect(unknown.help == "did you mean \"link-host\"?")
    #expect(unknown.position?.line == 4)
  }
}

/// Issue 19: every command writes diagnostics (problems with its own inputs) to standard error and
/// its report to standard output; `lint`'s diagnostics are part of its report (every format
/// carries them), so they stay in the document.
@Suite(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
struct CommandStreamTests {
  static let message =
    "From: News <news@example.com>\nSubject: hello\nDate: Mon, 1 Dec 2025 10:00:00 +0000\nMessage-ID: <1@example.com>\n\nHello\n"
  static let badPolicy = "version: 1\nbrnad: {}\n"

  func repository() throws -> String {
    try SendlintCLI.repository(["mail/a.eml": Self.message, "bad.yaml": Self.badPolicy])
  }

  @Test func policyCommandsWriteDiagnosticsToStandardError() throws {
    let root = try repository()
    for command in [
      ["policy", "validate", "bad.yaml"], ["policy", "show", "mail/a.eml", "--policy", "bad.yaml"],
      ["rules", "--policy", "bad.yaml"], ["explain", "link/insecure", "--policy", "bad.yaml"],
    ] {
      let run = try SendlintCLI.sendlint(command, in: root)
      #expect(run.status == 2, "\(command): \(run.all)")
      #expect(run.stderr.contains("bad.yaml:2:1: error: unknown key \"brnad\""), "\(command): \(run.all)")
      #expect(run.stdout.isEmpty, "\(command): \(run.stdout)")
    }
  }

  @Test func policyTestWritesItsTallyToStandardOutputAndDiagnosticsToStandardError() throws {
    let root = try repository()
    let run = try SendlintCLI.sendlint(["policy", "test", "mail"], in: root)
    #expect(run.status == 2, "\(run.all)")
    #expect(run.stdout == "0 passed, 0 failed\n", "\(run.stdout)")
    #expect(run.stderr.contains("[usage/no-policy-tests]"), "\(run.stderr)")
  }

  @Test func explainAnUnknownRuleIsADiagnosticNotUsage() throws {
    let root = try repository()
    let run = try SendlintCLI.sendlint(["explain", "link/insecur"], in: root)
    #expect(run.status == 2, "\(run.all)")
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("error: unknown rule \"link/insecur\" [usage/unknown-rule]"), "\(run.stderr)")
    #expect(run.stderr.contains("did you mean \"link/insecure\"?"), "\(run.stderr)")
    #expect(!run.stderr.contains("USAGE"), "\(run.stderr)")
  }

  @Test func inspectPrintsItsViewOnStandardOutputAndThePolicysDiagnosticsOnStandardError() throws {
    let root = try repository()
    let run = try SendlintCLI.sendlint(["inspect", "mail/a.eml", "--policy", "bad.yaml"], in: root)
    #expect(run.status == 0, "\(run.all)")
    #expect(run.stdout.hasPrefix("draft: mail/a.eml (eml)\n"), "\(run.stdout)")
    #expect(!run.stdout.contains("brnad"))
    #expect(run.stderr.contains("unknown key \"brnad\""), "\(run.stderr)")
  }

  @Test func lintKeepsItsDiagnosticsInTheReportDocument() throws {
    let root = try repository()
    let run = try SendlintCLI.sendlint(
      ["lint", "mail", "--policy", "bad.yaml", "--format", "json"], in: root)
    #expect(run.status == 2, "\(run.all)")
    let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    let diagnostics = try #require(document?["diagnostics"] as? [[String: Any]], "\(run.stdout)")
    #expect(diagnostics.contains { ($0["code"] as? String) == "policy/unknown-key" }, "\(run.stdout)")
    #expect(!run.stderr.contains("brnad"), "\(run.stderr)")
  }
}

/// Issue 19: `html.visible` and `text` custom rules read what the recipient gets, so a template
/// comment that does not render (`{{!-- … --}}`) is not matched; in an .eml it ships and is.
@Suite struct TemplateCommentVisibilityTests {
  static let policy = """
    version: 1
    custom_rules:
      acme/no-password:
        kind: pattern
        in: [html.visible, text]
        pattern: "(?i)password"
        severity: error

    """

  func hits(_ files: [String: String]) throws -> [Finding] {
    let project = try PolicyAuthoringTests.Project([".sendlint.yaml": Self.policy].merging(files) { $1 })
    let report = project.lint()
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    return report.findings.filter { $0.rule == "acme/no-password" }
  }

  @Test func aTemplateCommentIsNotVisibleText() throws {
    #expect(try hits(["a.html": "<p>Hello</p>\n{{!-- TODO: password reset copy --}}\n<p>Bye</p>\n"]).isEmpty)
    #expect(try hits(["a.txt": "Hello {{! password note }} there\n"]).isEmpty)
    #expect(try hits(["a.txt": "Hello {# password #} there\n"]).isEmpty)
  }

  @Test func visibleTextAroundATemplateCommentStillMatchesAtItsPlace() throws {
    let found = try hits(["a.html": "<p>{{!-- note --}} Your password</p>\n"])
    #expect(found.count == 1)
    #expect(
      found.first?.range?.startPosition.column == 25, "\(found.map { $0.range?.startPosition.column ?? -1 })")
  }

  @Test func inAMessageTheCommentShipsAndIsMatched() throws {
    let message = "From: a@example.com\nSubject: hi\nContent-Type: text/html\n\n<p>{{!-- password --}}</p>\n"
    #expect(try hits(["a.eml": message]).count == 1)
  }
}

/// Issue 19: `extends` read from files and through a resolver (the library) pass the same guards,
/// written once, with the same messages.
@Suite struct ExtendsGuardTests {
  static func messages(_ result: Result<ResolvedPolicy, DiagnosticList>) -> [String] {
    guard case .failure(let list) = result else { return [] }
    return list.diagnostics.map { "\($0.code): \($0.message)" }
  }

  @Test func aFileAndAResolverRefuseTheSameThingsAlike() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "extends-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let text = "version: 1\nextends: [\"notes\\u202e.txt\"]\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/p.yaml"))
    let fromFile = Self.messages(
      Result(catching: { () throws(DiagnosticList) in try PolicyLoader.load(path: directory + "/p.yaml") }))
    let fromResolver = Self.messages(
      Result(catching: { () throws(DiagnosticList) in
        try PolicyLoader.load(bytes: Array(text.utf8), name: "p.yaml", directory: "/") { _ in [] }
      }))
    let expected =
      "policy/refused-path: extends \"notes\\u{202E}.txt\": not a policy file (.yaml or .yml); it was not read"
    #expect(fromFile == [expected])
    #expect(fromResolver == [expected])
  }

  @Test func aCycleIsNamedInBothWays() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "extends-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Data("version: 1\nextends: [b.yaml]\n".utf8).write(to: URL(fileURLWithPath: directory + "/a.yaml"))
    try Data("version: 1\nextends: [a.yaml]\n".utf8).write(to: URL(fileURLWithPath: directory + "/b.yaml"))
    let fromFile = Self.messages(
      Result(catching: { () throws(DiagnosticList) in try PolicyLoader.load(path: directory + "/a.yaml") }))
    #expect(
      fromFile == [
        "policy/extends-cycle: extends cycle: \(directory)/a.yaml → \(directory)/b.yaml → \(directory)/a.yaml"
      ])
    let fromResolver = Self.messages(
      Result(catching: { () throws(DiagnosticList) in
        try PolicyLoader.load(
          bytes: Array("version: 1\nextends: [b.yaml]\n".utf8), name: "a.yaml", directory: "/"
        ) { name in
          Array("version: 1\nextends: [\(name == "b.yaml" ? "b.yaml" : "a.yaml")]\n".utf8)
        }
      }))
    #expect(fromResolver == ["policy/extends-cycle: extends cycle: a.yaml → b.yaml → b.yaml"])
  }
}

/// Issue 19: `sendlint-tests.yaml` is read by the policy layer into typed cases, with positions.
@Suite struct PolicyTestFileTests {
  @Test func casesAreTypedWithTheirPositions() {
    let file = SourceFile(
      path: "sendlint-tests.yaml",
      text:
        "policy: ../p.yaml\ncases:\n  - draft: a.eml\n    expect: [link/insecure, \"x/y@a.html:3\"]\n    expect_not: [link/split-url]\n  - expect: [link/insecure]\n"
    )
    let tests = PolicyTestFile(file)
    #expect(tests.policy == "../p.yaml")
    #expect(tests.cases.count == 2)
    #expect(tests.cases[0].draft?.value == "a.eml")
    #expect(tests.cases[0].draft?.position == SourcePosition(line: 3, column: 12))
    #expect(tests.cases[0].expect.map(\.value) == ["link/insecure", "x/y@a.html:3"])
    #expect(tests.cases[0].expect.last?.position?.line == 4)
    #expect(tests.cases[0].expectNot.map(\.value) == ["link/split-url"])
    #expect(tests.cases[1].draft == nil)
    #expect(tests.diagnostics.map(\.code) == ["tests/missing-key"])
    #expect(tests.diagnostics.first?.position?.line == 6)
  }

  @Test func unknownKeysAreDiagnosticsWithTheLine() {
    var tests = PolicyTestFile(SourceFile(path: "t.yaml", text: "cases:\n  - draft: a.eml\n    expct: [x]\n"))
    #expect(tests.diagnostics.map(\.code) == ["tests/unknown-key"])
    #expect(tests.diagnostics.first?.sourceLine == "    expct: [x]")
    tests.report(
      "missing-fixture", "fixture draft \"a.eml\" not found", at: tests.cases.first?.draft?.position)
    #expect(tests.diagnostics.last?.code == "tests/missing-fixture")
    #expect(tests.diagnostics.last?.position?.line == 2)
  }
}
