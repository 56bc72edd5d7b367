import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A stub resolver over POSIX sockets: a UDP query to each nameserver in turn, TCP when the answer
/// comes back truncated (RFC 1035 §4.2.1, RFC 7766). Waits with `poll()`, so a server that never
/// answers costs at most `timeout` per server. Answers are checked against the query (id, question)
/// before they count; anything else on the socket is ignored.
public struct SocketResolver: DNSResolver {
  public let servers: [ResolverAddress]
  public let timeout: Duration
  /// When the run's DNS budget ends: no wait lasts past it.
  public let deadline: ContinuousClock.Instant?
  /// Bytes accepted in one TCP answer (its 2-byte length prefix allows 65,535).
  public static let maximumTCPAnswer = 65_535

  public init(servers: [ResolverAddress], timeout: Duration, deadline: ContinuousClock.Instant? = nil) {
    self.servers = servers
    self.timeout = timeout
    self.deadline = deadline
  }

  /// The end of one exchange: the timeout, cut short by the run's deadline.
  func exchangeDeadline() -> ContinuousClock.Instant {
    let end = ContinuousClock.now + timeout
    guard let deadline else { return end }
    return min(end, deadline)
  }

  /// The servers of `/etc/resolv.conf` (or the local host when it names none).
  public static func system(timeout: Duration, deadline: ContinuousClock.Instant? = nil) -> SocketResolver {
    let text = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
    return SocketResolver(servers: ResolvConf.nameservers(text), timeout: timeout, deadline: deadline)
  }

  public func lookup(_ name: String, _ type: DNSRecordType) -> DNSOutcome {
    let id = UInt16.random(in: 0...UInt16.max)
    let query: [UInt8]
    do {
      query = try DNSMessage.query(id: id, name: name, type: type)
    } catch {
      return .failure(.network("\"\(name)\" cannot be looked up: \(error.reason)"))
    }
    var last: DNSFailure = .network("no nameserver configured")
    for server in servers {
      var answer = exchangeUDP(query, id: id, server: server)
      if case .success(let bytes) = answer, let message = try? DNSMessage.parse(bytes), message.truncated {
        answer = exchangeTCP(query, id: id, server: server)
      }
      switch answer {
      case .failure(let failure):
        last = failure
        continue
      case .success(let bytes):
        let outcome = Self.outcome(bytes, name: name, type: type, server: server.description)
        // SERVFAIL and REFUSED from one server: the next may answer (resolv.conf semantics).
        if case .failure(let failure) = outcome {
          last = failure
          continue
        }
        return outcome
      }
    }
    return .failure(last)
  }

  /// Interprets a response to a query for `name` and `type`.
  public static func outcome(_ bytes: [UInt8], name: String, type: DNSRecordType, server: String)
    -> DNSOutcome
  {
    let message: DNSMessage
    do {
      message = try DNSMessage.parse(bytes)
    } catch {
      return .failure(.malformed(error.reason))
    }
    switch message.rcode {
    case 0:
      return .records(message.answers.filter { $0.type == type.rawValue })
    case 2: return .failure(.serverFailure(server: server))
    case 3: return .nonexistent
    case 5: return .failure(.refused(server: server))
    default: return .failure(.rcode(message.rcode, server: server))
    }
  }

  static func matches(_ bytes: [UInt8], id: UInt16, query: [UInt8]) -> Bool {
    guard bytes.count >= 12, UInt16(bytes[0]) << 8 | UInt16(bytes[1]) == id, bytes[2] & 0x80 != 0 else {
      return false
    }
    // The question must be ours: same name bytes (case-insensitively) and type, right after the header.
    let questionEnd = 12 + (query.count - 12 - 11)  // the query ends with the 11-byte OPT record
    guard bytes.count >= questionEnd, bytes[5] == 1 else { return false }
    for index in 12..<questionEnd where asciiLower(bytes[index]) != asciiLower(query[index]) { return false }
    return true
  }

