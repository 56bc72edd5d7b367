import SendlintCore

/// Compiler-style text: `path:line:col: severity: message [rule]`, the source line with a caret
/// under the offending text, a `help:` line, and a summary.
public struct TextFormatter: Sendable {
  public var color: Bool

  public init(color: Bool) { self.color = color }

  private func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

  private func label(_ severity: Severity) -> String {
    switch severity {
    case .error: paint("error", "1;31")
    case .warning: paint("warning", "1;33")
    case .info: paint("info", "1;36")
    case .off: "off"
    }
  }

  public func format(findings: [Finding], diagnostics: [Diagnostic], draftCount: Int) -> String {
    var out = ""
    for diagnostic in diagnostics {
      out += formatDiagnostic(diagnostic) + "\n"
    }
    for finding in findings {
      out += formatFinding(finding) + "\n"
    }
    out += summary(findings: findings, diagnostics: diagnostics, draftCount: draftCount) + "\n"
    return out
  }

  public func formatDiagnostic(_ diagnostic: Diagnostic) -> String {
    var location = diagnostic.path
    if let position = diagnostic.position { location += ":\(position.line):\(position.column)" }
    var text = paint(location, "1") + ": " + label(.error) + ": " + diagnostic.message + " " + paint("[\(diagnostic.code)]", "2")
    if let position = diagnostic.position, let line = diagnostic.sourceLine {
      text += "\n" + sourceExcerpt(line: line, lineNumber: position.line, column: position.column, width: 1)
    }
    if let help = diagnostic.help { text += "\n  " + paint("help", "1;32") + ": " + help }
    return text
  }

  public func formatFinding(_ finding: Finding) -> String {
    var location = finding.path
    var excerpt: String?
    if let range = finding.range {
      let start = range.startPosition
      if range.hasColumn {
        location += ":\(start.line):\(start.column)"
        let end = range.endPosition
        let width = end.line == start.line ? max(1, end.column - start.column) : 1
        excerpt = sourceExcerpt(line: range.file.lineText(start.line), lineNumber: start.line, column: start.column, width: width)
      } else {
        location += ":\(start.line)"
      }
    }
    var text = paint(location, "1") + ": " + label(finding.severity) + ": " + finding.message + " " + paint("[\(finding.rule)]", "2")
    if let excerpt { text += "\n" + excerpt }
    if let help = finding.help { text += "\n  " + paint("help", "1;32") + ": " + help }
    return text
  }

  /// The line with its number and a caret (plus tildes for the range's width) under `column`.
  func sourceExcerpt(line: String, lineNumber: Int, column: Int, width: Int) -> String {
    let gutter = String(lineNumber)
    let pad = String(repeating: " ", count: gutter.count)
    // Keep tabs in the padding so the caret lines up however the terminal renders them.
    let prefix = line.unicodeScalars.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
    let available = max(1, line.unicodeScalars.count - (column - 1))
    let marker = "^" + String(repeating: "~", count: max(0, min(width, available) - 1))
    return " \(gutter) | \(line)\n \(pad) | \(prefix)\(paint(marker, "1;32"))"
  }

  public func summary(findings: [Finding], diagnostics: [Diagnostic], draftCount: Int) -> String {
    let errors = findings.filter { $0.severity == .error }.count
    let warnings = findings.filter { $0.severity == .warning }.count
    let infos = findings.filter { $0.severity == .info }.count
    let drafts = "\(draftCount) draft\(draftCount == 1 ? "" : "s")"
    if !diagnostics.isEmpty {
      return paint("sendlint stopped: \(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") with its own inputs (policy, manifest or arguments); fix \(diagnostics.count == 1 ? "it" : "them") first", "1;31")
        + (findings.isEmpty ? "" : "\n" + counts(errors, warnings, infos) + " in \(drafts)")
    }
    if findings.isEmpty { return paint("✓ no problems in \(drafts)", "1;32") }
    let total = findings.count
    return paint("✖ \(total) problem\(total == 1 ? "" : "s") (\(counts(errors, warnings, infos))) in \(drafts)", errors > 0 ? "1;31" : "1;33")
  }

  private func counts(_ errors: Int, _ warnings: Int, _ infos: Int) -> String {
    "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"), \(infos) info\(infos == 1 ? "" : "s")"
  }
}
