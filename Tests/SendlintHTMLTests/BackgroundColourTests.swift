import SendlintHTML
import Testing

/// `CSSColor.background(of:)` splits a `background` shorthand on its bytes when it is ASCII (a
/// 100 KB `url(data:…)` image was split Character by Character); the answer must be the one the
/// split by Character gives, non-ASCII values included.
@Suite struct BackgroundColourTests {
  static func reference(_ value: String) -> String? {
    for part in value.split(separator: " ") {
      if let colour = CSSColor.normalise(String(part)) { return colour }
    }
    return nil
  }

  @Test func byteSplitAgreesWithTheCharacterSplit() {
    let image = "url(data:image/png;base64," + String(repeating: "iVBORw0KGgo", count: 2_000) + ")"
    let values = [
      "", " ", "red", "  #FFF  ", "\(image) #fff no-repeat", "\(image) no-repeat", "none",
      "url(x.png) rgb(1,2,3) top", "\tblue\t", "transparent", "red!important", "#abc !important",
      // A combining mark after a space joins it into one grapheme: no split there.
      "red \u{301}x", "x \u{301}red", "caf\u{E9} red", "red\u{600} x", "\u{600} red", "red\u{3000}blue",
    ]
    for value in values {
      let style = InlineStyle(declarations: ["background": value])
      #expect(CSSColor.background(of: style) == Self.reference(value), "\(value.prefix(40))")
    }
    #expect(CSSColor.background(of: InlineStyle(declarations: ["background": "\(image) #fff"])) == "#ffffff")
    #expect(CSSColor.background(of: InlineStyle(declarations: ["background": "red \u{301}x"])) == nil)
  }
}

/// Inline styles copy a text without "/" whole; with one, comments are taken out as before.
@Suite struct InlineStyleCommentTests {
  @Test func commentsAreRemovedAndPlainTextIsKept() {
    #expect(InlineStyle("color: red; display: none").declarations == ["color": "red", "display": "none"])
    #expect(
      InlineStyle("color: red /* x; y */; display:/**/none").declarations == [
        "color": "red", "display": "none",
      ])
    #expect(InlineStyle("color: red; /* unclosed; display: none").declarations == ["color": "red"])
    #expect(InlineStyle("background: url(a/b.png) red").declarations == ["background": "url(a/b.png) red"])
    #expect(InlineStyle("width: 1px/2px").declarations == ["width": "1px/2px"])
  }
}
