import SendlintCore
import SendlintInventory

/// `deliverability/missing-text-part`: HTML-only mail, with no text/plain alternative.
public struct MissingTextPart: Rule {
  public static let metadata = RuleMetadata(
    id: "deliverability/missing-text-part",
    summary: "The message has an HTML body but no text/plain alternative.",
    defaultSeverity: .warning,
    whatItDoes: """
      In an `.eml`: flags a message with a `text/html` body and no `text/plain` body that is not an \
      attachment (RFC 2046 §5.1.4 `multipart/alternative` is how both are sent). In a campaign: flags a \
      manifest that gives `html:` but no `text:` template. Bare templates are not checked: whether a text \
      part goes with them is decided where they are sent.
      """,
    whyIsThisBad: """
      HTML-only mail is a spam signal (rspamd MIME_HTML_ONLY, SpamAssassin MIME_HTML_ONLY); text-only \
      clients, screen-reader and watch users, and readers who turn HTML off see nothing or raw markup.
      """,
    example: "A newsletter sent as a single `Content-Type: text/html` part.",
    useInstead:
      "Send `multipart/alternative` with a `text/plain` part first and the HTML last; in a campaign, add `text: body.txt` to the manifest.",
    references: [
      "RFC 2046 §5.1.4 (multipart/alternative)",
      "rspamd rule MIME_HTML_ONLY; SpamAssassin rule MIME_HTML_ONLY",
      "Gmail email sender guidelines: format messages according to RFC 5322 and the MIME standards",
    ],
    examples: [
      RuleExample(
        "an HTML-only message", flagged: true,
        .eml(
          "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\n«Content-Type: text/html; charset=utf-8\n\n<p>Hello</p>\n"
        )),
      RuleExample(
        "an HTML-only message, base64", flagged: true,
        .eml(
          "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\n«Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\nPHA+SGVsbG88L3A+Cg==\n"
        )),
      RuleExample(
        "a campaign with only an HTML template", flagged: true,
        .campaign(
          manifest: "«campaign: c\ncategory: marketing\nhtml: body.html\n", html: "<p>Hello</p>", text: nil)),
      RuleExample(
        "multipart/alternative with a text part, quoted-printable", flagged: false,
        .eml(
          """
          From: a@contoso.com
          Subject: s
          MIME-Version: 1.0
          Content-Type: multipart/alternative; boundary="b"

          --b
          Content-Type: text/plain; charset=utf-8
          Content-Transfer-Encoding: quoted-printable

          Hello =E2=80=94 spring is here
          --b
          Content-Type: text/html; charset=utf-8

          <p>Hello — spring is here</p>
          --b--

          """)),
      RuleExample(
        "a campaign with both templates", flagged: false,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nhtml: body.html\ntext: body.txt\n",
          html: "<p>Hello</p>", text: "Hello\n")),
    ],
    tags: ["deliverability", "rfc2046"],
    needs: "an .eml or a campaign manifest; bare templates are not checked")

  public init(options: RuleOptions) {}

  /// Whether `part` or a descendant is a body (not an attachment) of `type`.
  static func hasBody(_ part: InventoryPart, _ type: String) -> Bool {
    if part.contentType == type, part.disposition?.lowercased() != "attachment", part.filename == nil {
      return true
    }
    return part.children.contains { hasBody($0, type) }
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    switch inventory.kind {
    case .template:
      return []
    case .campaign:
      guard inventory.htmlBodyCount > 0, inventory.textBodyCount == 0 else { return [] }
      let template = inventory.htmlParts.first.map { $0.locator.file.path } ?? "the HTML template"
      return [
        Hit(
          range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
          message:
            "the campaign sends \"\(template.escapedForDisplay)\" as HTML only: the manifest gives no text template, so there is no text/plain alternative",
          help:
            "write a plain-text version of the mail and add `text: body.txt` to the manifest; if your ESP generates the text part itself, turn deliverability/missing-text-part off for these campaigns",
          evidence: "missing-text-part")
      ]
    case .eml:
      guard let root = inventory.parts, Self.hasBody(root, "text/html"), !Self.hasBody(root, "text/plain")
      else { return [] }
      let contentType = inventory.headers(named: "Content-Type").first
      return [
        Hit(
          range: contentType?.range ?? SourceRange(file: inventory.draftFile, start: 0, end: 0),
          message:
            "the message has an HTML body but no text/plain alternative (Content-Type \"\((contentType?.value ?? "text/html").trimmingWhitespaces.escapedForDisplay)\")",
          help: "send multipart/alternative with a text/plain part before the text/html part",
          evidence: "missing-text-part")
      ]
    }
  }
}
