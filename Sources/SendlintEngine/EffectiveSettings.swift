import SendlintCore
import SendlintInventory
import SendlintPolicy
import SendlintRules

/// What applies to one draft under one policy: its category and why, and every rule with its
/// effective severity and what set it. Decided here once; `lint` runs it, `policy show` and
/// `inspect` print it, so the three can never disagree.
public struct EffectiveSettings: Sendable {
  /// Why the draft has the category it has (or none).
  public enum CategoryOrigin: Sendable, Equatable {
    /// The manifest's `category:` key, at this line of the manifest.
    case manifest(path: String, line: Int)
    /// `--category` on the command line (or `LintRequest.category`).
    case request
    /// The policy's `classify` entry matching the draft's path and/or subject.
    case classify(files: [String], subject: String?)
    /// No manifest key, no `--category`, no `classify` entry matched.
    case unclassified
    /// The manifest states a category the policy does not declare: the draft is not linted (a
    /// misspelt category would silently drop every category-scoped rule); see `diagnostics`.
    case undeclared(stated: String)

    /// One line for `policy show` and `inspect`.
    public var explanation: String {
      switch self {
      case .manifest(let path, let line): "stated by the manifest (\(path):\(line))"
      case .request: "given by --category"
      case .classify(let files, let subject):
        "classified by the policy ("
          + ([
            files.isEmpty ? nil : "files \(files.joined(separator: ", "))", subject.map { "subject \($0)" },
          ]
          .compactMap { $0 }.joined(separator: ", ")) + ")"
      case .unclassified: "no manifest category, --category or classify entry applies"
      case .undeclared(let stated):
        "the manifest states \"\(stated.escapedForDisplay)\", which the policy does not declare"
      }
    }
  }

  /// Why a rule has its severity.
  public enum RuleOrigin: Sendable, Equatable {
    /// The policy (or a pack it extends, or an override): `file:line`, or `override "NAME" (file:line)`.
    case policy(String)
    /// The rule's own default; `category` when the default depends on it.
    case ruleDefault(category: String?, dependsOnCategory: Bool)

    public var explanation: String {
      switch self {
      case .policy(let source): source
      case .ruleDefault(let category, let depends):
        "rule default" + (depends ? " for \(category ?? "no category")" : "")
      }
    }
  }

  /// One rule as it applies to the draft.
  public struct Rule: Sendable {
    public let metadata: RuleMetadata
    /// `.off` when turned off or scoped to other categories.
    public let severity: Severity
    /// The severity before category scoping: what the policy or the rule default says.
    public let configuredSeverity: Severity
    /// Set when the rule is limited to categories this draft is not in.
    public let onlyInCategories: [String]?
    public let origin: RuleOrigin
    public let setting: RuleSetting?
    public var isEnabled: Bool { severity != .off }
  }

  public let category: String?
  public let categoryOrigin: CategoryOrigin
  /// The policy's path, or nil for the built-in default pack.
  public let policyPath: String?
  public var usesDefaultPolicy: Bool { policyPath == nil }
  /// Names of the overrides that apply to the draft, in order.
  public let overrides: [String]
  /// Every rule the policy knows (built-in and custom), sorted by id.
  public let rules: [Rule]
  /// Problems deciding the settings (an undeclared manifest category); the draft is not linted.
  public let diagnostics: [Diagnostic]

  public var enabledRules: [Rule] { rules.filter(\.isEnabled) }

  /// Decides the settings of the draft at `path` (absolute) under `policy`. The category is the
  /// manifest's (which must be declared), else `requestedCategory` (checked against the policy by
  /// the caller, once per policy), else the policy's `classify`.
  public static func resolve(
    policy: ResolvedPolicy, path: String, statedCategory: Located<String>?, requestedCategory: String? = nil,
    subject: String? = nil
  ) -> EffectiveSettings {
    var diagnostics: [Diagnostic] = []
    let category: String?
    let origin: CategoryOrigin
    if let stated = statedCategory {
      if policy.categories.contains(stated.value) {
        category = stated.value
        origin = .manifest(path: stated.range.file.path, line: stated.range.startPosition.line)
      } else {
        let position = stated.range.startPosition
        let declared = policy.categories.isEmpty ? "none" : policy.categories.joined(separator: ", ")
        diagnostics.append(
          Diagnostic(
            code: "manifest/unknown-category",
            message:
              "category \"\(stated.value.escapedForDisplay)\" is not declared in the policy \(policy.path ?? "sendlint:\(PolicyLoader.defaultPack)")",
            help: (Suggestion.nearest(to: stated.value, in: policy.categories).map {
              "did you mean \"\($0)\"? "
            } ?? "")
              + "declared categories: \(declared); use one of them or add it to `categories:` in the policy",
            path: stated.range.file.path, position: position,
            sourceLine: stated.range.file.lineText(position.line)))
        category = nil
        origin = .undeclared(stated: stated.value)
      }
    } else if let requestedCategory {
      category = requestedCategory
      origin = .request
    } else if let entry = policy.classifyEntry(path: path, subject: subject) {
      category = entry.category
      origin = .classify(files: entry.files.map(\.description), subject: entry.subjectPattern)
    } else {
      category = nil
      origin = .unclassified
    }
    return EffectiveSettings(
      category: category, categoryOrigin: origin, policyPath: policy.path,
      overrides: policy.overrides.filter { $0.applies(to: path, category: category) }.map(\.name),
      rules: rules(policy: policy, category: category, path: path), diagnostics: diagnostics)
  }

  /// Every rule's severity and origin for a draft of `category` at `path`, overrides applied.
  public static func rules(policy: ResolvedPolicy, category: String?, path: String) -> [Rule] {
    let settings = policy.effectiveRules(path: path, category: category)
    return policy.allRuleMetadata.map { metadata in
      let setting = settings[metadata.id]
      let configured = setting?.severity ?? metadata.defaultSeverity(for: category)
      let origin: RuleOrigin =
        setting?.severity != nil
        ? .policy(setting?.source ?? "policy")
        : .ruleDefault(category: category, dependsOnCategory: !metadata.categorySeverities.isEmpty)
      var only: [String]?
      if let categories = setting?.categories, !(category.map(categories.contains) ?? false) {
        only = categories
      }
      return Rule(
        metadata: metadata, severity: only == nil ? configured : .off, configuredSeverity: configured,
        onlyInCategories: only,
        origin: origin, setting: setting)
    }
  }
}
