import Foundation
import SendlintTestSupport
import SendlintURL
import Testing

/// Peer suites for the URL and host model, read from `../shared/conformance` when present (and
/// skipped, with the reason, when not). Each must fail exactly its listed known failures.
@Suite struct URLConformanceTests {
  static func json(_ relative: String) throws -> [Any]? {
    guard let shared = TestPaths.shared else { return nil }
    var text = try String(contentsOfFile: shared + "/conformance/" + relative, encoding: .utf8)
    // Some inputs are lone surrogates (\uD800), which no UTF-8 decoder accepts: read them as
    // U+FFFD, which every host parser rejects, as it rejects the surrogate.
    text = loneSurrogates.stringByReplacingMatches(
      in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "\\\\uFFFD")
    return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any]
  }

  static let loneSurrogates = try! NSRegularExpression(  // a constant, valid pattern
    pattern:
      #"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"#
  )

  @Test(
    .enabled(
      if: TestPaths.sharedHas("conformance/publicsuffix"), "../shared/conformance/publicsuffix is absent"))
  func publicSuffixList() throws {
    let shared = try #require(TestPaths.shared)
    let list = PublicSuffixList(
      text: try String(
        contentsOfFile: shared + "/conformance/publicsuffix/public_suffix_list.dat", encoding: .utf8),
      source: "shared")
    let tests = try String(
      contentsOfFile: shared + "/conformance/publicsuffix/tests/test_psl.txt", encoding: .utf8)
    var passed = 0
    var failures: [(key: String, detail: String)] = []
    for line in tests.split(separator: "\n") where line.hasPrefix("checkPublicSuffix(") {
      let arguments = line.dropFirst("checkPublicSuffix(".count).dropLast(2).split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard arguments.count == 2 else { continue }
      func value(_ text: String) -> String? { text == "null" ? nil : String(text.dropFirst().dropLast()) }
      let input = value(arguments[0])
      let expected = value(arguments[1])
      let got = input.flatMap { PublicSuffixList.registrableDomainForDisplay(of: $0, in: list) }
      if got == expected {
        passed += 1
      } else {
        failures.append(
          (input ?? "null", "\(input ?? "null"): want \(expected ?? "null"), got \(got ?? "null")"))
      }
    }
    try KnownFailures("publicsuffix-test_psl").check(
      suite: "public suffix list tests", passed: passed, failures: failures)
  }

  @Test(
    .enabled(if: TestPaths.sharedHas("conformance/whatwg-url"), "../shared/conformance/whatwg-url is absent"))
  func whatwgURLTestData() throws {
    let entries = try #require(try Self.json("whatwg-url/tests/wpt/urltestdata.json"))
    var passed = 0
    var failures: [(key: String, detail: String)] = []
    func fail(_ input: String, _ base: Any?, _ detail: String) {
      failures.append(
        ("\(input) base \(base ?? "nil")", "\(input.debugDescription) base \(base ?? "nil"): \(detail)"))
    }
    for case let entry as [String: Any] in entries {
      guard let input = entry["input"] as? String else { continue }
      let base = (entry["base"] as? String).flatMap { URLRecord.parse($0) }
      if entry["base"] is String, base == nil {
        // The standard parses the base first; a base that fails makes the test a failure case.
        if entry["failure"] as? Bool == true {
          passed += 1
        } else {
          fail(input, entry["base"], "base did not parse")
        }
        continue
      }
      let parsed = URLRecord.parse(input, base: base)
      if entry["failure"] as? Bool == true {
        if parsed == nil {
          passed += 1
        } else {
          fail(input, entry["base"], "want failure, got \(parsed!.href)")
        }  // checked non-nil
        continue
      }
      guard let parsed else {
        fail(input, entry["base"], "want \(entry["href"] ?? ""), got failure")
        continue
      }
      let wantHost = entry["host"] as? String ?? ""
      let gotHost = parsed.host.map { $0.description + (parsed.port.map { ":\($0)" } ?? "") } ?? ""
      if parsed.href == entry["href"] as? String, gotHost == wantHost {
        passed += 1
      } else {
        fail(
          input, entry["base"],
          "want \(entry["href"] ?? "") host \(wantHost), got \(parsed.href) host \(gotHost)")
      }
    }
    try KnownFailures("whatwg-urltestdata").check(
      suite: "WHATWG urltestdata", passed: passed, failures: failures)
  }

  /// toascii.json and the WPT conversion of IdnaTestV2: host parsing of `https://INPUT/x`. The
  /// known failures are inputs whose UTS #46 data changed after Unicode 15.0, the revision the
  /// system ICU 72 implements (each file lists the exact inputs and the change).
  @Test(
    .enabled(if: TestPaths.sharedHas("conformance/whatwg-url"), "../shared/conformance/whatwg-url is absent"),
    arguments: ["toascii", "IdnaTestV2"])
  func hostToASCII(_ name: String) throws {
    let entries = try #require(try Self.json("whatwg-url/tests/wpt/\(name).json"))
    var passed = 0
    var failures: [(key: String, detail: String)] = []
    for case let entry as [String: Any] in entries {
      guard let input = entry["input"] as? String else { continue }
      let want = entry["output"] as? String
      let got = URLRecord.parse("https://\(input)/x")?.host?.description
      if got == want {
        passed += 1
      } else {
        failures.append(
          (input, "\(input.debugDescription): want \(want ?? "failure"), got \(got ?? "failure")"))
      }
    }
    try KnownFailures("whatwg-\(name)").check(
      suite: "WHATWG \(name).json", passed: passed, failures: failures)
  }

  /// Unicode's own UTS #46 conformance file (IdnaTestV2.txt, Unicode 15.0 — ICU 72's version):
  /// toUnicode and nontransitional toASCII, each judged on its result and on error versus no error.
  @Test(.enabled(if: TestPaths.sharedHas("conformance/idna"), "../shared/conformance/idna is absent"))
  func uts46IdnaTestV2() throws {
    let shared = try #require(TestPaths.shared)
    let text = try String(
      contentsOfFile: shared
        + "/conformance/idna/publicsuffix-list/tools/internal/domain/testdata/idna_test_vectors.txt",
      encoding: .utf8)
    func unescape(_ field: Substring) -> String {
      var output = String.UnicodeScalarView()
      let scalars = Array(field.trimmingCharacters(in: .whitespaces).unicodeScalars)
      var index = 0
      while index < scalars.count {
        if scalars[index] == "\\", index + 1 < scalars.count, scalars[index + 1] == "u",
          index + 5 < scalars.count,
          let value = UInt32(String(String.UnicodeScalarView(scalars[(index + 2)...(index + 5)])), radix: 16),
          let scalar = Unicode.Scalar(value)
        {
          output.append(scalar)
          index += 6
        } else if scalars[index] == "\\", index + 2 < scalars.count, scalars[index + 1] == "x",
          scalars[index + 2] == "{",
          let close = scalars[index...].firstIndex(of: "}"),
          let value = UInt32(String(String.UnicodeScalarView(scalars[(index + 3)..<close])), radix: 16),
          let scalar = Unicode.Scalar(value)
        {
          output.append(scalar)
          index = close + 1
        } else {
          output.append(scalars[index])
          index += 1
        }
      }
      return String(output)
    }
    var passed = 0
    var failures: [(key: String, detail: String)] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let content = line.split(separator: "#", maxSplits: 1).first ?? ""
      let columns = content.split(separator: ";", omittingEmptySubsequences: false)
      guard columns.count >= 7 else { continue }
      let source = unescape(columns[0])
      let toUnicode = columns[1].trimmingCharacters(in: .whitespaces).isEmpty ? source : unescape(columns[1])
      let toUnicodeStatus = columns[2].trimmingCharacters(in: .whitespaces)
      let toASCII = columns[3].trimmingCharacters(in: .whitespaces).isEmpty ? toUnicode : unescape(columns[3])
      let asciiStatusField = columns[4].trimmingCharacters(in: .whitespaces)
      let toASCIIStatus = asciiStatusField.isEmpty ? toUnicodeStatus : asciiStatusField
      let unicodeGot = IDNA.strict(source, toASCII: false)
      let unicodeFails = !toUnicodeStatus.isEmpty && toUnicodeStatus != "[]"
      if unicodeGot.failed == unicodeFails && (unicodeFails || unicodeGot.value == toUnicode) {
        passed += 1
      } else {
        failures.append(
          (
            "toUnicode \(source)",
            "toUnicode \(source.debugDescription): want \(toUnicode.debugDescription) \(toUnicodeStatus), got \(unicodeGot.value.debugDescription) failed=\(unicodeGot.failed)"
          ))
      }
      let asciiGot = IDNA.strict(source, toASCII: true)
      let asciiFails = !toASCIIStatus.isEmpty && toASCIIStatus != "[]"
      if asciiGot.failed == asciiFails && (asciiFails || asciiGot.value == toASCII) {
        passed += 1
      } else {
        failures.append(
          (
            "toASCII \(source)",
            "toASCII \(source.debugDescription): want \(toASCII.debugDescription) \(toASCIIStatus), got \(asciiGot.value.debugDescription) failed=\(asciiGot.failed)"
          ))
      }
    }
    try KnownFailures("uts46-IdnaTestV2").check(
      suite: "UTS #46 IdnaTestV2.txt (15.0)", passed: passed, failures: failures)
  }

  @Test(
    .enabled(if: TestPaths.sharedHas("conformance/linkify-it"), "../shared/conformance/linkify-it is absent"))
  func linkifyFixtures() throws {
    let shared = try #require(TestPaths.shared)
    let finder = TextURLFinder()
    var passed = 0
    var failures: [(key: String, detail: String)] = []
    let links = try String(
      contentsOfFile: shared + "/conformance/linkify-it/test/fixtures/links.txt", encoding: .utf8
    )
    .components(separatedBy: "\n").map { $0.hasPrefix("%") ? "" : $0 }
    var index = 0
    while index < links.count {
      let line = links[index]
      guard !line.trimmingCharacters(in: .whitespaces).isEmpty else {
        index += 1
        continue
      }
      let next = index + 1 < links.count ? links[index + 1] : ""
      let expected = next.trimmingCharacters(in: .whitespaces).isEmpty ? line : next
      index += next.trimmingCharacters(in: .whitespaces).isEmpty ? 1 : 2
      let found = finder.find(in: Array(line.utf8)).first.map(\.text)
      if found == expected {
        passed += 1
      } else {
        failures.append(
          (
            "links.txt \(line)",
            "links.txt \(line.debugDescription): want \(expected.debugDescription), got \(found?.debugDescription ?? "nothing")"
          ))
      }
    }
    let notLinks = try String(
      contentsOfFile: shared + "/conformance/linkify-it/test/fixtures/not_links.txt", encoding: .utf8
    )
    .components(separatedBy: "\n").map { $0.hasPrefix("%") ? "" : $0 }
    for line in notLinks where !line.trimmingCharacters(in: .whitespaces).isEmpty {
      let found = finder.find(in: Array(line.utf8))
      if found.isEmpty {
        passed += 1
      } else {
        failures.append(
          ("not_links.txt \(line)", "not_links.txt \(line.debugDescription): found \(found.map(\.text))"))
      }
    }
    try KnownFailures("linkify-it").check(suite: "linkify-it fixtures", passed: passed, failures: failures)
  }
}
