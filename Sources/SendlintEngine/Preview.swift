import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintMIME
import SendlintPolicy
import SendlintRules
import SendlintURL

/// What the HTML report shows of one draft: the message as the recipient receives it, made inert,
/// with every finding the engine could place marked on its element (`data-sendlint-finding`), and
/// the headers, Received path and attachments. Built by `Engine` when `LintRequest.buildsPreviews`.
public struct DraftPreview: Sendable {
  /// A header row; `findings` are indexes into `LintReport.findings`.
  public struct Field: Sendable {
    public let name: String
    public let value: String
    public let findings: [Int]
  }

  /// A Received hop (top first), or a sending IP the manifest states.
  public struct Hop: Sendable {
    public let text: String
    public let ip: String?
    /// Who owns `ip` according to the policy's brand facts.
    public let owner: String?
    /// True for the hop the message left the sender's side from (the first public address).
    public let isSendingHop: Bool
    public let findings: [Int]
  }

  public struct AttachmentRow: Sendable {
    public let filename: String
    public let contentType: String
    public let size: Int
    public let archiveEntries: [String]
    public let findings: [Int]
  }

  public let draftPath: String
  public let kind: String
  public let category: String?
  public let policy: String
  /// The inert document for `<iframe srcdoc>`, CSP meta first; nil when the draft has no body.
  public var document: String?
  /// The text/plain alternative beside an HTML body (an .eml's text part, a campaign's text
  /// template), shown in a second frame; nil when there is none.
  public var textDocument: String?
  /// What the preview shows (which body, what was changed), for the reader.
  public var notes: [String] = []
  public var headers: [Field] = []
  public var hops: [Hop] = []
  public var attachments: [AttachmentRow] = []
  /// Findings of this draft (indexes into `LintReport.findings`), and where each is pinned:
  /// `body`, `header`, `attachment`, `received` or nil (shown in the list only).
  public var findings: [(index: Int, pinnedIn: String?)] = []
  /// Remote loads the preview replaced by placeholders (hosts, in order, once each).
  public var blockedHosts: [String] = []
  /// For findings about a link: what the recipient sees and where the click goes.
  public var links: [Int: LinkDetail] = [:]

  public struct LinkDetail: Sendable {
    public let shownText: String
    public let href: String
    /// The URL the click requests after send-time rewriting, when it differs from `href`.
    public let delivered: String?
    /// Absolute URLs a redirect carries in its query (`?url=https://…`).
    public let embeddedTargets: [String]
  }
}

extension DraftPreview {
  /// The CSP the preview document carries itself (the report page adds its own around it).
  public static let documentPolicy = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

