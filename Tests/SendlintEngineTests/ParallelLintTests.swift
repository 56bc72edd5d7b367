import Foundation
import SendlintCore
import SendlintTestSupport
import Testing

@testable import SendlintEngine

/// Issue 15, every core: `lint --jobs N` reads and checks drafts on N threads, and the report is
/// the one a sequential run writes, in every format, whatever N. The repository generated here has
/// what makes order matter: two policies (one broken, so its diagnostics must stay with its
/// drafts), campaigns stating an undeclared category, inline suppressions used and unused, and
/// findings in many drafts.
@Suite struct ParallelLintTests {
  /// 200 templates in 20 folders, plus campaigns and a policy in a subfolder.
  static func generatedRepository() throws -> String {
    var files: [String: String] = [
      ".sendlint.yaml":
        "version: 1\nextends: [sendlint:recommended]\nbrand:\n  domains: [example.com]\ncategories: [marketing]\n",
      // A broken policy: its drafts are not linted and its diagnostic is reported once, in order.
      "broken/.sendlint.yaml": "version: 1\nrulez: {}\n",
      "broken/a.html": "<a href=\"http://example.com/\">x</a>\n",
      "broken/b.html": "<a href=\"http://example.com/\">y</a>\n",
      "strict/.sendlint.yaml":
        "version: 1\nextends: [sendlint:recommended]\nrules:\n  link/insecure: error\n",
      "strict/offer.txt": "Visit http://example.com/strict now\n",
    ]
    for index in 0..<200 {
      let folder = "mail\(index % 20)"
      let body: String
      switch index % 5 {
      case 0: body = "<p>Hello <a href=\"http://example.com/p\(index)\">offer \(index)</a></p>\n"
      case 1: body = "<a href=\"https://evil\(index).test/\">https://example.com/account</a>\n"
      case 2:
        body =
          "{{!-- sendlint-disable-next-line link/insecure -- archived page, T-\(index) --}}\n<a href=\"http://example.com/old\(index)\">old</a>\n"
      case 3:
        body =
          "{{!-- sendlint-disable-next-line link/text-host-mismatch -- nothing to hide, T-\(index) --}}\n<p>clean \(index)</p>\n"
      default:
        body =
          "<p>Plain newsletter \(index), nothing to report.</p><img src=\"https://example.com/i\(index).png\" alt=\"\">\n"
      }
      files["\(folder)/t\(String(format: "%03d", index)).html"] = body
    }
    for index in 0..<6 {
      let category = index % 2 == 0 ? "marketing" : "markting"
      files["campaigns/c\(index)/campaign.yaml"] =
        "campaign: c\(index)\ncategory: \(category)\nfrom: \"Example <news@example.com>\"\nsubject: \"Issue \(index)\"\nhtml: body.html\n"
      files["campaigns/c\(index)/body.html"] = "<a href=\"http://example.com/c\(index)\">read</a>\n"
    }
    return try SendlintCLI.repository(files)
  }

  static let formats = ["json", "sarif", "text", "junit", "gitlab", "github", "html"]

  /// The run's output with what must differ between runs (JUnit's durations) normalised.
  static func output(_ arguments: [String], in directory: String) throws -> String {
    let run = try SendlintCLI.sendlint(arguments, in: directory)
    let text = "exit \(run.status)\n" + run.stdout + "\n--- stderr\n" + run.stderr
    return text.replacingOccurrences(
      of: #" time="[0-9.]+""#, with: " time=\"T\"", options: .regularExpression)
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func generatedRepositoryReportsTheSameForAnyJobs() throws {
    let root = try Self.generatedRepository()
    defer { try? FileManager.default.removeItem(atPath: root) }
    for format in Self.formats {
      let sequential = try Self.output(["lint", ".", "--format", format, "--jobs", "1"], in: root)
      // The run must exercise what is order-sensitive, or equality proves nothing.
      #expect(
        sequential.hasPrefix("exit 2"), "the broken policy and undeclared categories make it a usage error")
      if format == "json" {
        for expected in [
          "policy/unknown-key", "manifest/unknown-category", "link/insecure", "link/text-host-mismatch",
          "sendlint/unused-suppression",
        ] {
          #expect(sequential.contains(expected), "the generated repository should produce \(expected)")
        }
      }
      for jobs in ["2", "4", "7"] {
        let parallel = try Self.output(["lint", ".", "--format", format, "--jobs", jobs], in: root)
        #expect(parallel == sequential, "--format \(format) --jobs \(jobs) differs from --jobs 1")
      }
      // The default (one per core) too.
      #expect(
        try Self.output(["lint", ".", "--format", format], in: root) == sequential,
        "--format \(format) with the default jobs differs")
    }
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func examplesReportTheSameForAnyJobs() throws {
    for format in Self.formats {
      let sequential = try Self.output(
        ["lint", "Examples", "--format", format, "--jobs", "1"], in: TestPaths.packageRoot)
      #expect(sequential.hasPrefix("exit 1"), "the examples carry errors")
      for jobs in ["2", "4"] {
        #expect(
          try Self.output(
            ["lint", "Examples", "--format", format, "--jobs", jobs], in: TestPaths.packageRoot)
            == sequential,
          "Examples --format \(format) --jobs \(jobs) differs from --jobs 1")
      }
    }
  }

