import Foundation
import SendlintCore
import SendlintPolicy
import SendlintURL
import SendlintYAML
import Testing

/// Issue 15, start-up: the Public Suffix List is indexed lazily on its bytes and YAML is composed
/// without Yams' regex resolver; both must answer exactly as before.
@Suite struct StartupTests {
  /// The previous implementation: a Set of every rule's lowercased ASCII form, by kind.
  struct ReferenceList {
    var rules = Set<String>()
    var wildcards = Set<String>()
    var exceptions = Set<String>()

    init(_ text: String) {
      for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
        guard
          let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init),
          !word.hasPrefix("//")
        else { continue }
        func ascii(_ rule: Substring) -> String {
          let rule = String(rule)
          if !rule.isEmpty, rule.utf8.allSatisfy({ $0 < 0x80 }) { return rule.lowercased() }
          return IDNA.toASCII(rule.lowercased()) ?? rule.lowercased()
        }
        if word.hasPrefix("!") {
          exceptions.insert(ascii(word.dropFirst()))
        } else if word.hasPrefix("*.") {
          wildcards.insert(ascii(word.dropFirst(2)))
        } else {
          rules.insert(ascii(word[...]))
        }
      }
    }

    func publicSuffix(of host: String) -> String? {
      let labels = HostName.normalise(host).split(separator: ".", omittingEmptySubsequences: false).map(
        String.init)
      guard !labels.isEmpty, !labels.contains(where: \.isEmpty) else { return nil }
      func candidate(_ count: Int) -> String { labels[(labels.count - count)...].joined(separator: ".") }
      for count in 1...labels.count where exceptions.contains(candidate(count)) {
        return candidate(count - 1)
      }
      var length = 1
      for count in 1...labels.count
      where rules.contains(candidate(count)) || (count >= 2 && wildcards.contains(candidate(count - 1))) {
        length = count
      }
      return labels[(labels.count - length)...].joined(separator: ".")
    }
  }

  static let sample = """
    // ===BEGIN ICANN DOMAINS===
    com
    CO.UK
    co.uk
    \t*.Kawasaki.JP   // a trailing comment
    !City.Kawasaki.jp
    ck
    *.ck
    !www.ck
    中国
    *.公司.cn
    !
    *.

    """ + "a" + String(repeating: "b", count: 300) + ".example\n"

  @Test func lazyByteTableAnswersLikeASetOfRules() {
    let reference = ReferenceList(Self.sample)
    let list = PublicSuffixList(text: Self.sample, source: "test")
    let hosts = [
      "www.contoso.co.uk", "co.uk", "a.b.kawasaki.jp", "www.city.kawasaki.jp", "city.kawasaki.jp", "x.ck",
      "a.b.ck", "www.ck", "shop.xn--fiqs8s", "a.b.xn--55qx5d.cn", "contoso.com", "com", "example.invalid",
      "a.a" + String(repeating: "b", count: 300) + ".example", "MAIL.Contoso.CO.UK",
    ]
    for host in hosts {
      #expect(list.publicSuffix(of: host) == reference.publicSuffix(of: host), "\(host)")
    }
    for suffix in ["com", "co.uk", "CO.UK", "xn--fiqs8s", "x.kawasaki.jp", "kawasaki.jp", "ck", "nope", ""] {
      let expected =
        reference.rules.contains(suffix.lowercased())
        || suffix.lowercased().firstIndex(of: ".").map {
          reference.wildcards.contains(String(suffix.lowercased()[suffix.lowercased().index(after: $0)...]))
        } ?? false
      #expect(list.isKnownSuffix(suffix) == expected, "\(suffix)")
    }
  }

  /// Every rule of the system list, as the suffix of a host one label longer, gives the answer
  /// the Set-based implementation gave (skipped where the system has no list).
  @Test func systemListAnswersLikeASetOfRules() throws {
    guard let data = FileManager.default.contents(atPath: "/usr/share/publicsuffix/public_suffix_list.dat")
    else {
      return
    }
    let text = String(decoding: data, as: UTF8.self)
    let reference = ReferenceList(text)
    let list = PublicSuffixList(bytes: [UInt8](data), source: "system")
    var checked = 0
    for rule in reference.rules.union(reference.wildcards).union(reference.exceptions) where !rule.isEmpty {
      for host in ["contoso." + rule, "www.contoso." + rule] {
        #expect(list.publicSuffix(of: host) == reference.publicSuffix(of: host), "\(host)")
        checked += 1
      }
    }
    #expect(checked > 10_000)
  }

  @Test func firstLookupsFromManyThreadsAgree() {
    let list = PublicSuffixList(text: Self.sample, source: "test")
    let hosts = ["www.contoso.co.uk", "a.b.kawasaki.jp", "www.city.kawasaki.jp", "a.b.ck", "contoso.com"]
    let expected = hosts.map { ReferenceList(Self.sample).publicSuffix(of: $0) }
    DispatchQueue.concurrentPerform(iterations: 64) { index in
      let slot = index % hosts.count
      precondition(list.publicSuffix(of: hosts[slot]) == expected[slot])
    }
  }

  /// Without Yams' resolver every plain scalar is text; sendlint's readers interpret it.
  @Test func scalarsAreTextAndReadersInterpretThem() throws {
    let file = SourceFile(path: "x.yaml", text: "a: yes\nb: 012\nc: ~\nd: 2001-12-14\ne: 1.5e3\nf: off\n")
    var reader = YAMLReader(file: file, codePrefix: "policy")
    let composed = reader.root()
    let root = try #require(composed)
    let entries = reader.openMapping(root, context: "the file")
    #expect(entries.map(\.key) == ["a", "b", "c", "d", "e", "f"])
    #expect(entries.compactMap { $0.value.string } == ["yes", "012", "~", "2001-12-14", "1.5e3", "off"])
    let yes = reader.bool(entries[0].value, context: "a")
    let off = reader.bool(entries[5].value, context: "f")
    let twelve = reader.integer(entries[1].value, context: "b")
    let notWhole = reader.integer(entries[4].value, context: "e")
    #expect(yes == true)
    #expect(off == false)
    #expect(twelve == 12)
    #expect(notWhole == nil)
    #expect(reader.diagnostics.map(\.code) == ["policy/wrong-type"])
  }

  /// Keys that are text-equal are duplicates whatever YAML 1.1 would have typed them as: the
  /// event scan already said so for scalar keys, and now composing agrees for collection keys.
  @Test func textEqualKeysAreDuplicates() {
    var scalar = YAMLReader(file: SourceFile(path: "x.yaml", text: "1: a\n\"1\": b\n"), codePrefix: "policy")
    let scalarRoot = scalar.root()
    #expect(scalarRoot == nil)
    #expect(scalar.diagnostics.map(\.code) == ["policy/duplicate-key"])
    var collection = YAMLReader(
      file: SourceFile(path: "x.yaml", text: "? [1, on]\n: a\n? [\"1\", \"on\"]\n: b\n"), codePrefix: "policy"
    )
    let collectionRoot = collection.root()
    #expect(collectionRoot == nil)
    #expect(collection.diagnostics.map(\.code) == ["policy/duplicate-key"])
    #expect(
      collection.diagnostics.first?.message == "duplicate key (a list or mapping used as a key) in a mapping")
  }

  @Test func policyBooleansAndNumbersStillLoad() {
    let text = "version: 1\nonline: yes\n"
    do {
      let policy = try PolicyLoader.load(text: text, path: "policy.yaml", directory: "/")
      #expect(policy.online == true)
    } catch {
      Issue.record("unexpected diagnostics: \(error.diagnostics.map(\.message))")
    }
  }
}
