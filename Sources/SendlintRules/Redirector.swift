import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `link/redirector`: links that pass through someone else's redirector, shortener or click tracker.
public struct Redirector: Rule {
  /// URL shorteners: their links say nothing about where they go.
  public static let shorteners: Set<String> = [
    "bit.ly", "bitly.com", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
    "cutt.ly",
    "shorturl.at", "t.ly", "rb.gy", "tiny.cc", "s.id", "lnkd.in", "bl.ink", "short.io", "v.gd", "qr.net",
    "trib.al",
    "shorte.st", "adf.ly", "soo.gd", "clck.ru", "tr.im", "x.co", "y2u.be", "amzn.to", "fb.me",
  ]
  /// Query parameters that carry the real destination of a redirect.
  static let targetParameters: Set<String> = [
    "url", "u", "redirect", "redirect_url", "redirect_uri", "target", "dest", "destination", "link", "goto",
    "to", "next", "out", "r", "q",
  ]

  public static let metadata = RuleMetadata(
    id: "link/redirector",
    summary:
      "A link goes through a third-party redirector, shortener or click tracker the brand does not operate.",
    defaultSeverity: .warning,
    categorySeverities: ["security-notice": .error],
    whatItDoes: """
      Flags links whose first hop is not the brand's own: URL shorteners; redirects that carry the real \
      destination (unwrapped and named in the message) in a query parameter (`?url=https://…`, \
      `adurl=//host/…`, base64 as in Bing's `u=a1aHR0c…`) or in the path \
      (`/Clickthrough/…/*http://…`, `awstrack.me/L0/https:%2F%2F…`); ESP click trackers the brand \
      does not declare in `brand.tracking_domains` (SendGrid, Mailchimp, Mandrill, Klaviyo, Constant \
      Contact, Mailjet, Amazon SES, Postmark, AWeber and others, one finding per tracking host); brand \
      hosts a vendor operates (`brand.vendors[].hosts`) used as a redirect; and the ESP's send-time \
      click rewrite through a host that is not in `brand.tracking_domains`. A redirect whose path or \
      query is over 16 KiB, or that nests redirects more than 4 deep, is flagged as not read: no \
      rule judged where it goes.
      """,
    whyIsThisBad: """
      A redirector decides at click time where the reader goes. Filters treat open redirects and \
      shorteners as phishing signals, and a vendor-run redirect on a brand subdomain — the 2003 \
      `email.microsoft.com/redirect.asp` — hands the brand's name to someone else's server.
      """,
    example:
      "```html\n<a href=\"http://email.microsoft.com/redirect.asp?HB41\">http://windowsupdate.microsoft.com</a>\n```",
    useInstead:
      "Link directly; if clicks must be tracked, run the tracking host yourself and declare it in `brand.tracking_domains`.",
    references: [
      "OWASP 'Unvalidated Redirects and Forwards' cheat sheet", "Spamhaus, 'URL shorteners and spam' (2020)",
      "Google Safe Browsing: redirect chains",
    ],
    examples: [
      RuleExample("a shortener", flagged: true, .html(#"<a href="https://«bit.ly/3xYz">Read more</a>"#)),
      RuleExample(
        "an embedded destination", flagged: true,
        .html(#"<a href="https://«go.example.net/r?url=https%3A%2F%2Fevil.example%2F">Account</a>"#)),
      RuleExample(
        "a vendor-run brand host used as a redirect", flagged: true,
        .html(#"<a href="http://«email.contoso.com/redirect.asp?id=7">Update</a>"#)),
      RuleExample(
        "send-time click tracking through a vendor host", flagged: true,
        .campaign(
          manifest: """
            campaign: notice
            category: marketing
            html: body.html
            tracking:
              clicks: { enabled: true, domain: «email.contoso.com }
            """,
          html: #"<a href="https://www.contoso.com/a">Read</a>"#, text: nil)),
      RuleExample(
        "a destination in the redirect's path", flagged: true,
        .html(#"<a href="https://«track.example.net/Clickthrough/1/*http://www.example.ie/">Offer</a>"#)),
      RuleExample(
        "a percent-encoded destination in the path (Amazon SES)", flagged: true,
        .html(
          #"<a href="https://«r.us-east-1.awstrack.me/L0/https:%2F%2Fevil.example%2Flogin/1/0100abc">Account</a>"#
        )),
      RuleExample(
        "a scheme-relative destination", flagged: true,
        .html(#"<a href="https://«ad.example.net/click?adurl=//evil.example/login">Deal</a>"#)),
      RuleExample(
        "a base64 destination (Bing)", flagged: true,
        .html(
          #"<a href="https://«www.bing.com/ck/a?!&amp;&amp;p=7f3a&amp;u=a1aHR0cHM6Ly9ldmlsLmV4YW1wbGUvbG9naW4&amp;ntb=1">Sign in</a>"#
        )),
      RuleExample(
        "an ESP's click tracker, reported once for all its links", flagged: true,
        .html(
          #"<a href="https://«u1.ct.sendgrid.net/ls/click?upn=a1">www.contoso.com</a> <a href="https://u1.ct.sendgrid.net/ls/click?upn=b2">Shop</a>"#
        )),
      RuleExample(
        "an ESP tracker the brand declares as its tracking domain", flagged: false,
        .html(#"<a href="https://u1.ct.sendgrid.net/ls/click?upn=a1">Read</a>"#),
        policy: "brand: { tracking_domains: [click.contoso.com, u1.ct.sendgrid.net] }"),
      RuleExample(
        "a path that mentions http, and an ESP's unsubscribe page", flagged: false,
        .html(
          #"<a href="https://www.contoso.com/blog/http-basics">Blog</a> <a href="https://us3.list-manage.com/unsubscribe?u=1">Unsubscribe</a>"#
        )),
      RuleExample(
        "the brand's own tracking host", flagged: false,
        .html(#"<a href="https://click.contoso.com/r?url=https%3A%2F%2Fwww.contoso.com%2F">Read</a>"#)),
      RuleExample(
        "a plain link", flagged: false,
        .html(#"<a href="https://www.contoso.com/search?q=coffee">Search</a>"#)),
    ],
    placeholders: ["host", "target", "vendor"],
    tags: ["phishing", "links", "tracking"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    let brand = context.brand
    var hits: [Hit] = []
    var reportedRewrite = false
    var trackerHits: [String: Int] = [:]
    var trackerCounts: [String: Int] = [:]
    var trackerShown: [String: String] = [:]
    for link in inventory.links where link.kind != .background && link.kind != .css && link.kind != .form {
      if let rewrite = link.rewrite, !brand.isTrackingDomain(rewrite.domain) {
        if !reportedRewrite {
          reportedRewrite = true
          let operatedBy = brand.vendor(operating: rewrite.domain).map { ", operated by \($0.name)" } ?? ""
          hits.append(
            Hit(
              range: rewrite.range,
              message:
                "click tracking sends every link through \(rewrite.domain)\(operatedBy), a click tracker the brand does not declare as its own",
              help:
                "turn click tracking off, or track through a host the brand runs and list it in brand.tracking_domains",
              evidence: "rewrite|\(rewrite.domain)", placeholders: ["host": rewrite.domain]))
        }
        continue
      }
      guard let url = link.url, ["http", "https"].contains(url.scheme), let host = link.host else { continue }
      if brand.isTrackingDomain(host) { continue }
      if Self.shorteners.contains(host) || Self.shorteners.contains(HostName.strippingWWW(host)) {
        hits.append(
          Hit(
            range: link.hostRange,
            message: "link goes through the URL shortener \(host); nobody can tell where it leads",
            help: "link to the destination directly", evidence: "shortener|\(host)",
            placeholders: ["host": host]))
        continue
      }
      let analysis = link.analysis
      let embedded = analysis.embeddedTargets
      if let reason = analysis.unwrapLimit {
        hits.append(
          Hit(
            range: link.hostRange,
            message:
              "where the link through \(host) leads was not read: \(reason), so no rule judged its destination",
            help:
              "link to the destination directly; a redirect this long or deep hides where it goes from readers and filters alike",
            evidence: "unwrap-limit|\(host)", placeholders: ["host": host]))
        continue
      }
      let tracker = analysis.tracker
      if !embedded.isEmpty, !brand.isOwned(host) || brand.vendor(operating: host) != nil {
        let description =
          embedded.count == 1
          ? "to \(embedded[0].host.map { $0.description } ?? embedded[0].href)"
          : "carrying \(embedded.count) URLs (\(embedded.compactMap { $0.host?.description }.joined(separator: ", "))), so where it goes is up to the redirector"
        hits.append(
          Hit(
            range: link.hostRange,
            message:
              "link goes through the \(tracker.map { "\($0.esp) click tracker" } ?? "redirector") \(host) \(description)\(link.clientResolutionNote)",
            help: embedded.count == 1
              ? "link to \(embedded[0].href) directly" : "link to the destination directly",
            evidence: "redirect|\(host)|\(embedded.map(\.href).joined(separator: ","))",
            placeholders: ["host": host, "target": embedded.first?.href ?? ""]))
        continue
      }
      if let tracker, !brand.isOwned(host) {
        // One finding per tracking host, at its first link: a newsletter sends every link through it.
        if trackerHits[host] == nil {
          trackerHits[host] = hits.count
          hits.append(
            Hit(
              range: link.hostRange, message: "", help: nil, evidence: "esp|\(tracker.esp)|\(host)",
              placeholders: ["host": host, "vendor": tracker.esp]))
        }
        trackerCounts[host, default: 0] += 1
        if trackerShown[host] == nil, !link.fromText,
          let shown = analysis.textURLs.first(where: { $0.form != .email && $0.text.contains(".") })
        {
          trackerShown[host] = shown.text
        }
        continue
      }
      if let vendor = brand.vendor(operating: host), Self.looksLikeRedirect(url) {
        hits.append(
          Hit(
            range: link.hostRange,
            message:
              "link goes through \(host), a brand host operated by \(vendor.name), as a redirect (\(url.path))",
            help:
              "link to the destination on the brand's own host; a vendor-run redirect on a brand subdomain is what made the 2003 mail look forged",
            evidence: "vendor|\(host)", placeholders: ["host": host, "vendor": vendor.name]))
      }
    }
    for (host, index) in trackerHits {
      let first = hits[index]
      let esp = first.placeholders["vendor"] ?? ""
      let shown = trackerShown[host] ?? ""
      let count = trackerCounts[host] ?? 1
      let links = count == 1 ? "a link goes" : "\(count) links go"
      let showing =
        shown.isEmpty
        ? ""
        : "; the link text shows \"\(shown.escapedForDisplay)\", and recipients cannot check that the tracker leads there"
      hits[index] = Hit(
        range: first.range,
        message:
          "\(links) through \(esp)'s click tracker \(host), which the brand does not declare in brand.tracking_domains\(showing)",
        help:
          "link directly, or set up the ESP's branded tracking domain on a host the brand owns and list it in brand.tracking_domains",
        evidence: first.evidence, placeholders: ["host": host, "vendor": esp])
    }
    return hits
  }

  static func looksLikeRedirect(_ url: URLRecord) -> Bool {
    let path = url.path.lowercased()
    return ["redirect", "click", "track", "trk", "/r/", "/ls/", "/c/", "/l/", "/go/", "/out"].contains {
      path.contains($0)
    }
  }
}
