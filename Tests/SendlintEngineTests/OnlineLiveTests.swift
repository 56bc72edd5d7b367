import Foundation
import SendlintDNS
import SendlintTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A real authoritative server (Knot DNS) on loopback, with zones written here, and sendlint run
/// against it with `--online --resolver 127.0.0.1:PORT`. Skipped where `knotd` is not installed
/// (`.ci/run` installs Debian's `knot`). knotd runs as this user: its rundir and storage are in
/// the test's temporary folder.
@Suite(.serialized, .enabled(if: KnotServer.knotd != nil, "knotd (Debian package knot) is not installed"))
struct OnlineLiveTests {
  static let zone = """
    $ORIGIN contoso.test.
    $TTL 60
    @ SOA ns.contoso.test. hostmaster.contoso.test. 1 3600 600 86400 60
    @ NS ns
    ns A 127.0.0.1
    @ MX 10 mx
    mx A 203.0.113.25
    @ TXT "v=spf1 include:_spf.contoso.test -all"
    _spf TXT "v=spf1 ip4:203.0.113.0/24 ~all"
    out A 203.0.113.5
    www A 203.0.113.80
    _dmarc TXT "v=DMARC1; p=none; rua=mailto:dmarc@contoso.test"
    deep MX 10 mx
    deep TXT "v=spf1 include:i1.contoso.test include:i2.contoso.test include:i3.contoso.test include:i4.contoso.test include:i5.contoso.test include:i6.contoso.test include:i7.contoso.test include:i8.contoso.test include:i9.contoso.test include:i10.contoso.test include:i11.contoso.test -all"
    """ + (1...11).map { "\ni\($0) TXT \"v=spf1 ip4:10.0.0.\($0) -all\"" }.joined() + "\n"

  static let reverseZones = [
    "113.0.203.in-addr.arpa":
      "$ORIGIN 113.0.203.in-addr.arpa.\n$TTL 60\n@ SOA ns.contoso.test. hostmaster.contoso.test. 1 3600 600 86400 60\n@ NS ns.contoso.test.\n5 PTR out.contoso.test.\n",
    "100.51.198.in-addr.arpa":
      "$ORIGIN 100.51.198.in-addr.arpa.\n$TTL 60\n@ SOA ns.contoso.test. hostmaster.contoso.test. 1 3600 600 86400 60\n@ NS ns.contoso.test.\n",
  ]

  static func message(
    ip: String, returnPath: String = "bounce@contoso.test", selector: String = "s1",
    link: String = "https://www.contoso.test/"
  ) -> String {
    """
    Received: from out.contoso.test (out.contoso.test [\(ip)]) by mx.recipient.example; Mon, 4 Aug 2025 10:00:00 +0000
    Return-Path: <\(returnPath)>
    DKIM-Signature: v=1; a=rsa-sha256; d=contoso.test; s=\(selector); h=from:to:subject; bh=x; b=y
    From: Contoso <news@contoso.test>
    To: a@recipient.example
    Subject: News
    Content-Type: text/html

    <p><a href="\(link)">Home</a></p>

    """
  }

  static let policy = """
    version: 1
    brand:
      name: Contoso
      domains: [contoso.test]
      sending_domains: [contoso.test, deep.contoso.test]
    categories: [marketing]
    """

  /// `path rule` pairs from the text report, and the report.
  func run(_ arguments: [String], drafts: [String: String]) throws -> (findings: [String], output: String) {
    var files = drafts
    files[".sendlint.yaml"] = Self.policy
    let root = try SendlintCLI.repository(files)
    let result = try SendlintCLI.sendlint(["lint", ".", "--category", "marketing"] + arguments, in: root)
    var findings: [String] = []
    for line in result.stdout.split(separator: "\n") where line.hasSuffix("]") {
      guard let open = line.lastIndex(of: "["), let colon = line.firstIndex(of: ":") else { continue }
      findings.append(
        "\(line[..<colon]) \(line[line.index(after: open)..<line.index(before: line.endIndex)])")
    }
    return (findings, result.all)
  }

