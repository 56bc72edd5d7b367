import Foundation
import SendlintCore
import SendlintInventory
import SendlintPolicy
import SendlintRules

/// Paths the tests need, derived from this file's location.
enum TestPaths {
  static let packageRoot: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  }()
  static let examples = packageRoot + "/Examples"
  static let fixtures = packageRoot + "/Tests/SendlintTests/Fixtures"
  /// `../shared` beside the checkout, when present.
  static let shared: String? = {
    let path = URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }()
}

/// Loads a policy from text, failing the test loudly on diagnostics.
func policy(_ text: String = RuleExample.examplePolicy) throws -> ResolvedPolicy {
  switch PolicyLoader.load(text: text, path: "policy.yaml", directory: "/") {
  case .success(let policy): return policy
  case .failure(let list): throw PolicyTestError(list.diagnostics.map(\.description).joined(separator: "\n"))
  }
}

struct PolicyTestError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// The text with every `«` removed, and the (line, column) where each one stood.
func stripMarkers(_ text: String) -> (text: String, markers: [SourcePosition]) {
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
