import Foundation
import SendlintTestSupport
import Testing

/// `Fixtures/labels/detection.tsv` (read by `Scripts/evaluate.py`) says the same as the labelled
/// cases of `DetectionExpectationTests`: both come from `corpora/detection/EXPECTED.md`, and a
/// scorecard that disagreed with the tests would count recall against the wrong expectations.
@Suite struct ScorecardLabelTests {
  struct Label {
    let label: String
    let brand: [String]
    let expect: Set<String>
  }

  static func labels() throws -> [String: Label] {
    let text = try String(contentsOfFile: TestPaths.fixtures() + "/labels/detection.tsv", encoding: .utf8)
    var labels: [String: Label] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      #expect(fields.count == 5, "want 5 tab-separated fields: \(line)")
      #expect(["phishing", "legit", "spam"].contains(fields[1]), "unknown label in: \(line)")
      guard fields.count == 5 else { continue }
      #expect(labels[fields[0]] == nil, "\(fields[0]) is labelled twice")
      labels[fields[0]] = Label(
        label: fields[1], brand: fields[2] == "-" ? [] : fields[2].split(separator: ",").map(String.init),
        expect: fields[3] == "-" ? [] : Set(fields[3].split(separator: ",").map(String.init)))
    }
    return labels
  }

  @Test func everyTestedCaseIsLabelledWithTheSameRules() throws {
    let labels = try Self.labels()
    for testCase in DetectionExpectationTests.cases {
      // The tests name paths under corpora/; the labels under corpora/detection/.
      let path = String(testCase.path.dropFirst("detection/".count))
      guard let label = labels[path] else {
        Issue.record("\(path) is tested but not in labels/detection.tsv")
        continue
      }
      let tested = Set(testCase.expect.keys).union(testCase.exactly.keys).union(
        testCase.expectNot.map { "!" + $0 })
      #expect(
        label.expect == tested, "\(path): labels say \(label.expect.sorted()), the test \(tested.sorted())")
      if let brand = testCase.brand {
        #expect(label.brand == [brand], "\(path): brand \(label.brand) vs \(brand)")
      }
    }
  }

  /// Every labelled path exists in the corpus, so a renamed file cannot silently drop out of the
  /// scorecard's recall.
  @Test(.enabled(if: TestPaths.sharedHas("corpora/detection"), "../shared/corpora/detection is absent"))
  func everyLabelledFileExists() throws {
    let shared = try #require(TestPaths.shared)
    for path in try Self.labels().keys.sorted() {
      #expect(
        FileManager.default.fileExists(atPath: shared + "/corpora/detection/" + path), "missing \(path)")
    }
  }
}
