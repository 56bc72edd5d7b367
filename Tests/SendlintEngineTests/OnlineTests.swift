import Foundation
import SendlintCore
import SendlintDNS
import SendlintEngine
import SendlintInventory
import SendlintOnline
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintRules
import SendlintTestSupport
import SendlintURL
import Testing

/// An in-memory zone: names absent are NXDOMAIN; `failing` names fail with a typed failure.
/// Records every question, so a test can tell whether (and what) anything was asked.
final class ZoneResolver: DNSResolver, @unchecked Sendable {
  var zone: [String: [DNSRecordType: [DNSRecordData]]] = [:]
  var failing: [String: DNSFailure] = [:]
  private let lock = NSLock()
  private var asked: [String] = []

  var questions: [String] {
    lock.lock()
    defer { lock.unlock() }
    return asked
  }

  func add(_ name: String, _ type: DNSRecordType, _ data: DNSRecordData) {
    zone[name, default: [:]][type, default: []].append(data)
  }
  func txt(_ name: String, _ text: String) {
    // Split into 255-byte character-strings as a zone file would.
    let bytes = Array(text.utf8)
    add(
      name, .txt,
      .txt(
        stride(from: 0, to: max(bytes.count, 1), by: 255).map {
          Array(bytes[$0..<min(bytes.count, $0 + 255)])
        }))
  }
  func a(_ name: String, _ address: [UInt8]) { add(name, .a, .a(address)) }

  func lookup(_ name: String, _ type: DNSRecordType) -> DNSOutcome {
    lock.lock()
    asked.append("\(type) \(name)")
    lock.unlock()
    if let failure = failing[name] { return .failure(failure) }
    guard let entry = zone[name] else { return .nonexistent }
    return .records((entry[type] ?? []).map { DNSRecord(name: name, type: type.rawValue, ttl: 60, data: $0) })
  }
}

/// A resolver that fails the test when asked anything: offline runs must not reach it.
struct ForbiddenResolver: DNSResolver {
  func lookup(_ name: String, _ type: DNSRecordType) -> DNSOutcome {
    Issue.record("a DNS lookup (\(type) \(name)) was made without --online")
    return .failure(.network("forbidden"))
  }
}

/// Test-time RSA public keys (SubjectPublicKeyInfo, base64), generated with openssl once per run.
enum TestKeys {
  static func rsa(bits: Int) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = [
      "-c",
      "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:\(bits) 2>/dev/null | openssl pkey -pubout -outform DER 2>/dev/null | base64 -w0",
    ]
    let output = Pipe()
    process.standardOutput = output
    guard (try? process.run()) != nil else { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return process.terminationStatus == 0 && !text.isEmpty ? text : nil
  }

  static let rsa1024 = rsa(bits: 1024)
  static let rsa2048 = rsa(bits: 2048)
  static let rsa512 = rsa(bits: 512)
  static var available: Bool { rsa1024 != nil && rsa2048 != nil }
}

@Suite struct DNSMessageTests {
  /// A response header: id 0x1234, QR, RD, RA, the given RCODE and counts.
  func header(rcode: UInt8 = 0, qd: UInt16 = 1, an: UInt16, ns: UInt16 = 0, tc: Bool = false) -> [UInt8] {
    [
      0x12, 0x34, 0x81 | (tc ? 0x02 : 0), 0x80 | rcode, UInt8(qd >> 8), UInt8(qd & 0xFF), UInt8(an >> 8),
      UInt8(an & 0xFF), UInt8(ns >> 8), UInt8(ns & 0xFF), 0, 0,
    ]
  }
  /// The question `a.example TXT IN` at offset 12.
  let question: [UInt8] = [1, 0x61, 7] + Array("example".utf8) + [0, 0, 16, 0, 1]

  @Test func readsACompressedTXTAnswer() throws {
    // Answer owner: a pointer to the question name at offset 12.
    let rdata: [UInt8] = [5] + Array("v=spf".utf8) + [3] + Array("1 a".utf8)
    let packet =
      header(an: 1) + question + [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, UInt8(rdata.count)] + rdata
    let message = try DNSMessage.parse(packet)
    #expect(message.id == 0x1234 && message.isResponse && message.rcode == 0)
    #expect(message.questionName == "a.example")
    #expect(message.answers.count == 1)
    #expect(message.answers[0].name == "a.example")
    #expect(message.answers[0].joinedText == "v=spf1 a")
  }

