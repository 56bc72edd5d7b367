import SendlintCore

/// A `lang` (or `xml:lang`) attribute that states the language of an HTML body.
public struct HTMLLanguage: Sendable {
  /// The element that carries it (`html`, `body`, or a wrapper opened before any visible text).
  public let element: String
  public let value: String
  /// Source offsets of the attribute value.
  public let valueStart: Int
  public let valueEnd: Int
}

/// A `<table>` and what tells a layout table from a data table.
public struct HTMLTable: Sendable {
  public let tagStart: Int
  public let tagEnd: Int
  /// The `role` attribute, lowercased and trimmed, if any.
  public let role: String?
  /// Set when the table holds `<th>`, `<caption>` or `<thead>`: a data table.
  public var hasHeaders = false
}

/// A run of visible text with the colours and size it is drawn in.
public struct StyledTextRun: Sendable {
  /// Source offsets of the run's first and last bytes (end exclusive).
  public let start: Int
  public var end: Int
  /// The run's text (references decoded), at most `StyledTextRun.maximumTextBytes` kept.
  public var text: String
  /// The computed text colour (`#rrggbb`): the author's, `<a href>`'s user-agent blue, or nil
  /// for the client's default (black).
  public let color: String?
  /// The computed background (`#rrggbb`), `"unknown"` where a picture or VML paints it, or nil
  /// for the client's default (white).
  public let background: String?
  /// The computed font size in px (16 unless the cascade says otherwise).
  public let fontSize: Double
  public let bold: Bool
  /// The WCAG contrast ratio of the text as drawn (client defaults for unset colours), computed
  /// once when the run is recorded; nil when either colour is not `#rrggbb`.
  public let contrast: Double?
  /// Serial of the element whose text it is, so one element's pieces form one run.
  let owner: Int

  static let maximumTextBytes = 200
  /// The client defaults an unset colour and background are drawn in.
  public static let defaultColor = "#000000"
  public static let defaultBackground = "#ffffff"

  /// The colour and background as drawn: the run's, or the client defaults.
  public var shownColor: String { color ?? Self.defaultColor }
  public var shownBackground: String { background ?? Self.defaultBackground }
}

/// Accessibility facts of one HTML body.
public struct HTMLAccessibilityFacts: Sendable {
  /// The first `<html>` start tag, if any.
  public var htmlTag: (start: Int, end: Int)?
  /// Whether a `<body>` start tag was seen.
  public var hasBodyTag = false
  /// The language the body states, from the first `lang` before any visible text.
  public var language: HTMLLanguage?
  public var tables: [HTMLTable] = []
  /// Visible text runs whose colour or background the author set and whose contrast may be below
  /// 4.5:1 (runs that certainly reach it are not recorded, nor is the client default of black
  /// on white), from the first `HTMLAccessibilityFacts.maximumRuns` styled runs of the body.
  public var styledRuns: [StyledTextRun] = []
  /// `<a>` start tags with no `href` and no `name`/`id` (not a link, not an anchor target).
  public var anchorsWithoutHref: [(start: Int, end: Int)] = []

  public init() {}

  static let maximumRuns = 20_000
  static let maximumTables = 10_000
}

/// Font sizes and weights as CSS and old HTML state them.
enum FontMetrics {
  /// Default sizes of headings in px (the HTML rendering section's user-agent style sheet).
  static let headingSizes: [String: Double] = [
    "h1": 32, "h2": 24, "h3": 18.72, "h4": 16, "h5": 13.28, "h6": 10.72,
  ]
  /// `<font size=1…7>` in px.
  static let fontTagSizes: [Double] = [10, 13, 16, 18, 24, 32, 48]

  /// A `font-size` value in px against the parent's size: px, pt, em, rem, %, and the absolute keywords.
  static let fontSizeKeywords: [String: Double] = [
    "xx-small": 9, "x-small": 10, "small": 13, "medium": 16, "large": 18, "x-large": 24, "xx-large": 32,
  ]

  static func size(_ value: String, parent: Double) -> Double? {
    let text = value.trimmingASCIIWhitespace().lowercased()
    if let size = fontSizeKeywords[text] { return size }
    if text.hasSuffix("%"), let number = Double(text.dropLast()) { return parent * number / 100 }
    if text.hasSuffix("em"), !text.hasSuffix("rem"), let number = Double(text.dropLast(2)) {
      return parent * number
    }
    return InlineStyle.length(text)
  }

  /// A `<font size>` attribute in px (`3`, `+1`, `-2`).
  static func fontTagSize(_ value: String) -> Double? {
    let text = value.trimmingASCIIWhitespace()
    guard let number = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) else { return nil }
    let index = text.hasPrefix("+") || text.hasPrefix("-") ? 3 + number : number
    return fontTagSizes[min(max(index, 1), 7) - 1]
  }

  /// Whether a `font-weight` value is bold (700 or more, `bold`, `bolder`); nil when unreadable.
  static func isBold(_ value: String) -> Bool? {
    let text = value.trimmingASCIIWhitespace().lowercased()
    if text == "bold" || text == "bolder" { return true }
    if text == "normal" || text == "lighter" { return false }
    return Int(text).map { $0 >= 700 }
  }
}

