import Foundation
import SendlintCore
import SendlintRules

/// SARIF 2.1.0 (OASIS), built from Codable structs: what code-scanning UIs (GitHub, Azure DevOps,
/// VS Code's SARIF viewer) show inline.
public struct SARIFLog: Codable, Sendable {
  public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
  /// Where rule documentation lives, for `helpUri`.
  public static let documentationBase = "https://github.com/sendlint/sendlint/blob/main/docs/rules/"

  public struct Message: Codable, Sendable {
    public var text: String
    public var markdown: String?
  }

  public struct ReportingDescriptor: Codable, Sendable {
    public struct Configuration: Codable, Sendable { public var level: String }
    /// What GitHub code scanning reads: `security-severity` (a number as a string, 0.0–10.0) and
    /// the `security` tag decide whether and how an alert shows as a security alert;
    /// `problem.severity` (error, warning, recommendation) ranks the others.
    public struct Properties: Codable, Sendable {
      public var tags: [String]
      public var securitySeverity: String
      public var problemSeverity: String

      enum CodingKeys: String, CodingKey {
        case tags
        case securitySeverity = "security-severity"
        case problemSeverity = "problem.severity"
      }
    }
    public var id: String
    public var name: String
    public var shortDescription: Message
    public var fullDescription: Message
    public var help: Message
    /// sendlint's page for a built-in rule; a policy rule's own `help_uri`, or none.
    public var helpUri: String?
    public var defaultConfiguration: Configuration
    public var properties: Properties
  }

  public struct ArtifactLocation: Codable, Sendable {
    public var uri: String
    public var uriBaseId: String?
  }

  public struct Region: Codable, Sendable {
    public var startLine: Int
    public var startColumn: Int?
    public var endLine: Int?
    public var endColumn: Int?
  }

  public struct PhysicalLocation: Codable, Sendable {
    public var artifactLocation: ArtifactLocation
    public var region: Region?
  }

  public struct Location: Codable, Sendable {
    public var physicalLocation: PhysicalLocation
  }

  public struct Result: Codable, Sendable {
    public var ruleId: String
    public var ruleIndex: Int?
    public var level: String
    public var message: Message
    public var locations: [Location]
    public var partialFingerprints: [String: String]
    /// An aggregated finding: how many times it occurred, and its further first locations.
    public var occurrenceCount: Int? = nil
    public var relatedLocations: [Location]? = nil
  }

  public struct Notification: Codable, Sendable {
    public struct Descriptor: Codable, Sendable { public var id: String }
    public var level: String
    public var message: Message
    public var locations: [Location]?
    public var descriptor: Descriptor
  }

  public struct Invocation: Codable, Sendable {
    public var executionSuccessful: Bool
    public var toolConfigurationNotifications: [Notification]?
    /// What the run itself reports, e.g. results left out by the cap.
    public var toolExecutionNotifications: [Notification]?
  }

  public struct Driver: Codable, Sendable {
    public var name: String
    public var version: String
    public var semanticVersion: String
    public var informationUri: String
    public var rules: [ReportingDescriptor]
  }

  public struct Tool: Codable, Sendable { public var driver: Driver }
  public struct AutomationDetails: Codable, Sendable { public var id: String }
  public struct BaseURI: Codable, Sendable { public var uri: String }

  public struct Run: Codable, Sendable {
    public var tool: Tool
    public var automationDetails: AutomationDetails
    public var originalUriBaseIds: [String: BaseURI]?
    public var columnKind: String
    public var invocations: [Invocation]
    public var results: [Result]
  }

  public var schema: String = SARIFLog.schemaURI
  public var version: String = "2.1.0"
  public var runs: [Run]

  enum CodingKeys: String, CodingKey {
    case schema = "$schema"
    case version, runs
  }

