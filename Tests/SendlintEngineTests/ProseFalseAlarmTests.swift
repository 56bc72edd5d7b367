import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintRules
import SendlintURL
import Testing

/// Issue 12, false alarms: prose that is not an address must not be judged as one. Every draft
/// here is minimal and written for the test.
@Suite struct ProseFalseAlarmTests {
  static func lint(
    _ body: String, html: Bool = false, policyText: String = "version: 1\nextends: [sendlint:recommended]\n"
  ) throws -> [Finding] {
    let message = """
      From: Contoso <news@contoso.com>
      To: a@example.org
      Subject: s
      MIME-Version: 1.0
      Content-Type: \(html ? "text/html" : "text/plain"); charset=utf-8

      \(body)
      """
    return Engine.check(
      InventoryReader.eml(SourceFile(path: "m.eml", text: message)), policy: try policy(policyText),
      category: nil)
  }

  static func rules(_ findings: [Finding]) -> [String] { findings.map(\.rule) }

  // MARK: A bare IPv4 in prose is not a link

  @Test func dottedQuadsInProseAreNotLinks() {
    let finder = TextURLFinder()
    for prose in [
      "Set the netmask to 255.255.255.224 on eth0.", "Listen on 0.0.0.0 by default.",
      "Firmware v 1.1.1.2 fixes it.",
      "RCS revision 15.32.2.9 of the file.", "connect from [127.0.0.1] refused", "relay 127.0.0.1:25 down",
      "Route 192.168.0.0/24 through the VPN.", "(10.0.0.1)",
    ] {
      #expect(finder.find(in: Array(prose.utf8)).isEmpty, "\(prose)")
    }
  }

  @Test func anIPv4WithASchemeOrAPathIsStillALink() {
    let finder = TextURLFinder()
    #expect(finder.find(in: Array("Log in at 192.0.2.1/login now".utf8)).map(\.text) == ["192.0.2.1/login"])
    #expect(finder.find(in: Array("Log in at http://192.0.2.1 now".utf8)).map(\.text) == ["http://192.0.2.1"])
    #expect(finder.find(in: Array("See 192.0.2.1:8080/admin".utf8)).map(\.text) == ["192.0.2.1:8080/admin"])
  }

  @Test func obfuscatedIgnoresNetmasksAndVersionsButFlagsAnIPPath() throws {
    let prose = try Self.lint(
      "Netmask 255.255.255.224, gateway 0.0.0.0, firmware v 1.1.1.2, log [127.0.0.1].\n")
    #expect(!Self.rules(prose).contains("link/obfuscated"))
    let link = try Self.lint("Verify your account at 192.0.2.1/login today.\n")
    let hit = try #require(link.first { $0.rule == "link/obfuscated" })
    #expect(hit.message == "link goes to the bare IP address 192.0.2.1")
  }

  // MARK: A capitalised name inside longer link text is not the address the link shows

  @Test func capitalisedNamesInsideLongerLinkTextAreNotShownHosts() throws {
    let html = """
      <p><a href="https://click.news.example/1">News.com: Top CIOs</a>
      <a href="https://shop.example/ddr">DDR Memory at Crucial.com</a>
      <a href="https://blog.example/glm">Z.ai GLM-4.5</a></p>
      """
    #expect(!Self.rules(try Self.lint(html, html: true)).contains("link/text-host-mismatch"))
  }

  @Test func aHostThatIsTheWholeTextOrHasAPathOrSchemeOrIsLowerCaseIsShown() throws {
    for (text, shown) in [
      ("Crucial.com", "crucial.com"), ("» Crucial.com «", "crucial.com"),
      ("Deals at Crucial.com/ddr", "crucial.com"),
      ("Sign in at contoso.com today", "contoso.com"), ("Visit www.Contoso.com today", "www.contoso.com"),
      ("Go to https://Contoso.com now", "contoso.com"),
    ] {
      let findings = try Self.lint(#"<a href="https://evil.example/x">\#(text)</a>"#, html: true)
      let hit = findings.first { $0.rule == "link/text-host-mismatch" }
      #expect(hit?.message == "link text shows \(shown) but the link goes to evil.example", "\(text)")
    }
  }

  @Test func capitalisedHostInAltTextFollowsTheSameReading() throws {
    let name =
      #"<a href="https://evil.example/"><img src="https://cdn.example/a.png" alt="Logo of Contoso.com"></a>"#
    #expect(!Self.rules(try Self.lint(name, html: true)).contains("link/text-host-mismatch"))
    let whole =
      #"<a href="https://evil.example/"><img src="https://cdn.example/a.png" alt="Contoso.com"></a>"#
    #expect(Self.rules(try Self.lint(whole, html: true)).contains("link/text-host-mismatch"))
  }

  // MARK: Address munging in a signature is not a disguised host

  @Test func mungedAddressesInSignaturesAreNotDisguisedHosts() throws {
    for signature in [
      "--\nJane Doe, jane at example dot net\n", "--\njane.doe at mail dot example dot co dot uk\n",
      "--\nJane <jane(at)example(dot)net>\n", "--\njane@example[dot]net\n",
      "--\nJane, jane [at] example dot org\n",
    ] {
      #expect(!Self.rules(try Self.lint(signature)).contains("link/obfuscated"), "\(signature)")
    }
  }

  @Test func aSpelledOutDotAfterProseIsStillDisguised() throws {
    for text in [
      "Write to us at secure-login dot net for help.\n", "Log in at secure-login dot net now.\n",
      "Go to contoso-login[.]com now.\n",
    ] {
      let findings = try Self.lint(text)
      #expect(
        findings.contains { $0.rule == "link/obfuscated" && $0.message.contains("is a disguised address") },
        "\(text)")
    }
  }

  // MARK: IP hosts have no registrable domain

  @Test func ipHostsHaveNoRegistrableDomain() throws {
    let list = try #require(PublicSuffixList.shared)
    for host in ["127.0.0.1", "192.168.1.1", "0x7f.1", "10.1", "[::1]", "2001:db8::1", "127.0.0.1."] {
      #expect(list.registrableDomain(of: host) == nil, "\(host)")
      #expect(list.publicSuffix(of: host) == nil, "\(host)")
    }
    #expect(list.registrableDomain(of: "mail.example.co.uk") == "example.co.uk")
    #expect(list.registrableDomain(of: "1.example.com") == "example.com")
  }

  @Test func twoUnrelatedIPsDoNotShareASiteUnderRegistrableDomainMatching() throws {
    let policyText =
      "version: 1\nextends: [sendlint:recommended]\nrules:\n  link/text-host-mismatch: { severity: error, options: { match: registrable-domain } }\n"
    let findings = try Self.lint(
      #"<a href="http://192.168.0.1/">http://10.0.0.1/</a>"#, html: true, policyText: policyText)
    let hit = try #require(findings.first { $0.rule == "link/text-host-mismatch" })
    #expect(hit.message == "link text shows 10.0.0.1 but the link goes to 192.168.0.1")
    let same = try Self.lint(
      #"<a href="http://192.168.0.1/a">http://192.168.0.1/</a>"#, html: true, policyText: policyText)
    #expect(!Self.rules(same).contains("link/text-host-mismatch"))
  }
}
