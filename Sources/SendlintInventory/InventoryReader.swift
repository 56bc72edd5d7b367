import SendlintCore
import SendlintHTML
import SendlintMIME
import SendlintURL

/// Builds inventories from the three kinds of draft. Parsers do the reading; this only assembles
/// what they found, applies merge-tag values and the send-time view, and maps every position back
/// to the file the author edits.
public enum InventoryReader {
  /// A raw RFC 5322 message.
  public static func eml(_ file: SourceFile, finder: TextURLFinder = TextURLFinder()) -> Inventory {
    var inventory = Inventory(draftPath: file.path, kind: .eml, draftFile: file)
    inventory.hasHeaders = true
    inventory.signatureKnown = true
    let message = MIMEMessage.parse(file)
    for problem in message.problems {
      inventory.problems.append(
        InputProblem(
          code: problem.code, message: problem.message,
          range: SourceRange(file: file, start: problem.offset, end: problem.offset)))
    }
    let root = message.root
    if root.headers.isEmpty {
      inventory.problems.append(
        InputProblem(
          code: "input/unparseable",
          message: "no RFC 5322 header fields found; is this really an .eml message?",
          range: SourceRange(file: file, start: 0, end: 0)))
    }
    for field in root.headers {
      let range = SourceRange(file: file, start: field.start, end: field.end)
      inventory.headers.append(
        InventoryHeader(name: field.name, value: field.decodedValue, rawValue: field.value, range: range))
      let valueRange = SourceRange(file: file, start: field.valueStart, end: field.end)
      if field.is("From") || field.is("Reply-To") || field.is("Return-Path") {
        let mailboxes = Mailbox.parseList(field.value)
        let identities = mailboxes.map { Identity(mailbox: $0, range: valueRange, field: field.name) }
        if field.is("From") {
          inventory.from += identities
        } else if field.is("Reply-To") {
          inventory.replyTo += identities
        } else {
          inventory.returnPath = identities.first
        }
      } else if field.is("DKIM-Signature") {
        let signature = DKIMSignature.parse(field.value)
        inventory.dkimSignatures.append(Located(signature, valueRange))
        if let domain = signature.domain, !domain.isEmpty {
          inventory.dkimDomains.append(Located(domain, valueRange))
        }
      } else if field.is("Authentication-Results") {
        if let results = AuthenticationResults.parse(field.decodedValue) {
          inventory.authenticationResults.append(Located(results, valueRange))
        }
      } else if field.is("Received") {
        inventory.received.append(
          ReceivedEntry(hop: ReceivedHop.parse(field.value), range: range, index: inventory.received.count))
      }
    }
    inventory.parts = part(root)
    // Bodies, attachments and signatures, depth first; attached messages sent base64 or
    // quoted-printable are read from their decoded bytes, as files of their own.
    var collector = BodyCollector(finder: finder)
    var reportedAttachmentLimit = false
    var archiveEntryBudget = InventoryLimits.maximumArchiveEntries
    var pdfLinks: [Link] = []
    func collect(_ root: MIMEEntity, in file: SourceFile) {
      root.walk { entity, _ in
        if entity.contentType.value == "multipart/signed", let found = Signatures.detached(entity, in: file) {
          inventory.signature = found
        }
        if Signatures.isOpaqueSigned(entity) { inventory.signature = .smime }
        for attached in entity.decodedMessage {
          // Problems inside an attached message (a limit hit there) are the draft's problems too.
          for problem in attached.problems {
            inventory.problems.append(
              InputProblem(
                code: problem.code, message: problem.message,
                range: SourceRange(file: attached.file, start: problem.offset, end: problem.offset)))
          }
          collect(attached.root, in: attached.file)
        }
        if entity.isMultipart || entity.isEncapsulatedMessage { return }
        let bodyRange = SourceRange(file: file, start: entity.bodyStart, end: entity.bodyStart)
        if entity.isAttachment {
          if Signatures.signatureTypes.contains(entity.contentType.value)
            || Signatures.isOpaqueWrapper(entity)
          {
            // The signature part of a signed message, or the smime.p7m an opaque S/MIME message
            // is wrapped in, is not an attachment in the user's sense.
            return
          }
          let partRange = SourceRange(file: file, start: entity.start, end: entity.start)
          guard inventory.attachments.count < InventoryLimits.maximumAttachments else {
            if !reportedAttachmentLimit {
              reportedAttachmentLimit = true
              inventory.problems.append(
                InputProblem(
                  code: "input/limit-exceeded",
                  message:
                    "more than \(InventoryLimits.maximumAttachments) attachments; the rest were not checked",
                  range: partRange))
            }
            return
          }
          let body = entity.decodedBody(in: file)
          // Declared a ZIP, or one by its bytes (a local file header or an empty archive's end
          // record), whatever its name says: `invoice.pdf` that is a ZIP of scripts is listed too.
          let isZip =
            entity.contentType.value.contains("zip")
            || (entity.filename?.lowercased().hasSuffix(".zip") ?? false)
            || body.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
            || body.bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
          var entries: [String] = []
          if isZip {
            let listing = ZipDirectory.read(
              body.bytes, maximumEntries: min(ZipDirectory.maximumEntries, archiveEntryBudget))
            entries = listing.names
            archiveEntryBudget -= entries.count
            let shown = "\"\((entity.filename ?? "archive").escapedForDisplay)\""
            if listing.truncated {
              let limit =
                archiveEntryBudget == 0
                ? "\(InventoryLimits.maximumArchiveEntries) archive entries in the draft"
                : "\(ZipDirectory.maximumEntries) entries"
              inventory.problems.append(
                InputProblem(
                  code: "input/limit-exceeded",
                  message: "archive \(shown) has more than \(limit); the rest were not checked",
                  range: partRange))
            }
            for problem in listing.problems {
              inventory.problems.append(
                InputProblem(
                  code: "input/unparseable", message: "archive \(shown) cannot be read fully: \(problem)",
                  range: partRange,
                  help:
                    "attach the complete archive (its entries were not checked for dangerous types), or link to the file instead of attaching it"
                ))
            }
          }
          var linkCount = 0
          if PDFLinks.isPDF(body.bytes) {
            let found = attachmentLinks(
              pdf: body.bytes, map: body.map, file: file, filename: entity.filename, partRange: partRange)
            pdfLinks += found.links
            linkCount = found.links.count
            inventory.problems += found.problems
          }
          inventory.attachments.append(
            Attachment(
              filename: entity.filename, contentType: entity.contentType.value, range: partRange,
              size: entity.bodyEnd - entity.bodyStart, archiveEntries: entries,
              leadingBytes: Array(body.bytes.prefix(Attachment.leadingByteCount)), linkCount: linkCount))
          return
        }
        let charset = entity.contentType.parameters["charset"] ?? "none"
        if entity.contentType.type == "text", entity.isMislabelledQuotedPrintable(in: file) {
          inventory.problems.append(
            InputProblem(
              code: "input/malformed-mime",
              message:
                "the \(entity.contentType.value) part is quoted-printable but declares Content-Transfer-Encoding \(entity.transferEncoding); it was read decoded, as its author meant it",
              range: bodyRange))
        }
        if entity.contentType.value == "text/html" {
          let decoded = entity.decodedText(in: file)
          if decoded.lossy {
            inventory.problems.append(
              InputProblem(
                code: "input/charset",
                message:
                  "the HTML part's bytes are not valid in its declared charset \"\(charset)\"; they were read as mail clients read them (U+FFFD for bad UTF-8, Windows-1252 for undeclared 8-bit text)",
                range: bodyRange))
          }
          collector.html(decoded.text.bytes, locator: Locator(file: file, maps: decoded.text.maps))
          inventory.htmlParts.append(
            HTMLPartSize(
              sentBytes: entity.bodyEnd - entity.bodyStart, transferEncoding: entity.transferEncoding,
              estimated: false,
              decodedBytes: decoded.text.bytes.count, weight: HTMLWeight.measure(decoded.text.bytes),
              locator: Locator(file: file, maps: decoded.text.maps)))
        } else if entity.contentType.type == "text" || entity.contentType.type == "multipart"
          || !entity.hasExplicitContentType
        {
          // A multipart whose boundary never occurs is shown as text, so it is read as text.
          let decoded = entity.decodedText(in: file)
          var locator = Locator(file: file, maps: decoded.text.maps)
          var text = decoded.text.bytes
          if entity.contentType.parameters["format"]?.lowercased() == "flowed" {
            // Read the text as clients display it: soft line breaks joined (RFC 3676).
            let flowed = FormatFlowed.unwrap(
              text, deleteSpace: entity.contentType.parameters["delsp"]?.lowercased() == "yes")
            text = flowed.bytes
            locator = locator.through(flowed.map)
          }
          if entity.contentType.value == "text/plain" || !entity.hasExplicitContentType,
            Signatures.isCleartextSigned(text)
          {
            inlinePGP = true
          }
          collector.text(text, locator: locator)
        }
      }
    }
    var inlinePGP = false
    collect(root, in: file)
    collector.finish(into: &inventory)
    // An OpenPGP cleartext signature (RFC 4880 §7) signs the text it wraps; when the message also
    // has an HTML body, clients show that unsigned HTML instead, so it does not count.
    if inventory.signature == nil, inlinePGP, inventory.htmlBodyCount == 0 { inventory.signature = .pgp }
    if !pdfLinks.isEmpty { inventory.links += pdfLinks }
    return inventory
  }

