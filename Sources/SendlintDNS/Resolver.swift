import Foundation

/// Why a lookup gave no usable answer. Every failure is one of these; none is a crash.
public enum DNSFailure: Error, Sendable, Hashable, CustomStringConvertible {
  /// No server answered within the timeout.
  case timeout(server: String)
  /// RCODE 2: the server could not answer (a broken delegation, DNSSEC failure upstream).
  case serverFailure(server: String)
  /// RCODE 5: the server refuses to answer this client.
  case refused(server: String)
  /// Another RCODE the client does not treat as an answer.
  case rcode(UInt8, server: String)
  /// The answer could not be read.
  case malformed(String)
  /// The per-run time budget for DNS was used up before this lookup.
  case budgetExhausted
  /// A socket error, or a name that cannot be queried.
  case network(String)

  public var description: String {
    switch self {
    case .timeout(let server): "no answer from \(server) within the timeout"
    case .serverFailure(let server): "SERVFAIL from \(server)"
    case .refused(let server): "REFUSED by \(server)"
    case .rcode(let code, let server): "RCODE \(code) from \(server)"
    case .malformed(let reason): "malformed answer: \(reason)"
    case .budgetExhausted: "the DNS time budget for this run is used up"
    case .network(let reason): reason
    }
  }
}

/// The outcome of one lookup.
public enum DNSOutcome: Sendable, Hashable {
  /// NOERROR: records of the asked type (empty for NODATA), after any CNAME chain.
  case records([DNSRecord])
  /// NXDOMAIN: the name does not exist.
  case nonexistent
  case failure(DNSFailure)

  /// The records, or nil for NXDOMAIN and failures.
  public var records: [DNSRecord]? {
    if case .records(let records) = self { return records }
    return nil
  }

  /// NXDOMAIN or NODATA: what RFC 7208 §4.6.4 counts as a void lookup.
  public var isVoid: Bool {
    switch self {
    case .nonexistent: true
    case .records(let records): records.isEmpty
    case .failure: false
    }
  }
}

/// Something that answers DNS questions. The engine's only way to the network.
public protocol DNSResolver: Sendable {
  /// Looks up `name` (an ASCII name, no trailing dot needed) for `type`. Never throws, never traps.
  func lookup(_ name: String, _ type: DNSRecordType) -> DNSOutcome
}

/// Wraps a resolver for one run: each name and type is asked once, and all lookups together stop
/// after `budget` (later ones return `.budgetExhausted` without asking).
public final class RunResolver: DNSResolver, @unchecked Sendable {
  let inner: DNSResolver
  let deadline: ContinuousClock.Instant
  let lock = NSLock()
  var cache: [String: DNSOutcome] = [:]
  /// Questions sent to the inner resolver (cache misses), for tests and `--verbose`.
  public private(set) var questionCount = 0

  public init(_ inner: DNSResolver, budget: Duration) {
    self.inner = inner
    self.deadline = ContinuousClock.now + budget
  }

  public func lookup(_ name: String, _ type: DNSRecordType) -> DNSOutcome {
    let key = name.lowercased().trimmingTrailingDot + "/" + type.description
    lock.lock()
    if let cached = cache[key] {
      lock.unlock()
      return cached
    }
    lock.unlock()
    let outcome: DNSOutcome
    if ContinuousClock.now >= deadline {
      outcome = .failure(.budgetExhausted)
    } else {
      outcome = inner.lookup(name, type)
    }
    lock.lock()
    cache[key] = outcome
    if outcome != .failure(.budgetExhausted) { questionCount += 1 }
    lock.unlock()
    return outcome
  }

  /// Time left in the budget, for the socket client's per-query timeout.
  public var remaining: Duration { max(.zero, deadline - ContinuousClock.now) }
}

extension String {
  var trimmingTrailingDot: String { hasSuffix(".") ? String(dropLast()) : self }
}
