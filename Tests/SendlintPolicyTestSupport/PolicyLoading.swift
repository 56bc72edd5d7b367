import SendlintCore
import SendlintPolicy
import SendlintRules
import SendlintTestSupport

/// Loads a policy from text, failing the test loudly on diagnostics.
public func policy(_ text: String = RuleExample.examplePolicy) throws -> ResolvedPolicy {
  switch Result(catching: { () throws(DiagnosticList) in
    try PolicyLoader.load(text: text, path: "policy.yaml", directory: "/")
  }) {
  case .success(let policy): return policy
  case .failure(let list): throw PolicyTestError(list.diagnostics.map(\.description).joined(separator: "\n"))
  }
}
