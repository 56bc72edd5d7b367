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
  /// Where the severity was last set (`file:line`, or the override's name), for `policy show`.
  public var source: String?
  /// A message template with `{{placeholders}}`, replacing the rule's own message.
  public var message: String?

  /// This setting with another laid over it: fields the other sets win.
  public func overlaid(with other: RuleSetting) -> RuleSetting {
    var merged = self
    if let severity = other.severity {
      merged.severity = severity
      merged.source = other.source
    }
    for (name, value) in other.options { merged.options[name] = value }
    if let categories = other.categories { merged.categories = categories }
    if let message = other.message { merged.message = message }
    return merged
  }
}

/// A named block of rule settings for some files and/or categories (`overrides`).
public struct OverrideBlock: Sendable {
  public let name: String
  public let files: [Glob]
  public let categories: [String]?
  public let baseDirectory: String
  public let rules: [String: RuleSetting]

  public func applies(to path: String, category: String?) -> Bool {
    if !files.isEmpty, !files.contains(where: { $0.matches(relativePath(path, to: baseDirectory)) }) {
      return false
    }
    if let categories, !(category.map(categories.contains) ?? false) { return false }
    return true
  }
}

/// A policy suppression (`suppress`): findings it matches are not reported.
public struct Suppression: Sendable {
  public let rule: String
  public let files: [Glob]
  /// Matches findings whose message or evidence contains this text (a host, an address…).
  public let value: String?
  public let reason: String
  /// `YYYY-MM-DD`; from that day on the finding comes back, with a note.
  public let expires: String?
  public let baseDirectory: String
  /// Where it is written, for the unused-suppression report.
  public let file: String
  public let line: Int

  public func matches(_ finding: Finding, absolutePath: String) -> Bool {
    guard finding.rule == rule else { return false }
    if !files.isEmpty, !files.contains(where: { $0.matches(relativePath(absolutePath, to: baseDirectory)) }) {
      return false
    }
    if let value, !finding.message.contains(value) { return false }
    return true
  }
}

/// How a draft without a stated category gets one.
public struct ClassifyEntry: Sendable {
  public let files: [Glob]
  public let subject: LinearRegex?
  public let subjectPattern: String?
  public let category: String
  /// Files globs are relative to this directory.
  public let baseDirectory: String
}

/// A policy with `extends` resolved and every value validated: nothing after this sees YAML.
public struct ResolvedPolicy: Sendable {
  /// The policy file, or nil for the built-in default.
  public let path: String?
  public let directory: String
  public var brand = BrandFacts()
  public var categories: [String] = []
  public var classify: [ClassifyEntry] = []
  public var rules: [String: RuleSetting] = [:]
  public var overrides: [OverrideBlock] = []
  public var customRules: [CustomRule] = []
  public var suppressions: [Suppression] = []
  /// Files the policy was built from, in merge order (packs as `sendlint:NAME`).
  public var layers: [String] = []
  /// `online: true`: check published DNS for drafts under this policy, as `--online` does.
  public var online = false

  public init(path: String?, directory: String) {
    self.path = path
    self.directory = directory
  }

  /// The options for a rule: declared defaults overlaid with the policy's values.
  public func options(for metadata: RuleMetadata) -> RuleOptions {
    options(for: metadata, setting: rules[metadata.id])
  }

  public func options(for metadata: RuleMetadata, setting: RuleSetting?) -> RuleOptions {
    var values: [String: OptionValue] = [:]
    for option in metadata.options { values[option.name] = option.defaultValue }
    for (name, value) in setting?.options ?? [:] { values[name] = value }
    return RuleOptions(values)
  }

  /// Rule settings for one draft: the policy's, then every override that applies, in order
  /// (last match wins, field by field).
  public func effectiveRules(path: String, category: String?) -> [String: RuleSetting] {
    var result = rules
    for block in overrides where block.applies(to: path, category: category) {
      for (id, setting) in block.rules {
        result[id] = (result[id] ?? RuleSetting()).overlaid(with: setting)
      }
    }
    return result
  }

  /// Metadata of built-in and custom rules, sorted by id.
  public var allRuleMetadata: [RuleMetadata] {
    // The registry's list is sorted by id already (ids are unique): a policy without custom rules,
    // asked for it several times per draft, shares it instead of sorting ~60 copies each time.
    if customRules.isEmpty { return RuleRegistry.allMetadata }
    return (RuleRegistry.allMetadata + customRules.map(\.metadata)).sorted { $0.id < $1.id }
  }

  /// The category of a draft that states none: the first `classify` entry that matches its path
  /// (relative to the declaring policy) and subject.
  public func classify(path: String, subject: String?) -> String? {
    classifyEntry(path: path, subject: subject)?.category
  }

  /// The `classify` entry that gives a draft its category, for saying why (`policy show`).
  public func classifyEntry(path: String, subject: String?) -> ClassifyEntry? {
    for entry in classify {
      if !entry.files.isEmpty {
        let relative = relativePath(path, to: entry.baseDirectory)
        guard entry.files.contains(where: { $0.matches(relative) }) else { continue }
      }
      if let regex = entry.subject {
        guard let subject, regex.matches(subject) else { continue }
      }
      return entry
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
