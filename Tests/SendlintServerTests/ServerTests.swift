import Dispatch
import Foundation
import Testing

@testable import SendlintServer

#if canImport(Glibc)
  import Glibc
#endif

/// The brand policy the tests serve, and a draft that breaks it: the link text shows the brand's
/// host while the link goes elsewhere (link/text-host-mismatch, an error).
enum Drafts {
  static let policy = """
    version: 1
    extends: [sendlint:recommended]
    brand:
      domains: [shop.example]

    """
  /// The same policy with that rule turned off: the draft passes.
  static let lenientPolicy = policy + "rules:\n  link/text-host-mismatch: off\n"
  static let html = #"<p>Please <a href="https://login.evil.example/x">https://shop.example/account</a></p>"#
  static let message = """
    From: Shop <news@shop.example>\r
    To: you@example.org\r
    Subject: Your account\r
    Message-ID: <1@shop.example>\r
    Date: Mon, 1 Jun 2026 10:00:00 +0000\r
    MIME-Version: 1.0\r
    Content-Type: text/html; charset=utf-8\r
    \r
    \(html)\r

    """
  static let manifest = """
    campaign: account
    from: "Shop <news@shop.example>"
    subject: Your account
    html: body.html

    """

  static func multipart(boundary: String, parts: [(name: String, filename: String?, body: String)]) -> Data {
    var text = "preamble to ignore\r\n"
    for part in parts {
      text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
      if let filename = part.filename { text += "; filename=\"\(filename)\"" }
      text += "\r\nContent-Type: application/octet-stream\r\n\r\n\(part.body)\r\n"
    }
    return Data((text + "--\(boundary)--\r\n").utf8)
  }
}

/// A folder of policy files for one test.
struct PolicyFolder {
  let url: URL
  init(_ files: [String: String]) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("sendlint-serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files { try write(name, text) }
  }
  func path(_ name: String) -> String { url.appendingPathComponent(name).path }
  func write(_ name: String, _ text: String) throws {
    try Data(text.utf8).write(to: url.appendingPathComponent(name))
  }
}

/// A server running in this process on a port the OS chose.
final class RunningServer: Sendable {
  let server: LintServer
  let port: Int
  let task: Task<Void, any Error>

  init(server: LintServer, port: Int, task: Task<Void, any Error>) {
    self.server = server
    self.port = port
    self.task = task
  }

  static func start(policies: [(String, String)], configure: (inout ServerConfiguration) -> Void = { _ in })
    async throws -> RunningServer
  {
    var configuration = ServerConfiguration()
    configuration.port = 0
    configuration.policies = policies.map { PolicySource(name: $0.0, path: $0.1) }
    configure(&configuration)
    let server = LintServer(configuration: configuration)
    try server.store.load()
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let application = server.application(onRunning: { address in continuation.yield(address?.port ?? -1) })
    let task = Task { try await application.runService(gracefulShutdownSignals: []) }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next(), port > 0 else { throw ClientError("the server reported no port") }
    return RunningServer(server: server, port: port, task: task)
  }

  func stop() async {
    task.cancel()
    _ = try? await task.value
  }

  /// One request on a thread of its own (blocking socket I/O stays off Swift's cooperative pool,
  /// which the server's handlers share).
  func send(_ method: String, _ path: String, headers: [String: String] = [:], body: Data = Data())
    async throws -> HTTPReply
  {
    try await Self.onThread { [port] in
      try HTTPClient.send(port: port, method: method, path: path, headers: headers, body: body)
    }
  }

  /// A thread per request: Dispatch's shared pool is as wide as the cores, and blocking it with
  /// 200 waiting clients would starve whatever else in this process uses it.
  static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread { continuation.resume(with: Result { try work() }) }
      thread.stackSize = 512 * 1024
      thread.start()
    }
  }
}

/// Checks a JSON body against the response schema docs/openapi.yaml declares for it.
func expectConforms(
  _ response: HTTPReply, path: String, method: String = "post",
  sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let document = try OpenAPIDocument.load()
  let schema = try document.responseSchema(path: path, method: method, status: response.status)
  let problems = try document.violations(of: try response.json(), against: schema)
  #expect(
    problems.isEmpty,
    "\(response.status) body of \(method) \(path) breaks docs/openapi.yaml: \(problems)\n\(response.text)",
    sourceLocation: sourceLocation)
}

