import SendlintCore
import SendlintInventory
import SendlintURL

/// A rule a policy defines (`custom_rules`), of one of a small closed set of kinds. It carries the
/// same metadata as a built-in rule and reports the same way.
public struct CustomRule: Sendable {
  /// Where a `pattern` rule looks.
  public enum Field: Sendable, Hashable, CustomStringConvertible {
    case subject, text, htmlVisible, linkText, linkURL, linkHost, imageSource
    case header(String)

    /// Parses a field name as written in a policy (`subject`, `headers.List-Id`, `html.visible`…).
    public init?(_ name: String) {
      switch name {
      case "subject": self = .subject
      case "text": self = .text
      case "html.visible", "html": self = .htmlVisible
      case "link.text": self = .linkText
      case "link.url": self = .linkURL
      case "link.host": self = .linkHost
      case "image.src": self = .imageSource
      default:
        guard name.hasPrefix("headers."), name.count > 8 else { return nil }
        self = .header(String(name.dropFirst(8)))
      }
    }

    public static let names = [
      "subject", "headers.NAME", "text", "html.visible", "link.text", "link.url", "link.host", "image.src",
    ]

    public var description: String {
      switch self {
      case .subject: "subject"
      case .text: "text"
      case .htmlVisible: "html.visible"
      case .linkText: "link.text"
      case .linkURL: "link.url"
      case .linkHost: "link.host"
      case .imageSource: "image.src"
      case .header(let name): "headers.\(name)"
      }
    }
  }

  /// What `require` and `forbid` rules are about.
  public enum Subject: Sendable {
    case header(String)
    /// Links to these hosts (or their subdomains).
    case linkHosts([String])
    /// Attachments with these file extensions.
    case attachmentTypes([String])
  }

  public enum Kind: Sendable {
    case pattern(fields: [Field], regex: LinearRegex, source: String)
    case require(Subject)
    case forbid(Subject)
    /// Links whose text or URL matches must go to one of `hosts` (or a subdomain).
    case linkHost(text: LinearRegex?, url: LinearRegex?, hosts: [String], listName: String)
  }

  public let metadata: RuleMetadata
  public let kind: Kind
  /// The policy's message, with `{{placeholders}}`; nil for the default message.
  public let message: String?
  /// `message`, split into pieces once when the policy loads, rendered in one pass per hit.
  let messageTemplate: MessageTemplate?
  /// How many characters of a matched text a message quotes before `…`: a pattern can match a
  /// whole megabyte body, and every finding would carry it.
  public static let maximumQuotedMatchCharacters = 200

  /// Placeholders each kind offers to its message.
  public static func placeholders(for kind: KindName) -> [String] { kind.placeholders }

  /// The kinds a policy's `kind:` may name: the loader switches over these exhaustively, so a new
  /// kind cannot fall into another kind's reading, and an unknown name is never one of them.
  public enum KindName: String, CaseIterable, Sendable {
    case pattern, require, forbid
    case linkHost = "link-host"

    /// The keys this kind takes besides the common ones (the policy schema's variant).
    public var keys: [String] {
      switch self {
      case .pattern: ["in", "pattern"]
      case .require, .forbid: ["header", "link_hosts", "attachment_types"]
      case .linkHost: ["text", "url", "hosts", "list"]
      }
    }

    /// Placeholders this kind offers to its message.
    public var placeholders: [String] {
      switch self {
      case .pattern: ["match", "field"]
      case .require, .forbid: ["header", "host", "filename"]
      case .linkHost: ["host", "text", "allowed"]
      }
    }
  }

  public init(metadata: RuleMetadata, kind: Kind, message: String?) {
    self.metadata = metadata
    self.kind = kind
    self.message = message
    self.messageTemplate = message.map(MessageTemplate.init)
  }

  /// `text`, cut at `maximumQuotedMatchCharacters` characters with `…` when longer.
  static func quotable(_ text: String) -> String {
    guard
      let end = text.index(text.startIndex, offsetBy: maximumQuotedMatchCharacters, limitedBy: text.endIndex),
      end < text.endIndex
    else { return text }
    return text[..<end] + "…"
  }

  // MARK: Checking

  struct Value {
    let text: String
    /// Maps a UTF-8 byte range of `text` to where it is in the source.
    let locate: (Range<Int>) -> SourceRange?
  }

  func values(of field: Field, in inventory: Inventory) -> [Value] {
    func locator(_ locator: Locator?, _ text: String) -> (Range<Int>) -> SourceRange? {
      { range in locator?.range(range.lowerBound, range.upperBound) }
    }
    switch field {
    case .subject:
      return inventory.subject.map { subject in [Value(text: subject.value, locate: { _ in subject.range })] }
        ?? []
    case .header(let name):
      return inventory.headers(named: name).map { header in
        Value(text: header.value, locate: { _ in header.range })
      }
    case .text:
      return inventory.visibleTexts.filter { !$0.inHTML }.map {
        Value(text: Self.rendered($0, in: inventory), locate: locator($0.locator, $0.text))
      }
    case .htmlVisible:
      return inventory.visibleTexts.filter(\.inHTML).map {
        Value(text: Self.rendered($0, in: inventory), locate: locator($0.locator, $0.text))
      }
    case .linkText:
      return inventory.links.filter { !$0.fromText }.map {
        Value(text: $0.text, locate: locator($0.textLocator, $0.text))
      }
    case .linkURL:
      return inventory.links.map { link in Value(text: link.href, locate: { _ in link.range }) }
    case .linkHost:
      return inventory.links.compactMap { link in
        link.deliveredHost.map { host in Value(text: host, locate: { _ in link.hostRange }) }
      }
    case .imageSource:
      return inventory.images.map { image in Value(text: image.src, locate: { _ in image.range }) }
    }
  }

