import SendlintCore
import SendlintDNS
import SendlintInventory
import SendlintURL

/// RFC 7208 `check_host()`: evaluates the SPF record of `domain` for one client IP.
///
/// Limits: at most 10 mechanisms and modifiers that query DNS (`include`, `a`, `mx`, `ptr`,
/// `exists`, `redirect`; §4.6.4), at most 2 void lookups (§4.6.4), at most 10 MX or PTR names per
/// mechanism; exceeding any is `permerror`. Macros (§7) are expanded for `s l o d i p h v`
/// with digit and `r` transformers and delimiters; `c r t` (exp only) are `permerror`.
public struct SPFEvaluator {
  let resolver: DNSResolver
  let ip: IPAddress
  let sender: String
  let helo: String

  public static let lookupLimit = 10
  public static let voidLimit = 2
  public static let perMechanismNameLimit = 10
  /// Records read in one evaluation, so a hostile include tree cannot grow the chain text.
  public static let recordByteLimit = 4096

  var lookups = 0
  var voids = 0
  /// `domain: "record"`, in the order the records were read.
  public private(set) var chain: [String] = []

  public init(resolver: DNSResolver, ip: IPAddress, sender: String, helo: String? = nil) {
    self.resolver = resolver
    self.ip = ip
    self.sender = sender
    self.helo = helo ?? "unknown"
  }

  /// The result and the reason (the matched term, or the error).
  public mutating func evaluate(_ domain: String) -> (SPFResult, String) {
    checkHost(HostName.normalise(domain), depth: 0)
  }

  enum Qualifier: Character {
    case pass = "+"
    case fail = "-"
    case softfail = "~"
    case neutral = "?"
    var result: SPFResult {
      switch self {
      case .pass: .pass
      case .fail: .fail
      case .softfail: .softfail
      case .neutral: .neutral
      }
    }
  }

  struct Failure: Error {
    let result: SPFResult
    let reason: String
  }

  /// The one `v=spf1` record at `domain`, or the result that ends evaluation.
  mutating func record(_ domain: String) -> Result<String, Failure> {
    let outcome = resolver.lookup(domain, .txt)
    switch outcome {
    case .failure(let failure):
      return .failure(Failure(result: .temperror, reason: "TXT \(domain): \(failure)"))
    case .nonexistent: return .failure(Failure(result: .none, reason: "\(domain) does not exist"))
    case .records(let records):
      let spf = records.compactMap(\.joinedText).filter { text in
        let lower = text.lowercased()
        return lower == "v=spf1" || lower.hasPrefix("v=spf1 ")
      }
      if spf.isEmpty { return .failure(Failure(result: .none, reason: "\(domain) publishes no SPF record")) }
      if spf.count > 1 {
        return .failure(
          Failure(
            result: .permerror,
            reason: "\(domain) publishes \(spf.count) SPF records (RFC 7208 §4.5 allows one)"))
      }
      let text = spf[0].count > Self.recordByteLimit ? String(spf[0].prefix(Self.recordByteLimit)) : spf[0]
      chain.append("\(domain): \"\(text.escapedForDisplay)\"")
      return .success(text)
    }
  }

  mutating func countLookup(_ term: String) throws(Failure) {
    lookups += 1
    if lookups > Self.lookupLimit {
      throw Failure(
        result: .permerror,
        reason:
          "more than \(Self.lookupLimit) DNS-querying terms (at \"\(term.escapedForDisplay)\"; RFC 7208 §4.6.4)"
      )
    }
  }

  mutating func countVoid(_ outcome: DNSOutcome, _ term: String) throws(Failure) {
    if case .failure(let failure) = outcome {
      throw Failure(result: .temperror, reason: "\"\(term.escapedForDisplay)\": \(failure)")
    }
    if outcome.isVoid {
      voids += 1
      if voids > Self.voidLimit {
        throw Failure(
          result: .permerror,
          reason:
            "more than \(Self.voidLimit) void lookups (at \"\(term.escapedForDisplay)\"; RFC 7208 §4.6.4)")
      }
    }
  }

