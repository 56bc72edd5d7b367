import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `tracking/pixel`: web bugs that report opens.
public struct TrackingPixel: Rule {
  public static let metadata = RuleMetadata(
    id: "tracking/pixel",
    summary:
      "Tracking pixels: tiny, zero-size or hidden remote images, per-recipient image URLs, the ESP's open pixel.",
    defaultSeverity: .info,
    categorySeverities: ["security-notice": .error],
    whatItDoes: """
      Flags remote images that exist to report an open rather than to be seen: images of at most \
      `max_size`×`max_size` pixels (by attribute or inline CSS, `max-width`/`max-height` included, or \
      with either side 0, or with one side of at most `max_size` and the other not given, unless the URL is \
      a static spacer file such as `/img/1p.gif`), images hidden \
      by CSS, images and background images (`background` attribute, CSS `url()`) whose URL carries a \
      per-recipient merge tag, and the open-tracking pixel the ESP adds at send time when the manifest \
      turns `tracking.opens` on.
      """,
    whyIsThisBad: """
      A 1×1 "web bug" tells a third party when and where each recipient read the mail. In a security \
      notice it looks like surveillance and is exactly what phishing kits use to confirm live addresses; \
      Apple Mail Privacy Protection and Gmail's image proxy also make open counts unreliable.
      """,
    example: """
      ```html
      <img src="http://m0.net/m/s.asp?HB4162878203X1075628X73339X" width="1" height="1">
      ```
      """,
    useInstead: """
      Leave tracking out of security notices (`tracking: { opens: false }` in the manifest); measure \
      marketing with aggregate, consented analytics.
      """,
    references: [
      "Electronic Frontier Foundation, 'Web Bug FAQ' (1999)",
      "Apple Mail Privacy Protection (support.apple.com/guide/mail/mlhl03be2866)",
      "EU ePrivacy Directive 2002/58/EC Art. 5(3) (consent to access terminal equipment)",
    ],
    options: [
      maxSizeOption.spec
    ],
    examples: [
      RuleExample(
        "a 1×1 image", flagged: true,
        .html(#"<p>Hi</p><img src="«https://t.example/o.gif?u=8812" width="1" height="1">"#)),
      RuleExample(
        "a CSS-hidden remote image", flagged: true,
        .html(#"<div style="display:none"><img src="«https://t.example/o.gif"></div>"#)),
      RuleExample(
        "a visible image in a font-size:0 layout cell", flagged: false,
        .html(
          #"<div style="font-size:0"><img src="https://cdn.contoso.com/banner.png" width="600" height="200" alt="Spring sale"></div>"#
        )),
      RuleExample(
        "a per-recipient token", flagged: true,
        .html(#"<img src="«https://www.contoso.com/logo.png?r={{recipient_id}}" width="120" height="40">"#)),
      RuleExample(
        "the ESP's open pixel from the send-time view", flagged: true,
        .campaign(
          manifest: """
            campaign: notice
            category: security-notice
            html: body.html
            tracking:
              opens: { enabled: true, pixel_host: «opens.example.net }
            """,
          html: "<p>Please update.</p>", text: nil)),
      RuleExample(
        "one side of 1 pixel", flagged: true,
        .html(#"<img src="«https://t.example/o.gif?u=8812" height="1">"#)),
      RuleExample(
        "a per-recipient background", flagged: true,
        .html(
          #"<table><tr><td background="«https://t.example/bg.gif?r={{recipient_id}}">Hi</td></tr></table>"#)),
      RuleExample(
        "a shared background image", flagged: false,
        .html(#"<table><tr><td background="https://www.contoso.com/bg.jpg">Hi</td></tr></table>"#)),
      RuleExample(
        "a normal logo", flagged: false,
        .html(#"<img src="https://www.contoso.com/logo.png" width="120" height="40" alt="Contoso">"#)),
      RuleExample(
        "an embedded (cid:) spacer", flagged: false, .html(#"<img src="cid:spacer" width="1" height="1">"#)),
    ],
    placeholders: ["host", "src"],
    tags: ["privacy", "tracking"])

  let maxSize: Double

  public static let maxSizeOption = RuleOption(
    "max_size", default: 2, range: 0...10,
    help: "Images at most this many pixels wide and high count as pixels.")

  public init(options: RuleOptions) {
    maxSize = Double(options[Self.maxSizeOption])
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    for image in inventory.images {
      guard let url = image.url, url.scheme == "http" || url.scheme == "https", let host = image.host else {
        continue
      }
      if image.addedByOpenTracking {
        hits.append(
          Hit(
            range: image.range,
            message: "open tracking will add a 1×1 pixel from \(host) that reports each open to the ESP",
            help:
              "turn off tracking.opens in the campaign manifest\(context.category == "security-notice" ? "; security notices must not track their readers" : "")",
            evidence: "open-pixel|\(host)", placeholders: ["host": host]))
        continue
      }
      // The smallest size given wins: CSS (clamped by max-width/max-height) or the attribute.
      let width = [image.width, image.cssWidth].compactMap { $0 }.min()
      let height = [image.height, image.cssHeight].compactMap { $0 }.min()
      var reason: String?
      if let width, let height, width <= maxSize, height <= maxSize {
        reason = "is \(format(width))×\(format(height)) pixels"
      } else if width == 0 || height == 0 {
        reason = "has a side of 0 pixels"
      } else if let height, width == nil, height <= maxSize, !Self.isStaticFile(url) {
        // One side given: the client scales the other in proportion, and a pixel stays a pixel
        // (a misspelt attribute such as `hight` leaves one side too). A static file (no query, a
        // short name) is the old layout spacer, which cannot tell one recipient from another.
        reason = "is \(pixels(height)) high with no width given"
      } else if let width, height == nil, width <= maxSize, !Self.isStaticFile(url) {
        reason = "is \(pixels(width)) wide with no height given"
      } else if let hidden = image.hiddenReason, ImageVisibility.hides(hidden) {
        // font-size:0 and text colours hide glyphs, not images (the inline-block layout idiom).
        reason = "is hidden (\(hidden))"
      } else if !image.recipientTags.isEmpty {
        reason =
          "carries the per-recipient merge tag \(image.recipientTags.map { "\"\($0)\"" }.joined(separator: ", ")) in its URL"
      }
      guard let reason else { continue }
      hits.append(
        Hit(
          range: image.range,
          message: "remote image from \(host) \(reason): a tracking pixel",
          help:
            "remove the image, or serve it without a per-recipient URL from a brand host at a visible size",
          evidence: "\(host)\(url.path)", placeholders: ["host": host, "src": image.src]))
    }
    // Background images (the `background` attribute, CSS url() inline or in <style>) load like
    // images when the mail is opened: one with a per-recipient URL reports each open.
    let variables = MergeVariables(inventory.variables)
    for link in inventory.links where link.kind == .background || link.kind == .css {
      guard let url = link.url, url.scheme == "http" || url.scheme == "https", let host = link.host else {
        continue
      }
      let bytes = Array(link.href.utf8)
      let tags = MergeTags.find(in: bytes).filter { !$0.isComment && variables.value(for: $0.name) == nil }
      guard !tags.isEmpty else { continue }
      let written = tags.prefix(3).map { "\"\(String(decoding: bytes[$0.range], as: UTF8.self))\"" }.joined(
        separator: ", ")
      hits.append(
        Hit(
          range: link.range,
          message:
            "remote background image from \(host) carries the per-recipient merge tag \(written) in its URL: a tracking pixel",
          help: "serve the background from one URL for every recipient (no merge tag), or drop it",
          evidence: "background|\(host)\(url.path)", placeholders: ["host": host, "src": link.href]))
    }
    return hits
  }

  /// A plain image file: no query, and a last path segment of a short name with an image
  /// extension and no long number (`/img/1p.gif`, `/spacer.gif`; not `/o/8812773.gif`).
  static func isStaticFile(_ url: URLRecord) -> Bool {
    guard url.query?.isEmpty ?? true, let last = url.pathSegments.last?.lowercased(),
      let dot = last.lastIndex(of: ".")
    else { return false }
    let stem = last[..<dot]
    let ext = last[last.index(after: dot)...]
    guard ["gif", "png", "jpg", "jpeg", "webp"].contains(String(ext)), stem.count <= 20 else { return false }
    var digits = 0
    for character in stem {
      digits = character.isNumber ? digits + 1 : 0
      if digits >= 5 { return false }
    }
    return true
  }

  private func pixels(_ value: Double) -> String { "\(format(value)) pixel\(value == 1 ? "" : "s")" }

  private func format(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
