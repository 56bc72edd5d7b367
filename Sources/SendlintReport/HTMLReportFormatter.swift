import SendlintCore
import SendlintEngine

/// `--format html`: one self-contained page a reviewer opens offline. Each draft's message is shown
/// as received, inert, in `<iframe srcdoc sandbox="allow-same-origin">` (no scripts, forms, popups
/// or navigation), its findings listed beside it and pinned to the elements they concern, with the
/// headers, the Received path and the attachments. The page's CSP allows only its own script (by
/// hash) and `data:` images, so opening the report requests nothing from anyone. Every value from
/// a draft is escaped (`HTMLEscaping`) after display escaping (`escapedForDisplay`).
public enum HTMLReportFormatter {
  /// The page's Content-Security-Policy, with the script's hash. Styles are `'unsafe-inline'`: the
  /// srcdoc frame inherits this policy, and a message's own inline styles must apply in it.
  public static var contentSecurityPolicy: String {
    "default-src 'none'; script-src 'sha256-\(SHA256.base64(Array(HTMLReportAssets.script.utf8)))'; style-src 'unsafe-inline'; "
      + "img-src data:; frame-src 'self' about:; base-uri 'none'; form-action 'none'"
  }

  public static func format(
    findings: [Finding], diagnostics: [Diagnostic], previews: [DraftPreview], draftCount: Int,
    toolVersion: String
  ) -> String {
    func e(_ value: String) -> String { HTMLEscaping.text(value.escapedForDisplay) }
    var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    page +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLEscaping.attribute(contentSecurityPolicy))\">\n"
    page +=
      "<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    page +=
      "<title>sendlint report: \(draftCount) draft\(draftCount == 1 ? "" : "s")</title>\n<style>\(HTMLReportAssets.style)</style>\n</head>\n<body>\n"
    let errors = findings.filter { $0.severity == .error }.count
    let warnings = findings.filter { $0.severity == .warning }.count
    let infos = findings.filter { $0.severity == .info }.count
    page +=
      "<header class=\"page\"><h1>sendlint report</h1><p class=\"counts\"><span>\(draftCount) draft\(draftCount == 1 ? "" : "s")</span>"
    page +=
      "<span class=\"count-error\">\(errors) error\(errors == 1 ? "" : "s")</span><span class=\"count-warning\">\(warnings) warning\(warnings == 1 ? "" : "s")</span>"
    page +=
      "<span class=\"count-info\">\(infos) info\(infos == 1 ? "" : "s")</span><span>\(diagnostics.count) diagnostic\(diagnostics.count == 1 ? "" : "s")</span></p>"
    page +=
      "<p class=\"keys\">Findings: Tab to reach the list, then j / k or the arrow keys to move; Enter or a click pins a finding on the message.</p></header>\n"
    if previews.count > 1 {
      page += "<nav class=\"drafts\" aria-label=\"Drafts\"><ul>"
      for (number, preview) in previews.enumerated() {
        page += "<li><a href=\"#draft-\(number + 1)\">\(e(preview.draftPath))</a></li>"
      }
      page += "</ul></nav>\n"
    }
    page += "<main>\n"
    if !diagnostics.isEmpty {
      page +=
        "<section class=\"draft\" aria-labelledby=\"diagnostics\"><h2 id=\"diagnostics\">Problems with sendlint's inputs (exit 2)</h2><ul class=\"diagnostics\">"
      for diagnostic in diagnostics {
        let position = diagnostic.position.map { ":\($0.line):\($0.column)" } ?? ""
        page +=
          "<li>\(e(diagnostic.path))\(position): \(e(diagnostic.message)) [\(e(diagnostic.code))]"
          + (diagnostic.help.map { "<br>help: \(e($0))" } ?? "") + "</li>"
      }
      page += "</ul></section>\n"
    }
    var shown = Set<Int>()
    for (number, preview) in previews.enumerated() {
      page += draftSection(preview, number: number + 1, findings: findings, escape: e)
      shown.formUnion(preview.findings.map(\.index))
    }
    let rest = findings.indices.filter { !shown.contains($0) }
    if !rest.isEmpty {
      page +=
        "<section class=\"draft\" aria-labelledby=\"other-findings\"><h2 id=\"other-findings\">Other findings</h2><aside aria-label=\"Other findings\"><ol class=\"finding-list\">"
      for index in rest {
        page += findingItem(index, findings[index], pinnedIn: nil, link: nil, frame: nil, escape: e)
      }
      page += "</ol></aside></section>\n"
    }
    page +=
      "</main>\n<footer class=\"page\">Generated offline by sendlint \(e(toolVersion)). Nothing in this page loads from the network: remote images are placeholders, links are inert.</footer>\n"
    page += "<script>\(HTMLReportAssets.script)</script>\n</body>\n</html>\n"
    return page
  }

  static func draftSection(
    _ preview: DraftPreview, number: Int, findings: [Finding], escape e: (String) -> String
  ) -> String {
    let frame = "frame-\(number)"
    var html = "<section class=\"draft\" id=\"draft-\(number)\" aria-labelledby=\"draft-\(number)-title\">\n"
    html += "<h2 id=\"draft-\(number)-title\">\(e(preview.draftPath))</h2>"
    html +=
      "<p class=\"meta\">\(e(preview.kind)) · category: \(e(preview.category ?? "none")) · policy: \(e(preview.policy)) · \(preview.findings.count) finding\(preview.findings.count == 1 ? "" : "s")</p>\n"
    html +=
      "<div class=\"layout\">\n<aside class=\"findings\" aria-label=\"Findings of \(HTMLEscaping.attribute(preview.draftPath.escapedForDisplay))\"><h3>Findings</h3>"
    if preview.findings.isEmpty { html += "<p>No findings.</p>" }
    html += "<ol class=\"finding-list\">"
    for (index, pinnedIn) in preview.findings {
      html += findingItem(
        index, findings[index], pinnedIn: pinnedIn, link: preview.links[index], frame: frame, escape: e)
    }
    html += "</ol></aside>\n<div class=\"preview\"><h3>The message as received</h3>"
    if let document = preview.document {
      html +=
        "<iframe class=\"message\" id=\"\(frame)\" title=\"Message as received: \(HTMLEscaping.attribute(preview.draftPath.escapedForDisplay))\" "
      html +=
        "sandbox=\"allow-same-origin\" referrerpolicy=\"no-referrer\" data-frame-style=\"\(HTMLEscaping.attribute(HTMLReportAssets.frameStyle))\" "
      html += "srcdoc=\"\(HTMLEscaping.attribute(document))\"></iframe>"
    }
    if let text = preview.textDocument {
      html +=
        "<h3>Text alternative</h3><iframe class=\"message text\" id=\"\(frame)-text\" title=\"Text part as received: \(HTMLEscaping.attribute(preview.draftPath.escapedForDisplay))\" "
      html +=
        "sandbox=\"allow-same-origin\" referrerpolicy=\"no-referrer\" data-frame-style=\"\(HTMLEscaping.attribute(HTMLReportAssets.frameStyle))\" "
      html += "srcdoc=\"\(HTMLEscaping.attribute(text))\"></iframe>"
    }
    if !preview.notes.isEmpty {
      html += "<ul class=\"notes\">" + preview.notes.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
    }
    html += "</div>\n<aside class=\"headers\" aria-label=\"Headers and attachments\"><h3>Headers</h3>"
    if preview.headers.isEmpty {
      html += "<p>No headers (a bare template).</p>"
    } else {
      html += "<table class=\"headers\"><tbody>"
      for field in preview.headers {
        html +=
          "<tr\(target(field.findings))><th scope=\"row\">\(e(field.name))</th><td>\(e(field.value))</td></tr>"
      }
      html += "</tbody></table>"
    }
    html += "<h3>Received path</h3>"
    if preview.hops.isEmpty {
      html += "<p>No Received fields (not sent yet).</p>"
    } else {
      html += "<ol class=\"hops\">"
      for hop in preview.hops {
        html += "<li\(target(hop.findings))\(hop.isSendingHop ? " class=\"hop-sending\"" : "")>"
        if let ip = hop.ip {
          html +=
            "\(hop.isSendingHop ? "sending IP " : "from ")\(e(ip)) — \(e(hop.owner ?? "owner unknown"))<br>"
        }
        html += "<span class=\"where\">\(e(String(hop.text.prefix(300))))</span></li>"
      }
      html += "</ol>"
    }
    html += "<h3>Attachments</h3>"
    if preview.attachments.isEmpty {
      html += "<p>None.</p>"
    } else {
      html += "<ul>"
      for attachment in preview.attachments {
        html +=
          "<li\(target(attachment.findings))>\(e(attachment.filename)) (\(e(attachment.contentType)), \(attachment.size) bytes encoded)"
        if !attachment.archiveEntries.isEmpty {
          html +=
            "<br><span class=\"where\">contains: \(e(attachment.archiveEntries.prefix(20).joined(separator: ", ")))\(attachment.archiveEntries.count > 20 ? " …" : "")</span>"
        }
        html += "</li>"
      }
      html += "</ul>"
    }
    html += "<h3>Summary</h3><p>"
    for severity in [Severity.error, .warning, .info] {
      let count = preview.findings.filter { findings[$0.index].severity == severity }.count
      html +=
        "<span class=\"count-\(severity.rawValue)\">\(count) \(severity.rawValue)\(count == 1 ? "" : "s")</span> "
    }
    html += "</p><p>Policy: \(e(preview.policy))</p></aside>\n</div>\n</section>\n"
    return html
  }

  static func target(_ indexes: [Int]) -> String {
    indexes.isEmpty ? "" : " data-finding-target=\"\(indexes.map { String($0 + 1) }.joined(separator: " "))\""
  }

  static func findingItem(
    _ index: Int, _ finding: Finding, pinnedIn: String?, link: DraftPreview.LinkDetail?, frame: String?,
    escape e: (String) -> String
  ) -> String {
    let number = index + 1
    let severity = finding.severity.rawValue
    var location = finding.path
    if let range = finding.range {
      let start = range.startPosition
      location += ":\(start.line)" + (range.hasColumn ? ":\(start.column)" : "")
    }
    var html =
      "<li><button type=\"button\" class=\"finding sev-\(severity)\" data-finding=\"\(number)\" data-severity=\"\(severity)\""
    if let frame { html += " data-frame=\"\(frame) \(frame)-text\"" }
    html +=
      " aria-pressed=\"false\" aria-controls=\"detail-\(number)\"><span class=\"sev\">\(severity)</span> <span class=\"rule\">\(e(finding.rule))</span><br>"
    html +=
      "\(e(finding.message))<br><span class=\"where\">\(e(location))\(pinnedIn.map { " · shown in the \($0 == "body" ? "message" : $0)" } ?? " · not shown in the preview")</span></button>"
    html += "<div class=\"detail\" id=\"detail-\(number)\" hidden><dl>"
    html += "<dt>message</dt><dd>\(e(finding.message))</dd>"
    if let help = finding.help { html += "<dt>fix</dt><dd>\(e(help))</dd>" }
    if let link {
      html += "<dt>shown text</dt><dd>\(e(link.shownText.isEmpty ? "(none)" : link.shownText))</dd>"
      html += "<dt>real destination</dt><dd>\(e(link.href))</dd>"
      if let delivered = link.delivered { html += "<dt>after send-time rewrite</dt><dd>\(e(delivered))</dd>" }
      for target in link.embeddedTargets { html += "<dt>redirect target</dt><dd>\(e(target))</dd>" }
    }
    html += "<dt>location</dt><dd>\(e(location))</dd></dl>"
    if let range = finding.range {
      let start = range.startPosition
      let line = range.file.lineText(start.line)
      if !line.isEmpty {
        let excerpt = String(line.prefix(400))
        let caret =
          range.hasColumn && start.column - 1 <= 400
          ? "\n"
            + String(
              repeating: " ",
              count: max(0, String(line.prefix(max(0, start.column - 1))).escapedForDisplay.count)) + "^" : ""
        html +=
          "<pre class=\"excerpt\" aria-label=\"source excerpt\">\(start.line) | \(e(excerpt))\(caret.isEmpty ? "" : "\n" + String(repeating: " ", count: "\(start.line) | ".count) + caret.dropFirst())</pre>"
      }
    }
    html += "</div></li>"
    return html
  }
}
