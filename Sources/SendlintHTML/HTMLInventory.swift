import SendlintCore

/// What kind of element or construct a link comes from.
public enum LinkKind: String, Sendable, Codable {
  case a, area, form, vml
  case metaRefresh = "meta-refresh"
  case css, background, text
  /// A `/URI` action inside a PDF attachment (read by SendlintInventory's `PDFLinks`).
  case pdf
}

/// A link in HTML as the recipient's client presents it.
public struct HTMLLink: Sendable {
  public let kind: LinkKind
  /// The URL as written (character references decoded, surrounding whitespace kept).
  public let href: String
  /// Source offsets of the href value.
  public let hrefStart: Int
  public let hrefEnd: Int
  /// The attribute's value map, for locating things inside the href.
  public let hrefMap: OffsetMap
  /// The visible text (entities decoded, whitespace collapsed, hidden text left out).
  public let text: DecodedText
  /// Text inside the link that CSS hides from the recipient.
  public let hiddenText: String
  /// `alt` text of images inside the link.
  public let imageAltText: [(text: String, start: Int)]
  /// Whether the link element itself is hidden.
  public let hidden: Bool
  /// Offsets of the opening tag.
  public let tagStart: Int
  public let tagEnd: Int
  /// Whether the link sits in an Outlook conditional comment (`<!--[if mso]>`).
  public let inConditionalComment: Bool
  /// The name an `aria-label`, `aria-labelledby` or `title` attribute gives the link, if any.
  public var accessibleLabel: String? = nil
  /// `alt` text of images inside the link that a text-only hiding style (`font-size:0`, a colour)
  /// covers: the images show, so their alt names the link (not in `imageAltText`, which other
  /// rules read as text shown).
  public var shownImageAltText: [String] = []
}

/// A remote or embedded image.
public struct HTMLImage: Sendable {
  public let src: String
  public let srcStart: Int
  public let srcEnd: Int
  /// The attribute's value map, for locating things inside the src.
  public let srcMap: OffsetMap
  public let alt: String?
  /// `width`/`height` attributes in px, when numeric.
  public let width: Double?
  public let height: Double?
  /// CSS `width`/`height` from the inline style, in px.
  public let cssWidth: Double?
  public let cssHeight: Double?
  /// Why the image is hidden (its own style or an ancestor's), or nil.
  public let hiddenReason: String?
  public let tagStart: Int
  public let tagEnd: Int
  /// Index into `links` of the link that contains this image.
  public let linkIndex: Int?
  /// The element (`img`, `v:image`, `v:fill`).
  public var element = "img"
}

/// Text a recipient does not see.
public struct HiddenRun: Sendable {
  public var text: String
  public let reason: String
  public let start: Int
  /// Whether no visible text came before it: where the preheader idiom puts the inbox preview.
  public let beforeVisibleText: Bool
}

/// Everything sendlint reads from one HTML body.
public struct HTMLInventory: Sendable {
  public var links: [HTMLLink] = []
  public var images: [HTMLImage] = []
  /// All visible text, with a break at block boundaries.
  public var visibleText = DecodedText(bytes: [], maps: [])
  /// Hidden text runs with the reason and source offset.
  public var hiddenText: [HiddenRun] = []
  /// `<base href>`, if any.
  public var baseHref: String?
  /// Language, tables, text colours and href-less anchors, for the accessibility rules.
  public var accessibility = HTMLAccessibilityFacts()
  /// Depth limit hits and similar, as messages with offsets.
  public var problems: [(message: String, offset: Int)] = []
  /// Comments (`<!-- … -->`, as the tokenizer reads them) whose data mentions `sendlint-disable`:
  /// source offsets of the whole comment, at most `maximumDirectiveComments`. They ship to every
  /// recipient, so they suppress nothing; the engine reports them.
  public var directiveComments: [(start: Int, end: Int)] = []
  public static let maximumDirectiveComments = 1_000
  /// Units of cascade work spent (selectors tested, compound components compared, ancestors walked),
  /// at most about `maximumCascadeWork`; exposed so tests can bound the work, not the time.
  public var cascadeWork = 0
  /// Bytes of `<style>` text kept and parsed, at most `maximumStyleBytes`.
  public var styleBytes = 0
  /// Cascade work allowed in one body; past it, later elements keep their inline styles only.
  /// Bounds the cascade to linear time whatever the rules and elements: a newsletter of 3,000
  /// elements and 300 rules spends a few hundred thousand units.
  public static let maximumCascadeWork = 10_000_000
  /// `<style>` text kept per body; the rest is not parsed. Newsletters carry tens of kilobytes, and
  /// each kept byte costs a source map entry and rule storage (6 MB of style cost 390 MB).
  public static let maximumStyleBytes = 1 << 20

  /// Tokenizes and reads `bytes` (UTF-8 HTML); offsets are shifted by `base` and, when `map` is
  /// given, are mapped through it by the caller. O(n) apart from a bounded end-tag search.
  public static func read(_ bytes: [UInt8], base: Int = 0) -> HTMLInventory {
    let builder = InventoryBuilder(bytes: bytes, base: base)
    var tokenizer = HTMLTokenizer(bytes: bytes, base: base)
    tokenizer.tokenize { builder.feed($0) }
    return builder.finish()
  }
}

/// Element stack and text accumulation for `HTMLInventory.read`.
///
/// Its stored properties are `@exclusivity(unchecked)`: one builder belongs to one `read`, on
/// one thread, and only its own methods touch its state, none of them while holding another
/// access to the same property (no closure captures a property's storage across a call). The
/// runtime's dynamic exclusivity checks on every append and update were 3–4% of a newsletter
/// lint (docs/decisions.md, "Exclusivity checks in the HTML builder").
final class InventoryBuilder {
  /// Open elements beyond this depth are not tracked (their visibility is their parent's).
  static let maximumDepth = 512
  /// Conditional comments nest through tokenizer recursion at most this deep.
  static let maximumConditionalDepth = 4

