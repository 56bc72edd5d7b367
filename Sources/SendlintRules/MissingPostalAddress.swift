import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `bulk/missing-postal-address`: the sender's postal address in the body.
public struct MissingPostalAddress: Rule {
  public static let metadata = RuleMetadata(
    id: "bulk/missing-postal-address",
    summary: "Marketing mail does not show the sender's postal address (brand.postal_address).",
    defaultSeverity: .off,
    categorySeverities: ["marketing": .error],
    whatItDoes:
      "Looks for `brand.postal_address` (whitespace and case ignored) in the visible text of the HTML and text bodies.",
    whyIsThisBad:
      "CAN-SPAM requires a valid physical postal address in every commercial message; CASL requires the sender's mailing address.",
    example: "A newsletter footer with an unsubscribe link but no address.",
    useInstead: "Put the address from the policy in the footer: `Contoso Ltd, 1 Example Way, Springfield`.",
    references: ["CAN-SPAM Act, 15 U.S.C. §7704(a)(5)(A)(iii)", "CASL Regulations (SOR/2012-36) §2"],
    examples: [
      RuleExample(
        "no address", flagged: true,
        .campaign(
          manifest: "«campaign: c\ncategory: marketing\nhtml: body.html\n", html: "<p>News</p>", text: nil),
        policy: "brand: { postal_address: \"Contoso Ltd, 1 Example Way, Springfield\" }"),
      RuleExample(
        "the address in the footer", flagged: false,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nhtml: body.html\n",
          html: "<p>News</p><p>Contoso Ltd,\n1 Example Way, Springfield</p>", text: nil),
        policy: "brand: { postal_address: \"Contoso Ltd, 1 Example Way, Springfield\" }"),
    ],
    tags: ["can-spam"],
    needs: "brand.postal_address in the policy; marketing category")

  public init(options: RuleOptions) {}

  static func squeezed(_ text: String) -> String {
    text.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "," && $0 != "." }.map(
      String.init
    ).joined()
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard let address = context.brand.postalAddress, !inventory.visibleTexts.isEmpty else { return [] }
    let wanted = Self.squeezed(address)
    let found = inventory.visibleTexts.contains { Self.squeezed($0.mergedText ?? $0.text).contains(wanted) }
    guard !found else { return [] }
    return [
      Hit(
        range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
        message: "marketing mail does not show the postal address \"\(address)\"",
        help: "add the address to the footer of every body", evidence: "none")
    ]
  }
}