func errorCode(_ response: HTTPReply) throws -> String? {
  ((try response.json())["error"] as? [String: Any])?["code"] as? String
}

func errorMessage(_ response: HTTPReply) throws -> String {
  ((try response.json())["error"] as? [String: Any])?["message"] as? String ?? ""
}

func rules(_ response: HTTPReply) throws -> [String] {
  ((try response.json())["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
}

@Suite("sendlint serve over loopback HTTP", .serialized)
struct ServerTests {
  @Test("a raw message/rfc822 draft gets the JSON report and a fail verdict; fail_on=never passes it")
  func rawMessage() async throws {
    let folder = try PolicyFolder(["shop.yaml": Drafts.policy])
    let running = try await RunningServer.start(policies: [("shop", folder.path("shop.yaml"))])
    defer { Task { await running.stop() } }
    let response = try await running.send(
      "POST", "/v1/lint?policy=shop", headers: ["Content-Type": "message/rfc822"],
      body: Data(Drafts.message.utf8))
    #expect(response.status == 200, "\(response.text)")
    #expect(response.headers["content-type"] == "application/json")
    try expectConforms(response, path: "/v1/lint")
    let json = try response.json()
    #expect(json["verdict"] as? String == "fail")
    #expect(json["exit_status"] as? Int == 1)
    #expect(json["policy"] as? String == "shop")
    #expect(try rules(response).contains("link/text-host-mismatch"))
    let lenient = try await running.send(
      "POST", "/v1/lint?fail_on=never", headers: ["Content-Type": "message/rfc822"],
      body: Data(Drafts.message.utf8))
    #expect(lenient.status == 200)
    #expect(try lenient.json()["verdict"] as? String == "pass")
    #expect(try lenient.json()["fail_on"] as? String == "never")
    await running.stop()
  }

  @Test(
    "a multipart/form-data campaign (manifest + template parts) and the same campaign as JSON get the same findings"
  )
  func multipartCampaign() async throws {
    let folder = try PolicyFolder(["shop.yaml": Drafts.policy])
    let running = try await RunningServer.start(policies: [("shop", folder.path("shop.yaml"))])
    let boundary = "sendlint-test-boundary"
    let body = Drafts.multipart(
      boundary: boundary,
      parts: [("manifest", "campaign.yaml", Drafts.manifest), ("body.html", "body.html", Drafts.html)])
    let response = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "multipart/form-data; boundary=\"\(boundary)\""],
      body: body)
    #expect(response.status == 200, "\(response.text)")
    try expectConforms(response, path: "/v1/lint")
    #expect(try response.json()["verdict"] as? String == "fail")
    let findings = try response.json()["findings"] as? [[String: Any]] ?? []
    #expect(
      findings.contains {
        $0["rule"] as? String == "link/text-host-mismatch"
          && ($0["path"] as? String ?? "").hasSuffix("body.html")
      })
    #expect((try response.json()["diagnostics"] as? [Any])?.isEmpty == true, "\(response.text)")

    let jsonBody = try JSONSerialization.data(withJSONObject: [
      "manifest": Drafts.manifest, "templates": ["body.html": Drafts.html],
    ])
    let viaJSON = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "application/json"], body: jsonBody)
    #expect(viaJSON.status == 200, "\(viaJSON.text)")
    try expectConforms(viaJSON, path: "/v1/lint")
    #expect(try rules(viaJSON) == rules(response))

    let messageJSON = try JSONSerialization.data(withJSONObject: ["message": Drafts.message])
    let viaJSONMessage = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "application/json"], body: messageJSON)
    #expect(viaJSONMessage.status == 200)
    #expect(try rules(viaJSONMessage).contains("link/text-host-mismatch"))

    // A campaign whose template part is missing is linted with the manifest's diagnostic: fail.
    let missing = Drafts.multipart(boundary: boundary, parts: [("manifest", nil, Drafts.manifest)])
    let incomplete = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)"],
      body: missing)
    #expect(incomplete.status == 200, "\(incomplete.text)")
    try expectConforms(incomplete, path: "/v1/lint")
    #expect(try incomplete.json()["verdict"] as? String == "fail")
    #expect(try incomplete.json()["exit_status"] as? Int == 2)
    await running.stop()
  }

  @Test(
    "an unknown policy name, a bad fail_on, a wrong media type and an unknown route are 4xx JSON errors quoting the value"
  )
  func requestErrors() async throws {
    let folder = try PolicyFolder(["shop.yaml": Drafts.policy])
    let running = try await RunningServer.start(policies: [("shop", folder.path("shop.yaml"))])
    let unknown = try await running.send(
      "POST", "/v1/lint?policy=nope", headers: ["Content-Type": "message/rfc822"],
      body: Data(Drafts.message.utf8))
    #expect(unknown.status == 404)
    try expectConforms(unknown, path: "/v1/lint")
    #expect(try errorCode(unknown) == "unknown-policy")
    #expect(try errorMessage(unknown).contains("\"nope\"") && errorMessage(unknown).contains("\"shop\""))
    // A control character in the name comes back escaped, never raw.
    let hostile = try await running.send(
      "POST", "/v1/lint?policy=a%1Bb", headers: ["Content-Type": "message/rfc822"],
      body: Data(Drafts.message.utf8))
    #expect(hostile.status == 404)
    #expect(try !errorMessage(hostile).contains("\u{1B}"))

    let badFailOn = try await running.send(
      "POST", "/v1/lint?fail_on=fatal", headers: ["Content-Type": "message/rfc822"],
      body: Data(Drafts.message.utf8))
    #expect(badFailOn.status == 400)
    #expect(try errorCode(badFailOn) == "bad-fail-on")
    let media = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "text/plain"], body: Data("hi".utf8))
    #expect(media.status == 415)
    try expectConforms(media, path: "/v1/lint")
    let json = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "application/json"], body: Data("{\"message\": 3}".utf8))
    #expect(json.status == 400)
    #expect(try errorCode(json) == "malformed-json")
    let both = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "application/json"],
      body: Data("{\"message\": \"a\", \"manifest\": \"b\"}".utf8))
    #expect(try errorCode(both) == "bad-json-draft")
    let route = try await running.send("GET", "/v2/nothing")
    #expect(route.status == 404)
    #expect(try errorCode(route) == "not-found")
    await running.stop()
  }

  @Test(
    "a policy that does not load stops start-up with its diagnostic; a bad reload keeps the old set serving")
  func policyErrors() async throws {
    let folder = try PolicyFolder([
      "shop.yaml": Drafts.policy, "bad.yaml": "version: 1\nbrand:\n  sending_ips: [203.0.113.0/33]\n",
    ])
    let store = PolicyStore(sources: [PolicySource(name: "bad", path: folder.path("bad.yaml"))])
    #expect {
      try store.load()
    } throws: { error in
      let text = "\(error)"
      return text.contains("\"bad\"") && text.contains("policy/bad-cidr") && text.contains("bad.yaml")
    }
    #expect(store.catalogue == nil)

    let running = try await RunningServer.start(policies: [("shop", folder.path("shop.yaml"))])
    try folder.write("shop.yaml", "version: 1\nrules:\n  no/such-rule: error\n")
    #expect(running.server.reload() == false)
    let still = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "message/rfc822"], body: Data(Drafts.message.utf8))
    #expect(still.status == 200)
    #expect(try still.json()["verdict"] as? String == "fail")
    let metrics = try await running.send("GET", "/metrics")
    #expect(metrics.text.contains(#"sendlint_policy_reloads_total{result="failed"} 1"#), "\(metrics.text)")
    await running.stop()
  }

  @Test("a body over --max-body-bytes is 413, with or without Content-Length honesty, and the server goes on")
  func oversizedBody() async throws {
    let folder = try PolicyFolder(["shop.yaml": Drafts.policy])
    let running = try await RunningServer.start(policies: [("shop", folder.path("shop.yaml"))]) {
      $0.maxBodyBytes = 4096
    }
    let big = Data(repeating: UInt8(ascii: "a"), count: 64 * 1024)
    let declared = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "message/rfc822"], body: big)
    #expect(declared.status == 413)
    try expectConforms(declared, path: "/v1/lint")
    #expect(try errorCode(declared) == "body-too-large")
    #expect(try errorMessage(declared).contains("4096"))
    // Chunked: no length up front, so the limit is enforced while reading.
    let chunk = String(repeating: "a", count: 3000)
    let chunked = "bb8\r\n\(chunk)\r\nbb8\r\n\(chunk)\r\n0\r\n\r\n"
    let streamed = try await running.send(
      "POST", "/v1/lint",
      headers: ["Content-Type": "message/rfc822", "Transfer-Encoding": "chunked", "Content-Length": ""],
      body: Data(chunked.utf8))
    #expect(streamed.status == 413 || streamed.status == 400, "\(streamed.status) \(streamed.text)")
    let health = try await running.send("GET", "/healthz")
    #expect(health.status == 200)
    await running.stop()
  }

  @Test("malformed multipart bodies are 400 with a message naming the problem")
  func malformedMultipart() async throws {
    let folder = try PolicyFolder(["shop.yaml": Drafts.policy])
    let running = try await RunningServer.start(policies: [("shop", folder.path("shop.yaml"))]) {
      $0.maxParts = 3
    }
    let good = Drafts.multipart(
      boundary: "b1", parts: [("manifest", nil, Drafts.manifest), ("body.html", nil, Drafts.html)])
    let cases: [(String, Data, String)] = [
      ("multipart/form-data", good, "malformed-multipart"),  // no boundary parameter
      ("multipart/form-data; boundary=other", good, "malformed-multipart"),  // no such delimiter
      ("multipart/form-data; boundary=b1", good.dropLast(8), "malformed-multipart"),  // no closing delimiter
      (
        "multipart/form-data; boundary=b1",
        Data("--b1\r\nContent-Type: text/html\r\n\r\nx\r\n--b1--\r\n".utf8), "malformed-multipart"
      ),
      (
        "multipart/form-data; boundary=b1", Data("--b1\r\nbroken header\r\n\r\nx\r\n--b1--\r\n".utf8),
        "malformed-multipart"
      ),
      (
        "multipart/form-data; boundary=b1",
        Drafts.multipart(
          boundary: "b1", parts: [("manifest", nil, Drafts.manifest), ("manifest", nil, Drafts.manifest)]),
        "malformed-multipart"
      ),
      (
        "multipart/form-data; boundary=b1",
        Drafts.multipart(boundary: "b1", parts: (0..<5).map { ("t\($0).html", nil, "x") }), "too-many-parts"
      ),
      (
        "multipart/form-data; boundary=b1",
        Drafts.multipart(boundary: "b1", parts: [("body.html", nil, Drafts.html)]), "missing-manifest"
      ),
    ]
    for (contentType, body, code) in cases {
      let response = try await running.send(
        "POST", "/v1/lint", headers: ["Content-Type": contentType], body: body)
      #expect(response.status == 400, "\(contentType): \(response.text)")
      try expectConforms(response, path: "/v1/lint")
      #expect(try errorCode(response) == code, "\(contentType): \(response.text)")
    }
    #expect(try await running.send("GET", "/healthz").status == 200)
    await running.stop()
  }

  @Test(
    "200 concurrent lints are all answered, 200 or 429 with Retry-After; healthz and metrics still answer")
  func concurrentRequests() async throws {
    let folder = try PolicyFolder(["shop.yaml": Drafts.policy])
    let running = try await RunningServer.start(policies: [("shop", folder.path("shop.yaml"))]) {
      $0.maxConcurrent = 2
    }
    let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
      for _ in 0..<200 {
        group.addTask {
          let response = try await running.send(
            "POST", "/v1/lint", headers: ["Content-Type": "message/rfc822"], body: Data(Drafts.message.utf8))
          if response.status == 429 { try expectConforms(response, path: "/v1/lint") }
          return (response.status, response.headers["retry-after"])
        }
      }
      var all: [(Int, String?)] = []
      for try await status in group { all.append(status) }
      return all
    }
    #expect(statuses.count == 200)
    #expect(statuses.allSatisfy { $0.0 == 200 || $0.0 == 429 }, "\(Set(statuses.map(\.0)))")
    #expect(statuses.contains { $0.0 == 200 })
    #expect(statuses.filter { $0.0 == 429 }.allSatisfy { $0.1 == "1" })
    let health = try await running.send("GET", "/healthz", headers: [:])
    #expect(health.status == 200)
    try expectConforms(health, path: "/healthz", method: "get")
    let ready = try await running.send("GET", "/readyz")
    #expect(ready.status == 200)
    try expectConforms(ready, path: "/readyz", method: "get")
    let metrics = try await running.send("GET", "/metrics")
    let ok = statuses.filter { $0.0 == 200 }.count
    #expect(
      metrics.text.contains(#"sendlint_http_requests_total{route="/v1/lint",status="200"} \#(ok)"#),
      "\(metrics.text)")
    #expect(metrics.text.contains(#"sendlint_findings_total{rule="link/text-host-mismatch"}"#))
    #expect(metrics.text.contains("sendlint_http_request_duration_seconds_bucket"))
    if ok < 200 {
      #expect(
        metrics.text.contains(#"sendlint_rejected_inputs_total{reason="too-many-requests"} \#(200 - ok)"#))
    }
    await running.stop()
  }

  @Test("a lint past --request-timeout is 504 lint-timeout, and the server serves the next request")
  func requestTimeout() async throws {
    let folder = try PolicyFolder(["shop.yaml": Drafts.policy])
    let running = try await RunningServer.start(policies: [("shop", folder.path("shop.yaml"))]) {
      $0.requestTimeout = .microseconds(1)
      $0.maxBodyBytes = 8 * 1024 * 1024
    }
    let links = String(
      repeating: "<p><a href=\"https://shop.example/a?b=c\">https://shop.example/x</a></p>\n", count: 20000)
    let message = Drafts.message.replacingOccurrences(of: Drafts.html, with: links)
    let response = try await running.send(
      "POST", "/v1/lint", headers: ["Content-Type": "message/rfc822"], body: Data(message.utf8))
    #expect(response.status == 504, "\(response.text.prefix(300))")
    try expectConforms(response, path: "/v1/lint")
    #expect(try errorCode(response) == "lint-timeout")
    #expect(try await running.send("GET", "/healthz").status == 200)
    await running.stop()
  }
}

