import Foundation
import SendlintCore

/// The `--format json` contract (PRODUCT.md, "Machine-readable output"). Fields may be added;
/// existing ones never change meaning.
public struct JSONReport: Codable, Sendable {
  public struct Tool: Codable, Sendable {
    public let name: String
    public let version: String
  }

  public struct Location: Codable, Sendable {
    public let line: Int
    public let column: Int?
  }

  public struct JSONFinding: Codable, Sendable {
    public let rule: String
    public let severity: String
    public let message: String
    public let path: String
    public let line: Int?
    public let column: Int?
    public let endLine: Int?
    public let endColumn: Int?
    public let draft: String
    public let fingerprint: String
    public let help: String?
    /// For a finding that stands for several identical ones: how many, and where the first
    /// `Finding.maximumLocations` are (this one's first). Absent for a single finding.
    public var count: Int? = nil
    public var locations: [JSONLocation]? = nil

    enum CodingKeys: String, CodingKey {
      case rule, severity, message, path, line, column, draft, fingerprint, help, count, locations
      case endLine = "end_line"
      case endColumn = "end_column"
    }
  }

  public struct JSONLocation: Codable, Sendable {
    public let path: String
    public let line: Int
    public let column: Int?
  }

  public struct JSONDiagnostic: Codable, Sendable {
    public let code: String
    public let message: String
    public let path: String
    public let line: Int?
    public let column: Int?
    public let help: String?
  }

  public struct Summary: Codable, Sendable {
    public let drafts: Int
    public let errors: Int
    public let warnings: Int
    public let infos: Int
  }

  public let version: Int
  public let tool: Tool
  public let findings: [JSONFinding]
  /// Problems with sendlint's own inputs (policy, manifest, arguments); exit code 2 when present.
  public let diagnostics: [JSONDiagnostic]
  public let summary: Summary

  public init(findings: [Finding], diagnostics: [Diagnostic], draftCount: Int, toolVersion: String) {
    version = 1
    tool = Tool(name: "sendlint", version: toolVersion)
    self.findings = findings.map { finding in
      let start = finding.range?.startPosition
      let end = finding.range?.endPosition
      let hasColumn = finding.range?.hasColumn ?? false
      // JSONEncoder escapes C0 controls but not bidi controls, U+2028 or C1, which `jq -r` would
      // print raw: every quoted value is escaped for display first.
      var json = JSONFinding(
        rule: finding.rule.escapedForDisplay, severity: finding.severity.rawValue, message: finding.message.escapedForDisplay,
        path: finding.path.escapedForDisplay,
        line: start?.line, column: hasColumn ? start?.column : nil, endLine: hasColumn ? end?.line : nil,
        endColumn: hasColumn ? end?.column : nil, draft: finding.draftPath.escapedForDisplay, fingerprint: finding.fingerprint,
        help: finding.help?.escapedForDisplay)
      if finding.count > 1 {
        json.count = finding.count
        json.locations = finding.locations.map {
          JSONLocation(path: $0.file.path.escapedForDisplay, line: $0.startPosition.line, column: $0.hasColumn ? $0.startPosition.column : nil)
        }
      }
      return json
    }
    self.diagnostics = diagnostics.map {
      JSONDiagnostic(
        code: $0.code.escapedForDisplay, message: $0.message.escapedForDisplay, path: $0.path.escapedForDisplay,
        line: $0.position?.line, column: $0.position?.column, help: $0.help?.escapedForDisplay)
    }
    summary = Summary(
      drafts: draftCount, errors: findings.filter { $0.severity == .error }.count,
      warnings: findings.filter { $0.severity == .warning }.count, infos: findings.filter { $0.severity == .info }.count)
  }

  /// Pretty, key-sorted JSON with a trailing newline.
  public func encoded() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding plain Codable structs of strings and integers cannot fail.
    let data = try! encoder.encode(self)
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
