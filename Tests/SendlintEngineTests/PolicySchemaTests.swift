import Foundation
import SendlintCore
import SendlintEngine
import SendlintPolicy
import SendlintRules
import SendlintTestSupport
import SendlintYAML
import Testing

/// `docs/sendlint-policy.schema.json` is generated from `PolicyDefinition`, the description the
/// loader validates against; these tests keep the file current and check that the loader and the
/// schema accept and refuse the same documents.
@Suite struct PolicySchemaTests {
  static let schemaPath = TestPaths.packageRoot + "/docs/sendlint-policy.schema.json"

  static let schema: SchemaSubset.Value = {
    // The generator's output is JSON by construction (it says so with a precondition).
    SchemaSubset.Value(
      foundation: (try? JSONSerialization.jsonObject(with: Data(PolicySchema.generate().utf8))) ?? [:])
  }()

  @Test func schemaFileIsTheGeneratedSchemaByteForByte() throws {
    let generated = PolicySchema.generate()
    let environment = ProcessInfo.processInfo.environment
    if environment["SENDLINT_UPDATE_SCHEMA"] == "1" || environment["SENDLINT_UPDATE_DOCS"] == "1" {
      try generated.write(toFile: Self.schemaPath, atomically: true, encoding: .utf8)
      return
    }
    let onDisk = try #require(FileManager.default.contents(atPath: Self.schemaPath))
    #expect(
      onDisk == Data(generated.utf8),
      "docs/sendlint-policy.schema.json is stale; run SENDLINT_UPDATE_SCHEMA=1 swift test --filter PolicySchemaTests"
    )
  }

  @Test func schemaNamesEveryRuleAndEveryKeyTheLoaderReads() throws {
    func keys(_ value: SchemaSubset.Value?) -> Set<String> {
      if case .object(let object)? = value { return Set(object.keys) }
      return []
    }
    let properties = Self.schema["properties"]
    #expect(keys(properties) == Set(PolicyLoader.topKeys))
    #expect(keys(properties?["rules"]?["properties"]) == Set(RuleRegistry.ids))
    #expect(keys(properties?["brand"]?["properties"]) == Set(PolicyLoader.brandKeys))
    #expect(keys(properties?["suppress"]?["items"]?["properties"]) == Set(PolicyLoader.suppressKeys))
  }

  /// Every policy sendlint ships (packs, examples, the starter policy, the test drafts' policy)
  /// loads without a diagnostic and validates against the schema.
  @Test func everyShippedPolicyPassesTheLoaderAndTheSchema() throws {
    var checked: [String] = []
    func check(_ name: String, text: String, load: () -> Result<ResolvedPolicy, DiagnosticList>) {
      if case .failure(let list) = load() {
        Issue.record("\(name): \(list.diagnostics.map(\.description).joined(separator: "\n"))")
      }
      let errors = SchemaSubset.errors(of: SchemaSubset.json(fromYAML: text), against: Self.schema)
      #expect(errors.isEmpty, "\(name) does not validate against the schema: \(errors.prefix(5))")
      checked.append(name)
    }
    let root = TestPaths.packageRoot
    let packs = try FileManager.default.contentsOfDirectory(atPath: root + "/Policies").filter {
      $0.hasSuffix(".yaml")
    }.sorted()
    for pack in packs {
      let text = try String(contentsOfFile: root + "/Policies/" + pack, encoding: .utf8)
      check("Policies/\(pack)", text: text) {
        Result(catching: { () throws(DiagnosticList) in
          try PolicyLoader.load(text: text, path: "sendlint:\(pack)", directory: root)
        })
      }
    }
    let found = FileManager.default.enumerator(atPath: root + "/Examples")?.compactMap { $0 as? String } ?? []
    let examples = found.filter { PolicyLoader.fileNames.contains(($0 as NSString).lastPathComponent) }
      .sorted()
    for relative in examples + ["../Tests/SendlintEngineTests/Fixtures/drafts/.sendlint.yaml"] {
      let path = root + "/Examples/" + relative
      let text = try String(contentsOfFile: path, encoding: .utf8)
      check(relative, text: text) {
        Result(catching: { () throws(DiagnosticList) in try PolicyLoader.load(path: path) })
      }
    }
    check("sendlint init", text: StarterPolicy.text) {
      Result(catching: { () throws(DiagnosticList) in
        try PolicyLoader.load(text: StarterPolicy.text, path: "starter.yaml", directory: "/")
      })
    }
    #expect(packs.count >= 4 && examples.count >= 2, "found \(checked)")
  }

  /// The loader accepts a severity exactly when the schema does, written plain or quoted.
  @Test(arguments: [
    "error", "warning", "info", "off", "no", "false", "Off", "OFF", "No", "FALSE",
    "warn", "Error", "WARNING", "note", "none", "yes", "true", "on", "2", "",
  ])
  func loaderAndSchemaAgreeOnSeverities(_ spelling: String) {
    for written in [spelling, "\"\(spelling)\""] where !(spelling.isEmpty && written.isEmpty) {
      for text in [
        "rules:\n  link/insecure: \(written)\n", "rules:\n  link/insecure: { severity: \(written) }\n",
      ] {
        let loaded = Self.loads(text)
        let valid = SchemaSubset.errors(of: SchemaSubset.json(fromYAML: text), against: Self.schema).isEmpty
        #expect(
          loaded == valid,
          "loader \(loaded ? "accepts" : "refuses") but schema \(valid ? "accepts" : "refuses"): \(text)")
      }
    }
  }

  /// Structural mistakes the schema can see: both refuse them, and both accept the corrected form.
  @Test(arguments: [
    ("brand: { domains: [contoso.com] }", true),
    ("brand: { domian: [contoso.com] }", false),
    ("brand:\n  domains:\n", true),
    ("colour: blue", false),
    ("brand: { vendors: [{ name: Acme, hosts: [a.contoso.com] }] }", true),
    ("brand: { vendors: [{ hosts: [a.contoso.com] }] }", false),
    ("brand: { vendors: [{ name: Acme, hostz: [a.contoso.com] }] }", false),
    ("suppress: [{ rule: link/insecure, reason: SEC-1, expires: \"2027-01-31\" }]", true),
    ("suppress: [{ rule: link/insecure }]", false),
    ("suppress: [{ reason: SEC-1 }]", false),
    ("overrides: [{ name: a, rules: { link/insecure: off } }]", false),
    (
      "categories: [marketing]\noverrides: [{ categories: [marketing], rules: { link/insecure: off } }]", true
    ),
    ("categories: [marketing]\nclassify: [{ category: marketing }]", false),
    ("categories: [marketing]\nclassify: [{ subject: \"(?i)sale\", category: marketing }]", true),
    ("suppress: [{ rule: link/insecure, reason: SEC-1, expires: 31/01/2027 }]", false),
    ("categories: [marketing]\nclassify: [{ files: [\"m/**\"], category: marketing }]", true),
    ("classify: [{ files: [\"m/**\"] }]", false),
    ("overrides: [{ name: a, files: [\"x/**\"], rules: { link/insecure: off } }]", true),
    ("overrides: [{ name: a, files: [\"x/**\"], rulez: { link/insecure: off } }]", false),
    ("rules: { link/split-url: { severity: error, options: { min_path_chars: 3 } } }", true),
    ("rules: { link/split-url: { severty: error } }", false),
    ("custom_rules: { contoso/a: { kind: pattern, in: [subject], pattern: x } }", true),
    ("custom_rules: { contoso/a: { kind: pattern, in: [subject], pattern: x, url: y } }", false),
    ("custom_rules: { contoso/a: { kind: patern, in: [subject], pattern: x } }", false),
    ("custom_rules: { contoso/a: { in: [subject], pattern: x } }", false),
    (
      "custom_rules: { contoso/a: { kind: link-host, url: x, list: brand.domains } }\nbrand: { domains: [contoso.com] }",
      true
    ),
    ("custom_rules: { contoso/a: { kind: link-host, url: x, list: brand.domain } }", false),
    (
      "custom_rules: { contoso/a: { kind: pattern, in: [subject], pattern: x, help_uri: \"ftp://x\" } }",
      false
    ),
  ])
  func loaderAndSchemaAgreeOnStructure(_ body: String, valid: Bool) {
    let text = "version: 1\n" + body + "\n"
    #expect(Self.loads(text) == valid, "the loader disagrees: \(text)")
    let errors = SchemaSubset.errors(of: SchemaSubset.json(fromYAML: text), against: Self.schema)
    #expect(errors.isEmpty == valid, "the schema disagrees: \(text) \(errors)")
  }

  static func loads(_ text: String) -> Bool {
    if case .success = Result(catching: { () throws(DiagnosticList) in
      try PolicyLoader.load(text: text, path: "p.yaml", directory: "/")
    }) {
      return true
    }
    return false
  }
}

