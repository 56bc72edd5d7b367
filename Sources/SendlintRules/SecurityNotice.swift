import SendlintCore
import SendlintHTML
import SendlintInventory

/// `security/attachment`: security notices carry no attachments.
public struct SecurityAttachment: Rule {
  public static let metadata = RuleMetadata(
    id: "security/attachment",
    summary: "A security notice carries an attachment.",
    defaultSeverity: .off,
    categorySeverities: ["security-notice": .error],
    whatItDoes: "Flags every attachment of a draft in the security-notice category (a signature part, or the `smime.p7m` an opaque S/MIME message is wrapped in, is not an attachment).",
    whyIsThisBad: """
      In 2003 worms spread as fake Microsoft security bulletins with the "patch" attached, and Microsoft's \
      policy was that its security mail never carries attachments. Customers can only rely on that rule \
      if it has no exceptions.
      """,
    example: "A security bulletin with `patch.exe` or `advisory.pdf` attached.",
    useInstead: "Link to the advisory on the brand's own https site.",
    references: ["Microsoft, 'Microsoft security bulletins are never sent as attachments' (2003 customer guidance)", "US-CERT ST04-010 (using caution with email attachments)"],
    examples: [
      RuleExample(
        "an attached advisory", flagged: true,
        .campaign(manifest: "campaign: n\ncategory: security-notice\ntext: body.txt\nsigning: smime\nattachments: [«advisory.pdf]\n", html: nil, text: "See the advisory.\n")),
      RuleExample("no attachment", flagged: false, .campaign(manifest: "campaign: n\ncategory: security-notice\ntext: body.txt\nsigning: smime\n", html: nil, text: "See https://www.contoso.com/advisory\n")),
      RuleExample(
        "opaque S/MIME's smime.p7m is the message, not an attachment", flagged: false,
        .eml("From: security@contoso.com\nSubject: Update\nMIME-Version: 1.0\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\nContent-Disposition: attachment; filename=smime.p7m\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwGggCSABA==\n"),
        category: "security-notice"),
    ],
    placeholders: ["filename"],
    tags: ["security-notice"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    inventory.attachments.map { attachment in
      let name = attachment.filename ?? attachment.contentType
      return Hit(
        range: attachment.range, message: "security notice carries the attachment \"\(name)\"",
        help: "remove the attachment and link to the advisory on the brand's https site", evidence: name, placeholders: ["filename": name])
    }
  }
}

/// `security/unsigned`: security notices are signed.
public struct SecurityUnsigned: Rule {
  public static let metadata = RuleMetadata(
    id: "security/unsigned",
    summary: "A security notice is not S/MIME- or OpenPGP-signed.",
    defaultSeverity: .off,
    categorySeverities: ["security-notice": .error],
    whatItDoes: """
      Flags security notices that are not signed — in an `.eml` by its structure, in a campaign by the \
      manifest's `signing` (absent means unsigned). Signed means: `multipart/signed` whose second part is \
      a non-empty S/MIME (`application/pkcs7-signature`) or OpenPGP (`application/pgp-signature`) \
      signature of the declared protocol (a `multipart/signed` without one is unsigned); opaque S/MIME \
      (`application/pkcs7-mime; smime-type=signed-data`); or, in a message without an HTML body, an \
      OpenPGP cleartext signature (`-----BEGIN PGP SIGNED MESSAGE-----` … `-----END PGP SIGNATURE-----`). \
      Bare templates say nothing.
      """,
    whyIsThisBad: "Microsoft's real security bulletins were signed; a notice that is not gives readers no way to tell it from a forgery.",
    example: "A `text/html` security notice with no `multipart/signed` wrapper.",
    useInstead: "Sign security notices (`signing: smime` in the manifest) with a certificate for the From address.",
    references: ["RFC 8551 (S/MIME 4.0)", "RFC 3156 (MIME security with OpenPGP)", "RFC 1847 (multipart/signed)"],
    examples: [
      RuleExample("an unsigned notice", flagged: true, .campaign(manifest: "«campaign: n\ncategory: security-notice\ntext: body.txt\n", html: nil, text: "Update now.\n")),
      RuleExample("a signed notice", flagged: false, .campaign(manifest: "campaign: n\ncategory: security-notice\ntext: body.txt\nsigning: smime\n", html: nil, text: "Update now.\n")),
      RuleExample(
        "multipart/signed with no signature part", flagged: true,
        .eml("«From: security@contoso.com\nSubject: Update\nMIME-Version: 1.0\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=b\n\n--b\nContent-Type: text/plain\n\nUpdate now.\n--b--\n"),
        category: "security-notice"),
      RuleExample(
        "multipart/signed with an S/MIME signature", flagged: false,
        .eml("From: security@contoso.com\nSubject: Update\nMIME-Version: 1.0\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=b\n\n--b\nContent-Type: text/plain\n\nUpdate now.\n--b\nContent-Type: application/pkcs7-signature; name=smime.p7s\nContent-Disposition: attachment; filename=smime.p7s\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\n--b--\n"),
        category: "security-notice"),
      RuleExample(
        "opaque S/MIME", flagged: false,
        .eml("From: security@contoso.com\nSubject: Update\nMIME-Version: 1.0\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\nContent-Disposition: attachment; filename=smime.p7m\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwGggCSABA==\n"),
        category: "security-notice"),
      RuleExample(
        "an OpenPGP cleartext signature", flagged: false,
        .eml("From: security@contoso.com\nSubject: Update\nContent-Type: text/plain\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nUpdate now.\n-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n-----END PGP SIGNATURE-----\n"),
        category: "security-notice"),
    ],
    tags: ["security-notice", "authentication"],
    needs: "an .eml, or a campaign manifest")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.signatureKnown, inventory.signature == nil else { return [] }
    return [Hit(
      range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
      message: "security notice is not signed (no S/MIME or OpenPGP signature)",
      help: inventory.kind == .campaign ? "set `signing: smime` (or pgp) in the manifest and sign with a certificate for the From address" : "send it as multipart/signed with an S/MIME or OpenPGP signature",
      evidence: "unsigned")]
  }
}

/// `security/form`: security notices ask for nothing.
public struct SecurityForm: Rule {
  public static let metadata = RuleMetadata(
    id: "security/form",
    summary: "A security notice contains a form.",
    defaultSeverity: .off,
    categorySeverities: ["security-notice": .error],
    whatItDoes: "Flags `<form>` elements in security notices.",
    whyIsThisBad: "A security notice that asks for input — a password, a card number, a confirmation — is the definition of phishing; genuine ones ask for nothing.",
    example: "```html\n<form action=\"https://www.contoso.com/verify\"><input type=\"password\" name=\"p\"></form>\n```",
    useInstead: "Tell readers to go to the brand's site themselves; never collect anything in the mail.",
    references: ["Anti-Phishing Working Group, 'Phishing Activity Trends' (credential forms in mail)", "NCSC guidance on security notifications"],
    examples: [
      RuleExample("a form", flagged: true, .html(#"<form action="«https://www.contoso.com/verify"><input type="password"></form>"#), category: "security-notice"),
      RuleExample("links only", flagged: false, .html(#"<a href="https://www.contoso.com/security">Security centre</a>"#), category: "security-notice"),
    ],
    placeholders: ["action"],
    tags: ["security-notice", "phishing"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    inventory.links.filter { $0.kind == .form }.map { link in
      Hit(range: link.range, message: "security notice contains a form that submits to \(link.href)", help: "remove the form; security mail must ask for nothing", evidence: link.href, placeholders: ["action": link.href])
    }
  }
}
