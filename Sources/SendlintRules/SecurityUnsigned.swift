import SendlintCore
import SendlintHTML
import SendlintInventory

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
    whyIsThisBad:
      "Microsoft's real security bulletins were signed; a notice that is not gives readers no way to tell it from a forgery.",
    example: "A `text/html` security notice with no `multipart/signed` wrapper.",
    useInstead:
      "Sign security notices (`signing: smime` in the manifest) with a certificate for the From address.",
    references: [
      "RFC 8551 (S/MIME 4.0)", "RFC 3156 (MIME security with OpenPGP)", "RFC 1847 (multipart/signed)",
    ],
    examples: [
      RuleExample(
        "an unsigned notice", flagged: true,
        .campaign(
          manifest: "«campaign: n\ncategory: security-notice\ntext: body.txt\n", html: nil,
          text: "Update now.\n")),
      RuleExample(
        "a signed notice", flagged: false,
        .campaign(
          manifest: "campaign: n\ncategory: security-notice\ntext: body.txt\nsigning: smime\n", html: nil,
          text: "Update now.\n")),
      RuleExample(
        "multipart/signed with no signature part", flagged: true,
        .eml(
          "«From: security@contoso.com\nSubject: Update\nMIME-Version: 1.0\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=b\n\n--b\nContent-Type: text/plain\n\nUpdate now.\n--b--\n"
        ),
        category: "security-notice"),
      RuleExample(
        "multipart/signed with an S/MIME signature", flagged: false,
        .eml(
          "From: security@contoso.com\nSubject: Update\nMIME-Version: 1.0\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=b\n\n--b\nContent-Type: text/plain\n\nUpdate now.\n--b\nContent-Type: application/pkcs7-signature; name=smime.p7s\nContent-Disposition: attachment; filename=smime.p7s\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHAqCAMIACAQEx\n--b--\n"
        ),
        category: "security-notice"),
      RuleExample(
        "opaque S/MIME", flagged: false,
        .eml(
          "From: security@contoso.com\nSubject: Update\nMIME-Version: 1.0\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\nContent-Disposition: attachment; filename=smime.p7m\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwGggCSABA==\n"
        ),
        category: "security-notice"),
      RuleExample(
        "an OpenPGP cleartext signature", flagged: false,
        .eml(
          "From: security@contoso.com\nSubject: Update\nContent-Type: text/plain\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nUpdate now.\n-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n-----END PGP SIGNATURE-----\n"
        ),
        category: "security-notice"),
    ],
    tags: ["security-notice", "authentication"],
    needs: "an .eml, or a campaign manifest")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.signatureKnown, inventory.signature == nil else { return [] }
    return [
      Hit(
        range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
        message: "security notice is not signed (no S/MIME or OpenPGP signature)",
        help: inventory.kind == .campaign
          ? "set `signing: smime` (or pgp) in the manifest and sign with a certificate for the From address"
          : "send it as multipart/signed with an S/MIME or OpenPGP signature",
        evidence: "unsigned")
    ]
  }
}
