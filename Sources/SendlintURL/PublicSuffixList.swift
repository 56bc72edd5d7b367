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
  /// Public suffixes already found, by host as asked.
  private let suffixCache = HostFactsCache<String, String?>()

  /// Parses list text (ICANN and private sections alike, as the algorithm requires).
  public convenience init(text: String, source: String) {
    self.init(bytes: Array(text.utf8), source: source)
  }

  /// Parses the list on its bytes: one rule per line, its first space- or tab-separated word;
  /// `//` comments and blank lines skipped. ASCII rules (all but a few hundred) are lowercased
  /// byte by byte; the Unicode ones go through UTS #46 as before. Start-up cost was dominated by
  /// splitting the 230 KB file into Characters.
  public init(bytes: [UInt8], source: String) {
    var rules = Set<String>(minimumCapacity: 16_384)
    var wildcards = Set<String>()
    var exceptions = Set<String>()
    bytes.withUnsafeBufferPointer { buffer in
      let count = buffer.count
      var index = 0
      while index < count {
        var lineEnd = index
        while lineEnd < count, buffer[lineEnd] != 0x0A, buffer[lineEnd] != 0x0D { lineEnd += 1 }
        var start = index
        while start < lineEnd, buffer[start] == 0x20 || buffer[start] == 0x09 { start += 1 }
        var end = start
        while end < lineEnd, buffer[end] != 0x20, buffer[end] != 0x09 { end += 1 }
        index = lineEnd + 1
        guard end > start else { continue }
        if end - start >= 2, buffer[start] == UInt8(ascii: "/"), buffer[start + 1] == UInt8(ascii: "/") {
          continue
        }
        if buffer[start] == UInt8(ascii: "!") {
          exceptions.insert(Self.ascii(buffer, start + 1..<end))
        } else if end - start >= 2, buffer[start] == UInt8(ascii: "*"), buffer[start + 1] == UInt8(ascii: ".")
        {
          wildcards.insert(Self.ascii(buffer, start + 2..<end))
        } else {
          rules.insert(Self.ascii(buffer, start..<end))
        }
      }
    }
    self.rules = rules
    self.wildcards = wildcards
    self.exceptions = exceptions
    self.source = source
  }

  /// A rule's ASCII form: ASCII lowercased on bytes (what UTS #46 does to an all-ASCII name),
  /// anything else through `IDNA.toASCII` as written.
  private static func ascii(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    let slice = UnsafeBufferPointer(rebasing: buffer[range])
    guard !slice.isEmpty, slice.allSatisfy({ $0 < 0x80 }) else {
      let rule = String(decoding: slice, as: UTF8.self).lowercased()
      return IDNA.toASCII(rule) ?? rule
    }
    return String(unsafeUninitializedCapacity: slice.count) { output in
      for offset in 0..<slice.count {
        let byte = slice[offset]
        output[offset] = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
      }
      return slice.count
    }
  }

  /// The list found on this machine, or nil. Searched once: `SENDLINT_PSL`, then the usual
  /// system locations.
  public static let shared: PublicSuffixList? = {
    var candidates: [String] = []
    if let path = ProcessInfo.processInfo.environment["SENDLINT_PSL"] { candidates.append(path) }
    candidates += [
      "/usr/share/publicsuffix/public_suffix_list.dat", "/usr/share/publicsuffix/effective_tld_names.dat",
      "/usr/local/share/publicsuffix/public_suffix_list.dat",
      "/opt/homebrew/share/publicsuffix/public_suffix_list.dat",
    ]
    for path in candidates {
      if let data = FileManager.default.contents(atPath: path) {
        return PublicSuffixList(bytes: [UInt8](data), source: path)
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
  /// Memoised per host: every link rule asks about the same few hosts of a message.
  public func publicSuffix(of host: String) -> String? {
    suffixCache.value(for: host) { computePublicSuffix(of: host) }
  }

  private func computePublicSuffix(of host: String) -> String? {
    guard !Self.isIPAddress(host) else { return nil }
    let labels = HostName.normalise(host).split(separator: ".", omittingEmptySubsequences: false).map(
      String.init)
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
    let labels = HostName.normalise(host).split(separator: ".", omittingEmptySubsequences: false).map(
      String.init)
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
    if let dot = suffix.firstIndex(of: "."), wildcards.contains(String(suffix[suffix.index(after: dot)...])) {
      return true
    }
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
