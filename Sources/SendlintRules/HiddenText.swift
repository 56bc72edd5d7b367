import SendlintCore
import SendlintInventory

/// `content/hidden-text`: text CSS hides from the recipient, beyond a preheader.
public struct HiddenText: Rule {
  public static let metadata = RuleMetadata(
    id: "content/hidden-text",
    summary: "Text is hidden by CSS (display:none, zero size, off-screen, …) beyond a preheader.",
    defaultSeverity: .warning,
    whatItDoes: """
      Flags text that inline CSS or the `hidden` attribute hides (display:none, visibility:hidden, \
      opacity:0, font-size:0, zero height with overflow:hidden, off-screen positions, clip:rect(0 0 0 0) \
      on an absolute box, transform:scale(0), color:transparent, and text whose contrast with its \
      background is below 1.25:1), as `<style>` rules and inline styles cascade (`!important` included). \
      The preheader idiom — the first hidden text, before any visible text, shown as the inbox preview — \
      is not flagged.
      """,
    whyIsThisBad:
      "Hidden text is how spam pads mail to fool content filters (\"hidden text salting\"), and filters penalise it; readers cannot see what the filter reads.",
    example: "```html\n<div style=\"font-size:0\">free money winner</div>\n```",
    useInstead:
      "Delete text nobody should read; keep a single preheader at the top if you want an inbox preview.",
    references: [
      "Cisco Talos, 'Hidden text salting in email' (2025)",
      "SpamAssassin rules HTML_FONT_SIZE_TINY, HIDDEN_TEXT",
    ],
    examples: [
      RuleExample(
        "hidden text mid-body", flagged: true,
        .html(#"<p>Hello</p><div style="font-size:0">«keywords keywords</div>"#)),
      RuleExample(
        "a preheader", flagged: false,
        .html(#"<div style="display:none;max-height:0;overflow:hidden">Spring is here</div><p>Hello</p>"#)),
      RuleExample(
        "text hidden by a <style> rule", flagged: true,
        .html("<style>.seo { display: none }</style><p>Hello</p><p class=\"seo\">«cheap watches</p>")),
      RuleExample(
        "white text on a white background", flagged: true,
        .html(
          ##"<p>Hello</p><table bgcolor="#FFFFFF"><tr><td><span style="color:#fff">«free prize winner</span></td></tr></table>"##
        )),
      RuleExample(
        "an !important <style> rule over an inline style", flagged: true,
        .html(
          "<style>.seo { display: none !important }</style><p>Hello</p><p class=\"seo\" style=\"display:block\">«cheap watches</p>"
        )),
      RuleExample(
        "text clipped to nothing", flagged: true,
        .html(#"<p>Hello</p><span style="position:absolute;clip:rect(0 0 0 0)">«cheap watches</span>"#)),
      RuleExample(
        "text nearly the colour of its background", flagged: true,
        .html(
          ##"<p>Hello</p><div style="background:#ffffff"><span style="color:#fdfdfd">«cheap watches</span></div>"##
        )),
      RuleExample(
        "pale but readable fine print", flagged: false,
        .html(
          ##"<div style="background:#ffffff"><p>Hello</p><p style="color:#999999">You receive this because you subscribed.</p></div>"##
        )),
      RuleExample(
        "a mobile variant revealed by a media query", flagged: false,
        .html(
          "<style>@media (max-width: 600px) { .mobile { display: block !important } }</style><p>Hello</p><div class=\"mobile\" style=\"display:none\">Tap to read</div>"
        )),
      RuleExample(
        "font-size:0 layout containers with sized children", flagged: false,
        .html(
          #"<p>Hello</p><div style="font-size:0"><span style="font-size:14px">Column one</span><span style="font-size:14px">Column two</span></div>"#
        )),
    ],
    placeholders: ["text"],
    tags: ["content", "spam"])

  public init(options: RuleOptions) {}

  /// Spacer characters preheaders pad with (&zwnj;, &shy;, &nbsp;, CGJ…): no text to hide.
  /// ASCII answers without the Unicode property tables: its White_Space scalars are TAB…CR and SPACE.
  static func isSpacer(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 { return UInt8(value).isASCIIWhiteSpaceCharacter }
    switch value {
    case 0x00A0, 0x00AD, 0x034F, 0x200B, 0x200C, 0x200D, 0x2007, 0xFEFF: return true
    default: return scalar.properties.isWhitespace
    }
  }

  /// The words of `text` joined by single spaces: `split(whereSeparator: \.isWhitespace)`. ASCII
  /// text is split on its bytes: its whitespace Characters are TAB…CR, SPACE and CR LF, and every
  /// other Character is one byte, so the words are the same.
  static func snippet(_ text: String) -> String {
    let utf8 = text.utf8
    guard utf8.isAllASCII else {
      return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
    return String(wordsOf: utf8, separatedBy: \.isASCIIWhiteSpaceCharacter)
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    // mso-hide:all hides an alternative from Outlook only (the bulletproof-button idiom).
    inventory.hiddenText.filter { run in
      !run.preheader && !run.reason.hasPrefix("mso-hide")
        && !run.text.unicodeScalars.allSatisfy(Self.isSpacer)
    }.map { run in
      let snippet = Self.snippet(run.text)
      let shown = snippet.count > 60 ? String(snippet.prefix(60)) + "…" : snippet
      // Point at the first non-blank character of the run.
      let leading = run.text.utf8.prefix { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }.count
      let range = SourceRange(
        file: run.range.file, start: run.range.start + leading, end: run.range.end,
        hasColumn: run.range.hasColumn)
      return Hit(
        range: range, message: "text \"\(shown)\" is hidden (\(run.reason))",
        help: "remove the hidden text, or make it visible", evidence: snippet, placeholders: ["text": shown])
    }
  }
}
