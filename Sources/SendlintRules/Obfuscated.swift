import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `link/obfuscated`: links written to hide where they go.
public struct Obfuscated: Rule {
  public static let metadata = RuleMetadata(
    id: "link/obfuscated",
    summary:
      "A link hides its destination: userinfo before the host, an IP-address host, a percent-encoded host, invisible characters.",
    defaultSeverity: .error,
    whatItDoes: """
      Flags links whose written form differs from where a browser goes: text before an `@` in the \
      authority (`https://www.contoso.com@evil.example/` goes to evil.example), hosts that are IP \
      addresses (in any of the legacy forms browsers accept: `0xC0000201`, `3221225985`, `0300.0.0.01`), \
      hosts written with percent-escapes, and zero-width or bidirectional-control characters in the \
      href or in the link's visible text (in the href's host too, where the URL parser then refuses \
      it). Images loaded from an IP-address host (directly or as a mail provider's image proxy's \
      origin) are flagged too: the recipient's client fetches them on open. URLs written in the visible text of HTML outside \
      any link (`<p>http://3221225985/login</p>`) are judged too, as in text/plain: clients link them.
      """,
    whyIsThisBad: """
      Each of these is a phishing technique catalogued by anti-spam engines (SpamAssassin's \
      `NUMERIC_HTTP_ADDR`, `HTTP_ESCAPED_HOST`, rspamd's `URL_USER_PASSWORD`, `ZERO_WIDTH_SPACE_URL`). \
      Genuine mail never needs them, and a filter that sees one treats the whole message as hostile.
      """,
    example: """
      ```html
      <a href="http://www.microsoft.com@0xd1.0x0b.0x8a.0x61/">www.microsoft.com</a>
      ```
      """,
    useInstead:
      "Write the real host name in plain ASCII (or its IDN form) with no credentials: `https://www.contoso.com/`.",
    references: [
      "RFC 3986 §3.2.1 (userinfo) and §7.6 (semantic attacks)", "WHATWG URL standard §3.5 (IPv4 parser)",
      "Unicode Technical Standard #39 (Unicode security mechanisms)",
    ],
    examples: [
      RuleExample(
        "credentials before the host", flagged: true,
        .html(#"<a href="«https://www.contoso.com@evil.example/login">Sign in</a>"#)),
      RuleExample(
        "a hexadecimal IP host", flagged: true, .html(#"<a href="«http://0xC0.0x00.0x02.0x01/">Update</a>"#)),
      RuleExample(
        "a percent-encoded host", flagged: true, .html(#"<a href="«https://%63ontoso.example/">Account</a>"#)),
      RuleExample(
        "a zero-width space in the link text", flagged: true,
        .html("<a href=\"https://www.contoso.com/\">www.con«\u{200B}toso.com</a>")),
      RuleExample(
        "a defanged address in the text", flagged: true,
        .text("Log in at «hxxps://contoso-login.example/verify today.\n")),
      RuleExample(
        "a spelled-out dot", flagged: true, .text("Write to us at «secure-login dot net for help.\n")),
      RuleExample(
        "a numeric host in paragraph text", flagged: true,
        .html("<p>Sign in at «http://3221225985/login today.</p>")),
      RuleExample(
        "a plain URL in paragraph text", flagged: false,
        .html("<p>Sign in at https://www.contoso.com/login today.</p>")),
      RuleExample(
        "a right-to-left override in the href host", flagged: true,
        .html("<a href=\"https://«www.\u{202E}moc.otnoc\u{202C}.example/\">Account</a>")),
      RuleExample(
        "an image on a disguised IP-address host", flagged: true,
        .html(#"<img src="«http://3221225991/logo.png" width="100" height="40">"#)),
      RuleExample(
        "an image on a dotted IP-address host", flagged: true,
        .html(#"<img src="«http://192.0.2.7/logo.png" width="100" height="40">"#)),
      RuleExample(
        "an image proxy whose origin is an IP-address host", flagged: true,
        .html(
          #"<img src="«https://ci3.googleusercontent.com/proxy/abc#http://192.0.2.7/logo.png" width="100" height="40">"#
        )),
      RuleExample(
        "an image on a host name", flagged: false,
        .html(#"<img src="https://www.contoso.com/logo.png" width="100" height="40">"#)),
      RuleExample(
        "a dotted IP in the alt text of an image on a host name", flagged: false,
        .html(#"<img src="https://www.contoso.com/logo.png" alt="Server 192.0.2.7" width="100" height="40">"#)
      ),
      RuleExample(
        "an IP address with a path in the text", flagged: true,
        .text("Verify your account at «192.0.2.1/login today.\n")),
      RuleExample(
        "netmasks, versions and log lines are not links", flagged: false,
        .text("Use netmask 255.255.255.224 (firmware v 1.1.1.2); the log shows [127.0.0.1] and 0.0.0.0.\n")),
      RuleExample(
        "a munged address in a signature", flagged: false, .text("--\nJane Doe, jane at example dot net\n")),
      RuleExample(
        "a plain link", flagged: false,
        .html(#"<a href="https://www.contoso.com/account?id=1">Your account</a>"#)),
      RuleExample(
        "prose about the dot com era", flagged: false,
        .text("In the dot com era, mail was simpler. Visit https://www.contoso.com/ today.\n")),
    ],
    placeholders: ["host", "text"],
    tags: ["phishing", "links"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    for link in inventory.links where link.kind != .background && link.kind != .css {
      // A bidi control or zero-width character inside the host: the URL parser refuses the host, so
      // there is no URL to judge — the href itself is the finding (its host is what the reader sees).
      if let hit = Self.invisibleInHost(link) {
        hits.append(hit)
        continue
      }
      guard let url = link.url, url.scheme == "http" || url.scheme == "https" || url.scheme == "ftp" else {
        continue
      }
      let host = url.host?.description ?? ""
      hits += Self.authorityHits(url, range: link.range, written: link.href, inText: false)
      if url.notes.contains(.backslashes) {
        hits.append(
          Hit(
            range: link.range,
            message:
              "href \"\(link.href)\" uses backslashes, which browsers read as slashes (it goes to \(host))",
            help: "write the URL with forward slashes only", evidence: "backslash|\(link.href)"))
      }
      let hrefInvisible = InvisibleCharacters.find(in: link.href)
      if let first = hrefInvisible.first {
        hits.append(
          Hit(
            range: link.range,
            message:
              "href \"\(link.href.unicodeScalars.filter { !InvisibleCharacters.isInvisible($0) }.map(String.init).joined())\" contains the invisible character \(InvisibleCharacters.describe(first))",
            help: "delete the invisible character; it changes the URL without showing",
            evidence: "invisible-href|\(link.href)"))
      }
    }
    // Images loaded from an IP-address host, dotted or disguised (`0xC0000207`, `3221225985`; an
    // image proxy's origin counts). A client fetches them on open, so the address is part of what
    // the message does; brands serve images from host names they own (docs/decisions.md,
    // "IP-address image hosts": measured on the scorecard).
    for image in inventory.images where !image.addedByOpenTracking {
      guard let written = image.url, written.scheme == "http" || written.scheme == "https" else { continue }
      let url = ImageProxy.origin(of: written) ?? written
      guard case .ip(let address) = url.host else { continue }
      let form = url.notes.contains(.legacyIPv4) ? " written in a disguised form" : ""
      hits.append(
        Hit(
          range: image.range,
          message:
            "image loads from the IP address \(address)\(form) in \"\(image.src.escapedForDisplay)\"",
          help:
            "serve images from a host name the brand owns; IP-address image hosts are a phishing and spam signature",
          evidence: "image-ip|\(address)", placeholders: ["host": address.description]))
    }
    hits += textURLHits(inventory)
    // Invisible characters inside link text that shows an address.
    for link in inventory.links where !link.fromText {
      var offset = 0
      for scalar in link.text.unicodeScalars {
        let width = String(scalar).utf8.count
        defer { offset += width }
        guard InvisibleCharacters.isInvisible(scalar) else { continue }
        let visible = link.text.unicodeScalars.filter { !InvisibleCharacters.isInvisible($0) }.map(
          String.init
        ).joined()
        guard visible.contains(".") else { break }
        hits.append(
          Hit(
            range: link.textLocator?.range(offset, offset + width) ?? link.range,
            message:
              "link text \"\(visible)\" contains the invisible character \(InvisibleCharacters.describe(scalar))",
            help: "delete the invisible character; hidden characters in addresses are a phishing signature",
            evidence: "invisible-text|\(visible)"))
        break
      }
    }
    // Defanged or spelled-out addresses in the text (hxxp://, example[.]com, "h t t p s : / /",
    // "secure-login dot net"): ways to get a URL past filters that genuine mail never needs.
    for entry in inventory.visibleTexts {
      for found in DefangedAddresses.find(in: entry.bytes, suffixes: context.suffixes).prefix(20) {
        hits.append(
          Hit(
            range: entry.locator.range(found.start, found.end),
            message:
              "text \"\(found.snippet)\" is a disguised address (\(found.kind)); filters and readers treat it as an evasion",
            help: "write a normal link to the brand's own https address",
            evidence: "defanged|\(found.snippet)", placeholders: ["text": found.snippet]))
      }
    }
    return hits
  }

  /// URLs in the visible text of HTML outside any link (`<p>http://3221225985/login</p>`): clients
  /// autolink them as they do in text/plain, where the same URL is a link and is judged above. Only
  /// URLs with a scheme or `www.` are read (bare hosts are the text finder's call); a URL that is
  /// some link's text is judged through that link's href.
  func textURLHits(_ inventory: Inventory) -> [Hit] {
    // Source spans of link texts, sorted, to tell in O(log n) whether a text URL is inside one.
    var spans: [(file: String, start: Int, end: Int)] = []
    for link in inventory.links where !link.fromText && !link.text.isEmpty {
      guard let locator = link.textLocator else { continue }
      let range = locator.range(0, link.text.utf8.count)
      spans.append((range.file.path, range.start, max(range.end, range.start + 1)))
    }
    spans.sort { ($0.file, $0.start) < ($1.file, $1.start) }
    func insideLinkText(_ range: SourceRange) -> Bool {
      var low = 0
      var high = spans.count
      while low < high {
        let mid = (low + high) / 2
        if (spans[mid].file, spans[mid].start) <= (range.file.path, range.start) {
          low = mid + 1
        } else {
          high = mid
        }
      }
      // The nearest spans starting at or before the URL (link texts do not nest, but a few may
      // start at one offset).
      var index = low - 1
      while index >= 0, index >= low - 4, spans[index].file == range.file.path {
        if spans[index].start <= range.start, range.start < spans[index].end { return true }
        index -= 1
      }
      return false
    }
    var hits: [Hit] = []
    for entry in inventory.textURLs where entry.inHTML {
      guard entry.url.form == .schemed || entry.url.form == .www || entry.url.form == .delimited,
        let url = URLRecord.parse(entry.url.openable),
        url.scheme == "http" || url.scheme == "https" || url.scheme == "ftp",
        !insideLinkText(entry.range)
      else { continue }
      hits += Self.authorityHits(url, range: entry.range, written: entry.url.text, inText: true)
    }
    return hits
  }

  /// What the authority of `url` hides: text before an `@`, an IP-address host (disguised or
  /// bare), a percent-encoded host. One judgement for an href (`written` is the href) and for a
  /// URL written in text (`inText`: clients link it), worded for each.
  static func authorityHits(_ url: URLRecord, range: SourceRange, written: String, inText: Bool) -> [Hit] {
    var hits: [Hit] = []
    let host = url.host?.description ?? ""
    var placeholders = ["host": host]
    if inText { placeholders["text"] = written }
    if url.notes.contains(.credentials) {
      let before = url.username.isEmpty ? url.password : url.username
      hits.append(
        Hit(
          range: range,
          message: inText
            ? "URL \"\(written)\" in the text puts \"\(before)\" before an @: clients link it, and browsers go to \(host), not \(before)"
            : "link \"\(written)\" puts \"\(before)\" before an @: browsers go to \(host), not \(before)",
          help: inText
            ? "remove the text before @ and write the real host directly"
            : "remove the text before @ and link to the real host directly",
          evidence: "userinfo|\(host)", placeholders: placeholders))
    }
    if case .ip(let address) = url.host {
      let legacy = url.notes.contains(.legacyIPv4)
      placeholders["host"] = address.description
      let message: String
      switch (inText, legacy) {
      case (true, true):
        message =
          "URL \"\(written)\" in the text goes to the IP address \(address) written in a disguised form; clients link it"
      case (true, false):
        message = "URL \"\(written)\" in the text goes to the bare IP address \(address); clients link it"
      case (false, true):
        message = "link host is the IP address \(address) written in a disguised form in \"\(written)\""
      case (false, false): message = "link goes to the bare IP address \(address)"
      }
      hits.append(
        Hit(
          range: range, message: message,
          help: inText
            ? "write a host name the brand owns; IP-address URLs are a phishing signature"
            : "link to a host name the brand owns; IP-address links are a phishing signature",
          evidence: "ip|\(address)", placeholders: placeholders))
    } else if url.notes.contains(.percentEncodedHost) {
      hits.append(
        Hit(
          range: range,
          message: inText
            ? "URL \"\(written)\" in the text has a percent-encoded host that decodes to \(host)"
            : "link host is percent-encoded in \"\(written)\" and decodes to \(host)",
          help: "write the host name \(host) without percent-escapes",
          evidence: "escaped|\(host)", placeholders: placeholders))
    }
    return hits
  }

  /// A zero-width or bidirectional-control character written inside the host of an http(s) href.
  static func invisibleInHost(_ link: Link) -> Hit? {
    // Every invisible character is outside ASCII: an ASCII href (nearly all) has none, and is not
    // trimmed, copied and split to find that out.
    guard !link.href.utf8.isAllASCII else { return nil }
    let lowered = link.href.trimming(" \t\r\n").prefix(8).lowercased()
    guard lowered.hasPrefix("http:") || lowered.hasPrefix("https:") || lowered.hasPrefix("//"),
      let span = HostSpan.find(in: link.href)
    else { return nil }
    let bytes = Array(link.href.utf8)
    let host = String(decoding: bytes[span], as: UTF8.self)
    guard let first = host.unicodeScalars.first(where: InvisibleCharacters.isInvisible) else { return nil }
    let visible = String(
      String.UnicodeScalarView(host.unicodeScalars.filter { !InvisibleCharacters.isInvisible($0) }))
    return Hit(
      range: link.hrefLocator?.range(span.lowerBound, span.upperBound) ?? link.range,
      message:
        "the host of href \"\(link.href.escapedForDisplay)\" contains the invisible character \(InvisibleCharacters.describe(first)), which hides or reorders what the reader sees (it reads as \(visible.escapedForDisplay))",
      help: "write the host name without invisible or bidirectional-control characters",
      evidence: "invisible-host|\(link.href.escapedForDisplay)", placeholders: ["host": visible])
  }
}
