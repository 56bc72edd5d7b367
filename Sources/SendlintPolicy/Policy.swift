import SendlintCore
import SendlintRules
import SendlintURL

/// One rule's settings after all layers are merged.
public struct RuleSetting: Sendable {
  /// nil: the rule's own default for the draft's category.
  public var severity: Severity?
  public var options: [String: OptionValue] = [:]
  /// Only in drafts of these categories; nil: all.
  public var categories: [String]?
  /// Where the severity was last set (`file:line`), for `policy show`.
  public var source: String?
}

/// How a draft without a stated category gets one.
public struct ClassifyEntry: Sendable {
  public let files: [Glob]
  public let subject: Regex<AnyRegexOutput>?
  public let subjectPattern: String?
  public let category: String
  /// Files globs are relative to this directory.
  public let baseDirectory: String
}

extension Regex: @retroactive @unchecked Sendable {}

/// A policy with `extends` resolved and every value validated: nothing after this sees YAML.
public struct ResolvedPolicy: Sendable {
  /// The policy file, or nil for the built-in default.
  public let path: String?
  public let directory: String
  public var brand = BrandFacts()
  public var categories: [String] = []
  public var classify: [ClassifyEntry] = []
  public var rules: [String: RuleSetting] = [:]
  /// Files the policy was built from, in merge order (packs as `sendlint:NAME`).
  public var layers: [String] = []

  public init(path: String?, directory: String) {
    self.path = path
    self.directory = directory
  }

  /// The options for a rule: declared defaults overlaid with the policy's values.
  public func options(for metadata: RuleMetadata) -> RuleOptions {
    var values: [String: OptionValue] = [:]
    for option in metadata.options { values[option.name] = option.defaultValue }
    for (name, value) in rules[metadata.id]?.options ?? [:] { values[name] = value }
    return RuleOptions(values)
  }

  /// The category of a draft that states none: the first `classify` entry that matches its path
  /// (relative to the declaring policy) and subject.
  public func classify(path: String, subject: String?) -> String? {
    for entry in classify {
      if !entry.files.isEmpty {
        let relative = relativePath(path, to: entry.baseDirectory)
        guard entry.files.contains(where: { $0.matches(relative) }) else { continue }
      }
      if let regex = entry.subject {
        guard let subject, (try? regex.firstMatch(in: subject)) != nil else { continue }
      }
      return entry.category
    }
    return nil
  }
}

/// `path` relative to `directory` when inside it; otherwise unchanged.
func relativePath(_ path: String, to directory: String) -> String {
  let normalisedDirectory = directory.hasSuffix("/") ? directory : directory + "/"
  if directory == "." || directory.isEmpty {
    return path.hasPrefix("./") ? String(path.dropFirst(2)) : path
  }
  if path.hasPrefix(normalisedDirectory) { return String(path.dropFirst(normalisedDirectory.count)) }
  return path
}
