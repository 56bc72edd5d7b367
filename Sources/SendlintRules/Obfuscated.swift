import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `link/obfuscated`: links written to hide where they go.
public struct Obfuscated: Rule {
  public static let metadata = RuleMetadata(
    id: "link/obfuscated",
    summary: "A link hides its destination: userinfo before the host, an IP-address host, a percent-encoded host, invisible characters.",
    defaultSeverity: .error,
    whatItDoes: """
      Flags links whose written form differs from where a browser goes: text before an `@` in the \
      authority (`https://www.contoso.com@evil.example/` goes to evil.example), hosts that are IP \
      addresses (in any of the legacy forms browsers accept: `0xC0000201`, `3221225985`, `0300.0.0.01`), \
      hosts written with percent-escapes, and zero-width or bidirectional-control characters in the \
      href or in the link's visible text.
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
    useInstead: "Write the real host name in plain ASCII (or its IDN form) with no credentials: `https://www.contoso.com/`.",
    references: [
      "RFC 3986 §3.2.1 (userinfo) and §7.6 (semantic attacks)", "WHATWG URL standard §3.5 (IPv4 parser)",
      "Unicode Technical Standard #39 (Unicode security mechanisms)",
    ],
    examples: [
      RuleExample("credentials before the host", flagged: true, .html(#"<a href="«https://www.contoso.com@evil.example/login">Sign in</a>"#)),
      RuleExample("a hexadecimal IP host", flagged: true, .html(#"<a href="«http://0xC0.0x00.0x02.0x01/">Update</a>"#)),
      RuleExample("a percent-encoded host", flagged: true, .html(#"<a href="«https://%63ontoso.example/">Account</a>"#)),
      RuleExample("a zero-width space in the link text", flagged: true, .html("<a href=\"https://www.contoso.com/\">www.con«\u{200B}toso.com</a>")),
      RuleExample("a plain link", flagged: false, .html(#"<a href="https://www.contoso.com/account?id=1">Your account</a>"#)),
    ],
    tags: ["phishing", "links"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    for link in inventory.links where link.kind != .background && link.kind != .css {
      guard let url = link.url, url.scheme == "http" || url.scheme == "https" || url.scheme == "ftp" else { continue }
      let host = url.host?.description ?? ""
      if url.notes.contains(.credentials) {
        let shown = url.username.isEmpty ? url.password : url.username
        hits.append(Hit(
          range: link.range,
          message: "link \"\(link.href)\" puts \"\(shown)\" before an @: browsers go to \(host), not \(shown)",
          help: "remove the text before @ and link to the real host directly",
          evidence: "userinfo|\(host)", placeholders: ["host": host]))
      }
      if case .ip(let address) = url.host {
        let legacy = url.notes.contains(.legacyIPv4)
        hits.append(Hit(
          range: link.range,
          message: legacy
            ? "link host is the IP address \(address) written in a disguised form in \"\(link.href)\""
            : "link goes to the bare IP address \(address)",
          help: "link to a host name the brand owns; IP-address links are a phishing signature",
          evidence: "ip|\(address)", placeholders: ["host": address.description]))
      } else if url.notes.contains(.percentEncodedHost) {
        hits.append(Hit(
          range: link.range,
          message: "link host is percent-encoded in \"\(link.href)\" and decodes to \(host)",
          help: "write the host name \(host) without percent-escapes",
          evidence: "escaped|\(host)", placeholders: ["host": host]))
      }
      let hrefInvisible = InvisibleCharacters.find(in: link.href)
      if let first = hrefInvisible.first {
        hits.append(Hit(
          range: link.range,
          message: "href \"\(link.href.unicodeScalars.filter { !InvisibleCharacters.isInvisible($0) }.map(String.init).joined())\" contains the invisible character \(InvisibleCharacters.describe(first))",
          help: "delete the invisible character; it changes the URL without showing",
          evidence: "invisible-href|\(link.href)"))
      }
    }
    // Invisible characters inside link text that shows an address.
    for link in inventory.links where !link.fromText {
      var offset = 0
      for scalar in link.text.unicodeScalars {
        let width = String(scalar).utf8.count
        defer { offset += width }
        guard InvisibleCharacters.isInvisible(scalar) else { continue }
        let visible = link.text.unicodeScalars.filter { !InvisibleCharacters.isInvisible($0) }.map(String.init).joined()
        guard visible.contains(".") else { break }
        hits.append(Hit(
          range: link.textLocator?.range(offset, offset + width) ?? link.range,
          message: "link text \"\(visible)\" contains the invisible character \(InvisibleCharacters.describe(scalar))",
          help: "delete the invisible character; hidden characters in addresses are a phishing signature",
          evidence: "invisible-text|\(visible)"))
        break
      }
    }
    return hits
  }
}
