import SendlintCore
import SendlintRules

/// What one value in a policy file may be.
///
/// `PolicyDefinition` describes the whole file with these; the loader asks it which keys are
/// allowed where and how a severity may be spelt, and `PolicySchema` turns the same description
/// into the JSON Schema, so the two cannot disagree on a key, a required field or a spelling.
public indirect enum PolicyShape: Sendable {
  /// One scalar, read as text.
  case string(StringFormat = .plain)
  /// One string or a list of strings (`domains: contoso.com` is a one-item list); empty is none.
  case strings
  /// A list of strings, never a single one.
  case stringList
  /// One of these strings, exactly as written.
  case choice([String])
  /// `version: 1`.
  case version
  /// `true` or `false`.
  case boolean
  /// A rule severity: `PolicyDefinition.severitySpellings`.
  case severity
  /// A mapping with a closed set of keys.
  case mapping(PolicyMapping)
  /// A list of values of one shape.
  case list(PolicyShape)
  /// A mapping whose keys the author chooses (custom rule ids), each value of one shape.
  case namedMappings(PolicyShape)
  /// `rules:`: rule id → severity or `PolicyDefinition.ruleSetting`; ids and options come from the
  /// rule registry (and custom rules).
  case ruleSettings
  /// `options:` of one rule: names and types from the rule's metadata.
  case ruleOptions

  /// What a string must look like beyond being a string.
  public enum StringFormat: Sendable {
    case plain
    /// A regular expression (RE2 syntax).
    case regex
    /// An http(s) URL.
    case uri
    /// `YYYY-MM-DD`.
    case date
  }
}

/// One key of a mapping: its name, the shape of its value, and a line for editors.
public struct PolicyKey: Sendable {
  public let name: String
  public let shape: PolicyShape
  public let summary: String?

  public init(_ name: String, _ shape: PolicyShape, _ summary: String? = nil) {
    self.name = name
    self.shape = shape
    self.summary = summary
  }
}

/// A mapping with a closed set of keys, some required; optionally keys that only some values of
/// a discriminating key allow (a custom rule's `kind`).
public struct PolicyMapping: Sendable {
  /// Every key any variant allows, in the order the loader reads them.
  public let keys: [PolicyKey]
  public let required: [String]
  /// At least one of these keys must be present (empty: no such rule).
  public let requiredAny: [String]
  /// The discriminating key and, for each of its values, the keys allowed besides `common`.
  public let variants: Variants?

  public struct Variants: Sendable {
    public let key: String
    /// Keys every variant allows.
    public let common: [String]
    /// Value of `key` → the further keys it allows, in declaration order.
    public let keysByValue: [(value: String, keys: [String])]
  }

  public init(
    _ keys: [PolicyKey], required: [String] = [], requiredAny: [String] = [], variants: Variants? = nil
  ) {
    self.keys = keys
    self.required = required
    self.requiredAny = requiredAny
    self.variants = variants
  }

  public var names: [String] { keys.map(\.name) }

  public func key(_ name: String) -> PolicyKey? { keys.first { $0.name == name } }

  /// The keys allowed when the discriminating key has `value` (all keys without variants).
  public func allowedKeys(variant value: String?) -> [String] {
    guard let variants else { return names }
    let extra = variants.keysByValue.first { $0.value == value }?.keys ?? []
    return variants.common + extra
  }
}

/// The typed description of `.sendlint.yaml`: read by `PolicyLoader` (key validation, severity
/// spellings, custom rule kinds) and by `PolicySchema` (the JSON Schema for editors and CI).
public enum PolicyDefinition {
  /// Severity spellings the loader accepts, and what they mean. Severities are lowercase; the only
  /// others are the spellings YAML 1.1 reads as boolean false (PRODUCT.md: `off` and `no` must
  /// still mean off), which a YAML-to-JSON converter turns into `false` before the schema sees them.
  public static let severitySpellings: [(spelling: String, severity: Severity)] = [
    ("error", .error), ("warning", .warning), ("info", .info), ("off", .off),
    ("no", .off), ("false", .off), ("Off", .off), ("OFF", .off), ("No", .off), ("NO", .off), ("False", .off),
    ("FALSE", .off),
  ]

  /// The canonical severities, for messages.
  public static let severityNames = ["error", "warning", "info", "off"]

  /// Spellings other tools use, for the "did you mean" of a severity the loader refuses.
  public static let severityAliases: [String: String] = [
    "warn": "warning", "warnings": "warning", "note": "info", "notice": "info", "information": "info",
    "hint": "info",
    "none": "off", "disable": "off", "disabled": "off", "ignore": "off", "err": "error", "errors": "error",
    "fatal": "error",
  ]

  /// The severity `text` spells, or nil.
  public static func severity(_ text: String) -> Severity? {
    severitySpellings.first { $0.spelling == text }?.severity
  }

  /// The canonical severity a refused spelling most likely means (`warn`, `Error`, `eror`).
  public static func suggestedSeverity(for text: String) -> String? {
    let lowered = text.lowercased()
    if severityNames.contains(lowered) { return lowered }
    if let alias = severityAliases[lowered] { return alias }
    return Suggestion.nearest(to: lowered, in: severityNames)
  }

  /// Custom rule kinds, and the keys each allows besides the common ones.
  public static let customRuleKindKeys: [(value: String, keys: [String])] = CustomRule.KindName.allCases.map {
    ($0.rawValue, $0.keys)
  }

  /// The brand lists a `link-host` custom rule may name with `list:`.
  public static let brandLists = [
    "brand.domains", "brand.tracking_domains", "brand.sending_domains", "brand.allowed_hosts",
  ]

