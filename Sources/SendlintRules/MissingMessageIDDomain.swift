import SendlintCore
import SendlintInventory
import SendlintURL

/// `message/missing-message-id-domain`: a Message-ID whose right side is no public domain name.
public struct MissingMessageIDDomain: Rule {
  /// Names that only mean something inside one network (RFC 6762 `.local`, RFC 8375 `.home.arpa`,
  /// ICANN's `.internal`, and the defaults of unconfigured hosts).
  static let localSuffixes = [
    "localhost", "localdomain", "local", "internal", "lan", "home.arpa", "intranet", "corp", "home",
    "invalid",
  ]

  public static let metadata = RuleMetadata(
    id: "message/missing-message-id-domain",
    summary:
      "The Message-ID's right side is not the sender's domain: a bare host name, localhost, a local name or an IP address.",
    defaultSeverity: .info,
    whatItDoes: """
      For a `Message-ID` that is present once and of the form `<left@right>` (`message/invalid-headers` \
      reports the rest), flags a right side that is not a fully qualified public domain: a single label \
      (`<1@mailer>`), `localhost` or a local name (`.localdomain`, `.local`, `.internal`, `.lan`, \
      `.home.arpa`), an address literal or IP address (`<1@[192.0.2.1]>`), or text no domain can hold. \
      A campaign is checked only when its manifest sets `Message-ID` itself: otherwise the ESP writes it \
      at send time.
      """,
    whyIsThisBad: """
      RFC 5322 makes the right side a domain so that the identifier is globally unique; a host name or \
      localhost shows an unconfigured mailer, collides with other senders' ids and is scored by filters \
      (rspamd MID_RHS_NOT_FQDN, MID_RHS_IP_LITERAL; SpamAssassin MSGID_NOFQDN). It is info by default: \
      the mailer or ESP writes the field, so the fix is usually a setting or a request to the ESP.
      """,
    example: "`Message-ID: <20250301.1234@localhost.localdomain>`",
    useInstead:
      "`Message-ID: <20250301.1234@news.contoso.com>`: a unique left side at a domain you send from.",
    references: [
      "RFC 5322 §3.6.4 (msg-id = \"<\" id-left \"@\" id-right \">\"; the right side a domain identifier)",
      "rspamd rules MID_RHS_NOT_FQDN, MID_RHS_IP_LITERAL, MID_BARE_IP",
      "RFC 6762 (.local), RFC 8375 (.home.arpa)",
    ],
    examples: [
      RuleExample(
        "a Message-ID from an unconfigured host", flagged: true,
        .eml(
          "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\n«Message-ID: <1234@localhost.localdomain>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a Message-ID on an IP address", flagged: true,
        .eml(
          "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\n«Message-ID: <1234@[192.0.2.7]>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a manifest that sets a Message-ID on a bare host name", flagged: true,
        .campaign(
          manifest:
            "campaign: c\ncategory: marketing\nheaders: { Message-ID: «\"<c-1@mailer>\" }\ntext: body.txt\n",
          html: nil, text: "x\n")),
      RuleExample(
        "a Message-ID on the sending domain", flagged: false,
        .eml(
          "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nMessage-ID: <1234@news.contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a campaign whose ESP writes the Message-ID", flagged: false,
        .campaign(manifest: "campaign: c\ncategory: marketing\ntext: body.txt\n", html: nil, text: "x\n")),
    ],
    tags: ["rfc5322", "message"],
    needs: "a Message-ID written in the .eml or the manifest's headers")

  public init(options: RuleOptions) {}

  /// Why `right` (a Message-ID's id-right) is no public domain; nil when it is one.
  static func problem(_ right: String) -> String? {
    if right.hasPrefix("[") { return "it is an address literal" }
    if IPAddress(right) != nil { return "it is an IP address" }
    let name = (right.hasSuffix(".") ? String(right.dropLast()) : right).lowercased()
    if let suffix = localSuffixes.first(where: { name == $0 || name.hasSuffix("." + $0) }) {
      return "\"\(suffix)\" names a host inside one network, not a public domain"
    }
    if !name.contains(".") { return "it is a single label (a host name, not a domain)" }
    return InvalidHeaders.domainNameProblem(name)
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.kind != .template else { return [] }
    let ids = inventory.headers(named: "Message-ID")
    guard ids.count == 1, let field = ids.first else { return [] }
    let value = field.value.trimmingWhitespaces
    guard value.hasPrefix("<"), value.hasSuffix(">"), !value.contains(" ") else { return [] }
    let halves = value.dropFirst().dropLast().split(separator: "@", omittingEmptySubsequences: false)
    guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty else { return [] }
    let right = String(halves[1])
    guard let problem = Self.problem(right) else { return [] }
    return [
      Hit(
        range: field.range,
        message:
          "Message-ID \"\(value.escapedForDisplay)\" ends in \"\(right.escapedForDisplay)\", which is not a public domain: \(problem)",
        help:
          "have the mailer (or ask the ESP to) write Message-ID: <unique-id@your-sending-domain>, e.g. the domain of the From address",
        evidence: "message-id-domain|\(right.lowercased())")
    ]
  }
}
