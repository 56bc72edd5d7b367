/// An email service provider's click-tracking redirect: a host (or every subdomain of a domain) and
/// the paths on it that are the redirect. Data, not code: `LinkAnalysis` classifies each link once
/// and `link/redirector` and `link/text-host-mismatch` read the result; adding an ESP is adding an
/// entry with its source.
public struct ESPClickTracker: Sendable {
  /// The provider's name, as messages show it.
  public let esp: String
  /// The tracking domain: the host itself and every subdomain of it match.
  public let domain: String
  /// Paths (lowercase, no trailing slash) that are the click redirect, with everything below them
  /// (`/ls/click` matches `/ls/click` and `/ls/click/…`, not `/ls/clicks`); empty means every path.
  public let paths: [String]
  /// Where the form is documented or observed.
  public let source: String

  /// `domain` normalised, bare and with a leading dot, computed once: `tracker(for:)` tests every
  /// known tracker against every link.
  let normalisedDomain: String
  let dottedDomain: String

  public init(esp: String, domain: String, paths: [String], source: String) {
    self.esp = esp
    self.domain = domain
    self.paths = paths
    self.source = source
    normalisedDomain = HostName.normalise(domain)
    dottedDomain = "." + normalisedDomain
  }

  /// Whether `url` on `host` is this tracker's click redirect.
  public func matches(host: String, url: URLRecord) -> Bool {
    matches(normalisedHost: HostName.normalise(host), url: url)
  }

  /// `matches(host:url:)` for a host already through `HostName.normalise` (what
  /// `HostName.host(_:isWithin:)` compares).
  func matches(normalisedHost host: String, url: URLRecord) -> Bool {
    guard host == normalisedDomain || host.hasSuffix(dottedDomain) else { return false }
    if paths.isEmpty { return true }
    let path = url.path.lowercased()
    return paths.contains { path == $0 || path.hasPrefix($0 + "/") }
  }
}

extension ESPClickTracker {
  /// The known ESP click trackers. Each ESP rewrites a sender's links through its own host unless
  /// the sender configures a branded tracking domain (which the brand then declares in
  /// `brand.tracking_domains`); the forms below are the unbranded, ESP-operated ones.
  public static let known: [ESPClickTracker] = [
    ESPClickTracker(
      esp: "SendGrid", domain: "sendgrid.net", paths: ["/ls/click", "/wf/click"],
      source:
        "Twilio SendGrid docs, 'Click Tracking' and 'Link Branding' (links rewritten to <id>.ct.sendgrid.net/ls/click?upn=…)"
    ),
    ESPClickTracker(
      esp: "Mailchimp", domain: "list-manage.com", paths: ["/track/click"],
      source:
        "Mailchimp help, 'About Click Tracking' (links rewritten to <account>.<dc>.list-manage.com/track/click?u=…&id=…)"
    ),
    ESPClickTracker(
      esp: "Mandrill (Mailchimp Transactional)", domain: "mandrillapp.com", paths: ["/track/click"],
      source:
        "Mailchimp Transactional docs, 'Tracking' (click tracking through mandrillapp.com/track/click unless a tracking domain is set)"
    ),
    ESPClickTracker(
      esp: "Klaviyo", domain: "klaviyo.com", paths: ["/ls/click"],
      source:
        "Klaviyo help, 'How to set up a branded sending domain' (unbranded links go through trk.klaviyo.com / ctrk.klaviyo.com/ls/click)"
    ),
    ESPClickTracker(
      esp: "Klaviyo", domain: "klaviyomail.com", paths: [],
      source: "Klaviyo help, 'Understanding click tracking' (trk.klaviyomail.com tracked links)"),
    ESPClickTracker(
      esp: "Constant Contact", domain: "rs6.net", paths: ["/tn.jsp"],
      source: "Constant Contact Knowledge Base, 'Click tracking' (tracked links are r20.rs6.net/tn.jsp?f=…)"),
    ESPClickTracker(
      esp: "Mailjet", domain: "mjt.lu", paths: ["/lnk"],
      source:
        "Mailjet docs, 'Event tracking: click' (links rewritten to <id>.mjt.lu/lnk/…); observed in ../shared/corpora/legit"
    ),
    ESPClickTracker(
      esp: "Amazon SES", domain: "awstrack.me", paths: ["/l0", "/l1"],
      source:
        "Amazon SES Developer Guide, 'Configuring custom domains to handle open and click tracking' (default <region>.awstrack.me/L0/<url>/…)"
    ),
    ESPClickTracker(
      esp: "Postmark", domain: "click.pstmrk.it", paths: [],
      source:
        "Postmark support, 'How does link tracking work?' (links rewritten to click.pstmrk.it/…; pstmrk.it/unsubscribe and /open are not clicks)"
    ),
    ESPClickTracker(
      esp: "AWeber", domain: "clicks.aweber.com", paths: [],
      source: "AWeber Knowledge Base, 'Click tracking' (links rewritten to clicks.aweber.com/y/ct/?l=…)"),
    ESPClickTracker(
      esp: "Fairmailing", domain: "fairmailing.net", paths: ["/lists/lt.php"],
      source:
        "phpList 'lt.php' link tracking as hosted by fairmailing.net; observed in ../shared/corpora/legit (oekoligenta)"
    ),
    ESPClickTracker(
      esp: "Newsletter2Go (Brevo)", domain: "newsletter2go.com", paths: [],
      source:
        "Newsletter2Go/Brevo help, 'Link tracking' (tracked links on *.newsletter2go.com); observed in ../shared/corpora/legit (schoepflin)"
    ),
    ESPClickTracker(
      esp: "Newsletter2Go (Brevo)", domain: "nl2go.com", paths: [],
      source: "Newsletter2Go/Brevo help, 'Link tracking' (tracked links on *.nl2go.com)"),
    ESPClickTracker(
      esp: "Inxmail", domain: "inxmail.de", paths: ["/d"],
      source:
        "Inxmail Professional documentation, 'Tracking links' (redirect /d?… and /d/d.html on the Inxmail tracking host); observed in ../shared/corpora/legit"
    ),
    ESPClickTracker(
      esp: "Newsletter2Go (Brevo)", domain: "amxe.net", paths: [],
      source:
        "observed in ../shared/corpora/legit (newsletter2go examples: every tracked link is amxe.net/<token>)"
    ),
  ]

  /// The known tracker whose click redirect `url` is, if any.
  public static func tracker(for url: URLRecord) -> ESPClickTracker? {
    // Once: `HostName.normalise` is idempotent (lowercasing a lowercased text changes nothing,
    // for every scalar), so the second pass `matches(host:url:)` made per tracker was a no-op.
    guard let host = url.host.map({ HostName.normalise($0.description) }) else { return nil }
    return known.first { $0.matches(normalisedHost: host, url: url) }
  }
}