  @Test func findingsFromPublishedDNS() throws {
    let keys = try #require(
      TestKeys.rsa1024.flatMap { weak in TestKeys.rsa2048.map { (weak, $0) } },
      "openssl could not generate keys")
    // TXT strings are at most 255 bytes: a 2048-bit key is split, as zone files do.
    func quoted(_ text: String) -> String {
      stride(from: 0, to: text.count, by: 200).map { offset in
        let start = text.index(text.startIndex, offsetBy: offset)
        return "\""
          + text[start..<(text.index(start, offsetBy: 200, limitedBy: text.endIndex) ?? text.endIndex)] + "\""
      }.joined(separator: " ")
    }
    let zone =
      Self.zone
      + "s1._domainkey TXT \(quoted("v=DKIM1; k=rsa; p=" + keys.1))\nweak._domainkey TXT \(quoted("v=DKIM1; k=rsa; p=" + keys.0))\n"
      // Over 1232 bytes: knotd answers UDP with TC=1 and an empty answer, so only TCP reads the key.
      + "big._domainkey TXT \(quoted("v=DKIM1; k=rsa; n=" + String(repeating: "x", count: 1400) + "; p=" + keys.1))\n"
    let server = try KnotServer.start(zones: ["contoso.test": zone].merging(Self.reverseZones) { $1 })
    defer { server.stop() }
    let drafts = [
      "good.eml": Self.message(ip: "203.0.113.5"),
      "spf-fail.eml": Self.message(ip: "198.51.100.9"),
      "lookups.eml": Self.message(ip: "203.0.113.5", returnPath: "bounce@deep.contoso.test"),
      "dkim-missing.eml": Self.message(ip: "203.0.113.5", selector: "missing"),
      "dkim-weak.eml": Self.message(ip: "203.0.113.5", selector: "weak"),
      "dead-link.eml": Self.message(ip: "203.0.113.5", link: "https://gone.contoso.test/"),
      "tcp-key.eml": Self.message(ip: "203.0.113.5", selector: "big"),
    ]
    let (findings, output) = try run(
      ["--online", "--resolver", "127.0.0.1:\(server.port)", "--dns-timeout", "2"], drafts: drafts)
    let online: Set<String> = [
      "identity/spf-fail", "identity/dkim-key-missing", "identity/dkim-key-weak", "identity/dmarc-missing",
      "identity/dmarc-policy-none",
      "identity/missing-rdns", "link/unresolvable-host", "input/dns-unavailable",
    ]
    let got = Set(findings.filter { online.contains(String($0.split(separator: " ")[1])) })
    var want: Set<String> = Set(drafts.keys.map { "\($0) identity/dmarc-policy-none" })
    want.formUnion([
      "spf-fail.eml identity/spf-fail", "spf-fail.eml identity/missing-rdns", "lookups.eml identity/spf-fail",
      "dkim-missing.eml identity/dkim-key-missing", "dkim-weak.eml identity/dkim-key-weak",
      "dead-link.eml link/unresolvable-host",
    ])
    #expect(got == want, "\(output)")
    // The include gives softfail, which is "no match" for include (RFC 7208 §5.2): -all decides.
    #expect(output.contains("gives fail for 198.51.100.9: \"-all\" matched"), "\(output)")
    #expect(
      output.contains("_spf.contoso.test: \"v=spf1 ip4:203.0.113.0/24 ~all\""),
      "the chain is in the message: \(output)")
    #expect(output.contains("more than 10 DNS-querying terms"), "\(output)")
    #expect(output.contains("1024-bit RSA key"), "\(output)")
  }

  @Test func aServerThatNeverAnswersIsReportedNotPassed() throws {
    let silent = try SilentUDPPort()
    defer { silent.close() }
    let started = ContinuousClock.now
    let (findings, output) = try run(
      ["--online", "--resolver", "127.0.0.1:\(silent.port)", "--dns-timeout", "0.2", "--dns-budget", "3"],
      drafts: ["good.eml": Self.message(ip: "203.0.113.5")])
    #expect(ContinuousClock.now - started < .seconds(30))
    #expect(findings.contains("good.eml input/dns-unavailable"), "\(output)")
    #expect(output.contains("within the timeout"), "\(output)")
    #expect(
      !findings.contains { $0.hasSuffix("identity/spf-fail") || $0.hasSuffix("identity/dmarc-missing") },
      "\(output)")
  }

  @Test func withoutOnlineNothingIsSent() throws {
    let silent = try SilentUDPPort()
    defer { silent.close() }
    let (findings, output) = try run(
      ["--resolver", "127.0.0.1:\(silent.port)"], drafts: ["good.eml": Self.message(ip: "203.0.113.5")])
    #expect(silent.pendingBytes() == 0, "a packet reached the resolver without --online")
    #expect(!findings.contains { $0.hasSuffix("input/dns-unavailable") }, "\(output)")
    // The port records what arrives: the same run with --online does send.
    _ = try run(
      ["--online", "--resolver", "127.0.0.1:\(silent.port)", "--dns-timeout", "0.1", "--dns-budget", "1"],
      drafts: ["good.eml": Self.message(ip: "203.0.113.5")])
    #expect(silent.pendingBytes() > 0)
  }
}