  /// The `/URI` links of a PDF attachment, located in its MIME part (at the line holding the
  /// object, or the stream it was inflated from), and the limits its reading hit.
  static func attachmentLinks(
    pdf bytes: [UInt8], map: OffsetMap, file: SourceFile, filename: String?, partRange: SourceRange
  ) -> (links: [Link], problems: [InputProblem]) {
    let result = PDFLinks.read(bytes)
    let locator = Locator(file: file, maps: [map])
    let shown = "\"\((filename ?? "attachment").escapedForDisplay)\""
    let links = result.uris.map { uri -> Link in
      let range = locator.range(uri.offset, uri.offset)
      let parsed = URLRecord.parse(uri.value)
      var link = Link(
        kind: .pdf, href: uri.value, url: parsed, unresolvedHostTag: nil, text: "", textLocator: nil,
        hiddenText: "",
        imageAltTexts: [], hidden: false, range: range, hrefLocator: nil, rewrite: nil,
        inConditionalComment: false,
        fromText: false, deliveredURL: parsed?.href)
      link.origin = "PDF attachment \(shown)" + (uri.objectNumber.map { ", object \($0)" } ?? "")
      link.analyse(finder: TextURLFinder())  // a PDF link has no text: the finder is not used
      return link
    }
    let problems = result.limits.map {
      InputProblem(
        code: "input/limit-exceeded", message: "PDF attachment \(shown) has \($0)", range: partRange)
    }
    return (links, problems)
  }