  /// Builds the preview of `inventory` for the findings at `indexes` in `findings`.
  static func build(
    _ inventory: Inventory, summary: DraftSummary, brand: BrandFacts, findings: [Finding], indexes: [Int]
  ) -> DraftPreview {
    var preview = DraftPreview(
      draftPath: inventory.draftPath, kind: inventory.kind.rawValue, category: summary.category,
      policy: summary.policy)
    var pinned: [Int: String] = [:]
    func within(_ range: SourceRange, _ container: SourceRange) -> Bool {
      // An empty range at a field's first byte is about the whole message (a missing Date
      // field reports at 1:1), not about the field that happens to come first.
      guard range.end > range.start || range.start > container.start else { return false }
      return range.file.path == container.file.path && range.start >= container.start
        && range.start <= max(container.start, container.end)
    }
    func findingsIn(_ container: SourceRange, as place: String, exact: Bool = false) -> [Int] {
      indexes.filter { index in
        guard pinned[index] == nil, let range = findings[index].range else { return false }
        let hit =
          exact
          ? range.file.path == container.file.path && range.start == container.start
          : within(range, container)
        if hit { pinned[index] = place }
        return hit
      }
    }
    // Headers the reviewer reads first; the rest of the header block stays in the source.
    for name in ["From", "Sender", "Reply-To", "Return-Path", "To", "Subject", "Date", "List-Unsubscribe"] {
      for header in inventory.headers(named: name) {
        preview.headers.append(
          Field(name: header.name, value: header.value, findings: findingsIn(header.range, as: "header")))
      }
    }
    if inventory.headers(named: "Return-Path").isEmpty, let returnPath = inventory.returnPath {
      preview.headers.append(
        Field(
          name: "Return-Path", value: returnPath.mailbox.address,
          findings: findingsIn(returnPath.range, as: "header")))
    }
    // The Received path, top (nearest the recipient) first, with the sending hop marked as the
    // unauthorised-sending-IP rule finds it: the oldest public address.
    let sendingIndex = inventory.received.reversed().first { entry in
      entry.hop.fromIP.flatMap(IPAddress.init).map { !$0.isInternal } ?? false
    }?.index
    for entry in inventory.received {
      let ip = entry.hop.fromIP
      let text = String(decoding: entry.range.file.bytes[entry.range.start..<entry.range.end], as: UTF8.self)
      preview.hops.append(
        Hop(
          text: text, ip: ip, owner: ip.flatMap(IPAddress.init).map { owner(of: $0, brand: brand) },
          isSendingHop: entry.index == sendingIndex, findings: findingsIn(entry.range, as: "received")))
    }
    for stated in inventory.statedSendingIPs {
      preview.hops.append(
        Hop(
          text: "sending IP stated by the manifest: \(stated.text)", ip: stated.address?.description,
          owner: stated.address.map { owner(of: $0, brand: brand) }, isSendingHop: true,
          findings: findingsIn(stated.range, as: "received")))
    }
    for attachment in inventory.attachments {
      preview.attachments.append(
        AttachmentRow(
          filename: attachment.filename ?? "(no file name)", contentType: attachment.contentType,
          size: attachment.size,
          archiveEntries: attachment.archiveEntries,
          findings: findingsIn(attachment.range, as: "attachment", exact: true)))
    }
    // The body: an .eml's first HTML part (else its first text part), a campaign's or a
    // template's HTML file.
    var body: (bytes: [UInt8], locator: Locator, isHTML: Bool)?
    var alternative: (bytes: [UInt8], locator: Locator, isHTML: Bool)?
    var images: [String: (type: String, bytes: [UInt8])] = [:]
    switch inventory.kind {
    case .eml:
      let message = MIMEMessage.parse(inventory.draftFile)
      var text: (bytes: [UInt8], locator: Locator, isHTML: Bool)?
      var imageBytes = 0
      message.root.walk { entity, _ in
        if entity.isMultipart || entity.isEncapsulatedMessage { return }
        if entity.contentType.type == "image", let id = entity.field(named: "Content-ID") {
          let key = PreviewDocument.contentID(id.value)
          let decoded = entity.decodedBody(in: inventory.draftFile).bytes
          if images[key] == nil, decoded.count <= PreviewDocument.maximumEmbeddedImageBytes,
            imageBytes + decoded.count <= PreviewDocument.maximumEmbeddedTotalBytes
          {
            imageBytes += decoded.count
            images[key] = (entity.contentType.value, decoded)
          }
          return
        }
        if entity.isAttachment { return }
        if entity.contentType.value == "text/html", body == nil {
          let decoded = entity.decodedText(in: inventory.draftFile).text
          body = (decoded.bytes, Locator(file: inventory.draftFile, maps: decoded.maps), true)
        } else if entity.contentType.type == "text", text == nil {
          let decoded = entity.decodedText(in: inventory.draftFile).text
          text = (decoded.bytes, Locator(file: inventory.draftFile, maps: decoded.maps), false)
        }
      }
      if body == nil { body = text } else { alternative = text }
    case .campaign:
      let others = inventory.files.dropFirst()
      let html = others.first(where: { file in
        [".html", ".htm"].contains { file.path.lowercased().hasSuffix($0) }
      })
      let text = others.first(where: { $0.path != html?.path })
      if let html { body = (html.bytes, Locator(file: html), true) }
      if let text {
        if body == nil {
          body = (text.bytes, Locator(file: text), false)
        } else {
          alternative = (text.bytes, Locator(file: text), false)
        }
      }
    case .template:
      let isHTML = !inventory.draftFile.path.lowercased().hasSuffix(".txt")
      body = (inventory.draftFile.bytes, Locator(file: inventory.draftFile), isHTML)
    }
    if let shown = body, shown.bytes.count > PreviewDocument.maximumBodyBytes {
      // Tokens of a huge body would cost many times its size; the findings list still has all.
      preview.notes.append(
        "the \(shown.isHTML ? "HTML" : "text") body is \(shown.bytes.count / 1024) KiB, over the \(PreviewDocument.maximumBodyBytes / (1024 * 1024)) MiB the preview shows; its findings are listed, not pinned"
      )
      preview.findings = indexes.map { ($0, pinned[$0]) }
      preview.links = linkDetails(inventory, findings: findings, indexes: indexes)
      return preview
    }
    if let text = alternative, text.bytes.count > PreviewDocument.maximumBodyBytes { alternative = nil }
    guard let body else {
      preview.notes.append("this draft has no body to show")
      preview.findings = indexes.map { ($0, pinned[$0]) }
      return preview
    }
    // Findings inside a body's source bytes (an .eml holds both parts in one file).
    func findingsWithin(_ part: (bytes: [UInt8], locator: Locator, isHTML: Bool)) -> [(
      index: Int, offset: Int
    )] {
      let first = part.locator.offset(0).offset
      let end = part.bytes.isEmpty ? first : part.locator.offset(part.bytes.count - 1).offset + 1
      return indexes.compactMap { index in
        guard pinned[index] == nil, let range = findings[index].range,
          range.file.path == part.locator.file.path,
          range.start >= first, range.start < end
        else { return nil }
        return (index, range.start)
      }
    }
    let bodyFindings = findingsWithin(body)
    var delivered: [Int: String] = [:]
    for link in inventory.links where !link.fromText && link.range.file.path == body.locator.file.path {
      if let url = link.deliveredURL { delivered[link.range.start] = url }
    }
    let pixel = inventory.images.first(where: \.addedByOpenTracking)
    let pixelFindings = pixel.map { findingsIn($0.range, as: "body", exact: true) } ?? []
    var document = PreviewDocument(
      bytes: body.bytes, locator: body.locator, isHTML: body.isHTML, findings: bodyFindings,
      deliveredURLs: delivered, images: images)
    if let pixel { document.openPixel = (pixel.host ?? "the tracking host", pixelFindings) }
    let rendered = document.render()
    preview.document = rendered.document
    preview.blockedHosts = rendered.blockedHosts
    for index in rendered.pinned { pinned[index] = "body" }
    if let alternative {
      let text = PreviewDocument(
        bytes: alternative.bytes, locator: alternative.locator, isHTML: false,
        findings: findingsWithin(alternative), deliveredURLs: [:], images: [:]
      ).render()
      preview.textDocument = text.document
      for index in text.pinned { pinned[index] = "text part" }
      preview.notes.append("text alternative from \(alternative.locator.file.path), shown below the HTML")
    }
    preview.notes.append(
      "\(body.isHTML ? "HTML" : "text") body from \(body.locator.file.path)"
        + (inventory.clickRewrite.map { "; links as rewritten for click tracking through \($0.domain)" } ?? "")
        + (pixel != nil ? "; the open pixel the ESP adds is shown at the end" : ""))
    if !rendered.blockedHosts.isEmpty {
      preview.notes.append(
        "remote images replaced by placeholders (nothing was fetched): \(rendered.blockedHosts.joined(separator: ", "))"
      )
    }
    preview.findings = indexes.map { ($0, pinned[$0]) }
    preview.links = linkDetails(inventory, findings: findings, indexes: indexes)
    return preview
  }

