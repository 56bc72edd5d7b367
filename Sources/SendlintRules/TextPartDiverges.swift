import SendlintCore
import SendlintInventory

/// Words as a reader sees them, for comparing bodies: runs of letters and digits with at least two
/// letters, lowercased; merge tags filled in where the manifest gives values. O(n).
enum VisibleWords {
  static func words(_ text: String) -> [String] {
    var text = text
    return text.withUTF8(words)
  }

  /// `words` on the UTF-8 of a String (valid, so each lead byte gives its scalar's length). Words
  /// are cut and ASCII ones lowercased on bytes; a word with another scalar is lowercased as a
  /// String, as before.
  static func words(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
    var result: [String] = []
    var start = 0
    var letters = 0
    var ascii = true
    func flush(_ end: Int) {
      if letters >= 2 {
        let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
        result.append(
          ascii
            ? String(unsafeUninitializedCapacity: word.count) { buffer in
              for (index, byte) in word.enumerated() {
                buffer[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
              }
              return word.count
            } : String(decoding: word, as: UTF8.self).lowercased())
      }
      letters = 0
      ascii = true
    }
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      // ASCII without the property tables: its Alphabetic scalars are A–Z and a–z, and its only
      // scalars with a numeric type the digits.
      if byte < 0x80 {
        if (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") {
          letters += 1
        } else if !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
          flush(index)
          start = index + 1
        }
        index += 1
        continue
      }
      let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
      var value = UInt32(byte) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
      for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
      let scalar = Unicode.Scalar(value)!
      if scalar.properties.isAlphabetic {
        letters += 1
        ascii = false
      } else if scalar.properties.numericType != nil {
        ascii = false
      } else {
        flush(index)
        start = index + length
      }
      index += length
    }
    flush(bytes.count)
    return result
  }

  /// The text a reader sees in the HTML bodies (`html` true) or the text bodies.
  static func texts(_ inventory: Inventory, html: Bool) -> [VisibleText] {
    inventory.visibleTexts.filter { $0.inHTML == html }
  }

  static func shown(_ text: VisibleText) -> String { text.mergedText ?? text.text }
}

