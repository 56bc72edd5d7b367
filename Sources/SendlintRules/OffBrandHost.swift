import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// `link/off-brand-host`: links and images on hosts the brand does not own or allow.
public struct OffBrandHost: Rule {
  public static let metadata = RuleMetadata(
    id: "link/off-brand-host",
    summary: "A link or image is on a host outside the brand's domains, tracking domains and allowed hosts.",
    defaultSeverity: .warning,
    categorySeverities: ["security-notice": .error],
    whatItDoes: """
      Flags every link (after the send-time click rewrite) and every remote image whose host is not \
      within `brand.domains`, not a `brand.tracking_domains` host, and not within `brand.allowed_hosts`. \
      A link through a declared tracking domain that carries its destination \
      (`click.contoso.com/r?url=…`) is judged by that destination; an image served through a mail \
      provider's image proxy (Gmail's `googleusercontent.com/proxy/…#origin`, Outlook's `imgproxy…?u=`) \
      by its origin.
      """,
    whyIsThisBad: """
      Customers are told to trust links on the brand's domains only. Every third-party host in genuine \
      mail weakens that advice, and in security notices it is indistinguishable from a phishing kit's \
      hosting.
      """,
    example: "```html\n<img src=\"http://m0.net/m/s.asp?HB4162878203X1075628X73339X\">\n```",
    useInstead:
      "Serve links and images from the brand's domains, or list a trusted partner under `brand.allowed_hosts`.",
    references: [
      "M3AAWG Sender Best Common Practices v3 §3.7",
      "Microsoft, 'How to recognize phishing email messages' (links to unfamiliar domains)",
    ],
    examples: [
      RuleExample(
        "a partner link", flagged: true,
        .html(#"<a href="https://«offers.partner.example/spring">Spring offers</a>"#)),
      RuleExample(
        "an image from a third-party host", flagged: true,
        .html(#"<img src="https://«cdn.example.net/logo.png" width="100" height="40">"#)),
      RuleExample(
        "the brand's tracking domain carrying an outside destination", flagged: true,
        .html(
          #"<a href="https://«click.contoso.com/r?url=https%3A%2F%2Fevil.example%2F">www.contoso.com</a>"#)),
      RuleExample(
        "an image through Gmail's proxy, judged by its origin", flagged: true,
        .html(
          #"<img src="https://«ci3.googleusercontent.com/proxy/AbC=s0-d-e1-ft#https://cdn.example.net/logo.png" width="100" height="40">"#
        )),
      RuleExample(
        "the brand's tracking domain carrying a brand destination, and a proxied brand image", flagged: false,
        .html(
          #"<a href="https://click.contoso.com/r?url=https%3A%2F%2Fwww.contoso.com%2F">Home</a> <img src="https://ci3.googleusercontent.com/proxy/AbC=s0-d-e1-ft#https://www.contoso.com/logo.png" width="100" height="40">"#
        )),
      RuleExample(
        "an allowed host and brand hosts", flagged: false,
        .html(
          #"<a href="https://pay.example.org/x">Pay</a> <a href="https://www.contoso.com/">Home</a> <img src="https://click.contoso.com/o.gif">"#
        ),
        policy: "brand: { allowed_hosts: [pay.example.org] }"),
    ],
    placeholders: ["host"],
    tags: ["links", "brand"],
    needs: "brand.domains in the policy")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    let brand = context.brand
    guard !brand.domains.isEmpty else { return [] }
    func offBrand(_ host: String) -> Bool {
      !brand.isOwned(host) && !brand.isTrackingDomain(host) && !brand.isAllowed(host)
    }
    var hits: [Hit] = []
    // Links and images repeat a host (a newsletter's thousands of links to one shop): each kind of
    // hit's texts are made once per host.
    var texts = SharedHitTexts()
    for link in inventory.links {
      guard let url = link.url, ["http", "https"].contains(url.scheme), let host = link.deliveredHost else {
        continue
      }
      // A declared tracking domain vouches for its redirect, not for the destination it carries.
      if brand.isTrackingDomain(host), link.rewrite == nil, let targetHost = link.analysis.finalTargetHost,
        offBrand(targetHost)
      {
        hits.append(
          texts.hit(at: link.hostRange, key: "tracked\u{1F}\(host)\u{1F}\(targetHost)") {
            Hit(
              range: nil,
              message:
                "link goes through the brand's tracking domain \(host) to \(Host.domain(targetHost).displayName), which is not a brand domain, tracking domain or allowed host",
              help:
                "link to the brand's own domain, or add \(targetHost) to brand.allowed_hosts if the brand trusts it",
              evidence: "link|\(targetHost)", placeholders: ["host": targetHost])
          })
        continue
      }
      guard offBrand(host) else { continue }
      let viaRewrite = link.rewrite != nil
      hits.append(
        texts.hit(
          at: viaRewrite ? link.range : link.hostRange,
          key: "\(viaRewrite ? "rewritten" : "link")\u{1F}\(host)"
        ) {
          Hit(
            range: nil,
            message: viaRewrite
              ? "click tracking will send this link through \(host), which is not a brand domain, tracking domain or allowed host"
              : "link goes to \(Host.domain(host).displayName), which is not a brand domain, tracking domain or allowed host",
            help:
              "link to the brand's own domain, or add \(host) to brand.allowed_hosts if the brand trusts it",
            evidence: "link|\(host)", placeholders: ["host": host])
        })
    }
    for image in inventory.images {
      guard let written = image.url, ["http", "https"].contains(written.scheme) else { continue }
      // An image through a mail provider's proxy (forwarded mail) is judged by its origin.
      let proxied = ImageProxy.origin(of: written)
      guard let url = proxied ?? image.url, let host = url.host.map({ HostName.normalise($0.description) }),
        offBrand(host)
      else { continue }
      let via = proxied == nil ? "" : " (through the image proxy \(image.host ?? ""))"
      let kind = image.addedByOpenTracking ? "pixel" : "image"
      hits.append(
        texts.hit(
          at: image.addedByOpenTracking ? image.range : image.hostRange,
          key: "\(kind)\u{1F}\(host)\u{1F}\(via)"
        ) {
          Hit(
            range: nil,
            message: image.addedByOpenTracking
              ? "open tracking will load an image from \(host), which is not a brand domain or allowed host"
              : "image loads from \(Host.domain(host).displayName)\(via), which is not a brand domain, tracking domain or allowed host",
            help: "serve images from the brand's own domain, or add \(host) to brand.allowed_hosts",
            evidence: "image|\(host)", placeholders: ["host": host])
        })
    }
    return hits
  }
}
