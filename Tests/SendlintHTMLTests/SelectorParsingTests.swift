import Testing

@testable import SendlintHTML

/// `StyleSheetParser.parseSelector` reads ASCII selectors on bytes; the compounds must be the ones
/// the Character reading gave (kept here as the reference), and non-ASCII or CR selectors still
/// take that reading.
@Suite struct SelectorParsingTests {
  static func reference(_ text: String) -> [CompoundSelector]? {
    var compounds: [CompoundSelector] = []
    for part in text.split(whereSeparator: {
      $0 == " " || $0 == ">" || $0 == "\n" || $0 == "\t" || $0 == "+" || $0 == "~"
    }) {
      var compound = CompoundSelector()
      var current = ""
      var kind: Character = "t"
      func flush() {
        guard !current.isEmpty else { return }
        switch kind {
        case ".": compound.classes.append(current)
        case "#": compound.id = current
        default: compound.tag = current.lowercased()
        }
        current = ""
      }
      for character in part {
        if character == "." || character == "#" {
          flush()
          kind = character
        } else if character == ":" || character == "[" || character == "(" {
          return nil
        } else {
          current.append(character)
        }
      }
      flush()
      compounds.append(compound)
    }
    return compounds.isEmpty ? nil : compounds
  }

  @Test func byteReadingAgreesWithTheCharacterReading() {
    let selectors = [
      "", " ", "p", "P", "DIV.Note#Main", "div.a .b > #c", ".a.b.c", "#x.y", "..a", "a..b", "a.", "#", ".",
      "td  >  p + span ~ em", "\ttable\ntd", "a:hover", "p[title]", "li:nth-child(2)", "*", "* .a", "x#y#z",
      ".K", ".\u{212A}", "d\u{0130}v", ".caf\u{E9} p", "p \u{301}.a", "a\r\n.b", ".a\r.b", "UL LI.Item",
      String(repeating: ".k", count: 500), String(repeating: "div ", count: 200) + "p",
    ]
    for selector in selectors {
      #expect(
        StyleSheetParser.parseSelector(selector) == Self.reference(selector), "\(selector.debugDescription)")
    }
    // Every two-byte ASCII text, through both readings.
    let bytes = (0x09...0x7E).map { UInt8($0) }
    for first in bytes {
      for second in bytes {
        let text = String(
          decoding: [UInt8(ascii: "a"), first, UInt8(ascii: "B"), second, UInt8(ascii: "c")], as: UTF8.self)
        #expect(StyleSheetParser.parseSelector(text) == Self.reference(text), "\(text.debugDescription)")
      }
    }
  }
}
