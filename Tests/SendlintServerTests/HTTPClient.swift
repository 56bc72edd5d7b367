import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over a loopback TCP socket: one request per connection
/// (`Connection: close`), the response read to EOF. Enough to speak to the server as any client
/// would, with no HTTP library in the test.
struct HTTPReply: Sendable {
  let status: Int
  let headers: [String: String]
  let body: Data

  var text: String { String(decoding: body, as: UTF8.self) }
  func json() throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
      throw ClientError("not a JSON object: \(text)")
    }
    return object
  }
}

struct ClientError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

enum HTTPClient {
  static func send(
    port: Int, method: String, path: String, headers: [String: String] = [:], body: Data = Data(),
    timeoutSeconds: Int = 60
  ) throws -> HTTPReply {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ClientError("socket: \(errno)") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw ClientError("connect to port \(port): errno \(errno)") }
    var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    var fields = headers
    if fields["Content-Length"] == nil && (method == "POST" || !body.isEmpty) {
      fields["Content-Length"] = String(body.count)
    }
    for (name, value) in fields.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
    head += "\r\n"
    let request = Data(head.utf8) + body
    var sent = 0
    try request.withUnsafeBytes { raw in
      while sent < raw.count {
        let n = Glibc.send(fd, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
        // The server may answer (413) and close before reading a large body: stop sending then.
        if n <= 0 {
          if errno == EPIPE || errno == ECONNRESET { break }
          throw ClientError("send: errno \(errno)")
        }
        sent += n
      }
    }
    var received = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n > 0 {
        received.append(contentsOf: buffer[0..<n])
      } else if n == 0 {
        break
      } else {
        if errno == ECONNRESET && !received.isEmpty { break }
        throw ClientError("recv: errno \(errno) after \(received.count) bytes")
      }
    }
    return try parse(received)
  }

  static func parse(_ data: Data) throws -> HTTPReply {
    let bytes = [UInt8](data)
    guard let end = find([13, 10, 13, 10], in: bytes) else {
      throw ClientError("no header end in \(bytes.count) bytes")
    }
    let head = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = head[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
      throw ClientError("bad status line \(head[0])")
    }
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    var body = Array(bytes[(end + 4)...])
    if headers["transfer-encoding"]?.lowercased() == "chunked" {
      var decoded: [UInt8] = []
      var index = 0
      while let lineEnd = find([13, 10], in: body, from: index),
        let size = Int(
          String(decoding: body[index..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16),
        size > 0
      {
        decoded += body[(lineEnd + 2)..<(lineEnd + 2 + size)]
        index = lineEnd + 2 + size + 2
      }
      body = decoded
    }
    return HTTPReply(status: status, headers: headers, body: Data(body))
  }

  static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
    guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    for i in start...(haystack.count - needle.count)
    where haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
    return nil
  }
}
