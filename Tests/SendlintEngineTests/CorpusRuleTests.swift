import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintRules
import SendlintTestSupport
import Testing

/// Rules on real mail: legitimate newsletters from eleven ESPs, each under a policy describing its
/// sender (written by reading the messages), must not trip the link-deception rules without a
/// documented reason; detection corpora are counted per rule.
@Suite struct CorpusRuleTests {
  static let deceptionRules: Set<String> = [
    "link/text-host-mismatch", "link/obfuscated", "link/lookalike-domain", "link/same-target",
  ]

  /// Sender policies by path fragment: the brand's domains, the click-tracking hosts it has
  /// delegated to its ESP, and third-party hosts it links to on purpose.
  static let senders: [(match: String, brand: String)] = [
    (
      "norma",
      "domains: [norma-online.de, norma-online.info, norma24.de, norma-connect.de, norma-reisen.de, normafoto.de]"
    ),
    (
      "zeitzuleben",
      "domains: [zeitzuleben.de], tracking_domains: [click.convertkit-mail4.com, unsubscribe.convertkit-mail4.com]"
    ),
    ("rewe", "domains: [rewe.de]"),
    (
      "oekoligenta",
      "domains: [oekoligenta.de, xn--koligenta-z7a.de], tracking_domains: [oekoligenta.fairmailing.net]"
    ),
    ("vfl-bochum", "domains: [vfl-bochum.de], allowed_hosts: [getresponse360.pl]"),
    (
      "katjes",
      "domains: [katjes.de], tracking_domains: [trk.klclick.com], allowed_hosts: [katjes-shop.myshopify.com, kmail-lists.com]"
    ),
    ("schoepflin", "domains: [schoepflin-stiftung.de], tracking_domains: [amxe.net]"),
    ("wwf", "domains: [wwf.de]"),
    ("asylforum", "domains: [diakonie-freiburg.de], tracking_domains: [121070.seu2.cleverreach.com]"),
    ("cleverreach/tests", "domains: [diakonie-freiburg.de], tracking_domains: [121070.seu2.cleverreach.com]"),
    ("inxmail", "domains: [inxmail.de], tracking_domains: [newsletter.inxmail.de]"),
    ("mailchimp", "domains: [schreibsuchti.de], tracking_domains: [schreibsuchti.us3.list-manage.com]"),
  ]

  /// Deception findings on legitimate mail that are real, with the reason.
  static let documented: [String: String] = [:]

  static func messages(under folder: String) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
    return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".eml") }.sorted().map {
      folder + "/" + $0
    }
  }

  @Test(.enabled(if: TestPaths.sharedHas("corpora/legit"), "../shared/corpora/legit is absent"))
  func legitimateNewslettersAreCleanOfLinkDeception() throws {
    let shared = try #require(TestPaths.shared)
    var counts: [String: Int] = [:]
    var undocumented: [String] = []
    var checked = 0
    for path in Self.messages(under: shared + "/corpora/legit") {
      guard let sender = Self.senders.first(where: { path.contains($0.match) }) else {
        undocumented.append("\(path): no sender policy written for it")
        continue
      }
      let policy = try SendlintPolicyTestSupport.policy(
        "version: 1\nbrand: { \(sender.brand) }\ncategories: [marketing]\n")
      let file = SourceFile(path: path, bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
      let findings = Engine.check(InventoryReader.eml(file), policy: policy, category: "marketing")
      checked += 1
      for finding in findings {
        counts[finding.rule, default: 0] += 1
        guard Self.deceptionRules.contains(finding.rule) else { continue }
        let key = "\(URL(fileURLWithPath: path).lastPathComponent) \(finding.rule)"
        if Self.documented[key] == nil {
          undocumented.append(
            "\(path):\(finding.range?.startPosition.line ?? 0): \(finding.rule): \(finding.message)")
        }
      }
    }
    print("legit corpus: \(checked) newsletters; findings per rule:")
    for (rule, count) in counts.sorted(by: { $0.key < $1.key }) { print("  \(rule): \(count)") }
    for line in undocumented { print("  UNDOCUMENTED \(line)") }
    #expect(checked >= 20)
    #expect(undocumented.isEmpty, "link-deception findings on legitimate mail without a documented reason")
  }

  @Test(.enabled(if: TestPaths.sharedHas("corpora/detection"), "../shared/corpora/detection is absent"))
  func detectionCorporaCountsPerRule() throws {
    let shared = try #require(TestPaths.shared)
    let policy = try SendlintPolicyTestSupport.policy(
      "version: 1\ncategories: [marketing, security-notice]\n")
    for corpus in ["rspamd", "spamassassin-tdata", "phishing-pot"] {
      var counts: [String: Int] = [:]
      var messages = 0
      let folder = shared + "/corpora/detection/" + corpus
      guard let enumerator = FileManager.default.enumerator(atPath: folder) else { continue }
      for case let relative as String in enumerator {
        let path = folder + "/" + relative
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
          !relative.hasSuffix(".txt"), !relative.hasSuffix(".md"),
          let data = FileManager.default.contents(atPath: path)
        else { continue }
        messages += 1
        for finding in Engine.check(
          InventoryReader.eml(SourceFile(path: relative, bytes: Array(data))), policy: policy, category: nil)
        {
          counts[finding.rule, default: 0] += 1
        }
      }
      print(
        "detection/\(corpus): \(messages) messages; findings per rule (no brand policy: brand rules stay silent):"
      )
      for (rule, count) in counts.sorted(by: { $0.key < $1.key }) { print("  \(rule): \(count)") }
      #expect(messages > 0)
    }
  }
}
