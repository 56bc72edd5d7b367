import Foundation
import SendlintTestSupport
import Testing

/// The environment variables the CLI reads, each looked up by name (`ProcessEnvironment`): under
/// GitHub Actions the default format is `github` and a step summary is appended; a variable read
/// by a dependency (Yams' `YAMS_DEFAULT_ENCODING`, which made it print a line on standard output
/// after the report) changes nothing.
@Suite(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
struct EnvironmentTests {
  @Test func githubActionsChoosesTheGitHubFormatAndWritesTheSummary() throws {
    let root = try SendlintCLI.repository(
      SendlintCLI.warningDraft.merging(["summary.md": "# earlier step\n"]) { a, _ in a })
    defer { try? FileManager.default.removeItem(atPath: root) }
    let run = try SendlintCLI.sendlint(
      ["lint", "mail"], in: root,
      environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": root + "/summary.md"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("::warning file=mail/offer.txt"))
    let summary = try String(contentsOfFile: root + "/summary.md", encoding: .utf8)
    #expect(summary.hasPrefix("# earlier step\n"))
    #expect(summary.count > "# earlier step\n".count)

    let plain = try SendlintCLI.sendlint(
      ["lint", "mail"], in: root, environment: ["GITHUB_ACTIONS": nil, "GITHUB_STEP_SUMMARY": nil])
    #expect(!plain.stdout.contains("::warning"))
  }

  @Test(arguments: ["UTF8", "utf16"])
  func yamsEncodingVariableLeavesTheReportAlone(value: String) throws {
    let root = try SendlintCLI.repository(SendlintCLI.warningDraft)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let run = try SendlintCLI.sendlint(
      ["lint", "--format", "json", "mail"], in: root, environment: ["YAMS_DEFAULT_ENCODING": value])
    #expect(run.status == 0)
    #expect(!run.all.contains("YAMS_DEFAULT_ENCODING"))
    let report = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    #expect((report?["findings"] as? [Any])?.isEmpty == false)
  }
}
