import Foundation
import SendlintCore
import SendlintEngine
import SendlintReport
import SendlintTestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Issue 13, the GitLab and JUnit part: `--format gitlab` (GitLab Code Quality), JUnit that a
/// passing job does not show as failed, and JSON summaries that count what was left out. Drafts are
/// written by the tests into throwaway repositories (`SendlintCLI.repository`).
@Suite struct GitLabJUnitTests {
  // MARK: GitLab's documented fields

  /// What GitLab documents for each Code Quality issue (docs.gitlab.com, "Code Quality report
  /// format"): `description`, `check_name`, `fingerprint` strings, `severity` one of five names,
  /// `location.path` a relative path, `location.lines.begin` an integer. Returns one sentence per
  /// violation, nothing for a valid issue.
  static func gitLabProblems(_ value: Any) -> [String] {
    guard let issue = value as? [String: Any] else { return ["an issue is not a JSON object"] }
    var problems: [String] = []
    func isString(_ key: String, in object: [String: Any]) -> String? {
      guard let text = object[key] as? String else {
        problems.append("\(key) is missing or not a string")
        return nil
      }
      if text.isEmpty { problems.append("\(key) is empty") }
      return text
    }
    _ = isString("description", in: issue)
    _ = isString("check_name", in: issue)
    _ = isString("fingerprint", in: issue)
    if let severity = isString("severity", in: issue),
      !["info", "minor", "major", "critical", "blocker"].contains(severity)
    {
      problems.append("severity \(severity) is not info, minor, major, critical or blocker")
    }
    guard let location = issue["location"] as? [String: Any] else {
      return problems + ["location is missing or not an object"]
    }
    if let path = isString("path", in: location), path.hasPrefix("./") || path.hasPrefix("/") {
      problems.append("location.path \(path) is not relative to the repository")
    }
    guard let lines = location["lines"] as? [String: Any] else {
      return problems + ["location.lines is missing or not an object"]
    }
    // JSONSerialization gives NSNumber for integers, reals and booleans alike: its type code tells
    // them apart (`c` for a boolean, `d`/`f` for a real).
    let integerCodes: Set<String> = ["q", "l", "i", "s", "Q", "L", "I", "S"]
    if let begin = lines["begin"] as? NSNumber, integerCodes.contains(String(cString: begin.objCType)),
      begin.intValue >= 1
    {
      // valid
    } else {
      problems.append("location.lines.begin is missing or not a positive integer")
    }
    return problems
  }

