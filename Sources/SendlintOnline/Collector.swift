import SendlintCore
import SendlintDNS
import SendlintInventory
import SendlintURL

/// Looks up what receivers will look up for one draft and returns it as facts. Every lookup goes
/// through `resolver` (a `RunResolver` caches per name and type and enforces the time budget);
/// every failure becomes a `DNSUnavailable`, never a silent pass.
public struct OnlineCollector: Sendable {
  public let resolver: DNSResolver
  public let suffixes: PublicSuffixList?

  /// Sending IPs judged per draft; more are not looked up.
  public static let maximumSendingIPs = 8
  /// Distinct link hosts looked up per draft.
  public static let maximumLinkHosts = 64
  /// PTR names forward-confirmed per IP.
  public static let maximumPTRNames = 10

  public init(resolver: DNSResolver, suffixes: PublicSuffixList? = PublicSuffixList.shared) {
    self.resolver = resolver
    self.suffixes = suffixes
  }

  /// The sending IPs: those a manifest states, else the public address of the newest `Received`
  /// hop (the connection the receiver judges), each with where it is written.
  static func sendingIPs(_ inventory: Inventory) -> [(IPAddress, SourceRange)] {
    var result: [(IPAddress, SourceRange)] = []
    for stated in inventory.statedSendingIPs {
      if let address = stated.address, !address.isInternal, !result.contains(where: { $0.0 == address }) {
        result.append((address, stated.range))
      }
    }
    if result.isEmpty {
      for entry in inventory.received {
        guard let text = entry.hop.fromIP, let address = IPAddress(text), !address.isInternal else {
          continue
        }
        let file = entry.range.file
        let found = file.bytes[entry.range.start..<entry.range.end].firstByteRange(of: Array(text.utf8))
        result.append(
          (
            address,
            found.map { SourceRange(file: file, start: $0.lowerBound, end: $0.upperBound) } ?? entry.range
          ))
        break
      }
    }
    return Array(result.prefix(maximumSendingIPs))
  }

