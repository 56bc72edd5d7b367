import SendlintCore
import SendlintHTML
import SendlintInventory

/// `deliverability/gmail-clipping`: an HTML part Gmail will cut off behind "[Message clipped]".
public struct GmailClipping: Rule {
  /// Gmail's limit, 102 KB, counted in decimal kilobytes: the lower of the two readings of "KB".
  public static let gmailLimit = 102_000

  public static let metadata = RuleMetadata(
    id: "deliverability/gmail-clipping",
    summary:
      "The HTML part is over Gmail's 102 KB clipping limit as sent (after merge tags, click rewrite and transfer encoding).",
    defaultSeverity: .warning,
    whatItDoes: """
      Measures each HTML body as it goes over the wire: in an `.eml`, the encoded part as written \
      (quoted-printable and base64 weigh more than the HTML they carry); in a campaign or a bare template, \
      the template with the manifest's `variables` filled in, every link the click rewrite wraps grown to \
      its tracking URL, the open pixel added, encoded quoted-printable as ESPs send HTML. Over `max_bytes` \
      (102,000 by default) it reports the size and the largest contributors — `<style>` CSS, inline `style` \
      attributes, `data:` URIs (embedded base64 images), HTML comments, collapsible whitespace — and points \
      at the single largest one.
      """,
    whyIsThisBad: """
      Gmail shows only the first 102 KB of a message's HTML and hides the rest behind "[Message clipped] \
      View entire message": the footer with the unsubscribe link and postal address disappears (CAN-SPAM \
      and Gmail's bulk-sender rules want them visible), the open pixel at the end never loads, and readers \
      see a broken mail.
      """,
    example: "A 140 KB newsletter whose product photos are embedded as `data:image/png;base64,…` URIs.",
    useInstead:
      "Host images and link them by https URL, move repeated inline styles into one `<style>` block, minify whitespace and drop comments, or split the content over two mails.",
    references: [
      "Gmail Help, 'Messages are clipped' — messages over 102 KB are clipped (support.google.com/mail/answer/25760)",
      "RFC 2045 §6.7, §6.8 (quoted-printable and base64 transfer encodings)",
      "RFC 2397 (the data: URL scheme)",
    ],
    options: [
      maxBytesOption.spec
    ],
    examples: [
      RuleExample(
        "an embedded image past a lowered limit", flagged: true,
        .html(
          "<p>Spring sale</p><img alt=\"Sale\" src=\"«data:image/png;base64,\(String(repeating: "iVBORw0KGgo", count: 300))\">"
        ),
        policy: "rules:\n  deliverability/gmail-clipping: { options: { max_bytes: 2000 } }\n"),
      RuleExample(
        "a small newsletter under a lowered limit", flagged: false,
        .html("<p>Spring sale</p><img alt=\"Sale\" src=\"https://www.contoso.com/sale.png\">"),
        policy: "rules:\n  deliverability/gmail-clipping: { options: { max_bytes: 2000 } }\n"),
      RuleExample("a short newsletter", flagged: false, .html("<p>Spring is here.</p>")),
    ],
    placeholders: ["size", "limit"],
    tags: ["deliverability", "gmail"])

  let maxBytes: Int

  public static let maxBytesOption = RuleOption(
    "max_bytes", default: gmailLimit, range: 1_000...10_000_000,
    help:
      "Flag HTML parts larger than this many bytes as sent; lower it to keep a safety margin.")

  public init(options: RuleOptions) { maxBytes = options[Self.maxBytesOption] }

  /// Bytes as KB with one decimal (decimal kilobytes, as the limit is stated).
  static func kilobytes(_ bytes: Int) -> String {
    let tenths = (bytes + 50) / 100
    return "\(tenths / 10).\(tenths % 10) KB"
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    inventory.htmlParts.compactMap { part -> Hit? in
      guard part.sentBytes > maxBytes else { return nil }
      let how =
        part.estimated
        ? "as an ESP will send it (\(part.transferEncoding), estimated)"
        : "as sent (\(part.transferEncoding))"
      let contributors = part.weight.totals.prefix(3).map {
        "\($0.kind.rawValue) \(Self.kilobytes($0.bytes))"
      }
      let breakdown =
        contributors.isEmpty ? "" : "; the largest contributors: " + contributors.joined(separator: ", ")
      var range = part.locator.range(0, 0)
      var pointer = ""
      if let largest = part.weight.largest, (largest.end - largest.start) * 10 >= part.decodedBytes {
        range = part.locator.range(largest.start, largest.start + 1)
        pointer =
          " (the largest single one, \(Self.kilobytes(largest.end - largest.start)) of \(largest.kind.rawValue), starts here)"
      }
      let limit =
        maxBytes == Self.gmailLimit
        ? "Gmail's 102 KB clipping limit" : "the \(Self.kilobytes(maxBytes)) limit set by max_bytes"
      return Hit(
        range: range,
        message:
          "the HTML part is \(Self.kilobytes(part.sentBytes)) \(how), \(Self.kilobytes(part.decodedBytes)) decoded: over \(limit), so Gmail hides the rest, footer and unsubscribe link included\(breakdown)\(pointer)",
        help:
          "host embedded images by https URL, move repeated inline styles into one <style> block, minify whitespace and remove comments, until the part is under \(Self.kilobytes(maxBytes)) as sent",
        evidence: "gmail-clipping",
        placeholders: ["size": Self.kilobytes(part.sentBytes), "limit": Self.kilobytes(maxBytes)])
    }
  }
}