  @Test func aPointerToItselfIsMalformedNotALoop() {
    // The answer's owner name is a pointer to its own offset.
    let offset = UInt8(12 + question.count)
    let packet = header(an: 1) + question + [0xC0, offset, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]
    #expect(throws: DNSParseError.self) { try DNSMessage.parse(packet) }
  }

  @Test func twoPointersToEachOtherAreMalformed() {
    // Question name: a pointer forward to offset 14, which points back to 12.
    let packet = header(qd: 1, an: 0) + [0xC0, 14, 0xC0, 12, 0, 16, 0, 1]
    #expect(throws: DNSParseError.self) { try DNSMessage.parse(packet) }
  }

  @Test func aChainOfBackwardPointersIsCapped() throws {
    // A first record of an undecoded type carries, as its data, labels each followed by a pointer to
    // the one before; the second record's owner points at the last. Followed, the name passes 255
    // octets (and the jump cap), and is rejected without unbounded work.
    var chain: [UInt8] = []
    let base = 12 + 11  // after the header and the first record's fixed part (root, type, class, TTL, length)
    chain += [1, 0x61, 0]
    var previous = base
    for _ in 0..<200 {
      let here = base + chain.count
      chain += [1, 0x62, 0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF)]
      previous = here
    }
    var packet = header(qd: 0, an: 2)
    packet += [0, 0, 99, 0, 1, 0, 0, 0, 60, UInt8(chain.count >> 8), UInt8(chain.count & 0xFF)] + chain
    packet += [
      0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4,
    ]
    #expect(throws: DNSParseError.self) { try DNSMessage.parse(packet) }
    // The same chain, only 20 long, is a valid name.
    let short = Array(chain.prefix(3 + 4 * 20))
    let last = base + 3 + 4 * 19
    var valid = header(qd: 0, an: 2)
    valid += [0, 0, 99, 0, 1, 0, 0, 0, 60, 0, UInt8(short.count)] + short
    valid += [0xC0 | UInt8(last >> 8), UInt8(last & 0xFF), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4]
    let message = try DNSMessage.parse(valid)
    #expect(message.answers.last?.name == Array(repeating: "b", count: 20).joined(separator: ".") + ".a")
  }

  @Test func truncatedPacketsAreMalformed() throws {
    let rdata: [UInt8] = [4] + Array("text".utf8)
    let packet =
      header(an: 1) + question + [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, UInt8(rdata.count)] + rdata
    _ = try DNSMessage.parse(packet)
    for length in 0..<packet.count {
      #expect(throws: DNSParseError.self, "cut at \(length)") {
        try DNSMessage.parse(Array(packet.prefix(length)))
      }
    }
  }

  @Test func hugeCountsAreRejectedBeforeAnyAllocation() {
    let packet = header(an: 0xFFFF, ns: 0xFFFF) + question
    #expect(throws: DNSParseError.self) { try DNSMessage.parse(packet) }
  }

  @Test func aTXTStringPastItsRecordIsMalformed() {
    // rdlength 3 but the string claims 10 bytes (which the packet has after the record).
    let packet =
      header(an: 1) + question + [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 3, 10, 0x61, 0x62]
      + Array(repeating: 0x63, count: 20)
    #expect(throws: DNSParseError.self) { try DNSMessage.parse(packet) }
  }

  @Test func wrongLengthAddressRecordsAreMalformed() {
    let packet = header(an: 1) + question + [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 3, 1, 2, 3]
    #expect(throws: DNSParseError.self) { try DNSMessage.parse(packet) }
  }

  @Test func rcodesBecomeTypedOutcomes() {
    #expect(
      SocketResolver.outcome(header(rcode: 3, an: 0) + question, name: "a.example", type: .txt, server: "s")
        == .nonexistent)
    #expect(
      SocketResolver.outcome(header(rcode: 2, an: 0) + question, name: "a.example", type: .txt, server: "s")
        == .failure(.serverFailure(server: "s")))
    #expect(
      SocketResolver.outcome(header(rcode: 5, an: 0) + question, name: "a.example", type: .txt, server: "s")
        == .failure(.refused(server: "s")))
    #expect(
      SocketResolver.outcome(header(an: 0) + question, name: "a.example", type: .txt, server: "s")
        == .records([]))
    if case .failure(.malformed) = SocketResolver.outcome(
      [1, 2, 3], name: "a.example", type: .txt, server: "s")
    {
    } else {
      Issue.record("3 bytes is not malformed")
    }
  }

  @Test func queriesRejectNamesDNSCannotCarry() throws {
    #expect(throws: DNSParseError.self) { try DNSMessage.query(id: 1, name: "a..example", type: .a) }
    #expect(throws: DNSParseError.self) {
      try DNSMessage.query(id: 1, name: String(repeating: "a", count: 64) + ".example", type: .a)
    }
    #expect(throws: DNSParseError.self) {
      try DNSMessage.query(
        id: 1, name: Array(repeating: String(repeating: "a", count: 60), count: 5).joined(separator: "."),
        type: .a)
    }
    let query = try DNSMessage.query(id: 0xBEEF, name: "a.example.", type: .txt)
    #expect(Array(query[12..<(12 + question.count)]) == question)
  }

  @Test func resolverAddressesAndResolvConf() {
    #expect(ResolverAddress(parsing: "127.0.0.1:5353")?.description == "127.0.0.1:5353")
    #expect(ResolverAddress(parsing: "192.0.2.1")?.port == 53)
    #expect(ResolverAddress(parsing: "[::1]:5300")?.description == "[0:0:0:0:0:0:0:1]:5300")
    #expect(ResolverAddress(parsing: "::1")?.isIPv6 == true)
    #expect(ResolverAddress(parsing: "dns.example") == nil)
    #expect(ResolverAddress(parsing: "1.2.3.4:0") == nil)
    #expect(ResolverAddress(parsing: "1.2.3.4:99999") == nil)
    let servers = ResolvConf.nameservers(
      "# comment\nsearch example\nnameserver 192.0.2.53 ; trailing\nnameserver 2001:db8::53\noptions ndots:2\n"
    )
    #expect(servers.map(\.description) == ["192.0.2.53:53", "[2001:db8:0:0:0:0:0:53]:53"])
    #expect(ResolvConf.nameservers("").map(\.description) == ["127.0.0.1:53"])
  }

  @Test func theRunResolverAsksOncePerNameAndTypeAndStopsAtTheBudget() {
    let zone = ZoneResolver()
    zone.a("a.example", [192, 0, 2, 1])
    let run = RunResolver(zone, budget: .seconds(60))
    _ = run.lookup("a.example", .a)
    _ = run.lookup("A.EXAMPLE.", .a)
    _ = run.lookup("a.example", .aaaa)
    #expect(zone.questions == ["A a.example", "AAAA a.example"])
    let spent = RunResolver(zone, budget: .zero)
    #expect(spent.lookup("b.example", .a) == .failure(.budgetExhausted))
    #expect(zone.questions.count == 2)
  }
}

