import SendlintCore
import SendlintInventory

/// `deliverability/missing-preheader`: the inbox preview will show boilerplate, or nothing.
public struct MissingPreheader: Rule {
  /// What mail begins with when no preheader was written: the preview then shows this.
  static let boilerplate = [
    "view in browser", "view in your browser", "view in a browser", "view this email", "view this e-mail",
    "view this message",
    "view online", "view it online", "view as a web page", "view as webpage", "view web version",
    "web version", "open in browser",
    "open in your browser", "having trouble viewing", "trouble viewing", "can't see this", "can’t see this",
    "cannot see this",
    "not displaying", "email not displaying", "if you cannot read", "if you can't read",
    "if you are unable to view", "click here to view",
    "read online", "unsubscribe",
  ]

  public static let metadata = RuleMetadata(
    id: "deliverability/missing-preheader",
    summary:
      "No preheader: the inbox preview will show \"View in browser\"-style boilerplate, or nothing, instead of a summary.",
    defaultSeverity: .info,
    whatItDoes: """
      Inbox lists show the first text of a mail beside its subject. Flags an HTML body that has no \
      preheader — no hidden preview text before the first visible text (the `content/hidden-text` idiom), \
      spacer characters aside — and whose first visible text is empty (the mail opens with images) or \
      starts with boilerplate: "View in browser", "Having trouble viewing", "Unsubscribe" and the like. \
      A mail whose first visible words are a real sentence needs no preheader and is not flagged.
      """,
    whyIsThisBad:
      "The preview line is the second subject line: \"View this email in your browser\" there wastes it, lowers opens, and looks like bulk mail nobody wrote for the reader.",
    example: "```html\n<p><a href=\"{{web_url}}\">View in browser</a></p><img src=\"hero.jpg\">…\n```",
    useInstead: """
      Start the body with a preheader: \
      `<div style="display:none;max-height:0;overflow:hidden">Linen, canvas and straw: spring is here</div>`, \
      or move the web-version link below a first sentence.
      """,
    references: [
      "Litmus, 'The Ultimate Guide to Preview Text' (preheader text support by client)",
      "Campaign Monitor, 'Preheader text' (what inbox previews show)",
    ],
    examples: [
      RuleExample(
        "a mail opening with a web-version link", flagged: true,
        .html(#"<p><a href="https://www.contoso.com/web">«View in browser</a></p><p>Spring is here.</p>"#)),
      RuleExample(
        "a preheader before the web-version link", flagged: false,
        .html(
          #"<div style="display:none;max-height:0;overflow:hidden">Linen, canvas and straw: spring is here</div><p><a href="https://www.contoso.com/web">View in browser</a></p><p>Spring is here.</p>"#
        )),
      RuleExample(
        "a mail opening with a sentence", flagged: false,
        .html("<p>Spring is here: our linen shirts are back in six colours.</p>")),
    ],
    tags: ["deliverability", "content"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.htmlBodyCount > 0 else { return [] }
    if inventory.hiddenText.contains(where: {
      $0.preheader && !$0.text.unicodeScalars.allSatisfy(HiddenText.isSpacer)
    }) {
      return []
    }
    guard let body = VisibleWords.texts(inventory, html: true).first else { return [] }
    let bytes = body.bytes
    var start = 0
    while start < bytes.count {
      // Skip blanks and the spacer characters (UTF-8 of U+00A0, U+200C, …) some templates open with.
      let scalarEnd = Self.scalarEnd(bytes, start)
      let scalar = String(decoding: bytes[start..<scalarEnd], as: UTF8.self).unicodeScalars.first
      guard let scalar, HiddenText.isSpacer(scalar) else { break }
      start = scalarEnd
    }
    let opening = String(decoding: bytes[start..<min(bytes.count, start + 200)], as: UTF8.self)
    // ASCII text is lowercased and split on its bytes (its whitespace Characters are those bytes
    // and CR LF); other text by Character.
    let lowered =
      opening.utf8.isAllASCII
      ? String(
        wordsOf: String(asciiLowercasing: opening.utf8).utf8, separatedBy: \.isASCIIWhiteSpaceCharacter)
      : opening.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    if start >= bytes.count {
      let range =
        inventory.images.first(where: { !$0.addedByOpenTracking })?.range ?? body.locator.range(0, 0)
      return [
        Hit(
          range: range,
          message:
            "the HTML shows no text before its images and has no preheader: the inbox preview will be empty or show image file names",
          help:
            "start the body with a preheader: a hidden <div style=\"display:none;max-height:0;overflow:hidden\"> holding a one-line summary",
          evidence: "no-text")
      ]
    }
    let head = lowered.prefix(60)
    guard let phrase = Self.boilerplate.first(where: { lowered.hasPrefix($0) || head.containsBytes($0) })
    else {
      return []
    }
    let shown = String(opening.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(60))
    return [
      Hit(
        range: body.locator.range(start, start + 1),
        message:
          "the mail has no preheader and its first visible text is \"\(shown.escapedForDisplay)\": inbox previews will show \"\(phrase)\" boilerplate instead of a summary",
        help:
          "add a preheader before it: a hidden <div style=\"display:none;max-height:0;overflow:hidden\"> holding a one-line summary of the mail",
        evidence: "boilerplate|\(phrase)")
    ]
  }

  /// The end of the UTF-8 scalar starting at `index`.
  static func scalarEnd(_ bytes: [UInt8], _ index: Int) -> Int {
    var end = index + 1
    while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
    return end
  }
}
