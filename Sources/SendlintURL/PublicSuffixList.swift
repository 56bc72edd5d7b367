import Foundation
import SendlintCore

/// The Public Suffix List (https://publicsuffix.org/list/): which part of a host is a public
/// suffix and so which part is the registrable domain.
///
/// sendlint reads the list installed by the operating system (Debian's `publicsuffix` package,
/// `/usr/share/publicsuffix/public_suffix_list.dat`) or a file named by `SENDLINT_PSL`, so the list
/// is updated with the system rather than frozen in the binary. Without a list, rules that need
/// registrable domains report nothing (see `PublicSuffixList.shared`).
public final class PublicSuffixList: Sendable {
  /// The rules, built from the list's bytes on the first lookup (a run that looks up no host,
  /// such as an empty lint, never pays for it).
  private let table: LazyRuleTable
  /// Where the list was read from, for messages.
  public let source: String
  /// Public suffixes already found, by host as asked.
  private let suffixCache = HostFactsCache<String, String?>()

  /// Parses list text (ICANN and private sections alike, as the algorithm requires).
  public convenience init(text: String, source: String) {
    self.init(bytes: Array(text.utf8), source: source)
  }

  /// Keeps the list's bytes; they are indexed on the first lookup: one rule per line, its first
  /// space- or tab-separated word; `//` comments and blank lines skipped. ASCII rules (all but a
  /// few hundred) are a flat hash table of byte ranges into the file, compared lowercased byte by
  /// byte (no String per rule); the Unicode ones go through UTS #46 as before. Start-up cost was
  /// a Set of 10,000 Strings built whether or not a host was ever looked up.
  public init(bytes: [UInt8], source: String) {
    self.table = LazyRuleTable(bytes: bytes)
    self.source = source
  }

  /// The list found on this machine, or nil. Searched once: `SENDLINT_PSL`, then the usual
  /// system locations.
  public static let shared: PublicSuffixList? = {
    var candidates: [String] = []
    if let path = ProcessEnvironment.value("SENDLINT_PSL") { candidates.append(path) }
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
    let labels = HostName.normalise(host).splitASCII(
      separator: UInt8(ascii: "."), omittingEmptySubsequences: false
    ).map(
      String.init)
    guard !labels.isEmpty, !labels.contains(where: \.isEmpty) else { return nil }
    let rules = table.value
    func candidate(_ count: Int) -> String { labels[(labels.count - count)...].joined(separator: ".") }
    // An exception rule always prevails; its public suffix drops the exception's first label.
    for count in 1...labels.count where rules.contains(.exception, candidate(count)) {
      return candidate(count - 1)
    }
    // Otherwise the longest matching rule; the default rule "*" gives one label.
    var suffixLength = 1
    for count in 1...labels.count {
      if rules.contains(.rule, candidate(count))
        || (count >= 2 && rules.contains(.wildcard, candidate(count - 1)))
      {
        suffixLength = count
      }
    }
    return labels[(labels.count - suffixLength)...].joined(separator: ".")
  }

  /// The registrable domain (public suffix plus one label), or nil when the host is itself a
  /// public suffix or is an IP address.
  public func registrableDomain(of host: String) -> String? {
    let labels = HostName.normalise(host).splitASCII(
      separator: UInt8(ascii: "."), omittingEmptySubsequences: false
    ).map(
      String.init)
    guard let suffix = publicSuffix(of: host) else { return nil }
    let suffixCount = suffix.splitASCII(separator: UInt8(ascii: ".")).count
    guard labels.count > suffixCount else { return nil }
    return labels[(labels.count - suffixCount - 1)...].joined(separator: ".")
  }

