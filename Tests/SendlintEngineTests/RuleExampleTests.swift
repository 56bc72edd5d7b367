import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintRules
import SendlintTestSupport
import Testing

/// One (rule, example, encoding) triple: every rule's documented examples run as tests, and the
/// bare-template ones again inside messages encoded the ways mail encodes them. A flagged example
/// must hit exactly where it marks; a clean one must stay silent.
struct ExampleCase: Sendable, CustomTestStringConvertible {
  enum Variant: String, Sendable, CaseIterable {
    case asWritten = "as written"
    case crlf = "CRLF"
    case eightBit = "in a message, 8bit"
    case quotedPrintable = "in a message, quoted-printable"
    case base64 = "in a message, base64"
    case multibytePrefix = "in a message after a multibyte line"
  }

  let rule: String
  let example: RuleExample
  let variant: Variant

  var testDescription: String { "\(rule): \(example.title) [\(variant.rawValue)]" }

  static let all: [ExampleCase] = RuleRegistry.builtin.flatMap { type in
    type.metadata.examples.flatMap { example -> [ExampleCase] in
      switch example.draft {
      case .html, .text:
        Variant.allCases.map { ExampleCase(rule: type.metadata.id, example: example, variant: $0) }
      case .eml, .campaign: [ExampleCase(rule: type.metadata.id, example: example, variant: .asWritten)]
      }
    }
  }
}

/// Wraps a template body in a message, returning the message and where the body's markers land.
struct EncodedMessage {
  let text: String
  /// Marker positions in the message; `hasColumn` false for base64 (the encoded line only).
  let markers: [SourcePosition]
  let hasColumn: Bool
}

func wrap(_ body: String, isHTML: Bool, variant: ExampleCase.Variant) -> EncodedMessage {
  // Multibyte bytes before the body; in HTML inside a comment, so the rendering does not change.
  let prefix =
    variant == .multibytePrefix ? (isHTML ? "<!-- Grüße aus Köln — 東京 -->\n" : "Grüße aus Köln — 東京\n") : ""
  var headers = """
    From: Contoso <news@contoso.com>
    Subject: Example
    MIME-Version: 1.0
    Content-Type: \(isHTML ? "text/html" : "text/plain"); charset=utf-8

    """
  let full = prefix + body
  let encoding: String
  switch variant {
  case .quotedPrintable: encoding = "quoted-printable"
  case .base64: encoding = "base64"
  default: encoding = "8bit"
  }
  headers = headers.replacingOccurrences(
    of: "charset=utf-8\n", with: "charset=utf-8\nContent-Transfer-Encoding: \(encoding)\n\n")
  let headerLines = headers.components(separatedBy: "\n").count - 1
  let (clean, bodyMarkers) = stripMarkers(full)
  switch variant {
  case .quotedPrintable:
    // Encode, tracking where each marker lands; lines are cut at 60 with soft breaks.
    var encoded = ""
    var markers: [SourcePosition] = []
    var line = headerLines + 1
    var column = 1
    for scalar in full.unicodeScalars {
      if scalar == "«" {
        markers.append(SourcePosition(line: line, column: column))
        continue
      }
      var piece: String
      if scalar == "\n" {
        encoded += "\n"
        line += 1
        column = 1
        continue
      } else if scalar == "=" || scalar.value > 126 {
        piece = String(scalar).utf8.map { String(format: "=%02X", $0) }.joined()
      } else {
        piece = String(scalar)
      }
      if column + piece.count > 60 {
        encoded += "=\n"
        line += 1
        column = 1
      }
      encoded += piece
      column += piece.count
    }
    return EncodedMessage(text: headers + encoded, markers: markers, hasColumn: true)
  case .base64:
    let data = Array(clean.utf8)
    let encoded = Data(data).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
    // Marker byte offsets in the clean body → encoded line (57 bytes per 76-char line).
    var markers: [SourcePosition] = []
    for marker in bodyMarkers {
      let lines = clean.components(separatedBy: "\n")
      var offset = lines.prefix(marker.line - 1).reduce(0) { $0 + $1.utf8.count + 1 }
      offset += String(lines[marker.line - 1].unicodeScalars.prefix(marker.column - 1)).utf8.count
      markers.append(SourcePosition(line: headerLines + 1 + offset / 57, column: 1))
    }
    return EncodedMessage(text: headers + encoded + "\n", markers: markers, hasColumn: false)
  default:
    let markers = bodyMarkers.map { SourcePosition(line: $0.line + headerLines, column: $0.column) }
    return EncodedMessage(text: headers + clean, markers: markers, hasColumn: true)
  }
}

