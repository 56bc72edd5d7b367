import Foundation
import SendlintCore
import SendlintEngine
import SendlintHTML
import SendlintInventory
import SendlintPolicy
import SendlintTestSupport
import Testing

/// Any bytes yield an inventory (findings), never a crash or a hang.
@Suite struct RobustnessTests {
  /// A small deterministic generator (SplitMix64), so failures reproduce.
  struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let tokens: [[UInt8]] = [
    "\r\n", "\n", "--", "=\r\n", "=3D", "=?utf-8?B?", "?=", "<a href=", "</a>", "<!--[if mso]>",
    "<![endif]-->",
    "&amp", "&#x", ";", "\"", "'", "<", ">", "Content-Type: multipart/mixed; boundary=b\r\n", "--b\r\n",
    "--b--",
    "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "http://",
    "www.",
    "{{", "}}", "\u{0}", "\u{FF}", "é", "\t", " ", "Received: from [1.2.3.4] by x\r\n", "<img src=x width=1>",
    "<style>", "<script>", "<title>", "<plaintext>", "%%", "*|", "|*",
  ].map { Array($0.utf8) }

  @Test func mutatedMessagesNeverCrash() throws {
    let seed = try String(contentsOfFile: TestPaths.examples + "/ms03-026/ms03-026.eml", encoding: .utf8)
    var random = SplitMix(state: 2003)
    let original = Array(seed.utf8)
    var misplaced: [String] = []
    for _ in 0..<400 {
      var bytes = original
      for _ in 0..<Int.random(in: 1...12, using: &random) {
        let position = Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        // non-empty list
        case 0: bytes.insert(contentsOf: Self.tokens.randomElement(using: &random)!, at: position)
        case 1 where position < bytes.count: bytes.remove(at: position)
        case 2 where position < bytes.count: bytes[position] = UInt8.random(in: 0...255, using: &random)
        default: bytes = Array(bytes[..<position])  // truncation
        }
      }
      let file = SourceFile(path: "fuzz.eml", bytes: bytes)
      let eml = InventoryReader.eml(file)
      _ = InventoryReader.template(file, isHTML: true)
      _ = InventoryReader.template(file, isHTML: false)
      // Not crashing is the point; what it reports must still point inside the file it names.
      for finding in Engine.check(eml, policy: PolicyLoader.builtinDefault(directory: "/"), category: nil) {
        guard let range = finding.range else { continue }
        if !(0 <= range.start && range.start <= range.end && range.end <= range.file.bytes.count) {
          misplaced.append("\(finding.rule) \(range.start)..<\(range.end) in \(range.file.bytes.count) bytes")
        }
      }
    }
    #expect(misplaced.isEmpty, "findings outside their file: \(misplaced.prefix(5))")
  }

  @Test func emptyAndTinyInputs() {
    for text in [
      "", "\n", "\r\n\r\n", "From:", ":", "--", "<", "&", "=",
      "Content-Type: multipart/mixed; boundary=\"\"\n\n--\n",
    ] {
      let inventory = InventoryReader.eml(SourceFile(path: "t.eml", text: text))
      #expect(inventory.links.isEmpty)
    }
    let empty = InventoryReader.eml(SourceFile(path: "t.eml", text: ""))
    #expect(empty.problems.contains { $0.code == "input/unparseable" })
  }

  /// Every file of the shared corpora (real, malformed and hostile mail) reads without a crash.
  @Test(
    .enabled(if: TestPaths.sharedHas("corpora"), "../shared is absent, so the mail corpora cannot be read"))
  func everyCorpusFileReads() throws {
    let shared = try #require(TestPaths.shared)
    let root = shared + "/corpora"
    guard let enumerator = FileManager.default.enumerator(atPath: root) else { return }
    var count = 0
    for case let relative as String in enumerator {
      let path = root + "/" + relative
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
        let data = FileManager.default.contents(atPath: path)
      else { continue }
      _ = InventoryReader.eml(SourceFile(path: relative, bytes: Array(data)))
      count += 1
    }
    print("read \(count) corpus files")
    #expect(count > 1000)
  }
}

/// The cascade's limits: hostile `<style>` masses are cut off with a problem, not matched
/// quadratically.
@Suite struct CascadeLimitTests {
  @Test func tooManyStyleRules() {
    let html = "<style>" + String(repeating: ".a{color:red}", count: 5_001) + "</style><p class=a>x</p>"
    let inventory = HTMLInventory.read(Array(html.utf8))
    #expect(inventory.problems.contains { $0.message.contains("more than 5000 style rules") })
  }

  @Test func cascadeBudget() {
    // 2,000 universal rules cost at least two units (candidate, selector test) per element.
    let html =
      "<style>" + String(repeating: "*{color:red}", count: 2_000) + "</style>"
      + String(repeating: "<b>x</b>", count: 3_000)
    let inventory = HTMLInventory.read(Array(html.utf8))
    #expect(inventory.problems.contains { $0.message.contains("units of style-rule matching work") })
    // A newsletter-sized stylesheet stays within it.
    let modest =
      "<style>" + String(repeating: "*{color:red}", count: 100) + "</style>"
      + String(repeating: "<b>x</b>", count: 1_100)
    #expect(HTMLInventory.read(Array(modest.utf8)).problems.isEmpty)
  }
}
