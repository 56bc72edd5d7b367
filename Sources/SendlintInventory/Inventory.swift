import SendlintCore
import SendlintHTML
import SendlintMIME
import SendlintURL

/// Maps offsets in some decoded text back to a source file through a chain of offset maps.
public struct Locator: Sendable {
  public let file: SourceFile
  public let maps: [OffsetMap]

  public init(file: SourceFile, maps: [OffsetMap] = []) {
    self.file = file
    self.maps = maps
  }

  /// The locator for text whose own map leads into this locator's text.
  public func through(_ map: OffsetMap) -> Locator { Locator(file: file, maps: [map] + maps) }

  public func offset(_ decoded: Int) -> (offset: Int, exact: Bool) {
    OffsetMap.resolve(decoded, through: maps)
  }

  /// The source range of decoded bytes `start..<end`.
  public func range(_ start: Int, _ end: Int) -> SourceRange {
    let first = offset(start)
    guard end > start else {
      return SourceRange(file: file, start: first.offset, end: first.offset, hasColumn: first.exact)
    }
    let last = offset(end - 1)
    let stop = last.exact && last.offset >= first.offset ? last.offset + 1 : first.offset
    return SourceRange(file: file, start: first.offset, end: stop, hasColumn: first.exact)
  }
}

/// What kind of draft an inventory describes.
public enum DraftKind: String, Sendable, Codable {
  case eml, campaign, template
}

/// A header as the recipient's client will see it.
public struct InventoryHeader: Sendable {
  public let name: String
  /// Decoded value (RFC 2047 words decoded for unstructured fields).
  public let value: String
  /// The raw value as written.
  public let rawValue: String
  /// Where the field (or the manifest entry that produces it) is written.
  public let range: SourceRange
}

/// A mailbox and where it is written.
public struct Identity: Sendable {
  public let mailbox: Mailbox
  public let range: SourceRange
  /// Which header or manifest field it comes from (`From`, `Reply-To`, `Return-Path`).
  public let field: String
}

/// A `Received` field parsed.
public struct ReceivedEntry: Sendable {
  public let hop: ReceivedHop
  public let range: SourceRange
  /// Index from the top (0 = added last, nearest the recipient).
  public let index: Int
}

/// An IP the message is (or will be) sent from, as stated by a manifest.
public struct StatedSendingIP: Sendable {
  /// The text as written: an address, or a pool name for the policy to resolve.
  public let text: String
  public let address: IPAddress?
  public let range: SourceRange
}

/// The send-time click rewrite that applies to a link.
///
/// A class: one campaign has one rewrite, and every link of the draft refers to it. As a struct,
/// each of a draft's links held its own 64-byte copy (docs/decisions.md, "Lint memory"). It is
/// immutable, so sharing it changes nothing a reader can see.
public final class ClickRewrite: Sendable {
  /// The tracking host links will be rewritten through.
  public let domain: String
  /// Where the manifest turns click tracking on.
  public let range: SourceRange
  /// The rewritten URL as the manifest gives it (`tracking.clicks.url`); without `{{url}}` (or
  /// `{{link}}`) in it, every link becomes the same URL.
  public let urlTemplate: String?

  public init(domain: String, range: SourceRange, urlTemplate: String? = nil) {
    self.domain = domain
    self.range = range
    self.urlTemplate = urlTemplate
  }