  /// Links and images beyond these counts are not inventoried (a problem says so).
  static let maximumLinks = 10_000
  static let maximumImages = 10_000
  /// `<style>` rules beyond this count are not applied: each element is matched against the rules
  /// that could apply to it, so a hostile mass of universal rules would make the cascade quadratic.
  /// Newsletters carry a few hundred.
  static let maximumStyleRules = 5_000

  /// A class, not a struct: the builder reads the top of the stack and walks ancestors for every
  /// element, and a struct of seven strings and a set was copied (retained and released field by
  /// field) at each read.
  final class OpenElement {
    let name: String
    let tag: HTMLTagID
    let hiddenReason: String?
    let linkBuilder: Int?
    let invisible: Bool
    /// Serial number of the element whose style hides this one (itself or an ancestor).
    let hidingElement: Int?
    let classes: Set<String>
    /// `CSSClassMask` of `classes`: a selector class whose bit is missing is not among them.
    let classMask: UInt64
    let id: String?
    /// The background colour in effect (own or inherited), normalised.
    let background: String?
    /// The text colour in effect (own or inherited), normalised.
    let color: String?
    /// The text colour as drawn: `color`, or the user-agent blue of a link that sets none.
    let drawnColor: String?
    let fontSize: Double
    let bold: Bool
    let serial: Int
    /// Index into `accessibility.tables` of the table this element is (for `<table>`).
    let tableIndex: Int?

    init(
      name: String, tag: HTMLTagID, hiddenReason: String?, linkBuilder: Int?, invisible: Bool,
      hidingElement: Int?, classes: Set<String>, classMask: UInt64, id: String?, background: String?,
      color: String?, drawnColor: String?, fontSize: Double, bold: Bool, serial: Int, tableIndex: Int?
    ) {
      self.name = name
      self.tag = tag
      self.hiddenReason = hiddenReason
      self.linkBuilder = linkBuilder
      self.invisible = invisible
      self.hidingElement = hidingElement
      self.classes = classes
      self.classMask = classMask
      self.id = id
      self.background = background
      self.color = color
      self.drawnColor = drawnColor
      self.fontSize = fontSize
      self.bold = bold
      self.serial = serial
      self.tableIndex = tableIndex
    }
  }

  /// Rules of the `<style>` blocks read so far.
  @exclusivity(unchecked) private(set) var styleRules: [StyleRule] = []
  /// Rule indices by the id, first class or tag their selectors' last compound requires, so an
  /// element is matched only against rules that could apply to it (newsletters carry hundreds of
  /// rules and thousands of elements). A prefilter: `matches` still decides.
  @exclusivity(unchecked) var rulesByID: [String: [Int]] = [:]
  @exclusivity(unchecked) var rulesByClass: [String: [Int]] = [:]
  @exclusivity(unchecked) var rulesByTag: [String: [Int]] = [:]
  @exclusivity(unchecked) var universalRules: [Int] = []

  /// Appends rules and indexes only those: each `<style>` block costs its own size, however
  /// many blocks came before it.
  func addStyleRules(_ rules: [StyleRule], at offset: Int) {
    // Candidates were computed from the rules before these.
    if !rules.isEmpty { elementSelections.removeAll() }
    for rule in rules {
      guard
        admit(
          styleRules.count, limit: Self.maximumStyleRules, reported: &reportedStyleRuleLimit,
          what: "style rules", at: offset)
      else { return }
      let index = styleRules.count
      styleRules.append(rule)
      for selector in rule.selectors {
        guard let key = selector.last else { continue }
        if let id = key.id {
          rulesByID[id, default: []].append(index)
        } else if let first = key.classes.first {
          rulesByClass[first, default: []].append(index)
        } else if let tag = key.tag, tag != "*" {
          rulesByTag[tag, default: []].append(index)
        } else {
          universalRules.append(index)
        }
      }
    }
  }

  /// What the cascade needs of an element's tag, `class` and `id`: its class names and their mask,
  /// and (built on first use, for the rules read so far) its candidate rules with the work they
  /// are charged. Newsletters open thousands of elements with a few hundred distinct signatures,
  /// so each is split, hashed and looked up in the rule index once.
  final class ElementSelection {
    let classes: Set<String>
    let classMask: UInt64
    /// Sorted, each once; nil until the cascade first asks.
    var candidates: [Int]?
    /// The cascade work `candidates` is charged each time it is used.
    var work = 0

    init(classes: Set<String>, classMask: UInt64) {
      self.classes = classes
      self.classMask = classMask
    }
  }

  /// A tag name, `class` value (as written, bytes) and `id`: equal keys give equal selections.
  struct ElementSelectionKey: Hashable {
    let tag: String
    let classes: ArraySlice<UInt8>?
    let id: String?

    func hash(into hasher: inout Hasher) {
      hasher.combine(tag)
      hasher.combine(id)
      if let classes { classes.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }
  }

  /// Selections by key, bounded like `inlineStyles`; emptied when `<style>` rules are added, since
  /// the candidates depend on them.
  @exclusivity(unchecked) var elementSelections: [ElementSelectionKey: ElementSelection] = [:]

  func elementSelection(tag: String, classes classBytes: ArraySlice<UInt8>?, id: String?) -> ElementSelection
  {
    let key = ElementSelectionKey(tag: tag, classes: classBytes, id: id)
    if let known = elementSelections[key] { return known }
    let classes = Set(classBytes.map { Self.classNames($0) } ?? [])
    var classMask: UInt64 = 0
    for name in classes { classMask |= CSSClassMask.bit(name) }
    let selection = ElementSelection(classes: classes, classMask: classMask)
    if elementSelections.count < Self.maximumRememberedStyles,
      (classBytes?.count ?? 0) + (id?.utf8.count ?? 0) <= Self.maximumRememberedStyleBytes
    {
      elementSelections[key] = selection
    }
    return selection
  }

