import Foundation
import SendlintCore
import SendlintInventory
import SendlintURL
import Testing

/// A text body made of URLs becomes at most `InventoryLimits.maximumTextURLs` checked links, and
/// the rest is an `input/limit-exceeded` finding, never silently dropped.
@Suite struct HostileTextURLTests {
  @Test func textURLsAreCappedWithAFinding() {
    let count = InventoryLimits.maximumTextURLs + 2_000
    var text = ""
    for index in 0..<count { text += "https://h\(index).example/p\n" }
    let inventory = InventoryReader.template(
      SourceFile(path: "urls.txt", text: text), isHTML: false, finder: TextURLFinder())
    #expect(inventory.textURLs.count == InventoryLimits.maximumTextURLs)
    let limits = inventory.problems.filter { $0.code == "input/limit-exceeded" }
    #expect(limits.count == 1)
    #expect(limits.first?.message.contains("more than \(InventoryLimits.maximumTextURLs) URLs") == true)
  }

  @Test func exactlyTheBudgetIsNotALimit() {
    var text = ""
    for index in 0..<InventoryLimits.maximumTextURLs { text += "https://h\(index).example/p\n" }
    let inventory = InventoryReader.template(
      SourceFile(path: "urls.txt", text: text), isHTML: false, finder: TextURLFinder())
    #expect(inventory.textURLs.count == InventoryLimits.maximumTextURLs)
    #expect(!inventory.problems.contains { $0.code == "input/limit-exceeded" })
  }

  @Test func finderStopsAtItsMaximum() {
    let bytes = Array(String(repeating: "see https://a.example/x and ", count: 50).utf8)
    #expect(TextURLFinder().find(in: bytes, maximumResults: 7).count == 7)
    #expect(TextURLFinder().find(in: bytes).count == 50)
  }
}