/// The examples' brand, with an example's own policy layered over it through `extends`.
func examplePolicy(_ overlay: String?) throws -> ResolvedPolicy {
  guard let overlay else { return try policy() }
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
    "sendlint-example-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  try RuleExample.examplePolicy.write(
    to: directory.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
  try ("extends: [./base.yaml]\n" + overlay).write(
    to: directory.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
  switch Result(catching: { () throws(DiagnosticList) in
    try PolicyLoader.load(path: directory.appendingPathComponent("policy.yaml").path)
  }) {
  case .success(let policy): return policy
  case .failure(let list): throw PolicyTestError(list.diagnostics.map(\.description).joined(separator: "\n"))
  }
}

@Suite struct RuleExampleTests {
  @Test(arguments: ExampleCase.all)
  func example(_ testCase: ExampleCase) throws {
    let example = testCase.example
    // Failures point at the example in its rule's file (`#fileID` is MODULE/FILE.swift).
    let here = SourceLocation(
      fileID: example.fileID, filePath: TestPaths.packageRoot + "/Sources/" + example.fileID,
      line: example.line, column: 7)
    let policy = try examplePolicy(example.policy)
    var inventory: Inventory
    // Expected hit positions per file path.
    var expected: [String: [SourcePosition]] = [:]
    var columns = true
    switch (example.draft, testCase.variant) {
    case (.html(let body), .asWritten), (.text(let body), .asWritten):
      let (clean, markers) = stripMarkers(body)
      let isHTML = { if case .html = example.draft { return true } else { return false } }()
      inventory = InventoryReader.template(
        SourceFile(path: isHTML ? "t.html" : "t.txt", text: clean), isHTML: isHTML)
      expected[isHTML ? "t.html" : "t.txt"] = markers
    case (.html(let body), .crlf), (.text(let body), .crlf):
      let (clean, markers) = stripMarkers(body)
      let isHTML = { if case .html = example.draft { return true } else { return false } }()
      inventory = InventoryReader.template(
        SourceFile(path: "t", text: clean.replacingOccurrences(of: "\n", with: "\r\n")), isHTML: isHTML)
      expected["t"] = markers
    case (.html(let body), _), (.text(let body), _):
      let isHTML = { if case .html = example.draft { return true } else { return false } }()
      let message = wrap(body, isHTML: isHTML, variant: testCase.variant)
      inventory = InventoryReader.eml(SourceFile(path: "m.eml", text: message.text))
      expected["m.eml"] = message.markers
      columns = message.hasColumn
    case (.eml(let text), _):
      let (clean, markers) = stripMarkers(text)
      inventory = InventoryReader.eml(SourceFile(path: "m.eml", text: clean))
      expected["m.eml"] = markers
    case (.campaign(let manifestText, let html, let text), _):
      let (manifestClean, manifestMarkers) = stripMarkers(manifestText)
      let manifestFile = SourceFile(path: "campaign.yaml", text: manifestClean)
      let (manifest, diagnostics) = CampaignManifest.read(manifestFile)
      #expect(diagnostics.isEmpty, "example manifest: \(diagnostics)")
      let htmlParts = html.map(stripMarkers)
      let textParts = text.map(stripMarkers)
      inventory = InventoryReader.campaign(
        try #require(manifest), html: htmlParts.map { SourceFile(path: "body.html", text: $0.text) },
        text: textParts.map { SourceFile(path: "body.txt", text: $0.text) })
      expected["campaign.yaml"] = manifestMarkers
      expected["body.html"] = htmlParts?.markers ?? []
      expected["body.txt"] = textParts?.markers ?? []
    }
    let category = example.category ?? inventory.statedCategory?.value
    let metadata = try #require(RuleRegistry.metadata(for: testCase.rule))
    let ruleType = try #require(RuleRegistry.ruleType(for: testCase.rule))
    let hits = ruleType.init(options: policy.options(for: metadata)).check(
      inventory, RuleContext(brand: policy.brand, category: category))
    let expectedCount = expected.values.reduce(0) { $0 + $1.count }
    if example.flagged {
      #expect(expectedCount > 0, "a flagged example must mark where it hits with «", sourceLocation: here)
      var actual: [String: [SourcePosition]] = [:]
      for hit in hits {
        guard let range = hit.range else { continue }
        let position = range.startPosition
        actual[range.file.path, default: []].append(
          columns ? position : SourcePosition(line: position.line, column: 1))
      }
      let want = expected.filter { !$0.value.isEmpty }.mapValues { $0.sorted() }
      #expect(actual.mapValues { $0.sorted() } == want, "hits: \(hits.map(\.message))", sourceLocation: here)
      for hit in hits {
        #expect(
          !hit.message.isEmpty && hit.help?.isEmpty == false, "every hit has a message and help",
          sourceLocation: here)
      }
      if let message = example.message {
        #expect(hits.map(\.message) == [message], "the example states its message", sourceLocation: here)
      }
    } else {
      #expect(hits.isEmpty, "clean example hit: \(hits.map(\.message))", sourceLocation: here)
      #expect(example.message == nil, "a clean example states no message", sourceLocation: here)
    }
  }

  @Test func everyRuleHasFlaggedAndCleanExamples() {
    for type in RuleRegistry.builtin {
      let examples = type.metadata.examples
      #expect(examples.contains { $0.flagged }, "\(type.metadata.id) has no flagged example")
      #expect(examples.contains { !$0.flagged }, "\(type.metadata.id) has no clean example")
    }
  }

  /// Files of `Sources/SendlintRules` that hold no rule, each with what it is for. Every other
  /// file there is one rule, named after its type (CONTRIBUTING, "Adding a rule").
  static let ruleSupportFiles: [String: String] = [
    "CustomRule.swift": "policy-defined rules (custom_rules), configured per policy, not registered",
    "DestinationJudging.swift": "judgements about where a link goes, shared by the link rules",
    "FreemailProviders.swift": "the freemail domains",
    "IdentityCheck.swift": "the unowned-address judgement both identity/unowned-* rules share",
    "InputProblems.swift": "metadata of the input/* ids, reported from the inventory's problems",
    "LinearRegex.swift": "RE2 behind a Sendable wrapper, for policy patterns",
    "MetaRules.swift": "metadata of the sendlint/* suppression ids",
    "OnlineRule.swift": "the protocol of rules on --online DNS facts (registered in RuleRegistry.online)",
    "Registry.swift": "the list of built-in rule types",
    "Rule.swift": "the Rule protocol, metadata, options and examples",
    "Whitespaces.swift": "the ASCII-fast whitespace trim the header rules share",
  ]

  /// The registry is written by hand (Swift cannot enumerate a protocol's conformances at run
  /// time). Checked from the types, not by reading source text: the registered types' names are
  /// exactly the rule files' names, so adding `NewRule.swift` without registering it (or without
  /// listing it above as support) fails here, and so does a registered rule without its own file.
  /// Its ids are exactly the generated pages under docs/rules.
  @Test func registryMatchesTheRuleFilesAndTheDocumentation() throws {
    let directory = TestPaths.packageRoot + "/Sources/SendlintRules"
    let files = Set(
      try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".swift") })
    let ruleFiles = files.subtracting(Self.ruleSupportFiles.keys)
    // Online rules (RuleRegistry.online) are rules too, each in its own file; they are kept apart
    // only because their examples need DNS, so the draft-only example runner cannot run them.
    let registeredFiles =
      RuleRegistry.builtin.map { String(describing: $0) + ".swift" }
      + RuleRegistry.online.map { String(describing: $0) + ".swift" }
    #expect(Set(registeredFiles).count == registeredFiles.count, "a rule type is registered twice")
    for file in ruleFiles.subtracting(registeredFiles).sorted() {
      Issue.record(
        "Sources/SendlintRules/\(file) is neither a registered rule (add its type to RuleRegistry.builtin) nor listed in ruleSupportFiles"
      )
    }
    for file in Set(registeredFiles).subtracting(ruleFiles).sorted() {
      Issue.record(
        "\(file.dropLast(6)) is registered but has no file of its own, Sources/SendlintRules/\(file)")
    }
    for file in Set(Self.ruleSupportFiles.keys).subtracting(files).sorted() {
      Issue.record("ruleSupportFiles lists \(file), which does not exist; remove it")
    }
    let ids = RuleRegistry.builtin.map { $0.metadata.id }
    #expect(Set(ids).count == ids.count, "two rule types share an id")
    #expect(ids == ids.sorted())
    for metadata in RuleRegistry.allMetadata {
      #expect(metadata.id.split(separator: "/").count == 2, "\(metadata.id) is group/name")
      #expect(metadata.id == metadata.id.lowercased())
    }
    let docs = TestPaths.packageRoot + "/docs/rules"
    var documented: Set<String> = []
    for group in try FileManager.default.contentsOfDirectory(atPath: docs) {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: docs + "/" + group, isDirectory: &isFolder),
        isFolder.boolValue
      else { continue }
      for page in try FileManager.default.contentsOfDirectory(atPath: docs + "/" + group)
      where page.hasSuffix(".md") {
        documented.insert(group + "/" + page.dropLast(3))
      }
    }
    #expect(
      documented == Set(RuleRegistry.ids),
      "docs/rules differs from the registry (regenerate with SENDLINT_UPDATE_DOCS=1 swift test --filter RuleDocs): only documented \(documented.subtracting(RuleRegistry.ids).sorted()), only registered \(Set(RuleRegistry.ids).subtracting(documented).sorted())"
    )
  }
}