/// A UDP socket on a free loopback port that never answers; what arrives stays queued.
final class SilentUDPPort: @unchecked Sendable {
  let descriptor: Int32
  let port: UInt16

  init() throws {
    descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard descriptor >= 0 else { throw PolicyTestError("socket() failed") }
    (port) = try SilentUDPPort.bindLoopback(descriptor)
  }

  static func bindLoopback(_ descriptor: Int32) throws -> UInt16 {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard bound == 0 else { throw PolicyTestError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return UInt16(bigEndian: address.sin_port)
  }

  /// Bytes of datagrams received and not read.
  func pendingBytes() -> Int {
    var buffer = [UInt8](repeating: 0, count: 65_535)
    var total = 0
    while true {
      let count = buffer.withUnsafeMutableBytes {
        recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
      }
      if count <= 0 { return total }
      total += count
    }
  }

  func close() { _ = Glibc.close(descriptor) }
}

/// knotd serving zone files from a temporary folder on 127.0.0.1 at a port chosen at start.
final class KnotServer: @unchecked Sendable {
  static let knotd: String? = ["/usr/sbin/knotd", "/usr/bin/knotd", "/usr/local/sbin/knotd"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  let process: Process
  let port: UInt16
  let directory: String

  init(process: Process, port: UInt16, directory: String) {
    self.process = process
    self.port = port
    self.directory = directory
  }

  /// A free port: bind port 0, read it, close; knotd may lose a race for it, so `start` retries.
  static func freePort() throws -> UInt16 {
    let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    defer { _ = Glibc.close(descriptor) }
    return try SilentUDPPort.bindLoopback(descriptor)
  }

  static func start(zones: [String: String]) throws -> KnotServer {
    let knotd = try #require(knotd)
    for _ in 0..<5 {
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "knot-\(UUID().uuidString)"
      ).path
      try FileManager.default.createDirectory(atPath: directory + "/run", withIntermediateDirectories: true)
      try FileManager.default.createDirectory(atPath: directory + "/db", withIntermediateDirectories: true)
      let port = try freePort()
      var config = """
        server:
          rundir: "\(directory)/run"
          listen: 127.0.0.1@\(port)
        database:
          storage: "\(directory)/db"
        log:
          - target: stderr
            any: error
        zone:

        """
      for (name, text) in zones.sorted(by: { $0.key < $1.key }) {
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name).zone"))
        config +=
          "  - domain: \(name)\n    file: \"\(directory)/\(name).zone\"\n    storage: \"\(directory)/db\"\n"
      }
      try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/knot.conf"))
      let process = Process()
      process.executableURL = URL(fileURLWithPath: knotd)
      process.arguments = ["-c", directory + "/knot.conf"]
      let log = FileHandle(forWritingAtPath: "/dev/null")
      process.standardOutput = log
      process.standardError = FileHandle(forWritingAtPath: "/dev/null")
      try process.run()
      let server = KnotServer(process: process, port: port, directory: directory)
      // Ready when it answers the SOA of the first zone.
      let probe = SocketResolver(
        servers: [ResolverAddress(bytes: [127, 0, 0, 1], port: port)], timeout: .milliseconds(200))
      let deadline = ContinuousClock.now + .seconds(15)
      while ContinuousClock.now < deadline, process.isRunning {
        if case .records(let records) = probe.lookup(zones.keys.sorted()[0], .soa), !records.isEmpty {
          return server
        }
        usleep(100_000)
      }
      server.stop()
    }
    throw PolicyTestError("knotd did not start on a free loopback port in 5 attempts")
  }

  func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    try? FileManager.default.removeItem(atPath: directory)
  }
}