  /// A campaign manifest with its templates, read as the recipient will receive it.
  public static func campaign(
    _ manifest: CampaignManifest, html: SourceFile?, text: SourceFile?,
    finder: TextURLFinder = TextURLFinder()
  ) -> Inventory {
    let file = manifest.file
    var inventory = Inventory(draftPath: file.path, kind: .campaign, draftFile: file)
    inventory.hasHeaders = true
    inventory.statedCategory = manifest.category
    inventory.variables = manifest.variables
    if let html { inventory.files.append(html) }
    if let text { inventory.files.append(text) }
    func header(_ name: String, _ value: Located<String>) {
      inventory.headers.append(
        InventoryHeader(
          name: name, value: EncodedWords.decode(value.value), rawValue: value.value, range: value.range))
    }
    if let from = manifest.from {
      header("From", from)
      inventory.from = Mailbox.parseList(from.value).map {
        Identity(mailbox: $0, range: from.range, field: "From")
      }
    }
    if let replyTo = manifest.replyTo {
      header("Reply-To", replyTo)
      inventory.replyTo = Mailbox.parseList(replyTo.value).map {
        Identity(mailbox: $0, range: replyTo.range, field: "Reply-To")
      }
    }
    if let subject = manifest.subject { header("Subject", subject) }
    for (name, value) in manifest.headers { header(name.value, value) }
    if let returnPath = manifest.returnPath {
      inventory.returnPath = Mailbox.parseList(returnPath.value).first.map {
        Identity(mailbox: $0, range: returnPath.range, field: "Return-Path")
      }
    }
    inventory.dkimDomains = manifest.dkimDomains.map { Located($0.value.lowercased(), $0.range) }
    inventory.helo = manifest.helo
    inventory.statedSendingIPs = manifest.sendingIPs.map {
      StatedSendingIP(text: $0.value, address: IPAddress($0.value), range: $0.range)
    }
    // A campaign states how it is sent: no `signing` means unsigned.
    inventory.signatureKnown = true
    inventory.signature = manifest.signing.flatMap { Signature(rawValue: $0.value) }
    for attachment in manifest.attachments {
      inventory.attachments.append(
        Attachment(
          filename: attachment.value, contentType: "application/octet-stream", range: attachment.range,
          size: 0))
    }
    // The send-time view: what the ESP adds.
    if let clicks = manifest.clickTracking, clicks.enabled, let domain = clicks.domain {
      inventory.clickRewrite = ClickRewrite(
        domain: HostName.normalise(domain.value), range: domain.range, urlTemplate: clicks.urlTemplate?.value)
    }
    if let opens = manifest.openTracking, opens.enabled, let host = opens.pixelHost {
      inventory.openPixelHost = host
    }
    var collector = BodyCollector(finder: finder)
    collector.rewrite = inventory.clickRewrite
    collector.variables = MergeVariables(manifest.variables)
    collector.variableRanges = manifest.variableRanges
    if let html { collector.html(html.bytes, locator: Locator(file: html)) }
    if let text { collector.text(text.bytes, locator: Locator(file: text)) }
    collector.finish(into: &inventory)
    if let html {
      inventory.htmlParts.append(estimatedSize(of: html, in: inventory, variables: manifest.variables))
    }
    if let host = inventory.openPixelHost {
      let src = "https://\(host.value)/open.gif"
      inventory.images.append(
        Image(
          src: src, url: URLRecord.parse(src), width: 1, height: 1, cssWidth: nil, cssHeight: nil,
          hiddenReason: nil,
          alt: nil, range: host.range, srcLocator: nil, recipientTags: ["recipient"],
          addedByOpenTracking: true))
    }
    return inventory
  }