/// `deliverability/text-part-diverges`: a text/plain alternative that does not say what the HTML says.
public struct TextPartDiverges: Rule {
  public static let metadata = RuleMetadata(
    id: "deliverability/text-part-diverges",
    summary:
      "The text part lacks the links, or most of the words, the HTML part shows: a stale or placeholder alternative.",
    defaultSeverity: .warning,
    whatItDoes: """
      When a draft has both an HTML and a text body, compares what each shows (merge tags filled from the \
      manifest's `variables`). Flags the text part when the HTML has web links and the text part has none, \
      or when more than `max_missing_percent` (50 by default) of the distinct words visible in the HTML — \
      counted when it shows at least 30 — appear nowhere in the text part. Words are runs of letters and \
      digits with at least two letters, compared without case.
      """,
    whyIsThisBad: """
      RFC 2046 says the parts of multipart/alternative are the same content in different forms. A text \
      part that is last month's newsletter, or "this mail needs HTML", misleads the readers who see it \
      (text-only clients, watches, previews), and filters score HTML and text parts that disagree.
      """,
    example: "A text part reading only \"View this email in your browser\" beside a full HTML newsletter.",
    useInstead:
      "Generate the text part from the same content as the HTML at every edit, with each link written out as a URL.",
    references: [
      "RFC 2046 §5.1.4 (alternatives are the same information)",
      "SpamAssassin rule MPART_ALT_DIFF (HTML and text parts are different)",
    ],
    options: [
      maxMissingPercentOption.spec
    ],
    examples: [
      RuleExample(
        "a placeholder text part", flagged: true,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nhtml: body.html\ntext: body.txt\n",
          html: """
            <p>Our spring collection is here: linen shirts, canvas shoes and straw hats for warm days.</p>
            <p>Every order this week ships free, and members get early access to the summer catalogue.</p>
            <p><a href="https://www.contoso.com/spring">See the collection</a></p>
            """,
          text: "«This message needs an HTML mail client.\n")),
      RuleExample(
        "a stale text part in a message", flagged: true,
        .eml(
          """
          From: a@contoso.com
          Subject: s
          MIME-Version: 1.0
          Content-Type: multipart/alternative; boundary="b"

          --b
          Content-Type: text/plain; charset=utf-8

          «Winter sale ends soon.
          --b
          Content-Type: text/html; charset=utf-8

          <p>Winter sale ends soon: <a href="https://www.contoso.com/sale">shop now</a></p>
          --b--

          """)),
      RuleExample(
        "a text part that says what the HTML says", flagged: false,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nhtml: body.html\ntext: body.txt\n",
          html: """
            <p>Our spring collection is here: linen shirts, canvas shoes and straw hats for warm days.</p>
            <p>Every order this week ships free, and members get early access to the summer catalogue.</p>
            <p><a href="https://www.contoso.com/spring">See the collection</a></p>
            """,
          text: """
            Our spring collection is here: linen shirts, canvas shoes and straw hats for warm days.
            Every order this week ships free, and members get early access to the summer catalogue.

            See the collection: https://www.contoso.com/spring

            """)),
    ],
    placeholders: ["percent"],
    tags: ["deliverability", "rfc2046"],
    needs: "an HTML and a text body in the same draft")

  let maxMissingPercent: Int
  /// Fewer distinct visible words in the HTML than this, and the word comparison says nothing.
  static let minimumWords = 30

  public static let maxMissingPercentOption = RuleOption(
    "max_missing_percent", default: 50, range: 1...100,
    help:
      "Flag the text part when more than this share of the HTML's distinct visible words is missing from it.")

  public init(options: RuleOptions) { maxMissingPercent = options[Self.maxMissingPercentOption] }

  static func isWeb(_ link: Link) -> Bool {
    link.url.map { $0.scheme == "http" || $0.scheme == "https" } ?? false
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    let htmlTexts = VisibleWords.texts(inventory, html: true)
    let plainTexts = VisibleWords.texts(inventory, html: false)
    guard inventory.htmlBodyCount > 0, let firstText = plainTexts.first else { return [] }
    var offset = 0
    let bytes = firstText.bytes
    while offset < bytes.count,
      bytes[offset] == 0x20 || bytes[offset] == 0x0A || bytes[offset] == 0x0D || bytes[offset] == 0x09
    { offset += 1 }
    let at = firstText.locator.range(offset, min(bytes.count, offset + 1))
    var problems: [(message: String, help: String, evidence: String)] = []
    var percentMissing = ""
    // Counted and looked up in place: a filtered copy of the links was the draft's largest
    // transient (4.4 MB on flanker's `enclosed-endless.eml`, 4,000 links).
    func isHTMLWebLink(_ link: Link) -> Bool {
      !link.fromText && !link.hidden && link.origin == nil && (link.kind == .a || link.kind == .area)
        && Self.isWeb(link)
    }
    if !inventory.links.contains(where: { $0.fromText && Self.isWeb($0) }),
      let first = inventory.links.first(where: isHTMLWebLink)
    {
      let htmlLinkCount = inventory.links.reduce(0) { $0 + (isHTMLWebLink($1) ? 1 : 0) }
      let example = first.url?.href ?? first.href
      problems.append(
        (
          "the HTML part has \(htmlLinkCount) web link\(htmlLinkCount == 1 ? "" : "s") (such as \"\(String(example.prefix(80)).escapedForDisplay)\") but the text part has none",
          "write each link of the HTML into the text part as its URL, e.g. \"Read more: https://…\"",
          "no-links"
        ))
    }
    var htmlWords = Set<String>()
    for text in htmlTexts { htmlWords.formUnion(VisibleWords.words(VisibleWords.shown(text))) }
    var plainWords = Set<String>()
    for text in plainTexts { plainWords.formUnion(VisibleWords.words(VisibleWords.shown(text))) }
    if htmlWords.count >= Self.minimumWords {
      let missing = htmlWords.subtracting(plainWords)
      let percent = missing.count * 100 / htmlWords.count
      if percent > maxMissingPercent {
        percentMissing = String(percent)
        let sample = missing.sorted().prefix(5).map { "\"\($0.escapedForDisplay)\"" }.joined(separator: ", ")
        problems.append(
          (
            "the text part lacks \(percent)% of the \(htmlWords.count) distinct words the HTML part shows (such as \(sample))",
            "regenerate the text part from the current HTML content", "words-missing"
          ))
      }
    }
    guard !problems.isEmpty else { return [] }
    // One finding per text part: its reasons together.
    return [
      Hit(
        range: at,
        message: problems.map(\.message).joined(separator: "; ") + ": it does not say what the HTML says",
        help: problems.map(\.help).joined(separator: "; "),
        evidence: problems.map(\.evidence).joined(separator: "+"),
        placeholders: ["percent": percentMissing])
    ]
  }
}
