import SendlintCore

/// What `--online` found in published DNS for one draft. Plain data: the lookups happen below the
/// inventory (SendlintOnline), the rules only read this. Nil on an inventory when not online.
public struct OnlineFacts: Sendable {
  /// SPF for the envelope domain, once per sending IP.
  public var spf: [SPFCheck] = []
  /// DKIM key records, once per (d=, s=).
  public var dkimKeys: [DKIMKeyCheck] = []
  /// The DMARC record of the From domain (or its organisational domain), once per From domain.
  public var dmarc: [DMARCCheck] = []
  /// Reverse DNS of each public sending IP.
  public var reverseDNS: [ReverseDNSCheck] = []
  /// Link hosts and From domains that do not resolve.
  public var hosts: [HostCheck] = []
  /// Lookups that gave no answer (timeout, SERVFAIL, budget): nothing was judged for them.
  public var unavailable: [DNSUnavailable] = []

  public init() {}
}

/// An SPF result (RFC 7208 §2.6).
public enum SPFResult: String, Sendable {
  case pass, fail, softfail, neutral, none, permerror, temperror
}

/// SPF evaluated for one (domain, IP).
public struct SPFCheck: Sendable {
  public let domain: String
  public let ip: String
  public let result: SPFResult
  /// Why, for fail/permerror/temperror: the term that matched or the limit that was hit.
  public let reason: String
  /// The records visited, `domain: "v=spf1 …"`, in evaluation order.
  public let chain: [String]
  /// Where the envelope domain is written.
  public let range: SourceRange?

  public init(
    domain: String, ip: String, result: SPFResult, reason: String, chain: [String], range: SourceRange?
  ) {
    self.domain = domain
    self.ip = ip
    self.result = result
    self.reason = reason
    self.chain = chain
    self.range = range
  }
}

/// A DKIM public key record (RFC 6376 §3.6.1) as published.
public struct DKIMKeyCheck: Sendable {
  public enum State: Sendable, Hashable {
    /// The name does not exist, or has no TXT record.
    case missing
    /// `p=` is empty: the key was revoked (RFC 6376 §3.6.1).
    case revoked
    /// A record that cannot be used, with why.
    case invalid(String)
    case rsa(bits: Int)
    case ed25519
  }

  public let domain: String
  public let selector: String
  public let state: State
  public let range: SourceRange?

  public init(domain: String, selector: String, state: State, range: SourceRange?) {
    self.domain = domain
    self.selector = selector
    self.state = state
    self.range = range
  }

  /// `s1._domainkey.contoso.com`.
  public var recordName: String { "\(selector)._domainkey.\(domain)" }
}

/// A DMARC record lookup (RFC 7489 §6.6.3) for one From domain.
public struct DMARCCheck: Sendable {
  public let fromDomain: String
  /// Where the record was found (`_dmarc.` + the From or organisational domain); nil when none.
  public let recordDomain: String?
  public let record: String?
  /// `p=` (or `sp=` when the record is the organisational domain's and the From is a subdomain).
  public let policy: String?
  /// `adkim` / `aspf`: `r` (default) or `s`.
  public let dkimAlignment: String
  public let spfAlignment: String
  /// Why the record cannot be used, if it cannot.
  public let invalidReason: String?
  public let range: SourceRange?

  public init(
    fromDomain: String, recordDomain: String?, record: String?, policy: String?, dkimAlignment: String,
    spfAlignment: String,
    invalidReason: String?, range: SourceRange?
  ) {
    self.fromDomain = fromDomain
    self.recordDomain = recordDomain
    self.record = record
    self.policy = policy
    self.dkimAlignment = dkimAlignment
    self.spfAlignment = spfAlignment
    self.invalidReason = invalidReason
    self.range = range
  }
}

/// Reverse DNS of one sending IP.
public struct ReverseDNSCheck: Sendable {
  public enum State: Sendable, Hashable {
    /// A PTR name that resolves back to the IP.
    case confirmed(String)
    /// No PTR record.
    case missing
    /// PTR names, none of which resolves back to the IP.
    case notConfirmed([String])
  }

  public let ip: String
  public let state: State
  public let range: SourceRange?

  public init(ip: String, state: State, range: SourceRange?) {
    self.ip = ip
    self.state = state
    self.range = range
  }
}

/// A host that was looked up and does not resolve.
public struct HostCheck: Sendable {
  public enum Role: String, Sendable {
    /// A link's host: no A or AAAA.
    case link
    /// The From domain: no MX, A or AAAA (RFC 5321 §5.1).
    case fromDomain = "From domain"
  }

  public let host: String
  public let role: Role
  /// NXDOMAIN (true) or no address records (false).
  public let nonexistent: Bool
  public let range: SourceRange?

  public init(host: String, role: Role, nonexistent: Bool, range: SourceRange?) {
    self.host = host
    self.role = role
    self.nonexistent = nonexistent
    self.range = range
  }
}

/// A lookup that failed, so a check could not be made.
public struct DNSUnavailable: Sendable {
  /// `TXT _dmarc.contoso.com`.
  public let question: String
  /// What needed it (`DMARC for contoso.com`).
  public let purpose: String
  public let reason: String
  public let range: SourceRange?

  public init(question: String, purpose: String, reason: String, range: SourceRange?) {
    self.question = question
    self.purpose = purpose
    self.reason = reason
    self.range = range
  }
}
