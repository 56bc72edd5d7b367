import SendlintCore
import SendlintInventory
import SendlintURL

/// Shared judgements about where a link goes, for the link rules (issue 12).
enum DestinationJudging {
  /// Whether `link` goes through a known ESP's opaque click tracker (`ESPClickTracker.known`): the
  /// caller has found no destination in its URL. Its text's host then cannot be checked against
  /// where the link leads — a hygiene defect `link/redirector` reports, naming the ESP and the host
  /// shown — rather than a text that claims one address and goes to another: the tracker decides
  /// at click time, and in genuine mail it is the sender's own ESP (docs/decisions.md, "Link
  /// destinations": measured on the scorecard, this costs no phishing-pot recall).
  static func isOpaqueESPTracker(_ link: Link) -> Bool {
    link.analysis.tracker != nil
  }

  /// For messages about a link hidden by CSS, or "".
  static func hiddenNote(_ link: Link) -> String {
    link.hidden
      ? " (the link is hidden by CSS, but clients that ignore the CSS show it, and it can still be clicked)"
      : ""
  }
}
