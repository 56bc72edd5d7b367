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

  // Key lists, read from `PolicyDefinition` (which the JSON Schema is generated from too).
  public static var topKeys: [String] { PolicyDefinition.top.names }
  public static var brandKeys: [String] { PolicyDefinition.brand.names }
  public static var vendorKeys: [String] { PolicyDefinition.vendor.names }
  static var ruleKeys: [String] { PolicyDefinition.ruleSetting.names }
  public static var overrideKeys: [String] { PolicyDefinition.override.names }
  public static var suppressKeys: [String] { PolicyDefinition.suppression.names }
  public static var customRuleKinds: [String] { PolicyDefinition.customRuleKindKeys.map(\.value) }
  static var classifyKeys: [String] { PolicyDefinition.classifyEntry.names }

  /// Policies larger than this are refused: a policy is a page of facts and rules, and a hostile
  /// one of 100 MB would take minutes to compose.
  public static let maximumPolicyBytes = 1024 * 1024
  /// At most this many policy files are loaded through `extends` (each file once).
  public static let maximumLayers = 64
  /// Diagnostics shown per policy file; the rest are counted in one closing diagnostic.
  public static let maximumDiagnosticsPerFile = 50

  /// Names of the built-in packs.
  public static var packNames: [String] { builtinPackSources.keys.sorted() }

  private var diagnostics: [Diagnostic] = []
  /// Category references to check once all layers are merged.
  private var categoryReferences:
    [(name: String, position: SourcePosition?, file: SourceFile, what: String)] = []
  private var policy: ResolvedPolicy
  private let displayPath: (String) -> String
  /// What `extends` may reach.
  private let confinement: PathConfinement?
  /// Real paths of the files already loaded: a diamond of `extends` loads each file once.
  private var loaded: Set<String> = []
  /// For a policy given as bytes: supplies each `extends` file by its reference as written, in
  /// place of the file system (nil: `extends` reads files through `confinement`).
  private var resolver: ((String) throws -> [UInt8])?

  private init(
    path: String?, directory: String, displayPath: @escaping (String) -> String,
    confinement: PathConfinement? = nil
  ) {
    policy = ResolvedPolicy(path: path, directory: directory)
    self.displayPath = displayPath
    self.confinement = confinement
  }

  /// Loads the policy at `path` (absolute or relative to the working directory).
  ///
  /// `confinement` says what the policy and its `extends` may read; by default the repository
  /// root of the working directory plus the tree of `path` (a path the caller names is allowed).
  /// Throws every problem found, each a diagnostic with its location (the CLI exits 2).
  public static func load(
    path: String, displayPath: @escaping (String) -> String = { $0 }, confinement: PathConfinement? = nil
  ) throws(DiagnosticList) -> ResolvedPolicy {
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    let confinement =
      confinement
      ?? PathConfinement(
        workingDirectory: FileManager.default.currentDirectoryPath, explicitPaths: [absolute])
    var loader = PolicyLoader(
      path: absolute, directory: (absolute as NSString).deletingLastPathComponent, displayPath: displayPath,
      confinement: confinement)
    switch confinement.read(absolute, maximumBytes: maximumPolicyBytes) {
    case .success(let read):
      loader.loaded.insert(read.realPath)
      loader.loadLayer(
        SourceFile(path: displayPath(absolute), bytes: read.bytes), absolutePath: absolute, chain: [absolute])
    case .failure(let refusal):
      let code =
        refusal == .missing
        ? "policy/not-found" : (refusal.isLimit ? "policy/limit-exceeded" : "policy/refused-path")
      throw DiagnosticList([
        Diagnostic(
          code: code,
          message: "cannot read policy file: "
            + refusal.message(displayPath(absolute), root: confinement.root),
          help: refusal == .missing ? "check the path given to --policy" : refusal.help,
          path: displayPath(absolute))
      ])
    }
    return try loader.finish()
  }

  /// The policy used when none is found: the recommended pack, no brand facts.
  public static func builtinDefault(directory: String) -> ResolvedPolicy {
    var loader = PolicyLoader(path: nil, directory: directory, displayPath: { $0 })
    if let source = builtinPackSources[defaultPack] {
      loader.loadLayer(
        SourceFile(path: "sendlint:\(defaultPack)", text: source), absolutePath: "sendlint:\(defaultPack)",
        chain: ["sendlint:\(defaultPack)"])
    }
    return (try? loader.finish()) ?? ResolvedPolicy(path: nil, directory: directory)
  }

  /// Loads a policy given as bytes (a library caller, a server): `name` is the path its messages
  /// print; each `extends` that is not a built-in pack is asked of `resolver` by its reference as
  /// written (nested ones too), and nothing is read from the file system. A resolver that throws
  /// is an `policy/extends-not-found` diagnostic quoting its error; the same size, layer and
  /// cycle limits apply as to files. Throws every problem found, as `load(path:)` does.
  public static func load(
    bytes: [UInt8], name: String, directory: String, resolver: @escaping (String) throws -> [UInt8]
  ) throws(DiagnosticList) -> ResolvedPolicy {
    guard bytes.count <= maximumPolicyBytes else {
      throw DiagnosticList([
        Diagnostic(
          code: "policy/limit-exceeded",
          message:
            "policy \(name.escapedForDisplay) is \(bytes.count) bytes, over the \(maximumPolicyBytes / 1024) KiB limit; it was not read",
          help: "a policy is a page of facts and rules; split it or remove what is not policy", path: name)
      ])
    }
    var loader = PolicyLoader(path: name, directory: directory, displayPath: { $0 })
    loader.resolver = resolver
    loader.loaded.insert(name)
    loader.loadLayer(SourceFile(path: name, bytes: bytes), absolutePath: name, chain: [name])
    return try loader.finish()
  }

  /// Loads a policy given as text (tests, rule examples); throws every problem found.
  public static func load(text: String, path: String, directory: String) throws(DiagnosticList)
    -> ResolvedPolicy
  {
    var loader = PolicyLoader(path: path, directory: directory, displayPath: { $0 })
    loader.loadLayer(SourceFile(path: path, text: text), absolutePath: path, chain: [path])
    return try loader.finish()
  }

  /// Finds the nearest policy file above `directory`, stopping at a repository root (a folder
  /// with `.git`) and never leaving the trees `confinement` allows (by default the repository
  /// root of the working directory, plus `directory`'s own tree when it lies outside it).
  public static func discover(from directory: String, within confinement: PathConfinement? = nil) -> String? {
    var current = URL(fileURLWithPath: directory).standardizedFileURL
    let confinement =
      confinement
      ?? PathConfinement(
        workingDirectory: FileManager.default.currentDirectoryPath, explicitPaths: [current.path])
    let real = PathConfinement.realPath(current.path) ?? current.path
    guard let tree = confinement.trees.first(where: { PathConfinement.isInside(real, $0) }) else {
      return nil
    }
    // Walk the lexical path, but stop at the allowed tree's top: a draft's folder is inside it.
    var depth = real.split(separator: "/").count - tree.split(separator: "/").count
    while depth >= 0 {
      for name in fileNames {
        let candidate = current.appendingPathComponent(name).path
        var status = stat()
        // lstat: a link is found here and judged (refused if it points out) when loaded.
        if lstat(candidate, &status) == 0 { return candidate }
      }
      var status = stat()
      if lstat(current.appendingPathComponent(".git").path, &status) == 0 { return nil }
      let parent = current.deletingLastPathComponent()
      if parent.path == current.path { return nil }
      current = parent
      depth -= 1
    }
    return nil
  }

  private mutating func finish() throws(DiagnosticList) -> ResolvedPolicy {
    let declared = Set(policy.categories)
    for reference in categoryReferences where !declared.contains(reference.name) {
      let suggestion = Suggestion.nearest(to: reference.name, in: policy.categories)
      diagnostics.append(
        Diagnostic(
          code: "policy/unknown-category",
          message: "unknown category \"\(reference.name)\" in \(reference.what)",
          help: suggestion.map { "did you mean \"\($0)\"?" }
            ?? (policy.categories.isEmpty
              ? "declare it under `categories:`"
              : "declared categories: \(policy.categories.joined(separator: ", ")); add it to `categories:` to use it"),
          path: reference.file.path, position: reference.position,
          sourceLine: reference.position.map { reference.file.lineText($0.line) }))
    }
    if !diagnostics.isEmpty { throw DiagnosticList(Self.capped(diagnostics)) }
    return policy
  }

  /// The first `maximumDiagnosticsPerFile` diagnostics of each file, then one saying how many
  /// more there were: a hostile policy with 200,000 errors must not print them all.
  static func capped(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    var shown: [String: Int] = [:]
    var hidden: [(path: String, count: Int)] = []
    var result: [Diagnostic] = []
    for diagnostic in diagnostics {
      let count = shown[diagnostic.path, default: 0]
      shown[diagnostic.path] = count + 1
      if count < maximumDiagnosticsPerFile {
        result.append(diagnostic)
      } else if let index = hidden.firstIndex(where: { $0.path == diagnostic.path }) {
        hidden[index].count += 1
      } else {
        hidden.append((diagnostic.path, 1))
      }
    }
    for (path, count) in hidden {
      result.append(
        Diagnostic(
          code: "policy/limit-exceeded",
          message: "…and \(count) more error\(count == 1 ? "" : "s") in \(path), not shown",
          help: "fix the errors above first; at most \(maximumDiagnosticsPerFile) are shown per file",
          path: path))
    }
    return result
  }

  // MARK: Layers

  private mutating func loadLayer(_ file: SourceFile, absolutePath: String, chain: [String]) {
    var reader = YAMLReader(file: file, codePrefix: "policy")
    defer { diagnostics += reader.diagnostics }
    let syntaxErrors = reader.diagnostics.count
    let root = reader.root()
    // An empty file, one with only comments, or a bare scalar (`~`, `hi`) would load as a policy
    // with no brand facts and no rules: a CI gate that checks nothing yet says "valid".
    if reader.diagnostics.count == syntaxErrors,
      root.map({ if case .scalar = $0 { true } else { false } }) ?? true
    {
      reader.report(
        "empty", "policy file \"\(file.path)\" has no settings (it is empty, only comments or a bare value)",
        at: SourcePosition(line: 1, column: 1),
        help: "start from `sendlint init`, which writes a commented starter policy with brand facts and rules"
      )
      return
    }
    guard let root else { return }
    let entries = reader.mapping(root, allowed: Self.topKeys, context: "the policy")
    let directory =
      absolutePath.hasPrefix("sendlint:") || resolver != nil
      ? policy.directory : (absolutePath as NSString).deletingLastPathComponent

    // `extends` first, so that this file's values override what it extends.
    if let extends = entries.first(where: { $0.key == "extends" }) {
      for (reference, node) in reader.strings(extends.value, context: "extends") {
        loadExtension(reference, node: node, reader: &reader, directory: directory, chain: chain)
      }
    }
    policy.layers.append(file.path)
    // In the order `PolicyDefinition.top` declares: brand facts before the custom rules that use
    // them (`list: brand.domains`), custom rules before `rules`, `overrides` and `suppress`,
    // which may name them.
    let order = Self.topKeys
    let ordered = entries.sorted {
      (order.firstIndex(of: $0.key) ?? order.count) < (order.firstIndex(of: $1.key) ?? order.count)
    }
    for (key, _, value) in ordered {
      switch key {
      case "custom_rules": readCustomRules(value, reader: &reader)
      case "overrides": readOverrides(value, reader: &reader, directory: directory)
      case "suppress": readSuppressions(value, reader: &reader, directory: directory)
      case "version":
        if let version = reader.string(value, context: "version"), version != "1" {
          reader.report(
            "unsupported-version", "policy version \(version) is not supported", at: value,
            help: "this sendlint reads `version: 1`")
        }
      case "extends": break
      case "brand": readBrand(value, reader: &reader)
      case "categories":
        for (name, _) in reader.strings(value, context: "categories") where !policy.categories.contains(name)
        {
          policy.categories.append(name)
        }
      case "classify": readClassify(value, reader: &reader, directory: directory)
      case "online": if let online = reader.bool(value, context: "online") { policy.online = online }
      case "rules": readRules(value, reader: &reader)
      default: break
      }
    }
  }

  private mutating func loadExtension(
    _ reference: String, node: YAMLNode, reader: inout YAMLReader, directory: String, chain: [String]
  ) {
    if reference.hasPrefix("sendlint:") {
      let name = String(reference.dropFirst("sendlint:".count))
      guard let source = builtinPackSources[name] else {
        let suggestion = Suggestion.nearest(to: name, in: Self.packNames)
        reader.report(
          "unknown-pack", "unknown built-in pack \"\(reference)\"", at: node,
          help: suggestion.map { "did you mean \"sendlint:\($0)\"?" }
            ?? "built-in packs: \(Self.packNames.map { "sendlint:\($0)" }.joined(separator: ", "))")
        return
      }
      guard !chain.contains(reference) else {
        reader.report(
          "extends-cycle",
          "extends cycle: \((chain + [reference]).map(displayPath).joined(separator: " → "))", at: node,
          help: "remove one of the extends entries")
        return
      }
      loadLayer(
        SourceFile(path: reference, text: source), absolutePath: reference, chain: chain + [reference])
      return
    }
    if let resolver {
      loadResolved(reference, node: node, reader: &reader, chain: chain, resolver: resolver)
      return
    }
    let absolute = URL(
      fileURLWithPath: reference, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)
    ).standardizedFileURL.path
    // Only policy files: anything else (`/etc/passwd`, a draft) would have its lines quoted in
    // syntax errors. The check is on the name as written here and on the real path below.
    guard admitsExtends(absolute, as: reference, chain: chain, show: displayPath, node: node, reader: &reader)
    else { return }
    let confinement = self.confinement ?? PathConfinement(workingDirectory: directory)
    if case .success(let real) = confinement.check(absolute) {
      let realLowered = real.lowercased()
      guard realLowered.hasSuffix(".yaml") || realLowered.hasSuffix(".yml") else {
        reader.report(
          "refused-path",
          "extends \"\(reference)\": a link to \(real), not a policy file (.yaml or .yml); it was not read",
          at: node, help: "extends names policy files (.yaml, .yml) or built-in packs (sendlint:NAME)")
        return
      }
      // A diamond (two layers extending one file) loads it once, at its first mention: loading it
      // again would add nothing, and n levels of diamonds would take 2^n loads.
      if loaded.contains(real) { return }
    }
    guard withinLayerLimit(reference, node: node, reader: &reader) else { return }
    switch confinement.read(absolute, maximumBytes: Self.maximumPolicyBytes) {
    case .success(let read):
      loaded.insert(read.realPath)
      loadLayer(
        SourceFile(path: displayPath(absolute), bytes: read.bytes), absolutePath: absolute,
        chain: chain + [absolute])
    case .failure(.missing):
      reader.report(
        "extends-not-found", "extends \"\(reference)\": no such file \(displayPath(absolute))", at: node,
        help: "paths are relative to the policy that declares them; built-in packs are written sendlint:NAME")
    case .failure(let refusal):
      reader.report(
        refusal.isLimit ? "limit-exceeded" : "refused-path",
        "extends " + refusal.message("\"\(reference)\"", root: confinement.root), at: node, help: refusal.help
      )
    }
  }

  /// The guards every `extends` entry passes, read from files or from a resolver: not a cycle
  /// (`key`, an absolute path or a resolver's reference, already in `chain`; shown with `show`),
  /// and a policy file by its name.
  private func admitsExtends(
    _ key: String, as reference: String, chain: [String], show: (String) -> String, node: YAMLNode,
    reader: inout YAMLReader
  ) -> Bool {
    guard !chain.contains(key) else {
      reader.report(
        "extends-cycle",
        "extends cycle: \((chain + [key]).map { show($0).escapedForDisplay }.joined(separator: " → "))",
        at: node, help: "remove one of the extends entries so that no policy extends itself")
      return false
    }
    let lowered = key.lowercased()
    guard lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml") else {
      reader.report(
        "refused-path",
        "extends \"\(reference.escapedForDisplay)\": not a policy file (.yaml or .yml); it was not read",
        at: node, help: "extends names policy files (.yaml, .yml) or built-in packs (sendlint:NAME)")
      return false
    }
    return true
  }

  /// At most `maximumLayers` policy files through `extends`.
  private func withinLayerLimit(_ reference: String, node: YAMLNode, reader: inout YAMLReader) -> Bool {
    guard loaded.count < Self.maximumLayers else {
      reader.report(
        "limit-exceeded",
        "extends \"\(reference.escapedForDisplay)\": more than \(Self.maximumLayers) policy files; it was not read",
        at: node, help: "a policy may build on at most \(Self.maximumLayers) files through extends")
      return false
    }
    return true
  }

  /// `extends` of a policy given as bytes: the reference as written is the resolver's key and the
  /// layer's name; no path is made of it and no file is read.
  private mutating func loadResolved(
    _ reference: String, node: YAMLNode, reader: inout YAMLReader, chain: [String],
    resolver: (String) throws -> [UInt8]
  ) {
    let shown = reference.escapedForDisplay
    // The same guards as for files (`loadLayer(extending:)`), on the reference as written.
    guard admitsExtends(reference, as: reference, chain: chain, show: { $0 }, node: node, reader: &reader)
    else { return }
    if loaded.contains(reference) { return }
    guard withinLayerLimit(reference, node: node, reader: &reader) else { return }
    let bytes: [UInt8]
    do { bytes = try resolver(reference) } catch {
      reader.report(
        "extends-not-found",
        "extends \"\(shown)\": the resolver could not supply it: \(String(describing: error).escapedForDisplay)",
        at: node, help: "give the resolver every policy this one extends, by the name written in `extends`")
      return
    }
    guard bytes.count <= Self.maximumPolicyBytes else {
      reader.report(
        "limit-exceeded",
        "extends \"\(shown)\": \(bytes.count) bytes, over the \(Self.maximumPolicyBytes / 1024) KiB limit for a policy; it was not read",
        at: node, help: "a policy is a page of facts and rules; split it")
      return
    }
    loaded.insert(reference)
    loadLayer(SourceFile(path: reference, bytes: bytes), absolutePath: reference, chain: chain + [reference])
  }

  private mutating func readBrand(_ node: YAMLNode, reader: inout YAMLReader) {
    for (key, _, value) in reader.mapping(node, allowed: Self.brandKeys, context: "brand") {
      switch key {
      case "name": policy.brand.name = reader.string(value, context: "brand.name")
      case "postal_address":
        policy.brand.postalAddress = reader.string(value, context: "brand.postal_address")
      case "domains":
        policy.brand.domains = merge(policy.brand.domains, domains(value, "brand.domains", &reader))
      case "sending_domains":
        policy.brand.sendingDomains = merge(
          policy.brand.sendingDomains, domains(value, "brand.sending_domains", &reader))
      case "tracking_domains":
        policy.brand.trackingDomains = merge(
          policy.brand.trackingDomains, domains(value, "brand.tracking_domains", &reader))
      case "allowed_hosts":
        policy.brand.allowedHosts = merge(
          policy.brand.allowedHosts, domains(value, "brand.allowed_hosts", &reader))
      case "sending_ips": policy.brand.sendingIPs += cidrs(value, "brand.sending_ips", &reader)
      case "vendors":
        for item in reader.sequence(value, context: "brand.vendors") {
          var name: String?
          var ips: [CIDR] = []
          var hosts: [String] = []
          var categories: [String] = []
          for (vendorKey, _, vendorValue) in reader.mapping(
            item, allowed: Self.vendorKeys, context: "a vendor")
          {
            switch vendorKey {
            case "name": name = reader.string(vendorValue, context: "vendor name")
            case "sending_ips": ips = cidrs(vendorValue, "the vendor's sending_ips", &reader)
            case "hosts": hosts = domains(vendorValue, "the vendor's hosts", &reader)
            case "categories":
              for (category, categoryNode) in reader.strings(vendorValue, context: "the vendor's categories")
              {
                categories.append(category)
                categoryReferences.append(
                  (
                    category, reader.position(of: categoryNode), reader.file,
                    "the categories of vendor \(name ?? "")"
                  ))
              }
            default: break
            }
          }
          guard let name else {
            reader.report(
              "missing-key", "a vendor needs a name", at: item,
              help: "add `name: VENDOR` so findings can say whose range an IP is in")
            continue
          }
          policy.brand.vendors.append(
            Vendor(name: name, sendingIPs: ips, hosts: hosts, categories: categories))
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
        reader.report(
          "bad-domain", "\"\(value)\" in \(context) is not a domain name", at: item,
          help: "write a bare domain such as contoso.com, without scheme, path or address")
        continue
      }
      guard let ascii = IDNA.toASCII(trimmed) else {
        reader.report(
          "bad-domain", "\"\(value)\" in \(context) is not a valid domain name (UTS #46)", at: item)
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
        reader.report(
          "bad-cidr", "\"\(value)\" in \(context) is not an IPv4 or IPv6 address or address block", at: item,
          help: "write an address with an optional prefix length, e.g. 203.0.113.0/24 or 2001:db8::/32")
        continue
      }
      result.append(cidr)
    }
    return result
  }

  /// What RE2 leaves out, for the help line of a pattern it rejects.
  static let regexSyntaxHelp =
    "sendlint uses RE2 syntax, which runs in linear time and so has no backreferences "
    + "(\\1), lookahead ((?=, (?!), lookbehind ((?<=, (?<!), possessive (a++) or atomic ((?>) groups; rewrite the "
    + "pattern without them, e.g. spell out both alternatives instead of a backreference"

  /// Compiles a policy regular expression on the linear-time engine, or reports where and why not.
  static func compileRegex(_ source: String, _ what: String, at node: YAMLNode, reader: inout YAMLReader)
    -> LinearRegex?
  {
    do { return try LinearRegex(source) } catch {
      let quoted = "\"\(source.escapedForDisplay)\""
      if error.isTooLarge {
        reader.report(
          "bad-regex",
          "\(what) \(quoted) needs more than the \(LinearRegex.maximumMemory >> 20) MiB a compiled pattern may use",
          at: node, help: "shorten the pattern or lower its repetition counts (e.g. x{1000} → x+)")
      } else {
        // RE2's message already ends with the offending fragment: "invalid perl operator: (?=".
        reader.report(
          "bad-regex",
          "\(what) \(quoted) is not a valid regular expression: \(error.message.escapedForDisplay)",
          at: node, help: regexSyntaxHelp)
      }
      return nil
    }
  }

  private mutating func readClassify(_ node: YAMLNode, reader: inout YAMLReader, directory: String) {
    var entries: [ClassifyEntry] = []
    for item in reader.sequence(node, context: "classify") {
      var files: [Glob] = []
      var subject: LinearRegex?
      var pattern: String?
      var category: String?
      for (key, _, value) in reader.mapping(item, allowed: Self.classifyKeys, context: "a classify entry") {
        switch key {
        case "files": files = reader.strings(value, context: "classify files").map { Glob($0.value) }
        case "subject":
          pattern = reader.string(value, context: "classify subject")
          if let pattern {
            subject = Self.compileRegex(pattern, "classify subject", at: value, reader: &reader)
          }
        case "category":
          category = reader.string(value, context: "classify category")
          if let category {
            categoryReferences.append((category, reader.position(of: value), reader.file, "classify"))
          }
        default: break
        }
      }
      guard let category else {
        reader.report(
          "missing-key", "a classify entry needs a category", at: item, help: "add `category: NAME`")
        continue
      }
      if files.isEmpty, pattern == nil {
        reader.report("missing-key", "a classify entry needs `files` or `subject` to match drafts", at: item)
        continue
      }
      entries.append(
        ClassifyEntry(
          files: files, subject: subject, subjectPattern: pattern, category: category,
          baseDirectory: directory))
    }
    // Later layers are more specific: their entries are tried first.
    policy.classify = entries + policy.classify
  }

  private mutating func readRules(_ node: YAMLNode, reader: inout YAMLReader) {
    let parsed = ruleSettings(node, reader: &reader, context: "rules", source: nil)
    for (id, setting) in parsed {
      policy.rules[id] = (policy.rules[id] ?? RuleSetting()).overlaid(with: setting)
    }
  }

  /// The metadata of a built-in rule or of a custom rule defined so far.
  func metadata(for id: String) -> RuleMetadata? {
    RuleRegistry.metadata(for: id) ?? policy.customRules.first { $0.metadata.id == id }?.metadata
  }

  var knownRuleIDs: [String] { RuleRegistry.ids + policy.customRules.map(\.metadata.id) }

  /// Parses a `rules:` mapping (top level or in an override). `source` names the override.
  private mutating func ruleSettings(
    _ node: YAMLNode, reader: inout YAMLReader, context: String, source overrideName: String?
  ) -> [String: RuleSetting] {
    var result: [String: RuleSetting] = [:]
    for (id, keyNode, value) in reader.openMapping(node, context: context) {
      guard let metadata = metadata(for: id) else {
        let suggestion = Suggestion.nearest(to: id, in: knownRuleIDs)
        reader.report(
          "unknown-rule", "unknown rule \"\(id)\"", at: keyNode,
          help: suggestion.map { "did you mean \"\($0)\"?" } ?? "`sendlint rules` lists every rule")
        continue
      }
      var setting = RuleSetting()
      let source =
        overrideName.map {
          "override \"\($0)\" (\(reader.file.path):\(reader.position(of: value)?.line ?? 0))"
        }
        ?? "\(reader.file.path):\(reader.position(of: value)?.line ?? 0)"
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
              categoryReferences.append(
                (category, reader.position(of: categoryNode), reader.file, "rule \(id)"))
            }
            setting.categories = categories
          case "message":
            if let template = reader.string(field, context: "message of \(id)") {
              checkPlaceholders(
                template, allowed: ["message", "rule"] + metadata.placeholders, rule: id, node: field,
                reader: &reader)
              setting.message = template
            }
          case "options":
            for (name, optionKey, optionValue) in reader.openMapping(field, context: "options of \(id)") {
              guard let spec = metadata.options.first(where: { $0.name == name }) else {
                let names = metadata.options.map(\.name)
                reader.report(
                  "unknown-option", "rule \(id) has no option \"\(name)\"", at: optionKey,
                  help: Suggestion.nearest(to: name, in: names).map { "did you mean \"\($0)\"?" }
                    ?? (names.isEmpty
                      ? "\(id) takes no options" : "options: \(names.joined(separator: ", "))"))
                continue
              }
              if let parsed = option(optionValue, spec: spec, rule: id, reader: &reader) {
                setting.options[name] = parsed
              }
            }
          default: break
          }
        }
      }
      result[id] = (result[id] ?? RuleSetting()).overlaid(with: setting)
    }
    return result
  }

  /// Every `{{name}}` in a message template must be one the rule provides.
  private func checkPlaceholders(
    _ template: String, allowed: [String], rule: String, node: YAMLNode, reader: inout YAMLReader
  ) {
    var remainder = Substring(template)
    while let open = remainder.firstRange(of: "{{") {
      guard let close = remainder[open.upperBound...].firstRange(of: "}}") else {
        reader.report(
          "bad-placeholder", "message of \(rule) opens a placeholder with {{ that never closes", at: node,
          help: "write placeholders as {{name}}")
        return
      }
      let name = remainder[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
      if !allowed.contains(name) {
        reader.report(
          "unknown-placeholder", "message of \(rule) uses the unknown placeholder {{\(name)}}", at: node,
          help: (Suggestion.nearest(to: name, in: allowed).map { "did you mean {{\($0)}}? " } ?? "")
            + "\(rule) provides: \(allowed.map { "{{\($0)}}" }.joined(separator: ", "))")
      }
      remainder = remainder[close.upperBound...]
    }
  }

  private mutating func readOverrides(_ node: YAMLNode, reader: inout YAMLReader, directory: String) {
    for (index, item) in reader.sequence(node, context: "overrides").enumerated() {
      var name = "override #\(index + 1)"
      var files: [Glob] = []
      var categories: [String]?
      var rules: [String: RuleSetting] = [:]
      var rulesNode: YAMLNode?
      for (key, _, value) in reader.mapping(item, allowed: Self.overrideKeys, context: "an override") {
        switch key {
        case "name": name = reader.string(value, context: "override name") ?? name
        case "files": files = reader.strings(value, context: "override files").map { Glob($0.value) }
        case "categories":
          categories = reader.strings(value, context: "override categories").map { entry in
            categoryReferences.append(
              (entry.value, reader.position(of: entry.node), reader.file, "override \(name)"))
            return entry.value
          }
        case "rules": rulesNode = value
        default: break
        }
      }
      if let rulesNode {
        rules = ruleSettings(rulesNode, reader: &reader, context: "rules of override \(name)", source: name)
      }
      if files.isEmpty, categories == nil {
        reader.report(
          "missing-key", "override \(name) matches every draft", at: item,
          help:
            "give it `files:` globs and/or `categories:`; settings for every draft belong under the top-level `rules:`"
        )
      }
      policy.overrides.append(
        OverrideBlock(
          name: name, files: files, categories: categories, baseDirectory: directory, rules: rules))
    }
  }

  private mutating func readSuppressions(_ node: YAMLNode, reader: inout YAMLReader, directory: String) {
    for item in reader.sequence(node, context: "suppress") {
      var rule: String?
      var files: [Glob] = []
      var value: String?
      var reason: String?
      var expires: String?
      for (key, keyNode, field) in reader.mapping(item, allowed: Self.suppressKeys, context: "a suppression")
      {
        switch key {
        case "rule":
          rule = reader.string(field, context: "suppression rule")
          if let id = rule, metadata(for: id) == nil {
            reader.report(
              "unknown-rule", "suppression names the unknown rule \"\(id)\"", at: field,
              help: Suggestion.nearest(to: id, in: knownRuleIDs).map { "did you mean \"\($0)\"?" })
            rule = nil
          }
        case "files": files = reader.strings(field, context: "suppression files").map { Glob($0.value) }
        case "value", "host": value = reader.string(field, context: "suppression \(key)")
        case "reason": reason = reader.string(field, context: "suppression reason")
        case "expires":
          expires = reader.string(field, context: "suppression expires")
          if let date = expires, !Self.isDate(date) {
            reader.report(
              "bad-date", "expires \"\(date)\" is not a date", at: field,
              help: "write YYYY-MM-DD, e.g. 2027-01-31")
            expires = nil
          }
        default: _ = keyNode
        }
      }
      guard let rule else {
        reader.report(
          "missing-key", "a suppression needs the rule it suppresses", at: item,
          help: "add `rule: GROUP/NAME`")
        continue
      }
      guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
        reader.report(
          "missing-reason", "the suppression of \(rule) gives no reason", at: item,
          help: "add `reason:` — a ticket or a sentence saying why this finding is accepted")
        continue
      }
      policy.suppressions.append(
        Suppression(
          rule: rule, files: files, value: value, reason: reason, expires: expires, baseDirectory: directory,
          file: reader.file.path,
          line: reader.position(of: item)?.line ?? 0))
    }
  }

  static func isDate(_ text: String) -> Bool {
    let parts = text.split(separator: "-")
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil
    else { return false }
    return (1...12).contains(month) && (1...31).contains(day)
  }

  private mutating func readCustomRules(_ node: YAMLNode, reader: inout YAMLReader) {
    for (id, keyNode, value) in reader.openMapping(node, context: "custom_rules") {
      let parts = id.split(separator: "/")
      guard parts.count == 2, id == id.lowercased(), !id.contains(" ") else {
        reader.report(
          "bad-rule-id", "custom rule id \"\(id)\" is not of the form group/name in lowercase", at: keyNode,
          help: "name it like contoso/no-password-prompt")
        continue
      }
      guard RuleRegistry.metadata(for: id) == nil else {
        reader.report(
          "duplicate-rule", "custom rule \"\(id)\" has the id of a built-in rule", at: keyNode,
          help:
            "use your own group, e.g. \(id.split(separator: "/").last.map { "contoso/\($0)" } ?? "contoso/name")"
        )
        continue
      }
      // Kind first: it decides which other keys are allowed.
      guard case .mapping(let mapping) = value else {
        reader.report("wrong-type", "custom rule \(id) must be a mapping", at: value)
        continue
      }
      let kindNode = mapping.first { $0.key.string == "kind" }?.value
      guard let kindNode, let kindName = reader.string(kindNode, context: "kind of \(id)") else {
        reader.report(
          "missing-key", "custom rule \(id) has no kind", at: value,
          help: "kinds: \(Self.customRuleKinds.joined(separator: ", "))")
        continue
      }
      guard let kindCase = CustomRule.KindName(rawValue: kindName) else {
        reader.report(
          "unknown-kind", "custom rule \(id) has the unknown kind \"\(kindName.escapedForDisplay)\"",
          at: kindNode,
          help: Suggestion.nearest(to: kindName, in: Self.customRuleKinds).map { "did you mean \"\($0)\"?" }
            ?? "kinds: \(Self.customRuleKinds.joined(separator: ", "))")
        continue
      }
      let kind = kindCase.rawValue
      var description = "Custom rule \(id)."
      var rationale = ""
      var helpURI: String?
      var tags: [String] = ["custom"]
      var severity: Severity = .warning
      var message: String?
      var categories: [String]?
      var fields: [CustomRule.Field] = []
      var pattern: (regex: LinearRegex, source: String)?
      var subject: CustomRule.Subject?
      var textPattern: LinearRegex?
      var urlPattern: LinearRegex?
      var hosts: [String] = []
      var listName = "the allowed hosts"
      var failed = false
      func compile(_ node: YAMLNode, _ what: String) -> (LinearRegex, String)? {
        guard let source = reader.string(node, context: what) else { return nil }
        return Self.compileRegex(source, what, at: node, reader: &reader).map { ($0, source) }
      }
      let allowed = PolicyDefinition.customRule.allowedKeys(variant: kind)
      // A key of another kind (`url:` in a pattern rule) says which kind takes it.
      let explainKey = { (name: String) -> String? in
        let kinds = PolicyDefinition.customRuleKindKeys.filter { $0.keys.contains(name) }.map(\.value)
        guard !kinds.isEmpty else { return nil }
        return
          "`\(name)` belongs to \(kinds.joined(separator: " and ")) rules, not \(kind) rules; remove it or change the kind. "
          + "Keys of \(kind) rules: \(allowed.joined(separator: ", "))"
      }
      for (key, _, field) in reader.mapping(
        value, allowed: allowed, context: "custom rule \(id) (kind \(kind))", explain: explainKey)
      {
        switch key {
        case "kind": break
        case "description": description = reader.string(field, context: "description") ?? description
        case "rationale": rationale = reader.string(field, context: "rationale") ?? ""
        case "help_uri":
          helpURI = reader.string(field, context: "help_uri")
          if let uri = helpURI,
            URLRecord.parse(uri).map({ $0.scheme == "https" || $0.scheme == "http" }) != true
          {
            reader.report("bad-uri", "help_uri \"\(uri)\" is not an http(s) URL", at: field)
          }
        case "tags": tags += reader.strings(field, context: "tags").map(\.value)
        case "severity": severity = self.severity(field, reader: &reader) ?? severity
        case "message":
          message = reader.string(field, context: "message")
          if let template = message {
            checkPlaceholders(
              template, allowed: ["message", "rule"] + kindCase.placeholders, rule: id, node: field,
              reader: &reader)
          }
        case "categories":
          categories = reader.strings(field, context: "categories").map { entry in
            categoryReferences.append(
              (entry.value, reader.position(of: entry.node), reader.file, "custom rule \(id)"))
            return entry.value
          }
        case "in":
          for (name, fieldNode) in reader.strings(field, context: "in") {
            if let parsed = CustomRule.Field(name) {
              fields.append(parsed)
            } else {
              reader.report(
                "unknown-field", "custom rule \(id) cannot look in \"\(name)\"", at: fieldNode,
                help: (Suggestion.nearest(to: name, in: CustomRule.Field.names).map {
                  "did you mean \"\($0)\"? "
                } ?? "") + "fields: \(CustomRule.Field.names.joined(separator: ", "))")
              failed = true
            }
          }
        case "pattern":
          pattern = compile(field, "pattern of \(id)").map { (regex: $0.0, source: $0.1) }
          if pattern == nil { failed = true }
        case "header": subject = .header(reader.string(field, context: "header") ?? "")
        case "link_hosts":
          subject = .linkHosts(
            reader.strings(field, context: "link_hosts").map { HostName.normalise($0.value) })
        case "attachment_types":
          subject = .attachmentTypes(
            reader.strings(field, context: "attachment_types").map {
              $0.value.trimmingCharacters(in: CharacterSet(charactersIn: "."))
            })
        case "text":
          textPattern = compile(field, "text pattern of \(id)")?.0
          if textPattern == nil { failed = true }
        case "url":
          urlPattern = compile(field, "url pattern of \(id)")?.0
          if urlPattern == nil { failed = true }
        case "hosts": hosts += reader.strings(field, context: "hosts").map { HostName.normalise($0.value) }
        case "list":
          let list = reader.string(field, context: "list") ?? ""
          let lists = [
            "brand.domains": policy.brand.domains, "brand.tracking_domains": policy.brand.trackingDomains,
            "brand.sending_domains": policy.brand.sendingDomains,
            "brand.allowed_hosts": policy.brand.allowedHosts,
          ]
          assert(
            Set(lists.keys) == Set(PolicyDefinition.brandLists),
            "the loader and PolicyDefinition disagree on brand lists")
          if let values = lists[list] {
            hosts += values
            listName = list
          } else {
            reader.report(
              "unknown-list", "custom rule \(id) names the unknown list \"\(list)\"", at: field,
              help:
                "lists: \(lists.keys.sorted().joined(separator: ", ")) (declared in the brand before this rule)"
            )
            failed = true
          }
        default: break
        }
      }
      let ruleKind: CustomRule.Kind?
      switch kindCase {
      case .pattern:
        if fields.isEmpty, !failed {
          reader.report(
            "missing-key", "pattern rule \(id) names no fields to look in", at: value,
            help: "add `in: [subject, text, html.visible]`")
        }
        if pattern == nil, !failed {
          reader.report(
            "missing-key", "pattern rule \(id) has no pattern", at: value, help: "add `pattern: \"(?i)…\"`")
        }
        ruleKind = pattern.flatMap {
          fields.isEmpty ? nil : .pattern(fields: fields, regex: $0.regex, source: $0.source)
        }
      case .require, .forbid:
        if subject == nil {
          reader.report(
            "missing-key", "\(kind) rule \(id) says nothing to \(kind)", at: value,
            help: "add one of header:, link_hosts:, attachment_types:")
        }
        ruleKind = subject.map { kindCase == .require ? .require($0) : .forbid($0) }
      case .linkHost:
        if textPattern == nil, urlPattern == nil, !failed {
          reader.report(
            "missing-key", "link-host rule \(id) matches no links", at: value,
            help: "add `text:` and/or `url:` patterns")
        }
        if hosts.isEmpty, !failed {
          reader.report(
            "missing-key", "link-host rule \(id) allows no hosts", at: value,
            help: "add `hosts: [...]` or `list: brand.domains`")
        }
        ruleKind =
          (textPattern != nil || urlPattern != nil) && !hosts.isEmpty
          ? .linkHost(text: textPattern, url: urlPattern, hosts: hosts, listName: listName) : nil
      }
      guard let ruleKind, !failed else { continue }
      let metadata = RuleMetadata(
        id: id, summary: description, defaultSeverity: severity, whatItDoes: description,
        whyIsThisBad: rationale.isEmpty ? "Defined by the policy \(reader.file.path)." : rationale,
        example: "See the policy \(reader.file.path).", useInstead: "",
        references: helpURI.map { [$0] } ?? [],
        placeholders: kindCase.placeholders, tags: tags)
      policy.customRules.removeAll { $0.metadata.id == id }
      policy.customRules.append(CustomRule(metadata: metadata, kind: ruleKind, message: message))
      if let categories {
        var setting = policy.rules[id] ?? RuleSetting()
        setting.categories = categories
        policy.rules[id] = setting
      }
    }
  }

  private func severity(_ node: YAMLNode, reader: inout YAMLReader) -> Severity? {
    guard let text = reader.string(node, context: "a severity") else { return nil }
    guard let severity = PolicyDefinition.severity(text) else {
      let names = PolicyDefinition.severityNames.joined(separator: ", ")
      let suggestion = PolicyDefinition.suggestedSeverity(for: text)
      reader.report(
        "bad-severity", "\"\(text.escapedForDisplay)\" is not a severity", at: node,
        help: suggestion.map { "did you mean \"\($0)\"? Severities are written in lowercase: \(names)" }
          ?? "severities are \(names)")
      return nil
    }
    return severity
  }

  private func option(_ node: YAMLNode, spec: OptionSpec, rule: String, reader: inout YAMLReader)
    -> OptionValue?
  {
    let context = "option \(spec.name) of \(rule)"
    switch spec.kind {
    case .string:
      return reader.string(node, context: context).map(OptionValue.string)
    case .bool:
      return reader.bool(node, context: context).map(OptionValue.bool)
    case .int(let range):
      guard let value = reader.integer(node, context: context) else { return nil }
      guard range.contains(value) else {
        reader.report(
          "bad-option",
          "\(context) must be between \(range.lowerBound) and \(range.upperBound), not \(value)", at: node)
        return nil
      }
      return .int(value)
    case .choice(let choices):
      guard let value = reader.string(node, context: context) else { return nil }
      guard choices.contains(value) else {
        reader.report(
          "bad-option", "\(context) must be one of \(choices.joined(separator: ", ")), not \"\(value)\"",
          at: node, help: Suggestion.nearest(to: value, in: choices).map { "did you mean \"\($0)\"?" })
        return nil
      }
      return .string(value)
    case .strings:
      return .strings(reader.strings(node, context: context).map(\.value))
    }
  }
}