  /// Parses a Code Quality report and checks every issue; returns the issues.
  static func validatedIssues(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [[String: Any]]
  {
    let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
    let array = try #require(
      parsed as? [Any], "a Code Quality report is a JSON array", sourceLocation: sourceLocation)
    for (index, issue) in array.enumerated() {
      let problems = gitLabProblems(issue)
      #expect(
        problems.isEmpty, "issue \(index): \(problems.joined(separator: "; "))",
        sourceLocation: sourceLocation)
    }
    return array.compactMap { $0 as? [String: Any] }
  }

  @Test func theFieldCheckRejectsWhatGitLabRejects() {
    let valid: [String: Any] = [
      "description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor",
      "location": ["path": "a/b.html", "lines": ["begin": 3]],
    ]
    #expect(Self.gitLabProblems(valid).isEmpty)
    var missing = valid
    missing["fingerprint"] = nil
    #expect(Self.gitLabProblems(missing) == ["fingerprint is missing or not a string"])
    var badSeverity = valid
    badSeverity["severity"] = "error"
    #expect(Self.gitLabProblems(badSeverity).count == 1)
    var stringLine = valid
    stringLine["location"] = ["path": "a", "lines": ["begin": "3"]]
    #expect(Self.gitLabProblems(stringLine) == ["location.lines.begin is missing or not a positive integer"])
    var booleanLine = valid
    booleanLine["location"] = ["path": "a", "lines": ["begin": true]]
    #expect(Self.gitLabProblems(booleanLine).count == 1)
    var dotPath = valid
    dotPath["location"] = ["path": "./a", "lines": ["begin": 1]]
    #expect(Self.gitLabProblems(dotPath).count == 1)
  }

  /// Four `link/insecure` hits on one URL in one file (one shared finding fingerprint), a second
  /// URL, and a text template: what made SARIF and Code Quality merge distinct findings.
  static let repeatedLinks: [String: String] = [
    "mail/news.html": """
    <p><a href="http://contoso.com/a">one</a></p>
    <p><a href="http://contoso.com/a">two</a></p>
    <p><a href="http://contoso.com/a">three</a></p>
    <p><a href="http://contoso.com/a">four</a></p>
    <p><a href="http://contoso.com/b">five</a></p>

    """,
    "mail/offer.txt": "Visit http://contoso.com/offer now\n",
  ]

  @Test func gitLabReportHasDocumentedFieldsAndUniqueFingerprints() throws {
    let root = try SendlintCLI.repository(Self.repeatedLinks)
    let report = Engine().lint(LintRequest(paths: ["mail"], workingDirectory: root))
    // The four identical hits are one aggregated finding (count 4); the engine aggregates only
    // findings that agree on everything, so two findings can still share a fingerprint when a rule
    // words one evidence two ways. Such a twin is added here: Code Quality must keep both apart.
    let insecure = report.findings.filter { $0.rule == "link/insecure" }
    #expect(insecure.count == 3, "\(report.findings.map(\.message))")
    #expect(insecure.map(\.count).reduce(0, +) == 6)
    let repeated = try #require(insecure.first { $0.count == 4 })
    let twin = Finding(
      rule: repeated.rule, severity: repeated.severity, message: repeated.message + " (worded another way)",
      help: repeated.help, range: repeated.range, draftPath: repeated.draftPath,
      evidence: "http://contoso.com/a")
    #expect(twin.fingerprint == repeated.fingerprint, "the twin must share the finding fingerprint")
    let findings = report.findings + [twin]
    let issues = try Self.validatedIssues(
      GitLabCodeQualityReport(findings: findings, diagnostics: []).encoded())
    #expect(issues.count == findings.count)
    let fingerprints = issues.compactMap { $0["fingerprint"] as? String }
    #expect(Set(fingerprints).count == fingerprints.count, "fingerprints must be unique: \(fingerprints)")
    let paths = Set(issues.compactMap { ($0["location"] as? [String: Any])?["path"] as? String })
    #expect(paths == ["mail/news.html", "mail/offer.txt"])
    let severities = Set(issues.compactMap { $0["severity"] as? String })
    #expect(severities == ["minor"], "link/insecure is a warning in sendlint:recommended: \(severities)")
  }

  /// An aggregated finding is one issue or annotation, and says how many times it occurred.
  @Test func aggregatedCountsReachTheOneLineFormats() throws {
    let root = try SendlintCLI.repository(Self.repeatedLinks)
    let report = Engine().lint(LintRequest(paths: ["mail"], workingDirectory: root))
    let repeated = try #require(report.findings.first { $0.count == 4 })
    let issues = try Self.validatedIssues(
      GitLabCodeQualityReport(findings: [repeated], diagnostics: []).encoded())
    #expect(
      (issues.first?["description"] as? String)?.hasSuffix("(4 occurrences in this draft)") == true,
      "\(issues)")
    let annotations = GitHubFormatter.format(findings: [repeated], diagnostics: [])
    #expect(annotations.contains("(4 occurrences in this draft)"), "\(annotations)")
    let single = try #require(report.findings.first { $0.count == 1 })
    #expect(!GitHubFormatter.format(findings: [single], diagnostics: []).contains("occurrences"))
  }

  @Test func gitLabFingerprintsSurviveLineShifts() throws {
    let root = try SendlintCLI.repository(Self.repeatedLinks)
    func prints() throws -> [String: Int] {
      let report = Engine().lint(LintRequest(paths: ["mail"], workingDirectory: root))
      let issues = try Self.validatedIssues(
        GitLabCodeQualityReport(findings: report.findings, diagnostics: []).encoded())
      return Dictionary(
        issues.map {
          (
            ($0["fingerprint"] as? String) ?? "",
            (($0["location"] as? [String: Any])?["lines"] as? [String: Any])?["begin"] as? Int ?? 0
          )
        }
      ) { first, _ in first }
    }
    let before = try prints()
    let html = root + "/mail/news.html"
    let original = try String(contentsOfFile: html, encoding: .utf8)
    try ("<p>a new first paragraph</p>\n\n\n" + original).write(
      toFile: html, atomically: true, encoding: .utf8)
    let after = try prints()
    #expect(Set(before.keys) == Set(after.keys), "the same findings keep their fingerprints when lines move")
    let moved = before.keys.filter { before[$0] != after[$0] }
    #expect(
      moved.count == 2,
      "the two news.html findings (one aggregated) moved down three lines: \(before) → \(after)")
    for key in moved { #expect(after[key] == (before[key] ?? 0) + 3) }
  }

  @Test func diagnosticsAreBlockersAtTheirLine() throws {
    let diagnostics = [
      Diagnostic(
        code: "policy/unknown-rule", message: "unknown rule \"link/nope\"",
        help: "did you mean \"link/obfuscated\"?", path: ".sendlint.yaml",
        position: SourcePosition(line: 3, column: 3)),
      Diagnostic(
        code: "policy/unknown-rule", message: "unknown rule \"link/nope\"", help: nil, path: ".sendlint.yaml",
        position: SourcePosition(line: 9, column: 3)),
      Diagnostic(code: "usage/no-drafts", message: "no drafts", path: "mail"),
    ]
    let issues = try Self.validatedIssues(
      GitLabCodeQualityReport(findings: [], diagnostics: diagnostics).encoded())
    #expect(issues.map { $0["severity"] as? String } == ["blocker", "blocker", "blocker"])
    #expect(
      issues.map { (($0["location"] as? [String: Any])?["lines"] as? [String: Any])?["begin"] as? Int } == [
        3, 9, 1,
      ])
    #expect(Set(issues.compactMap { $0["fingerprint"] as? String }).count == 3)
    #expect(
      (issues[0]["description"] as? String)?.contains("did you mean") == true,
      "the fix travels with the message")
  }

  @Test func gitLabReportOfNothingIsAnEmptyArray() {
    #expect(GitLabCodeQualityReport(findings: [], diagnostics: []).encoded() == "[\n\n]\n")
  }

  @Test func hostileValuesStayValidEscapedJSON() throws {
    let hostile =
      "quote \" back\\slash \u{1B}[2J\u{07} bell\u{0} nul \u{202E}gnp.exe\u{2028}line \u{85}nel \u{9B}csi \u{FFFE}"
    let file = SourceFile(path: "mail/\u{202E}lmth.eml\"\n", text: "Subject: x\n\nbody\n")
    let findings = [
      Finding(
        rule: "link/insecure", severity: .error, message: hostile, help: hostile,
        range: SourceRange(file: file, start: 0, end: 1), draftPath: file.path, evidence: hostile),
      Finding(
        rule: "custom/\u{202E}x", severity: .info, message: hostile, help: nil, range: nil,
        draftPath: file.path, evidence: "2"),
    ]
    let diagnostic = Diagnostic(
      code: "policy/x\u{1B}", message: hostile, help: hostile, path: ".sendlint.yaml\u{202E}", position: nil)
    let text = GitLabCodeQualityReport(findings: findings, diagnostics: [diagnostic]).encoded()
    let issues = try Self.validatedIssues(text)
    #expect(issues.count == 3)
    // No raw control, bidi or separator reaches the file: a terminal `cat` shows escapes only.
    let raw = text.unicodeScalars.filter { $0 != "\n" && DisplayEscaping.needsEscaping($0) }
    #expect(raw.isEmpty, "raw scalars in the report: \(raw.map { String($0.value, radix: 16) })")
    let description = try #require(issues[0]["description"] as? String)
    #expect(description.contains("\\u{202E}gnp.exe") && description.contains("quote \" back\\slash"))
    let path = try #require((issues[0]["location"] as? [String: Any])?["path"] as? String)
    #expect(path == "mail/\\u{202E}lmth.eml\"\\u{0A}")
  }

  @Test func gitLabGolden() throws {
    let actual = GitLabCodeQualityReport(
      findings: FormatterTests.findings, diagnostics: FormatterTests.diagnostics
    ).encoded()
    let path = TestPaths.fixtures() + "/golden/report.gitlab.json"
    if ProcessInfo.processInfo.environment["SENDLINT_UPDATE_GOLDEN"] == "1" {
      try actual.write(toFile: path, atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOfFile: path, encoding: .utf8)
    #expect(
      actual == expected,
      "report.gitlab.json differs; run SENDLINT_UPDATE_GOLDEN=1 swift test --filter GitLabJUnitTests and review the diff"
    )
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func cliWritesGitLabReportWithRepositoryPathsFromASubfolder() throws {
    let root = try SendlintCLI.repository(Self.repeatedLinks)
    let run = try SendlintCLI.sendlint(
      ["lint", ".", "--format", "gitlab", "--gitlab-output", "extra.json"], in: root + "/mail")
    #expect(run.status == 0, "warnings only: \(run.all)")
    let issues = try Self.validatedIssues(run.stdout)
    #expect(issues.count == 3, "one issue per finding; the four identical hits are one aggregated finding")
    #expect(
      Set(issues.compactMap { ($0["location"] as? [String: Any])?["path"] as? String }) == [
        "mail/news.html", "mail/offer.txt",
      ])
    let extra = try String(contentsOfFile: root + "/mail/extra.json", encoding: .utf8)
    #expect(extra == run.stdout, "--gitlab-output writes the same report")
  }

  // MARK: JUnit

  /// Every testcase of a JUnit file: attributes, and the text of each child element by name.
  final class JUnitReader: NSObject, XMLParserDelegate {
    struct Case {
      var attributes: [String: String]
      var suite: String
      var children: [String: String] = [:]
    }
    var root: [String: String] = [:]
    var suites: [[String: String]] = []
    var cases: [Case] = []
    var element: String?
    func parser(
      _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) {
      switch name {
      case "testsuites": root = attributes
      case "testsuite": suites.append(attributes)
      case "testcase": cases.append(Case(attributes: attributes, suite: suites.last?["name"] ?? ""))
      default:
        element = name
        if !cases.isEmpty { cases[cases.count - 1].children[name, default: ""] += "" }
      }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
      guard let element, !cases.isEmpty else { return }
      cases[cases.count - 1].children[element, default: ""] += string
    }
    func parser(
      _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
    ) { element = nil }

    static func read(_ xml: String, sourceLocation: SourceLocation = #_sourceLocation) -> JUnitReader {
      let reader = JUnitReader()
      let parser = XMLParser(data: Data(xml.utf8))
      parser.delegate = reader
      #expect(
        parser.parse(), "well-formed JUnit XML: \(String(describing: parser.parserError))",
        sourceLocation: sourceLocation)
      return reader
    }

    func testcase(_ rule: String, in suite: String) -> Case? {
      cases.first { $0.attributes["name"] == rule && $0.suite == suite }
    }
  }

  static func junit(_ findings: [Finding], failOn: Severity? = .error, maxWarnings: Int? = nil) -> JUnitReader
  {
    let drafts = Set(findings.map(\.draftPath)).sorted().map { path in
      JUnitFormatter.Draft(path: path, rules: ["link/insecure", "link/split-url"])
    }
    return JUnitReader.read(
      JUnitFormatter.format(
        findings: findings, diagnostics: [], drafts: drafts, failOn: failOn, maxWarnings: maxWarnings))
  }

  static var mixedFindings: [Finding] {
    let file = SourceFile(
      path: "mail/v1.2/news.html",
      text: "<a href=\"http://x.example/\">x</a>\n<a href=\"http://y.example/\">y</a>\n")
    return [
      Finding(
        rule: "link/insecure", severity: .warning, message: "link \"http://x.example/\" uses plain http",
        help: "use https", range: SourceRange(file: file, start: 9, end: 26), draftPath: file.path,
        evidence: "x"),
      Finding(
        rule: "link/split-url", severity: .error, message: "a URL is split", help: nil,
        range: SourceRange(file: file, start: 44, end: 60), draftPath: file.path, evidence: "y"),
      Finding(
        rule: "link/split-url", severity: .info, message: "an info of the same rule", help: nil, range: nil,
        draftPath: file.path, evidence: "z"),
    ]
  }

  @Test func junitWarningsAreSystemOutNotFailures() throws {
    let reader = Self.junit(Self.mixedFindings)
    let insecure = try #require(reader.testcase("link/insecure", in: "mail/v1.2/news.html"))
    #expect(insecure.children["failure"] == nil, "a warning must not fail the testcase")
    #expect(
      insecure.children["system-out"]?.contains(
        "mail/v1.2/news.html:1:10: warning: link \"http://x.example/\" uses plain http") == true)
    #expect(insecure.children["system-out"]?.contains("help: use https") == true)
    let split = try #require(reader.testcase("link/split-url", in: "mail/v1.2/news.html"))
    #expect(split.children["failure"]?.contains("error: a URL is split") == true)
    #expect(split.children["failure"]?.contains("info") == false, "the info is not part of the failure")
    #expect(split.children["system-out"]?.contains("info: an info of the same rule") == true)
    #expect(reader.root["failures"] == "1")
    #expect(reader.suites.first?["failures"] == "1")
  }

  @Test func junitFailuresFollowFailOn() throws {
    let strict = Self.junit(Self.mixedFindings, failOn: .warning)
    #expect(
      strict.testcase("link/insecure", in: "mail/v1.2/news.html")?.children["failure"] != nil,
      "--fail-on warning: warnings fail the run, so the testcase fails")
    #expect(strict.root["failures"] == "2")
    let never = Self.junit(Self.mixedFindings, failOn: nil)
    #expect(never.root["failures"] == "0", "--fail-on never: nothing fails")
    #expect(never.cases.allSatisfy { $0.children["failure"] == nil })
  }

  @Test func junitClassnamesHaveNoDotsAndTheFileIsKept() throws {
    let reader = Self.junit(Self.mixedFindings)
    #expect(!reader.cases.isEmpty)
    for testcase in reader.cases {
      let classname = try #require(testcase.attributes["classname"])
      #expect(!classname.contains("."), "Jenkins splits \(classname) at its last dot")
      #expect(classname == "mail/v1_2/news_html")
      #expect(testcase.attributes["file"] == "mail/v1.2/news.html")
    }
  }

  @Test func junitHasTimeAttributes() throws {
    let reader = Self.junit(Self.mixedFindings)
    #expect(reader.root["time"].flatMap(Double.init) != nil)
    #expect(!reader.suites.isEmpty && reader.suites.allSatisfy { $0["time"].flatMap(Double.init) != nil })
    #expect(reader.cases.allSatisfy { $0.attributes["time"].flatMap(Double.init) != nil })
    let measured = JUnitReader.read(
      JUnitFormatter.format(findings: [], diagnostics: [], drafts: [], seconds: 1.25))
    #expect(measured.root["time"] == "1.250")
  }

  @Test func junitMaxWarningsIsItsOwnTestcase() throws {
    let over = Self.junit(Self.mixedFindings, maxWarnings: 0)
    let gate = try #require(over.testcase("max-warnings", in: "sendlint gate"))
    #expect(gate.children["failure"]?.contains("1 warning, more than --max-warnings 0") == true)
    let within = Self.junit(Self.mixedFindings, maxWarnings: 1)
    #expect(within.testcase("max-warnings", in: "sendlint gate")?.children["failure"] == nil)
    #expect(
      Self.junit(Self.mixedFindings).testcase("max-warnings", in: "sendlint gate") == nil,
      "no limit, no testcase")
  }

  @Test func junitConfigurationProblemsAreErrors() throws {
    let reader = JUnitReader.read(
      JUnitFormatter.format(findings: [], diagnostics: FormatterTests.diagnostics, drafts: []))
    let inputs = try #require(reader.testcase("inputs", in: "sendlint configuration"))
    #expect(inputs.children["error"]?.contains("unknown rule") == true)
    #expect(reader.root["errors"] == "1" && reader.root["failures"] == "0")
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func cliJUnitAgreesWithTheExitStatus() throws {
    let root = try SendlintCLI.repository(SendlintCLI.warningDraft)
    let passing = try SendlintCLI.sendlint(["lint", "mail", "--format", "junit"], in: root)
    #expect(passing.status == 0, "\(passing.all)")
    let passed = JUnitReader.read(passing.stdout)
    #expect(passed.root["failures"] == "0", "a passing job shows no failed test")
    #expect(
      passed.testcase("link/insecure", in: "mail/offer.txt")?.children["system-out"]?.contains("warning:")
        == true)
    #expect(passed.root["time"].flatMap(Double.init).map { $0 >= 0 } == true)
    let failing = try SendlintCLI.sendlint(
      ["lint", "mail", "--format", "junit", "--fail-on", "warning"], in: root)
    #expect(failing.status == 1)
    #expect(JUnitReader.read(failing.stdout).root["failures"] == "1")
    let limited = try SendlintCLI.sendlint(
      ["lint", "mail", "--format", "junit", "--max-warnings", "0", "--quiet"], in: root)
    #expect(limited.status == 1)
    let gate = JUnitReader.read(limited.stdout).testcase("max-warnings", in: "sendlint gate")
    #expect(gate?.children["failure"] != nil, "--quiet hides the warning, not the verdict: \(limited.stdout)")
  }

  // MARK: JSON summary

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func jsonSummaryCountsSkippedSuppressedAndBaselined() throws {
    let root = try SendlintCLI.repository([
      "mail/offer.txt": "Visit http://contoso.com/offer now\n",
      "mail/news.html":
        "{{!-- sendlint-disable-next-line link/insecure -- archived page, SEC-9 --}}\n<a href=\"http://contoso.com/old\">old</a>\n",
      "mail/notes.md": "just some notes, not a message\n",
    ])
    let before = try SendlintCLI.sendlint(["lint", "mail", "--format", "json"], in: root)
    let fresh = try #require(
      try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any])
    let freshSummary = try #require(fresh["summary"] as? [String: Any], "\(before.all)")
    #expect(freshSummary["skipped_files"] as? Int == 1, "\(freshSummary)")
    #expect(freshSummary["suppressed"] as? Int == 1, "\(freshSummary)")
    #expect(freshSummary["baselined"] as? Int == 0)
    #expect(freshSummary["baseline"] == nil)
    #expect(freshSummary["warnings"] as? Int == 1)
    let update = try SendlintCLI.sendlint(["baseline", "update", "mail"], in: root)
    #expect(update.status == 0, "\(update.all)")
    let after = try SendlintCLI.sendlint(["lint", "mail", "--format", "json"], in: root)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
    let summary = try #require(object["summary"] as? [String: Any])
    #expect(summary["baselined"] as? Int == 1, "\(summary)")
    #expect(summary["baseline"] as? String == ".sendlint-baseline.json")
    #expect(summary["warnings"] as? Int == 0)
    #expect(summary["suppressed"] as? Int == 1)
  }
}
