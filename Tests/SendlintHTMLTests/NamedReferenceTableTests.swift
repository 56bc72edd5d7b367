import Testing

@testable import SendlintHTML

/// The named-reference table is parsed on bytes; it must equal the table the Character split
/// built, entry for entry, and hold the standard's 2,231 names.
@Suite struct NamedReferenceTableTests {
  @Test func byteParseEqualsTheSplitParse() {
    var expected: [String: [UInt8]] = [:]
    for line in namedCharacterReferenceTable.split(separator: "\n") {
      let fields = line.split(separator: "\t")
      guard fields.count == 2 else { continue }
      var bytes: [UInt8] = []
      for code in fields[1].split(separator: " ") {
        if let value = UInt32(code, radix: 16) { bytes += HTMLTokenizer.utf8(value) }
      }
      expected[String(fields[0])] = bytes
    }
    #expect(expected.count == 2_231)
    #expect(NamedReferences.table == expected)
    #expect(NamedReferences.table["NotEqualTilde;"] == Array("\u{2242}\u{338}".utf8))
  }

  @Test func irregularLinesAreSkippedOrTrimmed() {
    let text = "a;\t41\n\tnoname\nb;\n c\t42 43\nd;\t4G 44\ne\t1 2\tx\n\nf;\t110000\n"
    let table = Array(text.utf8).withUnsafeBufferPointer { NamedReferences.parse($0) }
    #expect(table["a;"] == [0x41])
    #expect(table[" c"] == [0x42, 0x43])
    #expect(table["d;"] == [0x44])
    #expect(table["e"] == nil)
    #expect(table["b;"] == nil)
    #expect(table["f;"] == Array("\u{FFFD}".utf8))
    #expect(table.count == 4)
  }
}
