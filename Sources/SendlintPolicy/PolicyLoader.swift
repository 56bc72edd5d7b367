import Foundation
import SendlintCore
import SendlintRules
import SendlintURL
import SendlintYAML

/// Loads `.sendlint.yaml` files and built-in packs into a `ResolvedPolicy`.
///
/// Every layer is read strictly: unknown keys, wrong types, bad CIDRs, unknown rules, packs,
/// options and categories are diagnostics with `file:line:col`, the line and a suggestion. All
/// diagnostics are collected before the loader gives up.
public struct PolicyLoader {
  /// The file name searched for upwards from each draft.
  public static let fileNames = [".sendlint.yaml", ".sendlint.yml"]
  /// The pack used when no policy file is found.
  public static let defaultPack = "recommended"

  static let topKeys = ["version", "extends", "brand", "categories", "classify", "rules"]
  static let brandKeys = ["name", "domains", "sending_domains", "tracking_domains", "sending_ips", "vendors", "postal_address", "allowed_hosts"]
  static let vendorKeys = ["name", "sending_ips", "hosts", "categories"]
  static let ruleKeys = ["severity", "options", "categories"]
  static let classifyKeys = ["files", "subject", "category"]

  /// Names of the built-in packs.
  public static var packNames: [String] { builtinPackSources.keys.sorted() }

  /// The YAML of a built-in pack.
  public static func packSource(_ name: String) -> String? { builtinPackSources[name] }

  private var diagnostics: [Diagnostic] = []
  /// Category references to check once all layers are merged.
  private var categoryReferences: [(name: String, position: SourcePosition?, file: SourceFile, what: String)] = []
  private var policy: ResolvedPolicy
  private let displayPath: (String) -> String

  private init(path: String?, directory: String, displayPath: @escaping (String) -> String) {
    policy = ResolvedPolicy(path: path, directory: directory)
    self.displayPath = displayPath
  }

  /// Loads the policy at `path` (absolute or relative to the working directory).
  public static func load(path: String, displayPath: @escaping (String) -> String = { $0 }) -> Result<ResolvedPolicy, DiagnosticList> {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    var loader = PolicyLoader(path: absolute, directory: (absolute as NSString).deletingLastPathComponent, displayPath: displayPath)
    guard let data = FileManager.default.contents(atPath: absolute) else {
      return .failure(DiagnosticList([Diagnostic(code: "policy/not-found", message: "cannot read policy file \(displayPath(absolute))", help: "check the path given to --policy", path: displayPath(absolute))]))
    }
    loader.loadLayer(SourceFile(path: displayPath(absolute), bytes: Array(data)), absolutePath: absolute, chain: [absolute])
    return loader.finish()
  }

  /// The policy used when none is found: the recommended pack, no brand facts.
  public static func builtinDefault(directory: String) -> ResolvedPolicy {
    var loader = PolicyLoader(path: nil, directory: directory, displayPath: { $0 })
    if let source = builtinPackSources[defaultPack] {
      loader.loadLayer(SourceFile(path: "sendlint:\(defaultPack)", text: source), absolutePath: "sendlint:\(defaultPack)", chain: ["sendlint:\(defaultPack)"])
    }
    return (try? loader.finish().get()) ?? ResolvedPolicy(path: nil, directory: directory)
  }

  /// Loads a policy given as text (tests, rule examples).
  public static func load(text: String, path: String, directory: String) -> Result<ResolvedPolicy, DiagnosticList> {
    var loader = PolicyLoader(path: path, directory: directory, displayPath: { $0 })
    loader.loadLayer(SourceFile(path: path, text: text), absolutePath: path, chain: [path])
    return loader.finish()
  }

