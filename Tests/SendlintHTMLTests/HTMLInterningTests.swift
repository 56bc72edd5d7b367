import SendlintCore
import SendlintHTML
import Testing

/// Issue 15, HTML on bytes: tag and attribute names are interned from their bytes in the
/// tokenizer, and the inventory builder reads attributes and element groups by id. These check
/// that the ids name exactly what the strings did, so the cascade and the link inventory cannot
/// change with the representation.
@Suite struct HTMLInterningTests {
  func startTags(_ html: String) -> [HTMLStartTag] {
    var tokenizer = HTMLTokenizer(bytes: Array(html.utf8))
    var tags: [HTMLStartTag] = []
    tokenizer.tokenize { if case .startTag(let tag) = $0 { tags.append(tag) } }
    return tags
  }

  /// Every known name maps to its own id and back; near misses (a byte more, less or different,
  /// the 9–16-byte names' tails, upper case, which the tokenizer lowers first) stay unknown.
  @Test func everyKnownNameRoundTrips() {
    for (index, name) in HTMLTagID.names.enumerated() {
      #expect(HTMLTagID(name).rawValue == UInt8(index), "\(name)")
      #expect(HTMLTagID(name + "x") == .unknown, "\(name)x")
      #expect(HTMLTagID(String(name.dropLast()) + "\u{7F}") == .unknown, "\(name) with its last byte changed")
    }
    for (index, name) in HTMLAttributeID.names.enumerated() {
      #expect(HTMLAttributeID(name).rawValue == UInt8(index), "\(name)")
      #expect(HTMLAttributeID(name + "x") == .unknown, "\(name)x")
      #expect(HTMLAttributeID(String(name.dropLast())) != HTMLAttributeID(name), "\(name) shortened")
    }
    #expect(HTMLTagID("") == .unknown)
    #expect(HTMLTagID("DIV") == .unknown)
    #expect(HTMLTagID("blockquotes") == .unknown)
    #expect(HTMLTagID("plaintexx") == .unknown)
    #expect(HTMLAttributeID("aria-labelledbyx") == .unknown)
    #expect(HTMLAttributeID("aria-labelledbz") == .unknown)
    #expect(HTMLAttributeID(String(repeating: "a", count: 40)) == .unknown)
  }