  /// Whether a rule (not the default `*`) lists `suffix` — used to tell host names from file names
  /// in plain text.
  public func isKnownSuffix(_ suffix: String) -> Bool {
    let suffix = suffix.lowercased()
    let rules = table.value
    if rules.contains(.rule, suffix) { return true }
    if let dot = suffix.firstIndex(of: "."),
      rules.contains(.wildcard, String(suffix[suffix.index(after: dot)...]))
    {
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

/// What a list line says about its name: a plain rule, a wildcard (`*.name`, stored as `name`) or
/// an exception (`!name`, stored as `name`).
enum PublicSuffixRuleKind: UInt8 {
  case rule = 0
  case wildcard = 1
  case exception = 2
}

/// The list's rules, built once on first use and shared by every thread.
final class LazyRuleTable: @unchecked Sendable {
  private let lock = NSLock()
  private var bytes: [UInt8]
  private var built: PublicSuffixRuleTable?

  init(bytes: [UInt8]) { self.bytes = bytes }

  var value: PublicSuffixRuleTable {
    lock.lock()
    defer { lock.unlock() }
    if let built { return built }
    let table = PublicSuffixRuleTable(bytes: bytes)
    built = table
    bytes = []
    return table
  }
}

/// The rules of one list: the ASCII ones as an open-addressing hash table of byte ranges into the
/// file (lowercased when compared), the few hundred Unicode ones as Strings in their UTS #46 ASCII
/// form, exactly as a `Set<String>` of every rule's lowercased ASCII form would answer.
struct PublicSuffixRuleTable: Sendable {
  private let bytes: [UInt8]
  /// 0 for an empty slot, else `(offset + 1) << 20 | length << 2 | kind`.
  private let slots: [UInt64]
  private let mask: Int
  /// Rules with a non-ASCII byte, by kind, in their ASCII form (or lowercased as written when
  /// UTS #46 refuses them).
  private let unicodeRules: [Set<String>]

  /// Longest rule kept in the byte table (the slot's 18-bit length field); a longer line, which
  /// no host can end with (a host has at most 253 bytes), goes to the String sets instead.
  private static let maximumTableLength = (1 << 18) - 1

  init(bytes: [UInt8]) {
    var entries: [UInt64] = []
    entries.reserveCapacity(16_384)
    var unicode: [Set<String>] = [[], [], []]
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
        var kind = PublicSuffixRuleKind.rule
        if buffer[start] == UInt8(ascii: "!") {
          kind = .exception
          start += 1
        } else if end - start >= 2, buffer[start] == UInt8(ascii: "*"), buffer[start + 1] == UInt8(ascii: ".")
        {
          kind = .wildcard
          start += 2
        }
        var ascii = true
        for offset in start..<end where buffer[offset] >= 0x80 {
          ascii = false
          break
        }
        if ascii, end > start, end - start <= Self.maximumTableLength {
          entries.append(UInt64(start + 1) << 20 | UInt64(end - start) << 2 | UInt64(kind.rawValue))
        } else {
          let rule = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
            .lowercased()
          unicode[Int(kind.rawValue)].insert(ascii && !rule.isEmpty ? rule : IDNA.toASCII(rule) ?? rule)
        }
      }
    }
    var capacity = 16
    while capacity < entries.count * 2 { capacity <<= 1 }
    var slots = [UInt64](repeating: 0, count: capacity)
    let mask = capacity - 1
    bytes.withUnsafeBufferPointer { buffer in
      for entry in entries {
        let (start, length, kind) = Self.unpack(entry)
        let rule = UnsafeBufferPointer(rebasing: buffer[start..<start + length])
        var slot = Self.hash(rule, kind: kind) & mask
        while slots[slot] != 0 {
          let (otherStart, otherLength, otherKind) = Self.unpack(slots[slot])
          if otherKind == kind,
            Self.equalLowercased(
              rule, UnsafeBufferPointer(rebasing: buffer[otherStart..<otherStart + otherLength]))
          {
            break
          }
          slot = (slot + 1) & mask
        }
        slots[slot] = entry
      }
    }
    self.bytes = bytes
    self.slots = slots
    self.mask = mask
    self.unicodeRules = unicode
  }

  private static func unpack(_ entry: UInt64) -> (start: Int, length: Int, kind: UInt8) {
    (Int(entry >> 20) - 1, Int((entry >> 2) & 0x3FFFF), UInt8(entry & 3))
  }

  @inline(__always)
  private static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }

  /// FNV-1a over the lowercased bytes and the kind.
  private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, kind: UInt8) -> Int {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(kind)
    for byte in bytes {
      value ^= UInt64(lower(byte))
      value &*= 0x0000_0100_0000_01B3
    }
    return Int(truncatingIfNeeded: value ^ (value >> 29))
  }

  private static func equalLowercased(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>)
    -> Bool
  {
    guard left.count == right.count else { return false }
    for index in 0..<left.count where lower(left[index]) != lower(right[index]) { return false }
    return true
  }

  /// Whether the list has a rule of `kind` whose ASCII form is `name` exactly (as a Set of the
  /// rules' lowercased forms would answer: an uppercase `name` matches nothing).
  func contains(_ kind: PublicSuffixRuleKind, _ name: String) -> Bool {
    if unicodeRules[Int(kind.rawValue)].contains(name) { return true }
    var name = name
    return name.withUTF8 { query in
      guard !query.isEmpty, !query.contains(where: { $0 >= 0x80 || ($0 >= 65 && $0 <= 90) }) else {
        return false
      }
      return bytes.withUnsafeBufferPointer { buffer in
        var slot = Self.hash(query, kind: kind.rawValue) & mask
        while slots[slot] != 0 {
          let (start, length, otherKind) = Self.unpack(slots[slot])
          if otherKind == kind.rawValue,
            Self.equalLowercased(query, UnsafeBufferPointer(rebasing: buffer[start..<start + length]))
          {
            return true
          }
          slot = (slot + 1) & mask
        }
        return false
      }
    }
  }
}