  /// The link each finding is about, found from its range (href, host or shown text).
  static func linkDetails(_ inventory: Inventory, findings: [Finding], indexes: [Int]) -> [Int: LinkDetail] {
    var details: [Int: LinkDetail] = [:]
    let spans = inventory.links.map { link -> (Link, [SourceRange]) in
      var ranges = [link.range]
      if let locator = link.textLocator, !link.text.isEmpty {
        ranges.append(locator.range(0, link.text.utf8.count))
      }
      return (link, ranges)
    }
    for index in indexes {
      guard let range = findings[index].range else { continue }
      guard
        let (link, _) = spans.first(where: { _, ranges in
          ranges.contains {
            $0.file.path == range.file.path && range.start >= $0.start && range.start <= $0.end
          }
        })
      else { continue }
      let embedded = link.analysis.embeddedTargets.map(\.href)
      let delivered = link.deliveredURL.flatMap { $0 == link.href || $0 == link.url?.href ? nil : $0 }
      details[index] = LinkDetail(
        shownText: link.text, href: link.href, delivered: delivered, embeddedTargets: embedded)
    }
    return details
  }

  static func owner(of address: IPAddress, brand: BrandFacts) -> String {
    if brand.sendingIPs.contains(where: { $0.contains(address) }) { return "the brand (brand.sending_ips)" }
    if let vendor = brand.vendors.first(where: { $0.sendingIPs.contains { $0.contains(address) } }) {
      return "vendor \(vendor.name)"
    }
    return "not in the policy (neither brand.sending_ips nor a vendor)"
  }
}

