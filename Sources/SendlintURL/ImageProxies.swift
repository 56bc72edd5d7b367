import SendlintCore

/// A mail provider's image proxy: forwarded or re-sent mail carries image URLs rewritten through
/// it, with the origin URL inside. Data, not code: rules judge the origin (`origin(of:)`).
public struct ImageProxy: Sendable {
  public enum OriginField: Sendable {
    /// The origin URL is the fragment (`…/proxy/<token>=s0-d-e1-ft#https://origin/img.png`).
    case fragment
    /// The origin URL is the value of one of these query parameters.
    case parameters([String])
  }

  public let name: String
  /// The proxy's domain (the host and its subdomains), or nil to match by `firstLabelPrefix`.
  public let domain: String?
  /// Matches hosts whose first label starts with this (`imgproxy…`), whatever the domain.
  public let firstLabelPrefix: String?
  /// Path prefixes the proxy serves images under (empty: every path).
  public let paths: [String]
  public let origin: OriginField
  /// Where the form is documented or observed.
  public let source: String

  func matches(host: String, url: URLRecord) -> Bool {
    if let domain, !HostName.host(host, isWithin: domain) { return false }
    if let firstLabelPrefix, !Self.firstLabel(of: host, hasPrefix: firstLabelPrefix) { return false }
    let path = url.path.lowercased()
    return paths.isEmpty || paths.contains { path == $0 || path.hasPrefix($0 + "/") }
  }

  /// Whether the first non-empty label of `host` starts with `prefix`, as the Character split
  /// (`host.split(separator: ".").first`) answers: `splitASCII` reads an ASCII host (URL hosts
  /// are) as bytes, where the split cost thousands of instructions per image.
  static func firstLabel(of host: String, hasPrefix prefix: String) -> Bool {
    host.splitASCII(separator: UInt8(ascii: "."), maxSplits: 1).first?.hasPrefix(prefix) ?? false
  }

  public static let known: [ImageProxy] = [
    ImageProxy(
      name: "Gmail image proxy", domain: "googleusercontent.com", firstLabelPrefix: nil,
      paths: ["/proxy", "/meips"],
      origin: .fragment,
      source:
        "Gmail image proxying (ciN.googleusercontent.com/proxy/<token>#<origin>); observed in ../shared/corpora (forwarded mail)"
    ),
    ImageProxy(
      name: "Outlook image proxy", domain: nil, firstLabelPrefix: "imgproxy", paths: [],
      origin: .parameters(["u", "url"]),
      source:
        "Outlook on the web image proxy (imgproxy… host, origin in u=), as issue 12 describes it; matched by label, not domain"
    ),
  ]

  /// The origin of an image served through a known proxy, or nil when `url` is not one (or carries
  /// no absolute http(s) origin). One level: a proxy of a proxy is reported as the inner proxy.
  public static func origin(of url: URLRecord) -> URLRecord? {
    guard let host = url.host.map({ HostName.normalise($0.description) }),
      let proxy = known.first(where: { $0.matches(host: host, url: url) })
    else { return nil }
    switch proxy.origin {
    case .fragment:
      guard let fragment = url.fragment, fragment.utf8.count <= RedirectUnwrapping.maximumUnwrapInput else {
        return nil
      }
      let decoded = String(decoding: PercentDecoding.decode(fragment.utf8), as: UTF8.self)
      return RedirectUnwrapping.absolute(decoded, scheme: url.scheme)
    case .parameters(let names):
      guard let query = url.query, query.utf8.count <= RedirectUnwrapping.maximumUnwrapInput else {
        return nil
      }
      for pair in query.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, names.contains(parts[0].lowercased()) else { continue }
        if let origin = RedirectUnwrapping.destination(inValue: parts[1], scheme: url.scheme) {
          return origin
        }
      }
      return nil
    }
  }
}