  /// The URL a link becomes at send time, in one pass over the template: `original` is copied, never
  /// searched for `{{url}}` again. Each copy is charged to `budget`; past a cap the URL is cut there.
  /// O(template + output).
  public func rewritten(_ original: String, budget: inout ExpansionBudget) -> String {
    guard let urlTemplate else { return "https://\(domain)/click?url=\(original)" }
    let template = Array(urlTemplate.utf8)
    let value = Array(original.utf8)
    var output: [UInt8] = []
    var index = 0
    while index < template.count {
      if template[index] == UInt8(ascii: "{"),
        let placeholder = Self.placeholders.first(where: { MergeTags.matches(template, at: index, $0) })
      {
        guard budget.charge(value.count, toExpansionOf: output.count) else { break }
        output += value
        index += placeholder.count
      } else {
        output.append(template[index])
        index += 1
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  private static let placeholders = [Array("{{url}}".utf8), Array("{{link}}".utf8)]
}

/// A link in the message.
public struct Link: Sendable {
  public let kind: LinkKind
  /// The href as written (references decoded).
  public let href: String
  /// The URL after merge-tag substitution and resolution against `<base href>`; nil when it
  /// cannot be parsed or is relative without a base.
  public let url: URLRecord?
  /// Lowercased ASCII host of `url`.
  public var host: String? { url?.host.map { HostName.normalise($0.description) } }
  /// A merge tag that stands where the host should be (`{{tracking_url}}`), if any.
  public let unresolvedHostTag: String?
  /// The text a recipient sees (hidden text excluded, whitespace collapsed).
  public let text: String
  /// Locates byte offsets of `text` in the source.
  public let textLocator: Locator?
  /// Text inside the link that CSS hides.
  public let hiddenText: String
  /// `alt` text of images inside the link, with its source.
  public let imageAltTexts: [(text: String, range: SourceRange)]
  public let hidden: Bool
  /// Where the href value is written.
  public let range: SourceRange
  /// Locates byte offsets of `href` in the source (nil for synthetic links).
  public let hrefLocator: Locator?
  /// The ESP's click rewrite that will apply at send time, if any.
  public let rewrite: ClickRewrite?
  public let inConditionalComment: Bool
  /// True for links found in a text/plain body rather than HTML.
  public let fromText: Bool
  /// The URL the recipient's click will actually request first (after the click rewrite), computed
  /// once when the inventory is built: a rewrite template can make it large.
  public let deliveredURL: String?
  /// Set when the href has neither a scheme nor a base to resolve it (`//evil.example/login`,
  /// `evil.example/path`): `url` is then what mail clients open, with `http:` prepended as Outlook,
  /// Gmail and Apple Mail do.
  public var resolvedByClient = false

  /// For messages about a link resolved by the client: says which URL the rule judged, or "".
  public var clientResolutionNote: String {
    guard resolvedByClient, let url else { return "" }
    return
      " (the href \"\(href.escapedForDisplay)\" has no scheme; mail clients open it as \(url.href.escapedForDisplay))"
  }

  /// The name an `aria-label`, `aria-labelledby` or `title` attribute gives the link, if any.
  public var accessibleLabel: String? = nil
  /// `alt` text of shown images inside the link whose box hides text only (`font-size:0`).
  public var shownImageAltTexts: [String] = []

  /// Where a link outside the bodies comes from, for messages (`PDF attachment "a.pdf", object
  /// 12`); nil for links in the HTML and text bodies.
  public var origin: String? = nil

  /// The host the recipient's click will actually go to first.
  public var deliveredHost: String? { rewrite?.domain ?? host }

  /// The link's parsing (unwrap chain, ESP tracker, hosts its text shows), computed once when the
  /// inventory is built (`analyse(finder:)`); a link built elsewhere is analysed on each read.
  public var analysis: LinkAnalysis { analysed?.value ?? analysis(finder: TextURLFinder()) }
  /// Boxed: a link is copied into the inventory's array and read by every rule, and the analysis
  /// inline was 80 of the link's bytes.
  var analysed: AnalysisBox? = nil

  final class AnalysisBox: Sendable {
    let value: LinkAnalysis
    init(_ value: LinkAnalysis) { self.value = value }
  }

  /// Computes `analysis` once, with the inventory's text URL finder.
  mutating func analyse(finder: TextURLFinder) { analysed = AnalysisBox(analysis(finder: finder)) }

  private func analysis(finder: TextURLFinder) -> LinkAnalysis {
    LinkAnalysis(
      url: url, text: fromText ? nil : text, hiddenText: hidden ? hiddenText : nil,
      altTexts: imageAltTexts.map(\.text), finder: finder)
  }

  /// Where the host is written inside the href, or the whole href when it cannot be found.
  public var hostRange: SourceRange {
    guard let hrefLocator, let span = HostSpan.find(in: href) else { return range }
    return hrefLocator.range(span.lowerBound, span.upperBound)
  }
}

/// An image (remote or embedded), or the open pixel the ESP will add.
public struct Image: Sendable {
  public let src: String
  public let url: URLRecord?
  public var host: String? { url?.host.map { HostName.normalise($0.description) } }
  public let width: Double?
  public let height: Double?
  public let cssWidth: Double?
  public let cssHeight: Double?
  public let hiddenReason: String?
  public let alt: String?
  public let range: SourceRange
  /// Locates byte offsets of `src` in the source (nil for the synthetic open pixel).
  public let srcLocator: Locator?
  /// Merge tags left in the URL: a per-recipient token.
  public let recipientTags: [String]
  /// Set when the image is the ESP's open-tracking pixel added at send time.
  public let addedByOpenTracking: Bool
  /// The element (`img`, `v:image`, `v:fill`; `img` for the synthetic open pixel).
  public var element = "img"
}

/// Accessibility facts of one HTML body, with the locator that maps their offsets to the source.
public struct HTMLBodyFacts: Sendable {
  public let facts: HTMLAccessibilityFacts
  public let locator: Locator

  public init(facts: HTMLAccessibilityFacts, locator: Locator) {
    self.facts = facts
    self.locator = locator
  }

  /// Whether the body is a whole document (an `<html>` or `<body>` tag), not a layout's fragment.
  public var isDocument: Bool { facts.htmlTag != nil || facts.hasBodyTag }
}

extension Image {
  /// Where the host is written inside the src, or the whole src when it cannot be found.
  public var hostRange: SourceRange {
    guard let srcLocator, let span = HostSpan.find(in: src) else { return range }
    return srcLocator.range(span.lowerBound, span.upperBound)
  }
}

/// Finds the host inside a URL as written.
public enum HostSpan {
  /// Byte offsets of the host in `url`: after `scheme://` and any `userinfo@`, up to the port,
  /// path, query or fragment. Nil for URLs without an authority.
  public static func find(in url: String) -> Range<Int>? {
    let bytes = Array(url.utf8)
    var index = 0
    while index < bytes.count, bytes[index] <= 0x20 { index += 1 }
    guard let separator = bytes[index...].firstByteRange(of: Array("//".utf8)) else { return nil }
    var start = separator.upperBound
    var end = start
    while end < bytes.count,
      ![UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\\")].contains(bytes[end])
    { end += 1 }
    if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")) { start = at + 1 }
    var hostEnd = start
    if hostEnd < end, bytes[hostEnd] == UInt8(ascii: "[") {
      while hostEnd < end, bytes[hostEnd] != UInt8(ascii: "]") { hostEnd += 1 }
      hostEnd = min(end, hostEnd + 1)
    } else {
      while hostEnd < end, bytes[hostEnd] != UInt8(ascii: ":") { hostEnd += 1 }
    }
    return hostEnd > start ? start..<hostEnd : nil
  }
}

/// A URL in plain text or visible HTML text.
public struct TextURLEntry: Sendable {
  public let url: TextURL
  public let range: SourceRange
  /// Where the continuation after the break is, when the URL was split.
  public let splitRange: SourceRange?
  /// The joined URL when split.
  public var joined: String? {
    guard let split = url.split, let locatorText else { return nil }
    return url.text + String(decoding: locatorText[split], as: UTF8.self)
  }
  /// The searched text (kept to render the continuation, and for rules that read around the URL).
  public let locatorText: [UInt8]?
  public let inHTML: Bool
  /// Maps offsets in `locatorText` to the source.
  public var locator: Locator? = nil
}

/// An attachment.
public struct Attachment: Sendable {
  public let filename: String?
  public let contentType: String
  public let range: SourceRange
  public let size: Int
  /// File names inside a ZIP archive, read from its central directory.
  public let archiveEntries: [String]
  /// The first `Attachment.leadingByteCount` decoded bytes, for telling the type from the content
  /// (empty when the content is not in the draft, as for a manifest's attachment names).
  public let leadingBytes: [UInt8]
  /// Links read from the attachment itself (a PDF's `/URI` actions); they are in `links` too.
  public let linkCount: Int

  /// Bytes kept in `leadingBytes`: enough for every signature in the WHATWG sniffing tables and a
  /// PDF header as far in as readers look for it.
  public static let leadingByteCount = 1_100

  public init(
    filename: String?, contentType: String, range: SourceRange, size: Int, archiveEntries: [String] = [],
    leadingBytes: [UInt8] = [], linkCount: Int = 0
  ) {
    self.filename = filename
    self.contentType = contentType
    self.range = range
    self.size = size
    self.archiveEntries = archiveEntries
    self.leadingBytes = leadingBytes
    self.linkCount = linkCount
  }
}

/// A MIME part as `inspect` shows it.
public struct InventoryPart: Sendable, Codable {
  public let contentType: String
  public let charset: String?
  public let transferEncoding: String
  public let filename: String?
  public let disposition: String?
  public let size: Int
  public let children: [InventoryPart]

  enum CodingKeys: String, CodingKey {
    case contentType = "content_type"
    case charset, filename, disposition, size, children
    case transferEncoding = "transfer_encoding"
  }
}

/// The visible text of one body. The bytes share storage with what the URL finder read; `text`
/// makes a String on demand, so a large body is not kept twice.
public struct VisibleText: Sendable {
  public let bytes: [UInt8]
  public let locator: Locator
  public let inHTML: Bool
  /// The text with the manifest's `variables` substituted (within the draft's expansion budget);
  /// nil when the draft has no variables.
  public let mergedText: String?
  public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A problem reading the draft, reported as an `input/…` finding.
public struct InputProblem: Sendable {
  public let code: String
  public let message: String
  public let range: SourceRange?
  /// How to fix this problem when it says more than its id's general help (a refused path).
  public var help: String? = nil
}

/// How a draft is signed.
public enum Signature: String, Sendable {
  case smime, pgp
}

/// Everything the rules read about one draft, computed once.
public struct Inventory: Sendable {
  public let draftPath: String
  public let kind: DraftKind
  /// The file that represents the draft (the .eml, the manifest, the template).
  public let draftFile: SourceFile
  /// Every file the draft was read from.
  public var files: [SourceFile] = []
  /// The category the draft states (manifest `category`).
  public var statedCategory: Located<String>?
  /// True when headers are known (an .eml or a manifest); bare templates have none.
  public var hasHeaders = false
  public var headers: [InventoryHeader] = []
  public var subject: InventoryHeader? { headers.first { $0.name.caseInsensitiveEquals("Subject") } }
  public var from: [Identity] = []
  public var replyTo: [Identity] = []
  public var returnPath: Identity?
  public var dkimDomains: [Located<String>] = []
  /// `DKIM-Signature` fields of an `.eml`, read as tag lists, with the field's value range.
  public var dkimSignatures: [Located<DKIMSignature>] = []
  /// `Authentication-Results` fields of an `.eml` (a received message or one re-sent as a sample).
  public var authenticationResults: [Located<AuthenticationResults>] = []
  public var received: [ReceivedEntry] = []
  public var statedSendingIPs: [StatedSendingIP] = []
  public var helo: Located<String>?
  public var links: [Link] = []
  public var images: [Image] = []
  public var textURLs: [TextURLEntry] = []
  public var attachments: [Attachment] = []
  public var signature: Signature?
  /// Whether the signature is known (an .eml's structure, or a manifest's `signing`).
  public var signatureKnown = false
  public var clickRewrite: ClickRewrite?
  public var openPixelHost: Located<String>?
  /// HTML text hidden by CSS, with the reason; `preheader` marks the inbox-preview idiom (the first
  /// hidden run, before any visible text).
  public var hiddenText: [(text: String, reason: String, range: SourceRange, preheader: Bool)] = []
  /// HTML comments (in every HTML body, decoded, as the tokenizer reads them) that mention
  /// `sendlint-disable`: they ship to recipients and suppress nothing (`sendlint/html-comment-suppression`).
  public var htmlCommentDirectives: [SourceRange] = []
  /// Visible text of the HTML bodies and the text of text parts, for content rules.
  public var visibleTexts: [VisibleText] = []
  public var problems: [InputProblem] = []
  /// The MIME structure of an .eml.
  public var parts: InventoryPart?
  public var htmlBodyCount = 0
  /// Each HTML body's size as sent and what makes it heavy (for deliverability rules).
  public var htmlParts: [HTMLPartSize] = []
  /// Language, tables, text colours and href-less anchors of each HTML body (not of HTML that
  /// merge variables insert).
  public var htmlBodies: [HTMLBodyFacts] = []
  public var textBodyCount = 0
  /// Merge-tag values from the manifest.
  public var variables: [String: String] = [:]
  /// Published DNS facts, set by `--online`; nil offline, and online rules then say nothing.
  public var online: OnlineFacts?

  public init(draftPath: String, kind: DraftKind, draftFile: SourceFile) {
    self.draftPath = draftPath
    self.kind = kind
    self.draftFile = draftFile
    self.files = [draftFile]
  }

  /// All header fields with a name.
  public func headers(named name: String) -> [InventoryHeader] {
    // Only the matching fields are copied: `filter` copied each of the message's fields (a
    // phishing message carries 50 to 100) to test its name.
    var found: [InventoryHeader] = []
    for index in headers.indices where headers[index].name.caseInsensitiveEquals(name) {
      found.append(headers[index])
    }
    return found
  }
}
