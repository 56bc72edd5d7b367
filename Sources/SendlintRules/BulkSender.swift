import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `bulk/missing-list-unsubscribe`: marketing mail needs an RFC 2369 List-Unsubscribe with https.
public struct MissingListUnsubscribe: Rule {
  public static let metadata = RuleMetadata(
    id: "bulk/missing-list-unsubscribe",
    summary: "Marketing mail has no List-Unsubscribe field with an https URI.",
    defaultSeverity: .off,
    categorySeverities: ["marketing": .error],
    whatItDoes: "Checks that marketing drafts carry `List-Unsubscribe` (RFC 2369) with at least one `<https://…>` URI; a `mailto:`-only field is flagged too.",
    whyIsThisBad: """
      Gmail and Yahoo require bulk senders to support one-click unsubscribe since February 2024, and \
      Microsoft since May 2025; without it the mail is throttled or filtered, and people press \
      "report spam" instead.
      """,
    example: "A newsletter without a `List-Unsubscribe` field.",
    useInstead: "`List-Unsubscribe: <https://www.contoso.com/unsubscribe?u=…>, <mailto:unsub@contoso.com>`",
    references: [
      "RFC 2369 §3.2 (List-Unsubscribe)", "Gmail email sender guidelines (support.google.com/a/answer/81126)",
      "Yahoo sender requirements (senders.yahooinc.com/best-practices)",
      "Microsoft Outlook requirements for high-volume senders (techcommunity.microsoft.com, April 2025)",
    ],
    examples: [
      RuleExample("no field", flagged: true, .campaign(manifest: "«campaign: c\ncategory: marketing\ntext: body.txt\n", html: nil, text: "News.\n")),
      RuleExample(
        "mailto only", flagged: true,
        .campaign(manifest: "campaign: c\ncategory: marketing\ntext: body.txt\nheaders:\n  List-Unsubscribe: «\"<mailto:unsub@contoso.com>\"\n", html: nil, text: "News.\n")),
      RuleExample(
        "an https URI", flagged: false,
        .campaign(manifest: "campaign: c\ncategory: marketing\ntext: body.txt\nheaders:\n  List-Unsubscribe: \"<https://www.contoso.com/u?x=1>\"\n", html: nil, text: "News.\n")),
    ],
    tags: ["bulk-sender", "unsubscribe"],
    needs: "headers (an .eml or a manifest); marketing category")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.hasHeaders else { return [] }
    let fields = inventory.headers(named: "List-Unsubscribe")
    guard let field = fields.first else {
      return [Hit(range: SourceRange(file: inventory.draftFile, start: 0, end: 0), message: "marketing mail has no List-Unsubscribe field", help: "add List-Unsubscribe: <https://…> (and List-Unsubscribe-Post for one-click)", evidence: "none")]
    }
    let uris = BulkURIs.uris(in: field.value)
    if !uris.contains(where: { $0.lowercased().hasPrefix("https://") }) {
      return [Hit(range: field.range, message: "List-Unsubscribe \(field.value) has no https URI", help: "add an <https://…> URI that unsubscribes in one request", evidence: field.value)]
    }
    return []
  }
}

/// `bulk/missing-one-click`: RFC 8058 one-click unsubscribe.
public struct MissingOneClick: Rule {
  public static let metadata = RuleMetadata(
    id: "bulk/missing-one-click",
    summary: "Marketing mail lacks RFC 8058 one-click unsubscribe (List-Unsubscribe-Post).",
    defaultSeverity: .off,
    categorySeverities: ["marketing": .error],
    whatItDoes: "Checks for `List-Unsubscribe-Post: List-Unsubscribe=One-Click` alongside an https List-Unsubscribe URI (RFC 8058 §3.1).",
    whyIsThisBad: "Gmail and Yahoo show their unsubscribe button only for one-click senders and require it of bulk senders; without it people mark the mail as spam.",
    example: "`List-Unsubscribe: <https://…>` without `List-Unsubscribe-Post`.",
    useInstead: "`List-Unsubscribe-Post: List-Unsubscribe=One-Click` (and sign both fields with DKIM).",
    references: ["RFC 8058 §3.1", "Gmail email sender guidelines (one-click unsubscribe)", "Yahoo sender requirements"],
    examples: [
      RuleExample(
        "no List-Unsubscribe-Post", flagged: true,
        .campaign(manifest: "«campaign: c\ncategory: marketing\ntext: body.txt\nheaders:\n  List-Unsubscribe: \"<https://www.contoso.com/u>\"\n", html: nil, text: "x\n")),
      RuleExample(
        "one-click", flagged: false,
        .campaign(manifest: "campaign: c\ncategory: marketing\ntext: body.txt\nheaders:\n  List-Unsubscribe: \"<https://www.contoso.com/u>\"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n", html: nil, text: "x\n")),
    ],
    tags: ["bulk-sender", "unsubscribe"],
    needs: "headers (an .eml or a manifest); marketing category")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.hasHeaders else { return [] }
    if let post = inventory.headers(named: "List-Unsubscribe-Post").first {
      let value = post.value.replacingOccurrences(of: " ", with: "")
      if value.caseInsensitiveEquals("List-Unsubscribe=One-Click") { return [] }
      return [Hit(range: post.range, message: "List-Unsubscribe-Post is \"\(post.value)\", not \"List-Unsubscribe=One-Click\"", help: "write List-Unsubscribe-Post: List-Unsubscribe=One-Click", evidence: post.value)]
    }
    return [Hit(range: SourceRange(file: inventory.draftFile, start: 0, end: 0), message: "marketing mail has no List-Unsubscribe-Post field for one-click unsubscribe (RFC 8058)", help: "add List-Unsubscribe-Post: List-Unsubscribe=One-Click with an https List-Unsubscribe URI", evidence: "none")]
  }
}