  /// The candidate rules of an element while the cascade budget lasts; none after it (counted
  /// before the list is built, so an exhausted budget costs nothing more).
  func admittedCandidateRules(_ selection: ElementSelection, tag: String, id: String?, at offset: Int)
    -> [Int]
  {
    guard !styleRules.isEmpty, cascadeBudgetLeft(at: offset) else { return [] }
    let candidates: [Int]
    if let known = selection.candidates {
      candidates = known
    } else {
      (candidates, selection.work) = candidateRulesAndWork(tag: tag, classes: selection.classes, id: id)
      selection.candidates = candidates
    }
    cascadeWork += selection.work
    guard cascadeBudgetLeft(at: offset) else { return [] }
    return candidates
  }

  /// The rules that may match an element, in document order, each once, and the work they are
  /// charged: each class is one lookup, and each candidate at least one selector test, charged up
  /// front so an exhausted budget costs nothing more. Each index is looked up once, for the charge
  /// and the list both.
  func candidateRulesAndWork(tag: String, classes: Set<String>, id: String?) -> (rules: [Int], work: Int) {
    let byTag = rulesByTag[tag]
    var count = 1 + classes.count + universalRules.count + (byTag?.count ?? 0)
    var candidates = universalRules
    if let id, let found = rulesByID[id] {
      count += found.count
      candidates += found
    }
    for name in classes {
      if let found = rulesByClass[name] {
        count += found.count
        candidates += found
      }
    }
    if let byTag { candidates += byTag }
    return (Self.sortedUnique(candidates), count)
  }

  /// Rule indices in document order, each once.
  static func sortedUnique(_ indices: [Int]) -> [Int] {
    var candidates = indices
    guard candidates.count > 1 else { return candidates }
    candidates.sort()
    var unique: [Int] = []
    unique.reserveCapacity(candidates.count)
    for index in candidates where unique.last != index { unique.append(index) }
    return unique
  }

  /// Whether cascade work may go on; reports the limit once, at `offset`, when it may not.
  func cascadeBudgetLeft(at offset: Int) -> Bool {
    if cascadeWork <= HTMLInventory.maximumCascadeWork { return true }
    if !reportedCascadeLimit {
      reportedCascadeLimit = true
      problems.append(
        (
          "more than \(HTMLInventory.maximumCascadeWork) units of style-rule matching work in one HTML body "
            + "(limit HTMLInventory.maximumCascadeWork); later elements were judged by their inline styles only: "
            + "use fewer or simpler <style> selectors", offset
        ))
    }
    return false
  }

  /// The text of the `<style>` element being read, mapped to source offsets.
  @exclusivity(unchecked) var styleText: TextBuilder?

  func mayAddCSSLink(at offset: Int) -> Bool {
    admit(links.count, limit: Self.maximumLinks, reported: &reportedLinkLimit, what: "links", at: offset)
  }

  /// Whether a selector chain matches the element being opened: its last compound matches the
  /// element, the others match ancestors in order (descendant semantics). Every ancestor walked and
  /// compound component compared is charged to `cascadeWork`; the walk gives up (no match) once the
  /// budget is spent, so a long descendant chain over a deep stack cannot run unbounded. A walk the
  /// `keys` masks rule out is not made, and costs nothing beyond the last compound's test.
  func matches(
    _ selector: [CompoundSelector], tag: String, classes: Set<String>, classMask: UInt64, id: String?
  ) -> Bool {
    // The work is counted in a local and stored once: `&cascadeWork` on the class's property cost
    // a dynamic exclusivity check per compound tested.
    var work = cascadeWork
    defer { cascadeWork = work }
    let limit = HTMLInventory.maximumCascadeWork
    guard work <= limit else { return false }
    var position = selector.count - 1
    guard position >= 0,
      selector[position].matches(tag: tag, classes: classes, classMask: classMask, id: id, work: &work)
    else { return false }
    var ancestor = stack.count - 1
    // The other compounds, innermost first, each against a further-out ancestor.
    position -= 1
    while position >= 0 {
      let required = selector[position].requiredMask
      while ancestor >= 0 {
        guard work <= limit else { return false }
        let key = keys[ancestor]
        // No ancestor from here out carries what the compound requires.
        if required & ~key.lineage != 0 { return false }
        // This one does not; the ones further out may.
        if required & ~key.own != 0 {
          work += 1
          ancestor -= 1
          continue
        }
        let element = stack[ancestor]
        if selector[position].matches(
          tag: element.name, classes: element.classes, classMask: element.classMask, id: element.id,
          work: &work)
        {
          break
        }
        ancestor -= 1
      }
      if ancestor < 0 { return false }
      ancestor -= 1
      position -= 1
    }
    return true
  }

  /// Parses a finished `<style>` element and records its url() references as links.
  func finishStyle(at offset: Int) {
    guard let builder = styleText else { return }
    styleText = nil
    var text = builder.bytes
    // Old mail habit: the style text wrapped in <!-- -->; blank the markers, keep offsets.
    for marker in [Array("<!--".utf8), Array("-->".utf8)] {
      var from = text.startIndex
      while let found = text[from...].firstByteRange(of: marker) {
        for position in found { text[position] = 0x20 }
        from = found.upperBound
      }
    }
    let rules = StyleSheetParser.parse(text)
    addStyleRules(rules.filter { !$0.selectors.isEmpty }, at: offset)
    for rule in rules {
      for (url, position) in rule.urls where mayAddCSSLink(at: offset) {
        let source = builder.map.source(for: position).offset
        let reference = HTMLAttribute(
          name: "style", value: url, nameStart: source, valueStart: source, valueEnd: source + url.utf8.count,
          valueMap: .identity(base: source))
        links.append(
          LinkBuilder(
            kind: .css, attribute: reference, hidden: false, tagStart: source, tagEnd: source,
            conditional: conditionalDepth > 0))
        links[links.count - 1].open = false
      }
    }
  }