@Suite("sendlint-server as a process")
struct ServerProcessTests {
  /// sendlint-server, built beside this test binary.
  static func binary() throws -> String {
    let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var folder = URL(fileURLWithPath: me).deletingLastPathComponent()
    // The runner may sit inside the .xctest bundle or beside it.
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("sendlint-server").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      folder = folder.deletingLastPathComponent()
    }
    throw ClientError("sendlint-server is not built beside \(me); run swift build --product sendlint-server")
  }

  /// Starts the binary and reads the `listening on http://HOST:PORT` line.
  static func start(_ arguments: [String]) throws -> (Process, Int, Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try binary())
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    var line = Data()
    while !line.contains(10) {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    let text = String(decoding: line, as: UTF8.self)
    guard let range = text.range(of: "listening on http://127.0.0.1:"),
      let port = Int(text[range.upperBound...].prefix { $0.isNumber })
    else {
      process.terminate()
      throw ClientError(
        "no listening line: \(text) \(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))"
      )
    }
    return (process, port, errors)
  }

  @Test("SIGHUP reloads the policy file: the same draft's verdict changes; SIGTERM exits 0")
  func sighupReload() async throws {
    let folder = try PolicyFolder(["shop.yaml": Drafts.policy])
    let (process, port, _) = try Self.start(["--policy", "shop=\(folder.path("shop.yaml"))", "--port", "0"])
    defer { if process.isRunning { process.terminate() } }
    func verdict() async throws -> String? {
      let response = try await RunningServer.onThread {
        try HTTPClient.send(
          port: port, method: "POST", path: "/v1/lint", headers: ["Content-Type": "message/rfc822"],
          body: Data(Drafts.message.utf8))
      }
      return try response.json()["verdict"] as? String
    }
    #expect(try await verdict() == "fail")
    try folder.write("shop.yaml", Drafts.lenientPolicy)
    #expect(try await verdict() == "fail", "nothing reloads without SIGHUP")
    kill(process.processIdentifier, SIGHUP)
    var after: String?
    for _ in 0..<100 {
      after = try await verdict()
      if after == "pass" { break }
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(after == "pass")
    process.terminate()  // SIGTERM: graceful shutdown
    process.waitUntilExit()
    #expect(process.terminationReason == .exit && process.terminationStatus == 0)
  }

  static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, out, err)
  }

  @Test(
    "sendlint serve execs the sendlint-server beside it, forwarding arguments; without it, exit 2 saying how to build it"
  )
  func cliServe() throws {
    let cli = URL(fileURLWithPath: try Self.binary()).deletingLastPathComponent().appendingPathComponent(
      "sendlint"
    ).path
    let (status, out, _) = try Self.run(cli, ["serve", "--help"])
    #expect(status == 0)
    #expect(out.contains("USAGE: sendlint serve --policy NAME=FILE"), "\(out)")
    let (badStatus, _, badErr) = try Self.run(cli, ["serve", "--port", "99999"])
    #expect(badStatus == 2)
    #expect(badErr.contains("--port \"99999\" is over 65535"), "\(badErr)")

    let alone = try PolicyFolder([:])
    try FileManager.default.copyItem(atPath: cli, toPath: alone.path("sendlint"))
    let (missingStatus, _, missingErr) = try Self.run(alone.path("sendlint"), ["serve", "--port", "0"])
    #expect(missingStatus == 2)
    #expect(
      missingErr.contains("swift build --product sendlint-server")
        && missingErr.contains(alone.path("sendlint-server")), "\(missingErr)")
  }

  @Test("a policy that does not load: the binary exits 2 naming the file and the diagnostic")
  func startupPolicyError() throws {
    let folder = try PolicyFolder(["bad.yaml": "version: 1\nbrand:\n  sending_ips: [203.0.113.0/33]\n"])
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try Self.binary())
    process.arguments = ["--policy", "bad=\(folder.path("bad.yaml"))", "--port", "0"]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = Pipe()
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(text.contains("policy/bad-cidr") && text.contains("bad.yaml"), "\(text)")
  }
}

