import SendlintCore
import SendlintInventory

/// `content/deceptive-subject`: `Re:`/`Fwd:` without a conversation.
public struct DeceptiveSubject: Rule {
  static let prefixes = ["re:", "fw:", "fwd:", "aw:", "wg:", "sv:", "vs:", "rv:", "tr:", "r:", "antw:"]

  public static let metadata = RuleMetadata(
    id: "content/deceptive-subject",
    summary: "The subject starts with Re: or Fwd: but the message is not a reply or forward.",
    defaultSeverity: .warning,
    whatItDoes:
      "Flags subjects starting with a reply or forward prefix (Re:, Fwd:, AW:, WG:, SV:, …) in campaigns, and in messages without In-Reply-To or References.",
    whyIsThisBad:
      "A fake reply tricks people into opening bulk mail as if it were a conversation; CAN-SPAM forbids deceptive subject lines and filters score the pattern.",
    example: "`Subject: Re: your order` on a newsletter.",
    useInstead: "Write a subject that says what the mail is.",
    references: [
      "CAN-SPAM Act, 15 U.S.C. §7704(a)(2) (deceptive subject headings)",
      "RFC 5322 §3.6.4 (In-Reply-To, References)",
    ],
    examples: [
      RuleExample(
        "a fake reply", flagged: true,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nsubject: «\"Re: your order\"\ntext: body.txt\n",
          html: nil, text: "x\n")),
      RuleExample(
        "a real reply", flagged: false,
        .eml(
          "From: a@contoso.com\nSubject: Re: your question\nIn-Reply-To: <1@example.com>\nReferences: <1@example.com>\n\nx\n"
        )),
    ],
    placeholders: ["subject"],
    tags: ["can-spam", "content"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard let subject = inventory.subject else { return [] }
    let lowered = subject.value.trimmingWhitespaces.lowercased()
    guard let prefix = Self.prefixes.first(where: { lowered.hasPrefix($0) }) else { return [] }
    if inventory.kind == .eml,
      !inventory.headers(named: "In-Reply-To").isEmpty || !inventory.headers(named: "References").isEmpty
    {
      return []
    }
    return [
      Hit(
        range: subject.range,
        message:
          "subject \"\(subject.value)\" starts with \"\(prefix.dropLast())\" but the message is not part of a conversation",
        help: "drop the reply/forward prefix", evidence: subject.value,
        placeholders: ["subject": subject.value])
    ]
  }
}