  @exclusivity(unchecked) var elementSerial = 0
  /// The hiding element of the last hidden run, so that text of one hidden element (split by
  /// character references or inline tags) forms one run.
  @exclusivity(unchecked) var lastHiddenOwner: Int?

  struct LinkBuilder {
    let kind: LinkKind
    let attribute: HTMLAttribute
    let hidden: Bool
    let tagStart: Int
    let tagEnd: Int
    let conditional: Bool
    var text = TextBuilder(collapseWhitespace: true)
    var hiddenText = ""
    var altText: [(text: String, start: Int)] = []
    var open = true
    var accessibleLabel: String? = nil
    var shownImageAltText: [String] = []
  }

  let bytes: [UInt8]
  let base: Int
  @exclusivity(unchecked) var stack: [OpenElement] = []
  /// For each open element, its `CSSClassMask.key` (`own`) and the OR of its own and its
  /// ancestors' keys (`lineage`): a compound whose `requiredMask` an element's key lacks does not
  /// match it, and one its lineage lacks matches none of its ancestors, so the walk stops there.
  @exclusivity(unchecked) var keys: [(own: UInt64, lineage: UInt64)] = []
  @exclusivity(unchecked) var untrackedDepth = 0
  @exclusivity(unchecked) var links: [LinkBuilder] = []
  @exclusivity(unchecked) var images: [HTMLImage] = []
  @exclusivity(unchecked) var visible = TextBuilder(collapseWhitespace: true)
  @exclusivity(unchecked) var hiddenRuns: [HiddenRun] = []
  @exclusivity(unchecked) var baseHref: String?
  @exclusivity(unchecked) var problems: [(message: String, offset: Int)] = []
  @exclusivity(unchecked) var directiveComments: [(start: Int, end: Int)] = []
  @exclusivity(unchecked) var conditionalDepth = 0
  @exclusivity(unchecked) var accessibility = HTMLAccessibilityFacts()
  /// Styled runs met so far, kept or not (the cap counts them all), and the last one's owner and
  /// whether it was kept, so a later piece of the same element joins it or is dropped with it.
  @exclusivity(unchecked) var styledRunsSeen = 0
  @exclusivity(unchecked) var lastStyledRun: (owner: Int, kept: Bool)?

  init(bytes: [UInt8], base: Int) {
    self.bytes = bytes
    self.base = base
  }

  // The groups of elements the builder treats alike (void elements, invisible containers, block
  // elements, formatting markers, start tags that close an open `<p>`) are `HTMLTagTraits`, read
  // from the interned tag id (HTMLNames.swift).

  /// Inline styles parsed so far, by their text: newsletters repeat one `style=` on hundreds of
  /// elements, and each is parsed once. Bounded in entries and in the length of a kept text.
  @exclusivity(unchecked) var inlineStyles: [String: StyleFacts] = [:]
  static let maximumRememberedStyles = 4_096
  static let maximumRememberedStyleBytes = 4_096

  func inlineStyle(_ text: String) -> StyleFacts {
    if let known = inlineStyles[text] { return known }
    let facts = StyleFacts(InlineStyle(text))
    if inlineStyles.count < Self.maximumRememberedStyles, text.utf8.count <= Self.maximumRememberedStyleBytes
    {
      inlineStyles[text] = facts
    }
    return facts
  }

  /// Cascaded styles computed so far, by the rules that matched and the inline style text:
  /// newsletters give hundreds of elements one class list and one `style=`, and each combination
  /// is merged (and its facts derived) once. Bounded like `inlineStyles`.
  @exclusivity(unchecked) var cascadedStyles: [CascadeKey: StyleFacts?] = [:]
  struct CascadeKey: Hashable {
    let rules: [Int]
    let inline: String?
  }

  /// The style of an element matched by `rules` (in document order, outside @media) with inline
  /// style `inline`: the rules' declarations in order, then the inline ones, then every
  /// `!important` one (an important inline declaration beats an important rule, CSS Cascade 4
  /// §6.1); nil when that leaves none.
  func cascadedStyle(_ rules: [Int], inline: String?, inlineFacts: StyleFacts?) -> StyleFacts? {
    let key = CascadeKey(rules: rules, inline: inline)
    if let known = cascadedStyles[key] { return known }
    var declarations: [String: String] = [:]
    var importantDeclarations: [String: String] = [:]
    for ruleIndex in rules {
      let rule = styleRules[ruleIndex]
      declarations.merge(rule.declarations) { $1 }
      for property in rule.important { importantDeclarations[property] = rule.declarations[property] }
    }
    if let inline = inlineFacts?.style {
      declarations.merge(inline.declarations) { $1 }
      for property in inline.important { importantDeclarations[property] = inline.declarations[property] }
    }
    declarations.merge(importantDeclarations) { $1 }
    let facts = declarations.isEmpty ? nil : StyleFacts(InlineStyle(declarations: declarations))
    if cascadedStyles.count < Self.maximumRememberedStyles,
      (inline?.utf8.count ?? 0) <= Self.maximumRememberedStyleBytes,
      rules.count <= Self.maximumRememberedRules
    {
      cascadedStyles[key] = facts
    }
    return facts
  }
  static let maximumRememberedRules = 256

  /// An element's style and what the builder derives from it, each computed on first use, so
  /// elements that share an inline style text (and no `<style>` rule) share the work.
  final class StyleFacts {
    let style: InlineStyle
    init(_ style: InlineStyle) { self.style = style }
    /// A picture or gradient in `background-image` or `background`.
    lazy var paintsPicture: Bool = [style["background-image"], style["background"]].contains {
      $0.map { $0.containsBytes("url(") || $0.containsBytes("gradient(") } ?? false
    }
    lazy var background: String? = CSSColor.background(of: style)
    /// The text colour the style sets, normalised (or "transparent").
    lazy var color: String? = style["color"].flatMap {
      CSSColor.isTransparent($0) ? "transparent" : CSSColor.normalise($0)
    }
    lazy var hidingReason: String? = style.hidingReason
    lazy var clipsBackgroundToText: Bool = style.clipsBackgroundToText
  }

