import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `bulk/missing-one-click`: RFC 8058 one-click unsubscribe.
public struct MissingOneClick: Rule {
  public static let metadata = RuleMetadata(
    id: "bulk/missing-one-click",
    summary: "Marketing mail lacks RFC 8058 one-click unsubscribe (List-Unsubscribe-Post).",
    defaultSeverity: .off,
    categorySeverities: ["marketing": .error],
    whatItDoes:
      "Checks for `List-Unsubscribe-Post: List-Unsubscribe=One-Click` alongside an https List-Unsubscribe URI (RFC 8058 §3.1).",
    whyIsThisBad:
      "Gmail and Yahoo show their unsubscribe button only for one-click senders and require it of bulk senders; without it people mark the mail as spam.",
    example: "`List-Unsubscribe: <https://…>` without `List-Unsubscribe-Post`.",
    useInstead: "`List-Unsubscribe-Post: List-Unsubscribe=One-Click` (and sign both fields with DKIM).",
    references: [
      "RFC 8058 §3.1", "Gmail email sender guidelines (one-click unsubscribe)", "Yahoo sender requirements",
    ],
    examples: [
      RuleExample(
        "no List-Unsubscribe-Post", flagged: true,
        .campaign(
          manifest:
            "«campaign: c\ncategory: marketing\ntext: body.txt\nheaders:\n  List-Unsubscribe: \"<https://www.contoso.com/u>\"\n",
          html: nil, text: "x\n")),
      RuleExample(
        "one-click", flagged: false,
        .campaign(
          manifest:
            "campaign: c\ncategory: marketing\ntext: body.txt\nheaders:\n  List-Unsubscribe: \"<https://www.contoso.com/u>\"\n  List-Unsubscribe-Post: List-Unsubscribe=One-Click\n",
          html: nil, text: "x\n")),
    ],
    tags: ["bulk-sender", "unsubscribe"],
    needs: "headers (an .eml or a manifest); marketing category")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.hasHeaders else { return [] }
    if let post = inventory.headers(named: "List-Unsubscribe-Post").first {
      let value = post.value.replacingOccurrences(of: " ", with: "")
      if value.caseInsensitiveEquals("List-Unsubscribe=One-Click") { return [] }
      return [
        Hit(
          range: post.range,
          message: "List-Unsubscribe-Post is \"\(post.value)\", not \"List-Unsubscribe=One-Click\"",
          help: "write List-Unsubscribe-Post: List-Unsubscribe=One-Click", evidence: post.value)
      ]
    }
    return [
      Hit(
        range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
        message: "marketing mail has no List-Unsubscribe-Post field for one-click unsubscribe (RFC 8058)",
        help: "add List-Unsubscribe-Post: List-Unsubscribe=One-Click with an https List-Unsubscribe URI",
        evidence: "none")
    ]
  }
}