  /// A bare template: only what the template itself shows is known.
  public static func template(_ file: SourceFile, isHTML: Bool, finder: TextURLFinder = TextURLFinder())
    -> Inventory
  {
    var inventory = Inventory(draftPath: file.path, kind: .template, draftFile: file)
    var collector = BodyCollector(finder: finder)
    if isHTML {
      collector.html(file.bytes, locator: Locator(file: file))
    } else {
      collector.text(file.bytes, locator: Locator(file: file))
    }
    collector.finish(into: &inventory)
    if isHTML { inventory.htmlParts.append(estimatedSize(of: file, in: inventory, variables: [:])) }
    return inventory
  }

  /// The HTML part an ESP will send for a template: merge tags filled from `variables`, each link the
  /// click rewrite wraps grown to its rewritten URL, the open pixel's tag added, then encoded
  /// quoted-printable as ESPs send HTML.
  static func estimatedSize(of html: SourceFile, in inventory: Inventory, variables: [String: String])
    -> HTMLPartSize
  {
    var bytes = html.bytes
    if !variables.isEmpty {
      var budget = ExpansionBudget()
      bytes = Array(
        MergeTags.substitute(
          String(decoding: bytes, as: UTF8.self), variables: MergeVariables(variables), budget: &budget
        ).text.utf8)
    }
    var sent = HTMLPartSize.quotedPrintableLength(bytes)
    for link in inventory.links where link.rewrite != nil && !link.fromText {
      if let delivered = link.deliveredURL { sent += max(0, delivered.utf8.count - link.href.utf8.count) }
    }
    if let host = inventory.openPixelHost {
      sent +=
        #"<img src="https://"#.utf8.count + host.value.utf8.count
        + #"/open.gif?r=0000000000000000" width="1" height="1" alt="">"#.utf8.count
    }
    return HTMLPartSize(
      sentBytes: sent, transferEncoding: "quoted-printable", estimated: true, decodedBytes: bytes.count,
      weight: HTMLWeight.measure(html.bytes), locator: Locator(file: html))
  }

  static func part(_ entity: MIMEEntity) -> InventoryPart {
    InventoryPart(
      contentType: entity.contentType.value, charset: entity.contentType.parameters["charset"],
      transferEncoding: entity.transferEncoding, filename: entity.filename,
      disposition: entity.disposition?.value,
      size: entity.bodyEnd - entity.bodyStart, children: entity.children.map(part))
  }
}

/// Gathers links, images and text URLs from HTML and text bodies, then detects split URLs with
/// knowledge of every link in the message.
struct BodyCollector {
  let finder: TextURLFinder
  var rewrite: ClickRewrite?
  var links: [Link] = []
  var images: [Image] = []
  var hiddenText: [(String, String, SourceRange, Bool)] = []
  var htmlCommentDirectives: [SourceRange] = []
  var texts: [(bytes: [UInt8], locator: Locator, inHTML: Bool)] = []
  var problems: [InputProblem] = []
  var htmlCount = 0
  var textCount = 0
  var htmlBodies: [HTMLBodyFacts] = []
  /// The manifest's merge-tag values (none for an .eml or a bare template).
  var variables = MergeVariables([:])
  /// What merge tags and the click rewrite may still insert in this draft.
  var budget = ExpansionBudget()
  var reportedExpansionLimit = false
  /// Where the manifest writes each variable's value.
  var variableRanges: [String: SourceRange] = [:]
  /// Triple-stash tags read as HTML in this draft, at most `maximumHTMLVariableExpansions`.
  var htmlVariableExpansions = 0
  static let maximumHTMLVariableExpansions = 200

