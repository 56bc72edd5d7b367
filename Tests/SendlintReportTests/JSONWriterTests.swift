import Foundation
import SendlintCore
import Testing

@testable import SendlintReport

/// `JSONReport.encoded()` writes JSON directly; its bytes must be the ones `JSONEncoder` wrote with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (kept here as the reference), for every
/// shape a report takes and every scalar a string may carry.
@Suite struct JSONWriterTests {
  static func reference<Value: Encodable>(_ value: Value) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
  }

  struct One: Encodable { let value: String }

  /// Strings: every scalar up to U+3000 (controls, quotes, slashes, DEL, C1, U+2028 included),
  /// surrogate-pair scalars and non-characters, alone and inside text.
  @Test func stringsAreEscapedAsTheEncoderEscapesThem() throws {
    var scalars = (0..<0x3000).compactMap { Unicode.Scalar(UInt32($0)) }
    scalars += ["\u{FEFF}", "\u{FFFE}", "\u{FFFF}", "\u{1F600}", "\u{10FFFF}", "\u{E0001}"]
    for scalar in scalars {
      for text in [String(scalar), "a\(scalar)b/\\\"\(scalar)"] {
        var writer = PrettyJSONWriter()
        writer.object { $0.field("value", text) }
        let written = String(decoding: writer.bytes, as: UTF8.self) + "\n"
        #expect(written == (try Self.reference(One(value: text))), "U+\(String(scalar.value, radix: 16))")
      }
    }
  }

  static func findings() -> [Finding] {
    let file = SourceFile(
      path: "dir/a \"b\".html",
      text: "<p>one</p>\n<p>two \u{202E} three</p>\n" + String(repeating: "x", count: 300))
    var findings: [Finding] = []
    for index in 0..<6 {
      var finding = Finding(
        rule: index == 3 ? "custom/\u{1B}[31m" : "link/insecure",
        severity: [Severity.error, .warning, .info][index % 3],
        message: "link \"http://x.example/\(index)\" uses plain http\t\u{7F}\u{9B}\u{2028} / \\",
        help: index % 2 == 0 ? nil : "use https://x.example/\(index)",
        range: index == 5
          ? nil : SourceRange(file: file, start: 3 + index, end: 14 + index, hasColumn: index != 4),
        draftPath: "dir/campaign.yaml", evidence: "\(index)")
      if index == 2 {
        finding.count = 3
        finding.locations = [
          SourceRange(file: file, start: 3, end: 6),
          SourceRange(file: file, start: 12, end: 20, hasColumn: false),
          SourceRange(file: file, start: 40, end: 41),
        ]
      }
      findings.append(finding)
    }
    return findings
  }

  @Test func reportsAreWrittenAsTheEncoderWritesThem() throws {
    let diagnostics = [
      Diagnostic(
        code: "policy/invalid", message: "bad \"value\"", help: "fix it", path: "p.yaml",
        position: SourcePosition(line: 3, column: 7)),
      Diagnostic(code: "input/unreadable", message: "gone", path: "/x/\u{1B}y"),
    ]
    let all = Self.findings()
    let cases: [JSONReport] = [
      JSONReport(findings: [], diagnostics: [], draftCount: 0, toolVersion: "0"),
      JSONReport(findings: all, diagnostics: [], draftCount: 2, toolVersion: "1.2.3"),
      JSONReport(findings: [], diagnostics: diagnostics, draftCount: 1, toolVersion: "0"),
      JSONReport(
        findings: all, diagnostics: diagnostics, draftCount: 9, toolVersion: "0", skippedFiles: 4,
        suppressed: 2,
        baselined: 1, baseline: ".sendlint-baseline.json"),
      JSONReport(
        findings: [all[2]], diagnostics: [diagnostics[1]], draftCount: 1, toolVersion: "0", baseline: ""),
    ]
    for report in cases {
      #expect(report.encoded() == (try Self.reference(report)))
    }
  }
}
