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
    /// Files found but not linted (not drafts, or excluded); `--verbose` lists them on stderr.
    public let skippedFiles: Int
    /// Findings left out because a suppression (policy or inline directive) covers them.
    public let suppressed: Int
    /// Findings left out because the baseline lists them.
    public let baselined: Int
    /// The baseline file applied (display path), or nil when none was.
    public let baseline: String?

    enum CodingKeys: String, CodingKey {
      case drafts, errors, warnings, infos, suppressed, baselined, baseline
      case skippedFiles = "skipped_files"
    }
  }

  public let version: Int
  public let tool: Tool
  public let findings: [JSONFinding]
  /// Problems with sendlint's own inputs (policy, manifest, arguments); exit code 2 when present.
  public let diagnostics: [JSONDiagnostic]
  public let summary: Summary

  /// The report; `skippedFiles`, `suppressed`, `baselined` and `baseline` are the run's counts of
  /// what it did not report (LintReport's `skippedFileCount`, `suppressedCount`, `baselinedCount`,
  /// `baselineUsed`), so a consumer sees that a clean result hid nothing, or how much.
  public init(
    findings: [Finding], diagnostics: [Diagnostic], draftCount: Int, toolVersion: String,
    skippedFiles: Int = 0, suppressed: Int = 0,
    baselined: Int = 0, baseline: String? = nil
  ) {
    version = 1
    tool = Tool(name: "sendlint", version: toolVersion)
    self.findings = findings.map { finding in
      let start = finding.range?.startPosition
      let end = finding.range?.endPosition
      let hasColumn = finding.range?.hasColumn ?? false
      // JSONEncoder escapes C0 controls but not bidi controls, U+2028 or C1, which `jq -r` would
      // print raw: every quoted value is escaped for display first.
      var json = JSONFinding(
        rule: finding.rule.escapedForDisplay, severity: finding.severity.rawValue,
        message: finding.message.escapedForDisplay,
        path: finding.path.escapedForDisplay,
        line: start?.line, column: hasColumn ? start?.column : nil, endLine: hasColumn ? end?.line : nil,
        endColumn: hasColumn ? end?.column : nil, draft: finding.draftPath.escapedForDisplay,
        fingerprint: finding.fingerprint,
        help: finding.help?.escapedForDisplay)
      if finding.count > 1 {
        json.count = finding.count
        json.locations = finding.locations.map {
          JSONLocation(
            path: $0.file.path.escapedForDisplay, line: $0.startPosition.line,
            column: $0.hasColumn ? $0.startPosition.column : nil)
        }
      }
      return json
    }
    self.diagnostics = diagnostics.map {
      JSONDiagnostic(
        code: $0.code.escapedForDisplay, message: $0.message.escapedForDisplay,
        path: $0.path.escapedForDisplay,
        line: $0.position?.line, column: $0.position?.column, help: $0.help?.escapedForDisplay)
    }
    summary = Summary(
      drafts: draftCount, errors: findings.filter { $0.severity == .error }.count,
      warnings: findings.filter { $0.severity == .warning }.count,
      infos: findings.filter { $0.severity == .info }.count,
      skippedFiles: skippedFiles, suppressed: suppressed, baselined: baselined,
      baseline: baseline?.escapedForDisplay)
  }

  /// Pretty, key-sorted JSON with a trailing newline: what `JSONEncoder` writes with
  /// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, written directly (the encoder was
  /// a twentieth of a lint). Each object's keys below are in sorted order.
  public func encoded() -> String {
    var writer = PrettyJSONWriter(capacity: 512 + 600 * findings.count)
    writer.object { json in
      json.key("diagnostics")
      json.array(diagnostics) { json, diagnostic in
        json.object { json in
          json.field("code", diagnostic.code)
          json.field("column", diagnostic.column)
          json.field("help", diagnostic.help)
          json.field("line", diagnostic.line)
          json.field("message", diagnostic.message)
          json.field("path", diagnostic.path)
        }
      }
      json.key("findings")
      json.array(findings) { json, finding in
        json.object { json in
          json.field("column", finding.column)
          json.field("count", finding.count)
          json.field("draft", finding.draft)
          json.field("end_column", finding.endColumn)
          json.field("end_line", finding.endLine)
          json.field("fingerprint", finding.fingerprint)
          json.field("help", finding.help)
          json.field("line", finding.line)
          if let locations = finding.locations {
            json.key("locations")
            json.array(locations) { json, location in
              json.object { json in
                json.field("column", location.column)
                json.field("line", location.line)
                json.field("path", location.path)
              }
            }
          }
          json.field("message", finding.message)
          json.field("path", finding.path)
          json.field("rule", finding.rule)
          json.field("severity", finding.severity)
        }
      }
      json.key("summary")
      json.object { json in
        json.field("baseline", summary.baseline)
        json.field("baselined", summary.baselined)
        json.field("drafts", summary.drafts)
        json.field("errors", summary.errors)
        json.field("infos", summary.infos)
        json.field("skipped_files", summary.skippedFiles)
        json.field("suppressed", summary.suppressed)
        json.field("warnings", summary.warnings)
      }
      json.key("tool")
      json.object { json in
        json.field("name", tool.name)
        json.field("version", tool.version)
      }
      json.field("version", version)
    }
    return String(decoding: writer.bytes, as: UTF8.self) + "\n"
  }
}

/// JSON that is safe to print on a terminal and still decodes to the exact values.
public enum JSONText {
  /// `json` (as JSONEncoder writes it) with every scalar `DisplayEscaping.needsEscaping` flags
  /// written as a JSON `\uXXXX` escape (a UTF-16 surrogate pair above U+FFFF). JSONEncoder escapes
  /// C0 controls but passes bidi controls (U+202E), C1 controls (U+009B, a one-byte CSI), U+2028 and
  /// non-characters through raw, so `cat` of the output could be reordered or act on a terminal;
  /// escaped, a decoder still gets the original value. Line breaks are left alone: in encoder
  /// output a raw one is only ever layout between tokens, never inside a string. O(n).
  public static func escapingDisplayUnsafe(_ json: String) -> String {
    guard json.unicodeScalars.contains(where: { $0 != "\n" && DisplayEscaping.needsEscaping($0) }) else {
      return json
    }
    var output = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      guard scalar != "\n", DisplayEscaping.needsEscaping(scalar) else {
        output.append(scalar)
        continue
      }
      for unit in String(scalar).utf16 {
        let digits = String(unit, radix: 16)
        output.append(
          contentsOf: ("\\u" + String(repeating: "0", count: 4 - digits.count) + digits).unicodeScalars)
      }
    }
    return String(output)
  }
}