extension InventoryBuilder {
  /// Records what an element says about language, tables and text styling, and returns the text
  /// style its content inherits. O(1) per element, apart from finding the table of a header cell.
  func accessibilityFacts(
    _ tag: HTMLStartTag, style: InlineStyle?, ownColor: String?, color: String?, isLink: Bool
  ) -> (drawnColor: String?, fontSize: Double, bold: Bool, tableIndex: Int?) {
    let name = tag.name
    if tag.id == .html, accessibility.htmlTag == nil { accessibility.htmlTag = (tag.start, tag.end) }
    if tag.id == .body { accessibility.hasBodyTag = true }
    if accessibility.language == nil, visible.isEmpty, !isInvisibleContainer,
      let lang = tag.attribute(.lang) ?? tag.attribute(.xmlLang)
    {
      accessibility.language = HTMLLanguage(
        element: name, value: lang.value, valueStart: lang.valueStart, valueEnd: lang.valueEnd)
    }
    var tableIndex: Int?
    if tag.id == .table,
      admit(
        accessibility.tables.count, limit: HTMLAccessibilityFacts.maximumTables,
        reported: &reportedTableLimit,
        what: "tables", at: tag.start)
    {
      let role = tag.attribute(.role).map { $0.value.trimmingASCIIWhitespace().lowercased() }
      accessibility.tables.append(HTMLTable(tagStart: tag.start, tagEnd: tag.end, role: role))
      tableIndex = accessibility.tables.count - 1
    }
    if tag.id == .th || tag.id == .caption || tag.id == .thead,
      let table = stack.last(where: { $0.tag == .table })?.tableIndex
    {
      accessibility.tables[table].hasHeaders = true
    }
    let parentSize = stack.last?.fontSize ?? 16
    let heading = tag.id.traits.contains(.heading)
    var fontSize =
      heading ? FontMetrics.headingSizes[name].map { $0 / 16 * parentSize } ?? parentSize : parentSize
    if tag.id == .font, let size = tag.attribute(.size).flatMap({ FontMetrics.fontTagSize($0.value) }) {
      fontSize = size
    }
    if let size = style?["font-size"].flatMap({ FontMetrics.size($0, parent: parentSize) }) {
      fontSize = size
    }
    var bold = stack.last?.bold ?? false
    if tag.id.traits.contains(.bold) || heading { bold = true }
    if let weight = style?["font-weight"].flatMap(FontMetrics.isBold) { bold = weight }
    // Browsers draw a link that sets no colour of its own in the user agent's link blue.
    let drawnColor = ownColor == nil && isLink ? "#0000ee" : (ownColor ?? stack.last?.drawnColor ?? color)
    return (drawnColor, fontSize, bold, tableIndex)
  }

  /// `piece` as a whitespace-collapsing `TextBuilder` alone would build it (its map unused): runs
  /// of ASCII whitespace become one space, none kept at either end.
  static func collapsingWhitespace(_ piece: ArraySlice<UInt8>) -> String {
    var collapsed: [UInt8] = []
    collapsed.reserveCapacity(piece.count)
    var pendingSpace = false
    for byte in piece {
      if byte.isASCIIWhitespace {
        pendingSpace = true
        continue
      }
      if pendingSpace, !collapsed.isEmpty { collapsed.append(UInt8(ascii: " ")) }
      pendingSpace = false
      collapsed.append(byte)
    }
    return String(decoding: collapsed, as: UTF8.self)
  }

  /// Adds visible text to the styled runs when its author set a colour or background.
  func recordStyledRun(_ piece: ArraySlice<UInt8>, source: Int, verbatim: Bool) {
    guard let element = stack.last, element.drawnColor != nil || element.background != nil,
      piece.contains(where: { $0 > 0x20 })
    else { return }
    if let last = lastStyledRun, last.owner == element.serial {
      guard last.kept, var run = accessibility.styledRuns.last else { return }
      run.end = source + piece.count
      if run.text.utf8.count < StyledTextRun.maximumTextBytes { run.text += Self.collapsingWhitespace(piece) }
      accessibility.styledRuns[accessibility.styledRuns.count - 1] = run
      return
    }
    let decoded = Self.collapsingWhitespace(piece)
    // A run of spaces, no-break spaces or zero-width characters has no glyphs to read. A printable
    // ASCII byte is such a glyph (it starts a character, or follows a prepended mark that is not
    // one of these), so only text without one is read by Character.
    guard
      decoded.utf8.contains(where: { $0 > 0x20 && $0 < 0x7F })
        || decoded.contains(where: {
          !$0.isWhitespace && $0 != "\u{200B}" && $0 != "\u{200C}" && $0 != "\u{FEFF}" && $0 != "\u{34F}"
            && $0 != "\u{AD}"
        }),
      admit(
        styledRunsSeen, limit: HTMLAccessibilityFacts.maximumRuns, reported: &reportedStyledRunLimit,
        what: "styled text runs", at: source)
    else { return }
    styledRunsSeen += 1
    let contrast = CSSColor.contrast(
      element.drawnColor ?? StyledTextRun.defaultColor, element.background ?? StyledTextRun.defaultBackground)
    // Runs that certainly reach 4.5:1, the most any text is asked, are not recorded: each of a
    // newsletter's many well-contrasted runs held about 90 bytes and its text until the lint
    // ended. Colours the ratio cannot be computed for (`transparent`, a picture behind the text)
    // are kept for the rule to judge.
    let kept = contrast.map { $0 < CSSColor.textContrast } ?? true
    lastStyledRun = (element.serial, kept)
    guard kept else { return }
    accessibility.styledRuns.append(
      StyledTextRun(
        start: source, end: source + piece.count, text: decoded, color: element.drawnColor,
        background: element.background,
        fontSize: element.fontSize, bold: element.bold, contrast: contrast, owner: element.serial))
  }
}

/// Which hiding reasons hide an image, not just text.
public enum ImageVisibility {
  /// False for reasons that hide glyphs only: `font-size:0` (the inline-block layout idiom puts it
  /// on image cells and images) and text coloured like its background. An image under them shows.
  public static func hides(_ reason: String) -> Bool {
    !(reason.hasPrefix("font-size") || reason.hasPrefix("color"))
  }
}
