import SendlintCore
import SendlintInventory
import SendlintURL
import Testing

/// Text URLs and splits in the mail encodings the URL issue names.
@Suite struct TextURLTests {
  func message(_ headers: String, _ body: String) -> Inventory {
    InventoryReader.eml(
      SourceFile(
        path: "m.eml", text: "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\n\(headers)\n\n\(body)"))
  }

  @Test func theArticleLinkOf2003IsSplit() throws {
    let inventory = message(
      "Content-Type: text/plain",
      "Read http://www.microsoft.com/security/ security_bulletins/ms03-026.asp now.\n")
    let entry = try #require(inventory.textURLs.first)
    #expect(entry.joined == "http://www.microsoft.com/security/security_bulletins/ms03-026.asp")
    #expect(entry.splitRange?.startPosition == SourcePosition(line: 6, column: 41))
  }

  @Test func aQuotedPrintableSoftBreakIsNotASplit() {
    let inventory = message(
      "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable",
      "Read http://www.microsoft.com/security/=\nsecurity_bulletins/ms03-026.asp now.\n")
    #expect(
      inventory.textURLs.map(\.url.text) == [
        "http://www.microsoft.com/security/security_bulletins/ms03-026.asp"
      ])
    #expect(inventory.textURLs.allSatisfy { $0.splitRange == nil })
  }

  @Test func formatFlowedWithDelSpJoinsTheURL() {
    let inventory = message(
      "Content-Type: text/plain; format=flowed; delsp=yes",
      "Read http://www.microsoft.com/security/ \nsecurity_bulletins/ms03-026.asp now.\n")
    #expect(
      inventory.textURLs.map(\.url.text) == [
        "http://www.microsoft.com/security/security_bulletins/ms03-026.asp"
      ])
    #expect(inventory.textURLs.first?.range.startPosition == SourcePosition(line: 6, column: 6))
  }

  @Test func formatFlowedWithoutDelSpKeepsTheSpaceSoTheURLIsSplit() {
    let inventory = message(
      "Content-Type: text/plain; format=flowed",
      "Read http://www.microsoft.com/security/ \nsecurity_bulletins/ms03-026.asp now.\n")
    #expect(
      inventory.textURLs.first?.joined == "http://www.microsoft.com/security/security_bulletins/ms03-026.asp")
  }

  @Test func angleBracketURLAcrossLinesIsWholeAndNotSplit() {
    let inventory = message(
      "Content-Type: text/plain",
      "See <https://www.contoso.com/security/\n   bulletins/ms03-026.asp> today.\n")
    #expect(inventory.textURLs.map(\.url.text) == ["https://www.contoso.com/security/bulletins/ms03-026.asp"])
    #expect(inventory.textURLs.first?.url.form == .delimited)
    #expect(inventory.textURLs.first?.splitRange == nil)
  }

  @Test func prosAfterAURLIsNotAContinuation() {
    let finder = TextURLFinder()
    for text in [
      "Visit http://www.contoso.com/ for details.", "Go to www.contoso.com/help\nThen restart.",
      "See https://contoso.com/a and https://contoso.com/b",
    ] {
      #expect(finder.find(in: Array(text.utf8)).allSatisfy { $0.split == nil }, "\(text)")
    }
  }

  @Test func hostileRunsStayLinear() {
    // A long run of "a." has one candidate per token, not one per label.
    let text = String(repeating: "a.", count: 200_000)
    let found = TextURLFinder().find(in: Array(text.utf8))
    #expect(found.count <= 1)
  }
}
