/// A nameserver address: IPv4 or IPv6 with a port.
public struct ResolverAddress: Sendable, Hashable, CustomStringConvertible {
  /// 4 or 16 bytes.
  public let bytes: [UInt8]
  public let port: UInt16

  public init(bytes: [UInt8], port: UInt16) {
    self.bytes = bytes
    self.port = port
  }

  public var isIPv6: Bool { bytes.count == 16 }

  /// `1.2.3.4`, `1.2.3.4:5353`, `::1`, `[::1]`, `[::1]:5353` (port 53 when none is given).
  public init?(parsing text: String, defaultPort: UInt16 = 53) {
    var host = Substring(text)
    var port = defaultPort
    if host.hasPrefix("[") {
      guard let close = host.firstIndex(of: "]") else { return nil }
      let rest = host[host.index(after: close)...]
      host = host[host.index(after: host.startIndex)..<close]
      if !rest.isEmpty {
        guard rest.hasPrefix(":"), let number = UInt16(rest.dropFirst()), number > 0 else { return nil }
        port = number
      }
      guard let bytes = Self.ipv6(host) else { return nil }
      self.init(bytes: bytes, port: port)
      return
    }
    if host.filter({ $0 == ":" }).count == 1 {
      let parts = host.split(separator: ":", omittingEmptySubsequences: false)
      guard let number = UInt16(parts[1]), number > 0 else { return nil }
      host = parts[0]
      port = number
    }
    if let bytes = Self.ipv4(host) {
      self.init(bytes: bytes, port: port)
    } else if let bytes = Self.ipv6(host) {
      self.init(bytes: bytes, port: port)
    } else {
      return nil
    }
  }

  public var description: String {
    if isIPv6 { return "[\(Self.ipv6Text(bytes))]:\(port)" }
    return bytes.map(String.init).joined(separator: ".") + ":\(port)"
  }

  static func ipv4(_ text: Substring) -> [UInt8]? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var bytes: [UInt8] = []
    for part in parts {
      guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else {
        return nil
      }
      bytes.append(value)
    }
    return bytes
  }

  static func ipv6(_ text: Substring) -> [UInt8]? {
    var text = text
    if let percent = text.firstIndex(of: "%") { text = text[..<percent] }  // a zone id is not used
    let halves = text.components(separatedBy: "::")
    guard halves.count <= 2 else { return nil }
    func groups(_ part: String) -> [UInt16]? {
      if part.isEmpty { return [] }
      var result: [UInt16] = []
      for group in part.split(separator: ":", omittingEmptySubsequences: false) {
        guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
        result.append(value)
      }
      return result
    }
    guard let head = groups(halves[0]) else { return nil }
    var all = head
    if halves.count == 2 {
      guard let tail = groups(halves[1]), head.count + tail.count <= 7 else { return nil }
      all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
    guard all.count == 8 else { return nil }
    return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
  }

  static func ipv6Text(_ bytes: [UInt8]) -> String {
    stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
      .joined(separator: ":")
  }
}

/// `/etc/resolv.conf`: the `nameserver` lines, in order (resolv.conf(5)); comments start with
/// `#` or `;`. Other options are not read. With no nameserver, glibc uses the local host.
public enum ResolvConf {
  public static func nameservers(_ text: String) -> [ResolverAddress] {
    var servers: [ResolverAddress] = []
    for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
      let content = line.prefix { $0 != "#" && $0 != ";" }
      let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard words.count >= 2, words[0] == "nameserver",
        let address = ResolverAddress(parsing: String(words[1]))
      else { continue }
      // resolv.conf names addresses, never ports: a `:` there is part of an IPv6 address.
      if let v6 = ResolverAddress.ipv6(words[1]) {
        servers.append(ResolverAddress(bytes: v6, port: 53))
      } else {
        servers.append(address)
      }
    }
    return servers.isEmpty ? [ResolverAddress(bytes: [127, 0, 0, 1], port: 53)] : servers
  }
}
