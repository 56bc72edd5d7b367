import SendlintCore

/// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
/// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
public enum GitHubFormatter {
  /// Escapes a command's message ("data"): `%`, CR and LF.
  public static func escapeData(_ text: String) -> String {
    text.replacingAll([("%", "%25"), ("\r", "%0D"), ("\n", "%0A")])
  }

  /// Escapes a property value: as data, plus `:` and `,`.
  public static func escapeProperty(_ text: String) -> String {
    escapeData(text).replacingAll([(":", "%3A"), (",", "%2C")])
  }

  static func command(_ severity: Severity) -> String {
    switch severity {
    case .error: "error"
    case .warning: "warning"
    case .info, .off: "notice"
    }
  }

  public static func format(findings: [Finding], diagnostics: [Diagnostic]) -> String {
    var out = ""
    for diagnostic in diagnostics {
      var properties = ["file=\(escapeProperty(diagnostic.path))"]
      if let position = diagnostic.position { properties += ["line=\(position.line)", "col=\(position.column)"] }
      properties.append("title=\(escapeProperty("sendlint: " + diagnostic.code))")
      out += "::error \(properties.joined(separator: ","))::\(escapeData(diagnostic.message + (diagnostic.help.map { "\nhelp: " + $0 } ?? "")))\n"
    }
    for finding in findings {
      var properties = ["file=\(escapeProperty(finding.path))"]
      if let range = finding.range {
        let start = range.startPosition
        properties.append("line=\(start.line)")
        if range.hasColumn {
          let end = range.endPosition
          properties += ["col=\(start.column)", "endLine=\(end.line)", "endColumn=\(end.column)"]
        }
      }
      properties.append("title=\(escapeProperty(finding.rule))")
      out += "::\(command(finding.severity)) \(properties.joined(separator: ","))::\(escapeData(finding.message + (finding.help.map { "\nhelp: " + $0 } ?? "")))\n"
    }
    return out
  }

  /// A Markdown run summary for `$GITHUB_STEP_SUMMARY`.
  public static func summary(findings: [Finding], diagnostics: [Diagnostic], draftCount: Int) -> String {
    var out = "## sendlint\n\n"
    if !diagnostics.isEmpty {
      out += "**\(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") with sendlint's own inputs** — fix these first:\n\n"
      for diagnostic in diagnostics {
        out += "- `\(diagnostic.path)\(diagnostic.position.map { ":\($0.line):\($0.column)" } ?? "")` \(markdownEscape(diagnostic.message))\n"
      }
      out += "\n"
    }
    let errors = findings.filter { $0.severity == .error }.count
    let warnings = findings.filter { $0.severity == .warning }.count
    let infos = findings.filter { $0.severity == .info }.count
    out += "| drafts | errors | warnings | infos |\n|---:|---:|---:|---:|\n| \(draftCount) | \(errors) | \(warnings) | \(infos) |\n\n"
    if !findings.isEmpty {
      out += "| severity | rule | location | message |\n|---|---|---|---|\n"
      for finding in findings.prefix(200) {
        let position = finding.range.map { ":\($0.startPosition.line)" } ?? ""
        out += "| \(finding.severity.rawValue) | `\(finding.rule)` | `\(finding.path)\(position)` | \(markdownEscape(finding.message)) |\n"
      }
      if findings.count > 200 { out += "\n…and \(findings.count - 200) more.\n" }
    }
    return out
  }

  static func markdownEscape(_ text: String) -> String {
    text.replacingAll([("|", "\\|"), ("\n", " ")])
  }
}

extension String {
  /// Replaces single scalars (not characters: "\r\n" is one Character but two things to escape).
  func replacingAll(_ pairs: [(String, String)]) -> String {
    var output = ""
    outer: for scalar in unicodeScalars {
      for (from, to) in pairs where from.unicodeScalars.count == 1 && from.unicodeScalars.first == scalar {
        output += to
        continue outer
      }
      output.unicodeScalars.append(scalar)
    }
    return output
  }
}
