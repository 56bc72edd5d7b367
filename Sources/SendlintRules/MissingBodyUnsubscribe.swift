import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `bulk/missing-body-unsubscribe`: a visible unsubscribe link in the body.
public struct MissingBodyUnsubscribe: Rule {
  /// Unsubscribe wording in the languages of the corpora and the major markets (stems).
  static let words = [
    "unsubscribe", "opt-out", "opt out", "optout", "manage preferences", "email preferences",
    "manage your subscription",
    "abmeld", "abzumelden", "abbestell", "austragen", "auszutragen", "abonnement verwalten", "désabonn",
    "desabonn",
    "désinscri", "desinscri", "darse de baja", "dar de baja", "cancelar suscrip", "afmelden", "uitschrijven",
    "annulla iscrizione", "disiscri", "cancella iscrizione", "avregistrer", "odhlásit",
  ]

  public static let metadata = RuleMetadata(
    id: "bulk/missing-body-unsubscribe",
    summary: "Marketing mail has no visible unsubscribe link in its body.",
    defaultSeverity: .off,
    categorySeverities: ["marketing": .error],
    whatItDoes:
      "Looks for a link whose visible text or URL mentions unsubscribing (in several languages) in the HTML or text body of marketing drafts; a link hidden by CSS does not count.",
    whyIsThisBad:
      "CAN-SPAM and CASL require a clear, working opt-out in the message itself; header-only unsubscribe is invisible in many clients.",
    example: "A newsletter whose footer has no unsubscribe link.",
    useInstead:
      "A visible footer link: `<a href=\"https://www.contoso.com/unsubscribe?u=…\">Unsubscribe</a>`.",
    references: [
      "CAN-SPAM Act, 15 U.S.C. §7704(a)(3) and (a)(5)(A)(ii)", "CASL (S.C. 2010, c. 23) §6(2)(c) and §11",
      "FTC, CAN-SPAM Act: A Compliance Guide for Business",
    ],
    examples: [
      RuleExample(
        "no link", flagged: true,
        .campaign(
          manifest: "«campaign: c\ncategory: marketing\nhtml: body.html\n", html: "<p>News</p>", text: nil)),
      RuleExample(
        "a footer link hidden by CSS", flagged: true,
        .campaign(
          manifest: "«campaign: c\ncategory: marketing\nhtml: body.html\n",
          html: #"<p>News</p><a href="https://www.contoso.com/u?x=1" style="display:none">Unsubscribe</a>"#,
          text: nil)),
      RuleExample(
        "a visible link beside a hidden copy", flagged: false,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nhtml: body.html\n",
          html:
            #"<div style="display:none"><a href="https://www.contoso.com/u?x=1">Unsubscribe</a></div><p>News</p><a href="https://www.contoso.com/u?x=1">Unsubscribe</a>"#,
          text: nil)),
      RuleExample(
        "a footer link", flagged: false,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nhtml: body.html\n",
          html: #"<p>News</p><a href="https://www.contoso.com/u?x=1">Unsubscribe</a>"#, text: nil)),
      RuleExample(
        "wording beside a \"here\" link", flagged: false,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nhtml: body.html\n",
          html:
            #"<p>Um sich vom Newsletter abzumelden, klicken Sie <a href="https://www.contoso.com/x?y=1">hier</a>.</p>"#,
          text: nil)),
    ],
    tags: ["can-spam", "unsubscribe"],
    needs: "an HTML or text body; marketing category")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.htmlBodyCount + inventory.textBodyCount > 0 else { return [] }
    // "Um sich abzumelden, klicken Sie hier": the wording may sit next to a link saying "here";
    // a link within a few hundred source bytes after the wording counts.
    var wordingOffsets: [(file: SourceFile, offset: Int)] = []
    for entry in inventory.visibleTexts where entry.inHTML {
      let lowered = entry.bytes.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
      for word in Self.words {
        var from = 0
        let pattern = Array(word.utf8)
        while let found = lowered[from...].firstRange(of: pattern) {
          wordingOffsets.append((entry.locator.file, entry.locator.offset(found.lowerBound).offset))
          from = found.upperBound
          if wordingOffsets.count > 64 { break }
        }
      }
    }
    // A link hidden by CSS is no opt-out: the recipient cannot see it (and clients that ignore
    // the CSS are not the ones the law asks about).
    func mentionsUnsubscribing(_ link: Link) -> Bool {
      let text = (link.text + " " + link.hiddenText + " " + link.href).lowercased()
      return Self.words.contains(where: { text.contains($0) }) || text.contains("unsub")
    }
    let found =
      inventory.links.contains { link in
        guard !link.hidden else { return false }
        if mentionsUnsubscribing(link) { return true }
        return wordingOffsets.contains {
          $0.file == link.range.file && abs(link.range.start - $0.offset) < 400
        }
      }
      || inventory.visibleTexts.contains { entry in
        // Text parts: "Unsubscribe: https://…" on one line (ASCII-lowercased bytes, line by line).
        guard !entry.inHTML else { return false }
        let patterns = Self.words.map { Array($0.utf8) }
        var lineStart = entry.bytes.startIndex
        while lineStart < entry.bytes.endIndex {
          let lineEnd = entry.bytes[lineStart...].firstIndex(of: 0x0A) ?? entry.bytes.endIndex
          let line = entry.bytes[lineStart..<lineEnd].map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
          if line.firstByteRange(of: Array("http".utf8)) != nil,
            patterns.contains(where: { line.firstByteRange(of: $0) != nil })
          {
            return true
          }
          lineStart = lineEnd + 1
        }
        return false
      }
    guard !found else { return [] }
    if let hidden = inventory.links.first(where: { $0.hidden && mentionsUnsubscribing($0) }) {
      let position = hidden.range.startPosition
      return [
        Hit(
          range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
          message:
            "marketing mail has no visible unsubscribe link: the one at \(hidden.range.file.path):\(position.line) (\"\(hidden.href)\") is hidden by CSS",
          help:
            "remove the CSS that hides the unsubscribe link, or add a visible one to the footer of every body",
          evidence: "none")
      ]
    }
    return [
      Hit(
        range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
        message: "marketing mail has no visible unsubscribe link",
        help: "add a visible unsubscribe link to the footer of every body", evidence: "none")
    ]
  }
}