  public static let vendor = PolicyMapping(
    [
      PolicyKey("name", .string(), "Who the vendor is, named in findings."),
      PolicyKey("sending_ips", .strings, "IPv4/IPv6 addresses or CIDR blocks."),
      PolicyKey("hosts", .strings, "Brand hosts the vendor operates."),
      PolicyKey("categories", .strings, "Categories the vendor may send."),
    ], required: ["name"])

  public static let brand = PolicyMapping([
    PolicyKey("name", .string(), "The brand's name."),
    PolicyKey("domains", .strings, "Registrable domains the brand owns."),
    PolicyKey("sending_domains", .strings, "Exact From / Return-Path / DKIM d= domains."),
    PolicyKey("tracking_domains", .strings, "Brand-operated click-tracking hosts."),
    PolicyKey("sending_ips", .strings, "IPv4/IPv6 addresses or CIDR blocks."),
    PolicyKey("vendors", .list(.mapping(vendor)), "Who sends or hosts for the brand, and for what."),
    PolicyKey("postal_address", .string(), "The sender's postal address (CAN-SPAM, CASL)."),
    PolicyKey("allowed_hosts", .strings, "Third-party hosts the brand links to on purpose."),
  ])

  public static let classifyEntry = PolicyMapping(
    [
      PolicyKey("files", .strings, "Globs relative to this policy."),
      PolicyKey("subject", .string(.regex), "A regular expression (RE2) over the subject."),
      PolicyKey("category", .string(), "The category given to matching drafts."),
    ], required: ["category"], requiredAny: ["files", "subject"])

  /// A rule's detailed setting (the alternative to a bare severity).
  public static let ruleSetting = PolicyMapping([
    PolicyKey("severity", .severity),
    PolicyKey("options", .ruleOptions, "The rule's options."),
    PolicyKey("categories", .strings, "Only in drafts of these categories."),
    PolicyKey("message", .string(), "Replaces the rule's message."),
  ])

  /// An override must say which drafts it is for: settings for all belong under `rules:`.
  public static let override = PolicyMapping(
    [
      PolicyKey("name", .string(), "Named in `policy show`."),
      PolicyKey("files", .strings, "Globs relative to this policy."),
      PolicyKey("categories", .strings, "Only drafts of these categories."),
      PolicyKey("rules", .ruleSettings),
    ], requiredAny: ["files", "categories"])

  public static let suppression = PolicyMapping(
    [
      PolicyKey("rule", .string(), "The rule whose findings are suppressed."),
      PolicyKey("files", .strings, "Globs relative to this policy."),
      PolicyKey("value", .string(), "Only findings whose message contains this text."),
      PolicyKey("host", .string(), "Only findings whose message contains this host."),
      PolicyKey("reason", .string(), "Why the finding is accepted: a ticket or a sentence."),
      PolicyKey("expires", .string(.date), "From this day (YYYY-MM-DD) on the finding comes back."),
    ], required: ["rule", "reason"])

  public static let customRuleCommonKeys = [
    "kind", "description", "rationale", "help_uri", "tags", "severity", "message", "categories",
  ]

  public static let customRule = PolicyMapping(
    [
      PolicyKey(
        "kind", .choice(customRuleKindKeys.map(\.value)),
        "What the rule checks; decides which other keys apply."),
      PolicyKey("description", .string()), PolicyKey("rationale", .string()),
      PolicyKey("help_uri", .string(.uri)), PolicyKey("tags", .strings), PolicyKey("severity", .severity),
      PolicyKey("message", .string()), PolicyKey("categories", .strings),
      PolicyKey("in", .stringList, "Fields: " + CustomRule.Field.names.joined(separator: ", ")),
      PolicyKey("pattern", .string(.regex)), PolicyKey("header", .string()),
      PolicyKey("link_hosts", .strings),
      PolicyKey("attachment_types", .strings), PolicyKey("text", .string(.regex)),
      PolicyKey("url", .string(.regex)),
      PolicyKey("hosts", .strings), PolicyKey("list", .choice(brandLists)),
    ], required: ["kind"],
    variants: .init(key: "kind", common: customRuleCommonKeys, keysByValue: customRuleKindKeys))

  /// The top level, in the order the loader applies it (`extends` first, so that this file's
  /// values override what it extends; brand facts before the custom rules that use them;
  /// custom rules before `rules`, `overrides` and `suppress`, which may name them).
  public static var top: PolicyMapping {
    PolicyMapping([
      PolicyKey(
        "extends", .strings,
        "Built-in packs (" + PolicyLoader.packNames.map { "sendlint:\($0)" }.joined(separator: ", ")
          + ") and paths relative to this file."),
      PolicyKey("version", .version),
      PolicyKey("brand", .mapping(brand), "Facts about the brand."),
      PolicyKey("categories", .strings, "Categories drafts may have."),
      PolicyKey(
        "online", .boolean,
        "Check published DNS (SPF, DKIM keys, DMARC, reverse DNS, link hosts) as `--online` does."),
      PolicyKey(
        "classify", .list(.mapping(classifyEntry)),
        "The category of drafts that state none: the first entry that matches."),
      PolicyKey(
        "custom_rules", .namedMappings(.mapping(customRule)), "Rules of the policy's own, by id (group/name)."
      ),
      PolicyKey("rules", .ruleSettings),
      PolicyKey(
        "overrides", .list(.mapping(override)),
        "Rule settings for some files and/or categories; later blocks win."),
      PolicyKey("suppress", .list(.mapping(suppression)), "Accepted findings, each with a reason."),
    ])
  }
}