  init(finder: TextURLFinder) { self.finder = finder }

  /// A locator for text of a variable's value: exact columns when the manifest writes the value
  /// as it is (plain, or quoted without escapes), else the start of the value for every byte.
  func variableLocator(_ name: String, value: [UInt8]) -> Locator? {
    let range =
      variableRanges[name] ?? variableRanges.first(where: { $0.key.lowercased() == name.lowercased() })?.value
    guard let range else { return nil }
    let source = range.file.bytes
    for base in [range.start, range.start + 1]
    where base + value.count <= source.count && source[base..<(base + value.count)].elementsEqual(value) {
      return Locator(file: range.file, maps: [OffsetMap.identity(base: base)])
    }
    var map = OffsetMap()
    map.add(decoded: 0, source: range.start, exact: false)
    return Locator(file: range.file, maps: [map])
  }

  /// HTML inserted unescaped by triple-stash tags (`{{{promo}}}`): Handlebars and Mustache insert
  /// it as markup, so its links and images are the message's, located at the variable's value.
  /// Double-stash tags escape the value (its markup shows as text) and are not read. One level:
  /// tags inside a value are not expanded again. Each value read is charged to the draft budget.
  mutating func htmlFromVariables(in bytes: [UInt8], locator: Locator) {
    guard !variables.exact.isEmpty else { return }
    let open = Array("{{{".utf8)
    for tag in MergeTags.find(in: bytes)
    where MergeTags.matches(bytes, at: tag.range.lowerBound, open) && !tag.isComment {
      guard let value = variables.value(for: tag.name), value.containsBytes("<"),
        let valueLocator = variableLocator(tag.name, value: Array(value.utf8))
      else { continue }
      guard htmlVariableExpansions < Self.maximumHTMLVariableExpansions else {
        problems.append(
          InputProblem(
            code: "input/limit-exceeded",
            message:
              "more than \(Self.maximumHTMLVariableExpansions) triple-stash merge tags insert HTML in one template (limit BodyCollector.maximumHTMLVariableExpansions); the rest were not read: insert fewer HTML variables",
            range: locator.range(tag.range.lowerBound, tag.range.upperBound)))
        return
      }
      guard budget.charge(value.utf8.count, toExpansionOf: 0) else {
        noteExpansionLimit(at: locator.range(tag.range.lowerBound, tag.range.upperBound))
        return
      }
      htmlVariableExpansions += 1
      html(Array(value.utf8), locator: valueLocator, isBody: false)
    }
  }

  /// Reports the first expansion cap hit, once per draft, at `range`: one finding, not one per link.
  mutating func noteExpansionLimit(at range: SourceRange) {
    guard let message = budget.exceeded, !reportedExpansionLimit else { return }
    reportedExpansionLimit = true
    problems.append(InputProblem(code: "input/limit-exceeded", message: message, range: range))
  }

  /// The URL a click on a link to `url` requests, through the rewrite when there is one.
  mutating func deliveredURL(_ url: URLRecord?, rewrite: ClickRewrite?, range: SourceRange) -> String? {
    guard let url else { return nil }
    guard let rewrite else { return url.href }
    let delivered = rewrite.rewritten(url.href, budget: &budget)
    noteExpansionLimit(at: range)
    return delivered
  }

