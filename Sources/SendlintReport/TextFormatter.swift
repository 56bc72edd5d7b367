import SendlintCore

/// Compiler-style text: `path:line:col: severity: message [rule]`, the source line with a caret
/// under the offending text, a `help:` line, and a summary.
public struct TextFormatter: Sendable {
  public var color: Bool

  public init(color: Bool) { self.color = color }

  private func paint(_ text: String, _ code: String) -> String {
    color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }

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
    var location = diagnostic.path.escapedForDisplay
    if let position = diagnostic.position { location += ":\(position.line):\(position.column)" }
    var text =
      paint(location, "1") + ": " + label(.error) + ": " + diagnostic.message.escapedForDisplay + " "
      + paint("[\(diagnostic.code.escapedForDisplay)]", "2")
    if let position = diagnostic.position, let line = diagnostic.sourceLine {
      text += "\n" + sourceExcerpt(line: line, lineNumber: position.line, column: position.column, width: 1)
    }
    if let help = diagnostic.help { text += "\n  " + paint("help", "1;32") + ": " + help.escapedForDisplay }
    return text
  }

  public func formatFinding(_ finding: Finding) -> String {
    var location = finding.path.escapedForDisplay
    var excerpt: String?
    if let range = finding.range {
      let start = range.startPosition
      if range.hasColumn {
        location += ":\(start.line):\(start.column)"
        let end = range.endPosition
        let width = end.line == start.line ? max(1, end.column - start.column) : 1
        excerpt = sourceExcerpt(file: range.file, offset: range.start, lineNumber: start.line, width: width)
      } else {
        location += ":\(start.line)"
      }
    }
    var text =
      paint(location, "1") + ": " + label(finding.severity) + ": " + finding.message.escapedForDisplay + " "
      + paint("[\(finding.rule.escapedForDisplay)]", "2")
    if let excerpt { text += "\n" + excerpt }
    if finding.count > 1 {
      // An aggregated finding: its further first locations, and how many more there are.
      let others = finding.locations.dropFirst().map { range -> String in
        let start = range.startPosition
        return range.file.path.escapedForDisplay + ":\(start.line)"
          + (range.hasColumn ? ":\(start.column)" : "")
      }
      let more = finding.count - max(1, finding.locations.count)
      var note = others.isEmpty ? "" : "also at " + others.joined(separator: ", ")
      if more > 0 {
        note +=
          (note.isEmpty ? "and \(Self.grouped(more)) more like it" : " (and \(Self.grouped(more)) more)")
      }
      text += "\n  " + paint("note", "1;36") + ": " + note
    }
    if let help = finding.help { text += "\n  " + paint("help", "1;32") + ": " + help.escapedForDisplay }
    return text
  }

  /// `2995` → `2,995`.
  public static func grouped(_ number: Int) -> String {
    let digits = String(number)
    var out = ""
    for (index, digit) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { out += "," }
      out.append(digit)
    }
    return out
  }

  /// The most columns of a source line an excerpt shows. Single-line HTML puts a whole newsletter
  /// on one line; printing it under each of its thousands of findings made the output quadratic
  /// (147 KB with 4,000 links: 880 MB of text). Longer lines are cut around the caret, with `…`
  /// on each side that was cut.
  public static let excerptMaxColumns = 120
  /// Columns kept before the caret when a line must be cut (more when what follows is short).
  public static let excerptColumnsBefore = 40

  /// The excerpt for a byte offset in a file: reads at most a few hundred bytes around `offset`,
  /// never the whole line, so its cost does not grow with the line's length.
  func sourceExcerpt(file: SourceFile, offset: Int, lineNumber: Int, width: Int) -> String {
    let bytes = file.bytes
    let lineStart = file.lineStarts[lineNumber - 1]
    var lineEnd = lineNumber < file.lineStarts.count ? file.lineStarts[lineNumber] : bytes.count
    while lineEnd > lineStart,
      bytes[lineEnd - 1] == UInt8(ascii: "\n") || bytes[lineEnd - 1] == UInt8(ascii: "\r")
    {
      lineEnd -= 1
    }
    let caret = max(lineStart, min(offset, lineEnd))
    // A scalar is at most four bytes, and an escaped one is wider than one column, so this many
    // bytes on each side hold at least as many columns as the excerpt can show.
    let reach = 4 * Self.excerptMaxColumns
    var left = max(lineStart, caret - reach)
    while left < caret, bytes[left] & 0xC0 == 0x80 { left += 1 }
    var right = min(lineEnd, caret + reach)
    while right > caret, right < lineEnd, bytes[right] & 0xC0 == 0x80 { right -= 1 }
    let before = Array(String(decoding: bytes[left..<caret], as: UTF8.self).unicodeScalars)
    let after = Array(String(decoding: bytes[caret..<right], as: UTF8.self).unicodeScalars)
    return sourceExcerpt(
      lineNumber: lineNumber, before: before, after: after, marked: width, moreLeft: left > lineStart,
      moreRight: right < lineEnd)
  }

  /// The line with its number and a caret (plus tildes for the range's width) under `column`.
  func sourceExcerpt(line: String, lineNumber: Int, column: Int, width: Int) -> String {
    let scalars = Array(line.unicodeScalars)
    let split = max(0, min(column - 1, scalars.count))
    return sourceExcerpt(
      lineNumber: lineNumber, before: Array(scalars[..<split]), after: Array(scalars[split...]),
      marked: width,
      moreLeft: false, moreRight: false)
  }

  /// Lays out an excerpt from the scalars before and after the caret; `marked` scalars from the
  /// caret on get tildes. Every scalar is escaped for display (tabs kept), and the caret line is
  /// built from the same escaped widths, so the caret stays under its character. `moreLeft` and
  /// `moreRight` say the line goes on beyond the scalars given.
  func sourceExcerpt(
    lineNumber: Int, before: [Unicode.Scalar], after: [Unicode.Scalar], marked: Int, moreLeft: Bool,
    moreRight: Bool
  ) -> String {
    func width(_ scalar: Unicode.Scalar) -> Int { DisplayEscaping.displayWidth(scalar, keepingTabs: true) }
    var first = 0
    var last = after.count
    let beforeWidth = before.reduce(0) { $0 + width($1) }
    let afterWidth = after.reduce(0) { $0 + width($1) }
    if moreLeft || moreRight || beforeWidth + afterWidth > Self.excerptMaxColumns {
      var shown = beforeWidth
      let budget = max(Self.excerptColumnsBefore, Self.excerptMaxColumns - afterWidth)
      while shown > budget, first < before.count {
        shown -= width(before[first])
        first += 1
      }
      var used = 0
      last = 0
      while last < after.count, shown + used + width(after[last]) <= Self.excerptMaxColumns {
        used += width(after[last])
        last += 1
      }
    }
    let cutLeft = moreLeft || first > 0
    let cutRight = moreRight || last < after.count
    func shown(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
      var text = ""
      for scalar in scalars {
        if DisplayEscaping.needsEscaping(scalar, keepingTabs: true) {
          text += DisplayEscaping.escape(scalar)
        } else {
          text.unicodeScalars.append(scalar)
        }
      }
      return text
    }
    let line = (cutLeft ? "…" : "") + shown(before[first...]) + shown(after[..<last]) + (cutRight ? "…" : "")
    let gutter = String(lineNumber)
    let pad = String(repeating: " ", count: gutter.count)
    // Keep tabs in the padding so the caret lines up however the terminal renders them.
    var prefix = cutLeft ? " " : ""
    for scalar in before[first...] {
      prefix += scalar == "\t" ? "\t" : String(repeating: " ", count: width(scalar))
    }
    let markedWidth = after[..<min(max(0, marked), last)].reduce(0) { $0 + width($1) }
    let marker = "^" + String(repeating: "~", count: max(0, markedWidth - 1))
    return " \(gutter) | \(line)\n \(pad) | \(prefix)\(paint(marker, "1;32"))"
  }

  public func summary(findings: [Finding], diagnostics: [Diagnostic], draftCount: Int) -> String {
    let errors = findings.filter { $0.severity == .error }.count
    let warnings = findings.filter { $0.severity == .warning }.count
    let infos = findings.filter { $0.severity == .info }.count
    // Aggregated findings stand for more occurrences: say how many, once.
    let occurrences = findings.reduce(0) { $0 + $1.count }
    let repeated = occurrences > findings.count ? "; \(Self.grouped(occurrences)) occurrences" : ""
    let drafts = "\(draftCount) draft\(draftCount == 1 ? "" : "s")"
    if !diagnostics.isEmpty {
      return paint(
        "sendlint stopped: \(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") with its own inputs (policy, manifest or arguments); fix \(diagnostics.count == 1 ? "it" : "them") first",
        "1;31")
        + (findings.isEmpty ? "" : "\n" + counts(errors, warnings, infos) + " in \(drafts)")
    }
    if findings.isEmpty { return paint("✓ no problems in \(drafts)", "1;32") }
    let total = findings.count
    return paint(
      "✖ \(total) problem\(total == 1 ? "" : "s") (\(counts(errors, warnings, infos))\(repeated)) in \(drafts)",
      errors > 0 ? "1;31" : "1;33")
  }

  private func counts(_ errors: Int, _ warnings: Int, _ infos: Int) -> String {
    "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"), \(infos) info\(infos == 1 ? "" : "s")"
  }
}