  /// Kept incrementally so that per-token questions are O(1), whatever the nesting depth.
  @exclusivity(unchecked) var invisibleDepth = 0
  @exclusivity(unchecked) var openLinks: [Int] = []
  @exclusivity(unchecked) var reportedLinkLimit = false
  @exclusivity(unchecked) var reportedStyleRuleLimit = false
  @exclusivity(unchecked) var reportedCascadeLimit = false
  @exclusivity(unchecked) var cascadeWork = 0
  /// `<style>` text bytes kept so far in this body.
  @exclusivity(unchecked) var styleBytes = 0
  @exclusivity(unchecked) var reportedStyleBytesLimit = false
  @exclusivity(unchecked) var reportedImageLimit = false
  @exclusivity(unchecked) var reportedTableLimit = false
  @exclusivity(unchecked) var reportedAnchorLimit = false
  @exclusivity(unchecked) var reportedStyledRunLimit = false

  var currentHiddenReason: String? { stack.last?.hiddenReason }
  var isInvisibleContainer: Bool { invisibleDepth > 0 }
  var openLinkIndex: Int? { openLinks.last }

  /// Whether another link, image, table or styled run may be added; reports the limit once.
  func admit(_ count: Int, limit: Int, reported: inout Bool, what: String, at offset: Int) -> Bool {
    if count < limit { return true }
    if !reported {
      reported = true
      problems.append(("more than \(limit) \(what) in one HTML body; the rest were not checked", offset))
    }
    return false
  }

  func feed(_ token: HTMLToken) {
    switch token {
    case .startTag(let tag): start(tag)
    case .endTag(let name, let start, _): end(name, at: start)
    case .characters(let piece, let source, let verbatim):
      characters(piece, source: source, verbatim: verbatim)
    case .comment(_, let dataStart, let start, let end):
      noteDirective(start: start, dataStart: dataStart, end: end)
      comment(dataStart: dataStart, end: end)
    case .doctype: break
    }
  }

