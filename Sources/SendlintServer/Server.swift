import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Sendlint
import ServiceLifecycle
import UnixSignals

/// Everything `sendlint-server` is started with; every limit named and defaulted.
public struct ServerConfiguration: Sendable {
  public var host = "127.0.0.1"
  /// 0: the OS picks a free port (printed on start).
  public var port = 8080
  public var policies: [PolicySource] = []
  public var maxBodyBytes = 10 * 1024 * 1024
  public var maxParts = 200
  /// Each request's lint budget; past it the answer is 504.
  public var requestTimeout: Duration = .seconds(10)
  /// Lints at once; beyond, 429 with Retry-After.
  public var maxConcurrent = 2 * ProcessInfo.processInfo.activeProcessorCount

  public init() {}
}

/// The HTTP server: `POST /v1/lint`, `/healthz`, `/readyz`, `/metrics`. Holds no state between
/// requests but the loaded policies.
public struct LintServer: Sendable {
  public let configuration: ServerConfiguration
  public let store: PolicyStore
  public let metrics = ServerMetrics()
  let limiter: ConcurrencyLimiter
  let executor: LintExecutor
  let logger: Logger

  public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "sendlint-server")) {
    self.configuration = configuration
    self.store = PolicyStore(sources: configuration.policies)
    self.limiter = ConcurrencyLimiter(limit: max(1, configuration.maxConcurrent))
    self.executor = LintExecutor(threads: max(1, configuration.maxConcurrent))
    self.logger = logger
  }

  /// Reloads every policy; on any failure the old set stays and the error is logged.
  /// - Returns: whether the new set replaced the old.
  @discardableResult
  public func reload() -> Bool {
    do {
      try store.load()
      metrics.reload(succeeded: true)
      logger.info("policies reloaded: \(store.catalogue?.names.joined(separator: ", ") ?? "")")
      return true
    } catch {
      metrics.reload(succeeded: false)
      logger.error("policy reload failed; still serving the previous policies:\n\(error)")
      return false
    }
  }

  /// The Hummingbird application; `onRunning` gets the bound address once it listens.
  /// The policies must be loaded first (`store.load()`).
  public func application(onRunning: @escaping @Sendable (SocketAddress?) async -> Void = { _ in })
    -> some ApplicationProtocol
  {
    let router = Router()
    router.middlewares.add(ErrorAndMetricsMiddleware(metrics: metrics, logger: logger))
    router.get("healthz") { _, _ in Self.json(#"{"status":"ok"}"#) }
    router.get("readyz") { _, _ -> Response in
      guard let catalogue = store.catalogue else {
        throw APIError(.serviceUnavailable, "not-ready", "policies are not loaded yet; retry shortly")
      }
      let names = catalogue.names.map { "\"\($0)\"" }.joined(separator: ",")
      return Self.json(
        #"{"status":"ready","policies":[\#(names)],"default_policy":"\#(catalogue.defaultName)"}"#)
    }
    router.get("metrics") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
    }
    router.post("v1/lint") { request, _ in try await lint(request) }
    let http1 = HTTP1Channel.Configuration(
      idleTimeout: .seconds(max(30, configuration.requestTimeout.components.seconds * 3)))
    return Application(
      router: router, server: .http1(configuration: http1),
      configuration: ApplicationConfiguration(
        address: .hostname(configuration.host, port: configuration.port), serverName: "sendlint"),
      services: [PolicyReloadService(server: self)],
      onServerRunning: { channel in await onRunning(channel.localAddress) }, logger: logger)
  }

  static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
  }

  // MARK: POST /v1/lint

  func lint(_ request: Request) async throws -> Response {
    guard let catalogue = store.catalogue else {
      throw APIError(.serviceUnavailable, "not-ready", "policies are not loaded yet; retry shortly")
    }
    let query = request.uri.queryParameters
    let policyName = query.get("policy") ?? catalogue.defaultName
    guard let policy = catalogue.policies[policyName] else {
      throw APIError(
        .notFound, "unknown-policy",
        "no policy is named \"\(policyName.escapedForServer)\"; this server has \(catalogue.names.map { "\"\($0)\"" }.joined(separator: ", "))"
      )
    }
    let failOn = try Self.failOn(query.get("fail_on"))
    let input = try await Self.input(of: request, limits: configuration)

    guard limiter.tryAcquire() else {
      var error = APIError(
        .tooManyRequests, "too-many-requests",
        "\(limiter.limit) lints are already running (--max-concurrent); retry after the Retry-After seconds")
      error.headers[.retryAfter] = "1"
      throw error
    }
    let linter = Linter(policy: policy)
    let outcome: Report?
    do {
      outcome = try await executor.run(
        budget: configuration.requestTimeout,
        {
          switch input {
          case .message(let bytes): return try await linter.lint(message: bytes)
          case .campaign(let manifest, let templates, let name):
            return try await linter.lint(campaign: manifest, templates: templates, name: name)
          }
        }, done: { [limiter] in limiter.release() })
    } catch SendlintError.inputTooLarge(let name, let size, let limit) {
      throw APIError(
        .contentTooLarge, "draft-too-large",
        "\"\(name.escapedForServer)\" is \(size) bytes, over the \(limit)-byte limit for one draft; split or shrink it"
      )
    }
    guard let report = outcome else {
      throw APIError(
        .gatewayTimeout, "lint-timeout",
        "the lint took longer than the \(configuration.requestTimeout) budget (--request-timeout); shrink the draft or raise the budget"
      )
    }
    var byRule: [String: Int] = [:]
    for finding in report.findings { byRule[finding.rule, default: 0] += finding.count }
    metrics.findings(byRule)
    let exitStatus = report.exitStatus(failOn: failOn.severity)
    let extra =
      "  \"exit_status\" : \(exitStatus),\n  \"fail_on\" : \"\(failOn.rawValue)\",\n  \"policy\" : \"\(policyName)\",\n  \"verdict\" : \"\(exitStatus == 0 ? "pass" : "fail")\",\n"
    var json = report.formatted(.json)
    if json.hasPrefix("{\n") { json.insert(contentsOf: extra, at: json.index(json.startIndex, offsetBy: 2)) }
    return Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(string: json)))
  }

  enum FailOn: String, CaseIterable {
    case error, warning, info, never
    var severity: Severity? {
      switch self {
      case .error: .error
      case .warning: .warning
      case .info: .info
      case .never: nil
      }
    }
  }

  static func failOn(_ value: String?) throws -> FailOn {
    guard let value else { return .error }
    guard let failOn = FailOn(rawValue: value) else {
      throw APIError(
        .badRequest, "bad-fail-on",
        "fail_on \"\(value.escapedForServer)\" is not one of error, warning, info, never")
    }
    return failOn
  }

  enum Input: Sendable {
    case message(Data)
    case campaign(manifest: Data, templates: [String: Data], name: String)
  }

  /// The request's draft, from its body and Content-Type; every refusal is an `APIError`.
  static func input(of request: Request, limits: ServerConfiguration) async throws -> Input {
    if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limits.maxBodyBytes {
      throw tooLarge(limits)
    }
    guard let contentType = request.headers[.contentType] else {
      throw APIError(
        .unsupportedMediaType, "unsupported-media-type",
        "no Content-Type; send message/rfc822 (a raw message), multipart/form-data or application/json (a campaign)"
      )
    }
    let mediaType =
      contentType.split(separator: ";", maxSplits: 1).first.map {
        $0.trimmingCharacters(in: .whitespaces).lowercased()
      } ?? ""
    guard ["message/rfc822", "multipart/form-data", "application/json"].contains(mediaType) else {
      throw APIError(
        .unsupportedMediaType, "unsupported-media-type",
        "Content-Type \"\(contentType.escapedForServer)\" is not accepted; send message/rfc822, multipart/form-data or application/json"
      )
    }
    var body: [UInt8] = []
    for try await buffer in request.body {
      guard body.count + buffer.readableBytes <= limits.maxBodyBytes else { throw tooLarge(limits) }
      body.append(contentsOf: buffer.readableBytesView)
    }
    switch mediaType {
    case "message/rfc822":
      guard !body.isEmpty else {
        throw APIError(.badRequest, "empty-body", "the body is empty; send the raw message (.eml bytes)")
      }
      return .message(Data(body))
    case "multipart/form-data":
      let boundary: String
      let parts: [FormPart]
      do {
        boundary = try MultipartParser.boundary(fromContentType: contentType)
        parts = try MultipartParser(boundary: boundary, maxParts: limits.maxParts).parse(body)
      } catch let error as MultipartError {
        if case .tooManyParts = error { throw APIError(.badRequest, "too-many-parts", error.message) }
        throw APIError(.badRequest, "malformed-multipart", error.message)
      }
      guard let manifest = parts.first(where: { $0.name == "manifest" }) else {
        throw APIError(
          .badRequest, "missing-manifest",
          "no part is named \"manifest\"; send the campaign manifest as the part name=\"manifest\" and each template under its manifest-relative path"
        )
      }
      var templates: [String: Data] = [:]
      for part in parts where part.name != "manifest" { templates[part.name] = Data(part.body) }
      return .campaign(
        manifest: Data(manifest.body), templates: templates,
        name: manifest.filename.flatMap(safeName) ?? "campaign.yaml")
    default:
      struct Body: Decodable {
        let message: String?
        let manifest: String?
        let templates: [String: String]?
        let manifest_name: String?
      }
      let decoded: Body
      do {
        decoded = try JSONDecoder().decode(Body.self, from: Data(body))
      } catch {
        throw APIError(
          .badRequest, "malformed-json",
          "the body is not a JSON object of strings {\"message\": ...} or {\"manifest\": ..., \"templates\": {\"path\": ...}}: \(String(describing: error).escapedForServer)"
        )
      }
      switch (decoded.message, decoded.manifest) {
      case (let message?, nil):
        guard decoded.templates == nil else {
          throw APIError(
            .badRequest, "bad-json-draft",
            "\"templates\" goes with \"manifest\", not with \"message\"; send one draft per request")
        }
        return .message(Data(message.utf8))
      case (nil, let manifest?):
        let templates = decoded.templates ?? [:]
        guard templates.count < limits.maxParts else {
          throw APIError(
            .badRequest, "too-many-parts",
            "\"templates\" has \(templates.count) entries, over --max-parts \(limits.maxParts) with the manifest"
          )
        }
        return .campaign(
          manifest: Data(manifest.utf8), templates: templates.mapValues { Data($0.utf8) },
          name: decoded.manifest_name.flatMap(safeName) ?? "campaign.yaml")
      default:
        throw APIError(
          .badRequest, "bad-json-draft",
          "send exactly one of \"message\" (a raw message) or \"manifest\" (with \"templates\") in the JSON object"
        )
      }
    }
  }

  /// A client's name for a draft, used only as a label: a plain relative path of 1 to 255 bytes.
  static func safeName(_ name: String) -> String? {
    guard (1...255).contains(name.utf8.count), !name.hasPrefix("/"),
      !name.split(separator: "/").contains(".."),
      !name.unicodeScalars.contains(where: { DisplayEscaping.needsEscaping($0) })
    else { return nil }
    return name
  }

  static func tooLarge(_ limits: ServerConfiguration) -> APIError {
    APIError(
      .contentTooLarge, "body-too-large",
      "the body is over the \(limits.maxBodyBytes)-byte limit (--max-body-bytes); send one draft per request, or raise the limit"
    )
  }
}