/// Diagnostics about how a policy is written: duplicate keys, unknown keys, severities.
@Suite struct PolicyKeyDiagnosticTests {
  func diagnostics(_ text: String) -> [Diagnostic] {
    if case .failure(let list) = Result(catching: { () throws(DiagnosticList) in
      try PolicyLoader.load(text: text, path: "p.yaml", directory: "/")
    }) {
      return list.diagnostics
    }
    return []
  }

  @Test func duplicateKeyPointsAtTheRepeatAndQuotesOnlyTheKey() throws {
    let found = diagnostics(
      """
      version: 1
      brand:
        name: Contoso
        domains: [contoso.com]
      rules:
        link/insecure: warning
      brand:
        name: Fabrikam
      """)
    let duplicate = try #require(found.first)
    #expect(found.count == 1)
    #expect(duplicate.code == "policy/duplicate-key")
    #expect(duplicate.position == SourcePosition(line: 7, column: 1))
    #expect(duplicate.sourceLine == "brand:")
    #expect(
      duplicate.message == "duplicate key \"brand\": it is already set at line 2, column 1 of this mapping")
    #expect(
      duplicate.help
        == "a key may appear once in a mapping; merge this entry into the one at line 2 and delete it here")
    #expect(!duplicate.message.contains("Contoso") && !duplicate.message.contains("\n"))
  }

  @Test func aDuplicateKeyInACampaignManifestIsReportedTheSameWay() throws {
    let project = try PolicyAuthoringTests.Project([
      ".sendlint.yaml": PolicyAuthoringTests.brand, "body.html": "<p>Hi</p>\n",
      "campaign.yaml":
        "campaign: x\nsubject: \"Hi\"\nfrom: \"A <a@contoso.com>\"\nhtml: body.html\nsubject: \"Again\"\n",
    ])
    let report = project.lint()
    #expect(report.diagnostics.map(\.code) == ["manifest/duplicate-key"])
    #expect(report.diagnostics.first?.position == SourcePosition(line: 5, column: 1))
    #expect(
      report.diagnostics.first?.message
        == "duplicate key \"subject\": it is already set at line 2, column 1 of this mapping")
  }

  @Test func everyDuplicateIsReportedNestedAndEscaped() {
    let found = diagnostics(
      """
      version: 1
      brand: { domains: [a.com], name: X, domains: [b.com] }
      rules:
        "link/\\u0007x": off
        "link/\\u0007x": off
      overrides:
        - { name: a, files: [x] }
        - { name: a, files: [y] }
      """)
    #expect(found.map(\.code) == ["policy/duplicate-key", "policy/duplicate-key"])
    #expect(found.first?.position == SourcePosition(line: 2, column: 37))
    #expect(
      found.first?.message
        == "duplicate key \"domains\": it is already set at line 2, column 10 of this mapping")
    #expect(found.last?.position == SourcePosition(line: 5, column: 3))
    #expect(found.last?.message.hasPrefix("duplicate key \"link/\\u{07}x\"") == true)
  }

  /// 49,000 repeated keys on one 300 kB line: every repeat is found, but only the first
  /// diagnostics quote the line (each quote was a copy: 14 GB before the limit).
  @Test func thousandsOfRepeatedKeysOnOneLineStayBounded() async throws {
    let mapping = "{" + Array(repeating: "a: 1", count: 4_900).joined(separator: ", ") + "}"
    let text =
      "version: 1\nbrand:\n  vendors: [" + Array(repeating: mapping, count: 10).joined(separator: ", ")
      + "]\n"
    let diagnostics = try #require(
      try await finishing(within: 60) { () -> [Diagnostic] in
        var reader = YAMLReader(file: SourceFile(path: "p.yaml", text: text), codePrefix: "policy")
        _ = reader.root()
        return reader.diagnostics
      })
    #expect(diagnostics.count == 10 * 4_899)
    #expect(diagnostics.allSatisfy { $0.code == "policy/duplicate-key" })
    #expect(
      diagnostics.prefix(YAMLReader.maximumQuotedLines).allSatisfy {
        $0.sourceLine?.utf8.count == text.utf8.count - 19
      })
    #expect(diagnostics.dropFirst(YAMLReader.maximumQuotedLines).allSatisfy { $0.sourceLine == nil })
    // The loader shows 50 and counts the rest.
    let shown = self.diagnostics(text)
    #expect(shown.count == PolicyLoader.maximumDiagnosticsPerFile + 1)
    #expect(
      shown.last?.message
        == "…and \(10 * 4_899 - PolicyLoader.maximumDiagnosticsPerFile) more errors in p.yaml, not shown")
  }

  @Test func unknownKeysSuggestTheNearestKeyValidThere() throws {
    let found = diagnostics(
      """
      version: 1
      brand:
        domian: [contoso.com]
        vendors:
          - { name: Acme, hostz: [a.contoso.com] }
      rules:
        link/split-url: { severty: error }
      custom_rules:
        contoso/a: { kind: pattern, in: [subject], pattern: x, paterns: y }
      zzz: 1
      """)
    let unknown = found.filter { $0.code == "policy/unknown-key" }.sorted {
      ($0.position?.line ?? 0) < ($1.position?.line ?? 0)
    }
    #expect(unknown.map { $0.position?.line } == [3, 5, 7, 9, 10])
    let domian = try #require(unknown.first)
    #expect(domian.message == "unknown key \"domian\" in brand")
    #expect(domian.position == SourcePosition(line: 3, column: 3))
    #expect(domian.help?.hasPrefix("did you mean \"domains\"? keys allowed here: name, domains,") == true)
    #expect(unknown[1].help?.hasPrefix("did you mean \"hosts\"?") == true)
    #expect(unknown[2].help?.hasPrefix("did you mean \"severity\"?") == true)
    #expect(unknown[3].help?.hasPrefix("did you mean \"pattern\"?") == true)
    // A key of another custom rule kind says which kind takes it.
    let misplaced = diagnostics(
      "custom_rules:\n  contoso/a: { kind: pattern, in: [subject], pattern: x, hosts: [a.com] }\n")
    #expect(misplaced.map(\.code) == ["policy/unknown-key"])
    #expect(
      misplaced.first?.help?.hasPrefix(
        "`hosts` belongs to link-host rules, not pattern rules; remove it or change the kind. Keys of pattern rules: kind,"
      ) == true)
    // Nothing near: every key valid at that position, and what to do.
    #expect(
      unknown[4].help
        == "keys allowed here: \(PolicyLoader.topKeys.joined(separator: ", ")); remove or rename it")
  }

  @Test func severityAliasesAreRefusedWithTheCanonicalSpelling() {
    let found = diagnostics(
      "rules:\n  link/insecure: warn\n  link/split-url: Error\n  tracking/pixel: eror\n  link/same-target: loud\n"
    )
    #expect(found.map(\.code) == Array(repeating: "policy/bad-severity", count: 4))
    #expect(
      found.map(\.help) == [
        "did you mean \"warning\"? Severities are written in lowercase: error, warning, info, off",
        "did you mean \"error\"? Severities are written in lowercase: error, warning, info, off",
        "did you mean \"error\"? Severities are written in lowercase: error, warning, info, off",
        "severities are error, warning, info, off",
      ])
    #expect(found.first?.message == "\"warn\" is not a severity")
  }

  @Test func suggestionsCountASwapAsOneEdit() {
    #expect(Suggestion.typoDistance("domian", "domain") == 1)
    #expect(Suggestion.typoDistance("domian", "domains") == 2)
    #expect(Suggestion.typoDistance("domian", "domain", limit: 0) == 1, "over the limit: limit + 1")
    #expect(Suggestion.nearest(to: "domian", in: PolicyLoader.brandKeys) == "domains")
    #expect(Suggestion.nearest(to: "colour", in: PolicyLoader.brandKeys) == nil)
  }
}

