import Foundation
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

/// `CSSColor.contrast` reads the hex digits from the bytes and the linearised channels from a
/// table; the ratio must be the one the formula with `Int(_:radix:)` and `pow` gave, for every
/// colour `normalise` can produce and for the texts that are not such colours.
@Suite struct ContrastTableTests {
  static func reference(_ first: String, _ second: String) -> Double? {
    func luminance(_ colour: String) -> Double? {
      guard colour.hasPrefix("#"), colour.count == 7, let value = Int(colour.dropFirst(), radix: 16) else {
        return nil
      }
      func channel(_ shift: Int) -> Double {
        let c = Double((value >> shift) & 0xFF) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
      }
      return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }
    guard let a = luminance(first), let b = luminance(second) else { return nil }
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)
  }

  @Test func tableAgreesWithTheFormula() {
    // Every channel value in each position, against white, black and a mid grey.
    var colours: [String] = []
    for value in 0..<256 {
      let hex = String(value, radix: 16)
      let byte = hex.count == 1 ? "0" + hex : hex
      colours += ["#\(byte)0000", "#00\(byte)00", "#0000\(byte)", "#\(byte)\(byte)\(byte)"]
    }
    colours += [
      "#FFFFFF", "#AbCdEf", "unknown", "transparent", "", "#", "#fff", "#fffffff", "#gggggg",
      "#ffffff\u{301}",
      "#\u{FF46}\u{FF46}\u{FF46}\u{FF46}\u{FF46}\u{FF46}", "\u{E9}ffffff",
    ]
    for first in colours {
      for second in ["#ffffff", "#000000", "#777777", "unknown", first] {
        #expect(CSSColor.contrast(first, second) == Self.reference(first, second), "\(first) on \(second)")
      }
    }
    for named in ["white", "navy", "#abc", "rgb(1, 2, 3)", " #ABCDEF "] {
      let colour = CSSColor.normalise(named)!
      #expect(CSSColor.contrast(colour, "#ffffff") == Self.reference(colour, "#ffffff"), "\(named)")
    }
  }
}
