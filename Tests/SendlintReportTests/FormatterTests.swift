import Foundation
import SendlintCore
import SendlintPolicy
import SendlintReport
import SendlintRules
import SendlintTestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Golden files for every output format on one report that has everything a formatter must handle.
@Suite struct FormatterTests {
  static let html = SourceFile(
    path: "Exämples/ünïcode.html",
    text:
      "<p>Visit <a href=\"https://evil.example/\">www.contoso.com</a></p>\n<img src=\"https://t.example/o.gif\" width=\"1\" height=\"1\">\n"
  )
  static let eml = SourceFile(
    path: "mail/notice.eml",
    text: "Subject: x\nContent-Transfer-Encoding: base64\n\nPGEgaHJlZj0iaHR0cDovL3guZXhhbXBsZSI+\n")

  static var findings: [Finding] {
    [
      Finding(
        rule: "link/text-host-mismatch", severity: .error,
        message: "link text shows www.contoso.com but the link goes to evil.example",
        help: "point the link at www.contoso.com", range: SourceRange(file: html, start: 41, end: 56),
        draftPath: html.path, evidence: "a"),
      Finding(
        rule: "tracking/pixel", severity: .info,
        message: "remote image from t.example is 1×1 pixels: a tracking pixel",
        help: "remove the image", range: SourceRange(file: html, start: 75, end: 98), draftPath: html.path,
        evidence: "b"),
      Finding(
        rule: "link/template-host", severity: .warning,
        message: "message with %, a: colon, a comma,\nand a newline",
        help: nil, range: SourceRange(file: eml, start: 47, end: 47, hasColumn: false), draftPath: eml.path,
        evidence: "c"),
    ]
  }

  static let diagnostics = [
    Diagnostic(
      code: "policy/unknown-rule", message: "unknown rule \"link/nope\"",
      help: "did you mean \"link/obfuscated\"?",
      path: ".sendlint.yaml", position: SourcePosition(line: 3, column: 3), sourceLine: "  link/nope: error")
  ]

  static let drafts = [
    JUnitFormatter.Draft(
      path: html.path, rules: ["link/split-url", "link/text-host-mismatch", "tracking/pixel"]),
    JUnitFormatter.Draft(path: eml.path, rules: ["link/template-host"]),
  ]

  static func outputs() -> [String: String] {
    [
      "report.txt": TextFormatter(color: false).format(
        findings: findings, diagnostics: diagnostics, draftCount: 2),
      "report.json": JSONReport(
        findings: findings, diagnostics: diagnostics, draftCount: 2, toolVersion: "0.1.0"
      ).encoded(),
      "report.sarif": SARIFLog(
        findings: findings, diagnostics: diagnostics, rules: RuleRegistry.allMetadata, toolVersion: "0.1.0",
        workingDirectory: "/work/project"
      ).encoded(),
      "report.github": GitHubFormatter.format(findings: findings, diagnostics: diagnostics),
      "report.junit.xml": JUnitFormatter.format(findings: findings, diagnostics: diagnostics, drafts: drafts),
      "summary.md": GitHubFormatter.summary(findings: findings, diagnostics: diagnostics, draftCount: 2),
    ]
  }

  @Test(arguments: [
    "report.txt", "report.json", "report.sarif", "report.github", "report.junit.xml", "summary.md",
  ])
  func golden(_ name: String) throws {
    let path = TestPaths.fixtures() + "/golden/" + name
    let actual = try #require(Self.outputs()[name])
    if ProcessInfo.processInfo.environment["SENDLINT_UPDATE_GOLDEN"] == "1" {
      try actual.write(toFile: path, atomically: true, encoding: .utf8)
      print("updated \(path)")
      return
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      actual == expected,
      "\(name) differs from its golden file; run SENDLINT_UPDATE_GOLDEN=1 swift test --filter FormatterTests and review the diff"
    )
  }

