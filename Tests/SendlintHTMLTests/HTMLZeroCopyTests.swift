import SendlintCore
import SendlintHTML
import Testing

/// Issue 15, HTML without allocation per token: text runs and verbatim attribute values are slices
/// of the input, decoded ones are built in a `TextBuilder`, and `TextBuilder` appends runs of
/// non-whitespace bytes at once. These pin the bytes and the offset maps the representation must
/// keep, so findings and their locations cannot move with it.
@Suite struct HTMLZeroCopyTests {
  func attributes(_ html: String) -> [HTMLAttribute] {
    var tokenizer = HTMLTokenizer(bytes: Array(html.utf8), base: 100)
    var found: [HTMLAttribute] = []
    tokenizer.tokenize { if case .startTag(let tag) = $0 { found += tag.attributes } }
    return found
  }

  /// Where each byte of a value maps to in the source, exactly or not.
  func sources(_ attribute: HTMLAttribute) -> [Int] {
    (0..<attribute.valueBytes.count).map { attribute.valueMap.source(for: $0).offset }
  }

  /// A value written without references maps byte for byte from its first byte, quoted or not;
  /// an empty value has an empty map (as a `TextBuilder` given nothing has), and a valueless
  /// attribute an empty value.
  @Test func verbatimValuesMapByteForByte() {
    let found = attributes("<a href=\"ab\" id=xyz title='' hidden>")
    #expect(found.map(\.name) == ["href", "id", "title", "hidden"])
    #expect(found.map(\.value) == ["ab", "xyz", "", ""])
    // `<a href="` is 9 bytes, so the value starts at 109; `ab" id=` puts xyz at 116.
    #expect(sources(found[0]) == [109, 110])
    #expect(sources(found[1]) == [116, 117, 118])
    #expect(found[2].valueMap.segments.isEmpty)
    #expect(found[3].valueMap.segments.isEmpty)
    #expect(found[1].valueStart == 116 && found[1].valueEnd == 119)
  }

  /// A reference, a CR/LF pair or a NUL in a value switches it to decoded bytes: the bytes before
  /// stay mapped exactly, the decoded ones map to where they stand, and the bytes after exactly
  /// again. The same in unquoted values, and for a `&` that is no reference.
  @Test func decodedValuesKeepTheirMaps() {
    let found = attributes("<a href=\"a&amp;b\" title=\"x\r\ny\" alt=p&lt;q data-x=\"t&zz;u\">")
    #expect(found.map(\.value) == ["a&b", "x\ny", "p<q", "t&zz;u"])
    // a at 109, `&amp;` at 110, b at 115.
    #expect(sources(found[0]) == [109, 110, 115])
    // `" title="` follows; x at 125, CR at 126 (LF at 127 dropped), y at 128.
    #expect(sources(found[1]) == [125, 126, 128])
    #expect(found[1].valueEnd == 129)
    // `" alt=` then p at 135, `&lt;` at 136, q at 140.
    #expect(sources(found[2]) == [135, 136, 140])
    // `&zz;` is no reference: every byte stays verbatim, in place.
    let start = found[3].valueStart
    #expect(sources(found[3]) == Array(start..<start + 6))
    #expect(String(decoding: found[3].valueBytes, as: UTF8.self) == "t&zz;u")
  }

  /// NUL in values reads as U+FFFD, at the NUL's offset.
  @Test func nulInValueIsReplaced() {
    let found = attributes("<a title=\"x\u{0}y\">")
    #expect(found.first?.valueBytes.elementsEqual([0x78, 0xEF, 0xBF, 0xBD, 0x79]) == true)
    #expect(found.first.map(sources) == [110, 111, 111, 111, 112])
  }

  /// Text tokens are the input's bytes at their offsets; CR, CRLF and references come as
  /// decoded pieces that together with the runs spell the text.
  @Test func textTokensAreTheInputBytes() {
    let html = "ab\r\ncd&amp;e<b>f</b>\rg"
    var tokenizer = HTMLTokenizer(bytes: Array(html.utf8), base: 7)
    var pieces: [(String, Int, Bool)] = []
    tokenizer.tokenize {
      if case .characters(let bytes, let source, let verbatim) = $0 {
        pieces.append((String(decoding: bytes, as: UTF8.self), source, verbatim))
      }
    }
    #expect(pieces.map(\.0) == ["ab", "\n", "cd", "&", "e", "f", "\n", "g"])
    #expect(pieces.map(\.1) == [7, 9, 11, 13, 18, 22, 27, 28])
    #expect(pieces.map(\.2) == [true, false, true, false, true, true, false, true])
  }

  /// Collapsing runs appended in bulk: one space per whitespace run (mapped to the run's first
  /// byte), none at the start or after a break, every other byte mapped exactly.
  @Test func textBuilderCollapsesRunsInBulk() {
    var builder = TextBuilder(collapseWhitespace: true)
    builder.appendVerbatim(Array("  Sale \t now".utf8)[...], source: 10)
    builder.appendDecoded([0xC2, 0xA0], source: 30)
    builder.appendVerbatim(Array("on ".utf8)[...], source: 36)
    builder.appendBreak(source: 40)
    builder.appendVerbatim(Array(" x  y".utf8)[...], source: 50)
    let text = builder.build()
    #expect(String(decoding: text.bytes, as: UTF8.self) == "Sale now\u{00A0}on\nx y")
    let mapped = (0..<text.bytes.count).map { text.maps[0].source(for: $0) }
    #expect(
      mapped.map(\.offset) == [12, 13, 14, 15, 16, 19, 20, 21, 30, 30, 36, 37, 40, 51, 52, 54])
    // The second byte of the decoded no-break space has no column of its own.
    #expect(mapped.map(\.exact) == mapped.indices.map { $0 != 9 })
    // A generic collection of bytes reads the same as a slice.
    var generic = TextBuilder(collapseWhitespace: true)
    generic.appendVerbatim(CollectionOfOne(UInt8(ascii: "a")), source: 3)
    generic.appendVerbatim(Array(" b".utf8).reversed(), source: 4)
    #expect(String(decoding: generic.build().bytes, as: UTF8.self) == "ab")
  }
}
