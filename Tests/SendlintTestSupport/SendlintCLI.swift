import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs the built `sendlint` binary (`.build/debug/sendlint`, built by `swift test`) in a generated
/// repository, as a CI job would. Shared by the suites that check a feature's command-line face
/// next to its library tests; suites whose subject is the CLI itself live in `SendlintCLITests`.
public enum SendlintCLI {
  /// A fresh repository (a folder with `.git`) holding `files`.
  public static func repository(_ files: [String: String]) throws -> String {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("cligate-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: root + "/.git", withIntermediateDirectories: true)
    for (path, text) in files {
      let full = root + "/" + path
      try FileManager.default.createDirectory(
        atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }
    return root
  }

  public struct Run {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public var all: String { stdout + stderr }
  }

  /// Runs the built binary in `directory` with `arguments`, feeding `input` on standard input;
  /// `environment` adds variables to (or, with nil, removes them from) the test's own.
  public static func sendlint(
    _ arguments: [String], in directory: String, input: [UInt8] = [],
    environment extra: [String: String?] = [:]
  ) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    environment["GITHUB_ACTIONS"] = nil
    environment["NO_COLOR"] = "1"
    for (name, value) in extra { environment[name] = value }
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

  /// The binary `swift test` builds beside the test bundle.
  public static let binary = TestPaths.packageRoot + "/.build/debug/sendlint"

  public static var binaryExists: Bool {
    FileManager.default.fileExists(atPath: binary)
  }

  /// A one-file draft, `mail/offer.txt`, linking over plain `http:`.
  public static let warningDraft = ["mail/offer.txt": "Visit http://example.com/offer now\n"]
}

/// Data set once from another thread.
final class LockedData: @unchecked Sendable {
  private let lock = NSLock()
  private var data: Data?
  func set(_ value: Data) { lock.withLock { data = value } }
  var isSet: Bool { lock.withLock { data != nil } }
  var value: Data { lock.withLock { data ?? Data() } }
}