  mutating func checkHost(_ domain: String, depth: Int) -> (SPFResult, String) {
    // Recursion is bounded by the lookup limit already; the depth check is a second fence.
    guard depth <= Self.lookupLimit + 1 else { return (.permerror, "include/redirect nesting too deep") }
    let text: String
    switch record(domain) {
    case .failure(let failure): return (failure.result, failure.reason)
    case .success(let found): text = found
    }
    do throws(Failure) {
      let terms = text.split(separator: " ", omittingEmptySubsequences: true).dropFirst()
      var redirect: String?
      // Modifiers may appear anywhere; redirect applies only when no mechanism matched (§6.1).
      for term in terms {
        let lower = term.lowercased()
        if let equals = lower.firstIndex(of: "="),
          lower[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }),
          !lower[..<equals].contains(":")
        {
          let name = lower[..<equals]
          if name == "redirect" {
            guard redirect == nil else {
              throw Failure(
                result: .permerror, reason: "two redirect= modifiers in \(domain.escapedForDisplay)")
            }
            // lower and term have the same indices for ASCII; '=' found above
            redirect = String(term[term.index(after: term.firstIndex(of: "=")!)...])
          }
          continue  // exp= and unknown modifiers are ignored (§6)
        }
        var body = Substring(term)
        var qualifier = Qualifier.pass
        if let first = body.first, let found = Qualifier(rawValue: first) {
          qualifier = found
          body = body.dropFirst()
        }
        if try matches(body, domain: domain, depth: depth) {
          return (qualifier.result, "\"\(term)\" matched \(ip) in \(domain)")
        }
      }
      if let redirect {
        try countLookup("redirect=\(redirect)")
        let target = try expand(Substring(redirect), domain: domain)
        let (result, reason) = checkHost(target, depth: depth + 1)
        if result == .none { return (.permerror, "redirect=\"\(target.escapedForDisplay)\": \(reason)") }
        return (result, reason)
      }
      return (.neutral, "no term matched \(ip) in \(domain)")
    } catch {
      return (error.result, error.reason)
    }
  }

  /// Splits `name[:domain][/cidr4][//cidr6]` forms.
  func split(_ body: Substring, name: String) -> (domain: Substring?, cidr4: Int?, cidr6: Int?, valid: Bool) {
    var rest = body.dropFirst(name.count)
    var cidr4: Int?
    var cidr6: Int?
    var valid = true
    if let range = rest.range(of: "//") {
      cidr6 = Int(rest[range.upperBound...])
      if cidr6 == nil || cidr6! > 128 { valid = false }  // nil checked first
      rest = rest[..<range.lowerBound]
    }
    if let slash = rest.lastIndex(of: "/") {
      cidr4 = Int(rest[rest.index(after: slash)...])
      if cidr4 == nil || cidr4! > 32 { valid = false }  // nil checked first
      rest = rest[..<slash]
    }
    if rest.isEmpty { return (nil, cidr4, cidr6, valid) }
    guard rest.hasPrefix(":"), rest.count > 1 else { return (nil, cidr4, cidr6, false) }
    return (rest.dropFirst(), cidr4, cidr6, valid)
  }

  func contains(_ address: IPAddress, cidr4: Int?, cidr6: Int?) -> Bool {
    let prefix: Int
    switch ip {
    case .v4: prefix = cidr4 ?? 32
    case .v6: prefix = cidr6 ?? 128
    }
    return CIDR("\(address)/\(prefix)")?.contains(ip) ?? false
  }

  func addresses(_ records: [DNSRecord]) -> [IPAddress] {
    records.compactMap { record in
      switch record.data {
      case .a(let bytes): IPAddress(bytes.map(String.init).joined(separator: "."))
      case .aaaa(let bytes):
        IPAddress(
          stride(from: 0, to: 16, by: 2).map {
            String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
          }.joined(separator: ":"))
      default: nil
      }
    }
  }

  var addressType: DNSRecordType {
    if case .v4 = ip { return .a }
    return .aaaa
  }

  mutating func matches(_ body: Substring, domain: String, depth: Int) throws(Failure) -> Bool {
    let lower = body.lowercased()
    func invalid() -> Failure {
      Failure(
        result: .permerror,
        reason: "\"\(String(body).escapedForDisplay)\" in \(domain) is not a valid SPF term")
    }
    if lower == "all" { return true }
    if lower.hasPrefix("include:") {
      try countLookup(String(body))
      let target = try expand(body.dropFirst(8), domain: domain)
      let (result, reason) = checkHost(target, depth: depth + 1)
      switch result {
      case .pass: return true
      case .fail, .softfail, .neutral: return false
      case .temperror: throw Failure(result: .temperror, reason: reason)
      case .permerror: throw Failure(result: .permerror, reason: reason)
      case .none:
        throw Failure(result: .permerror, reason: "include:\"\(target.escapedForDisplay)\": \(reason)")
      }
    }
    if lower.hasPrefix("ip4:") || lower.hasPrefix("ip6:") {
      let value = body.dropFirst(4)
      let text = value.contains("/") ? String(value) : "\(value)/\(lower.hasPrefix("ip4:") ? 32 : 128)"
      guard let cidr = CIDR(text) else { throw invalid() }
      switch (cidr.address, lower.hasPrefix("ip4:")) {
      case (.v4, true), (.v6, false): break
      default: throw invalid()
      }
      return cidr.contains(ip)
    }
    if lower == "a" || lower.hasPrefix("a:") || lower.hasPrefix("a/") {
      try countLookup(String(body))
      let parts = split(body, name: "a")
      guard parts.valid else { throw invalid() }
      let target = try parts.domain.map { d throws(Failure) in try expand(d, domain: domain) } ?? domain
      let outcome = resolver.lookup(target, addressType)
      try countVoid(outcome, String(body))
      return addresses(outcome.records ?? []).contains {
        contains($0, cidr4: parts.cidr4, cidr6: parts.cidr6)
      }
    }
    if lower == "mx" || lower.hasPrefix("mx:") || lower.hasPrefix("mx/") {
      try countLookup(String(body))
      let parts = split(body, name: "mx")
      guard parts.valid else { throw invalid() }
      let target = try parts.domain.map { d throws(Failure) in try expand(d, domain: domain) } ?? domain
      let outcome = resolver.lookup(target, .mx)
      try countVoid(outcome, String(body))
      let exchanges = (outcome.records ?? []).compactMap { record -> String? in
        if case .mx(_, let exchange) = record.data { return exchange }
        return nil
      }
      if exchanges.count > Self.perMechanismNameLimit {
        throw Failure(
          result: .permerror,
          reason:
            "\(target) has \(exchanges.count) MX records; \"\(body)\" may look up at most \(Self.perMechanismNameLimit) (RFC 7208 §4.6.4)"
        )
      }
      for exchange in exchanges {
        let hosts = resolver.lookup(exchange, addressType)
        try countVoid(hosts, "\(body) → \(exchange)")
        if addresses(hosts.records ?? []).contains(where: {
          contains($0, cidr4: parts.cidr4, cidr6: parts.cidr6)
        }) {
          return true
        }
      }
      return false
    }
    if lower == "ptr" || lower.hasPrefix("ptr:") {
      try countLookup(String(body))
      let target = lower == "ptr" ? domain : try expand(body.dropFirst(4), domain: domain)
      let names = ReverseDNS.ptrNames(ip, resolver: resolver).prefix(Self.perMechanismNameLimit)
      for name in names where HostName.host(name, isWithin: target) {
        if addresses(resolver.lookup(name, addressType).records ?? []).contains(ip) { return true }
      }
      return false
    }
    if lower.hasPrefix("exists:") {
      try countLookup(String(body))
      let target = try expand(body.dropFirst(7), domain: domain)
      let outcome = resolver.lookup(target, .a)
      try countVoid(outcome, String(body))
      return !(outcome.records ?? []).isEmpty
    }
    throw invalid()
  }

  /// Macro expansion (RFC 7208 §7.3).
  func expand(_ spec: Substring, domain: String) throws(Failure) -> String {
    var output = ""
    var index = spec.startIndex
    while index < spec.endIndex {
      let character = spec[index]
      guard character == "%" else {
        output.append(character)
        index = spec.index(after: index)
        continue
      }
      let next = spec.index(after: index)
      guard next < spec.endIndex else {
        throw Failure(result: .permerror, reason: "macro \"\(spec)\" ends with %")
      }
      switch spec[next] {
      case "%":
        output.append("%")
        index = spec.index(after: next)
        continue
      case "_":
        output.append(" ")
        index = spec.index(after: next)
        continue
      case "-":
        output.append("%20")
        index = spec.index(after: next)
        continue
      case "{": break
      default:
        throw Failure(result: .permerror, reason: "macro \"\(spec)\": % must be followed by {, %, _ or -")
      }
      guard let close = spec[next...].firstIndex(of: "}") else {
        throw Failure(result: .permerror, reason: "macro \"\(spec)\" has no closing }")
      }
      var inner = spec[spec.index(after: next)..<close]
      guard let letter = inner.first?.lowercased() else {
        throw Failure(result: .permerror, reason: "empty macro in \"\(spec)\"")
      }
      inner = inner.dropFirst()
      let at = sender.lastIndex(of: "@")
      let local = at.map { String(sender[..<$0]) } ?? "postmaster"
      let senderDomain = at.map { String(sender[sender.index(after: $0)...]) } ?? sender
      var value: String
      switch letter {
      case "s": value = at == nil ? "postmaster@\(sender)" : sender
      case "l": value = local
      case "o": value = senderDomain
      case "d": value = domain
      case "i":
        switch ip {
        case .v4: value = ip.description
        case .v6(let pieces):
          value = pieces.flatMap { piece in (0..<4).map { String(piece >> (12 - 4 * $0) & 0xF, radix: 16) } }
            .joined(separator: ".")
        }
      case "p": value = "unknown"  // RFC 7208 §7.2: "SHOULD NOT" be used; "unknown" is the defined fallback
      case "v":
        if case .v4 = ip { value = "in-addr" } else { value = "ip6" }
      case "h": value = helo
      default:
        throw Failure(
          result: .permerror,
          reason: "macro %{\(letter)} in \"\(spec)\" is not allowed outside exp= (RFC 7208 §7.2)")
      }
      var digits = ""
      while let first = inner.first, first.isASCII, first.isNumber {
        digits.append(first)
        inner = inner.dropFirst()
      }
      var reverse = false
      if inner.first == "r" || inner.first == "R" {
        reverse = true
        inner = inner.dropFirst()
      }
      let delimiters = inner.isEmpty ? Set(["."]) : Set(inner.map(String.init))
      guard delimiters.isSubset(of: [".", "-", "+", ",", "/", "_", "="]) else {
        throw Failure(
          result: .permerror, reason: "macro delimiters \"\(inner)\" in \"\(spec)\" are not allowed")
      }
      var parts = value.split(omittingEmptySubsequences: false) { delimiters.contains(String($0)) }.map(
        String.init)
      if reverse { parts.reverse() }
      if !digits.isEmpty {
        guard let keep = Int(digits), keep > 0 else {
          throw Failure(result: .permerror, reason: "macro \"\(spec)\" keeps 0 labels")
        }
        parts = Array(parts.suffix(keep))
      }
      value = parts.joined(separator: ".")
      output += value
      index = spec.index(after: close)
    }
    // A domain-spec longer than 253 octets loses labels from the left (§7.3).
    while output.utf8.count > 253, let dot = output.firstIndex(of: ".") {
      output = String(output[output.index(after: dot)...])
    }
    return HostName.normalise(output)
  }
}

/// Reverse-DNS names and forward confirmation.
public enum ReverseDNS {
  /// `7.2.0.192.in-addr.arpa` or the nibble form under `ip6.arpa`.
  public static func reverseName(_ ip: IPAddress) -> String {
    switch ip {
    case .v4(let value):
      return [value & 0xFF, value >> 8 & 0xFF, value >> 16 & 0xFF, value >> 24].map(String.init).joined(
        separator: ".") + ".in-addr.arpa"
    case .v6(let pieces):
      let nibbles = pieces.flatMap { piece in (0..<4).map { String(piece >> (12 - 4 * $0) & 0xF, radix: 16) }
      }
      return nibbles.reversed().joined(separator: ".") + ".ip6.arpa"
    }
  }

  /// The PTR names of `ip` (empty on NXDOMAIN, NODATA or failure).
  public static func ptrNames(_ ip: IPAddress, resolver: DNSResolver) -> [String] {
    (resolver.lookup(reverseName(ip), .ptr).records ?? []).compactMap { record in
      if case .ptr(let name) = record.data { return name }
      return nil
    }
  }
}
