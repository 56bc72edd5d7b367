import SendlintCore
import SendlintHTML
import SendlintInventory

/// `a11y/low-contrast`: text too faint against its background.
public struct LowContrast: Rule {
  public static let metadata = RuleMetadata(
    id: "a11y/low-contrast",
    summary: "Visible text whose colour against its background is below WCAG's 4.5:1 (3:1 for large text).",
    defaultSeverity: .warning,
    whatItDoes: """
      Computes each visible text run's colour and background through the same cascade `content/hidden-text` \
      uses (`<style>` rules, inline styles, `bgcolor`, `<font color>`, inheritance; a link that sets no \
      colour is drawn in the browser's link blue, `#0000ee`; unset colours are the client default of \
      black on white) and flags runs whose WCAG contrast ratio is below 4.5:1, or 3:1 for large text \
      (24px, or 18.66px bold). Text on a background image, gradient or VML fill is not judged: its \
      background is unknown. Text too faint to see at all is `content/hidden-text`'s. One finding per \
      pair of colours per body, at the first run, counting the others.
      """,
    whyIsThisBad: """
      One reader in twelve men has a colour-vision deficiency, many read on a phone in daylight, and \
      the pale-grey footer idiom (`#999999` on white is 2.85:1) is where the unsubscribe link and the \
      postal address sit. Text below 4.5:1 fails WCAG AA.
      """,
    example: "```html\n<p style=\"color:#999999\">Unsubscribe · Contoso, 1 Main St</p>\n```",
    useInstead:
      "Darken the text (or the background) to reach 4.5:1: `#767676` is the lightest grey that passes on white.",
    references: [
      "WCAG 2.2 SC 1.4.3 Contrast (Minimum), Level AA: 4.5:1, 3:1 for large-scale text",
      "WCAG 2.2 definitions: contrast ratio, relative luminance, large scale (18pt, or 14pt bold)",
    ],
    examples: [
      RuleExample(
        "grey footer text on white", flagged: true,
        .html(##"<p>Hi</p><p style="color:#999999">«Unsubscribe · Contoso</p>"##)),
      RuleExample(
        "white text on a yellow cell", flagged: true,
        .html(
          ##"<table role="presentation"><tr><td bgcolor="#ffcc00"><span style="color:#fff">«Sale ends Friday</span></td></tr></table>"##
        )),
      RuleExample(
        "a default-blue link on navy", flagged: true,
        .html(##"<div style="background-color:#000080"><a href="https://www.contoso.com/">«Shop</a></div>"##)),
      RuleExample(
        "no-break spaces in a coloured cell", flagged: false,
        .html(
          ##"<table role="presentation"><tr><td bgcolor="#86bc25"><span style="color:#ffffff">&nbsp;&#8203; </span></td></tr></table>"##
        )),
      RuleExample(
        "large bold text at 3:1 or more, dark grey body text, text on a picture", flagged: false,
        .html(
          #"""
          <h1 style="color:#949494">Spring is here</h1>
          <p style="color:#595959">Our spring range has landed.</p>
          <td style="background-image:url(https://www.contoso.com/bg.jpg)"><span style="color:#ffffff">Shop</span></td>
          <div style="background:#0067b8"><a href="https://www.contoso.com/" style="color:#ffffff">Shop</a></div>
          """#)),
    ],
    placeholders: ["color", "background"],
    tags: ["accessibility", "checklist"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    for body in inventory.htmlBodies {
      var groups: [String: (run: StyledTextRun, ratio: Double, required: Double, count: Int)] = [:]
      var order: [String] = []
      for run in body.facts.styledRuns {
        guard run.background != "unknown", run.color != "transparent" else { continue }
        let color = run.shownColor
        let background = run.shownBackground
        guard let ratio = run.contrast, ratio >= CSSColor.hiddenContrast else { continue }
        let large = run.fontSize >= 24 || (run.bold && run.fontSize >= 18.66)
        let required = large ? CSSColor.largeTextContrast : CSSColor.textContrast
        guard ratio < required else { continue }
        let key = "\(color)|\(background)|\(required)"
        if let group = groups[key] {
          groups[key]?.count = group.count + 1
        } else {
          groups[key] = (run, ratio, required, 1)
          order.append(key)
        }
      }
      for key in order {
        // Every key in `order` was added to `groups` with it.
        let group = groups[key]!
        let run = group.run
        let color = run.shownColor
        let background = run.shownBackground
        let excerpt = String(run.text.trimmingASCIIWhitespace().prefix(60)).escapedForDisplay
        let more = group.count > 1 ? " (and \(group.count - 1) more runs in these colours)" : ""
        let size = group.required == CSSColor.largeTextContrast ? "large text" : "text"
        var help =
          "make the text or its background darker or lighter until the ratio reaches \(CSSColor.ratioText(group.required)):1"
        if let fixed = Self.nearestPassing(color, on: background, required: group.required) {
          help += ", e.g. color:\(fixed) on \(background)"
        }
        hits.append(
          Hit(
            range: body.locator.range(run.start, run.end),
            message:
              "\(size) \"\(excerpt)\" is \(color) on \(background), contrast \(CSSColor.ratioText(group.ratio)):1, below WCAG 1.4.3's \(CSSColor.ratioText(group.required)):1\(more)",
            help: help, evidence: "contrast|\(key)", placeholders: ["color": color, "background": background])
        )
      }
    }
    return hits
  }

  /// The text colour nearest `color` (scaled towards black on a light background, towards white
  /// on a dark one) that reaches `required` against `background`; nil when none does.
  static func nearestPassing(_ color: String, on background: String, required: Double) -> String? {
    guard let value = Int(color.dropFirst(), radix: 16), let white = CSSColor.contrast(background, "#ffffff"),
      let black = CSSColor.contrast(background, "#000000")
    else { return nil }
    let towardsBlack = black >= white
    let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF]
    for step in 1...20 {
      let t = Double(step) / 20
      let mixed = channels.map { channel -> Int in
        let target = towardsBlack ? 0.0 : 255.0
        return Int((Double(channel) + (target - Double(channel)) * t).rounded())
      }
      let candidate =
        "#"
        + mixed.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        .joined()
      if let ratio = CSSColor.contrast(candidate, background), ratio >= required { return candidate }
    }
    return nil
  }
}
