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
  /// with and without printable ASCII. (Grey on white, 2.85:1: runs that reach 4.5:1 are not
  /// recorded.)
  @Test func styledRunTextIsCollapsed() {
    let html =
      "<p style='color:#999999'>\n  Sale \t now&nbsp;on  </p>"
      + "<p style='color:#999999'> &#x200B; &nbsp; </p><p style='color:#999999'>\u{2003}\u{00E9}\u{00E9} </p>"
    let runs = HTMLInventory.read(Array(html.utf8)).accessibility.styledRuns
    #expect(runs.map(\.text) == ["Sale now\u{00A0}on", "\u{2003}\u{00E9}\u{00E9}"])
  }

  /// The texts an HTML body hides.
  static func hidden(_ html: String) -> [String] {
    HTMLInventory.read(Array(html.utf8)).hiddenText.map(\.text)
  }

  /// The class masks that spare the cascade its hashing only ever say "certainly absent": a
  /// descendant rule still matches through ancestors, a class differing in one byte does not, and
  /// a class canonically equivalent to an ASCII one (KELVIN SIGN, "K") matches as String equality
  /// says it does.
  @Test func classMasksKeepSelectorMatching() {
    #expect(
      Self.hidden(
        "<style>.outer .inner b { display:none }</style><div class='x outer'><p class='inner'><b>gone</b></p></div>"
      ) == ["gone"])
    #expect(
      Self.hidden(
        "<style>.outer .inner { display:none }</style><div class='outer'><p class='innor'>kept</p></div>")
        == [])
    #expect(Self.hidden("<style>.\u{212A} { display:none }</style><p class='K'>kelvin</p>") == ["kelvin"])
    #expect(Self.hidden("<style>.K { display:none }</style><p class='\u{212A}'>kelvin</p>") == ["kelvin"])
    #expect(
      Self.hidden("<style>.a.b { display:none }</style><p class='b'>one</p><p class='b a'>both</p>") == [
        "both"
      ])
  }

  /// Elements of one tag, `class` and `id` share one selection (class names, mask, candidate
  /// rules): a later `<style>` block still applies to the next such element, and each element is
  /// charged the cascade work it was charged when computed, shared or not.
  @Test func sharedElementSelectionsKeepTheCascade() {
    #expect(
      Self.hidden(
        "<style>.x { color:red }</style><p class='x'>a</p><style>.x { display:none }</style><p class='x'>b</p>"
      )
        == ["b"])
    #expect(
      Self.hidden("<style>p.x#i { display:none }</style><p class='x'>a</p><p class='x' id='i'>b</p>") == ["b"]
    )
    func work(_ elements: Int) -> Int {
      let html =
        "<style>.a { color:red } p { color:blue } .b span { display:none }</style>"
        + String(repeating: "<p class='a b'>x</p>", count: elements)
      return HTMLInventory.read(Array(html.utf8)).cascadeWork
    }
    let first = work(1) - work(0)
    #expect(first > 0)
    #expect(work(2) - work(1) == first)
    #expect(work(5) - work(1) == 4 * first)
  }

  /// The ancestor masks that let the cascade skip walks (an element's own key, and the OR over its
  /// ancestors) never change a match: random trees of tags, classes and ids (KELVIN SIGN among
  /// them) under random descendant selectors hide exactly the elements a plain walk over the tree
  /// matches, and their descendants.
  @Test func ancestorMasksKeepDescendantMatching() {
    struct Node {
      var tag: String
      var classes: [String]
      var id: String?
      var parent: Int?
    }
    var state: UInt64 = 0x5eed
    func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int((z ^ (z >> 31)) % UInt64(bound))
    }
    let tags = ["div", "span", "b", "em"]
    let classNames = ["a", "b", "c", "K", "\u{212A}"]
    let ids = ["x", "y"]
    func compound(tag: String?, classes: [String], id: String?) -> (text: String, test: (Node) -> Bool) {
      let text = (tag ?? "") + (id.map { "#" + $0 } ?? "") + classes.map { "." + $0 }.joined()
      return (
        text.isEmpty ? "*" : text,
        { node in
          (tag == nil || tag == node.tag) && (id == nil || id == node.id)
            && classes.allSatisfy { node.classes.contains($0) }
        }
      )
    }
    for _ in 0..<300 {
      // A random tree in document order: each node's parent is an earlier node (or none).
      var nodes: [Node] = []
      var open: [Int] = []
      var html = ""
      for index in 0..<40 {
        let closing = open.isEmpty ? 0 : next(open.count + 1)
        for _ in 0..<closing {
          html += "</\(nodes[open.removeLast()].tag)>"
        }
        let node = Node(
          tag: tags[next(tags.count)],
          classes: (0..<next(3)).map { _ in classNames[next(classNames.count)] },
          id: next(3) == 0 ? ids[next(ids.count)] : nil, parent: open.last)
        nodes.append(node)
        open.append(index)
        let idText = node.id.map { " id='\($0)'" } ?? ""
        html += "<\(node.tag) class='\(node.classes.joined(separator: " "))'\(idText)> t\(index) "
      }
      // A selector of one to three compounds, outermost first.
      let compounds = (0..<(1 + next(3))).map { _ in
        compound(
          tag: next(2) == 0 ? tags[next(tags.count)] : nil,
          classes: (0..<next(3)).map { _ in classNames[next(classNames.count)] },
          id: next(4) == 0 ? ids[next(ids.count)] : nil)
      }
      let selector = compounds.map(\.text).joined(separator: " ")
      func matches(_ index: Int) -> Bool {
        guard compounds.last!.test(nodes[index]) else { return false }
        var ancestor = nodes[index].parent
        for position in compounds.indices.dropLast().reversed() {
          while let current = ancestor, !compounds[position].test(nodes[current]) {
            ancestor = nodes[current].parent
          }
          guard let found = ancestor else { return false }
          ancestor = nodes[found].parent
        }
        return true
      }
      func hiddenByWalk(_ index: Int) -> Bool {
        var current: Int? = index
        while let node = current {
          if matches(node) { return true }
          current = nodes[node].parent
        }
        return false
      }
      let expected = Set(nodes.indices.filter(hiddenByWalk).map { "t\($0)" })
      let inventory = HTMLInventory.read(Array("<style>\(selector) { display:none }</style>\(html)".utf8))
      let hidden = Set(inventory.hiddenText.flatMap { $0.text.split(separator: " ").map(String.init) })
      #expect(hidden == expected, "\(selector) over \(html)")
    }
  }
}