  /// The text as the recipient gets it: in a template, comments that do not render (`{{!-- … --}}`,
  /// `{{! … }}`, `{# … #}`) are blanked, byte for byte, so offsets and locations stay. In an .eml
  /// nothing renders them away: they ship as written and stay.
  static func rendered(_ visible: VisibleText, in inventory: Inventory) -> String {
    guard inventory.kind != .eml else { return visible.text }
    var bytes = visible.bytes
    var changed = false
    for tag in MergeTags.find(in: bytes) where tag.isComment {
      for index in tag.range { bytes[index] = 0x20 }
      changed = true
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : visible.text
  }

  func render(_ fallback: String, _ placeholders: [String: String]) -> String {
    // One pass: a value is copied, never searched for placeholders again; the output is capped.
    messageTemplate?.render(placeholders) ?? fallback
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    let help = metadata.useInstead.isEmpty ? nil : metadata.useInstead
    switch kind {
    case .pattern(let fields, let regex, _):
      var hits: [Hit] = []
      for field in fields {
        for value in values(of: field, in: inventory) {
          // RE2 is linear in the text, so whole values are matched: no prefix cap to hide behind.
          guard let match = regex.firstMatch(in: value.text) else { continue }
          // RE2 reports byte offsets on code-point boundaries of valid UTF-8, so decoding is exact.
          let matched = String(decoding: Array(value.text.utf8)[match], as: UTF8.self)
          let quoted = Self.quotable(matched)
          hits.append(
            Hit(
              range: value.locate(match) ?? SourceRange(file: inventory.draftFile, start: 0, end: 0),
              message: render(
                "\(field) matches \(metadata.id): \"\(quoted)\"",
                ["match": quoted, "field": field.description]),
              help: help, evidence: "\(field)|\(matched)",
              placeholders: ["match": quoted, "field": field.description]))
        }
      }
      return hits
    case .require(let subject):
      guard let missing = requirementUnmet(subject, in: inventory) else { return [] }
      return [
        Hit(
          range: SourceRange(file: inventory.draftFile, start: 0, end: 0),
          message: render(missing.message, missing.placeholders), help: help,
          evidence: "require|\(missing.message)", placeholders: missing.placeholders)
      ]
    case .forbid(let subject):
      return forbidden(subject, in: inventory).map { found in
        Hit(
          range: found.range, message: render(found.message, found.placeholders), help: help,
          evidence: "forbid|\(found.message)", placeholders: found.placeholders)
      }
    case .linkHost(let textPattern, let urlPattern, let hosts, let listName):
      var hits: [Hit] = []
      for link in inventory.links where link.kind != .background && link.kind != .css {
        let textMatches = textPattern?.matches(link.text) ?? false
        let urlMatches = urlPattern?.matches(link.href) ?? false
        guard textMatches || urlMatches, let host = link.deliveredHost else { continue }
        guard !hosts.contains(where: { HostName.host(host, isWithin: $0) }) else { continue }
        let placeholders = ["host": host, "text": link.text, "allowed": listName]
        hits.append(
          Hit(
            range: link.hostRange,
            message: render(
              "link \"\(link.text)\" goes to \(host), which is not in \(listName)", placeholders),
            help: help, evidence: "\(host)|\(link.text)", placeholders: placeholders))
      }
      return hits
    }
  }

  private func requirementUnmet(_ subject: Subject, in inventory: Inventory) -> (
    message: String, placeholders: [String: String]
  )? {
    switch subject {
    case .header(let name):
      guard inventory.hasHeaders, inventory.headers(named: name).isEmpty else { return nil }
      return ("required header \(name) is missing", ["header": name])
    case .linkHosts(let hosts):
      guard
        !inventory.links.contains(where: { link in
          link.deliveredHost.map { host in hosts.contains { HostName.host(host, isWithin: $0) } } ?? false
        })
      else { return nil }
      return ("no link goes to \(hosts.joined(separator: " or "))", ["host": hosts.joined(separator: ", ")])
    case .attachmentTypes(let types):
      guard
        !inventory.attachments.contains(where: { attachment in
          types.contains { (attachment.filename ?? "").lowercased().hasSuffix("." + $0.lowercased()) }
        })
      else { return nil }
      return (
        "no attachment of type \(types.joined(separator: ", "))", ["filename": types.joined(separator: ", ")]
      )
    }
  }

  private func forbidden(_ subject: Subject, in inventory: Inventory) -> [(
    range: SourceRange, message: String, placeholders: [String: String]
  )] {
    switch subject {
    case .header(let name):
      return inventory.headers(named: name).map {
        ($0.range, "header \(name) is not allowed", ["header": name])
      }
    case .linkHosts(let hosts):
      return inventory.links.compactMap { link in
        guard let host = link.deliveredHost, hosts.contains(where: { HostName.host(host, isWithin: $0) })
        else { return nil }
        return (link.hostRange, "link to \(host) is not allowed", ["host": host])
      }
    case .attachmentTypes(let types):
      return inventory.attachments.compactMap { attachment in
        let name = attachment.filename ?? ""
        guard types.contains(where: { name.lowercased().hasSuffix("." + $0.lowercased()) }) else {
          return nil
        }
        return (attachment.range, "attachment \"\(name)\" is of a forbidden type", ["filename": name])
      }
    }
  }
}
