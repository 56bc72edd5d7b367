import Foundation
import SendlintCore
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintRules
import Testing

@Suite struct PolicyTests {
  func diagnostics(_ text: String, path: String = "p.yaml") -> [Diagnostic] {
    switch Result(catching: { () throws(DiagnosticList) in
      try PolicyLoader.load(text: text, path: path, directory: "/")
    }) {
    case .success: return []
    case .failure(let list): return list.diagnostics
    }
  }

  @Test func misspelledRuleBadCIDRAndUnknownKeyAreAllReportedWithPositions() {
    let found = diagnostics(
      """
      version: 1
      brand:
        domains: [contoso.com]
        sending_ips: [203.0.113.0/33]
        colour: blue
      rules:
        link/text-host-missmatch: error
      """)
    #expect(found.count == 3)
    let byCode = Dictionary(grouping: found, by: \.code)
    let badCIDR = byCode["policy/bad-cidr"]?.first
    #expect(badCIDR?.position == SourcePosition(line: 4, column: 17))
    #expect(
      badCIDR?.message
        == "\"203.0.113.0/33\" in brand.sending_ips is not an IPv4 or IPv6 address or address block")
    #expect(badCIDR?.sourceLine == "  sending_ips: [203.0.113.0/33]")
    let unknownKey = byCode["policy/unknown-key"]?.first
    #expect(unknownKey?.position == SourcePosition(line: 5, column: 3))
    #expect(unknownKey?.message == "unknown key \"colour\" in brand")
    let unknownRule = byCode["policy/unknown-rule"]?.first
    #expect(unknownRule?.position == SourcePosition(line: 7, column: 3))
    #expect(unknownRule?.help == "did you mean \"link/text-host-mismatch\"?")
  }

  @Test func unquotedOffAndNoMeanSeverityOff() throws {
    let resolved = try policy(
      """
      rules:
        link/split-url: off
        tracking/pixel: no
        link/template-host: { severity: "off" }
      """)
    #expect(resolved.rules["link/split-url"]?.severity == .off)
    #expect(resolved.rules["tracking/pixel"]?.severity == .off)
    #expect(resolved.rules["link/template-host"]?.severity == .off)
  }

  @Test func badSeverityAndOptionsAreReported() {
    let found = diagnostics(
      """
      rules:
        link/split-url: { severity: eror, options: { min_path_char: 3 } }
        link/text-host-mismatch: { options: { match: domain } }
      """)
    #expect(
      found.map(\.code).sorted() == ["policy/bad-option", "policy/bad-severity", "policy/unknown-option"])
    #expect(
      found.first { $0.code == "policy/bad-severity" }?.help?.hasPrefix("did you mean \"error\"?") == true)
    #expect(found.first { $0.code == "policy/unknown-option" }?.help == "did you mean \"min_path_chars\"?")
  }

  @Test func unknownPackAndCategoryHaveSuggestions() {
    let found = diagnostics(
      """
      extends: [sendlint:recomended]
      categories: [marketing, security-notice]
      classify:
        - { files: ["security/**"], category: security-notices }
      """)
    #expect(
      found.first { $0.code == "policy/unknown-pack" }?.help == "did you mean \"sendlint:recommended\"?")
    let category = found.first { $0.code == "policy/unknown-category" }
    #expect(category?.help == "did you mean \"security-notice\"?")
    #expect(category?.position == SourcePosition(line: 4, column: 41))
  }

  @Test func extendsResolvesPacksAndFilesAndDetectsCycles() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-policy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try "extends: [./b.yaml]\nbrand: { domains: [a.example] }\n".write(
      to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    try "extends: [./a.yaml]\n".write(
      to: directory.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
    guard
      case .failure(let list) = Result(catching: { () throws(DiagnosticList) in
        try PolicyLoader.load(path: directory.appendingPathComponent("a.yaml").path)
      })
    else {
      Issue.record("a cycle must fail")
      return
    }
    #expect(list.diagnostics.map(\.code) == ["policy/extends-cycle"])
    #expect(list.diagnostics.first?.message.contains("a.yaml → ") == true)

    try "extends: [sendlint:recommended, ./brand.yaml]\nrules: { link/split-url: warning }\n".write(
      to: directory.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
    try "brand: { domains: [contoso.com], sending_ips: [\"2001:db8::/32\"] }\n".write(
      to: directory.appendingPathComponent("brand.yaml"), atomically: true, encoding: .utf8)
    let resolved = try PolicyLoader.load(path: directory.appendingPathComponent("c.yaml").path)
    #expect(resolved.brand.domains == ["contoso.com"])
    #expect(resolved.brand.sendingIPs.first?.description == "2001:db8::/32")
    #expect(resolved.rules["link/split-url"]?.severity == .warning)
    // recommended extends sendlint:checklist, so that pack is read first, then recommended.
    #expect(Array(resolved.layers.prefix(2)) == ["sendlint:checklist", "sendlint:recommended"])

    try "extends: [./missing.yaml]\n".write(
      to: directory.appendingPathComponent("d.yaml"), atomically: true, encoding: .utf8)
    guard
      case .failure(let missing) = Result(catching: { () throws(DiagnosticList) in
        try PolicyLoader.load(path: directory.appendingPathComponent("d.yaml").path)
      })
    else {
      Issue.record("a missing extends file must fail")
      return
    }
    #expect(missing.diagnostics.first?.code == "policy/extends-not-found")
    #expect(missing.diagnostics.first?.position == SourcePosition(line: 1, column: 11))
  }

  @Test func everyBuiltinPackValidates() throws {
    #expect(PolicyLoader.packNames.contains("recommended"))
    for name in PolicyLoader.packNames {
      _ = try policy("extends: [sendlint:\(name)]\n")
    }
  }

  @Test func yamlSyntaxErrorsHavePositions() {
    let found = diagnostics("brand:\n  domains: [contoso.com\n")
    #expect(found.first?.code == "policy/syntax")
    #expect(found.first?.position != nil)
  }

  @Test func classifyMatchesFilesAndSubjects() throws {
    let resolved = try policy(
      """
      categories: [marketing, security-notice]
      classify:
        - { files: ["security/**"], category: security-notice }
        - { subject: "(?i)security (update|bulletin)", category: security-notice }
        - { files: ["*.html"], category: marketing }
      """)
    #expect(resolved.classify(path: "/security/notices/a.eml", subject: nil) == "security-notice")
    #expect(resolved.classify(path: "/news/a.eml", subject: "Your Security Update") == "security-notice")
    #expect(resolved.classify(path: "/news/deep/x.html", subject: nil) == "marketing")
    #expect(resolved.classify(path: "/news/a.eml", subject: "Hello") == nil)
  }

  @Test func globs() {
    #expect(Glob("security/**").matches("security/a/b.eml"))
    #expect(Glob("**/*.html").matches("a/b/c.html"))
    #expect(Glob("*.{html,htm}").matches("x/y.htm"))
    #expect(!Glob("security/*").matches("security/a/b.eml"))
    #expect(Glob("a?c.txt").matches("abc.txt"))
  }
}
