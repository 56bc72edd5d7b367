// sendlint-server: `sendlint serve` execs this binary (the CLI never links the HTTP stack).
import Foundation
import SendlintServer

let arguments = Array(CommandLine.arguments.dropFirst())
let configuration: ServerConfiguration
do {
  guard let parsed = try ServerArguments.parse(arguments) else {
    print(ServerArguments.usage)
    exit(0)
  }
  configuration = parsed
} catch {
  FileHandle.standardError.write(Data("sendlint serve: \(error)\n".utf8))
  FileHandle.standardError.write(Data("run `sendlint serve --help` for the options\n".utf8))
  exit(2)
}
let server = LintServer(configuration: configuration)
do {
  try server.store.load()
} catch {
  FileHandle.standardError.write(Data("sendlint serve: \(error)\n".utf8))
  exit(2)
}
do {
  try await server.application(onRunning: { address in
    let port = address?.port ?? configuration.port
    let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
    // Unbuffered: a supervisor or test reads this line through a pipe.
    FileHandle.standardOutput.write(Data("listening on http://\(host):\(port)\n".utf8))
  }).runService()
} catch {
  FileHandle.standardError.write(Data("sendlint serve: \(error)\n".utf8))
  exit(2)
}