  /// Lookup by id and by name agree, for names with a slot, known names without one and unknown
  /// names; a duplicate is dropped whether its name is known or not, and the first value wins.
  @Test func attributeLookupByIdMatchesLookupByName() throws {
    let tag = try #require(
      startTags(
        "<A HREF='first' Class=\"x y\" data-q=1 href=second BORDER=2 data-q=3 border=4 aria-labelledby=l>"
      ).first)
    #expect(tag.id == .a)
    #expect(tag.name == "a")
    #expect(tag.attributes.map(\.name) == ["href", "class", "data-q", "border", "aria-labelledby"])
    #expect(tag.attribute(.href)?.value == "first")
    #expect(tag.attribute("href")?.value == "first")
    #expect(tag.attribute(.class)?.value == "x y")
    #expect(tag.attribute(.border)?.value == "2")
    #expect(tag.attribute("border")?.value == "2")
    #expect(tag.attribute("data-q")?.value == "1")
    #expect(tag.attribute(.ariaLabelledby)?.value == "l")
    #expect(tag.attribute(.style) == nil)
    #expect(tag.attribute(.unknown) == nil)
    #expect(tag.attribute("HREF") == nil)
    #expect(startTags("<blink>").first?.id == .unknown)
  }

  /// Text runs are scanned to the next byte the state treats specially: CR, CRLF, NUL, `&` and
  /// `<` inside a run still split it exactly where they did byte by byte.
  @Test func textRunsStopAtEverySpecialByte() {
    func text(_ html: String) -> String {
      var tokenizer = HTMLTokenizer(bytes: Array(html.utf8))
      var bytes: [UInt8] = []
      tokenizer.tokenize { if case .characters(let piece, _, _) = $0 { bytes += piece } }
      return String(decoding: bytes, as: UTF8.self)
    }
    #expect(text("ab\r\ncd\rx&amp;y<b>z</b>\u{0}w") == "ab\ncd\nx&yz\u{0}w")
    #expect(text("<style>a\r\nb&amp;\u{0}c</style>") == "a\nb&amp;\u{FFFD}c")
    #expect(text("<title>t&lt;\r</title>") == "t<\n")
    #expect(text("<!--a\r\nb--><p>c") == "c")
    var tokenizer = HTMLTokenizer(bytes: Array("<!--a\r\n-b<c\u{0}d-->".utf8))
    var data: String?
    tokenizer.tokenize { if case .comment(let text, _, _, _) = $0 { data = text } }
    #expect(data == "a\n-b<c\u{FFFD}d")
  }

  /// The inventory reads the groups by id: a `<p>` closed by a block, a `<li>` by the next, a
  /// hidden style inherited, a void `<img>` not opened, an unknown element popped by its name.
  @Test func elementGroupsByIdKeepTheInventory() {
    let html =
      "<p>one<div style='display:none'>hidden<custom-x>in</custom-x></div><ul><li>a<li>b</ul>"
      + "<a href='https://example.com/x'><img src='https://example.com/i.png' alt='logo'>go</a><h2>Head</h2>"
    let inventory = HTMLInventory.read(Array(html.utf8))
    #expect(String(decoding: inventory.visibleText.bytes, as: UTF8.self) == "one\na\nb\ngo\nHead")
    #expect(inventory.hiddenText.map(\.text) == ["hiddenin"])
    #expect(inventory.hiddenText.first?.reason == "display:none")
    #expect(inventory.links.map(\.href) == ["https://example.com/x"])
    #expect(inventory.links.first?.imageAltText.map(\.text) == ["logo"])
    #expect(inventory.images.first?.linkIndex == 0)
  }

  /// Styled runs keep their text collapsed as before (one space per whitespace run, none at the
  /// ends, character references decoded) and skip runs of only spaces and zero-width characters,
  /// with and without printable ASCII.
  @Test func styledRunTextIsCollapsed() {
    let html =
      "<p style='color:#333333'>\n  Sale \t now&nbsp;on  </p>"
      + "<p style='color:#333333'> &#x200B; &nbsp; </p><p style='color:#333333'>\u{2003}\u{00E9}\u{00E9} </p>"
    let runs = HTMLInventory.read(Array(html.utf8)).accessibility.styledRuns
    #expect(runs.map(\.text) == ["Sale now\u{00A0}on", "\u{2003}\u{00E9}\u{00E9}"])
  }

  /// The class masks that spare the cascade its hashing only ever say "certainly absent": a
  /// descendant rule still matches through ancestors, a class differing in one byte does not, and
  /// a class canonically equivalent to an ASCII one (KELVIN SIGN, "K") matches as String equality
  /// says it does.
  @Test func classMasksKeepSelectorMatching() {
    func hidden(_ html: String) -> [String] {
      HTMLInventory.read(Array(html.utf8)).hiddenText.map(\.text)
    }
    #expect(
      hidden(
        "<style>.outer .inner b { display:none }</style><div class='x outer'><p class='inner'><b>gone</b></p></div>"
      ) == ["gone"])
    #expect(
      hidden(
        "<style>.outer .inner { display:none }</style><div class='outer'><p class='innor'>kept</p></div>")
        == [])
    #expect(hidden("<style>.\u{212A} { display:none }</style><p class='K'>kelvin</p>") == ["kelvin"])
    #expect(hidden("<style>.K { display:none }</style><p class='\u{212A}'>kelvin</p>") == ["kelvin"])
    #expect(
      hidden("<style>.a.b { display:none }</style><p class='b'>one</p><p class='b a'>both</p>") == ["both"])
  }
}
