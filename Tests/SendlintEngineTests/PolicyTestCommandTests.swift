import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import Testing

/// `sendlint policy test` counts every case and points at the line of a broken one.
@Suite struct PolicyTestCommandTests {
  /// A folder with a policy, one passing fixture, one missing fixture and one expectation that
  /// names a misspelt rule: three cases, so the closing line must add up to three.
  @Test func everyCaseCountsAndBrokenCasesAreLocated() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-policy-test-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try "version: 1\nbrand:\n  domains: [example.com]\n".write(
      toFile: folder + "/.sendlint.yaml", atomically: true, encoding: .utf8)
    try "<p><a href=\"http://example.com/x\">Example</a></p>\n".write(
      toFile: folder + "/insecure.html", atomically: true, encoding: .utf8)
    try """
    cases:
      - draft: insecure.html
        expect: [link/insecure]
      - draft: missing.html
        expect: [link/insecure]
      - draft: insecure.html
        expect: [link/insecur]
    """.write(toFile: folder + "/sendlint-tests.yaml", atomically: true, encoding: .utf8)
    let result = SendlintEngine.PolicyTests.run(in: folder, loader: DraftLoader(workingDirectory: folder))
    #expect(result.passed == 1)
    #expect(result.failed == 2)
    let missing = result.diagnostics.first { $0.code == "tests/missing-fixture" }
    #expect(missing?.position == SourcePosition(line: 4, column: 12))
    #expect(missing?.path == "sendlint-tests.yaml")
    let unknown = result.diagnostics.first { $0.code == "tests/unknown-rule" }
    #expect(unknown?.position == SourcePosition(line: 7, column: 14))
    #expect(unknown?.help == "did you mean \"link/insecure\"?")
  }
}

/// `sendlint init` writes a file that ends with a newline and names its schema for editors.
@Suite struct StarterPolicyTests {
  @Test func starterPolicyNamesItsSchemaAndEndsWithANewline() throws {
    let lines = StarterPolicy.text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first == "# yaml-language-server: $schema=\(StarterPolicy.schemaURL)")
    #expect(StarterPolicy.text.hasSuffix("\n"))
    #expect(!StarterPolicy.text.hasSuffix("\n\n"))
  }
}