@Suite("multipart/form-data parser")
struct MultipartParserTests {
  @Test("quoted parameters with escapes and semicolons, a preamble and transport padding")
  func parameters() throws {
    let boundary = try MultipartParser.boundary(
      fromContentType: "multipart/form-data; boundary=\"a:b\"; charset=utf-8")
    #expect(boundary == "a:b")
    let body =
      "pre\r\n--a:b  \r\nContent-Disposition: form-data; name=\"x\\\"y;z\"; filename=\"f.html\"\r\n\r\nhello\r\n--a:b--"
    let parts = try MultipartParser(boundary: boundary, maxParts: 5).parse(Array(body.utf8))
    #expect(
      parts == [FormPart(name: "x\"y;z", filename: "f.html", contentType: nil, body: Array("hello".utf8))])
  }

  @Test("an empty part body, and a body that holds the boundary text mid-line, are kept intact")
  func bodies() throws {
    let body =
      "--q\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--q\r\nContent-Disposition: form-data; name=b\r\n\r\nx --q y\r\n--q--\r\n"
    let parts = try MultipartParser(boundary: "q", maxParts: 5).parse(Array(body.utf8))
    #expect(parts.map(\.name) == ["a", "b"])
    #expect(parts.map { String(decoding: $0.body, as: UTF8.self) } == ["", "x --q y"])
  }

  @Test("a boundary outside RFC 2046's alphabet or over 70 characters is refused, quoted escaped")
  func badBoundary() {
    #expect(throws: MultipartError.badBoundary("a\u{1B}b")) {
      try MultipartParser.boundary(fromContentType: "multipart/form-data; boundary=a\u{1B}b")
    }
    #expect(MultipartError.badBoundary("a\u{1B}b").message.contains("\u{1B}") == false)
    #expect(throws: MultipartError.self) {
      try MultipartParser.boundary(
        fromContentType: "multipart/form-data; boundary=\(String(repeating: "b", count: 71))")
    }
    #expect(throws: MultipartError.missingBoundary) {
      try MultipartParser.boundary(fromContentType: "multipart/form-data")
    }
  }

  @Test("a header block past the cap is refused without scanning the whole body")
  func headerCap() {
    let body =
      "--q\r\nContent-Disposition: form-data; name=a\r\nX: " + String(repeating: "y", count: 40_000)
      + "\r\n\r\nz\r\n--q--"
    #expect(throws: MultipartError.headerTooLarge(limit: 16 * 1024)) {
      try MultipartParser(boundary: "q", maxParts: 5).parse(Array(body.utf8))
    }
  }
}
