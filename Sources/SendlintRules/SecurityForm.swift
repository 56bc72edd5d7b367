import SendlintCore
import SendlintHTML
import SendlintInventory

/// `security/form`: security notices ask for nothing.
public struct SecurityForm: Rule {
  public static let metadata = RuleMetadata(
    id: "security/form",
    summary: "A security notice contains a form.",
    defaultSeverity: .off,
    categorySeverities: ["security-notice": .error],
    whatItDoes: "Flags `<form>` elements in security notices.",
    whyIsThisBad:
      "A security notice that asks for input — a password, a card number, a confirmation — is the definition of phishing; genuine ones ask for nothing.",
    example:
      "```html\n<form action=\"https://www.contoso.com/verify\"><input type=\"password\" name=\"p\"></form>\n```",
    useInstead: "Tell readers to go to the brand's site themselves; never collect anything in the mail.",
    references: [
      "Anti-Phishing Working Group, 'Phishing Activity Trends' (credential forms in mail)",
      "NCSC guidance on security notifications",
    ],
    examples: [
      RuleExample(
        "a form", flagged: true,
        .html(#"<form action="«https://www.contoso.com/verify"><input type="password"></form>"#),
        category: "security-notice"),
      RuleExample(
        "links only", flagged: false,
        .html(#"<a href="https://www.contoso.com/security">Security centre</a>"#), category: "security-notice"
      ),
    ],
    placeholders: ["action"],
    tags: ["security-notice", "phishing"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    inventory.links.filter { $0.kind == .form }.map { link in
      Hit(
        range: link.range, message: "security notice contains a form that submits to \(link.href)",
        help: "remove the form; security mail must ask for nothing", evidence: link.href,
        placeholders: ["action": link.href])
    }
  }
}
