import SendlintCore
import SendlintHTML
import SendlintInventory

/// `a11y/missing-alt`: images with no `alt` attribute.
public struct MissingAlt: Rule {
  public static let metadata = RuleMetadata(
    id: "a11y/missing-alt",
    summary: "An image has no alt attribute (decorative images need alt=\"\").",
    defaultSeverity: .warning,
    whatItDoes: """
      Flags visible `<img>` elements with no `alt` attribute at all. `alt=""` is accepted: it marks an \
      image as decorative. Images hidden by CSS are left out (`font-size:0` and text colours hide \
      glyphs, not images), and so are tracking pixels, which `tracking/pixel` reports.
      """,
    whyIsThisBad: """
      Without alt, a screen reader reads the image's file name or URL aloud, and clients that block \
      images (Outlook by default, many corporate gateways) show an empty box where the message's \
      headline or offer was.
      """,
    example: "```html\n<img src=\"https://www.contoso.com/img/sale.png\" width=\"600\" height=\"300\">\n```",
    useInstead: """
      Describe what the image says (`alt="Spring sale: 20% off every bag"`), or mark decoration with \
      `alt=""`.
      """,
    references: [
      "WCAG 2.2 SC 1.1.1 Non-text Content, Level A; Technique H37 (alt on img), F65 (failure: no alt)",
      "HTML Living Standard §4.8.4.4 (requirements for providing text to act as an alternative for images)",
    ],
    examples: [
      RuleExample(
        "an image without alt", flagged: true,
        .html(#"<p>Hi</p><img src="«https://www.contoso.com/img/sale.png" width="600" height="300">"#)),
      RuleExample(
        "a linked image without alt", flagged: true,
        .html(
          #"<a href="https://www.contoso.com/sale"><img src="«https://www.contoso.com/img/sale.png"></a>"#)),
      RuleExample(
        "an image in a font-size:0 cell", flagged: true,
        .html(
          #"<table role="presentation"><tr><td style="font-size:0"><img src="«https://www.contoso.com/img/sale.png" width="600" height="300"></td></tr></table>"#
        )),
      RuleExample(
        "alt text, a decorative image and a tracking pixel", flagged: false,
        .html(
          #"""
          <img src="https://www.contoso.com/img/sale.png" alt="Spring sale: 20% off">
          <img src="https://www.contoso.com/img/rule.png" alt="">
          <img src="https://t.contoso.com/o.gif?u=8812" width="1" height="1">
          <div style="display:none"><img src="https://www.contoso.com/img/mobile.png"></div>
          """#)),
    ],
    placeholders: ["src"],
    tags: ["accessibility", "images", "checklist"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    let candidates = inventory.images.filter {
      $0.element == "img" && $0.alt == nil && !$0.addedByOpenTracking
        && !($0.hiddenReason.map(ImageVisibility.hides) ?? false)
    }
    guard !candidates.isEmpty else { return [] }
    // Pixels are tracking/pixel's to report, however it is configured here: judge with its defaults.
    let pixels = Set(
      TrackingPixel(options: RuleOptions()).check(inventory, context).compactMap { $0.range.map(Self.key) })
    return candidates.compactMap { image in
      // tracking/pixel counts an image under font-size:0 as hidden; it shows, so only its size
      // makes it a pixel here.
      let textHiddenOnly = image.hiddenReason != nil
      if textHiddenOnly ? Self.isPixelSized(image) : pixels.contains(Self.key(image.range)) { return nil }
      let size =
        [image.width, image.height].contains(where: { $0 != nil })
        ? " (\(image.width.map { String(Int($0)) } ?? "?")×\(image.height.map { String(Int($0)) } ?? "?"))"
        : ""
      return Hit(
        range: image.range,
        message:
          "image \"\(String(image.src.prefix(120)).escapedForDisplay)\"\(size) has no alt attribute: screen readers read its file name, and clients that block images show nothing in its place",
        help: "add alt=\"…\" describing what the image says, or alt=\"\" if it is decoration",
        evidence: "no-alt|\(image.url?.href ?? image.src)", placeholders: ["src": image.src])
    }
  }

  private static func key(_ range: SourceRange) -> String { "\(range.file.path)|\(range.start)" }

  /// At most 2×2 pixels, or a side of 0, by attribute or CSS: tracking/pixel's default size test.
  static func isPixelSized(_ image: Image) -> Bool {
    let width = [image.width, image.cssWidth].compactMap { $0 }.min()
    let height = [image.height, image.cssHeight].compactMap { $0 }.min()
    if width == 0 || height == 0 { return true }
    guard let width, let height else { return false }
    return width <= 2 && height <= 2
  }
}