  @Test func githubEscaping() {
    #expect(GitHubFormatter.escapeData("100% done\r\nnext") == "100%25 done%0D%0Anext")
    #expect(GitHubFormatter.escapeProperty("a:b,c%\nd") == "a%3Ab%2Cc%25%0Ad")
    let output = GitHubFormatter.format(findings: Self.findings, diagnostics: [])
    // paths are not percent-encoded beyond the command rules
    #expect(output.contains("::notice file=Ex%C3%A4mples") == false)
    // A newline quoted in a message is shown escaped, not turned into an annotation line break.
    #expect(
      output.contains(
        "::warning file=mail/notice.eml,line=4,title=link/template-host::message with %25, a: colon, a comma,\\u{0A}and a newline"
      ))
    #expect(output.split(separator: "\n").count == 3)
  }

  @Test func junitParsesWithTheRightCounts() throws {
    let xml = JUnitFormatter.format(
      findings: Self.findings, diagnostics: Self.diagnostics, drafts: Self.drafts)
    final class Counter: NSObject, XMLParserDelegate {
      var suites: [(name: String, tests: String, failures: String)] = []
      var testcases = 0
      var failures = 0
      var root: [String: String] = [:]
      func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
      ) {
        switch name {
        case "testsuites": root = attributes
        case "testsuite":
          suites.append((attributes["name"] ?? "", attributes["tests"] ?? "", attributes["failures"] ?? ""))
        case "testcase": testcases += 1
        case "failure": failures += 1
        default: break
        }
      }
    }
    let counter = Counter()
    let parser = XMLParser(data: Data(xml.utf8))
    parser.delegate = counter
    #expect(parser.parse(), "JUnit output is well-formed XML")
    #expect(
      counter.suites.map(\.name) == ["sendlint configuration", "Exämples/ünïcode.html", "mail/notice.eml"])
    #expect(counter.testcases == 5)
    // Only the error fails (the run's verdict at --fail-on error); the info and the warning are
    // <system-out>, the policy problem a JUnit <error>.
    #expect(counter.failures == 1)
    #expect(counter.root["tests"] == "5")
    #expect(counter.root["failures"] == "1")
    #expect(counter.root["errors"] == "1")
    #expect(counter.suites[1].tests == "3" && counter.suites[1].failures == "1")
  }

  @Test func sarifHasRulesResultsAndNotifications() throws {
    let sarif = SARIFLog(
      findings: Self.findings, diagnostics: Self.diagnostics, rules: RuleRegistry.allMetadata,
      toolVersion: "0.1.0", workingDirectory: "/w")
    let run = try #require(sarif.runs.first)
    #expect(run.tool.driver.rules.map(\.id) == RuleRegistry.allMetadata.map(\.id))
    #expect(run.results.count == 3)
    #expect(
      run.results[0].locations[0].physicalLocation.artifactLocation.uri
        == "Ex%C3%A4mples/%C3%BCn%C3%AFcode.html")
    #expect(run.results[2].locations[0].physicalLocation.region?.startColumn == nil)
    #expect(run.results.allSatisfy { $0.partialFingerprints[SARIFLog.fingerprintKey]?.count == 32 })
    #expect(run.invocations[0].executionSuccessful == false)
    #expect(run.invocations[0].toolConfigurationNotifications?.first?.descriptor.id == "policy/unknown-rule")
  }
}

/// `docs/rules/` is generated from rule metadata; this fails when it is stale.
@Suite struct RuleDocsTests {
  @Test func docsAreCurrent() throws {
    let directory = TestPaths.packageRoot + "/docs/rules/"
    let files = RuleCatalogue.documentationFiles(RuleRegistry.allMetadata)
    if ProcessInfo.processInfo.environment["SENDLINT_UPDATE_DOCS"] == "1" {
      try? FileManager.default.removeItem(atPath: directory)
      for (path, content) in files {
        let url = URL(fileURLWithPath: directory + path)
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try content.write(to: url, atomically: true, encoding: .utf8)
      }
      print("regenerated \(files.count) files in docs/rules")
      return
    }
    for (path, content) in files {
      let existing = try? String(contentsOfFile: directory + path, encoding: .utf8)
      #expect(
        existing == content,
        "docs/rules/\(path) is stale; run SENDLINT_UPDATE_DOCS=1 swift test --filter RuleDocs")
    }
    let onDisk =
      (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String }.filter {
        $0.hasSuffix(".md")
      }) ?? []
    #expect(Set(onDisk) == Set(files.keys), "docs/rules has pages for rules that no longer exist")
  }
}