/// Turns every error into the JSON error body and counts every answer by route and status.
struct ErrorAndMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
  let metrics: ServerMetrics
  let logger: Logger

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    let start = ContinuousClock.now
    let route =
      ["/healthz", "/readyz", "/metrics", "/v1/lint"].contains(request.uri.path) ? request.uri.path : "other"
    let response: Response
    do {
      response = try await next(request, context)
    } catch let error as APIError {
      metrics.rejected(error.code)
      response = error.response
    } catch let error as any HTTPResponseError {
      let code: String
      let message: String
      switch error.status {
      case .notFound:
        code = "not-found"
        message =
          "no route \(request.method) \"\(request.uri.path.escapedForServer)\"; the API is POST /v1/lint, GET /healthz, /readyz, /metrics"
      case .methodNotAllowed:
        code = "method-not-allowed"
        message =
          "\(request.method) is not allowed on \"\(request.uri.path.escapedForServer)\"; see docs/openapi.yaml"
      case .contentTooLarge:
        code = "body-too-large"
        message = "the body is over the server's limit (--max-body-bytes)"
      default:
        code = "http-\(error.status.code)"
        message = error.status.reasonPhrase
      }
      metrics.rejected(code)
      response = APIError(error.status, code, message).response
    } catch {
      logger.error("request \(request.method) \(request.uri.path.escapedForServer) failed: \(error)")
      metrics.rejected("internal")
      response =
        APIError(.internalServerError, "internal", "the server failed on this request; the error is logged")
        .response
    }
    metrics.request(route: route, status: response.status.code, duration: ContinuousClock.now - start)
    return response
  }
}

/// SIGHUP reloads the policies; ends with the service group on graceful shutdown.
struct PolicyReloadService: Service {
  let server: LintServer

  func run() async throws {
    for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
      server.reload()
    }
  }
}