  mutating func html(_ bytes: [UInt8], locator: Locator, isBody: Bool = true) {
    if isBody { htmlCount += 1 }
    let html = HTMLInventory.read(bytes)
    let base = html.baseHref.flatMap { URLRecord.parse($0) }
    for problem in html.problems {
      problems.append(
        InputProblem(
          code: "input/limit-exceeded", message: problem.message,
          range: locator.range(problem.offset, problem.offset)))
    }
    htmlCommentDirectives += html.directiveComments.map { locator.range($0.start, $0.end) }
    for link in html.links {
      var resolved = Self.resolve(link.href, base: base, variables: variables, budget: &budget)
      var resolvedByClient = false
      if resolved.url == nil, resolved.hostTag == nil, base == nil,
        link.kind == .a || link.kind == .area || link.kind == .vml,
        let absolute = Self.clientResolution(of: link.href)
      {
        let byClient = Self.resolve(absolute, base: nil, variables: variables, budget: &budget)
        if byClient.url?.host != nil {
          resolved = byClient
          resolvedByClient = true
        }
      }
      let isWeb = resolved.url.map { $0.scheme == "http" || $0.scheme == "https" } ?? false
      let hrefLocator = locator
      let range = hrefLocator.range(link.hrefStart, link.hrefEnd)
      noteExpansionLimit(at: range)
      let linkRewrite = isWeb && (link.kind == .a || link.kind == .area || link.kind == .vml) ? rewrite : nil
      let delivered = deliveredURL(resolved.url, rewrite: linkRewrite, range: range)
      links.append(
        Link(
          kind: link.kind, href: link.href, url: resolved.url, unresolvedHostTag: resolved.hostTag,
          text: link.text.string, textLocator: locator.through(link.text.maps.first ?? OffsetMap()),
          hiddenText: link.hiddenText,
          imageAltTexts: link.imageAltText.map {
            ($0.text, locator.range($0.start, $0.start + $0.text.utf8.count))
          },
          hidden: link.hidden, range: range,
          hrefLocator: locator.through(link.hrefMap),
          rewrite: linkRewrite,
          inConditionalComment: link.inConditionalComment, fromText: false, deliveredURL: delivered,
          resolvedByClient: resolvedByClient, accessibleLabel: link.accessibleLabel,
          shownImageAltTexts: link.shownImageAltText))
    }
    for image in html.images {
      let resolved = Self.resolve(image.src, base: base, variables: variables, budget: &budget)
      noteExpansionLimit(at: locator.range(image.srcStart, image.srcEnd))
      images.append(
        Image(
          src: image.src, url: resolved.url, width: image.width, height: image.height,
          cssWidth: image.cssWidth,
          cssHeight: image.cssHeight, hiddenReason: image.hiddenReason, alt: image.alt,
          range: locator.range(image.srcStart, image.srcEnd), srcLocator: locator.through(image.srcMap),
          recipientTags: resolved.unresolved, addedByOpenTracking: false, element: image.element))
    }
    for (index, run) in html.hiddenText.enumerated() {
      hiddenText.append(
        (
          run.text, run.reason, locator.range(run.start, run.start + run.text.utf8.count),
          index == 0 && run.beforeVisibleText
        ))
    }
    texts.append((html.visibleText.bytes, locator.through(html.visibleText.maps.first ?? OffsetMap()), true))
    if isBody { htmlBodies.append(HTMLBodyFacts(facts: html.accessibility, locator: locator)) }
    if isBody { htmlFromVariables(in: bytes, locator: locator) }
  }

  mutating func text(_ bytes: [UInt8], locator: Locator) {
    textCount += 1
    texts.append((bytes, locator, false))
  }

  mutating func finish(into inventory: inout Inventory) {
    let known = Set(links.compactMap { $0.url?.href } + links.map(\.href))
    var textURLs: [TextURLEntry] = []
    var urlBudget = InventoryLimits.maximumTextURLs
    for (bytes, locator, inHTML) in texts {
      // One more than the urlBudget, to tell "exactly the urlBudget" from "more than it".
      var found = finder.find(in: bytes, knownURLs: known, maximumResults: urlBudget + 1)
      if found.count > urlBudget {
        found.removeLast(found.count - urlBudget)
        let at = found.last.map { locator.range($0.start, $0.end) }
        problems.append(
          InputProblem(
            code: "input/limit-exceeded",
            message:
              "more than \(InventoryLimits.maximumTextURLs) URLs in the draft's text; the rest were not checked",
            range: at))
        urlBudget = 0
      } else {
        urlBudget -= found.count
      }
      for url in found {
        let splitRange = url.split.map { locator.range($0.lowerBound, $0.upperBound) }
        textURLs.append(
          TextURLEntry(
            url: url, range: locator.range(url.start, url.end), splitRange: splitRange, locatorText: bytes,
            inHTML: inHTML, locator: locator))
        if !inHTML {
          // URLs in a text part are links the recipient's client will make clickable.
          let parsed = URLRecord.parse(url.openable)
          let isWeb = parsed.map { $0.scheme == "http" || $0.scheme == "https" } ?? false
          let delivered = deliveredURL(
            parsed, rewrite: isWeb ? rewrite : nil, range: locator.range(url.start, url.end))
          links.append(
            Link(
              kind: .text, href: url.text, url: parsed, unresolvedHostTag: nil, text: url.text,
              textLocator: Locator(
                file: locator.file, maps: [OffsetMap.identity(base: url.start)] + locator.maps),
              hiddenText: "", imageAltTexts: [], hidden: false, range: locator.range(url.start, url.end),
              hrefLocator: Locator(
                file: locator.file, maps: [OffsetMap.identity(base: url.start)] + locator.maps),
              rewrite: isWeb ? rewrite : nil, inConditionalComment: false, fromText: true,
              deliveredURL: delivered))
        }
      }
      if urlBudget == 0 { break }
    }
    // Each link's parsing, once, for every rule that reads it.
    for index in links.indices { links[index].analyse(finder: finder) }
    // Moved, not shared: `eml` appends a PDF's links afterwards, and appending to an array the
    // collector still held copied all of them (3 MB for 4,000 links) while the message was read.
    inventory.links = links
    links = []
    inventory.images += images
    inventory.htmlBodies += htmlBodies
    inventory.textURLs = textURLs
    inventory.hiddenText = hiddenText.map { ($0.0, $0.1, $0.2, $0.3) }
    inventory.htmlCommentDirectives += htmlCommentDirectives
    var visibleTexts: [VisibleText] = []
    for (bytes, locator, inHTML) in texts {
      var merged: String?
      if !variables.exact.isEmpty {
        merged =
          MergeTags.substitute(String(decoding: bytes, as: UTF8.self), variables: variables, budget: &budget)
          .text
        noteExpansionLimit(at: locator.range(0, 0))
      }
      visibleTexts.append(VisibleText(bytes: bytes, locator: locator, inHTML: inHTML, mergedText: merged))
    }
    inventory.visibleTexts = visibleTexts
    inventory.problems += problems
    inventory.htmlBodyCount += htmlCount
    inventory.textBodyCount += textCount
  }