extension LintReport {
  /// The report with only the findings `keep` accepts, previews renumbered to match (`--quiet`).
  public func filteringFindings(_ keep: (Finding) -> Bool) -> LintReport {
    var copy = self
    var renumbered: [Int: Int] = [:]
    copy.findings = []
    for (index, finding) in findings.enumerated() where keep(finding) {
      renumbered[index] = copy.findings.count
      copy.findings.append(finding)
    }
    func map(_ indexes: [Int]) -> [Int] { indexes.compactMap { renumbered[$0] } }
    copy.previews = previews.map { preview in
      var changed = preview
      changed.findings = preview.findings.compactMap { entry in
        renumbered[entry.index].map { ($0, entry.pinnedIn) }
      }
      changed.headers = preview.headers.map {
        .init(name: $0.name, value: $0.value, findings: map($0.findings))
      }
      changed.hops = preview.hops.map {
        .init(
          text: $0.text, ip: $0.ip, owner: $0.owner, isSendingHop: $0.isSendingHop, findings: map($0.findings)
        )
      }
      changed.attachments = preview.attachments.map {
        .init(
          filename: $0.filename, contentType: $0.contentType, size: $0.size,
          archiveEntries: $0.archiveEntries, findings: map($0.findings))
      }
      changed.links = Dictionary(
        uniqueKeysWithValues: preview.links.compactMap { key, value in renumbered[key].map { ($0, value) } })
      if let document = preview.document { changed.document = DraftPreview.renumber(document, renumbered) }
      if let document = preview.textDocument {
        changed.textDocument = DraftPreview.renumber(document, renumbered)
      }
      return changed
    }
    return copy
  }
}

extension DraftPreview {
  /// Rewrites `data-sendlint-finding="…"` lists in a preview document through `renumbered`
  /// (the preview writes that attribute itself, always double-quoted with digits and spaces).
  static func renumber(_ document: String, _ renumbered: [Int: Int]) -> String {
    let marker = Array("data-sendlint-finding=\"".utf8)
    let bytes = Array(document.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      if bytes[index] == marker[0], bytes.count - index >= marker.count,
        Array(bytes[index..<(index + marker.count)]) == marker
      {
        var end = index + marker.count
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
        let numbers = String(decoding: bytes[(index + marker.count)..<end], as: UTF8.self).split(
          separator: " "
        ).compactMap { Int($0) }
        let kept = numbers.compactMap { renumbered[$0 - 1].map { String($0 + 1) } }
        if kept.isEmpty {
          // No finding left on the element: the attribute goes, with the space before it.
          if output.last == UInt8(ascii: " ") { output.removeLast() }
          index = min(bytes.count, end + 1)
        } else {
          output += Array(("data-sendlint-finding=\"" + kept.joined(separator: " ")).utf8)
          index = end
        }
      } else {
        output.append(bytes[index])
        index += 1
      }
    }
    return String(decoding: output, as: UTF8.self)
  }
}
