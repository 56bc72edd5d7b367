import Foundation
import SendlintCore
import SendlintEngine
import SendlintPolicy
import Testing

/// Issue 13: a CI gate must never pass by weakening itself silently — a misspelt flag value, a path
/// set with nothing to lint, an empty policy. Each test fails on the behaviour before the fix. The
/// CLI cases run the built binary (`.build/debug/sendlint`, built by `swift test`) in a generated
/// repository, as a CI job would.
@Suite struct CLIGateTests {
  /// A fresh repository (a folder with `.git`) holding `files`.
  static func repository(_ files: [String: String]) throws -> String {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("cligate-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
    for (path, text) in files {
      let full = root + "/" + path
      try FileManager.default.createDirectory(
        atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }
    return root
  }

  struct Run {
    let status: Int32
    let stdout: String
    let stderr: String
    var all: String { stdout + stderr }
  }

  /// Runs the built binary in `directory` with `arguments`, feeding `input` on standard input.
  static func sendlint(_ arguments: [String], in directory: String, input: [UInt8] = []) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestPaths.packageRoot + "/.build/debug/sendlint")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["GITHUB_ACTIONS"] = nil
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let output = Pipe()
    let errors = Pipe()
    let inputPipe = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = inputPipe
    try process.run()
    // Writing and reading on separate threads: a large input or output must not deadlock the pipe.
    let writer = Thread {
      inputPipe.fileHandleForWriting.write(Data(input))
      try? inputPipe.fileHandleForWriting.close()
    }
    writer.start()
    let errorData = LockedData()
    let reader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
    reader.start()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorData.isSet { usleep(1000) }
    return Run(
      status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
      stderr: String(decoding: errorData.value, as: UTF8.self))
  }

  static var binaryExists: Bool { FileManager.default.fileExists(atPath: TestPaths.packageRoot + "/.build/debug/sendlint") }

  // MARK: 3. empty policy

  @Test(arguments: ["", "# only a comment\n# and another\n", "~\n", "just a word\n", "---\n"])
  func emptyPolicyIsAnError(text: String) {
    guard case .failure(let list) = PolicyLoader.load(text: text, path: "p.yaml", directory: "/") else {
      Issue.record("an empty policy \(text.debugDescription) loaded as valid")
      return
    }
    #expect(list.diagnostics.map(\.code) == ["policy/empty"])
    #expect(list.diagnostics.first?.position == SourcePosition(line: 1, column: 1))
    #expect(list.diagnostics.first?.help?.contains("sendlint init") == true)
  }

  @Test func emptyPolicyFileFailsTheLint() throws {
    let root = try Self.repository([".sendlint.yaml": "# todo\n", "mail/a.txt": "Hello\n"])
    let report = Engine().lint(LintRequest(paths: ["mail"], workingDirectory: root))
    #expect(report.diagnostics.map(\.code) == ["policy/empty"])
    #expect(report.exitCode(failOn: .error) == 2)
  }
}

/// Data set once from another thread.
final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data: Data?
  func set(_ value: Data) { lock.withLock { data = value } }
  var isSet: Bool { lock.withLock { data != nil } }
  var value: Data { lock.withLock { data ?? Data() } }
}
