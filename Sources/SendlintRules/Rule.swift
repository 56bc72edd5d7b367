import SendlintCore
import SendlintInventory
import SendlintURL

/// A typed option value, as the policy resolved it.
public enum OptionValue: Sendable, Hashable, CustomStringConvertible {
  case string(String)
  case int(Int)
  case bool(Bool)
  case strings([String])

  public var description: String {
    switch self {
    case .string(let value): value
    case .int(let value): String(value)
    case .bool(let value): String(value)
    case .strings(let values): "[" + values.joined(separator: ", ") + "]"
    }
  }
}

/// The declaration of one rule option: the policy validates against it, `explain` documents it.
public struct OptionSpec: Sendable {
  public enum Kind: Sendable, Hashable {
    case string
    case int(ClosedRange<Int>)
    case bool
    case choice([String])
    case strings
  }

  public let name: String
  public let kind: Kind
  public let defaultValue: OptionValue
  public let help: String

  public init(name: String, kind: Kind, defaultValue: OptionValue, help: String) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.help = help
  }
}

/// A rule's option, declared once with its name, type, default and help: the rule reads its
/// value with `options[Self.option]` (typed, the default from here) and lists `option.spec` in its
/// metadata, which the policy validates against and `explain` and the schema document.
public struct RuleOption<Value: Sendable>: Sendable {
  public let spec: OptionSpec
  public let defaultValue: Value
  let decode: @Sendable (OptionValue) -> Value?
}

extension RuleOption where Value == Int {
  public init(_ name: String, default value: Int, range: ClosedRange<Int>, help: String) {
    self.init(
      spec: OptionSpec(name: name, kind: .int(range), defaultValue: .int(value), help: help),
      defaultValue: value
    ) {
      if case .int(let read) = $0 { read } else { nil }
    }
  }
}

extension RuleOption where Value == [String] {
  public init(_ name: String, default value: [String], help: String) {
    self.init(
      spec: OptionSpec(name: name, kind: .strings, defaultValue: .strings(value), help: help),
      defaultValue: value
    ) {
      if case .strings(let read) = $0 { read } else { nil }
    }
  }
}

extension RuleOption where Value == Bool {
  public init(_ name: String, default value: Bool, help: String) {
    self.init(
      spec: OptionSpec(name: name, kind: .bool, defaultValue: .bool(value), help: help), defaultValue: value
    ) {
      if case .bool(let read) = $0 { read } else { nil }
    }
  }
}

extension RuleOption where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
  /// A choice among the cases of `Value`, written as their raw values.
  public init(_ name: String, default value: Value, help: String) {
    self.init(
      spec: OptionSpec(
        name: name, kind: .choice(Value.allCases.map(\.rawValue)), defaultValue: .string(value.rawValue),
        help: help),
      defaultValue: value
    ) {
      if case .string(let read) = $0 { Value(rawValue: read) } else { nil }
    }
  }
}

/// Option values for one rule, defaults filled in by the policy.
public struct RuleOptions: Sendable {
  public let values: [String: OptionValue]
  public init(_ values: [String: OptionValue] = [:]) { self.values = values }

  /// The value of `option`: the policy's (validated against `option.spec` when it loaded), else
  /// the option's one default.
  public subscript<Value>(_ option: RuleOption<Value>) -> Value {
    values[option.spec.name].flatMap(option.decode) ?? option.defaultValue
  }

}

/// A vendor that sends or hosts for the brand.
public struct Vendor: Sendable {
  public let name: String
  public let sendingIPs: [CIDR]
  /// Brand hosts the vendor operates (e.g. `email.contoso.com`).
  public let hosts: [String]
  /// Categories the vendor may send; empty means all.
  public let categories: [String]

  public init(name: String, sendingIPs: [CIDR], hosts: [String], categories: [String]) {
    self.name = name
    self.sendingIPs = sendingIPs
    self.hosts = hosts.map(HostName.normalise)
    self.categories = categories
  }

  public func isAuthorised(for category: String?) -> Bool {
    categories.isEmpty || category.map(categories.contains) ?? false
  }
}