@Suite struct SPFEvaluationTests {
  func evaluate(
    _ zone: ZoneResolver, _ ip: String, domain: String = "contoso.example",
    sender: String = "bounce@contoso.example"
  ) -> (SPFResult, String, [String]) {
    var evaluator = SPFEvaluator(resolver: zone, ip: IPAddress(ip)!, sender: sender)
    let (result, reason) = evaluator.evaluate(domain)
    return (result, reason, evaluator.chain)
  }

  @Test func includesAndMechanisms() {
    let zone = ZoneResolver()
    zone.txt(
      "contoso.example", "v=spf1 ip4:203.0.113.0/24 include:_spf.esp.example a:relay.contoso.example mx -all")
    zone.txt("_spf.esp.example", "v=spf1 ip4:198.51.100.0/25 ip6:2001:db8::/32 ~all")
    zone.a("relay.contoso.example", [192, 0, 2, 10])
    zone.add("contoso.example", .mx, .mx(preference: 10, exchange: "mx.contoso.example"))
    zone.a("mx.contoso.example", [192, 0, 2, 20])
    #expect(evaluate(zone, "203.0.113.9").0 == .pass)
    #expect(evaluate(zone, "198.51.100.7").0 == .pass)
    #expect(evaluate(zone, "2001:db8::1").0 == .pass)
    #expect(evaluate(zone, "192.0.2.10").0 == .pass)
    #expect(evaluate(zone, "192.0.2.20").0 == .pass)
    let (result, reason, chain) = evaluate(zone, "198.51.100.200")
    #expect(result == .fail)
    #expect(reason.contains("\"-all\""))
    #expect(chain.count == 2 && chain[1].hasPrefix("_spf.esp.example: "))
  }