  private func start(_ tag: HTMLStartTag) {
    let name = tag.name
    let tagID = tag.id
    let traits = tagID.traits
    if traits.contains(.closesParagraph), stack.last?.tag == .p { pop(to: .p) }
    if tagID == .li, let index = stack.lastIndex(where: { $0.tag == .li }),
      !stack[index...].contains(where: { $0.tag == .ul || $0.tag == .ol })
    {
      pop(to: .li)
    }
    if tagID == .td || tagID == .th, let last = stack.last, last.tag == .td || last.tag == .th {
      pop(to: last.tag)
    }
    // A new <a> closes an open one (the adoption agency), but not across a table cell, caption or
    // the like: those insert a marker in the active formatting elements (HTML §13.2.6.4.7), so a
    // button link inside a cell of a wrapping link nests instead of closing the table.
    if tagID == .a, let open = stack.lastIndex(where: { $0.tag == .a }),
      !stack[open...].contains(where: { $0.tag.traits.contains(.formattingMarker) })
    {
      pop(to: .a)
    }
    if traits.contains(.block) { breakText(at: tag.start) }

    let elementID = tag.attribute(.id)?.value
    let selection = elementSelection(tag: name, classes: tag.attribute(.`class`)?.valueBytes, id: elementID)
    let classes = selection.classes
    let classMask = selection.classMask
    // The cascade, simplified: matching <style> rules in order, then the inline style.
    // The rules outside @media that matched, in order: without one, the inline style alone is
    // the style.
    var appliedRules: [Int] = []
    var revealedByMedia = false
    for ruleIndex in admittedCandidateRules(selection, tag: name, id: elementID, at: tag.start) {
      // Past the budget the element keeps what matched so far; later elements get no rules.
      guard cascadeBudgetLeft(at: tag.start) else { break }
      let rule = styleRules[ruleIndex]
      guard
        rule.selectors.contains(where: {
          matches($0, tag: name, classes: classes, classMask: classMask, id: elementID)
        })
      else {
        continue
      }
      if rule.inMedia {
        if let display = rule.declarations["display"], display != "none" { revealedByMedia = true }
        if let height = rule.declarations["max-height"], InlineStyle.length(height).map({ $0 > 0.5 }) ?? true
        {
          revealedByMedia = true
        }
      } else {
        appliedRules.append(ruleIndex)
      }
    }
    let inlineText = tag.attribute(.style)?.value
    let inlineFacts = inlineText.map { inlineStyle($0) }
    let styleFacts: StyleFacts?
    if !appliedRules.isEmpty {
      styleFacts = cascadedStyle(appliedRules, inline: inlineText, inlineFacts: inlineFacts)
    } else {
      // The merge would copy the inline declarations into an empty table (its important ones
      // onto themselves): the inline style is taken as it is, with the facts already derived
      // from it for other elements.
      styleFacts = inlineFacts.flatMap { $0.style.declarations.isEmpty ? nil : $0 }
    }
    let style = styleFacts?.style
    var hiddenReason = currentHiddenReason
    // The background the element's text sits on: its own colour, or unknown where a picture or a
    // VML shape (fillcolor, v:fill) paints it, or the parent's.
    let paintsUnknown =
      name.hasPrefix("v:") || tag.attribute(.background) != nil || tag.attribute(.fillcolor) != nil
      || (styleFacts?.paintsPicture ?? false)
    // A picture or gradient paints over any background colour, so it decides first.
    let ownBackground = styleFacts?.background
    let background =
      paintsUnknown
      ? "unknown"
      : ownBackground ?? tag.attribute(.bgcolor).flatMap {
        CSSColor.normalise($0.value)
      } ?? stack.last?.background
    // The text colour: the element's own (CSS, or the `<font color>` of old mail), else inherited.
    let ownColor =
      styleFacts?.color
      ?? (tagID == .font ? tag.attribute(.color).flatMap { CSSColor.normalise($0.value) } : nil)
    let color = ownColor ?? stack.last?.color
    let setsOwnBackground =
      ownBackground != nil || tag.attribute(.bgcolor) != nil || paintsUnknown
    elementSerial += 1
    var hidingElement = stack.last?.hidingElement
    // Inherited hiding that a child may undo: font-size:0 (children set their own size, the
    // inline-block layout idiom) and visibility:hidden (visibility:visible).
    if let inherited = hiddenReason {
      if inherited.hasPrefix("font-size"), let size = style?["font-size"],
        let value = InlineStyle.length(size), value > 0.5
      {
        hiddenReason = nil
        hidingElement = nil
      } else if inherited.hasPrefix("visibility"), style?["visibility"] == "visible" {
        hiddenReason = nil
        hidingElement = nil
      } else if inherited.hasPrefix("color"), ownColor != nil || setsOwnBackground {
        // Hidden by its colour: an element that sets its own colour or background is judged anew.
        hiddenReason = nil
        hidingElement = nil
      }
    }
    if hiddenReason == nil {
      if tag.attribute(.hidden) != nil {
        hiddenReason = "the hidden attribute"
      } else if let reason = styleFacts?.hidingReason {
        hiddenReason = reason
      }
      // Responsive layouts hide one variant inline and reveal it in an @media rule: some clients
      // show it, so it is not hidden text.
      if revealedByMedia, hiddenReason != nil, tag.attribute(.hidden) == nil { hiddenReason = nil }
      // Text coloured like the background it sits on (a contrast a reader cannot see).
      if hiddenReason == nil, !(styleFacts?.clipsBackgroundToText ?? false), let color, let background,
        let ratio = CSSColor.contrast(color, background),
        ratio < CSSColor.hiddenContrast
      {
        hiddenReason =
          color == background
          ? "color \(color) on a \(background) background"
          : "color \(color) on a \(background) background, contrast \(CSSColor.ratioText(ratio)):1"
      }
      if hiddenReason != nil { hidingElement = elementSerial }
    }
    // CSS url() references of the inline style.
    if let attribute = tag.attribute(.style) {
      for (url, offset) in CSSURLs.find(in: Array(attribute.valueBytes), base: 0)
      where mayAddCSSLink(at: tag.start) {
        let source = attribute.valueMap.source(for: offset).offset
        let reference = HTMLAttribute(
          name: "style", value: url, nameStart: attribute.nameStart, valueStart: source,
          valueEnd: source + url.utf8.count, valueMap: .identity(base: source))
        links.append(
          LinkBuilder(
            kind: .css, attribute: reference, hidden: hiddenReason != nil, tagStart: tag.start,
            tagEnd: tag.end, conditional: conditionalDepth > 0))
        links[links.count - 1].open = false
      }
    }

    if tagID == .base, baseHref == nil, let href = tag.attribute(.href) { baseHref = href.value }

    var linkIndex: Int?
    let conditional = conditionalDepth > 0
    let mayAddLink = {
      self.admit(
        self.links.count, limit: Self.maximumLinks, reported: &self.reportedLinkLimit, what: "links",
        at: tag.start)
    }
    switch name {
    case "a", "area":
      if let href = tag.attribute(.href), mayAddLink() {
        links.append(
          LinkBuilder(
            kind: tagID == .a ? .a : .area, attribute: href, hidden: hiddenReason != nil, tagStart: tag.start,
            tagEnd: tag.end, conditional: conditional))
        linkIndex = links.count - 1
        links[links.count - 1].accessibleLabel = [HTMLAttributeID.ariaLabel, .ariaLabelledby, .title].lazy
          .compactMap { tag.attribute($0)?.value.trimmingASCIIWhitespace() }.first { !$0.isEmpty }
      } else if tagID == .a, tag.attribute(.href) == nil, tag.attribute(.name) == nil,
        tag.attribute(.id) == nil,
        admit(
          accessibility.anchorsWithoutHref.count, limit: Self.maximumLinks, reported: &reportedAnchorLimit,
          what: "href-less anchors", at: tag.start)
      {
        accessibility.anchorsWithoutHref.append((tag.start, tag.end))
        if tagID == .area, let alt = tag.attribute(.alt), !alt.value.isEmpty {
          links[links.count - 1].altText.append((alt.value, alt.valueStart))
          links[links.count - 1].open = false
        }
      }
    case "form":
      if let action = tag.attribute(.action), mayAddLink() {
        links.append(
          LinkBuilder(
            kind: .form, attribute: action, hidden: hiddenReason != nil, tagStart: tag.start, tagEnd: tag.end,
            conditional: conditional))
        links[links.count - 1].open = false
      }
    case "meta":
      if tag.attribute(.httpEquiv)?.value.lowercased() == "refresh", let content = tag.attribute(.content),
        mayAddLink()
      {
        let lowered = Array(content.value.lowercased().utf8)
        if let range = lowered.firstByteRange(of: Array("url=".utf8)) {
          let raw = Array(content.value.utf8)
          var start = range.upperBound
          var stop = raw.count
          while start < stop,
            raw[start] == UInt8(ascii: " ") || raw[start] == UInt8(ascii: "'")
              || raw[start] == UInt8(ascii: "\"")
          { start += 1 }
          while stop > start,
            raw[stop - 1] == UInt8(ascii: " ") || raw[stop - 1] == UInt8(ascii: "'")
              || raw[stop - 1] == UInt8(ascii: "\"")
          { stop -= 1 }
          let source = content.valueMap.source(for: start).offset
          let attribute = HTMLAttribute(
            name: "content", value: String(decoding: raw[start..<stop], as: UTF8.self),
            nameStart: content.nameStart,
            valueStart: source, valueEnd: content.valueMap.source(for: stop).offset,
            valueMap: .identity(base: source))
          links.append(
            LinkBuilder(
              kind: .metaRefresh, attribute: attribute, hidden: false, tagStart: tag.start, tagEnd: tag.end,
              conditional: conditional))
          links[links.count - 1].open = false
        }
      }
    default:
      if name.hasPrefix("v:"), let href = tag.attribute(.href), mayAddLink() {
        links.append(
          LinkBuilder(
            kind: .vml, attribute: href, hidden: hiddenReason != nil, tagStart: tag.start, tagEnd: tag.end,
            conditional: conditional))
        linkIndex = links.count - 1
      }
    }
    if let background = tag.attribute(.background), !background.value.isEmpty, mayAddLink() {
      links.append(
        LinkBuilder(
          kind: .background, attribute: background, hidden: hiddenReason != nil, tagStart: tag.start,
          tagEnd: tag.end, conditional: conditional))
      links[links.count - 1].open = false
    }
    if tagID == .img || (tagID == .vImage || tagID == .vFill), let src = tag.attribute(.src),
      admit(
        images.count, limit: Self.maximumImages, reported: &reportedImageLimit, what: "images", at: tag.start)
    {
      let alt = tag.attribute(.alt)
      let containing = openLinkIndex
      images.append(
        HTMLImage(
          src: src.value, srcStart: src.valueStart, srcEnd: src.valueEnd, srcMap: src.valueMap,
          alt: alt?.value,
          width: tag.attribute(.width).flatMap { InlineStyle.length($0.value) },
          height: tag.attribute(.height).flatMap { InlineStyle.length($0.value) },
          cssWidth: Self.clamped(style, "width"), cssHeight: Self.clamped(style, "height"),
          hiddenReason: hiddenReason, tagStart: tag.start, tagEnd: tag.end, linkIndex: containing,
          element: name))
      if let containing, let alt, alt.value.containsNonASCIIWhitespace, hiddenReason == nil {
        links[containing].altText.append((alt.value, alt.valueStart))
      } else if let containing, let alt, alt.value.containsNonASCIIWhitespace, let hiddenReason,
        !ImageVisibility.hides(hiddenReason)
      {
        // Shown, though its box hides text: it names the link for the accessibility rules.
        links[containing].shownImageAltText.append(alt.value)
      }
    }
    if tagID == .br { breakText(at: tag.start) }
    // The self-closing flag is ignored on HTML elements but honoured on namespaced (VML) ones.
    guard !traits.contains(.void), !(tag.selfClosing && name.contains(":")) else {
      if let linkIndex { links[linkIndex].open = false }
      return
    }
    if stack.count >= Self.maximumDepth {
      untrackedDepth += 1
      if untrackedDepth == 1 {
        problems.append(
          ("elements nested deeper than \(Self.maximumDepth) levels are not tracked", tag.start))
      }
      return
    }
    let invisible = traits.contains(.invisibleContainer)
    if invisible { invisibleDepth += 1 }
    if let linkIndex { openLinks.append(linkIndex) }
    let facts = accessibilityFacts(
      tag, style: style, ownColor: ownColor, color: color, isLink: linkIndex != nil && tagID == .a)
    let key = CSSClassMask.key(tag: name, id: elementID, classMask: classMask)
    keys.append((key, key | (keys.last?.lineage ?? 0)))
    stack.append(
      OpenElement(
        name: name, tag: tagID, hiddenReason: hiddenReason, linkBuilder: linkIndex, invisible: invisible,
        hidingElement: hidingElement, classes: classes, classMask: classMask,
        id: elementID, background: background, color: color, drawnColor: facts.drawnColor,
        fontSize: facts.fontSize, bold: facts.bold,
        serial: elementSerial, tableIndex: facts.tableIndex))
    if tagID == .style { styleText = TextBuilder(collapseWhitespace: false) }
  }