  public func collect(_ inventory: Inventory) -> OnlineFacts {
    var facts = OnlineFacts()
    func unavailable(
      _ type: DNSRecordType, _ name: String, _ purpose: String, _ failure: DNSFailure, _ range: SourceRange?
    ) {
      facts.unavailable.append(
        DNSUnavailable(
          question: "\(type) \(name)", purpose: purpose, reason: failure.description, range: range))
    }
    let ips = Self.sendingIPs(inventory)

    // SPF for the envelope domain, per sending IP.
    if let returnPath = inventory.returnPath, let domain = returnPath.mailbox.domain {
      for (ip, _) in ips {
        var evaluator = SPFEvaluator(
          resolver: resolver, ip: ip, sender: returnPath.mailbox.address, helo: inventory.helo?.value)
        let (result, reason) = evaluator.evaluate(domain)
        if result == .temperror {
          facts.unavailable.append(
            DNSUnavailable(
              question: "SPF \(domain)", purpose: "SPF of \(domain) for \(ip)", reason: reason,
              range: returnPath.range))
        }
        facts.spf.append(
          SPFCheck(
            domain: domain, ip: ip.description, result: result, reason: reason, chain: evaluator.chain,
            range: returnPath.range))
      }
    }

    // DKIM keys, once per (d=, s=).
    var seenKeys: Set<String> = []
    for signature in inventory.dkimSignatures {
      guard let domain = signature.value.domain, !domain.isEmpty,
        let selector = signature.value["s"]?.lowercased(), !selector.isEmpty
      else { continue }
      let check = DKIMKeyCheck(domain: domain, selector: selector, state: .missing, range: signature.range)
      guard seenKeys.insert(check.recordName).inserted else { continue }
      switch resolver.lookup(check.recordName, .txt) {
      case .failure(let failure):
        unavailable(
          .txt, check.recordName, "the DKIM key of d=\(domain) s=\(selector)", failure, signature.range)
      case .nonexistent: facts.dkimKeys.append(check)
      case .records(let records):
        facts.dkimKeys.append(
          DKIMKeyCheck(
            domain: domain, selector: selector, state: DKIMKeyRecord.state(records.compactMap(\.joinedText)),
            range: signature.range))
      }
    }

    // DMARC, once per From domain: its own record, else the organisational domain's (RFC 7489 §6.6.3).
    var seenFrom: Set<String> = []
    for from in inventory.from {
      guard let domain = from.mailbox.domain, seenFrom.insert(domain).inserted else { continue }
      let organisational = suffixes?.registrableDomain(of: domain) ?? domain
      var candidates = ["_dmarc.\(domain)"]
      if organisational != domain { candidates.append("_dmarc.\(organisational)") }
      var found: (name: String, text: String)?
      var failed = false
      for name in candidates {
        switch resolver.lookup(name, .txt) {
        case .failure(let failure):
          unavailable(.txt, name, "DMARC of \(domain)", failure, from.range)
          failed = true
        case .nonexistent: continue
        case .records(let records):
          let texts = records.compactMap(\.joinedText).filter { $0.hasPrefix("v=DMARC1") }
          if texts.count == 1 { found = (name, texts[0]) }
          if texts.count > 1 {
            facts.dmarc.append(
              DMARCCheck(
                fromDomain: domain, recordDomain: name, record: texts[0], policy: nil, dkimAlignment: "r",
                spfAlignment: "r",
                invalidReason: "\(texts.count) DMARC records (RFC 7489 §6.6.3: receivers then apply none)",
                range: from.range))
            failed = true
          }
        }
        if found != nil || failed { break }
      }
      if failed { continue }
      guard let found else {
        facts.dmarc.append(
          DMARCCheck(
            fromDomain: domain, recordDomain: nil, record: nil, policy: nil, dkimAlignment: "r",
            spfAlignment: "r", invalidReason: nil, range: from.range))
        continue
      }
      let parsed = DMARCRecord.parse(found.text)
      let fromOrganisation = found.name != "_dmarc.\(domain)"
      facts.dmarc.append(
        DMARCCheck(
          fromDomain: domain, recordDomain: String(found.name.dropFirst("_dmarc.".count)), record: found.text,
          policy: fromOrganisation ? (parsed.subdomainPolicy ?? parsed.policy) : parsed.policy,
          dkimAlignment: parsed.adkim, spfAlignment: parsed.aspf, invalidReason: parsed.invalidReason,
          range: from.range))
    }

    // Reverse DNS, forward-confirmed (Gmail: "valid forward and reverse DNS records").
    for (ip, range) in ips {
      let reverse = ReverseDNS.reverseName(ip)
      switch resolver.lookup(reverse, .ptr) {
      case .failure(let failure): unavailable(.ptr, reverse, "reverse DNS of \(ip)", failure, range)
      case .nonexistent:
        facts.reverseDNS.append(ReverseDNSCheck(ip: ip.description, state: .missing, range: range))
      case .records(let records):
        let names = records.compactMap { record -> String? in
          if case .ptr(let name) = record.data { return name }
          return nil
        }
        if names.isEmpty {
          facts.reverseDNS.append(ReverseDNSCheck(ip: ip.description, state: .missing, range: range))
          continue
        }
        var confirmed: String?
        var failedName = false
        for name in names.prefix(Self.maximumPTRNames) {
          let type: DNSRecordType
          if case .v4 = ip { type = .a } else { type = .aaaa }
          switch resolver.lookup(name, type) {
          case .failure(let failure):
            unavailable(type, name, "forward confirmation of \(ip)", failure, range)
            failedName = true
          case .nonexistent: continue
          case .records(let records):
            let evaluator = SPFEvaluator(resolver: resolver, ip: ip, sender: "")
            if evaluator.addresses(records).contains(ip) { confirmed = name }
          }
          if confirmed != nil { break }
        }
        if let confirmed {
          facts.reverseDNS.append(
            ReverseDNSCheck(ip: ip.description, state: .confirmed(confirmed), range: range))
        } else if !failedName {
          facts.reverseDNS.append(
            ReverseDNSCheck(ip: ip.description, state: .notConfirmed(names), range: range))
        }
      }
    }

    // Hosts: link hosts need an address; the From domain needs MX or an address (RFC 5321 §5.1).
    func resolves(_ host: String, _ types: [DNSRecordType], purpose: String, range: SourceRange?) -> (
      Bool, nonexistent: Bool
    )? {
      var nonexistent = false
      for type in types {
        switch resolver.lookup(host, type) {
        case .failure(let failure):
          unavailable(type, host, purpose, failure, range)
          return nil
        case .nonexistent:
          nonexistent = true
          return (false, true)
        case .records(let records):
          if !records.isEmpty { return (true, false) }
        }
      }
      return (false, nonexistent)
    }
    var seenHosts: Set<String> = []
    for link in inventory.links {
      guard let host = link.deliveredHost, IPAddress(host) == nil, host.contains("."),
        seenHosts.count < Self.maximumLinkHosts,
        seenHosts.insert(host).inserted
      else { continue }
      guard
        let (found, nonexistent) = resolves(
          host, [.a, .aaaa], purpose: "the link host \(host)", range: link.rewrite?.range ?? link.hostRange)
      else { continue }
      if !found {
        facts.hosts.append(
          HostCheck(
            host: host, role: .link, nonexistent: nonexistent, range: link.rewrite?.range ?? link.hostRange))
      }
    }
    for from in inventory.from {
      guard let domain = from.mailbox.domain, seenHosts.insert("from:" + domain).inserted else { continue }
      guard
        let (found, nonexistent) = resolves(
          domain, [.mx, .a, .aaaa], purpose: "the From domain \(domain)", range: from.range)
      else { continue }
      if !found {
        facts.hosts.append(
          HostCheck(host: domain, role: .fromDomain, nonexistent: nonexistent, range: from.range))
      }
    }
    return facts
  }
}
