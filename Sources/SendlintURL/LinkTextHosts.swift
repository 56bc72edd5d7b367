/// A host a link's text shows, as a reader takes it: the host, the URL it was written in, and the
/// byte range to point at inside the searched text (the host inside a domain URL, the whole URL
/// for an IP-address host).
public struct ShownHost: Sendable, Hashable {
  /// The host as the URL parser reads it (a domain's ASCII form, or an IP address).
  public let host: String
  /// The URL as written in the text.
  public let written: String
  /// Byte offsets in the searched text of what a finding points at.
  public let start: Int
  public let end: Int

  public init(host: String, written: String, start: Int, end: Int) {
    self.host = host
    self.written = written
    self.start = start
    self.end = end
  }
}

/// Which hosts a link's visible text shows (docs/decisions.md, "Link destinations" and "Link
/// analysis in one place"): URLs with a scheme, `www.` hosts, and bare host names whose suffix is
/// public, when a reader takes them as an address (`isShownAddress`); not `mailto:` URLs, not
/// product names written in capitals ("ODP.NET"), not a `<…>`-delimited text without `://`.
/// Parsing only: `link/text-host-mismatch` judges the hosts against where the link goes.
public enum LinkTextHosts {
  /// The hosts shown by `text`, whose URLs (`finder.find(in: text)`) are `urls`, in text order.
  public static func shown(in text: String, urls: [TextURL]) -> [ShownHost] {
    var result: [ShownHost] = []
    for url in urls {
      guard url.form != .delimited || url.text.contains("://") else { continue }
      // "ODP.NET", "ASP.NET": product names written in capitals, not host names.
      if url.form == .bare, !url.text.contains("/"),
        url.text.unicodeScalars.allSatisfy({ !("a"..."z").contains($0) })
      {
        continue
      }
      guard isShownAddress(url, in: text) else { continue }
      if url.text.lowercased().hasPrefix("mailto:") { continue }
      guard let parsed = URLRecord.parse(url.openable), let host = parsed.host else { continue }
      guard case .domain(let name) = host else {
        if case .ip = host {
          result.append(ShownHost(host: host.description, written: url.text, start: url.start, end: url.end))
        }
        continue
      }
      // Point at the host inside the written URL.
      var hostStart = url.start
      if let separator = url.text.firstRange(of: "://") {
        hostStart += url.text.utf8.distance(from: url.text.startIndex, to: separator.upperBound)
      }
      let hostLength = url.text.utf8.dropFirst(hostStart - url.start).prefix {
        $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#")
      }.count
      result.append(ShownHost(host: name, written: url.text, start: hostStart, end: hostStart + hostLength))
    }
    return result
  }

  /// The text without surrounding whitespace, punctuation and symbols ("» Crucial.com «" →
  /// "Crucial.com"): what is left when the whole text is one address.
  public static func core(of text: String) -> Substring {
    func isEdge(_ character: Character) -> Bool {
      character.isWhitespace
        || character.unicodeScalars.allSatisfy { scalar in
          switch scalar.properties.generalCategory {
          case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format, .openPunctuation,
            .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation, .dashPunctuation, .mathSymbol,
            .otherSymbol, .modifierSymbol:
            return true
          default: return false
          }
        }
    }
    var core = Substring(text)
    while let first = core.first, isEdge(first) { core = core.dropFirst() }
    while let last = core.last, isEdge(last) { core = core.dropLast() }
    return core
  }

  /// Whether a reader takes a found URL as the address the link shows: it has a scheme, starts
  /// with `www.`, has a path, is the whole text, or is a host written in lower case inside longer
  /// text ("sign in at contoso.com"). A capitalised host name inside longer text is a name, not an
  /// address ("News.com: Top CIOs", "DDR Memory at Crucial.com", "Z.ai GLM-4.5").
  public static func isShownAddress(_ url: TextURL, in text: String) -> Bool {
    guard url.form == .bare else { return true }
    if url.text.contains("/") || core(of: text) == Substring(url.text) { return true }
    return !url.text.unicodeScalars.contains { $0.properties.isUppercase }
  }
}
