import SendlintCore
import SendlintInventory
import SendlintURL

/// `link/split-url`: a URL cut in two by whitespace.
public struct SplitURL: Rule {
  public static let metadata = RuleMetadata(
    id: "link/split-url",
    summary: "A URL is broken by a space or line break, or an href contains whitespace.",
    defaultSeverity: .error,
    whatItDoes: """
      Finds URLs in text parts and in the visible text of HTML whose path clearly continues after a space \
      or a single line break: the URL stops where a path cannot end (`/`, `-`, `=`, `&`…) or the next word \
      starts a path part, and that word looks like a path (`/`, `=`, `_`, `%`, or a `name.ext`) rather \
      than prose — or the joined form is a URL the message links to elsewhere. Also flags `href` values \
      with whitespace inside. A quoted-printable soft line break is not a split (it vanishes in decoding), \
      and a URL wrapped in `<…>` may span lines (RFC 3986 Appendix C).
      """,
    whyIsThisBad: """
      The recipient's client links only the first half; the click lands on a wrong or missing page, and \
      a reader who pastes the pieces together has been taught to assemble URLs from mail — a habit \
      phishing exploits.
      """,
    example: """
      ```
      http://www.microsoft.com/security/ security_bulletins/ms03-026.asp
      ```
      """,
    useInstead: """
      Keep URLs on one line; in plain text wrap long ones in angle brackets:

      ```
      <https://www.microsoft.com/security/security_bulletins/ms03-026.asp>
      ```
      """,
    references: [
      "RFC 3986 Appendix C (delimiting a URI in context)", "RFC 3676 §4 (format=flowed)",
      "RFC 2045 §6.7 rule 5 (quoted-printable soft line breaks)",
    ],
    options: [
      OptionSpec(name: "min_path_chars", kind: .int(1...64), defaultValue: .int(3), help: "The continuation must have at least this many characters."),
      OptionSpec(
        name: "max_text_url_length", kind: .int(0...998), defaultValue: .int(0),
        help: "Flag URLs in text parts longer than this that are not wrapped in <…>, which line-wrapping clients and ESPs break; 0 turns the check off (sendlint:security-notice sets 78)."),
    ],
    examples: [
      RuleExample(
        "the 2003 article link", flagged: true,
        .text("Read the bulletin at http://www.microsoft.com/security/« security_bulletins/ms03-026.asp for details.\n")),
      RuleExample(
        "a line break inside the path", flagged: true,
        .text("Details: https://www.contoso.com/support/kb/«\n2003/ms03-026.html\n")),
      RuleExample(
        "a split in HTML text", flagged: true,
        .html("<p>See http://www.contoso.com/security/« bulletins/ms03-026.asp today.</p>")),
      RuleExample(
        "whitespace inside an href", flagged: true,
        .html(#"<a href="«https://www.contoso.com/a b">Read more</a>"#)),
      RuleExample(
        "a long text URL without angle brackets", flagged: true,
        .text("Read «https://www.contoso.com/security/bulletins/2003/ms03-026/remote-procedure-call-buffer-overrun.asp\n"),
        policy: "rules: { link/split-url: { options: { max_text_url_length: 78 } } }"),
      RuleExample(
        "a URL followed by prose", flagged: false,
        .text("Visit http://www.contoso.com/security/ for details.\nThen restart.\n")),
      RuleExample(
        "a URL in angle brackets across lines", flagged: false,
        .text("Read <https://www.contoso.com/security/\n bulletins/ms03-026.asp> today.\n")),
      RuleExample(
        "a quoted-printable soft line break is not a split", flagged: false,
        .eml("""
          From: Contoso <news@contoso.com>
          Subject: Update
          MIME-Version: 1.0
          Content-Type: text/plain; charset=us-ascii
          Content-Transfer-Encoding: quoted-printable

          Read http://www.contoso.com/security/=
          bulletins/ms03-026.asp today.
          """)),
    ],
    placeholders: ["url", "joined"],
    tags: ["links", "content"])

  let minimumPathCharacters: Int
  let maximumTextURLLength: Int

  public init(options: RuleOptions) {
    minimumPathCharacters = options.int("min_path_chars", default: 3)
    maximumTextURLLength = options.int("max_text_url_length", default: 0)
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    for entry in inventory.textURLs {
      guard let splitRange = entry.splitRange, let split = entry.url.split, let joined = entry.joined else { continue }
      guard split.count >= minimumPathCharacters || inventory.links.contains(where: { $0.href == joined }) else { continue }
      let continuation = String(joined.dropFirst(entry.url.text.count))
      let sameLine = splitRange.startPosition.line == entry.range.endPosition.line
      let range = SourceRange(file: entry.range.file, start: entry.range.end, end: max(entry.range.end, splitRange.end), hasColumn: entry.range.hasColumn)
      hits.append(Hit(
        range: range,
        message: "URL \"\(entry.url.text)\" is broken by \(sameLine ? "a space" : "a line break"); the rest of its path \"\(continuation)\" follows it",
        help: "remove the break so the URL reads \(joined)\(entry.inHTML ? "" : ", or wrap it in angle brackets: <\(entry.url.form == .schemed ? joined : "http://" + joined)>")",
        evidence: joined, placeholders: ["url": entry.url.text, "joined": joined]))
    }
    if maximumTextURLLength > 0 {
      for entry in inventory.textURLs where !entry.inHTML && entry.url.split == nil {
        guard entry.url.form == .schemed || entry.url.form == .www, entry.url.text.count > maximumTextURLLength else { continue }
        hits.append(Hit(
          range: entry.range,
          message: "URL of \(entry.url.text.count) characters in a text part is not wrapped in <…>; clients and ESPs that wrap lines at \(maximumTextURLLength) characters will break it",
          help: "wrap it in angle brackets (<\(entry.url.openable)>) or use a shorter URL on the brand's domain",
          evidence: "long|\(entry.url.text)", placeholders: ["url": entry.url.text]))
      }
    }
    for link in inventory.links where !link.fromText {
      // Browsers strip tabs and newlines from URLs but keep spaces, which break the link.
      let trimmed = String(link.href.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
      guard let space = trimmed.firstIndex(of: " "), link.unresolvedHostTag == nil else { continue }
      let before = trimmed[..<space]
      guard before.contains(":") || before.hasPrefix("www.") else { continue }
      hits.append(Hit(
        range: link.range,
        message: "href \"\(link.href.replacingWhitespace())\" contains whitespace; clients encode or cut it and the link breaks",
        help: "remove the whitespace from the href, or percent-encode a space that belongs in the URL as %20",
        evidence: link.href, placeholders: ["url": link.href]))
    }
    return hits
  }
}

extension String {
  func replacingWhitespace() -> String {
    String(map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
  }
}