  /// Finds the nearest policy file above `directory`, stopping at a repository root (a folder
  /// with `.git`).
  public static func discover(from directory: String) -> String? {
    var current = URL(fileURLWithPath: directory).standardizedFileURL
    while true {
      for name in fileNames {
        let candidate = current.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: candidate) { return candidate }
      }
      if FileManager.default.fileExists(atPath: current.appendingPathComponent(".git").path) { return nil }
      let parent = current.deletingLastPathComponent()
      if parent.path == current.path { return nil }
      current = parent
    }
  }

  private mutating func finish() -> Result<ResolvedPolicy, DiagnosticList> {
    let declared = Set(policy.categories)
    for reference in categoryReferences where !declared.contains(reference.name) {
      let suggestion = Suggestion.nearest(to: reference.name, in: policy.categories)
      diagnostics.append(Diagnostic(
        code: "policy/unknown-category",
        message: "unknown category \"\(reference.name)\" in \(reference.what)",
        help: suggestion.map { "did you mean \"\($0)\"?" }
          ?? (policy.categories.isEmpty ? "declare it under `categories:`" : "declared categories: \(policy.categories.joined(separator: ", ")); add it to `categories:` to use it"),
        path: reference.file.path, position: reference.position, sourceLine: reference.position.map { reference.file.lineText($0.line) }))
    }
    if !diagnostics.isEmpty { return .failure(DiagnosticList(diagnostics)) }
    return .success(policy)
  }

  // MARK: Layers

  private mutating func loadLayer(_ file: SourceFile, absolutePath: String, chain: [String]) {
    var reader = YAMLReader(file: file, codePrefix: "policy")
    defer { diagnostics += reader.diagnostics }
    guard let root = reader.root() else { return }
    let entries = reader.mapping(root, allowed: Self.topKeys, context: "the policy")
    let directory = absolutePath.hasPrefix("sendlint:") ? policy.directory : (absolutePath as NSString).deletingLastPathComponent

    // `extends` first, so that this file's values override what it extends.
    if let extends = entries.first(where: { $0.key == "extends" }) {
      for (reference, node) in reader.strings(extends.value, context: "extends") {
        loadExtension(reference, node: node, reader: &reader, directory: directory, chain: chain)
      }
    }
    policy.layers.append(file.path)
    for (key, _, value) in entries {
      switch key {
      case "version":
        if let version = reader.string(value, context: "version"), version != "1" {
          reader.report("unsupported-version", "policy version \(version) is not supported", at: value, help: "this sendlint reads `version: 1`")
        }
      case "extends": break
      case "brand": readBrand(value, reader: &reader)
      case "categories":
        for (name, _) in reader.strings(value, context: "categories") where !policy.categories.contains(name) {
          policy.categories.append(name)
        }
      case "classify": readClassify(value, reader: &reader, directory: directory)
      case "rules": readRules(value, reader: &reader)
      default: break
      }
    }
  }

  private mutating func loadExtension(_ reference: String, node: YAMLNode, reader: inout YAMLReader, directory: String, chain: [String]) {
    if reference.hasPrefix("sendlint:") {
      let name = String(reference.dropFirst("sendlint:".count))
      guard let source = builtinPackSources[name] else {
        let suggestion = Suggestion.nearest(to: name, in: Self.packNames)
        reader.report("unknown-pack", "unknown built-in pack \"\(reference)\"", at: node, help: suggestion.map { "did you mean \"sendlint:\($0)\"?" } ?? "built-in packs: \(Self.packNames.map { "sendlint:\($0)" }.joined(separator: ", "))")
        return
      }
      guard !chain.contains(reference) else {
        reader.report("extends-cycle", "extends cycle: \((chain + [reference]).map(displayPath).joined(separator: " → "))", at: node, help: "remove one of the extends entries")
        return
      }
      loadLayer(SourceFile(path: reference, text: source), absolutePath: reference, chain: chain + [reference])
      return
    }
    let absolute = URL(fileURLWithPath: reference, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
    guard !chain.contains(absolute) else {
      reader.report("extends-cycle", "extends cycle: \((chain + [absolute]).map(displayPath).joined(separator: " → "))", at: node, help: "remove one of the extends entries so that no policy extends itself")
      return
    }
    guard let data = FileManager.default.contents(atPath: absolute) else {
      reader.report("extends-not-found", "extends \"\(reference)\": no such file \(displayPath(absolute))", at: node, help: "paths are relative to the policy that declares them; built-in packs are written sendlint:NAME")
      return
    }
    loadLayer(SourceFile(path: displayPath(absolute), bytes: Array(data)), absolutePath: absolute, chain: chain + [absolute])
  }

  private mutating func readBrand(_ node: YAMLNode, reader: inout YAMLReader) {
    for (key, _, value) in reader.mapping(node, allowed: Self.brandKeys, context: "brand") {
      switch key {
      case "name": policy.brand.name = reader.string(value, context: "brand.name")
      case "postal_address": policy.brand.postalAddress = reader.string(value, context: "brand.postal_address")
      case "domains": policy.brand.domains = merge(policy.brand.domains, domains(value, "brand.domains", &reader))
      case "sending_domains": policy.brand.sendingDomains = merge(policy.brand.sendingDomains, domains(value, "brand.sending_domains", &reader))
      case "tracking_domains": policy.brand.trackingDomains = merge(policy.brand.trackingDomains, domains(value, "brand.tracking_domains", &reader))
      case "allowed_hosts": policy.brand.allowedHosts = merge(policy.brand.allowedHosts, domains(value, "brand.allowed_hosts", &reader))
      case "sending_ips": policy.brand.sendingIPs += cidrs(value, "brand.sending_ips", &reader)
      case "vendors":
        for item in reader.sequence(value, context: "brand.vendors") {
          var name: String?
          var ips: [CIDR] = []
          var hosts: [String] = []
          var categories: [String] = []
          for (vendorKey, _, vendorValue) in reader.mapping(item, allowed: Self.vendorKeys, context: "a vendor") {
            switch vendorKey {
            case "name": name = reader.string(vendorValue, context: "vendor name")
            case "sending_ips": ips = cidrs(vendorValue, "the vendor's sending_ips", &reader)
            case "hosts": hosts = domains(vendorValue, "the vendor's hosts", &reader)
            case "categories":
              for (category, categoryNode) in reader.strings(vendorValue, context: "the vendor's categories") {
                categories.append(category)
                categoryReferences.append((category, reader.position(of: categoryNode), reader.file, "the categories of vendor \(name ?? "")"))
              }
            default: break
            }
          }
          guard let name else {
            reader.report("missing-key", "a vendor needs a name", at: item, help: "add `name: VENDOR` so findings can say whose range an IP is in")
            continue
          }
          policy.brand.vendors.append(Vendor(name: name, sendingIPs: ips, hosts: hosts, categories: categories))
        }
      default: break
      }
    }
  }

  private func merge(_ existing: [String], _ more: [String]) -> [String] {
    existing + more.filter { !existing.contains($0) }
  }

  private func domains(_ node: YAMLNode, _ context: String, _ reader: inout YAMLReader) -> [String] {
    var result: [String] = []
    for (value, item) in reader.strings(node, context: context) {
      let trimmed = HostName.normalise(value)
      if trimmed.contains("/") || trimmed.contains(":") || trimmed.contains("@") || trimmed.contains(" ") {
        reader.report("bad-domain", "\"\(value)\" in \(context) is not a domain name", at: item, help: "write a bare domain such as contoso.com, without scheme, path or address")
        continue
      }
      guard let ascii = IDNA.toASCII(trimmed) else {
        reader.report("bad-domain", "\"\(value)\" in \(context) is not a valid domain name (UTS #46)", at: item)
        continue
      }
      result.append(ascii)
    }
    return result
  }

  private func cidrs(_ node: YAMLNode, _ context: String, _ reader: inout YAMLReader) -> [CIDR] {
    var result: [CIDR] = []
    for (value, item) in reader.strings(node, context: context) {
      guard let cidr = CIDR(value) else {
        reader.report("bad-cidr", "\"\(value)\" in \(context) is not an IPv4 or IPv6 address or address block", at: item, help: "write an address with an optional prefix length, e.g. 203.0.113.0/24 or 2001:db8::/32")
        continue
      }
      result.append(cidr)
    }
    return result
  }

  private mutating func readClassify(_ node: YAMLNode, reader: inout YAMLReader, directory: String) {
    var entries: [ClassifyEntry] = []
    for item in reader.sequence(node, context: "classify") {
      var files: [Glob] = []
      var subject: Regex<AnyRegexOutput>?
      var pattern: String?
      var category: String?
      for (key, _, value) in reader.mapping(item, allowed: Self.classifyKeys, context: "a classify entry") {
        switch key {
        case "files": files = reader.strings(value, context: "classify files").map { Glob($0.value) }
        case "subject":
          pattern = reader.string(value, context: "classify subject")
          if let pattern {
            do { subject = try Regex(pattern) } catch {
              reader.report("bad-regex", "classify subject \"\(pattern)\" is not a valid regular expression: \(error)", at: value)
            }
          }
        case "category":
          category = reader.string(value, context: "classify category")
          if let category { categoryReferences.append((category, reader.position(of: value), reader.file, "classify")) }
        default: break
        }
      }
      guard let category else {
        reader.report("missing-key", "a classify entry needs a category", at: item, help: "add `category: NAME`")
        continue
      }
      if files.isEmpty, pattern == nil {
        reader.report("missing-key", "a classify entry needs `files` or `subject` to match drafts", at: item)
        continue
      }
      entries.append(ClassifyEntry(files: files, subject: subject, subjectPattern: pattern, category: category, baseDirectory: directory))
    }
    // Later layers are more specific: their entries are tried first.
    policy.classify = entries + policy.classify
  }

  private mutating func readRules(_ node: YAMLNode, reader: inout YAMLReader) {
    for (id, keyNode, value) in reader.openMapping(node, context: "rules") {
      guard let metadata = RuleRegistry.metadata(for: id) else {
        let suggestion = Suggestion.nearest(to: id, in: RuleRegistry.ids)
        reader.report("unknown-rule", "unknown rule \"\(id)\"", at: keyNode, help: suggestion.map { "did you mean \"\($0)\"?" } ?? "`sendlint rules` lists every rule")
        continue
      }
      var setting = policy.rules[id] ?? RuleSetting()
      let source = "\(reader.file.path):\(reader.position(of: value)?.line ?? 0)"
      switch value {
      case .scalar:
        if let severity = severity(value, reader: &reader) {
          setting.severity = severity
          setting.source = source
        }
      default:
        for (key, _, field) in reader.mapping(value, allowed: Self.ruleKeys, context: "rule \(id)") {
          switch key {
          case "severity":
            if let severity = severity(field, reader: &reader) {
              setting.severity = severity
              setting.source = source
            }
          case "categories":
            var categories: [String] = []
            for (category, categoryNode) in reader.strings(field, context: "rule \(id) categories") {
              categories.append(category)
              categoryReferences.append((category, reader.position(of: categoryNode), reader.file, "rule \(id)"))
            }
            setting.categories = categories
          case "options":
            for (name, optionKey, optionValue) in reader.openMapping(field, context: "options of \(id)") {
              guard let spec = metadata.options.first(where: { $0.name == name }) else {
                let names = metadata.options.map(\.name)
                reader.report("unknown-option", "rule \(id) has no option \"\(name)\"", at: optionKey, help: Suggestion.nearest(to: name, in: names).map { "did you mean \"\($0)\"?" } ?? (names.isEmpty ? "\(id) takes no options" : "options: \(names.joined(separator: ", "))"))
                continue
              }
              if let parsed = option(optionValue, spec: spec, rule: id, reader: &reader) { setting.options[name] = parsed }
            }
          default: break
          }
        }
      }
      policy.rules[id] = setting
    }
  }

  private func severity(_ node: YAMLNode, reader: inout YAMLReader) -> Severity? {
    guard let text = reader.string(node, context: "a severity") else { return nil }
    guard let severity = Severity(policyValue: text) else {
      let suggestion = Suggestion.nearest(to: text, in: ["error", "warning", "info", "off"])
      reader.report("bad-severity", "\"\(text)\" is not a severity", at: node, help: suggestion.map { "did you mean \"\($0)\"? Severities are error, warning, info and off" } ?? "severities are error, warning, info and off")
      return nil
    }
    return severity
  }

  private func option(_ node: YAMLNode, spec: OptionSpec, rule: String, reader: inout YAMLReader) -> OptionValue? {
    let context = "option \(spec.name) of \(rule)"
    switch spec.kind {
    case .string:
      return reader.string(node, context: context).map(OptionValue.string)
    case .bool:
      return reader.bool(node, context: context).map(OptionValue.bool)
    case .int(let range):
      guard let value = reader.integer(node, context: context) else { return nil }
      guard range.contains(value) else {
        reader.report("bad-option", "\(context) must be between \(range.lowerBound) and \(range.upperBound), not \(value)", at: node)
        return nil
      }
      return .int(value)
    case .choice(let choices):
      guard let value = reader.string(node, context: context) else { return nil }
      guard choices.contains(value) else {
        reader.report("bad-option", "\(context) must be one of \(choices.joined(separator: ", ")), not \"\(value)\"", at: node, help: Suggestion.nearest(to: value, in: choices).map { "did you mean \"\($0)\"?" })
        return nil
      }
      return .string(value)
    case .strings:
      return .strings(reader.strings(node, context: context).map(\.value))
    }
  }
}