/// Inline directives naming rules that do not exist, and how baselines are read.
@Suite struct DirectiveAndBaselineInputTests {
  typealias Project = PolicyAuthoringTests.Project

  @Test func unknownRuleInAnInlineDirectiveIsADiagnosticWithASuggestion() throws {
    let project = try Project([
      ".sendlint.yaml": PolicyAuthoringTests.brand,
      "t.html": """
      <p>Hello</p>
      {{!-- sendlint-disable-next-line link/insecur -- archived page, SEC-9 --}}
      <a href="http://www.contoso.com/a">A</a>
      {{!-- sendlint-disable-next-line link/insecure, contoso/nothing -- archived page, SEC-9 --}}
      <a href="http://www.contoso.com/b">B</a>
      """,
    ])
    let report = project.lint()
    let unknown = report.diagnostics.filter { $0.code == "suppression/unknown-rule" }
    #expect(unknown.count == 2)
    let first = try #require(unknown.first)
    #expect(first.path.hasSuffix("t.html"))
    #expect(first.position == SourcePosition(line: 2, column: 34))
    #expect(
      first.message
        == "sendlint-disable-next-line names the unknown rule \"link/insecur\"; it suppresses nothing")
    #expect(
      first.help
        == "did you mean \"link/insecure\"? `sendlint rules` lists every rule id; fix or remove the id")
    #expect(unknown.last?.position == SourcePosition(line: 4, column: 49))
    #expect(unknown.last?.help == "`sendlint rules` lists every rule id; fix or remove the id")
    // The misspelt directive suppressed nothing, and is not also called unused; the known id in
    // the second directive still works.
    #expect(
      report.findings.filter { $0.rule == "link/insecure" }.compactMap { $0.range?.startPosition.line } == [3]
    )
    #expect(!report.findings.contains { $0.rule == "sendlint/unused-suppression" })
    #expect(report.exitCode(failOn: .error) == 2)
  }

  @Test func unknownRulesInThousandsOfDirectivesAreCappedAndCounted() throws {
    let directives = (0..<2_000).map { "{{!-- sendlint-disable-next-line nope/rule\($0) -- r --}}" }.joined()
    let project = try Project([
      ".sendlint.yaml": PolicyAuthoringTests.brand, "t.html": directives + "\n<p>x</p>\n",
    ])
    let unknown = project.lint().diagnostics.filter { $0.code == "suppression/unknown-rule" }
    #expect(unknown.count == 51)
    #expect(
      unknown.last?.message
        == "…and 1950 more unknown rule ids in sendlint-disable-next-line directives, not shown")
    #expect(unknown.dropLast().allSatisfy { $0.position?.line == 1 && $0.sourceLine != nil })
  }

  @Test func anInlineDirectiveMayNameACustomRule() throws {
    let project = try Project([
      ".sendlint.yaml": PolicyAuthoringTests.brand + """
        custom_rules:
          contoso/no-prize: { kind: pattern, in: [html.visible], pattern: "(?i)jackpot", severity: error }

        """,
      "t.html":
        "{{!-- sendlint-disable-next-line contoso/no-prize -- approved by legal, LEG-2 --}}\n<p>Win the jackpot</p>\n",
    ])
    let report = project.lint()
    #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    #expect(
      !report.findings.contains { $0.rule == "contoso/no-prize" || $0.rule == "sendlint/unused-suppression" },
      "\(report.findings)")
  }

  static let oneFinding: [String: String] = [
    ".sendlint.yaml": PolicyAuthoringTests.brand, "sub/a.html": "<a href=\"http://www.contoso.com/a\">A</a>",
  ]

  @Test func anOversizedBaselineIsRefusedBeforeItIsRead() throws {
    let project = try Project(Self.oneFinding)
    let path = project.root.appendingPathComponent("big.json").path
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: UInt64(Baseline.maximumBytes + 1))
    try handle.close()
    let report = project.lint(baseline: path)
    let diagnostic = try #require(report.diagnostics.first)
    #expect(diagnostic.code == "usage/limit-exceeded")
    #expect(
      diagnostic.message.contains(
        "is \(Baseline.maximumBytes + 1) bytes, more than the limit of \(Baseline.maximumBytes)"))
    #expect(
      diagnostic.help
        == "this is not a baseline sendlint wrote (one accepts at most some 80,000 findings); fix the findings and regenerate it with `sendlint baseline update --baseline \(path)`"
    )
    #expect(report.exitCode(failOn: .error) == 2)
  }

  @Test func aBaselineLinkOutOfTheRepositoryAndAFIFOAreRefused() async throws {
    let project = try Project(Self.oneFinding)
    let outside = try Project(["secret.json": "{\"version\": 1, \"findings\": []}"])
    let link = project.root.appendingPathComponent(".sendlint-baseline.json").path
    try FileManager.default.createSymbolicLink(
      atPath: link, withDestinationPath: outside.root.appendingPathComponent("secret.json").path)
    // Named on the command line, as discovered: a link inside the tree is the tree's content.
    for baseline in [link, nil] {
      var request = LintRequest(paths: ["."], workingDirectory: project.root.path)
      request.baselinePath = baseline
      request.findsBaseline = true
      let report = Engine().lint(request)
      #expect(report.diagnostics.map(\.code) == ["usage/refused-path"], "\(report.diagnostics)")
      #expect(report.diagnostics.first?.message.contains("outside the repository root") == true)
    }
    let fifo = project.root.appendingPathComponent("fifo.json").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let root = project.root.path
    let report = try #require(
      try await finishing(within: 30) {
        var request = LintRequest(paths: ["."], workingDirectory: root)
        request.baselinePath = fifo
        return Engine().lint(request)
      })
    #expect(report.diagnostics.map(\.code) == ["usage/refused-path"])
    // A baseline the user names outside the repository is theirs to name.
    let accepted = project.lint(baseline: outside.root.appendingPathComponent("secret.json").path)
    #expect(accepted.diagnostics.isEmpty, "\(accepted.diagnostics)")
  }

  @Test func namedBaselinesResolveAgainstTheCurrentFolderAndTheFoundOneIsAtTheRoot() throws {
    let project = try Project(Self.oneFinding)
    try FileManager.default.createDirectory(
      at: project.root.appendingPathComponent(".git"), withIntermediateDirectories: true)
    let sub = project.root.appendingPathComponent("sub").path
    let findings = project.lint().findings
    #expect(!findings.isEmpty)
    try Baseline(findings).write(to: sub + "/mine.json")
    try Baseline(findings).write(to: project.root.appendingPathComponent(Engine.baselineFileName).path)
    var named = LintRequest(paths: ["."], workingDirectory: sub)
    named.baselinePath = "mine.json"
    let fromNamed = Engine().lint(named)
    #expect(fromNamed.diagnostics.isEmpty, "\(fromNamed.diagnostics)")
    #expect(fromNamed.baselineUsed == "sub/mine.json")
    #expect(fromNamed.baselinedCount == findings.count)
    var found = LintRequest(paths: ["."], workingDirectory: sub)
    found.findsBaseline = true
    let fromFound = Engine().lint(found)
    #expect(fromFound.baselineUsed == Engine.baselineFileName)
    #expect(fromFound.findings.isEmpty && fromFound.baselinedCount == findings.count)
  }

  @Test func aBaselineListingAFingerprintTwiceAddsTheCounts() throws {
    let project = try Project(Self.oneFinding)
    let findings = project.lint().findings
    let finding = try #require(findings.first)
    let entry =
      "{\"fingerprint\": \"\(finding.fingerprint)\", \"rule\": \"\(finding.rule)\", \"path\": \"\(finding.path)\", \"count\": 1}"
    let path = project.root.appendingPathComponent("twice.json").path
    try "{\"version\": 1, \"findings\": [\(entry), \(entry)]}".write(
      toFile: path, atomically: true, encoding: .utf8)
    let baseline = try Baseline.read(path)
    #expect(baseline.filter(findings + findings + findings).count == 1)
    try "{\"version\": 1, \"findings\": [{\"rule\": \"x\"}]}".write(
      toFile: path, atomically: true, encoding: .utf8)
    guard
      case .failure(let diagnostic) = Result(catching: { () throws(Diagnostic) in try Baseline.read(path) })
    else {
      Issue.record("a baseline entry without a fingerprint was accepted")
      return
    }
    #expect(diagnostic.code == "usage/bad-baseline")
    #expect(
      diagnostic.message.hasSuffix("is not a sendlint baseline: missing \"fingerprint\" at .findings[0]"))
  }
}

