import SendlintCore
import SendlintInventory
import SendlintMIME

/// `message/date-skew`: a Date field far from when the message was actually sent.
public struct DateSkew: Rule {
  public static let metadata = RuleMetadata(
    id: "message/date-skew",
    summary:
      "The Date field is hours in the future, or a day or more in the past, of when the message's Received fields say it was sent.",
    defaultSeverity: .warning,
    whatItDoes: """
      In an `.eml` captured after sending (a seed or test send, with `Received` fields), compares the one \
      `Date` (`message/invalid-headers` reports a missing or repeated one) with the times the `Received` \
      fields record (RFC 5321 §4.4, the date after the last `;`). Flags a Date more than `future_hours` \
      (3) after the latest hop — the recipient sees the mail dated in the future — or more than \
      `past_hours` (24) before the earliest — stale, or written with the wrong time zone. Drafts without \
      Received fields, and campaigns (whose Date the ESP writes at send time), are not checked.
      """,
    whyIsThisBad: """
      Mail clients sort by Date: a future date pins the message to the top of the inbox, a stale one buries \
      it. Both are what badly configured or forging mailers do, and filters score them (SpamAssassin \
      DATE_IN_FUTURE_03_06 … DATE_IN_FUTURE_96_XX, DATE_IN_PAST_24_48, DATE_IN_PAST_96_XX).
      """,
    example:
      "`Date: Tue, 5 Aug 2003 10:00:00 -0700` on a message received on `Mon, 4 Aug 2003 10:05:00 -0700`.",
    useInstead:
      "Let the sending system stamp Date at submission (RFC 5322 §3.6.1), with the correct time zone offset.",
    references: [
      "RFC 5322 §3.6.1 (the origination date: when the message was ready for delivery)",
      "RFC 5321 §4.4 (the Received time stamp)",
      "SpamAssassin rules DATE_IN_FUTURE_* and DATE_IN_PAST_* (72_active.cf, HeaderEval)",
    ],
    options: [
      futureHoursOption.spec,
      pastHoursOption.spec,
    ],
    examples: [
      RuleExample(
        "a Date a day in the future", flagged: true,
        .eml(
          "Received: from mta.contoso.com (mta.contoso.com [203.0.113.5]) by mx.example.net; Mon, 4 Aug 2003 10:05:00 -0700\n«Date: Tue, 5 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a Date three days stale", flagged: true,
        .eml(
          "Received: from mta.contoso.com (mta.contoso.com [203.0.113.5]) by mx.example.net; Thu, 7 Aug 2003 10:05:00 +0000\n«Date: Mon, 4 Aug 2003 10:00:00 +0000\nFrom: a@contoso.com\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a Date minutes before receipt, in another zone", flagged: false,
        .eml(
          "Received: from mta.contoso.com (mta.contoso.com [203.0.113.5]) by mx.example.net; Mon, 4 Aug 2003 17:05:00 +0000\nDate: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a draft not sent yet", flagged: false,
        .eml(
          "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
    ],
    tags: ["rfc5322", "message"],
    needs: "an .eml with a Date field and Received fields (a message captured after sending)")

  let futureSeconds: Int
  let pastSeconds: Int

  public static let futureHoursOption = RuleOption(
    "future_hours", default: 3, range: 1...720,
    help:
      "Flag a Date more than this many hours after the latest Received time.")

  public static let pastHoursOption = RuleOption(
    "past_hours", default: 24, range: 1...8760,
    help:
      "Flag a Date more than this many hours before the earliest Received time.")

  public init(options: RuleOptions) {
    futureSeconds = options[Self.futureHoursOption] * 3_600
    pastSeconds = options[Self.pastHoursOption] * 3_600
  }

  /// A duration as hours, or days past 48 hours.
  static func duration(_ seconds: Int) -> String {
    let hours = seconds / 3_600
    if hours >= 48 { return "\(hours / 24) days" }
    if hours >= 1 { return "\(hours) hour\(hours == 1 ? "" : "s")" }
    return "\(seconds / 60) minutes"
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.kind == .eml else { return [] }
    let dates = inventory.headers(named: "Date")
    guard dates.count == 1, let field = dates.first, let date = MailDate.parse(field.value) else { return [] }
    let received = inventory.headers(named: "Received").compactMap { MailDate.parseReceived($0.value) }
    guard let latest = received.max(), let earliest = received.min() else { return [] }
    let written = field.value.trimmingWhitespaces
    if date - latest > futureSeconds {
      return [
        Hit(
          range: field.range,
          message:
            "Date \"\(written.escapedForDisplay)\" is \(Self.duration(date - latest)) after the message was last received: it is dated in the future",
          help:
            "have the sending system stamp Date when it submits the message, with the right time zone offset",
          evidence: "date-future")
      ]
    }
    if earliest - date > pastSeconds {
      return [
        Hit(
          range: field.range,
          message:
            "Date \"\(written.escapedForDisplay)\" is \(Self.duration(earliest - date)) before the message was first received: it is stale or in the wrong time zone",
          help:
            "have the sending system stamp Date when it submits the message, not when the draft was written",
          evidence: "date-past")
      ]
    }
    return []
  }
}
