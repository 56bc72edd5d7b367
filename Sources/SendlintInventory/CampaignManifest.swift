import SendlintCore
import SendlintURL
import SendlintYAML

/// A value read from a manifest with where it was written.
public struct Located<Value: Sendable>: Sendable {
  public let value: Value
  public let range: SourceRange
  public init(_ value: Value, _ range: SourceRange) {
    self.value = value
    self.range = range
  }
}

/// A campaign manifest (`*.campaign.yaml` or `campaign.yaml`): what only the sender knows about a
/// campaign — its category, envelope, infrastructure and what the ESP does at send time.
/// The fields are documented in `docs/manifest.md`.
public struct CampaignManifest: Sendable {
  public let file: SourceFile
  public var campaign: Located<String>?
  public var category: Located<String>?
  public var from: Located<String>?
  public var replyTo: Located<String>?
  public var subject: Located<String>?
  public var headers: [(name: Located<String>, value: Located<String>)] = []
  public var html: Located<String>?
  public var text: Located<String>?
  public var attachments: [Located<String>] = []
  public var sendingIPs: [Located<String>] = []
  public var helo: Located<String>?
  public var returnPath: Located<String>?
  public var dkimDomains: [Located<String>] = []
  public var clickTracking: ClickTracking?
  public var openTracking: OpenTracking?
  public var variables: [String: String] = [:]
  /// Where each variable's value is written (for findings in HTML a variable inserts).
  public var variableRanges: [String: SourceRange] = [:]
  /// `smime`, `pgp` or `none`: how the message will be signed when sent.
  public var signing: Located<String>?

  public struct ClickTracking: Sendable {
    public let enabled: Bool
    public let domain: Located<String>?
    /// The rewritten URL (`{{url}}` stands for the original); without it each link gets its own.
    public let urlTemplate: Located<String>?
    public let range: SourceRange
  }

  public struct OpenTracking: Sendable {
    public let enabled: Bool
    public let pixelHost: Located<String>?
    public let range: SourceRange
  }

  static let topKeys = [
    "campaign", "description", "category", "from", "reply_to", "subject", "headers", "html", "text",
    "attachments",
    "sending", "tracking", "variables", "signing",
  ]