  @Test func elevenLookupsArePermerror() {
    let zone = ZoneResolver()
    zone.txt(
      "contoso.example",
      "v=spf1 " + (1...11).map { "include:i\($0).example" }.joined(separator: " ") + " -all")
    for index in 1...11 { zone.txt("i\(index).example", "v=spf1 ip4:10.0.0.\(index) -all") }
    let (result, reason, _) = evaluate(zone, "203.0.113.9")
    #expect(result == .permerror)
    #expect(reason.contains("more than 10"))
    // Ten are allowed.
    zone.zone["contoso.example"] = nil
    zone.txt(
      "contoso.example",
      "v=spf1 " + (1...10).map { "include:i\($0).example" }.joined(separator: " ") + " -all")
    #expect(evaluate(zone, "203.0.113.9").0 == .fail)
  }

  @Test func threeVoidLookupsArePermerror() {
    let zone = ZoneResolver()
    zone.txt("contoso.example", "v=spf1 a:n1.example a:n2.example a:n3.example -all")
    let (result, reason, _) = evaluate(zone, "203.0.113.9")
    #expect(result == .permerror)
    #expect(reason.contains("void"))
  }

  @Test func redirectAndNoneAndTwoRecords() {
    let zone = ZoneResolver()
    zone.txt("contoso.example", "v=spf1 redirect=_spf.contoso.example")
    zone.txt("_spf.contoso.example", "v=spf1 ip4:203.0.113.0/24 -all")
    #expect(evaluate(zone, "203.0.113.9").0 == .pass)
    #expect(evaluate(zone, "192.0.2.9").0 == .fail)
    #expect(evaluate(zone, "192.0.2.9", domain: "missing.example").0 == .none)
    zone.txt("two.example", "v=spf1 -all")
    zone.txt("two.example", "v=spf1 +all")
    #expect(evaluate(zone, "192.0.2.9", domain: "two.example").0 == .permerror)
    zone.txt("bad.example", "v=spf1 ip4:300.1.1.1 -all")
    #expect(evaluate(zone, "192.0.2.9", domain: "bad.example").0 == .permerror)
  }

  @Test func macros() {
    let zone = ZoneResolver()
    zone.txt("contoso.example", "v=spf1 exists:%{ir}.%{l1r-}.%{d2}._spf.%{o} -all")
    zone.a("9.113.0.203.bounce.contoso.example._spf.contoso.example", [127, 0, 0, 2])
    #expect(evaluate(zone, "203.0.113.9", sender: "bounce@contoso.example").0 == .pass)
    #expect(evaluate(zone, "203.0.113.8", sender: "bounce@contoso.example").0 == .fail)
    zone.txt("exp.example", "v=spf1 exists:%{c}.example -all")
    let (result, reason, _) = evaluate(zone, "203.0.113.9", domain: "exp.example")
    #expect(result == .permerror && reason.contains("%{c}"))
  }

  @Test func aDNSFailureIsTemperror() {
    let zone = ZoneResolver()
    zone.failing["contoso.example"] = .timeout(server: "192.0.2.53:53")
    #expect(evaluate(zone, "203.0.113.9").0 == .temperror)
  }
}