/// The part of JSON Schema (draft-07) the generated policy schema uses, enough to validate
/// documents against it in a test, and YAML converted to JSON values as a YAML 1.1 reader (the
/// CI's PyYAML) does: plain `off`/`no`/`yes` are booleans, `~` and empty are null, plain digits
/// are integers; timestamps stay strings (as a JSON converter writes them).
enum SchemaSubset {
  /// A JSON value; booleans and integers kept apart (Foundation hands both back as NSNumber).
  indirect enum Value: Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([Value])
    case object([String: Value])

    init(foundation any: Any) {
      if let number = any as? NSNumber {
        if String(cString: number.objCType) == "c" {
          self = .bool(number.boolValue)
        } else if number.doubleValue == Double(number.intValue) {
          self = .int(number.intValue)
        } else {
          self = .double(number.doubleValue)
        }
      } else if let string = any as? String {
        self = .string(string)
      } else if let array = any as? [Any] {
        self = .array(array.map(Value.init(foundation:)))
      } else if let object = any as? [String: Any] {
        self = .object(object.mapValues(Value.init(foundation:)))
      } else {
        self = .null
      }
    }

    subscript(_ key: String) -> Value? {
      if case .object(let object) = self { return object[key] }
      return nil
    }
  }

  static func json(fromYAML text: String) -> Value {
    var reader = YAMLReader(file: SourceFile(path: "p.yaml", text: text), codePrefix: "test")
    return reader.root().map(convert) ?? .null
  }

  static func convert(_ node: YAMLNode) -> Value {
    switch node {
    case .scalar(let scalar):
      guard scalar.style == .plain else { return .string(scalar.string) }
      let text = scalar.string
      if ["", "~", "null", "Null", "NULL"].contains(text) { return .null }
      if ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].contains(text) {
        return .bool(true)
      }
      if ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].contains(text) {
        return .bool(false)
      }
      if let number = Int(text.replacingOccurrences(of: "_", with: "")), text.first != "0" || text == "0" {
        return .int(number)
      }
      return .string(text)
    case .mapping(let mapping):
      var object: [String: Value] = [:]
      for (key, value) in mapping { object[key.string ?? ""] = convert(value) }
      return .object(object)
    case .sequence(let sequence): return .array(sequence.map(convert))
    case .alias: return .null
    }
  }

  /// Where `value` breaks `schema`, as `path: reason`; empty when it validates.
  static func errors(of value: Value, against schema: Value, at path: String = "") -> [String] {
    var errors: [String] = []
    if case .string(let type)? = schema["type"], !has(value, type: type) {
      return ["\(path): not of type \(type)"]
    }
    if case .array(let choices)? = schema["enum"], !choices.contains(value) {
      errors.append("\(path): not one of the allowed values")
    }
    if let constant = schema["const"], constant != value { errors.append("\(path): not \(constant)") }
    if case .string(let pattern)? = schema["pattern"], case .string(let string) = value,
      string.range(of: pattern, options: .regularExpression) == nil
    {
      errors.append("\(path): does not match \(pattern)")
    }
    if case .int(let minimum)? = schema["minimum"], case .int(let number) = value, number < minimum {
      errors.append("\(path): below \(minimum)")
    }
    if case .int(let maximum)? = schema["maximum"], case .int(let number) = value, number > maximum {
      errors.append("\(path): above \(maximum)")
    }
    if case .array(let alternatives)? = schema["oneOf"] {
      let matching = alternatives.filter { self.errors(of: value, against: $0, at: path).isEmpty }.count
      if matching != 1 { errors.append("\(path): matches \(matching) of the oneOf alternatives, not 1") }
    }
    if case .array(let parts)? = schema["allOf"] {
      for part in parts { errors += self.errors(of: value, against: part, at: path) }
    }
    if case .array(let alternatives)? = schema["anyOf"],
      !alternatives.contains(where: { self.errors(of: value, against: $0, at: path).isEmpty })
    {
      errors.append("\(path): matches none of the anyOf alternatives")
    }
    if let condition = schema["if"], self.errors(of: value, against: condition, at: path).isEmpty,
      let then = schema["then"]
    {
      errors += self.errors(of: value, against: then, at: path)
    }
    if case .object(let object) = value {
      if case .array(let required)? = schema["required"] {
        for case .string(let name) in required where object[name] == nil {
          errors.append("\(path): missing \(name)")
        }
      }
      for (name, member) in object.sorted(by: { $0.key < $1.key }) {
        if let names = schema["propertyNames"] {
          errors += self.errors(of: .string(name), against: names, at: "\(path)/\(name) (name)")
        }
        if let property = schema["properties"]?[name] {
          errors += self.errors(of: member, against: property, at: "\(path)/\(name)")
        } else if let additional = schema["additionalProperties"] {
          if case .bool(false) = additional {
            errors.append("\(path): unknown property \(name)")
          } else if case .object = additional {
            errors += self.errors(of: member, against: additional, at: "\(path)/\(name)")
          }
        }
      }
    }
    if case .array(let array) = value, let items = schema["items"] {
      for (index, item) in array.enumerated() {
        errors += self.errors(of: item, against: items, at: "\(path)[\(index)]")
      }
    }
    return errors
  }

  static func has(_ value: Value, type: String) -> Bool {
    switch (type, value) {
    case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int),
      ("null", .null):
      true
    case ("number", .int), ("number", .double): true
    default: false
    }
  }
}
