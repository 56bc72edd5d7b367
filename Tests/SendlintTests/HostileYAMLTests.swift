import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintYAML
import Testing

/// Issue 11, YAML and manifests: policies, manifests and `sendlint-tests.yaml` come from strangers,
/// so a small file must not expand into a huge tree, nest without end, or report its problems one
/// run at a time. Every input is generated here.
@Suite struct HostileYAMLTests {
  /// "Billion laughs": `levels` anchors, each a list of `width` aliases of the one before, so the
  /// last expands to width^levels scalars. The first alias is on line 2, column 8 (`l1: &l1 [*l0`).
  static func aliasBomb(levels: Int = 10, width: Int = 10, under key: String) -> String {
    var text = "\(key):\n  l0: &l0 lol\n"
    for level in 1..<levels {
      text += "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: width).joined(separator: ", ") + "]\n"
    }
    return text
  }

  static func policyDiagnostics(_ text: String) -> [Diagnostic] {
    switch PolicyLoader.load(text: text, path: "policy.yaml", directory: "/") {
    case .success: return []
    case .failure(let list): return list.diagnostics
    }
  }

  @Test func anAliasBombInAPolicyIsRefusedAtItsFirstAlias() {
    let diagnostics = Self.policyDiagnostics("version: 1\n" + Self.aliasBomb(under: "x_bomb"))
    let alias = diagnostics.filter { $0.code == "policy/yaml-alias" }
    #expect(alias.count == 1)
    #expect(alias.first?.position == SourcePosition(line: 4, column: 12))
    #expect(alias.first?.message.contains("*l0") == true)
    // Nothing was composed: no diagnostic about the unknown key `x_bomb` follows.
    #expect(diagnostics.count == 1)
  }

  @Test func anAliasBombInAManifestIsRefused() {
    let text = "campaign: c\nhtml: body.html\n" + Self.aliasBomb(under: "variables")
    let (_, diagnostics) = CampaignManifest.read(SourceFile(path: "c.campaign.yaml", bytes: Array(text.utf8)))
    #expect(diagnostics.map(\.code) == ["manifest/yaml-alias"])
    #expect(diagnostics.first?.position?.line == 5)
  }

  @Test func nestingDeeperThanTheLimitIsALocatedLimitDiagnostic() {
    let depth = YAMLReader.maximumDepth + 1
    let text = "version: 1\nbrand: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
    let diagnostics = Self.policyDiagnostics(text)
    #expect(diagnostics.map(\.code) == ["policy/limit-exceeded"])
    // The root mapping is level 1, so the (limit)th bracket opens level limit + 1.
    #expect(diagnostics.first?.position == SourcePosition(line: 2, column: 8 + YAMLReader.maximumDepth - 1))
    // At the limit itself the file is read (and only the schema complains).
    let within = "version: 1\nbrand: " + String(repeating: "[", count: depth - 2) + String(repeating: "]", count: depth - 2) + "\n"
    #expect(!Self.policyDiagnostics(within).contains { $0.code == "policy/limit-exceeded" })
  }

  /// Also a work bound: the lists are one 100 kB line, on which locating each item by walking
  /// from the line start took minutes (quadratic) before the reader resumed its walk.
  @Test func aListOrMappingWiderThanTheLimitIsALimitDiagnostic() {
    let limit = YAMLReader.maximumItemsPerNode
    func manifest(_ text: String) -> [Diagnostic] {
      CampaignManifest.read(SourceFile(path: "c.campaign.yaml", bytes: Array(text.utf8))).1
    }
    let list = "campaign: c\nhtml: b.html\nattachments: [" + (0...limit).map { "a\($0).pdf" }.joined(separator: ", ") + "]\n"
    #expect(manifest(list).map(\.code) == ["manifest/limit-exceeded"])
    let atLimit = "campaign: c\nhtml: b.html\nattachments: [" + (1...limit).map { "a\($0).pdf" }.joined(separator: ", ") + "]\n"
    #expect(manifest(atLimit).isEmpty)
    let mapping = "campaign: c\nhtml: b.html\nvariables:\n" + (0...limit).map { "  v\($0): x\n" }.joined()
    let diagnostics = manifest(mapping)
    #expect(diagnostics.map(\.code) == ["manifest/limit-exceeded"])
    #expect(diagnostics.first?.position?.line == 4 + limit)
  }
}
