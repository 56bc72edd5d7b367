/// What parsing says about one link, computed once when the inventory is built and read by every
/// link rule, the inspect view and the preview (docs/decisions.md, "Link analysis in one place"):
/// the destinations its URL carries (`RedirectUnwrapping`), whether it is a known ESP's click
/// tracker (`ESPClickTracker.known`), and the URLs and hosts its text shows (`LinkTextHosts`).
/// No judgement: whether a host shown is the host reached, or a redirect is the brand's own, is
/// the rules' call. Bounded by the limits of the parsers it runs.
public struct LinkAnalysis: Sendable {
  /// The embedded targets level by level (`RedirectUnwrapping.chain`); empty without a URL.
  public let unwrapChain: [[URLRecord]]
  /// The single destination the URL carries, unwrapped through nested redirects, or nil
  /// (`RedirectUnwrapping.finalTarget`).
  public var finalTarget: URLRecord? { rare?.finalTarget }
  /// `finalTarget`'s host, normalised (`HostName.normalise`).
  public let finalTargetHost: String?
  /// Why a limit stopped unwrapping, or nil (`RedirectUnwrapping.unwrapLimit`).
  public let unwrapLimit: String?
  /// The known ESP click tracker the URL is, if any.
  public var tracker: ESPClickTracker? { rare?.tracker }
  /// `finalTarget` and `tracker`, out of line: most links have neither, and every link of a draft
  /// is kept while its rules run (inline, the two took about 200 bytes of each link).
  private let rare: Rare?

  private final class Rare: Sendable {
    let finalTarget: URLRecord?
    let tracker: ESPClickTracker?

    init(finalTarget: URLRecord?, tracker: ESPClickTracker?) {
      self.finalTarget = finalTarget
      self.tracker = tracker
    }
  }
  /// URLs the finder recognises in the link's visible text, in order (empty for a link found in a
  /// text part, whose text is its own URL).
  public let textURLs: [TextURL]
  /// Hosts the visible text shows, with offsets into it.
  public let textHosts: [ShownHost]
  /// Hosts the CSS-hidden text shows, for a link hidden by CSS (else empty), offsets into it.
  public let hiddenTextHosts: [ShownHost]
  /// Hosts each image alt text inside the link shows, in the order of the alt texts, offsets into
  /// each alt text.
  public let altTextHosts: [[ShownHost]]

  /// The destinations the URL itself carries (the first level of `unwrapChain`).
  public var embeddedTargets: [URLRecord] { unwrapChain.first ?? [] }

  /// Analyses a link: `url` as the client resolves it, `text` its visible text (nil for a link
  /// found in a text part), `hiddenText` its CSS-hidden text when the link is hidden, `altTexts`
  /// the alt texts of images inside it. `finder` is the inventory's text URL finder.
  public init(url: URLRecord?, text: String?, hiddenText: String?, altTexts: [String], finder: TextURLFinder)
  {
    var finalTarget: URLRecord? = nil
    var tracker: ESPClickTracker? = nil
    if let url {
      let chain = RedirectUnwrapping.chain(url)
      unwrapChain = chain
      finalTarget = RedirectUnwrapping.finalTarget(chain: chain)
      unwrapLimit = RedirectUnwrapping.unwrapLimit(url, chain: chain)
      tracker = ESPClickTracker.tracker(for: url)
    } else {
      unwrapChain = []
      unwrapLimit = nil
    }
    rare = finalTarget == nil && tracker == nil ? nil : Rare(finalTarget: finalTarget, tracker: tracker)
    finalTargetHost = finalTarget?.host.map { HostName.normalise($0.description) }
    func hosts(_ text: String) -> (urls: [TextURL], hosts: [ShownHost]) {
      guard !text.isEmpty else { return ([], []) }
      let urls = finder.find(in: Array(text.utf8))
      return (urls, LinkTextHosts.shown(in: text, urls: urls))
    }
    let visible: (urls: [TextURL], hosts: [ShownHost]) = text.map(hosts) ?? ([], [])
    textURLs = visible.urls
    textHosts = visible.hosts
    hiddenTextHosts = hiddenText.map { hosts($0).hosts } ?? []
    altTextHosts = altTexts.map { hosts($0).hosts }
  }
}
