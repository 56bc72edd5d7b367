import Foundation
import SendlintCore
import SendlintEngine
import SendlintPolicy
import SendlintRules
import Testing

/// Policy regular expressions run on RE2: patterns that make a backtracking engine take exponential
/// (or quadratic) time finish at once on inputs of 100k characters, and what RE2 cannot express is
/// rejected where it is written.
@Suite struct LinearRegexTests {
  /// Exponential on a backtracking engine (`a*b` is quadratic: 16k characters took 16.6 s).
  static let hostilePatterns = [
    #"(a|a)+$"#, #"(a|aa)+$"#, #"(?x)(a+) +$"#, #"([a-z]|a)+!x"#, #"(a+)+$"#, #"a*b"#,
  ]
  /// Defeats every pattern above after a long run of candidate matches: no `b`, no `x`, no end
  /// after the `a`s.
  static let hostileText = String(repeating: "a", count: 100_000) + "!"

  static func yamlQuoted(_ pattern: String) -> String {
    "'" + pattern.replacingOccurrences(of: "'", with: "''") + "'"
  }

  static let brand = """
    version: 1
    brand: { domains: [contoso.com], sending_domains: [contoso.com] }
    categories: [marketing, security-notice]

    """

  func load(_ text: String) -> Result<ResolvedPolicy, DiagnosticList> {
    Result(catching: { () throws(DiagnosticList) in
      try PolicyLoader.load(text: text, path: "p.yaml", directory: "/")
    })
  }

  @Test(arguments: hostilePatterns) func classifySubjectIsLinear(pattern: String) throws {
    let policy = try load(
      Self.brand + "classify:\n  - { subject: \(Self.yamlQuoted(pattern)), category: security-notice }\n"
    ).get()
    #expect(policy.classify(path: "/a.eml", subject: Self.hostileText) == nil)
    // Still a real matcher: the same pattern matches where it should.
    let matching = pattern == "a*b" ? "aaab" : pattern == "([a-z]|a)+!x" ? "aa!x" : "aaaa"
    #expect(policy.classify(path: "/a.eml", subject: matching) == "security-notice")
  }

  @Test func customPatternRulesAreLinearOnHostileDrafts() throws {
    var rules = "custom_rules:\n"
    for (index, pattern) in Self.hostilePatterns.enumerated() {
      rules +=
        "  contoso/hostile-\(index): { kind: pattern, in: [text], pattern: \(Self.yamlQuoted(pattern)) }\n"
    }
    rules += "  contoso/run: { kind: pattern, in: [text], pattern: 'a{3}!', message: 'found {{match}}' }\n"
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-regex-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try (Self.brand + rules).write(
      to: root.appendingPathComponent(".sendlint.yaml"), atomically: true, encoding: .utf8)
    try Self.hostileText.write(to: root.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
    let report = Engine().lint(LintRequest(paths: ["."], workingDirectory: root.path))
    #expect(report.diagnostics.isEmpty)
    let custom = report.findings.filter { $0.rule.hasPrefix("contoso/") }
    // None of the hostile patterns matches; the control rule does, at the end of the long run, with
    // the matched text in its message.
    #expect(custom.map(\.rule) == ["contoso/run"])
    #expect(custom.first?.message == "found aaa!")
    #expect(custom.first?.range?.start == 99_997)
  }

  @Test func backreferenceAndLookaroundAreRejectedWhereWritten() {
    let text =
      Self.brand + """
        classify:
          - { subject: "(?=x)", category: marketing }
        custom_rules:
          contoso/back: { kind: pattern, in: [subject], pattern: "(a)\\\\1" }
        """
    guard case .failure(let list) = load(text) else {
      Issue.record("a policy with a backreference and a lookahead loaded")
      return
    }
    let found = list.diagnostics.filter { $0.code == "policy/bad-regex" }
    #expect(found.count == 2)
    let lookahead = found.first { $0.message.contains("(?=x)") }
    #expect(lookahead?.position == SourcePosition(line: 5, column: 16))
    #expect(
      lookahead?.message
        == #"classify subject "(?=x)" is not a valid regular expression: invalid perl operator: (?="#)
    let backreference = found.first { $0.message.contains(#"(a)\1"#) }
    #expect(backreference?.position == SourcePosition(line: 7, column: 58))
    #expect(
      backreference?.message
        == #"pattern of contoso/back "(a)\1" is not a valid regular expression: invalid escape sequence: \1"#)
    #expect(
      found.allSatisfy { $0.help?.contains("backreferences (\\1), lookahead ((?=, (?!), lookbehind") == true }
    )
  }

  @Test func oversizedProgramIsRejectedNotCompiled() {
    #expect(throws: LinearRegex.CompileError.self) { try LinearRegex("((a{1000}){1000}){1000}") }
  }

  @Test func freeSpacingIsRewrittenForRE2() throws {
    #expect(LinearRegex.withoutFreeSpacing("(?x) a + # comment\n [ ]b") == "a+[ ]b")
    #expect(LinearRegex.withoutFreeSpacing("(?xi)a\\ b") == "(?i)a\\ b")
    #expect(LinearRegex.withoutFreeSpacing("a b") == "a b")
    let regex = try LinearRegex("(?xi) confirm \\  your")
    #expect(regex.firstMatch(in: "please CONFIRM YOUR pin") == 7..<19)
  }
}
