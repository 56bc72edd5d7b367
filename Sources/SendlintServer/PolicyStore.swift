import Foundation
import NIOConcurrencyHelpers
import Sendlint

/// The policies a server answers with, by name, the first being the default. Immutable: a
/// reload builds a new set and swaps it in whole.
public struct PolicyCatalogue: Sendable {
  public let names: [String]
  public let policies: [String: SendlintPolicySet]
  public let loadedAt: Date

  public var defaultName: String { names[0] }
}

/// A `--policy NAME=FILE` option.
public struct PolicySource: Sendable, Equatable {
  public let name: String
  public let path: String

  public init(name: String, path: String) {
    self.name = name
    self.path = path
  }

  /// `NAME=FILE`; a name is 1 to 64 of `A-Z a-z 0-9 . _ -`, so it is safe in a query string and
  /// a metrics label.
  public init(parsing argument: String) throws {
    guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex,
      argument.index(after: equals) != argument.endIndex
    else {
      throw ServerSetupError(
        "--policy \"\(argument.escapedForServer)\" is not NAME=FILE; write e.g. --policy acme=policies/acme.yaml"
      )
    }
    let name = String(argument[..<equals])
    guard Self.isValidName(name) else {
      throw ServerSetupError(
        "--policy name \"\(name.escapedForServer)\" must be 1 to 64 letters, digits, '.', '_' or '-'; clients send it as ?policy=NAME"
      )
    }
    self.init(name: name, path: String(argument[argument.index(after: equals)...]))
  }

  static func isValidName(_ name: String) -> Bool {
    (1...64).contains(name.utf8.count)
      && name.utf8.allSatisfy { byte in
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
          || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
          || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
          || byte == UInt8(ascii: "_")
          || byte == UInt8(ascii: "-")
      }
  }
}

/// A start-up problem: the message says what to change; the server exits 2.
public struct ServerSetupError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// Holds the current catalogue. Each request takes the catalogue once, at its start, so a
/// reload never changes the policy under a lint in flight.
public final class PolicyStore: Sendable {
  public let sources: [PolicySource]
  private let current: NIOLockedValueBox<PolicyCatalogue?>

  public init(sources: [PolicySource]) {
    self.sources = sources
    self.current = NIOLockedValueBox(nil)
  }

  public var catalogue: PolicyCatalogue? { current.withLockedValue { $0 } }

  /// Loads every source; the new catalogue replaces the old only when all of them loaded.
  /// - Throws: `ServerSetupError` naming each policy that failed, with its diagnostics.
  public func load() throws {
    let catalogue = try Self.loadAll(sources)
    current.withLockedValue { $0 = catalogue }
  }

  static func loadAll(_ sources: [PolicySource]) throws -> PolicyCatalogue {
    guard !sources.isEmpty else {
      throw ServerSetupError(
        "no policy given; start with --policy NAME=FILE (repeatable; the first is the default)")
    }
    var policies: [String: SendlintPolicySet] = [:]
    var problems: [String] = []
    for source in sources {
      guard policies[source.name] == nil else {
        problems.append(
          "policy name \"\(source.name.escapedForServer)\" is given twice; give each --policy a distinct NAME"
        )
        continue
      }
      do {
        policies[source.name] = try SendlintPolicySet.load(path: source.path)
      } catch SendlintError.policy(let diagnostics) {
        let lines = diagnostics.map { "  \($0.description)" }.joined(separator: "\n")
        problems.append(
          "policy \"\(source.name.escapedForServer)\" (\"\(source.path.escapedForServer)\") did not load:\n\(lines)"
        )
      } catch {
        problems.append(
          "policy \"\(source.name.escapedForServer)\" (\"\(source.path.escapedForServer)\") did not load: \(error)"
        )
      }
    }
    if !problems.isEmpty { throw ServerSetupError(problems.joined(separator: "\n")) }
    return PolicyCatalogue(names: sources.map(\.name), policies: policies, loadedAt: Date())
  }
}
