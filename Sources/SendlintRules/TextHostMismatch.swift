import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `link/text-host-mismatch`: the visible text shows one host, the link goes to another.
public struct TextHostMismatch: Rule {
  public static let metadata = RuleMetadata(
    id: "link/text-host-mismatch",
    summary: "Link text shows a URL or host, and the link goes to a different host.",
    defaultSeverity: .error,
    whatItDoes: """
      For every link whose visible text (or the `alt` text of an image inside it) shows a URL or a host \
      name, compares that host with the host the recipient's click will go to — after the ESP's send-time \
      click rewrite when the campaign turns click tracking on. An href with no scheme \
      (`//host/…`, `host/path`) is judged as mail clients open it, with `http:` prepended; a link \
      hidden by CSS is judged by its hidden text; a redirect is judged by the destination it carries, \
      even through a declared tracking domain. A known ESP's opaque click tracker is left to \
      `link/redirector`. The link passes when it goes to the same \
      host, to a subdomain of it, to the same host with or without `www.`, or to a tracking domain the \
      brand declares in `brand.tracking_domains`. Hosts are compared exactly by default (`match: host`) \
      because a subdomain run by a vendor (`email.brand.com`) is exactly what made the 2003 Microsoft \
      mail look like phishing; `match: registrable-domain` only compares registrable domains.
      """,
    whyIsThisBad: """
      "The text says one address, the link goes to another" is the first thing anti-phishing training \
      teaches people to check, and what inbound filters score (SpamAssassin's `HTTPS_HTTP_MISMATCH`, \
      rspamd's `PHISHING`). Genuine mail that does it teaches customers to ignore the warning.
      """,
    example: """
      ```html
      <a href="http://email.microsoft.com/redirect?id=71">http://windowsupdate.microsoft.com</a>
      ```
      """,
    useInstead: """
      Link to the host you show, or show text that is not an address:

      ```html
      <a href="https://windowsupdate.microsoft.com/">Windows Update</a>
      ```

      If the brand runs its own click-tracking host, declare it in `brand.tracking_domains`.
      """,
    references: [
      "SpamAssassin rule HTTPS_HTTP_MISMATCH and rspamd's phishing module (PHISHING symbol)",
      "M3AAWG Sender Best Common Practices v3, §3.7 (links and click tracking)",
      "RFC 3986 §3.2.2 (host)",
    ],
    options: [match.spec, includeAltText.spec],
    examples: [
      RuleExample(
        "visible URL goes elsewhere", flagged: true,
        .html(
          #"<p>Visit <a href="https://contoso.example.net/login">https://«www.contoso.com/account</a></p>"#)),
      RuleExample(
        "the same host, a subdomain and www. all pass", flagged: false,
        .html(
          #"<a href="https://www.contoso.com/a">contoso.com</a> <a href="https://help.contoso.com/">contoso.com</a> <a href="https://contoso.com/">www.contoso.com</a>"#
        )),
      RuleExample(
        "text that is not an address is not judged", flagged: false,
        .html(#"<a href="https://partner.example/">Read the report</a>"#)),
      RuleExample(
        "a capitalised name inside longer text is not an address", flagged: false,
        .html(
          #"<a href="https://shop.example/ddr">DDR Memory at Crucial.com</a> <a href="https://news.example/1">News.com: Top CIOs</a>"#
        )),
      RuleExample(
        "a host that is the whole link text is an address", flagged: true,
        .html(#"<a href="https://evil.example/">«Contoso.com</a>"#)),
      RuleExample(
        "the brand's declared tracking domain passes", flagged: false,
        .html(#"<a href="https://click.contoso.com/t/1">www.contoso.com</a>"#)),
      RuleExample(
        "click tracking rewrites the link through a vendor subdomain", flagged: true,
        .campaign(
          manifest: """
            campaign: spring
            category: marketing
            html: body.html
            tracking:
              clicks: { enabled: true, domain: email.contoso.com }
            """,
          html: #"<a href="https://www.contoso.com/spring">«www.contoso.com/spring</a>"#, text: nil)),
      RuleExample(
        "a protocol-relative href, opened as http: by mail clients", flagged: true,
        .html(#"<a href="//evil.example/login">https://«www.contoso.com/login</a>"#)),
      RuleExample(
        "a schemeless href, opened as http:// by mail clients", flagged: true,
        .html(#"<a href="evil.example/login">«www.contoso.com</a>"#)),
      RuleExample(
        "a link hidden by CSS is still judged", flagged: true,
        .html(#"<a href="«https://evil.example/" style="display:none">www.contoso.com</a>"#)),
      RuleExample(
        "the brand's tracking domain carrying another destination", flagged: true,
        .html(
          #"<a href="https://click.contoso.com/r?url=https%3A%2F%2Fevil.example%2F">«www.contoso.com</a>"#)),
      RuleExample(
        "an opaque ESP click tracker is link/redirector's", flagged: false,
        .html(#"<a href="https://u1.ct.sendgrid.net/ls/click?upn=a1">www.contoso.com</a>"#)),
      RuleExample(
        "a protocol-relative href to the host shown, and a hidden link to it", flagged: false,
        .html(
          #"<a href="//www.contoso.com/a">www.contoso.com</a> <a href="https://www.contoso.com/" style="display:none">www.contoso.com</a>"#
        )),
      RuleExample(
        "an image's alt text shows a host", flagged: true,
        .html(
          #"<a href="https://evil.example/"><img src="https://www.contoso.com/logo.png" alt="«www.contoso.com"></a>"#
        )),
    ],
    placeholders: ["shown", "host", "href", "tracking_domain"],
    tags: ["phishing", "links"])

  let matchRegistrableDomain: Bool
  let includeAltText: Bool

  /// What `match` compares.
  public enum MatchMode: String, CaseIterable, Sendable {
    case host
    case registrableDomain = "registrable-domain"
  }

  public static let match = RuleOption(
    "match", default: MatchMode.host,
    help:
      "`host` compares host names (subdomains of the shown host pass); `registrable-domain` only compares registrable domains."
  )
  public static let includeAltText = RuleOption(
    "include_alt_text", default: true,
    help: "Also judge URLs and hosts shown in the alt text of images inside links.")

  public init(options: RuleOptions) {
    matchRegistrableDomain = options[Self.match] == .registrableDomain
    includeAltText = options[Self.includeAltText]
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    for link in inventory.links
    where link.kind == .a || link.kind == .area || link.kind == .vml || link.kind == .text {
      // A URL in a text part is its own text; only the send-time rewrite can make it lie.
      if link.fromText && link.rewrite == nil { continue }
      guard let delivered = link.deliveredHost else { continue }
      let analysis = link.analysis
      var shown: [(host: String, range: SourceRange?, written: String)] = []
      if link.fromText {
        if let host = link.host { shown.append((host, link.range, link.href)) }
      } else {
        shown += analysis.textHosts.map { ($0.host, link.textLocator?.range($0.start, $0.end), $0.written) }
        // A link hidden by CSS is still shown, and clickable, where the CSS is ignored.
        shown += analysis.hiddenTextHosts.map { ($0.host, nil, $0.written) }
        if includeAltText {
          for (alt, hosts) in zip(link.imageAltTexts, analysis.altTextHosts) {
            for found in hosts {
              // Alt text positions are inside the attribute; point at its start plus the offset.
              shown.append(
                (
                  found.host,
                  SourceRange(
                    file: alt.range.file, start: alt.range.start + found.start,
                    end: alt.range.start + found.start + found.written.utf8.count), found.written
                ))
            }
          }
        }
      }
      // A redirect that carries a single destination (unwrapped through nested redirects) is judged
      // by that destination; link/redirector reports the redirect itself.
      let unwrappedHost = link.rewrite == nil ? analysis.finalTargetHost : nil
      // A declared tracking domain vouches for its own redirect, not for a destination it carries.
      let trackingCarriesDestination = unwrappedHost != nil && context.brand.isTrackingDomain(delivered)
      guard
        let first = shown.first(where: { entry in
          !(trackingCarriesDestination
            ? false : matches(shown: entry.host, delivered: delivered, context: context))
            && !(unwrappedHost.map { matches(shown: entry.host, delivered: $0, context: context) } ?? false)
        })
      else { continue }
      // An opaque ESP click tracker over the sender's own address is link/redirector's (docs/decisions.md).
      if unwrappedHost == nil, link.rewrite == nil, DestinationJudging.isOpaqueESPTracker(link) { continue }
      if matchRegistrableDomain, context.suffixes == nil { continue }  // cannot judge without the PSL
      let shownDisplay = Host.domain(first.host).displayName
      var placeholders = ["shown": shownDisplay, "host": delivered, "href": link.href]
      if let rewrite = link.rewrite {
        placeholders["tracking_domain"] = rewrite.domain
        hits.append(
          Hit(
            range: first.range ?? link.range,
            message:
              "link text shows \(shownDisplay), but click tracking will rewrite the link to \(rewrite.domain), which is not \(shownDisplay)",
            help:
              "the ESP's click tracking (set in \(rewrite.range.file.path):\(rewrite.range.startPosition.line)) sends every click through \(rewrite.domain); declare it in brand.tracking_domains if the brand itself operates it for tracking, or turn click tracking off for security mail",
            evidence: "\(first.host)->\(delivered)", placeholders: placeholders))
      } else if trackingCarriesDestination, let unwrappedHost {
        hits.append(
          Hit(
            range: first.range ?? link.range,
            message:
              "link text shows \(shownDisplay) but the link goes through the brand's tracking domain \(delivered) to \(unwrappedHost)\(DestinationJudging.hiddenNote(link))",
            help:
              "point the link at \(shownDisplay) (the href is \"\(link.href)\"), or use link text that is not an address",
            evidence: "\(first.host)->\(unwrappedHost)", placeholders: placeholders))
      } else {
        hits.append(
          Hit(
            range: first.range ?? link.range,
            message:
              "link text shows \(shownDisplay) but the link goes to \(delivered)\(link.clientResolutionNote)\(DestinationJudging.hiddenNote(link))",
            help:
              "point the link at \(shownDisplay) (the href is \"\(link.href)\"), or use link text that is not an address",
            evidence: "\(first.host)->\(delivered)", placeholders: placeholders))
      }
    }
    return hits
  }

  private func matches(shown: String, delivered: String, context: RuleContext) -> Bool {
    let shown = HostName.normalise(shown)
    let delivered = HostName.normalise(delivered)
    if shown == delivered || HostName.host(delivered, isWithin: shown) { return true }
    if HostName.strippingWWW(shown) == HostName.strippingWWW(delivered) { return true }
    if context.brand.isTrackingDomain(delivered) { return true }
    if matchRegistrableDomain, let suffixes = context.suffixes,
      let left = suffixes.registrableDomain(of: shown), let right = suffixes.registrableDomain(of: delivered)
    {
      return left == right
    }
    return false
  }
}
