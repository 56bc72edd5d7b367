import SendlintCore
import SendlintYAML

/// A `sendlint-tests.yaml` read into typed cases: the policy layer reads the YAML (strict keys,
/// marks kept), and `sendlint policy test` (the engine) runs the cases without seeing YAML.
///
///     policy: ../.sendlint.yaml          # optional; default: the policy nearest each fixture
///     cases:
///       - draft: password-prompt.campaign.yaml
///         expect: [contoso/no-password-prompt, "link/insecure@body.html:3"]
///         expect_not: [link/text-host-mismatch]
public struct PolicyTestFile {
  /// A value as written, with where it is written (for diagnostics).
  public struct Entry: Sendable {
    public let value: String
    public let position: SourcePosition?
  }

  /// One case: a fixture draft and the findings it must and must not produce.
  public struct Case: Sendable {
    /// nil: the case names no draft (already reported as `tests/missing-key`).
    public let draft: Entry?
    /// Where the case starts.
    public let position: SourcePosition?
    public let expect: [Entry]
    public let expectNot: [Entry]
  }

  /// The keys of the file and of a case, listed once.
  public static let fileKeys = ["policy", "cases"]
  public static let caseKeys = ["draft", "expect", "expect_not", "category"]

  public let file: SourceFile
  /// `policy:` as written (relative to the file's folder).
  public private(set) var policy: String?
  public private(set) var cases: [Case] = []
  private var reader: YAMLReader

  /// Problems reading the file, and those reported since with `report`.
  public var diagnostics: [Diagnostic] { reader.diagnostics }

  /// Reads `file`; problems become `tests/…` diagnostics, and what could be read is kept.
  public init(_ file: SourceFile) {
    self.file = file
    reader = YAMLReader(file: file, codePrefix: "tests")
    guard let root = reader.root() else { return }
    var caseNodes: [YAMLNode] = []
    for (key, _, value) in reader.mapping(root, allowed: Self.fileKeys, context: "sendlint-tests.yaml") {
      if key == "policy" { policy = reader.string(value, context: "policy") }
      if key == "cases" { caseNodes = reader.sequence(value, context: "cases") }
    }
    for item in caseNodes {
      var draft: Entry?
      var expect: [Entry] = []
      var expectNot: [Entry] = []
      for (key, _, value) in reader.mapping(item, allowed: Self.caseKeys, context: "a case") {
        switch key {
        case "draft":
          draft = reader.string(value, context: "draft").map {
            Entry(value: $0, position: reader.position(of: value))
          }
        case "expect":
          expect = reader.strings(value, context: "expect").map {
            Entry(value: $0.value, position: reader.position(of: $0.node))
          }
        case "expect_not":
          expectNot = reader.strings(value, context: "expect_not").map {
            Entry(value: $0.value, position: reader.position(of: $0.node))
          }
        default: break
        }
      }
      let position = reader.position(of: item)
      if draft == nil {
        reader.report(
          "missing-key", "a case needs a draft", at: item,
          help: "add `draft: FILE` relative to sendlint-tests.yaml")
      }
      cases.append(Case(draft: draft, position: position, expect: expect, expectNot: expectNot))
    }
  }

  /// Reports a problem found while running a case (a missing fixture, an unknown rule), at a
  /// position in this file, as a `tests/CODE` diagnostic quoting the line.
  public mutating func report(
    _ code: String, _ message: String, at position: SourcePosition?, help: String? = nil
  ) {
    reader.report(code, message, at: position, help: help)
  }
}