  /// Substitutes merge tags, notes a tag standing in the host, and parses the URL.
  /// Reserved test TLDs (RFC 2606, RFC 6761) read as hosts too: drafts and tests use them.
  static let reservedTopLevelDomains: Set<String> = ["example", "test", "invalid"]

  /// What a mail client opens for an href with no scheme and no base: `//host/…` gets `http:`, and
  /// a schemeless `host/path` (`evil.example/login`, `www.evil.example`) gets `http://`, as Outlook,
  /// Gmail and Apple Mail do. A schemeless href counts only when its first segment is a host name
  /// with a public suffix and it starts with `www.`, has three labels or goes on with a path, query
  /// or fragment: `archive.zip` or `notes.md` alone are file names a client leaves relative.
  static func clientResolution(of href: String) -> String? {
    let trimmed = href.trimming(" \t\r\n")
    guard trimmed.utf8.count <= 8_192 else { return nil }
    if trimmed.hasPrefix("//") {
      guard let third = trimmed.utf8.dropFirst(2).first, third != UInt8(ascii: "/"),
        third != UInt8(ascii: "\\")
      else { return nil }
      return "http:" + trimmed
    }
    let hostPart = trimmed.utf8.prefix {
      $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#")
    }
    guard !hostPart.isEmpty, hostPart.count <= 253,
      hostPart.allSatisfy({
        $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") || ($0 >= 48 && $0 <= 57)
          || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122)
      })
    else { return nil }
    let host = String(decoding: hostPart, as: UTF8.self).lowercased()
    let labels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }),
      let tld = labels.last, tld.utf8.count >= 2, tld.utf8.allSatisfy({ $0 >= 97 && $0 <= 122 })
    else { return nil }
    let known =
      reservedTopLevelDomains.contains(String(tld))
      || (PublicSuffixList.shared?.isKnownSuffix(String(tld)) ?? false)
    guard known, host.hasPrefix("www.") || labels.count >= 3 || hostPart.count < trimmed.utf8.count else {
      return nil
    }
    return "http://" + trimmed
  }

  static func resolve(
    _ href: String, base: URLRecord?, variables: MergeVariables, budget: inout ExpansionBudget
  ) -> (url: URLRecord?, hostTag: String?, unresolved: [String]) {
    let trimmed = href.trimming(" \t\r\n")
    let (substituted, unresolved) = MergeTags.substitute(trimmed, variables: variables, budget: &budget)
    guard !unresolved.isEmpty else { return (URLRecord.parse(substituted, base: base), nil, []) }
    // Where does the authority end? A tag before it (or a tag that is the whole URL) hides the host.
    let bytes = Array(substituted.utf8)
    var authorityEnd = 0
    if let schemeSeparator = substituted.firstRange(of: "://") {
      let afterScheme = substituted.utf8.distance(
        from: substituted.startIndex, to: schemeSeparator.upperBound)
      authorityEnd =
        bytes[afterScheme...].firstIndex {
          $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        } ?? bytes.count
    }
    if let hostTag = unresolved.first(where: {
      $0.range.lowerBound < authorityEnd || $0.range.lowerBound == 0
    }) {
      return (nil, hostTag.name, unresolved.map(\.name))
    }
    // Tags only in path or query: a placeholder keeps the URL parseable.
    var output: [UInt8] = []
    var cursor = 0
    for tag in unresolved {
      output += bytes[cursor..<tag.range.lowerBound] + Array("TAG".utf8)
      cursor = tag.range.upperBound
    }
    output += bytes[cursor...]
    return (URLRecord.parse(String(decoding: output, as: UTF8.self), base: base), nil, unresolved.map(\.name))
  }
}