/// Facts about the brand from the policy: what "genuine mail from us" means.
public struct BrandFacts: Sendable {
  public var name: String?
  /// Registrable domains the brand owns.
  public var domains: [String] = []
  /// Exact domains allowed in From / Return-Path / DKIM d=.
  public var sendingDomains: [String] = []
  /// Brand-operated click-tracking hosts.
  public var trackingDomains: [String] = []
  public var sendingIPs: [CIDR] = []
  public var vendors: [Vendor] = []
  public var postalAddress: String?
  /// Third-party hosts the brand accepts in links and images (a payment provider, a CDN).
  public var allowedHosts: [String] = []

  public init() {}

  /// Exact match against `sending_domains` (a vendor subdomain must be listed itself).
  public func isSendingDomain(_ domain: String) -> Bool {
    sendingDomains.contains { HostName.normalise($0) == HostName.normalise(domain) }
  }

  /// The vendor operating a brand host, if any.
  public func vendor(operating host: String) -> Vendor? {
    vendors.first { $0.hosts.contains { HostName.normalise($0) == HostName.normalise(host) } }
  }

  public func isAllowed(_ host: String) -> Bool {
    allowedHosts.contains { HostName.host(host, isWithin: $0) }
  }

  /// Whether the policy says anything about sending infrastructure.
  public var knowsSendingInfrastructure: Bool {
    !sendingIPs.isEmpty || vendors.contains { !$0.sendingIPs.isEmpty }
  }

  public func isTrackingDomain(_ host: String) -> Bool {
    trackingDomains.contains { HostName.normalise($0) == HostName.normalise(host) }
  }

  public func isOwned(_ host: String) -> Bool {
    domains.contains { HostName.host(host, isWithin: $0) }
  }
}

/// What a rule knows besides the inventory.
public struct RuleContext: Sendable {
  public let brand: BrandFacts
  /// The draft's category after classification; nil when unknown.
  public let category: String?
  public let suffixes: PublicSuffixList?
  public let finder: TextURLFinder

  public init(
    brand: BrandFacts, category: String?, suffixes: PublicSuffixList? = PublicSuffixList.shared,
    finder: TextURLFinder = TextURLFinder()
  ) {
    self.brand = brand
    self.category = category
    self.suffixes = suffixes
    self.finder = finder
  }
}

/// One occurrence a rule found. The policy turns it into a finding with a severity.
public struct Hit: Sendable {
  public let range: SourceRange?
  public let message: String
  public let help: String?
  /// Normalised evidence for the fingerprint: what, not where.
  public let evidence: String
  /// Named values a policy's message override may use (`{{host}}`).
  public let placeholders: [String: String]

  public init(
    range: SourceRange?, message: String, help: String?, evidence: String,
    placeholders: [String: String] = [:]
  ) {
    self.range = range
    self.message = message
    self.help = help
    self.evidence = evidence
    self.placeholders = placeholders
  }
}

/// The texts of a rule's hits made once per key and shared by every hit with that key: a draft
/// repeats a defect (one off-brand host or one `http:` URL behind thousands of links), and each
/// hit rendering its message, help, evidence and placeholders anew held a copy of each per
/// occurrence until the report aggregated them. The key must determine every text.
public struct SharedHitTexts {
  private var made: [String: Hit] = [:]

  public init() {}

  /// A hit at `range` with the texts made for `key`, making them with `make` (whose range is
  /// ignored) the first time.
  public mutating func hit(at range: SourceRange?, key: String, _ make: () -> Hit) -> Hit {
    let texts: Hit
    if let existing = made[key] {
      texts = existing
    } else {
      texts = make()
      made[key] = texts
    }
    return Hit(
      range: range, message: texts.message, help: texts.help, evidence: texts.evidence,
      placeholders: texts.placeholders)
  }
}

/// A draft used as a documentation example and as a test. Text marked `«` is where the rule must
/// hit (the marker is removed before linting); a clean example must produce no hit.
public struct RuleExample: Sendable {
  public enum Draft: Sendable {
    /// A bare HTML template.
    case html(String)
    /// A bare text template.
    case text(String)
    /// A raw message.
    case eml(String)
    /// A campaign manifest with optional templates (`body.html`, `body.txt`).
    case campaign(manifest: String, html: String?, text: String?)
  }

  public let title: String
  public let flagged: Bool
  public let draft: Draft
  /// Extra policy YAML merged over the examples' brand (Contoso).
  public let policy: String?
  public let category: String?
  /// When set, a flagged example's hit must carry exactly this message (before escaping).
  public let message: String?
  /// Where the example is written (`#fileID`, `#line`): a failing example points at itself.
  public let fileID: String
  public let line: Int

