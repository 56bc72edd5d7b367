import Foundation
import SendlintCore
import SendlintPolicy

/// A resolved policy: every layer of `extends` merged and checked. Immutable and `Sendable`:
/// load it once and share it between any number of concurrent lints.
public struct SendlintPolicySet: Sendable {
  let resolved: ResolvedPolicy

  init(_ resolved: ResolvedPolicy) { self.resolved = resolved }

  /// The name it was loaded under (a path or the name given with the bytes); nil for `recommended`.
  public var name: String? { resolved.path }
  /// Files and packs it was built from, in merge order (packs as `sendlint:NAME`).
  public var layers: [String] { resolved.layers }
  /// Categories it declares.
  public var categories: [String] { resolved.categories }
  /// Every rule it knows: built-in and its custom rules.
  public var rules: [RuleMetadata] { resolved.allRuleMetadata }

  /// The built-in `sendlint:recommended` pack with no brand facts: what the CLI uses where no
  /// `.sendlint.yaml` is found.
  public static let recommended = SendlintPolicySet(PolicyLoader.builtinDefault(directory: "/"))

  /// Loads a policy file and what it `extends`, confined as the CLI's `--policy FILE` is.
  /// - Throws: `SendlintError.policy` with every diagnostic.
  public static func load(path: String) throws -> SendlintPolicySet {
    do { return SendlintPolicySet(try PolicyLoader.load(path: path)) } catch {
      throw SendlintError.policy(error.diagnostics)
    }
  }

  /// Loads a policy from bytes without touching the file system. `name` labels its diagnostics;
  /// `resolver` is asked for each `extends` entry that is not a built-in pack (`sendlint:NAME`),
  /// by the reference exactly as written; what it throws becomes a diagnostic. `directory` is
  /// what the policy's path globs (`classify`, `overrides`, `suppress`) are relative to.
  /// - Throws: `SendlintError.policy` with every diagnostic.
  public static func load(
    yaml: Data, name: String = "policy.yaml", directory: String = "/",
    resolver: @escaping (String) throws -> Data = { throw UnresolvedExtends(reference: $0) }
  ) throws -> SendlintPolicySet {
    do {
      return SendlintPolicySet(
        try PolicyLoader.load(
          bytes: [UInt8](yaml), name: name, directory: directory, resolver: { [UInt8](try resolver($0)) }))
    } catch {
      throw SendlintError.policy(error.diagnostics)
    }
  }

  /// What the default resolver throws: a policy from bytes extends only built-in packs.
  public struct UnresolvedExtends: Error, CustomStringConvertible {
    public let reference: String
    public init(reference: String) { self.reference = reference }
    public var description: String { "no resolver was given to load \"\(reference.escapedForDisplay)\"" }
  }
}