/// Limits on what one draft may make sendlint check, so a message of many small attachments or
/// archives cannot turn into hundreds of thousands of findings. Hitting one is an
/// `input/limit-exceeded` finding.
public enum InventoryLimits {
  /// Attachments checked per message (attached messages included).
  public static let maximumAttachments = 200
  /// Archive entries listed across all of a draft's archives (each archive also stops at
  /// `ZipDirectory.maximumEntries`).
  public static let maximumArchiveEntries = 10_000
  /// URLs found in a draft's text (text parts and HTML text): each becomes a link the rules check,
  /// so a 10 MB body of URLs must not become a million findings.
  public static let maximumTextURLs = 10_000
}

/// How an .eml is signed, read from its structure (RFC 1847, RFC 8551, RFC 3156, RFC 4880 §7).
enum Signatures {
  /// Detached signature parts: S/MIME (and its pre-standard x- type) and OpenPGP.
  static let signatureTypes: Set<String> = [
    "application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature",
  ]
  static let opaqueTypes: Set<String> = ["application/pkcs7-mime", "application/x-pkcs7-mime"]
  /// smime-type values whose part is the whole message, wrapped (RFC 8551 §3.2.2).
  static let wrappingSMIMETypes: Set<String> = [
    "signed-data", "enveloped-data", "authenveloped-data", "compressed-data",
  ]

  /// The signature of a `multipart/signed`: its second part (RFC 1847 §2.1) must be a non-empty
  /// signature of the declared protocol's kind. A `multipart/signed` without one is not signed.
  static func detached(_ entity: MIMEEntity, in file: SourceFile) -> Signature? {
    guard entity.children.count >= 2 else { return nil }
    let part = entity.children[1]
    let type = part.contentType.value
    guard signatureTypes.contains(type) else { return nil }
    let kind: Signature = type == "application/pgp-signature" ? .pgp : .smime
    let declared = entity.contentType.parameters["protocol"]?.lowercased() ?? ""
    if !declared.isEmpty, !declared.contains(kind == .pgp ? "pgp-signature" : "pkcs7-signature") {
      return nil
    }
    guard part.bodyEnd > part.bodyStart,
      file.bytes[part.bodyStart..<part.bodyEnd].contains(where: {
        $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A
      })
    else { return nil }
    return kind
  }

  /// Opaque S/MIME signing: `application/pkcs7-mime; smime-type=signed-data`.
  static func isOpaqueSigned(_ entity: MIMEEntity) -> Bool {
    opaqueTypes.contains(entity.contentType.value)
      && entity.contentType.parameters["smime-type"]?.lowercased() == "signed-data"
  }

  /// A pkcs7-mime part that is the message itself, signed, encrypted or compressed; without an
  /// smime-type (S/MIME v2 clients) the conventional name smime.p7m says the same.
  static func isOpaqueWrapper(_ entity: MIMEEntity) -> Bool {
    guard opaqueTypes.contains(entity.contentType.value) else { return false }
    if let type = entity.contentType.parameters["smime-type"]?.lowercased() {
      return wrappingSMIMETypes.contains(type)
    }
    return entity.filename?.lowercased() == "smime.p7m"
  }

  private static let cleartextHeader = Array("-----BEGIN PGP SIGNED MESSAGE-----".utf8)
  private static let signatureHeader = Array("-----BEGIN PGP SIGNATURE-----".utf8)
  private static let signatureFooter = Array("-----END PGP SIGNATURE-----".utf8)

  /// An OpenPGP cleartext-signed text: the armor header at the start of a line, then a signature
  /// block opened and closed after it.
  static func isCleartextSigned(_ text: [UInt8]) -> Bool {
    var from = 0
    while let found = text[from...].firstByteRange(of: cleartextHeader) {
      if found.lowerBound == 0 || text[found.lowerBound - 1] == 0x0A {
        guard let open = text[found.upperBound...].firstByteRange(of: signatureHeader),
          text[open.lowerBound - 1] == 0x0A,
          text[open.upperBound...].firstByteRange(of: signatureFooter) != nil
        else { return false }
        return true
      }
      from = found.upperBound
    }
    return false
  }
}
