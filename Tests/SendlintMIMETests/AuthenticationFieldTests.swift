import Foundation
import SendlintCore
import SendlintMIME
import SendlintTestSupport
import Testing

/// DKIM-Signature tag lists (RFC 6376) and Authentication-Results (RFC 8601), on the shapes of
/// the RFCs' own examples and of what receivers write.
@Suite struct AuthenticationFieldTests {
  @Test func dkimSignatureTags() {
    // RFC 6376 §3.5's example, folded as it would be in a message.
    let signature = DKIMSignature.parse(
      """
      v=1; a=rsa-sha256; d=example.net; s=brisbane;\r\n c=simple; q=dns/txt; i=@eng.example.net;\r\n\
       t=1117574938; x=1118006938; l=200;\r\n h=from:to:subject:date;\r\n z=From:foo@eng.example.net|To:joe@example.com;\r\n\
       bh=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=;\r\n b=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZ\r\n VoG4ZHRNiYzR
      """)
    #expect(signature.domain == "example.net")
    #expect(signature["s"] == "brisbane")
    #expect(signature.algorithm == "rsa-sha256")
    #expect(signature.signedHeaders == ["from", "to", "subject", "date"])
    #expect(signature.bodyLength == 200)
    #expect(signature["b"] == "dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR")
    #expect(signature.missingRequiredTags.isEmpty)
    #expect(signature.repeatedTags.isEmpty)
  }

  @Test func dkimSignatureProblems() {
    let signature = DKIMSignature.parse("v=1; d=Contoso.COM; d=evil.example; h=to:subject; bh=x")
    #expect(signature.domain == "contoso.com")
    #expect(signature.repeatedTags == ["d"])
    #expect(signature.missingRequiredTags == ["a", "b", "s"])
    #expect(signature.bodyLength == nil)
  }