  public init(
    _ title: String, flagged: Bool, _ draft: Draft, policy: String? = nil, category: String? = nil,
    message: String? = nil,
    fileID: String = #fileID, line: Int = #line
  ) {
    self.title = title
    self.flagged = flagged
    self.draft = draft
    self.policy = policy
    self.category = category
    self.message = message
    self.fileID = fileID
    self.line = line
  }

  /// The brand every example is judged against unless it adds to it.
  public static let examplePolicy = """
    version: 1
    brand:
      name: Contoso
      domains: [contoso.com]
      sending_domains: [contoso.com, news.contoso.com]
      tracking_domains: [click.contoso.com]
      sending_ips: [203.0.113.0/24]
      vendors:
        - { name: Acme ESP, sending_ips: [198.51.100.0/24], hosts: [email.contoso.com], categories: [marketing] }
    categories: [marketing, transactional, security-notice]
    """
}

/// A rule's documentation and identity: the single source for `explain`, `rules`, SARIF and tests.
public struct RuleMetadata: Sendable {
  public let id: String
  public let summary: String
  public let defaultSeverity: Severity
  /// Default severities that differ by category (`tracking/pixel` is an error in security notices).
  public let categorySeverities: [String: Severity]
  public let whatItDoes: String
  public let whyIsThisBad: String
  public let example: String
  public let useInstead: String
  public let references: [String]
  public let options: [OptionSpec]
  public let examples: [RuleExample]
  /// Named values a policy's `message` override may use, besides `{{message}}` and `{{rule}}`.
  public let placeholders: [String]
  public let tags: [String]
  /// What the rule needs to say anything, for `--verbose` and documentation.
  public let needs: String?

  public init(
    id: String, summary: String, defaultSeverity: Severity, categorySeverities: [String: Severity] = [:],
    whatItDoes: String, whyIsThisBad: String, example: String, useInstead: String, references: [String],
    options: [OptionSpec] = [], examples: [RuleExample] = [], placeholders: [String] = [],
    tags: [String] = [], needs: String? = nil
  ) {
    self.id = id
    self.summary = summary
    self.defaultSeverity = defaultSeverity
    self.categorySeverities = categorySeverities
    self.whatItDoes = whatItDoes
    self.whyIsThisBad = whyIsThisBad
    self.example = example
    self.useInstead = useInstead
    self.references = references
    self.options = options
    self.examples = examples
    self.placeholders = placeholders
    self.tags = tags
    self.needs = needs
  }

  /// The severity when the policy says nothing about this rule.
  public func defaultSeverity(for category: String?) -> Severity {
    category.flatMap { categorySeverities[$0] } ?? defaultSeverity
  }

  /// The rule's documentation as Markdown with the fixed headings.
  public var markdown: String {
    var text = "# \(id)\n\n\(summary)\n\n"
    text += "Default severity: **\(defaultSeverity.rawValue)**"
    if !categorySeverities.isEmpty {
      text +=
        " ("
        + categorySeverities.sorted { $0.key < $1.key }.map { "\($0.value.rawValue) in \($0.key)" }.joined(
          separator: ", ") + ")"
    }
    text += "\n\n## What it does\n\n\(whatItDoes)\n\n## Why is this bad?\n\n\(whyIsThisBad)\n\n"
    text += "## Example\n\n\(example)\n\n## Use instead\n\n\(useInstead)\n\n"
    if !options.isEmpty {
      text += "## Options\n\n"
      for option in options {
        text += "- `\(option.name)` (default `\(option.defaultValue)`): \(option.help)\n"
      }
      text += "\n"
    }
    if !placeholders.isEmpty {
      text +=
        "## Message placeholders\n\n"
        + (["message", "rule"] + placeholders).map { "`{{\($0)}}`" }.joined(separator: ", ") + "\n\n"
    }
    if let needs { text += "## Needs\n\n\(needs)\n\n" }
    text += "## References\n\n" + references.map { "- \($0)" }.joined(separator: "\n") + "\n"
    return text
  }
}

/// A built-in rule: metadata plus a pure check.
public protocol Rule: Sendable {
  /// The rule's documentation and identity.
  static var metadata: RuleMetadata { get }
  /// Creates the rule with options the policy validated against `metadata.options`.
  init(options: RuleOptions)
  /// Pure: no I/O, no clock, no globals. Never decides severity.
  func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit]
}