  static func level(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info, .off: "note"
    }
  }

  /// A repository-relative path as a URI reference: each segment percent-encoded (RFC 3986).
  static func uri(_ path: String) -> String {
    let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/".utf8)
    var output = ""
    for byte in path.utf8 {
      if allowed.contains(byte) {
        output.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        output += String(format: "%%%02X", byte)
      }
    }
    return output
  }

  static func location(path: String, position: SourcePosition?, end: SourcePosition?, hasColumn: Bool)
    -> Location
  {
    let relative = !path.hasPrefix("/")
    let region = position.map {
      Region(
        startLine: $0.line, startColumn: hasColumn ? $0.column : nil, endLine: hasColumn ? end?.line : nil,
        endColumn: hasColumn ? end?.column : nil)
    }
    return Location(
      physicalLocation: PhysicalLocation(
        artifactLocation: ArtifactLocation(
          uri: relative ? uri(path) : "file://" + uri(path), uriBaseId: relative ? "%SRCROOT%" : nil),
        region: region))
  }

  /// Builds the log: every known rule in the driver, one result per finding up to `maxResults`
  /// (errors kept first; a tool execution notification counts what was left out), policy errors as
  /// tool configuration notifications with `executionSuccessful: false`.
  public init(
    findings: [Finding], diagnostics: [Diagnostic], rules: [RuleMetadata], toolVersion: String,
    workingDirectory: String?,
    maxResults: Int = SARIFLog.defaultMaxResults
  ) {
    let descriptors = rules.map { rule -> ReportingDescriptor in
      let name =
        rule.id.split(separator: "/").last.map {
          $0.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        } ?? rule.id
      // A policy's rule text is a stranger's: shown as written, never rendered as Markdown or HTML.
      let builtin = SARIFRuleClass.isBuiltin(rule.id)
      let helpText = rule.useInstead.isEmpty ? rule.summary : rule.summary + " " + rule.useInstead
      return ReportingDescriptor(
        id: builtin ? rule.id : rule.id.escapedForDisplay, name: builtin ? name : name.escapedForDisplay,
        shortDescription: Message(text: builtin ? rule.summary : rule.summary.escapedForDisplay),
        fullDescription: Message(text: builtin ? rule.whatItDoes : rule.whatItDoes.escapedForDisplay),
        help: Message(
          text: builtin ? helpText : helpText.escapedForDisplay,
          markdown: builtin ? rule.markdown : SARIFLog.escapedMarkdown(rule)),
        helpUri: builtin ? SARIFLog.documentationBase + rule.id + ".md" : SARIFLog.customHelpURI(rule),
        defaultConfiguration: .init(level: SARIFLog.level(rule.defaultSeverity)),
        properties: SARIFLog.properties(rule))
    }
    // The first descriptor of an id wins: a caller's list with a repeated id must not trap.
    let index = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    // Fingerprints of every finding before the cap, so a result's fingerprint never depends on it.
    let fingerprints = OccurrenceFingerprints.of(findings)
    let kept = SARIFLog.kept(findings, maxResults: maxResults)
    let results = kept.map { position -> Result in
      let finding = findings[position]
      let start = finding.range?.startPosition
      let end = finding.range?.endPosition
      // Quoted values escaped for display; the line break before `help:` is SARIF's own.
      var text = finding.message.escapedForDisplay
      if let help = finding.help { text += "\nhelp: " + help.escapedForDisplay }
      var result = Result(
        ruleId: finding.rule.escapedForDisplay, ruleIndex: index[finding.rule],
        level: SARIFLog.level(finding.severity), message: Message(text: text),
        locations: [
          SARIFLog.location(
            path: finding.path, position: start, end: end, hasColumn: finding.range?.hasColumn ?? false)
        ],
        partialFingerprints: [SARIFLog.fingerprintKey: fingerprints[position]])
      if finding.count > 1 {
        result.occurrenceCount = finding.count
        let related = finding.locations.dropFirst().map {
          SARIFLog.location(
            path: $0.file.path, position: $0.startPosition, end: $0.endPosition, hasColumn: $0.hasColumn)
        }
        result.relatedLocations = related.isEmpty ? nil : related
      }
      return result
    }
    let notifications = diagnostics.map { diagnostic in
      Notification(
        level: "error",
        message: Message(
          text: diagnostic.message.escapedForDisplay
            + (diagnostic.help.map { "\nhelp: " + $0.escapedForDisplay } ?? "")),
        locations: [
          SARIFLog.location(
            path: diagnostic.path, position: diagnostic.position, end: nil,
            hasColumn: diagnostic.position != nil)
        ],
        descriptor: .init(id: diagnostic.code.escapedForDisplay))
    }
    let base = workingDirectory.map {
      ["%SRCROOT%": BaseURI(uri: "file://" + SARIFLog.uri($0.hasSuffix("/") ? $0 : $0 + "/"))]
    }
    runs = [
      Run(
        tool: Tool(
          driver: Driver(
            name: "sendlint", version: toolVersion, semanticVersion: toolVersion,
            informationUri: "https://github.com/sendlint/sendlint", rules: descriptors)),
        automationDetails: AutomationDetails(id: "sendlint/"), originalUriBaseIds: base,
        columnKind: "unicodeCodePoints",
        invocations: [
          Invocation(
            executionSuccessful: diagnostics.isEmpty,
            toolConfigurationNotifications: notifications.isEmpty ? nil : notifications,
            toolExecutionNotifications: SARIFLog.cappedNotification(
              findings: findings, kept: kept, maxResults: maxResults
            ).map { [$0] })
        ],
        results: results)
    ]
  }

  public func encoded() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Plain Codable structs of strings and numbers always encode.
    return String(decoding: try! encoder.encode(self), as: UTF8.self) + "\n"
  }
}
