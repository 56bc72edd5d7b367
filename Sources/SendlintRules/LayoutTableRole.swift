import SendlintCore
import SendlintInventory

/// `a11y/layout-table-role`: layout tables a screen reader announces as data tables.
public struct LayoutTableRole: Rule {
  public static let metadata = RuleMetadata(
    id: "a11y/layout-table-role",
    summary: "Layout tables without role=\"presentation\" are read out as data tables.",
    defaultSeverity: .info,
    whatItDoes: """
      Flags, once per HTML body, the layout tables that carry no `role`: tables with no `<th>`, \
      `<caption>` or `<thead>`, which is how mail lays out columns. The finding sits on the first such \
      table and counts the rest. A table with any `role` is left alone: its author has said what it is.
      """,
    whyIsThisBad: """
      Screen readers announce every table with its size ("table, 3 rows, 2 columns") and read cell by \
      cell; a newsletter of thirty nested layout tables becomes thirty tables of noise before the \
      content. `role="presentation"` makes the reader skip the table semantics and read the content.
      """,
    example: "```html\n<table width=\"600\"><tr><td>Spring is here</td></tr></table>\n```",
    useInstead:
      "`<table role=\"presentation\" width=\"600\">` on every layout table (nested ones too: the role does not inherit).",
    references: [
      "WCAG 2.2 SC 1.3.1 Info and Relationships, Level A; Failure F46 (th, caption or summary in layout tables) and ARIA technique",
      "WAI-ARIA 1.2 §5.3 role presentation / none",
    ],
    examples: [
      RuleExample(
        "two layout tables without a role", flagged: true,
        .html(
          #"<p>Hi</p>«<table width="600"><tr><td><table><tr><td>Spring is here</td></tr></table></td></tr></table>"#
        )),
      RuleExample(
        "presentation tables and a data table", flagged: false,
        .html(
          #"""
          <table role="presentation" width="600"><tr><td>
          <table role="none"><tr><td>Spring is here</td></tr></table>
          <table><thead><tr><th>Bag</th><th>Price</th></tr></thead><tr><td>Tote</td><td>$20</td></tr></table>
          </td></tr></table>
          """#)),
    ],
    tags: ["accessibility", "checklist"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    inventory.htmlBodies.compactMap { body in
      let layout = body.facts.tables.filter { $0.role == nil && !$0.hasHeaders }
      guard let first = layout.first else { return nil }
      let others = layout.count - 1
      return Hit(
        range: body.locator.range(first.tagStart, first.tagEnd),
        message:
          "layout table has no role=\"presentation\"\(others > 0 ? " (and \(others) more in this body)" : ""): screen readers announce it as a data table",
        help: "add role=\"presentation\" to each layout <table>; nested tables need it too",
        evidence: "layout-table|\(layout.count)")
    }
  }
}
