import SendlintCore
import SendlintInventory
import SendlintMIME

/// `identity/freemail-reply-to`: replies go to a free-mail address while the mail is from elsewhere.
public struct FreemailReplyTo: Rule {
  public static let metadata = RuleMetadata(
    id: "identity/freemail-reply-to",
    summary: "Reply-To is on a free-mail provider while From is not.",
    defaultSeverity: .warning,
    whatItDoes: """
      Flags a `Reply-To` address on a free-mail domain (Gmail, Outlook.com, Yahoo, GMX, … — the list \
      is data, `FreemailProviders`, each entry with its source) when no From address is on one. Needs \
      no policy.
      """,
    whyIsThisBad: """
      Anyone can register a free-mail address in any name. Mail from an organisation's domain whose \
      replies go to a free-mail box is the shape of business-email-compromise and advance-fee fraud, \
      filters score it so, and a reader who replies hands the conversation to whoever holds that box.
      """,
    example: "```\nFrom: Contoso Billing <billing@contoso.com>\nReply-To: contoso.billing@gmail.com\n```",
    useInstead: "Reply to an address on the organisation's own domain (`Reply-To: billing@contoso.com`).",
    references: [
      "RFC 5322 §3.6.2 (Reply-To)", "FBI IC3, 'Business Email Compromise' public service announcements",
      "SpamAssassin FREEMAIL_FORGED_REPLYTO (rules/20_freemail.cf)",
    ],
    examples: [
      RuleExample(
        "replies to a free-mail box", flagged: true,
        .eml(
          "From: Contoso Billing <billing@contoso.com>\nReply-To: «contoso.billing@gmail.com\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a manifest's Reply-To", flagged: true,
        .campaign(
          manifest:
            "campaign: c\ncategory: marketing\nfrom: \"Contoso <news@contoso.com>\"\nreply_to: «contoso.news@outlook.com\ntext: body.txt\n",
          html: nil, text: "x\n")),
      RuleExample(
        "replies to the organisation", flagged: false,
        .eml("From: Contoso Billing <billing@contoso.com>\nReply-To: help@contoso.com\nSubject: s\n\nx\n")),
      RuleExample(
        "a person writing from free mail", flagged: false,
        .eml("From: Ann <ann@gmail.com>\nReply-To: ann.work@outlook.com\nSubject: s\n\nx\n")),
    ],
    placeholders: ["address", "domain"],
    tags: ["identity", "phishing"],
    needs: "a Reply-To field (or a manifest's reply_to) and a From field")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard !inventory.from.isEmpty,
      !inventory.from.contains(where: { $0.mailbox.domain.map(FreemailProviders.isFreemail) ?? false })
    else { return [] }
    let fromDomains = inventory.from.compactMap(\.mailbox.domain).joined(separator: ", ")
    return inventory.replyTo.compactMap { identity in
      guard let domain = identity.mailbox.domain, FreemailProviders.isFreemail(domain) else { return nil }
      let file = identity.range.file
      var range = identity.range
      if let found = file.bytes[identity.range.start..<identity.range.end].firstRange(
        of: Array(identity.mailbox.address.utf8))
      {
        range = SourceRange(file: file, start: found.lowerBound, end: found.upperBound)
      }
      return Hit(
        range: range,
        message:
          "Reply-To \(identity.mailbox.address.escapedForDisplay) is on the free-mail provider \(domain), while the mail is from \(fromDomains.escapedForDisplay); replies go to a box anyone could have registered",
        help:
          "reply to an address on \(inventory.from.first?.mailbox.domain?.escapedForDisplay ?? "the sender's own domain")",
        evidence: "\(domain)", placeholders: ["address": identity.mailbox.address, "domain": domain])
    }
  }
}
