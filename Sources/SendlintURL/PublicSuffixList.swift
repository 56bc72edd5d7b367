import Foundation

/// The Public Suffix List (https://publicsuffix.org/list/): which part of a host is a public
/// suffix and so which part is the registrable domain.
///
/// sendlint reads the list installed by the operating system (Debian's `publicsuffix` package,
/// `/usr/share/publicsuffix/public_suffix_list.dat`) or a file named by `SENDLINT_PSL`, so the list
/// is updated with the system rather than frozen in the binary. Without a list, rules that need
/// registrable domains report nothing (see `PublicSuffixList.shared`).
public final class PublicSuffixList: Sendable {
  /// Rules by their labels in ASCII, lowercased. Exceptions start with "!".
  private let rules: Set<String>
  private let wildcards: Set<String>
  private let exceptions: Set<String>
  /// Where the list was read from, for messages.
  public let source: String

  /// Parses list text (ICANN and private sections alike, as the algorithm requires).
  public init(text: String, source: String) {
    var rules = Set<String>()
    var wildcards = Set<String>()
    var exceptions = Set<String>()
    for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
      let line = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
      guard !line.isEmpty, !line.hasPrefix("//") else { continue }
      if line.hasPrefix("!") {
        exceptions.insert(Self.ascii(String(line.dropFirst())))
      } else if line.hasPrefix("*.") {
        wildcards.insert(Self.ascii(String(line.dropFirst(2))))
      } else {
        rules.insert(Self.ascii(line))
      }
    }
    self.rules = rules
    self.wildcards = wildcards
    self.exceptions = exceptions
    self.source = source
  }

  private static func ascii(_ rule: String) -> String {
    IDNA.toASCII(rule.lowercased()) ?? rule.lowercased()
  }

  /// The list found on this machine, or nil. Searched once: `SENDLINT_PSL`, then the usual
  /// system locations.
  public static let shared: PublicSuffixList? = {
    var candidates: [String] = []
    if let path = ProcessInfo.processInfo.environment["SENDLINT_PSL"] { candidates.append(path) }
    candidates += [
      "/usr/share/publicsuffix/public_suffix_list.dat", "/usr/share/publicsuffix/effective_tld_names.dat",
      "/usr/local/share/publicsuffix/public_suffix_list.dat", "/opt/homebrew/share/publicsuffix/public_suffix_list.dat",
    ]
    for path in candidates {
      if let data = FileManager.default.contents(atPath: path) {
        return PublicSuffixList(text: String(decoding: data, as: UTF8.self), source: path)
      }
    }
    return nil
  }()

  /// Whether a host is an IP address rather than a domain: IPv6 (with a colon, bracketed or not)
  /// or a host that "ends in a number" (WHATWG URL §3.5), which the host parser reads as IPv4
  /// (`127.0.0.1`, `0x7f.1`) or rejects. Such hosts have no public suffix and no registrable
  /// domain (WHATWG URL §3.2: "if host is not a domain, return null"), so two unrelated IPs never
  /// share a site.
  public static func isIPAddress(_ host: String) -> Bool {
    if host.contains(":") || host.hasPrefix("[") { return true }
    return URLParser.endsInNumber(HostName.normalise(host))
  }

  /// The public suffix of an ASCII host (the default rule `*` applies when no rule matches); nil
  /// for an IP address.
  public func publicSuffix(of host: String) -> String? {
    guard !Self.isIPAddress(host) else { return nil }
    let labels = HostName.normalise(host).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !labels.isEmpty, !labels.contains(where: \.isEmpty) else { return nil }
    func candidate(_ count: Int) -> String { labels[(labels.count - count)...].joined(separator: ".") }
    // An exception rule always prevails; its public suffix drops the exception's first label.
    for count in 1...labels.count where exceptions.contains(candidate(count)) {
      return candidate(count - 1)
    }
    // Otherwise the longest matching rule; the default rule "*" gives one label.
    var suffixLength = 1
    for count in 1...labels.count {
      if rules.contains(candidate(count)) || (count >= 2 && wildcards.contains(candidate(count - 1))) {
        suffixLength = count
      }
    }
    return labels[(labels.count - suffixLength)...].joined(separator: ".")
  }

  /// The registrable domain (public suffix plus one label), or nil when the host is itself a
  /// public suffix or is an IP address.
  public func registrableDomain(of host: String) -> String? {
    let labels = HostName.normalise(host).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard let suffix = publicSuffix(of: host) else { return nil }
    let suffixCount = suffix.split(separator: ".").count
    guard labels.count > suffixCount else { return nil }
    return labels[(labels.count - suffixCount - 1)...].joined(separator: ".")
  }

  /// Whether a rule (not the default `*`) lists `suffix` — used to tell host names from file names
  /// in plain text.
  public func isKnownSuffix(_ suffix: String) -> Bool {
    let suffix = suffix.lowercased()
    if rules.contains(suffix) { return true }
    if let dot = suffix.firstIndex(of: "."), wildcards.contains(String(suffix[suffix.index(after: dot)...])) { return true }
    return false
  }

  /// The registrable domain of a host as written, in the same form: a Unicode input gives a
  /// Unicode answer. Leading dots and empty labels give nil (the PSL test suite's conventions).
  public static func registrableDomainForDisplay(of host: String, in list: PublicSuffixList) -> String? {
    guard !host.hasPrefix("."), let ascii = IDNA.toASCII(host.lowercased()) else { return nil }
    guard let domain = list.registrableDomain(of: ascii) else { return nil }
    return host.unicodeScalars.allSatisfy(\.isASCII) ? domain : IDNA.toUnicode(domain) ?? domain
  }
}
