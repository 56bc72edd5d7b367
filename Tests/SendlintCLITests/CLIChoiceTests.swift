import Foundation
import SendlintTestSupport
import Testing

/// Issue 15 (start-up): the enumerated options (`--format`, `--fail-on`) give ArgumentParser their
/// values directly (`CLIChoice`) instead of through its key-path and `String(describing:)`
/// defaults. The user sees the same texts: each value listed in help, in completion scripts and
/// in the error for a value that is not one of them, in declaration order.
@Suite(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
struct CLIChoiceTests {
  let directory = FileManager.default.temporaryDirectory.path

  @Test func helpListsEveryValue() throws {
    let lint = try SendlintCLI.sendlint(["lint", "--help"], in: directory)
    let help = lint.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(help.contains("(values: text, json, sarif, github, junit, gitlab, html)"))
    #expect(help.contains("(values: error, warning, info, never; default: error)"))
    let rules = try SendlintCLI.sendlint(["rules", "--help"], in: directory)
    #expect(
      rules.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        .contains("(values: text, json, markdown; default: text)"))
  }

  @Test func anUnknownValueNamesTheValidOnes() throws {
    let failOn = try SendlintCLI.sendlint(["lint", "--fail-on", "nope", "x.eml"], in: directory)
    #expect(failOn.status == 2)
    #expect(
      failOn.stderr.contains(
        "The value 'nope' is invalid for '--fail-on <fail-on>'. Please provide one of 'error', 'warning', 'info' or 'never'."
      ))
    let inspect = try SendlintCLI.sendlint(["inspect", "--format", "nope", "x.eml"], in: directory)
    #expect(inspect.status == 2)
    #expect(inspect.stderr.contains("Please provide one of 'text' and 'json'."))
  }

  @Test func completionScriptsOfferTheValues() throws {
    let bash = try SendlintCLI.sendlint(["--generate-completion-script", "bash"], in: directory)
    let words = { (values: [String]) in values.map { "'\($0)'" }.joined(separator: "$'\\n'") }
    #expect(bash.stdout.contains(words(["text", "json", "sarif", "github", "junit", "gitlab", "html"])))
    #expect(bash.stdout.contains(words(["error", "warning", "info", "never"])))
  }
}