  /// Reads a manifest; problems are diagnostics (exit code 2), never findings.
  public static func read(_ file: SourceFile) -> (CampaignManifest?, [Diagnostic]) {
    var reader = YAMLReader(file: file, codePrefix: "manifest")
    guard let root = reader.root() else {
      if reader.diagnostics.isEmpty {
        reader.report(
          "empty", "the campaign manifest is empty", at: nil,
          help: "start with `campaign: NAME` and `html: body.html`; see docs/manifest.md")
      }
      return (nil, reader.diagnostics)
    }
    var manifest = CampaignManifest(file: file)
    func located(_ node: YAMLNode, _ context: String) -> Located<String>? {
      reader.string(node, context: context).map { Located($0, reader.range(of: node)) }
    }
    /// A host name: UTS #46 with STD3 rules, as mail servers require (no `_`, no empty label).
    func checkDomain(_ text: String, _ node: YAMLNode, _ context: String) {
      let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
      guard trimmed.isEmpty || IDNA.strict(trimmed, toASCII: true).failed else { return }
      reader.report(
        "bad-value", "\(context): \"\(text)\" is not a domain name", at: node,
        help:
          "write a host name such as mail.example.com (letters, digits and hyphens, labels separated by dots)"
      )
    }
    for (key, _, value) in reader.mapping(root, allowed: topKeys, context: "the campaign manifest") {
      switch key {
      case "campaign": manifest.campaign = located(value, "campaign")
      case "description": _ = reader.string(value, context: "description")
      case "category": manifest.category = located(value, "category")
      case "from": manifest.from = located(value, "from")
      case "reply_to": manifest.replyTo = located(value, "reply_to")
      case "subject": manifest.subject = located(value, "subject")
      case "html": manifest.html = located(value, "html")
      case "text": manifest.text = located(value, "text")
      case "signing":
        manifest.signing = located(value, "signing")
        if let signing = manifest.signing, !["smime", "pgp", "none"].contains(signing.value) {
          reader.report(
            "bad-value", "signing must be smime, pgp or none, not \"\(signing.value)\"", at: value)
        }
      case "attachments":
        manifest.attachments = reader.strings(value, context: "attachments").map {
          Located($0.value, reader.range(of: $0.node))
        }
      case "headers":
        for (name, keyNode, headerValue) in reader.openMapping(value, context: "headers") {
          if let text = reader.string(headerValue, context: "header \(name)") {
            manifest.headers.append(
              (Located(name, reader.range(of: keyNode)), Located(text, reader.range(of: headerValue))))
          }
        }
      case "variables":
        for (name, _, variable) in reader.openMapping(value, context: "variables") {
          if let text = reader.string(variable, context: "variable \(name)") {
            manifest.variables[name] = text
            manifest.variableRanges[name] = reader.range(of: variable)
          }
        }
      case "sending":
        for (sendingKey, _, item) in reader.mapping(
          value, allowed: ["ips", "helo", "return_path", "dkim_domain", "dkim_domains"], context: "sending")
        {
          // Values are checked here, with every other manifest problem, so a bad address is a
          // diagnostic in the same run, not a finding (exit 1) after the rest is fixed.
          switch sendingKey {
          case "ips":
            let ips = reader.strings(item, context: "sending.ips")
            for (text, node) in ips where IPAddress(text) == nil {
              let isRange = text.contains("/") && CIDR(text) != nil
              reader.report(
                "bad-value",
                "sending.ips: \"\(text)\" is \(isRange ? "an address range" : "not an IP address")", at: node,
                help: isRange
                  ? "list each address the ESP sends from; ranges belong in the policy's brand.sending_ips"
                  : "write an IPv4 or IPv6 address, e.g. 203.0.113.7 or \"2001:db8::7\"")
            }
            manifest.sendingIPs = ips.map { Located($0.value, reader.range(of: $0.node)) }
          case "helo":
            manifest.helo = located(item, "sending.helo")
            if let helo = manifest.helo { checkDomain(helo.value, item, "sending.helo") }
          case "return_path": manifest.returnPath = located(item, "sending.return_path")
          default:
            let domains = reader.strings(item, context: "sending.\(sendingKey)")
            for (text, node) in domains { checkDomain(text, node, "sending.\(sendingKey)") }
            manifest.dkimDomains += domains.map { Located($0.value, reader.range(of: $0.node)) }
          }
        }
      case "tracking":
        for (kind, _, item) in reader.mapping(value, allowed: ["clicks", "opens"], context: "tracking") {
          var enabled = true
          var host: Located<String>?
          var template: Located<String>?
          let hostKey = kind == "clicks" ? "domain" : "pixel_host"
          if case .scalar = item {
            enabled = reader.bool(item, context: "tracking.\(kind)") ?? false
          } else {
            let allowed = kind == "clicks" ? ["enabled", hostKey, "url"] : ["enabled", hostKey]
            for (field, _, fieldValue) in reader.mapping(item, allowed: allowed, context: "tracking.\(kind)")
            {
              if field == "enabled" {
                enabled = reader.bool(fieldValue, context: "tracking.\(kind).enabled") ?? false
              } else if field == "url" {
                template = located(fieldValue, "tracking.clicks.url")
              } else {
                host = located(fieldValue, "tracking.\(kind).\(hostKey)")
              }
            }
          }
          if enabled, host == nil {
            reader.report(
              "missing-key", "tracking.\(kind) is enabled but names no \(hostKey)", at: item,
              help:
                "add `\(hostKey): HOST` — the host the ESP will \(kind == "clicks" ? "rewrite links through" : "load the open pixel from")"
            )
          }
          if kind == "clicks" {
            manifest.clickTracking = ClickTracking(
              enabled: enabled, domain: host, urlTemplate: template, range: reader.range(of: item))
          } else {
            manifest.openTracking = OpenTracking(
              enabled: enabled, pixelHost: host, range: reader.range(of: item))
          }
        }
      default: break
      }
    }
    if manifest.html == nil, manifest.text == nil {
      reader.report(
        "missing-key", "the campaign manifest names no template", at: root,
        help: "add `html: FILE` and/or `text: FILE`, relative to the manifest")
    }
    return (manifest, reader.diagnostics)
  }
}