  static func asciiLower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }

  func withSocketAddress<T>(_ server: ResolverAddress, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T
  {
    if server.isIPv6 {
      var address = sockaddr_in6()
      address.sin6_family = sa_family_t(AF_INET6)
      address.sin6_port = server.port.bigEndian
      withUnsafeMutableBytes(of: &address.sin6_addr) { raw in
        for (index, byte) in server.bytes.enumerated() { raw[index] = byte }
      }
      return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = server.port.bigEndian
    withUnsafeMutableBytes(of: &address.sin_addr) { raw in
      for (index, byte) in server.bytes.enumerated() { raw[index] = byte }
    }
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
  }

  func socketType(_ udp: Bool) -> Int32 {
    #if canImport(Glibc)
      return Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue)
    #else
      return udp ? SOCK_DGRAM : SOCK_STREAM
    #endif
  }

  /// Milliseconds left until `deadline`, for poll().
  func millisecondsLeft(_ deadline: ContinuousClock.Instant) -> Int32 {
    let left = deadline - ContinuousClock.now
    if left <= .zero { return 0 }
    let (seconds, attoseconds) = left.components
    return Int32(min(Int64(Int32.max), seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1))
  }

  func wait(_ descriptor: Int32, events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
    while true {
      var poller = pollfd(fd: descriptor, events: events, revents: 0)
      let left = millisecondsLeft(deadline)
      if left == 0 { return false }
      let ready = poll(&poller, 1, left)
      if ready < 0, errno == EINTR { continue }
      return ready > 0 && poller.revents & (events | Int16(POLLERR) | Int16(POLLHUP)) != 0
    }
  }

  func exchangeUDP(_ query: [UInt8], id: UInt16, server: ResolverAddress) -> Result<[UInt8], DNSFailure> {
    let descriptor = socket(server.isIPv6 ? AF_INET6 : AF_INET, socketType(true), 0)
    guard descriptor >= 0 else {
      return .failure(.network("cannot open a UDP socket: \(String(cString: strerror(errno)))"))
    }
    defer { close(descriptor) }
    // connect() makes the kernel drop datagrams from other addresses (RFC 5452 §4.1).
    let connected = withSocketAddress(server) { connect(descriptor, $0, $1) }
    guard connected == 0 else {
      return .failure(.network("cannot reach \(server): \(String(cString: strerror(errno)))"))
    }
    let sent = query.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
    guard sent == query.count else {
      return .failure(.network("cannot send to \(server): \(String(cString: strerror(errno)))"))
    }
    let deadline = exchangeDeadline()
    var buffer = [UInt8](repeating: 0, count: 65_535)
    while wait(descriptor, events: Int16(POLLIN), until: deadline) {
      let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
      if count < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        // ICMP port unreachable shows up as ECONNREFUSED on a connected UDP socket.
        return .failure(.network("no DNS server at \(server): \(String(cString: strerror(errno)))"))
      }
      let answer = Array(buffer[0..<count])
      if Self.matches(answer, id: id, query: query) { return .success(answer) }
    }
    return .failure(.timeout(server: server.description))
  }

  func exchangeTCP(_ query: [UInt8], id: UInt16, server: ResolverAddress) -> Result<[UInt8], DNSFailure> {
    let descriptor = socket(server.isIPv6 ? AF_INET6 : AF_INET, socketType(false), 0)
    guard descriptor >= 0 else {
      return .failure(.network("cannot open a TCP socket: \(String(cString: strerror(errno)))"))
    }
    defer { close(descriptor) }
    let flags = fcntl(descriptor, F_GETFL, 0)
    _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    let deadline = exchangeDeadline()
    let connected = withSocketAddress(server) { connect(descriptor, $0, $1) }
    if connected != 0 {
      guard errno == EINPROGRESS, wait(descriptor, events: Int16(POLLOUT), until: deadline) else {
        return .failure(
          errno == EINPROGRESS
            ? .timeout(server: server.description)
            : .network("cannot connect to \(server) over TCP: \(String(cString: strerror(errno)))"))
      }
      var error: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
      guard error == 0 else {
        return .failure(.network("cannot connect to \(server) over TCP: \(String(cString: strerror(error)))"))
      }
    }
    let framed = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query
    var written = 0
    while written < framed.count {
      guard wait(descriptor, events: Int16(POLLOUT), until: deadline) else {
        return .failure(.timeout(server: server.description))
      }
      let count = framed[written...].withUnsafeBytes {
        send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
      }
      if count < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        return .failure(.network("cannot send to \(server) over TCP: \(String(cString: strerror(errno)))"))
      }
      written += count
    }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    var expected: Int?
    while expected.map({ received.count < $0 + 2 }) ?? true {
      guard wait(descriptor, events: Int16(POLLIN), until: deadline) else {
        return .failure(.timeout(server: server.description))
      }
      let want = expected.map { min(buffer.count, $0 + 2 - received.count) } ?? 2
      let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, want, 0) }
      if count < 0 {
        if errno == EINTR || errno == EAGAIN { continue }
        return .failure(.network("cannot read from \(server) over TCP: \(String(cString: strerror(errno)))"))
      }
      if count == 0 {
        return .failure(.malformed("\(server) closed the TCP connection after \(received.count) bytes"))
      }
      received += buffer[0..<count]
      if expected == nil, received.count >= 2 { expected = Int(received[0]) << 8 | Int(received[1]) }
    }
    let answer = Array(received.dropFirst(2))
    guard Self.matches(answer, id: id, query: query) else {
      return .failure(.malformed("the TCP answer from \(server) is not for this query"))
    }
    return .success(answer)
  }
}