@Suite struct DKIMKeyRecordTests {
  @Test(.enabled(if: TestKeys.available, "openssl is needed to generate test keys"))
  func keySizesFromTheModulus() throws {
    #expect(DKIMKeyRecord.state(["v=DKIM1; k=rsa; p=\(try #require(TestKeys.rsa1024))"]) == .rsa(bits: 1024))
    #expect(DKIMKeyRecord.state(["v=DKIM1; p=\(try #require(TestKeys.rsa2048))"]) == .rsa(bits: 2048))
  }

  @Test func unusableRecords() {
    #expect(DKIMKeyRecord.state([]) == .missing)
    #expect(DKIMKeyRecord.state(["v=DKIM1; p="]) == .revoked)
    if case .invalid = DKIMKeyRecord.state(["v=DKIM1; p=!!!"]) {
    } else {
      Issue.record("bad base64 is not invalid")
    }
    if case .invalid = DKIMKeyRecord.state(["v=DKIM1; p=AAAA"]) {
    } else {
      Issue.record("3 zero bytes are not a key")
    }
    if case .invalid = DKIMKeyRecord.state(["v=DKIM2; p=AAAA"]) {} else { Issue.record("v=DKIM2 accepted") }
    #expect(
      DKIMKeyRecord.state(["v=DKIM1; k=ed25519; p=" + Data(repeating: 7, count: 32).base64EncodedString()])
        == .ed25519)
    // A DER length that runs past the data.
    #expect(RSAKey.modulusBits([0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]) == nil)
    #expect(RSAKey.modulusBits([0x30, 0x03, 0x02, 0x01, 0x00]) == nil)
  }

  @Test func dmarcRecords() {
    let parsed = DMARCRecord.parse("v=DMARC1; p=reject; sp=none; adkim=s; aspf=r")
    #expect(
      parsed.policy == "reject" && parsed.subdomainPolicy == "none" && parsed.adkim == "s"
        && parsed.invalidReason == nil)
    #expect(DMARCRecord.parse("v=DMARC1; p=bogus; rua=mailto:a@b.example").policy == "none")
    #expect(DMARCRecord.parse("v=DMARC1; p=bogus").invalidReason != nil)
  }
}

/// The engine with an injected resolver: what --online reports, and that offline nothing is asked.
@Suite struct OnlineEngineTests {
  static let message = """
    Received: from out.contoso.example (out.contoso.example [203.0.113.5]) by mx.recipient.example; Mon, 4 Aug 2025 10:00:00 +0000
    Return-Path: <bounce@contoso.example>
    DKIM-Signature: v=1; a=rsa-sha256; d=contoso.example; s=s1; h=from:to:subject; bh=x; b=y
    From: Contoso <news@contoso.example>
    To: a@recipient.example
    Subject: News
    Content-Type: text/html

    <p><a href="https://www.contoso.example/">Home</a> <a href="https://gone.contoso.example/x">Old</a></p>

    """

  static let policyText = """
    version: 1
    brand:
      name: Contoso
      domains: [contoso.example]
      sending_domains: [contoso.example]
    categories: [marketing]
    """

  func lint(_ resolver: any DNSResolver, online: Bool, policyText: String = OnlineEngineTests.policyText)
    throws -> LintReport
  {
    var request = LintRequest(paths: [], workingDirectory: "/")
    request.standardInput = StandardInputDraft(bytes: Array(Self.message.utf8), filename: "news.eml")
    request.policy = try policy(policyText)
    request.category = "marketing"
    request.resolver = resolver
    request.online = online
    return Engine().lint(request)
  }

  func healthyZone() -> ZoneResolver {
    let zone = ZoneResolver()
    zone.txt("contoso.example", "v=spf1 ip4:203.0.113.0/24 -all")
    zone.add("contoso.example", .mx, .mx(preference: 10, exchange: "mx.contoso.example"))
    zone.txt("_dmarc.contoso.example", "v=DMARC1; p=reject")
    zone.add("5.113.0.203.in-addr.arpa", .ptr, .ptr("out.contoso.example"))
    zone.a("out.contoso.example", [203, 0, 113, 5])
    zone.a("www.contoso.example", [203, 0, 113, 80])
    zone.a("gone.contoso.example", [203, 0, 113, 81])
    return zone
  }

