import SendlintCore

/// GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
/// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
public enum GitHubFormatter {
  /// Escapes a command's message ("data"): `%`, CR and LF.
  public static func escapeData(_ text: String) -> String {
    text.replacingAll([("%", "%25"), ("\r", "%0D"), ("\n", "%0A")])
  }

  /// A value quoted from a draft or policy, as command data: controls and newlines shown as
  /// `\u{…}` first (the annotation must show them, not break at them), then escaped as data.
  static func data(_ text: String) -> String { escapeData(text.escapedForDisplay) }

  /// A value quoted from a draft or policy, as a command property.
  static func property(_ text: String) -> String { escapeProperty(text.escapedForDisplay) }

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
      var properties = ["file=\(property(diagnostic.path))"]
      if let position = diagnostic.position {
        properties += ["line=\(position.line)", "col=\(position.column)"]
      }
      properties.append("title=\(property("sendlint: " + diagnostic.code))")
      out +=
        "::error \(properties.joined(separator: ","))::\(data(diagnostic.message) + (diagnostic.help.map { "%0Ahelp: " + data($0) } ?? ""))\n"
    }
    for finding in findings {
      var properties = ["file=\(property(finding.path))"]
      if let range = finding.range {
        let start = range.startPosition
        properties.append("line=\(start.line)")
        if range.hasColumn {
          let end = range.endPosition
          properties += ["col=\(start.column)", "endLine=\(end.line)", "endColumn=\(end.column)"]
        }
      }
      properties.append("title=\(property(finding.rule))")
      out +=
        "::\(command(finding.severity)) \(properties.joined(separator: ","))::\(data(finding.message + finding.occurrenceNote) + (finding.help.map { "%0Ahelp: " + data($0) } ?? ""))\n"
    }
    return out
  }

  /// A Markdown run summary for `$GITHUB_STEP_SUMMARY`.
  public static func summary(findings: [Finding], diagnostics: [Diagnostic], draftCount: Int) -> String {
    var out = "## sendlint\n\n"
    if !diagnostics.isEmpty {
      out +=
        "**\(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") with sendlint's own inputs** — fix these first:\n\n"
      for diagnostic in diagnostics {
        out +=
          "- \(markdownCode(diagnostic.path + (diagnostic.position.map { ":\($0.line):\($0.column)" } ?? ""))) \(markdownEscape(diagnostic.message))\n"
      }
      out += "\n"
    }
    let errors = findings.filter { $0.severity == .error }.count
    let warnings = findings.filter { $0.severity == .warning }.count
    let infos = findings.filter { $0.severity == .info }.count
    out +=
      "| drafts | errors | warnings | infos |\n|---:|---:|---:|---:|\n| \(draftCount) | \(errors) | \(warnings) | \(infos) |\n\n"
    if !findings.isEmpty {
      out += "| severity | rule | location | message |\n|---|---|---|---|\n"
      for finding in findings.prefix(200) {
        let position = finding.range.map { ":\($0.startPosition.line)" } ?? ""
        out +=
          "| \(finding.severity.rawValue) | \(markdownCode(finding.rule)) | \(markdownCode(finding.path + position)) | \(markdownEscape(finding.message)) |\n"
      }
      if findings.count > 200 { out += "\n…and \(findings.count - 200) more.\n" }
    }
    return out
  }

  /// ASCII punctuation that Markdown, GitHub's extensions or HTML give a meaning to: links and
  /// images (`[`, `]`, `(`, `)`, `!`), HTML and entities (`<`, `>`, `&`), emphasis and strikethrough
  /// (`*`, `_`, `~`), code (`` ` ``), table cells (`|`), math (`$`), issue references (`#`), and
  /// autolinks (`:` of `https:`, `.` of `www.`, `@` of an address). `\` itself, so an escape in the
  /// value cannot cancel ours. Each is written with a backslash, which CommonMark allows before any
  /// ASCII punctuation and renders as the character alone.
  static let markdownSpecials: Set<Unicode.Scalar> = [
    "\\", "`", "*", "_", "[", "]", "(", ")", "!", "<", ">", "&", "|", "~", "$", "#", ":", ".", "@",
  ]

  /// Text quoted from a draft or a policy, as Markdown that renders exactly as that text: controls
  /// and newlines shown as `\u{…}`, every Markdown special escaped, so draft content can make no
  /// image, link, HTML, emphasis or table cell of the step summary.
  static func markdownEscape(_ text: String) -> String {
    var output = ""
    for scalar in text.escapedForDisplay.unicodeScalars {
      if markdownSpecials.contains(scalar) { output += "\\" }
      output.unicodeScalars.append(scalar)
    }
    return output
  }

  /// A path or rule id as a code span, which Markdown shows literally; when the value holds what a
  /// code span cannot (a backtick ends it, `|` ends a table cell even inside it, `\` escapes that
  /// `|`), as escaped text instead.
  static func markdownCode(_ text: String) -> String {
    let shown = text.escapedForDisplay
    if shown.unicodeScalars.contains(where: { $0 == "`" || $0 == "|" || $0 == "\\" }) {
      return markdownEscape(shown)
    }
    return "`" + shown + "`"
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
