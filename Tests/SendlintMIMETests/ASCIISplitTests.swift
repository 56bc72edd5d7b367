import SendlintCore
import Testing

@testable import SendlintMIME

/// `splitASCII` must return exactly what the Character split returns, for every count limit and
/// both empty-subsequence settings, on ASCII and non-ASCII text (CR LF, combining marks after a
/// separator, a prepended mark before one).
@Suite struct ASCIISplitTests {
  static let texts = [
    "", ";", ";;", "a", "a;b", ";a;;b;", "a;b;", "from x (y [1.2.3.4]) by z; Mon, 4 Aug 2003",
    "a\r\nb;c\r\n", "\r\n;\r;\n", "a\r;\nb", "x;\u{301}y;z", "caf\u{E9};b", "\u{600};a", "a;\u{600}b;c",
    "a b\tc  d\r\ne", " \u{301}a b", "h=from:to:subject:date", "a=1&b=2&&c", "https://x/p#a#b",
    "x#\u{301}y#z",
  ]
  static let separators: [Character] = [";", " ", ":", "&", "\r", "\n", "=", "#"]

  @Test func agreesWithTheCharacterSplit() {
    for text in Self.texts {
      for separator in Self.separators {
        let byte = separator.asciiValue!
        for maxSplits in [0, 1, 2, Int.max] {
          for omitting in [true, false] {
            let expected = text.split(
              separator: separator, maxSplits: maxSplits, omittingEmptySubsequences: omitting)
            let got = text.splitASCII(
              separator: byte, maxSplits: maxSplits, omittingEmptySubsequences: omitting)
            #expect(
              got == expected,
              "\(text.debugDescription) \(separator.debugDescription) \(maxSplits) \(omitting)")
            let sub = text[...]
            #expect(
              sub.splitASCII(separator: byte, maxSplits: maxSplits, omittingEmptySubsequences: omitting)
                == sub.split(separator: separator, maxSplits: maxSplits, omittingEmptySubsequences: omitting))
            // A substring that starts past its base's start: offsets are the substring's own.
            let tail = text.dropFirst()
            #expect(
              tail.splitASCII(separator: byte, maxSplits: maxSplits, omittingEmptySubsequences: omitting)
                == tail.split(separator: separator, maxSplits: maxSplits, omittingEmptySubsequences: omitting)
            )
          }
        }
      }
      let whitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
      #expect(
        text.splitASCII(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A })
          == text.split(whereSeparator: whitespace), "\(text.debugDescription)")
    }
  }
}

/// RFC 2231 §5 language suffixes in encoded words: the charset ends at "*", found on bytes.
@Suite struct EncodedWordLanguageTests {
  @Test func charsetIsCutAtTheLanguageStar() {
    #expect(EncodedWords.decode("=?UTF-8*en?Q?caf=C3=A9?=") == "café")
    #expect(EncodedWords.decode("=?ISO-8859-1*fr-CA?B?Y2Fm6Q==?=") == "café")
    #expect(EncodedWords.decode("=?UTF-8?Q?plain?=") == "plain")
  }
}

/// Date cleaning (comments out, commas as blanks) on bytes agrees with the Character loop, and
/// Received dates are read after the last ";".
@Suite struct MailDateCleaningTests {
  static func reference(_ value: String) -> String {
    var cleaned = ""
    var depth = 0
    for character in value {
      if character == "(" {
        depth += 1
        continue
      }
      if character == ")" {
        depth = max(0, depth - 1)
        continue
      }
      if depth > 0 { continue }
      cleaned.append(character == "," ? " " : character)
    }
    return cleaned
  }

  @Test func cleaningAgreesWithTheCharacterLoop() {
    let values = [
      "Mon, 4 Aug 2003 10:00:00 -0700 (PDT)", "4 Aug (a (nested) comment) 2003, 10:00", ")) stray ( open",
      "a,\r\nb", "caf\u{E9}, (x) y", "(\u{301}x) 1,2", "", ",,,",
    ]
    for value in values {
      #expect(MailDate.cleaned(value) == Self.reference(value), "\(value.debugDescription)")
    }
    #expect(MailDate.parseReceived("from a by b; x; Mon, 4 Aug 2003 10:00:00 -0700") == 1_060_016_400)
    #expect(MailDate.parseReceived("from a by b; Mon, 4 Aug 2003 10:00:00 -0700 (\u{E9})") == 1_060_016_400)
    #expect(MailDate.parseReceived("no date here") == nil)
  }
}

/// DKIM tag lists are read on bytes when ASCII; the tags must be those the Character reading gives.
@Suite struct DKIMByteReadingTests {
  static func reference(_ value: String) -> (tags: [DKIMSignature.Tag], repeated: [String]) {
    var tags: [DKIMSignature.Tag] = []
    var repeated: [String] = []
    for spec in value.split(separator: ";", omittingEmptySubsequences: true) {
      guard let equals = spec.firstIndex(of: "=") else { continue }
      let name = spec[..<equals].filter { !$0.isWhitespace }
      guard !name.isEmpty else { continue }
      let tagValue = spec[spec.index(after: equals)...].filter { !$0.isWhitespace }
      if tags.contains(where: { $0.name == name }) {
        if !repeated.contains(name) { repeated.append(name) }
        continue
      }
      tags.append(DKIMSignature.Tag(name: name, value: tagValue))
    }
    return (tags, repeated)
  }

  @Test func agreesWithTheCharacterReading() {
    let values = [
      "v=1; a=rsa-sha256; d=contoso.com;\r\n\ts=s1; h=from : to;\r\n bh=ab cd\u{0B}ef=; b=AB\r\nCD\tEF==",
      "v=1; d=a; d=b; d=c; =x; novalue; e==; f= ;", "", ";;;", "v\r\n=1", "d=caf\u{E9}.example; s=x\u{301}",
      "h=\u{1C}a\u{1F}", "x= a\r\n\r\n b ",
    ]
    for value in values {
      let signature = DKIMSignature.parse(value)
      let expected = Self.reference(value)
      #expect(signature.tags == expected.tags, "\(value.debugDescription)")
      #expect(signature.repeatedTags == expected.repeated, "\(value.debugDescription)")
    }
  }
}