  let onlineIds: Set<String> = Set(RuleRegistry.online.map { $0.metadata.id })

  @Test func offlineNoLookupIsMadeAndNoOnlineRuleReports() throws {
    let report = try lint(ForbiddenResolver(), online: false)
    #expect(report.draftCount == 1)
    #expect(report.findings.filter { onlineIds.contains($0.rule) }.isEmpty)
  }

  @Test(.enabled(if: TestKeys.available, "openssl is needed to generate test keys"))
  func aHealthyDomainIsClean() throws {
    let zone = healthyZone()
    zone.txt("s1._domainkey.contoso.example", "v=DKIM1; k=rsa; p=\(try #require(TestKeys.rsa2048))")
    let report = try lint(zone, online: true)
    let online = report.findings.filter { onlineIds.contains($0.rule) || $0.rule == "identity/missing-rdns" }
    #expect(online.isEmpty, "\(online.map(\.message))")
    #expect(zone.questions.contains("TXT _dmarc.contoso.example"))
  }

  @Test(.enabled(if: TestKeys.available, "openssl is needed to generate test keys"))
  func eachDefectIsReported() throws {
    let zone = healthyZone()
    zone.txt("s1._domainkey.contoso.example", "v=DKIM1; k=rsa; p=\(try #require(TestKeys.rsa1024))")
    zone.zone["contoso.example"]?[.txt] = nil
    zone.txt("contoso.example", "v=spf1 ip4:198.51.100.0/24 -all")
    zone.zone["_dmarc.contoso.example"] = nil
    zone.txt("_dmarc.contoso.example", "v=DMARC1; p=none")
    zone.zone["5.113.0.203.in-addr.arpa"] = nil
    zone.zone["gone.contoso.example"] = nil
    let report = try lint(zone, online: true)
    func messages(_ rule: String) -> [String] { report.findings.filter { $0.rule == rule }.map(\.message) }
    #expect(messages("identity/spf-fail").count == 1)
    #expect(
      messages("identity/spf-fail").first?.contains("contoso.example: \"v=spf1 ip4:198.51.100.0/24 -all\"")
        == true)
    #expect(messages("identity/dkim-key-weak").first?.contains("1024-bit") == true)
    #expect(messages("identity/dmarc-policy-none").count == 1)
    #expect(messages("identity/missing-rdns").first?.contains("no PTR record") == true)
    #expect(
      messages("link/unresolvable-host") == ["link host gone.contoso.example does not exist (NXDOMAIN)"])
    #expect(messages("identity/dkim-key-missing").isEmpty)
    #expect(messages("input/dns-unavailable").isEmpty)
  }

  @Test func missingRecordsAndFailuresAreFindings() throws {
    let zone = healthyZone()
    zone.zone["_dmarc.contoso.example"] = nil
    zone.failing["contoso.example"] = .serverFailure(server: "192.0.2.53:53")
    let report = try lint(zone, online: true)
    func messages(_ rule: String) -> [String] { report.findings.filter { $0.rule == rule }.map(\.message) }
    #expect(messages("identity/dkim-key-missing").first?.contains("s1._domainkey.contoso.example") == true)
    #expect(messages("identity/dmarc-missing").count == 1)
    // SPF and the From domain's MX both ask contoso.example: each failure is reported, none passes.
    let unavailable = messages("input/dns-unavailable")
    #expect(
      unavailable.contains {
        $0.hasPrefix("SPF of contoso.example for 203.0.113.5 was not checked") && $0.contains("SERVFAIL")
      })
    #expect(unavailable.contains { $0.contains("From domain contoso.example was not checked") })
    #expect(messages("identity/spf-fail").isEmpty)
  }

  @Test func thePolicyCanTurnOnlineOn() throws {
    let zone = healthyZone()
    _ = try lint(zone, online: false, policyText: Self.policyText + "\nonline: true\n")
    #expect(!zone.questions.isEmpty)
  }

  @Test func publishedStrictAlignmentIsUsed() throws {
    let zone = healthyZone()
    zone.zone["_dmarc.contoso.example"] = nil
    zone.txt("_dmarc.contoso.example", "v=DMARC1; p=reject; adkim=s; aspf=s")
    var request = LintRequest(paths: [], workingDirectory: "/")
    let text = Self.message.replacingOccurrences(of: "d=contoso.example", with: "d=mail.contoso.example")
      .replacingOccurrences(of: "bounce@contoso.example", with: "bounce@bounces.contoso.example")
    request.standardInput = StandardInputDraft(bytes: Array(text.utf8), filename: "news.eml")
    request.policy = try policy(Self.policyText)
    request.category = "marketing"
    request.resolver = zone
    request.online = true
    let online = Engine().lint(request).findings.filter { $0.rule == "identity/dmarc-misaligned" }
    #expect(online.first?.message.contains("adkim=s aspf=s") == true)
    request.online = false
    request.resolver = ForbiddenResolver()
    #expect(Engine().lint(request).findings.filter { $0.rule == "identity/dmarc-misaligned" }.isEmpty)
  }
}

