import Foundation
import SendlintCore
import Testing

/// Paths the tests need, derived from this file's location.
public enum TestPaths {
  public static let packageRoot: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
  }()
  public static let examples = packageRoot + "/Examples"
  /// The `Fixtures` folder beside the calling test file: each test target keeps its fixtures in
  /// `Tests/<Target>/Fixtures`, so the default (the caller's `#filePath`) finds the right one.
  public static func fixtures(_ file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures").path
  }
  /// `../shared` beside the checkout, when present. `SENDLINT_SHARED` overrides the path (read
  /// here only): `SENDLINT_SHARED=/nonexistent swift test` shows which suites skip without it.
  public static let shared: String? = {
    let path =
      ProcessInfo.processInfo.environment["SENDLINT_SHARED"]
      ?? URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }()
}

/// The text with every `«` removed, and the (line, column) where each one stood.
public func stripMarkers(_ text: String) -> (text: String, markers: [SourcePosition]) {
  var output = ""
  var markers: [SourcePosition] = []
  var line = 1
  var column = 1
  for scalar in text.unicodeScalars {
    if scalar == "«" {
      markers.append(SourcePosition(line: line, column: column))
      continue
    }
    output.unicodeScalars.append(scalar)
    if scalar == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
  }
  return (output, markers)
}

extension TestPaths {
  /// Whether `../shared/<relative>` exists: suites that read it are enabled by this, so a run
  /// without `../shared` reports them as skipped (with the reason) rather than as passed.
  public static func sharedHas(_ relative: String) -> Bool {
    guard let shared else { return false }
    return FileManager.default.fileExists(atPath: shared + "/" + relative)
  }
}

/// The exact cases a peer conformance suite is known to fail, each with its reason, read from
/// `Fixtures/known-failures/NAME.json` (`[{"case": "…", "reason": "…"}]`). A suite passes only
/// when its failures are exactly these: one new failure fails it, and so does a known failure
/// that now passes (remove it from the file). No pass-rate threshold.
public struct KnownFailures {
  public let name: String
  /// Case key → reason; a key may be listed more than once when the suite repeats a case.
  public let cases: [(key: String, reason: String)]
  /// The calling target's `Fixtures/known-failures`.
  let folder: String

  /// Reads `Fixtures/known-failures/NAME.json` beside the calling test file.
  public init(_ name: String, file: String = #filePath) throws {
    self.name = name
    folder = TestPaths.fixtures(file) + "/known-failures"
    let path = folder + "/\(name).json"
    guard FileManager.default.fileExists(atPath: path) else {
      cases = []
      return
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let entries = try JSONSerialization.jsonObject(with: data) as? [[String: String]] ?? []
    cases = entries.map { ($0["case"] ?? "", $0["reason"] ?? "") }
  }

  /// Compares a run's failures (key and a description of what differed) with the known list,
  /// records an issue for each difference, and prints one summary line.
  public func check(
    suite: String, passed: Int, failures: [(key: String, detail: String)],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var expected: [String: Int] = [:]
    for (key, _) in cases { expected[key, default: 0] += 1 }
    var unexpected: [String] = []
    for (key, detail) in failures {
      if let count = expected[key], count > 0 {
        expected[key] = count - 1
      } else {
        unexpected.append(detail)
      }
    }
    let nowPassing = expected.filter { $0.value > 0 }.map(\.key).sorted()
    if ProcessInfo.processInfo.environment["SENDLINT_UPDATE_KNOWN_FAILURES"] == "1" {
      // Rewrites the list from this run, keeping the reasons already written; a new entry gets
      // no reason, which fails below until someone writes one.
      var reasons: [String: String] = [:]
      for (key, reason) in cases { reasons[key] = reason }
      let path = folder + "/\(name).json"
      // Written in the files' hand-edited layout (`"case": …`), which Foundation's pretty printer
      // on Linux does not produce, so a regenerated list diffs only where cases changed.
      func quoted(_ text: String) -> String {
        let data =
          (try? JSONSerialization.data(
            withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
      }
      let entries = failures.map {
        "  {\n    \"case\": \(quoted($0.key)),\n    \"reason\": \(quoted(reasons[$0.key] ?? ""))\n  }"
      }
      if entries.isEmpty {
        try? FileManager.default.removeItem(atPath: path)
      } else {
        try? FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(
          atPath: path, contents: Data(("[\n" + entries.joined(separator: ",\n") + "\n]\n").utf8))
      }
    }
    for (key, reason) in cases where reason.trimmingCharacters(in: .whitespaces).isEmpty {
      Issue.record(
        "\(suite): known failure \(key.debugDescription) has no reason in Fixtures/known-failures/\(name).json",
        sourceLocation: sourceLocation)
    }
    let total = passed + failures.count
    print(
      "\(suite): \(passed)/\(total) pass; \(failures.count - unexpected.count) known failure\(failures.count - unexpected.count == 1 ? "" : "s")"
        + (cases.isEmpty ? "" : " (Fixtures/known-failures/\(name).json)")
        + "; \(unexpected.count) unexpected; \(nowPassing.count) known failure\(nowPassing.count == 1 ? "" : "s") now passing"
    )
    for detail in unexpected.prefix(50) {
      Issue.record("\(suite): new failure: \(detail)", sourceLocation: sourceLocation)
    }
    if unexpected.count > 50 {
      Issue.record("\(suite): \(unexpected.count - 50) more new failures", sourceLocation: sourceLocation)
    }
    for key in nowPassing.prefix(50) {
      Issue.record(
        "\(suite): \(key.debugDescription) is listed as a known failure but passes; remove it from Fixtures/known-failures/\(name).json",
        sourceLocation: sourceLocation)
    }
  }
}

/// Runs `work` in a child task and returns its result, or nil when it has not finished within
/// `seconds`: a regression that blocks (a FIFO opened for reading, a link loop) fails its test
/// instead of hanging the whole suite.
public func finishing<Result: Sendable>(within seconds: Int = 60, _ work: @escaping @Sendable () -> Result)
  async throws -> Result?
{
  try await withThrowingTaskGroup(of: Result?.self) { group in
    group.addTask { work() }
    group.addTask {
      try await Task.sleep(for: .seconds(seconds))
      return nil
    }
    let first = try await group.next() ?? nil
    group.cancelAll()
    return first
  }
}

/// A test failure carrying a message (diagnostics a helper could not get past).
public struct PolicyTestError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
