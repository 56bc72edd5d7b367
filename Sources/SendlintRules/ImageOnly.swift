import SendlintCore
import SendlintHTML
import SendlintInventory

/// `deliverability/image-only`: mail that says what it says in pictures, with little text beside them.
public struct ImageOnly: Rule {
  public static let metadata = RuleMetadata(
    id: "deliverability/image-only",
    summary:
      "The HTML shows large images with little visible text: under 100 characters, or under 1 character per 1,000 px² of image.",
    defaultSeverity: .warning,
    whatItDoes: """
      Counts the visible text of the HTML bodies (non-blank characters, merge tags filled in; hidden text \
      and `alt` text not counted) against the content images — images not hidden, not tracking pixels \
      (2×2 or smaller) and not the ESP's open pixel. Flags the draft when it shows a large image (at least \
      100×100 px by its attributes or CSS, or of unknown size) and fewer than 100 characters of text, or \
      when its images of known size cover at least 100,000 px² and there are fewer than `min_characters_per_kpx` \
      (1) characters per 1,000 px² — half the ratio below which SpamAssassin's HTML_IMAGE_RATIO_02 fires, \
      because at 2 that rule also fires on image-rich newsletters with over a thousand characters of text.
      """,
    whyIsThisBad: """
      Filters cannot read pictures, so mail that is mostly image is how spam hides its words (SpamAssassin \
      HTML_IMAGE_ONLY_*, HTML_IMAGE_RATIO_*); Outlook and many corporate clients block images by default, \
      so the reader sees an empty mail; screen readers have only the alt text.
      """,
    example: "A flyer sent as one 600×1800 JPEG with a one-line footer.",
    useInstead:
      "Put the message in live HTML text and use images to illustrate it; keep at least a few sentences of text beside large images.",
    references: [
      "SpamAssassin rules HTML_IMAGE_ONLY_04 … HTML_IMAGE_ONLY_32 and HTML_IMAGE_RATIO_02 … HTML_IMAGE_RATIO_08 (20_html_tests.cf)",
      "Microsoft Outlook: images in messages are not downloaded automatically",
    ],
    options: [
      minCharactersPerKpxOption.spec
    ],
    examples: [
      RuleExample(
        "a flyer that is one picture", flagged: true,
        .html(
          #"<table><tr><td><img src="«https://www.contoso.com/flyer.jpg" width="600" height="1800" alt="Spring sale"></td></tr></table><p>Unsubscribe</p>"#
        )),
      RuleExample(
        "large images with a caption each", flagged: true,
        .html(
          #"<img src="«https://www.contoso.com/a.jpg" width="600" height="400" alt=""><p>Linen shirts, new this spring, in six colours and three fits, from our own mill.</p><img src="https://www.contoso.com/b.jpg" width="600" height="400" alt=""><p>Canvas shoes for warm days, light enough to pack, sturdy enough to walk all summer.</p>"#
        )),
      RuleExample(
        "a flyer in a font-size:0 layout cell (the image still shows)", flagged: true,
        .html(
          #"<div style="font-size:0"><img src="«https://www.contoso.com/flyer.jpg" width="600" height="1800" alt="Spring sale"></div><p>Unsubscribe</p>"#
        )),
      RuleExample(
        "a hero image over real text", flagged: false,
        .html(
          #"<img src="https://www.contoso.com/hero.jpg" width="600" height="200" alt="Spring"><p>Our spring collection is here: linen shirts, canvas shoes and straw hats for warm days. Every order this week ships free, and members get early access to the summer catalogue. Reply to this mail with any question; our team reads every message. Prices and sizes are on our site, and returns are free for thirty days.</p>"#
        )),
      RuleExample(
        "a short mail with a logo and a pixel", flagged: false,
        .html(
          #"<img src="https://www.contoso.com/logo.png" width="120" height="40" alt="Contoso"><p>Your order 1234 has shipped and will arrive on Friday.</p><img src="https://t.example/o.gif" width="1" height="1">"#
        )),
    ],
    tags: ["deliverability", "content"])

  let minimumPerKilopixel: Int
  /// Below this many visible characters, a large image is the message.
  static let minimumCharacters = 100
  /// Image area (px²) from which the text-to-image ratio is judged.
  static let minimumArea = 100_000.0

  public static let minCharactersPerKpxOption = RuleOption(
    "min_characters_per_kpx", default: 1, range: 0...100,
    help:
      "Flag drafts whose images of known size cover 100,000 px² or more with fewer characters of text than this per 1,000 px²; 0 turns the ratio check off."
  )

  public init(options: RuleOptions) {
    minimumPerKilopixel = options[Self.minCharactersPerKpxOption]
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard inventory.htmlBodyCount > 0 else { return [] }
    let content = inventory.images.filter { image in
      // font-size:0 and text colours hide glyphs, not images.
      guard !image.addedByOpenTracking, !(image.hiddenReason.map(ImageVisibility.hides) ?? false),
        !image.src.isEmpty
      else { return false }
      let width = image.cssWidth ?? image.width
      let height = image.cssHeight ?? image.height
      if let width, let height, width <= 2, height <= 2 { return false }
      if width == 0 || height == 0 { return false }
      return true
    }
    guard !content.isEmpty else { return [] }
    func area(_ image: Image) -> Double? {
      guard let width = image.cssWidth ?? image.width, let height = image.cssHeight ?? image.height else {
        return nil
      }
      return width * height
    }
    var characters = 0
    for text in VisibleWords.texts(inventory, html: true) {
      // Counted in place (a filter built a String of them); isSpacer includes White_Space.
      for scalar in VisibleWords.shown(text).unicodeScalars where !HiddenText.isSpacer(scalar) {
        characters += 1
      }
    }
    let large = content.filter { area($0).map { $0 >= 10_000 } ?? true }
    let knownArea = content.compactMap(area).reduce(0, +)
    let largest = content.max { (area($0) ?? 0) < (area($1) ?? 0) } ?? content[0]
    let shownArea = Int(knownArea.rounded())
    // An embedded image is named by its media type, not by kilobytes of base64.
    let source =
      largest.src.lowercased().hasPrefix("data:")
      ? String(largest.src.prefix { $0 != "," }) + ",…" : String(largest.src.prefix(80))
    if !large.isEmpty, characters < Self.minimumCharacters {
      return [
        Hit(
          range: largest.range,
          message:
            "the HTML shows \(content.count) image\(content.count == 1 ? "" : "s") (such as \"\(source.escapedForDisplay)\") and only \(characters) characters of visible text: filters read image-only mail as spam, and readers with images off see next to nothing",
          help:
            "write the message as HTML text beside the images (at least a few sentences); use images to illustrate it",
          evidence: "image-only")
      ]
    }
    if minimumPerKilopixel > 0, knownArea >= Self.minimumArea,
      Double(characters) * 1_000 < Double(minimumPerKilopixel) * knownArea
    {
      let perKilopixel = Double(characters) * 1_000 / knownArea
      let shown = (perKilopixel * 100).rounded() / 100
      return [
        Hit(
          range: largest.range,
          message:
            "the HTML's \(content.count) images cover \(shownArea) px² but it shows only \(characters) characters of visible text (\(shown) per 1,000 px²; below \(minimumPerKilopixel)): filters read image-heavy mail as spam, and readers with images off see little",
          help: "add the message as HTML text, or use fewer or smaller images",
          evidence: "image-ratio")
      ]
    }
    return []
  }
}
