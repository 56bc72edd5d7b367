import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintTestSupport
import Testing

/// Issue 19: a draft's category and rule severities are decided once (`EffectiveSettings`), and
/// `lint`, `policy show` and `inspect` agree on them, also with the built-in default policy and a
/// manifest category it does not declare.
@Suite struct EffectiveSettingsTests {
  static let html = "<p>Hello <a href=\"https://www.example.com/\">our site</a></p>\n"
  static func manifest(category: String) -> String {
    "campaign: spring\ncategory: \(category)\nfrom: \"News <news@example.com>\"\nsubject: \"Spring news\"\nhtml: spring.html\n"
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func anUndeclaredManifestCategoryIsOneDiagnosticInEveryCommand() throws {
    // No .sendlint.yaml: the built-in default policy, which declares marketing, transactional
    // and security-notice, not the misspelt "marketting".
    let root = try SendlintCLI.repository([
      "mail/spring.campaign.yaml": Self.manifest(category: "marketting"), "mail/spring.html": Self.html,
    ])
    let lint = try SendlintCLI.sendlint(["lint", "mail/spring.campaign.yaml"], in: root)
    let show = try SendlintCLI.sendlint(["policy", "show", "mail/spring.campaign.yaml"], in: root)
    let inspect = try SendlintCLI.sendlint(["inspect", "mail/spring.campaign.yaml"], in: root)
    let expected =
      "mail/spring.campaign.yaml:2:11: error: category \"marketting\" is not declared in the policy sendlint:recommended [manifest/unknown-category]"
    #expect(lint.status == 2, "\(lint.all)")
    #expect(lint.all.contains(expected), "\(lint.all)")
    #expect(lint.all.contains("did you mean \"marketing\"?"), "\(lint.all)")
    // policy show: lint's diagnostic, on standard error, and exit 2 (lint would not lint it).
    #expect(show.status == 2, "\(show.all)")
    #expect(show.stderr.contains(expected), "\(show.all)")
    #expect(show.stdout.isEmpty, "\(show.stdout)")
    // inspect still shows the draft, with no category, and lint's diagnostic on standard error.
    #expect(inspect.status == 0, "\(inspect.all)")
    #expect(inspect.stderr.contains(expected), "\(inspect.all)")
    #expect(
      inspect.stdout.hasPrefix(
        "draft: mail/spring.campaign.yaml (campaign) — the manifest states \"marketting\", which the policy does not declare\n"
      ), "\(inspect.stdout)")
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
  func aDeclaredCategoryIsShownWithItsOriginByEveryCommand() throws {
    let root = try SendlintCLI.repository([
      "mail/spring.campaign.yaml": Self.manifest(category: "security-notice"), "mail/spring.html": Self.html,
    ])
    let show = try SendlintCLI.sendlint(["policy", "show", "mail/spring.campaign.yaml"], in: root)
    let inspect = try SendlintCLI.sendlint(
      ["inspect", "mail/spring.campaign.yaml", "--format", "json"], in: root)
    #expect(show.status == 0, "\(show.all)")
    #expect(
      show.stdout.contains(
        "category: security-notice (stated by the manifest (mail/spring.campaign.yaml:2))\n"),
      "\(show.stdout)")
    // tracking/pixel's default depends on the category: an error in security notices.
    let pixel = try #require(show.stdout.split(separator: "\n").first { $0.contains("tracking/pixel ") })
    #expect(pixel.contains(" error ") && pixel.hasSuffix("rule default for security-notice"), "\(pixel)")
    #expect(inspect.stdout.contains("\"category\" : \"security-notice\""), "\(inspect.stdout)")
    #expect(
      inspect.stdout.contains(
        "\"category_origin\" : \"stated by the manifest (mail/spring.campaign.yaml:2)\""), "\(inspect.stdout)"
    )
  }

  /// The library: the same decision without the CLI, including origins of rule severities.
  @Test func originsNameThePolicyLineOrTheRuleDefault() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "effective-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let policyPath = directory + "/.sendlint.yaml"
    try Data(
      "version: 1\ncategories: [news]\nclassify:\n  - { files: [\"news/**\"], category: news }\nrules:\n  link/insecure: info\n"
        .utf8
    )
    .write(to: URL(fileURLWithPath: policyPath))
    let policy = try PolicyLoader.load(path: policyPath)
    let settings = EffectiveSettings.resolve(
      policy: policy, path: directory + "/news/a.eml", statedCategory: nil, subject: nil)
    #expect(settings.category == "news")
    #expect(settings.categoryOrigin == .classify(files: ["news/**"], subject: nil))
    #expect(settings.diagnostics.isEmpty)
    let insecure = try #require(settings.rules.first { $0.metadata.id == "link/insecure" })
    #expect(insecure.severity == .info)
    #expect(insecure.origin == .policy("\(policyPath):6"))
    let unclassified = EffectiveSettings.resolve(
      policy: policy, path: directory + "/other/a.eml", statedCategory: nil, requestedCategory: nil,
      subject: nil)
    #expect(unclassified.category == nil)
    #expect(unclassified.categoryOrigin == .unclassified)
    let requested = EffectiveSettings.resolve(
      policy: policy, path: directory + "/news/a.eml", statedCategory: nil, requestedCategory: "news")
    #expect(requested.categoryOrigin == .request)
    // Engine.enabledRules is the same list without the rules that are off.
    #expect(
      Engine.enabledRules(policy: policy, category: "news", path: directory + "/news/a.eml").map(
        \.metadata.id) == settings.enabledRules.map(\.metadata.id))
  }
}