  @Test(
    .enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"),
    arguments: ["0", "-3"])
  func jobsBelowOneIsAUsageError(_ value: String) throws {
    let run = try SendlintCLI.sendlint(["lint", "Examples", "--jobs=\(value)"], in: TestPaths.packageRoot)
    #expect(run.status == 2)
    #expect(run.stderr.contains("--jobs \(value) must be at least 1"))
  }

  /// The engine itself, as the library calls it: the same report for 1 and 3 jobs.
  @Test func engineReportIsIndependentOfJobs() throws {
    let root = try Self.generatedRepository()
    defer { try? FileManager.default.removeItem(atPath: root) }
    func lint(_ jobs: Int) -> LintReport {
      var request = LintRequest(paths: ["."], workingDirectory: root)
      request.jobs = jobs
      request.today = "2026-01-01"
      return Engine().lint(request)
    }
    let sequential = lint(1)
    let parallel = lint(3)
    #expect(sequential.draftCount > 200)
    #expect(parallel.draftCount == sequential.draftCount)
    #expect(parallel.drafts.map(\.path) == sequential.drafts.map(\.path))
    // (Findings compare their files by identity; each run reads its own, so compare what is shown.)
    func shown(_ report: LintReport) -> [String] {
      report.findings.map { finding in
        let start = finding.range?.startPosition
        return
          "\(finding.path):\(start?.line ?? 0):\(start?.column ?? 0) \(finding.rule) \(finding.severity) \(finding.message) "
          + "\(finding.help ?? "") ×\(finding.count) \(finding.fingerprint) \(finding.locations.count)"
      }
    }
    #expect(shown(parallel) == shown(sequential))
    #expect(shown(sequential).count > 100)
    #expect(parallel.diagnostics.map(\.description) == sequential.diagnostics.map(\.description))
    #expect(parallel.suppressedCount == sequential.suppressedCount)
  }

  /// Results come back in order even when later pieces finish first, and no more than `window`
  /// pieces are ever claimed and not yet taken by the consumer.
  @Test func orderedWorkKeepsOrderAndBoundsTheWindow() {
    final class Counter: @unchecked Sendable {
      let lock = NSLock()
      var inFlight = 0
      var peak = 0
      func change(_ delta: Int) {
        lock.lock()
        inFlight += delta
        peak = max(peak, inFlight)
        lock.unlock()
      }
    }
    let counter = Counter()
    var seen: [Int] = []
    OrderedWork.run(
      count: 60, jobs: 3, window: 4,
      work: { index in
        counter.change(1)
        // Early pieces are the slowest, so later ones finish first.
        usleep(UInt32((60 - index) % 7) * 300)
        return index * 10
      },
      consume: { index, value in
        counter.change(-1)
        #expect(value == index * 10)
        seen.append(index)
      }
    )
    #expect(seen == Array(0..<60))
    // The window counts pieces claimed and not yet taken; the consumer also holds the one it is
    // merging (taken, so out of the window, but counted here until its callback runs): window + 1.
    #expect(
      counter.peak <= 4 + 1,
      "at most window pieces in flight besides the one being merged, saw \(counter.peak)")
    #expect(counter.peak >= 2, "work ran on several threads at once")
  }
}