/// `bulk/missing-body-unsubscribe`: a visible unsubscribe link in the body.
public struct MissingBodyUnsubscribe: Rule {
  /// Unsubscribe wording in the languages of the corpora and the major markets (stems).
  static let words = [
    "unsubscribe", "opt-out", "opt out", "optout", "manage preferences", "email preferences", "manage your subscription",
    "abmeld", "abzumelden", "abbestell", "austragen", "auszutragen", "abonnement verwalten", "désabonn", "desabonn",
    "désinscri", "desinscri", "darse de baja", "dar de baja", "cancelar suscrip", "afmelden", "uitschrijven",
    "annulla iscrizione", "disiscri", "cancella iscrizione", "avregistrer", "odhlásit",
  ]

  public static let metadata = RuleMetadata(
    id: "bulk/missing-body-unsubscribe",
    summary: "Marketing mail has no visible unsubscribe link in its body.",
    defaultSeverity: .off,
    categorySeverities: ["marketing": .error],
    whatItDoes: "Looks for a link whose visible text or URL mentions unsubscribing (in several languages) in the HTML or text body of marketing drafts; a link hidden by CSS does not count.",
    whyIsThisBad: "CAN-SPAM and CASL require a clear, working opt-out in the message itself; header-only unsubscribe is invisible in many clients.",
    example: "A newsletter whose footer has no unsubscribe link.",
    useInstead: "A visible footer link: `<a href=\"https://www.contoso.com/unsubscribe?u=…\">Unsubscribe</a>`.",
    references: ["CAN-SPAM Act, 15 U.S.C. §7704(a)(3) and (a)(5)(A)(ii)", "CASL (S.C. 2010, c. 23) §6(2)(c) and §11", "FTC, CAN-SPAM Act: A Compliance Guide for Business"],
    examples: [
      RuleExample("no link", flagged: true, .campaign(manifest: "«campaign: c\ncategory: marketing\nhtml: body.html\n", html: "<p>News</p>", text: nil)),
      RuleExample(
        "a footer link hidden by CSS", flagged: true,
        .campaign(
          manifest: "«campaign: c\ncategory: marketing\nhtml: body.html\n",
          html: #"<p>News</p><a href="https://www.contoso.com/u?x=1" style="display:none">Unsubscribe</a>"#, text: nil)),
      RuleExample(
        "a visible link beside a hidden copy", flagged: false,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nhtml: body.html\n",
          html: #"<div style="display:none"><a href="https://www.contoso.com/u?x=1">Unsubscribe</a></div><p>News</p><a href="https://www.contoso.com/u?x=1">Unsubscribe</a>"#, text: nil)),
      RuleExample("a footer link", flagged: false, .campaign(manifest: "campaign: c\ncategory: marketing\nhtml: body.html\n", html: #"<p>News</p><a href="https://www.contoso.com/u?x=1">Unsubscribe</a>"#, text: nil)),
      RuleExample(
        "wording beside a \"here\" link", flagged: false,
        .campaign(manifest: "campaign: c\ncategory: marketing\nhtml: body.html\n", html: #"<p>Um sich vom Newsletter abzumelden, klicken Sie <a href="https://www.contoso.com/x?y=1">hier</a>.</p>"#, text: nil)),
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
    let found = inventory.links.contains { link in
      guard !link.hidden else { return false }
      if mentionsUnsubscribing(link) { return true }
      return wordingOffsets.contains { $0.file == link.range.file && abs(link.range.start - $0.offset) < 400 }
    } || inventory.visibleTexts.contains { entry in
      // Text parts: "Unsubscribe: https://…" on one line (ASCII-lowercased bytes, line by line).
      guard !entry.inHTML else { return false }
      let patterns = Self.words.map { Array($0.utf8) }
      var lineStart = entry.bytes.startIndex
      while lineStart < entry.bytes.endIndex {
        let lineEnd = entry.bytes[lineStart...].firstIndex(of: 0x0A) ?? entry.bytes.endIndex
        let line = entry.bytes[lineStart..<lineEnd].map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        if line.firstRange(of: Array("http".utf8)) != nil, patterns.contains(where: { line.firstRange(of: $0) != nil }) { return true }
        lineStart = lineEnd + 1
      }
      return false
    }
    guard !found else { return [] }
    if let hidden = inventory.links.first(where: { $0.hidden && mentionsUnsubscribing($0) }) {
      let position = hidden.range.startPosition
      return [Hit(
        range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
        message: "marketing mail has no visible unsubscribe link: the one at \(hidden.range.file.path):\(position.line) (\"\(hidden.href)\") is hidden by CSS",
        help: "remove the CSS that hides the unsubscribe link, or add a visible one to the footer of every body", evidence: "none")]
    }
    return [Hit(range: SourceRange(file: inventory.draftFile, start: 0, end: 0), message: "marketing mail has no visible unsubscribe link", help: "add a visible unsubscribe link to the footer of every body", evidence: "none")]
  }
}

/// `bulk/missing-postal-address`: the sender's postal address in the body.
public struct MissingPostalAddress: Rule {
  public static let metadata = RuleMetadata(
    id: "bulk/missing-postal-address",
    summary: "Marketing mail does not show the sender's postal address (brand.postal_address).",
    defaultSeverity: .off,
    categorySeverities: ["marketing": .error],
    whatItDoes: "Looks for `brand.postal_address` (whitespace and case ignored) in the visible text of the HTML and text bodies.",
    whyIsThisBad: "CAN-SPAM requires a valid physical postal address in every commercial message; CASL requires the sender's mailing address.",
    example: "A newsletter footer with an unsubscribe link but no address.",
    useInstead: "Put the address from the policy in the footer: `Contoso Ltd, 1 Example Way, Springfield`.",
    references: ["CAN-SPAM Act, 15 U.S.C. §7704(a)(5)(A)(iii)", "CASL Regulations (SOR/2012-36) §2"],
    examples: [
      RuleExample(
        "no address", flagged: true,
        .campaign(manifest: "«campaign: c\ncategory: marketing\nhtml: body.html\n", html: "<p>News</p>", text: nil),
        policy: "brand: { postal_address: \"Contoso Ltd, 1 Example Way, Springfield\" }"),
      RuleExample(
        "the address in the footer", flagged: false,
        .campaign(manifest: "campaign: c\ncategory: marketing\nhtml: body.html\n", html: "<p>News</p><p>Contoso Ltd,\n1 Example Way, Springfield</p>", text: nil),
        policy: "brand: { postal_address: \"Contoso Ltd, 1 Example Way, Springfield\" }"),
    ],
    tags: ["can-spam"],
    needs: "brand.postal_address in the policy; marketing category")

  public init(options: RuleOptions) {}

  static func squeezed(_ text: String) -> String {
    text.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "," && $0 != "." }.map(String.init).joined()
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard let address = context.brand.postalAddress, !inventory.visibleTexts.isEmpty else { return [] }
    let wanted = Self.squeezed(address)
    let found = inventory.visibleTexts.contains { Self.squeezed($0.mergedText ?? $0.text).contains(wanted) }
    guard !found else { return [] }
    return [Hit(range: SourceRange(file: inventory.draftFile, start: 0, end: 0), message: "marketing mail does not show the postal address \"\(address)\"", help: "add the address to the footer of every body", evidence: "none")]
  }
}

enum BulkURIs {
  /// The `<…>` URIs of a List-Unsubscribe value.
  static func uris(in value: String) -> [String] {
    var result: [String] = []
    var current: String?
    for character in value {
      if character == "<" { current = "" } else if character == ">" {
        if let uri = current { result.append(uri.trimmingCharacters(in: .whitespaces)) }
        current = nil
      } else if current != nil {
        current!.append(character)  // non-nil in this branch
      }
    }
    return result
  }
}
