import Foundation
import SendlintCore
import SendlintInventory
import SendlintURL
import Testing

@testable import SendlintRules

/// The rules' ASCII fast paths answer what the Unicode property tables answer: for every ASCII
/// scalar, and for the text they are used on.
@Suite struct ScalarFastPathTests {
  /// `Obfuscated.invisibleInHost` skips ASCII hrefs: no ASCII scalar may be invisible.
  @Test func noASCIIScalarIsInvisible() {
    for value in UInt32(0)..<0x80 {
      #expect(!InvisibleCharacters.isInvisible(Unicode.Scalar(value)!), "U+\(String(value, radix: 16))")
    }
    #expect(InvisibleCharacters.isInvisible("\u{200B}"))
  }

  @Test func spacersAreWhiteSpaceOrTheListedPadding() {
    let padding: Set<UInt32> = [0x00A0, 0x00AD, 0x034F, 0x200B, 0x200C, 0x200D, 0x2007, 0xFEFF]
    for value in UInt32(0)...0x3000 {
      guard let scalar = Unicode.Scalar(value) else { continue }
      #expect(
        HiddenText.isSpacer(scalar) == (scalar.properties.isWhitespace || padding.contains(value)),
        "U+\(String(value, radix: 16))")
    }
  }

  /// The loop `words(_:)` had, on the property tables alone.
  static func referenceWords(_ text: String) -> [String] {
    var result: [String] = []
    var current = String.UnicodeScalarView()
    var letters = 0
    for scalar in text.unicodeScalars {
      if scalar.properties.isAlphabetic {
        current.append(scalar)
        letters += 1
      } else if scalar.properties.numericType != nil {
        current.append(scalar)
      } else {
        if letters >= 2 { result.append(String(current).lowercased()) }
        current = String.UnicodeScalarView()
        letters = 0
      }
    }
    if letters >= 2 { result.append(String(current).lowercased()) }
    return result
  }

  @Test func wordsAgreeWithThePropertyTables() {
    var everyASCII = ""
    for value in UInt32(0)..<0x80 {
      everyASCII.unicodeScalars.append(Unicode.Scalar(value)!)
      everyASCII += "ab"
    }
    let texts = [
      everyASCII, "Hello, World 2024! x1 ab3cd", "Straße café ２０２４ Ⅻ naïve", "@[`{ AZ az 09 _ab_",
      "a\u{301}b c\u{0663}\u{0664}d", "",
      // Words that mix ASCII with other scalars (lowercased as Strings), 4-byte scalars.
      "ABC\u{130}DEF X\u{1D400}\u{1D401}Y \u{1F600}ab\u{1F600} \u{10400}\u{10401} Ab\u{E9}CD",
    ]
    // Every scalar up to U+3000 between ASCII letters, and alone between two words.
    var everyScalar = ""
    for value in UInt32(0x80)...0x3000 {
      guard let scalar = Unicode.Scalar(value) else { continue }
      everyScalar += "Ab"
      everyScalar.unicodeScalars.append(scalar)
      everyScalar += "Cd "
      everyScalar.unicodeScalars.append(scalar)
      everyScalar += " "
    }
    for text in texts + [everyScalar] {
      #expect(VisibleWords.words(text) == Self.referenceWords(text), "\(text.debugDescription)")
    }
  }

  @Test func hiddenTextSnippetsAgreeWithTheCharacterSplit() {
    var everyASCII = ""
    for value in UInt32(0)..<0x80 { everyASCII.unicodeScalars.append(Unicode.Scalar(value)!) }
    let texts = [
      everyASCII, "  a\r\n b\t\tc\u{0B}d\u{0C}e  ", "\r\n\r\n", "", "one", "x\u{1C}y\u{1F}z",
      "caf\u{E9}  au\u{A0}lait\u{2003}x", " \u{301}a b",
    ]
    for text in texts {
      #expect(
        HiddenText.snippet(text) == text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "),
        "\(text.debugDescription)")
    }
  }

  /// `NonDescriptiveText` skips a link text with more ASCII letters and digits than any phrase
  /// has: `normalised` never has fewer letters and digits than the text's ASCII ones, for any
  /// scalar next to them (case mappings that grow, like U+0130, or reach ASCII, like the Kelvin sign).
  @Test func linkTextsPastThePhraseLengthNormaliseLonger() {
    var texts = [
      "Click HERE", "click-here!", "\u{130}STANBUL", "\u{212A}elvin", "ﬁle ﬂow", "Straße ２０２４ x9",
      "é É \u{1F600} 12", "", "   ", "a.b,c;d", "\u{0130}\u{0130}i",
    ]
    for value in UInt32(0x80)...0x3000 {
      guard let scalar = Unicode.Scalar(value) else { continue }
      var text = "Ab"
      text.unicodeScalars.append(scalar)
      text += "9z"
      texts.append(text)
    }
    for text in texts {
      let ascii = text.utf8.count { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || $0 >= 0x30 && $0 <= 0x39 }
      let normalised = NonDescriptiveText.normalised(text).unicodeScalars.count { $0 != " " }
      #expect(normalised >= ascii, "\(text.debugDescription)")
      #expect(NonDescriptiveText.hasMoreASCIIAlphanumerics(text, than: ascii - 1) == (ascii > 0))
      #expect(!NonDescriptiveText.hasMoreASCIIAlphanumerics(text, than: ascii))
    }
  }

  /// The skip's bound comes from the policy's phrases, not the defaults: a long phrase still flags.
  @Test func longPolicyPhrasesStillMatch() {
    let html = #"<p><a href="https://www.contoso.com/a">Read the full story here &raquo;</a></p>"#
    let inventory = InventoryReader.template(SourceFile(path: "t.html", text: html), isHTML: true)
    let context = RuleContext(brand: BrandFacts(), category: nil)
    let options = RuleOptions(["phrases": .strings(["Read the full story here"])])
    #expect(NonDescriptiveText(options: options).check(inventory, context).count == 1)
    #expect(NonDescriptiveText(options: RuleOptions()).check(inventory, context).isEmpty)
  }
}

/// `trimmingWhitespaces` trims ASCII text on bytes; it must give what Foundation's
/// `trimmingCharacters(in: .whitespaces)` gives, on ASCII and other text.
@Suite struct WhitespaceTrimTests {
  @Test func agreesWithFoundation() {
    let texts = [
      "", " ", "\t", " \t ", "a", " a ", "\ta b\t", "  <id@example.com>  ", "\r\n", " \r\n ", "\u{0B}a\u{0C}",
      "\na\n", "\u{A0}a\u{A0}", "\u{2003}Mon, 1 Jan 2024\u{3000}", " caf\u{E9} ", "\u{301} x", "x \u{301}",
      " Tue, 2 Jan 2024 10:00:00 +0000 ",
    ]
    for text in texts {
      #expect(
        text.trimmingWhitespaces == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))"
      )
    }
  }
}
