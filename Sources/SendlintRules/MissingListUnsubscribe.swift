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
    whatItDoes:
      "Checks that marketing drafts carry `List-Unsubscribe` (RFC 2369) with at least one `<https://…>` URI; a `mailto:`-only field is flagged too.",
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
      RuleExample(
        "no field", flagged: true,
        .campaign(manifest: "«campaign: c\ncategory: marketing\ntext: body.txt\n", html: nil, text: "News.\n")
      ),
      RuleExample(
        "mailto only", flagged: true,
        .campaign(
          manifest:
            "campaign: c\ncategory: marketing\ntext: body.txt\nheaders:\n  List-Unsubscribe: «\"<mailto:unsub@contoso.com>\"\n",
          html: nil, text: "News.\n")),
      RuleExample(
        "an https URI", flagged: false,
        .campaign(
          manifest:
            "campaign: c\ncategory: marketing\ntext: body.txt\nheaders:\n  List-Unsubscribe: \"<https://www.contoso.com/u?x=1>\"\n",
          html: nil, text: "News.\n")),
    ],
    tags: ["bulk-sender", "unsubscribe"],
    needs: "headers (an .eml or a manifest); marketing category")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.hasHeaders else { return [] }
    let fields = inventory.headers(named: "List-Unsubscribe")
    guard let field = fields.first else {
      return [
        Hit(
          range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
          message: "marketing mail has no List-Unsubscribe field",
          help: "add List-Unsubscribe: <https://…> (and List-Unsubscribe-Post for one-click)",
          evidence: "none")
      ]
    }
    let uris = BulkURIs.uris(in: field.value)
    if !uris.contains(where: { $0.lowercased().hasPrefix("https://") }) {
      return [
        Hit(
          range: field.range, message: "List-Unsubscribe \(field.value) has no https URI",
          help: "add an <https://…> URI that unsubscribes in one request", evidence: field.value)
      ]
    }
    return []
  }
}

enum BulkURIs {
  /// The `<…>` URIs of a List-Unsubscribe value.
  static func uris(in value: String) -> [String] {
    var result: [String] = []
    var current: String?
    for character in value {
      if character == "<" {
        current = ""
      } else if character == ">" {
        if let uri = current { result.append(uri.trimmingWhitespaces) }
        current = nil
      } else if current != nil {
        current!.append(character)  // non-nil in this branch
      }
    }
    return result
  }
}
