import Foundation

/// `sendlint serve` / `sendlint-server` options. Hand-parsed (a dozen flags) so the server binary
/// needs nothing beyond the HTTP stack; every error names the flag and the value.
public enum ServerArguments {
  public static let usage = """
    USAGE: sendlint serve --policy NAME=FILE [--policy NAME=FILE ...] [options]

    Serves POST /v1/lint?policy=NAME&fail_on=error, GET /healthz, /readyz and /metrics
    (docs/openapi.yaml). SIGHUP reloads every policy (a failed reload keeps the old set);
    SIGTERM or SIGINT drains requests in flight and exits.

    OPTIONS:
      --policy NAME=FILE       a policy clients choose by NAME; repeatable, the first is the default
      --host HOST              address to listen on (default 127.0.0.1)
      --port PORT              port; 0 lets the OS choose (default 8080); prints "listening on http://HOST:PORT"
      --max-body-bytes N       largest request body (default 10485760 = 10 MiB; larger: 413)
      --max-parts N            most multipart parts or JSON templates (default 200; more: 400)
      --request-timeout SECS   each request's lint budget (default 10; past it: 504)
      --max-concurrent N       lints at once (default 2 x cores; more: 429 with Retry-After)
      -h, --help               show this help
    """

  /// The configuration, or nil when help was asked for.
  public static func parse(_ arguments: [String]) throws -> ServerConfiguration? {
    var configuration = ServerConfiguration()
    var index = 0
    func value(_ flag: String) throws -> String {
      index += 1
      guard index < arguments.count else { throw ServerSetupError("\(flag) needs a value") }
      return arguments[index]
    }
    func positive(_ flag: String, _ text: String, allowZero: Bool = false) throws -> Int {
      guard let number = Int(text), number > 0 || (allowZero && number == 0) else {
        throw ServerSetupError(
          "\(flag) \"\(text.escapedForServer)\" is not a \(allowZero ? "non-negative" : "positive") whole number"
        )
      }
      return number
    }
    while index < arguments.count {
      var flag = arguments[index]
      var inline: String?
      if flag.hasPrefix("--"), let equals = flag.firstIndex(of: "=") {
        inline = String(flag[flag.index(after: equals)...])
        flag = String(flag[..<equals])
      }
      let next = { () throws -> String in if let inline { return inline } else { return try value(flag) } }
      switch flag {
      case "-h", "--help": return nil
      case "--policy": configuration.policies.append(try PolicySource(parsing: try next()))
      case "--host":
        let host = try next()
        guard !host.isEmpty else {
          throw ServerSetupError("--host needs an address, such as 127.0.0.1 or 0.0.0.0")
        }
        configuration.host = host
      case "--port":
        let text = try next()
        let port = try positive("--port", text, allowZero: true)
        guard port <= 65535 else {
          throw ServerSetupError("--port \"\(text.escapedForServer)\" is over 65535")
        }
        configuration.port = port
      case "--max-body-bytes": configuration.maxBodyBytes = try positive(flag, try next())
      case "--max-parts": configuration.maxParts = try positive(flag, try next())
      case "--max-concurrent": configuration.maxConcurrent = try positive(flag, try next())
      case "--request-timeout":
        let text = try next()
        guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
          throw ServerSetupError(
            "--request-timeout \"\(text.escapedForServer)\" is not a number of seconds above 0 and at most 3600"
          )
        }
        configuration.requestTimeout = .milliseconds(Int64((seconds * 1000).rounded(.up)))
      default:
        throw ServerSetupError("unknown option \"\(flag.escapedForServer)\"")
      }
      index += 1
    }
    guard !configuration.policies.isEmpty else {
      throw ServerSetupError(
        "no policy given; start with --policy NAME=FILE (repeatable; the first is the default)")
    }
    return configuration
  }
}
