import ArgumentParser
import Foundation

/// `sendlint serve`: a git-style external subcommand. The HTTP server is the separate binary
/// `sendlint-server`, so the CLI (and `swift run sendlint`) never builds or links the HTTP stack
/// (docs/decisions.md, "sendlint serve"). This execs it, forwarding every argument.
struct Serve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract:
      "Serve POST /v1/lint over HTTP (runs sendlint-server, installed beside sendlint; see docs/openapi.yaml).",
    discussion: "Every argument goes to sendlint-server; `sendlint serve --help` lists its options.")

  @Argument(
    parsing: .allUnrecognized,
    help: "Options for sendlint-server (--policy NAME=FILE, --host, --port, limits).")
  var arguments: [String] = []

  func run() throws { Self.execServer(arguments) }

  /// The server binary's path: beside this executable.
  static func serverPath() -> String {
    let me =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main
      .executablePath
      ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("sendlint-server").path
  }

  /// Replaces this process with sendlint-server; returns only by exiting 2 when it cannot.
  static func execServer(_ arguments: [String]) -> Never {
    let path = serverPath()
    guard FileManager.default.isExecutableFile(atPath: path) else {
      FileHandle.standardError.write(
        Data(
          """
          sendlint serve: the server binary "\(path.escapedForDisplay)" is not there; sendlint serve runs sendlint-server from the same folder as sendlint.
          Build it with `swift build --product sendlint-server` (add -c release for production), or install it beside sendlint.

          """.utf8))
      Foundation.exit(2)
    }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    execv(path, argv)
    let reason = String(cString: strerror(errno))
    FileHandle.standardError.write(
      Data("sendlint serve: could not run \"\(path.escapedForDisplay)\": \(reason)\n".utf8))
    Foundation.exit(2)
  }
}