  @Test func authenticationResults() throws {
    // RFC 8601 Appendix B.4, with comments, a version and properties.
    let results = try #require(
      AuthenticationResults.parse(
        """
        example.com 1;\r\n spf=pass smtp.mailfrom=example.net (sender verified);\r\n \
        dkim = pass (good signature) header.d=example.net header.s = "sel 1";\r\n \
        dmarc=fail reason="policy \\"reject\\"" header.from=contoso.com
        """))
    #expect(results.authservID == "example.com")
    #expect(results.results.map(\.method) == ["spf", "dkim", "dmarc"])
    #expect(results.result(for: "spf")?.properties["smtp.mailfrom"] == "example.net")
    #expect(results.result(for: "dkim")?.result == "pass")
    #expect(results.result(for: "dkim")?.properties["header.d"] == "example.net")
    #expect(results.result(for: "dkim")?.properties["header.s"] == "sel 1")
    #expect(results.result(for: "dmarc")?.result == "fail")
    #expect(results.result(for: "dmarc")?.reason == "policy \"reject\"")
    #expect(results.result(for: "dmarc")?.properties["header.from"] == "contoso.com")
  }

  @Test func authenticationResultsWithoutAuthservID() throws {
    // Exchange Online's form: no authserv-id, the first statement is already a result (RFC 8601
    // parsing leniency, docs/decisions.md "Identity and signing").
    let results = try #require(
      AuthenticationResults.parse(
        """
        spf=pass (sender IP is 192.0.2.10)\r\n smtp.mailfrom=news.contoso.com; dkim=pass (signature was verified)\r\n \
        header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass reason=100
        """))
    #expect(results.authservID == "")
    #expect(results.results.map(\.method) == ["spf", "dkim", "dmarc", "compauth"])
    #expect(results.result(for: "spf")?.result == "pass")
    #expect(results.result(for: "spf")?.properties["smtp.mailfrom"] == "news.contoso.com")
    #expect(results.result(for: "dkim")?.properties["header.d"] == "contoso.com")
    #expect(results.result(for: "compauth")?.reason == "100")
    // An authserv-id followed by results is still read as one.
    let named = try #require(
      AuthenticationResults.parse("mx.example.org; spf=fail smtp.mailfrom=evil.example"))
    #expect(named.authservID == "mx.example.org")
    #expect(named.results.map(\.result) == ["fail"])
  }

  @Test func receivedReverseDNSForms() {
    func missing(_ value: String) -> ReceivedHop.MissingReverseDNS? {
      ReceivedHop.parse(value).missingReverseDNS
    }
    #expect(missing("from [192.0.2.7] by mx.example.org") == .addressLiteral)
    #expect(
      missing("from [192.0.2.7] (port=4711 helo=pc.example) by mx.example.org with esmtp (Exim 4.96)")
        == .addressLiteral)
    #expect(
      missing("from pc.example (unknown [192.0.2.7]) by mx.example.org (Postfix) with ESMTP id 9A")
        == .postfixUnknown)
    // qmail's "unknown" and InterMail's `([ip])` are written without a lookup: no evidence.
    #expect(missing("from unknown (HELO pc.example) (192.0.2.7) by mx.example.org with SMTP") == nil)
    #expect(
      missing(
        "from pc.example ([192.0.2.7]) by mx.example.org (InterMail vM.5.01.05.12 201-253-122-126-112-20020820) with ESMTP"
      ) == nil)
    #expect(
      missing("from pc.example ([192.0.2.7]) by mx.example.org (8.12.8/8.12.8) with ESMTP id h1")
        == .sendmailLiteral)
    #expect(
      missing("from pc.example (ptr.example [192.0.2.7] (may be forged)) by mx.example.org (8.12.8/8.12.8)")
        == .notConfirmed)
    // A name is recorded: Postfix/Sendmail `(rdns [ip])`, Exim `rdns ([ip] helo=x)` and `rdns ([ip])`.
    #expect(missing("from pc.example (ptr.example [192.0.2.7]) by mx.example.org (Postfix)") == nil)
    #expect(
      missing("from ptr.example ([192.0.2.7] helo=pc.example) by mx.example.org with esmtp (Exim 4.96)")
        == nil)
    #expect(missing("from ptr.example ([192.0.2.7]) by mx.example.org with esmtps (Exim 4.96)") == nil)
    #expect(missing("from ptr.example ([192.0.2.7]:4711) by mx.example.org with esmtps") == nil)
    // Microsoft records the HELO and a bare address: it says nothing about reverse DNS.
    #expect(
      missing(
        "from NAM1.outbound.protection.outlook.com (192.0.2.7) by BN1.mail.protection.outlook.com (10.0.0.2) with Microsoft SMTP Server"
      ) == nil)
    #expect(
      ReceivedHop.parse("from NAM1.outbound.protection.outlook.com (192.0.2.7) by x").fromIP == "192.0.2.7")
    #expect(missing("by mx.example.org with local") == nil)
  }

  @Test func authenticationResultsWithoutResults() throws {
    // RFC 8601 Appendix B.2: no authentication was done.
    let results = try #require(AuthenticationResults.parse("example.org 1; none"))
    #expect(results.authservID == "example.org")
    #expect(results.results.isEmpty)
    #expect(AuthenticationResults.parse("   ") == nil)
  }

  /// Every DKIM-Signature and Authentication-Results field in the corpora reads without a crash,
  /// and real signatures carry the tags RFC 6376 requires.
  @Test(.enabled(if: TestPaths.sharedHas("corpora"), "../shared/corpora is absent"))
  func corpusFields() throws {
    let shared = try #require(TestPaths.shared)
    var signatures = 0
    var complete = 0
    var results = 0
    // A signature missing a required tag, by file and field number: exactly the known list.
    var incomplete: [(key: String, detail: String)] = []
    let enumerator = FileManager.default.enumerator(atPath: shared + "/corpora")
    var paths: [String] = []
    while let path = enumerator?.nextObject() as? String {
      if path.hasSuffix(".eml") { paths.append(path) }
    }
    for path in paths.sorted() {
      guard let data = FileManager.default.contents(atPath: shared + "/corpora/" + path),
        data.count < 4_000_000
      else { continue }
      let message = MIMEMessage.parse(SourceFile(path: path, bytes: Array(data)))
      var index = 0
      for field in message.root.headers {
        if field.is("DKIM-Signature") {
          signatures += 1
          index += 1
          let missing = DKIMSignature.parse(field.value).missingRequiredTags
          if missing.isEmpty {
            complete += 1
          } else {
            incomplete.append(("\(path) #\(index)", "\(path) DKIM-Signature #\(index): missing \(missing)"))
          }
        } else if field.is("Authentication-Results"), AuthenticationResults.parse(field.decodedValue) != nil {
          results += 1
        }
      }
    }
    print("corpus: \(results) Authentication-Results fields read")
    #expect(signatures > 0)
    try KnownFailures("dkim-required-tags").check(
      suite: "corpus DKIM-Signature fields with every required tag", passed: complete, failures: incomplete)
  }
}
