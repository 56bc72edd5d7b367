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
    whatItDoes:
      "Flags every attachment of a draft in the security-notice category (a signature part, or the `smime.p7m` an opaque S/MIME message is wrapped in, is not an attachment).",
    whyIsThisBad: """
      In 2003 worms spread as fake Microsoft security bulletins with the "patch" attached, and Microsoft's \
      policy was that its security mail never carries attachments. Customers can only rely on that rule \
      if it has no exceptions.
      """,
    example: "A security bulletin with `patch.exe` or `advisory.pdf` attached.",
    useInstead: "Link to the advisory on the brand's own https site.",
    references: [
      "Microsoft, 'Microsoft security bulletins are never sent as attachments' (2003 customer guidance)",
      "US-CERT ST04-010 (using caution with email attachments)",
    ],
    examples: [
      RuleExample(
        "an attached advisory", flagged: true,
        .campaign(
          manifest:
            "campaign: n\ncategory: security-notice\ntext: body.txt\nsigning: smime\nattachments: [«advisory.pdf]\n",
          html: nil, text: "See the advisory.\n")),
      RuleExample(
        "no attachment", flagged: false,
        .campaign(
          manifest: "campaign: n\ncategory: security-notice\ntext: body.txt\nsigning: smime\n", html: nil,
          text: "See https://www.contoso.com/advisory\n")),
      RuleExample(
        "opaque S/MIME's smime.p7m is the message, not an attachment", flagged: false,
        .eml(
          "From: security@contoso.com\nSubject: Update\nMIME-Version: 1.0\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\nContent-Disposition: attachment; filename=smime.p7m\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwGggCSABA==\n"
        ),
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
        help: "remove the attachment and link to the advisory on the brand's https site", evidence: name,
        placeholders: ["filename": name])
    }
  }
}
