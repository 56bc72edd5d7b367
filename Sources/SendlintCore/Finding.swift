/// A finding as reported: a rule's hit after the policy gave it a severity.
public struct Finding: Sendable, Hashable {
  public let rule: String
  public let severity: Severity
  public let message: String
  public let help: String?
  /// Where the author fixes it; nil only for findings about a whole draft with no better place.
  public let range: SourceRange?
  /// The draft the finding belongs to (a manifest or an `.eml`); may differ from `range.file`.
  public let draftPath: String
  /// Stable identity across edits that move lines: rule, path and normalised evidence (32 hex
  /// digits, written out when read: a draft can hold thousands of findings, and the hash is 16
  /// bytes where its text was a heap string of 64).
  public var fingerprint: String { Fingerprint.hex(fingerprintValue) }
  /// The hashes `fingerprint` is written from, for comparing findings without writing it out.
  public let fingerprintValue: Fingerprint.Value
  /// How many identical findings (same draft, rule, severity, message, help and fingerprint) this one stands
  /// for: the engine reports a defect repeated 3,000 times as one finding with a count.
  public var count = 1
  /// Where the first of them are, in report order, `range` first; at most `maximumLocations`.
  public var locations: [SourceRange] {
    get { storedLocations ?? range.map { [$0] } ?? [] }
    set { storedLocations = newValue }
  }
  /// Nil until `locations` is set (an aggregated finding): most findings stand for one occurrence,
  /// and an array of their one range each was a heap allocation per finding.
  private var storedLocations: [SourceRange]? = nil
  /// Locations kept for an aggregated finding.
  public static let maximumLocations = 5

  public init(
    rule: String, severity: Severity, message: String, help: String?, range: SourceRange?,
    draftPath: String, evidence: String
  ) {
    self.rule = rule
    self.severity = severity
    self.message = message
    self.help = help
    self.range = range
    self.draftPath = draftPath
    let path = range?.file.path ?? draftPath
    self.fingerprintValue = Fingerprint.value(of: "\(rule)\u{1F}\(path)\u{1F}\(evidence)")
  }

  // Equal and hashed by what they report, whichever way `locations` is stored.
  public static func == (lhs: Finding, rhs: Finding) -> Bool {
    lhs.rule == rhs.rule && lhs.severity == rhs.severity && lhs.message == rhs.message && lhs.help == rhs.help
      && lhs.range == rhs.range && lhs.draftPath == rhs.draftPath
      && lhs.fingerprintValue == rhs.fingerprintValue
      && lhs.count == rhs.count && lhs.locations == rhs.locations
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(rule)
    hasher.combine(severity)
    hasher.combine(message)
    hasher.combine(help)
    hasher.combine(range)
    hasher.combine(draftPath)
    hasher.combine(fingerprintValue)
    hasher.combine(count)
    hasher.combine(locations)
  }

  /// The path findings are reported against.
  public var path: String { range?.file.path ?? draftPath }

  /// " (4 occurrences in this draft)" for an aggregated finding, else nothing: what the one-line
  /// formats (GitHub annotations, Code Quality, JUnit) append to the message so a count is never lost.
  public var occurrenceNote: String { count > 1 ? " (\(count) occurrences in this draft)" : "" }
}

/// FNV-1a, 64 bits twice with different offsets: stable across runs and platforms, which Swift's
/// `Hasher` is not. Fingerprints identify findings, they do not protect anything.
public enum Fingerprint {
  /// The two 64-bit hashes a fingerprint's text is written from.
  public struct Value: Sendable, Hashable {
    public let first: UInt64
    public let second: UInt64
  }

  public static func hex(of text: String) -> String { hex(value(of: text)) }

  public static func value(of text: String) -> Value {
    var first: UInt64 = 0xcbf2_9ce4_8422_2325
    var second: UInt64 = 0x6c62_272e_07bb_0142
    // Over the contiguous UTF-8 (evidence runs to kilobytes of hidden text): the view's iterator
    // cost about twice the instructions per byte.
    var text = text
    text.withUTF8 { bytes in
      for byte in bytes {
        first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        second = second &+ first >> 29
      }
    }
    return Value(first: first, second: second)
  }

  /// The 32 hex digits of `value`.
  public static func hex(_ value: Value) -> String { hex64(value.first) + hex64(value.second) }

  private static func hex64(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}

/// An error about sendlint's own inputs (policy, manifest, flags): never mixed with findings, and
/// always exit code 2.
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
  /// A short stable code such as `policy/unknown-key`.
  public let code: String
  public let message: String
  public let help: String?
  public let path: String
  public let position: SourcePosition?
  /// The offending source line, shown under the message.
  public let sourceLine: String?

  public init(
    code: String, message: String, help: String? = nil, path: String,
    position: SourcePosition? = nil, sourceLine: String? = nil
  ) {
    self.code = code
    self.message = message
    self.help = help
    self.path = path
    self.position = position
    self.sourceLine = sourceLine
  }

  /// One line per part, every quoted value escaped for display (the caret counted on the escaped
  /// source line, so it stays under its character).
  public var description: String {
    var text = path.escapedForDisplay
    if let position { text += ":\(position.line):\(position.column)" }
    text += ": error: \(message.escapedForDisplay) [\(code.escapedForDisplay)]"
    if let sourceLine, let position {
      let before = sourceLine.unicodeScalars.prefix(max(0, position.column - 1))
      let indent = before.reduce(0) { $0 + DisplayEscaping.displayWidth($1) }
      text += "\n    \(sourceLine.escapedForDisplay)\n    " + String(repeating: " ", count: indent) + "^"
    }
    if let help { text += "\n  help: \(help.escapedForDisplay)" }
    return text
  }
}

/// Diagnostics collected from one stage; throwing this reports all of them at once.
public struct DiagnosticList: Error, Sendable {
  public let diagnostics: [Diagnostic]
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}