@Suite struct OnlineOptionTests {
  @Test(.enabled(if: TestKeys.available, "openssl is needed to generate test keys"))
  func aPolicyRaisesTheRecommendedKeySize() throws {
    let zone = ZoneResolver()
    zone.txt("s1._domainkey.contoso.example", "v=DKIM1; p=\(try #require(TestKeys.rsa2048))")
    var request = LintRequest(paths: [], workingDirectory: "/")
    request.standardInput = StandardInputDraft(
      bytes: Array(OnlineEngineTests.message.utf8), filename: "news.eml")
    request.policy = try policy(
      OnlineEngineTests.policyText
        + "\nrules:\n  identity/dkim-key-weak: { options: { recommended_bits: 3072 } }\n")
    request.category = "marketing"
    request.resolver = zone
    request.online = true
    let weak = Engine().lint(request).findings.filter { $0.rule == "identity/dkim-key-weak" }
    #expect(
      weak.map(\.message) == [
        "the DKIM key for d=contoso.example s=s1 is a 2048-bit RSA key (at least 3072 recommended)"
      ])
  }

  @Test(.enabled(if: TestKeys.rsa512 != nil, "openssl is needed to generate test keys"))
  func aKeyUnder1024BitsIsUnusable() throws {
    #expect(DKIMKeyRecord.state(["p=\(try #require(TestKeys.rsa512))"]) == .rsa(bits: 512))
    var facts = OnlineFacts()
    facts.dkimKeys = [
      DKIMKeyCheck(domain: "contoso.example", selector: "s1", state: .rsa(bits: 512), range: nil)
    ]
    let inventory = Inventory(
      draftPath: "a.eml", kind: .eml,
      draftFile: SourceFile(path: "a.eml", text: "From: a@contoso.example\n\nx\n"))
    let context = RuleContext(brand: BrandFacts(), category: nil)
    #expect(
      DKIMKeyMissing(options: RuleOptions()).check(facts, inventory, context).first?.message.contains(
        "512-bit RSA key, which verifiers reject") == true)
    #expect(DKIMKeyWeak(options: RuleOptions()).check(facts, inventory, context).isEmpty)
  }

  @Test(.enabled(if: SendlintCLI.binaryExists, "the sendlint binary is built by swift build"))
  func badDNSOptionsAreUsageErrors() throws {
    let root = try SendlintCLI.repository(["a.eml": "From: a@contoso.example\nSubject: s\n\nx\n"])
    let resolver = try SendlintCLI.sendlint(
      ["lint", ".", "--online", "--resolver", "dns.example:53"], in: root)
    #expect(resolver.status == 2)
    #expect(resolver.stderr.contains("--resolver \"dns.example:53\" is not an IP address"), "\(resolver.all)")
    let timeout = try SendlintCLI.sendlint(["lint", ".", "--online", "--dns-timeout", "0"], in: root)
    #expect(timeout.status == 2)
    #expect(timeout.stderr.contains("--dns-timeout"), "\(timeout.all)")
  }
}
