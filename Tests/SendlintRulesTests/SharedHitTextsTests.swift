import SendlintCore
import SendlintRules
import Testing

/// `SharedHitTexts`: a repeated defect's hits share one copy of their texts (issue 15, memory).
@Suite struct SharedHitTextsTests {
  static func storage(_ text: String) -> UInt? {
    var text = text
    return text.withUTF8 { UInt(bitPattern: $0.baseAddress) }
  }

  @Test func hitsWithOneKeyShareTheirTextsAndKeepTheirRanges() {
    let file = SourceFile(path: "t.html", bytes: Array("<a href=x>x</a><a href=x>x</a>\n".utf8))
    var texts = SharedHitTexts()
    var made = 0
    func make(_ host: String) -> Hit {
      made += 1
      return Hit(
        range: nil, message: "link goes to \(host), which is not a brand domain",
        help: "add \(host) to the list",
        evidence: "link|\(host)", placeholders: ["host": host])
    }
    let first = texts.hit(at: SourceRange(file: file, start: 3, end: 9), key: "evil.example") {
      make("evil.example")
    }
    let second = texts.hit(at: SourceRange(file: file, start: 18, end: 24), key: "evil.example") {
      make("evil.example")
    }
    let other = texts.hit(at: nil, key: "other.example") { make("other.example") }
    #expect(made == 2)
    #expect(first.range?.start == 3)
    #expect(second.range?.start == 18)
    #expect(other.range == nil)
    #expect(second.message == "link goes to evil.example, which is not a brand domain")
    #expect(second.help == "add evil.example to the list")
    #expect(second.evidence == "link|evil.example")
    #expect(second.placeholders == ["host": "evil.example"])
    #expect(Self.storage(first.message) == Self.storage(second.message))
    #expect(other.message == "link goes to other.example, which is not a brand domain")
  }
}