  /// The names of a `class` attribute, split at spaces, tabs and newlines. ASCII values (nearly
  /// all) are split on bytes; others by Character, since a space followed by a combining mark is
  /// one Character and no separator.
  static func classNames(_ value: ArraySlice<UInt8>) -> [String] {
    if value.isAllASCII {
      return value.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }).map {
        String(decoding: $0, as: UTF8.self)
      }
    }
    return String(decoding: value, as: UTF8.self).split(whereSeparator: {
      $0 == " " || $0 == "\t" || $0 == "\n"
    })
    .map(String.init)
  }

  /// A CSS size in px as laid out: `width` clamped by `max-width` (either alone when only it is
  /// given), nil when neither is a length.
  static func clamped(_ style: InlineStyle?, _ property: String) -> Double? {
    let size = style?[property].flatMap(InlineStyle.length)
    guard let maximum = style?["max-" + property].flatMap(InlineStyle.length) else { return size }
    return min(size ?? maximum, maximum)
  }

  private func end(_ name: String, at offset: Int) {
    let tagID = HTMLTagID(name)
    if tagID == .style { finishStyle(at: offset) }
    if tagID.traits.contains(.block) { breakText(at: offset) }
    if untrackedDepth > 0 {
      untrackedDepth -= 1
      return
    }
    // Pop to the nearest open element of that name; ignore stray end tags. Search is bounded.
    guard
      let index = stack[max(0, stack.count - 64)...].lastIndex(where: {
        $0.tag == tagID && (tagID != .unknown || $0.name == name)
      })
    else { return }
    while stack.count > index { closeTop() }
  }

  /// Pops to the nearest open element of a known name.
  private func pop(to tagID: HTMLTagID) {
    guard let index = stack.lastIndex(where: { $0.tag == tagID }) else { return }
    while stack.count > index { closeTop() }
  }

  private func closeTop() {
    // `closeTop` runs only while the stack is non-empty.
    let element = stack.removeLast()
    keys.removeLast()
    if element.invisible { invisibleDepth -= 1 }
    if let link = element.linkBuilder {
      links[link].open = false
      if openLinks.last == link { openLinks.removeLast() }
    }
  }

  private func breakText(at offset: Int) {
    visible.appendBreak(source: offset)
    if let link = openLinkIndex, links[link].open {
      links[link].text.appendVerbatim([UInt8(ascii: " ")], source: offset)
    }
  }

  private func characters(_ piece: ArraySlice<UInt8>, source: Int, verbatim: Bool) {
    if styleText != nil, stack.last?.tag == .style {
      // Once the cap is hit, later style text is dropped too, not just the piece that passed it.
      guard !reportedStyleBytesLimit, styleBytes + piece.count <= HTMLInventory.maximumStyleBytes else {
        if !reportedStyleBytesLimit {
          reportedStyleBytesLimit = true
          problems.append(
            (
              "more than \(HTMLInventory.maximumStyleBytes) bytes of <style> text in one HTML body "
                + "(limit HTMLInventory.maximumStyleBytes); the rest was not read: move styles inline or trim them",
              source
            ))
        }
        return
      }
      styleBytes += piece.count
      if verbatim {
        styleText?.appendVerbatim(piece, source: source)
      } else {
        styleText?.appendDecoded(piece, source: source)
      }
      return
    }
    guard !isInvisibleContainer else { return }
    if let reason = currentHiddenReason {
      let text = String(decoding: piece, as: UTF8.self)
      let owner = stack.last?.hidingElement
      if !hiddenRuns.isEmpty, owner != nil, owner == lastHiddenOwner {
        hiddenRuns[hiddenRuns.count - 1].text += text
      } else if text.containsNonASCIIWhitespace {
        hiddenRuns.append(
          HiddenRun(text: text, reason: reason, start: source, beforeVisibleText: visible.isEmpty))
        lastHiddenOwner = owner
      }
      if let link = openLinkIndex, links[link].open { links[link].hiddenText += text }
      return
    }
    if verbatim {
      visible.appendVerbatim(piece, source: source)
    } else {
      visible.appendDecoded(piece, source: source)
    }
    recordStyledRun(piece, source: source, verbatim: verbatim)
    if let link = openLinkIndex, links[link].open {
      if verbatim {
        links[link].text.appendVerbatim(piece, source: source)
      } else {
        links[link].text.appendDecoded(piece, source: source)
      }
    }
  }

  /// A comment mentioning `sendlint-disable` (see `HTMLInventory.directiveComments`). Comments
  /// inside a conditional comment are part of the outer one, which is noted once.
  private func noteDirective(start: Int, dataStart: Int, end: Int) {
    guard conditionalDepth == 0, directiveComments.count < HTMLInventory.maximumDirectiveComments else {
      return
    }
    let from = max(0, dataStart - base)
    let to = max(from, min(bytes.count, end - base))
    guard bytes[from..<to].firstByteRange(of: Array("sendlint-disable".utf8)) != nil else { return }
    directiveComments.append((start, end))
  }

  /// Outlook conditional comments (`<!--[if mso]> … <![endif]-->`) hold HTML that Outlook renders:
  /// read their content as HTML too.
  private func comment(dataStart: Int, end: Int) {
    let start = dataStart - base
    let stop = max(start, min(bytes.count, end - base - 3))
    guard start < stop, stop <= bytes.count, conditionalDepth < Self.maximumConditionalDepth else { return }
    let data = bytes[start..<stop]
    guard data.starts(with: "[if".utf8), let close = data.firstByteRange(of: Array("]>".utf8)) else { return }
    // Only conditions Outlook takes as true render anywhere: the content of `[if !mso]` inside a
    // comment is skipped by Outlook and, being a comment, by every other client too.
    let condition = String(
      decoding: data[data.startIndex..<close.lowerBound].filter { $0 != 0x20 }, as: UTF8.self
    ).lowercased()
    guard condition.contains("mso"), !condition.contains("!mso"), !condition.contains("!(mso") else { return }
    var contentEnd = data.endIndex
    if let endif = data.firstByteRange(of: Array("<![endif]".utf8)) { contentEnd = endif.lowerBound }
    guard close.upperBound < contentEnd else { return }
    let inner = Array(data[close.upperBound..<contentEnd])
    conditionalDepth += 1
    var tokenizer = HTMLTokenizer(bytes: inner, base: base + close.upperBound)
    tokenizer.tokenize { feed($0) }
    conditionalDepth -= 1
  }

  func finish() -> HTMLInventory {
    finishStyle(at: bytes.count + base)
    var inventory = HTMLInventory()
    inventory.links = links.map {
      HTMLLink(
        kind: $0.kind, href: $0.attribute.value, hrefStart: $0.attribute.valueStart,
        hrefEnd: $0.attribute.valueEnd,
        hrefMap: $0.attribute.valueMap, text: $0.text.build(), hiddenText: $0.hiddenText,
        imageAltText: $0.altText,
        // A link whose own box inherits hiding (font-size:0 layout) but shows text is visible.
        hidden: $0.hidden && $0.text.build().bytes.isEmpty, tagStart: $0.tagStart, tagEnd: $0.tagEnd,
        inConditionalComment: $0.conditional,
        accessibleLabel: $0.accessibleLabel, shownImageAltText: $0.shownImageAltText)
    }
    inventory.images = images
    inventory.visibleText = visible.build()
    inventory.hiddenText = hiddenRuns.filter { $0.text.containsNonASCIIWhitespace }
    inventory.baseHref = baseHref
    inventory.accessibility = accessibility
    inventory.problems = problems
    inventory.directiveComments = directiveComments
    inventory.cascadeWork = cascadeWork
    inventory.styleBytes = styleBytes
    return inventory
  }
}
