import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintURL

/// `sendlint inspect`'s view of one draft: headers, parts, links, images, text URLs, sending path,
/// and the category as `lint` decides it. Built here so the CLI only prints it.
public struct InspectView: Codable, Sendable {
  public struct Header: Codable, Sendable {
    public let name: String
    public let value: String
    public let line: Int
  }
  public struct LinkView: Codable, Sendable {
    public let kind: String
    public let href: String
    public let url: String?
    public let host: String?
    public let registrable_domain: String?
    public let delivered_host: String?
    public let text: String
    public let hidden: Bool
    public let line: Int?
    public let column: Int?
  }
  public struct ImageView: Codable, Sendable {
    public let src: String
    public let host: String?
    public let width: Double?
    public let height: Double?
    public let hidden: Bool
    public let added_by_open_tracking: Bool
    public let line: Int?
    public let column: Int?
  }
  public struct TextURLView: Codable, Sendable {
    public let url: String
    public let split: Bool
    public let joined: String?
    public let line: Int?
    public let column: Int?
  }
  public struct Sending: Codable, Sendable {
    public let ips: [String]
    public let helo: String?
    public let return_path: String?
    public let dkim_domains: [String]
    public let received: [String]
    public let dkim_signatures: [DKIMView]
    public let authentication_results: [AuthenticationView]
  }
  public struct DKIMView: Codable, Sendable {
    public let domain: String?
    public let selector: String?
    public let algorithm: String?
    public let signed_headers: [String]
    public let body_length: Int?
    public let missing_tags: [String]
    public let line: Int?
  }
  public struct AuthenticationView: Codable, Sendable {
    public let authserv_id: String
    public let results: [ResultView]
    public let line: Int?
    public struct ResultView: Codable, Sendable {
      public let method: String
      public let result: String
      public let reason: String?
      public let properties: [String: String]
    }
  }
  public let draft: String
  public let kind: String
  public let category: String?
  /// Why the draft has its category (`EffectiveSettings.CategoryOrigin.explanation`); nil without a policy.
  public let category_origin: String?
  public let headers: [Header]
  public let parts: InventoryPart?
  public let links: [LinkView]
  public let images: [ImageView]
  public let text_urls: [TextURLView]
  public let sending: Sending
  public let attachments: [String]
  public let problems: [String]
}

extension InspectView {
  /// What sendlint sees in `inventory`; `settings` (nil when the policy did not load) gives the
  /// category exactly as `lint` decides it.
  public init(_ inventory: Inventory, settings: EffectiveSettings?) {
    let suffixes = PublicSuffixList.shared
    func position(_ range: SourceRange?) -> (Int?, Int?) {
      guard let range else { return (nil, nil) }
      let start = range.startPosition
      return (start.line, range.hasColumn ? start.column : nil)
    }
    self.init(
      draft: inventory.draftPath, kind: inventory.kind.rawValue, category: settings?.category,
      category_origin: settings?.categoryOrigin.explanation,
      headers: inventory.headers.map {
        .init(name: $0.name, value: $0.value, line: $0.range.startPosition.line)
      },
      parts: inventory.parts,
      links: inventory.links.map { link in
        let (line, column) = position(link.range)
        return .init(
          kind: link.kind.rawValue, href: link.href, url: link.url?.href, host: link.host,
          registrable_domain: link.host.flatMap { suffixes?.registrableDomain(of: $0) },
          delivered_host: link.deliveredHost,
          text: link.text, hidden: link.hidden, line: line, column: column)
      },
      images: inventory.images.map { image in
        let (line, column) = position(image.range)
        return .init(
          src: image.src, host: image.host, width: image.width ?? image.cssWidth,
          height: image.height ?? image.cssHeight,
          hidden: image.hiddenReason != nil, added_by_open_tracking: image.addedByOpenTracking, line: line,
          column: column)
      },
      text_urls: inventory.textURLs.map { entry in
        let (line, column) = position(entry.range)
        return .init(
          url: entry.url.text, split: entry.url.split != nil, joined: entry.joined, line: line, column: column
        )
      },
      sending: .init(
        ips: inventory.statedSendingIPs.map(\.text) + inventory.received.compactMap(\.hop.fromIP),
        helo: inventory.helo?.value,
        return_path: inventory.returnPath?.mailbox.address, dkim_domains: inventory.dkimDomains.map(\.value),
        received: inventory.received.map {
          "from \($0.hop.fromName ?? "?") [\($0.hop.fromIP ?? "?")] by \($0.hop.byHost ?? "?")"
        },
        dkim_signatures: inventory.dkimSignatures.map { located in
          let signature = located.value
          return .init(
            domain: signature.domain, selector: signature["s"], algorithm: signature.algorithm,
            signed_headers: signature.signedHeaders,
            body_length: signature.bodyLength, missing_tags: signature.missingRequiredTags,
            line: located.range.startPosition.line)
        },
        authentication_results: inventory.authenticationResults.map { located in
          .init(
            authserv_id: located.value.authservID,
            results: located.value.results.map {
              .init(method: $0.method, result: $0.result, reason: $0.reason, properties: $0.properties)
            },
            line: located.range.startPosition.line)
        }),
      attachments: inventory.attachments.map { $0.filename ?? $0.contentType },
      problems: inventory.problems.map { "\($0.code): \($0.message)" })
  }

  /// The text form, one line per fact; each line quotes draft content (headers, link text, file
  /// names) escaped, so no terminal or CI runner acts on what a draft says.
  public var text: String {
    // The lines' own text has nothing to escape; escaping each whole line covers what it quotes.
    var lines: [String] = []
    func print(_ line: String) { lines.append(line.escapedForDisplay) }
    let view = self
    print(
      "draft: \(view.draft) (\(view.kind))\(view.category.map { ", category \($0)" } ?? "")\(view.category_origin.map { " — \($0)" } ?? "")"
    )
    if !view.headers.isEmpty {
      print("headers:")
      for header in view.headers { print("  \(header.name): \(header.value)") }
    }
    if !view.links.isEmpty {
      print("links:")
      for link in view.links {
        print(
          "  [\(link.kind)] \(link.line.map { "\($0):\(link.column.map(String.init) ?? "-")" } ?? "-") \"\(link.text)\" → \(link.url ?? link.href)\(link.delivered_host != link.host ? " (delivered via \(link.delivered_host ?? "?"))" : "")\(link.hidden ? " (hidden)" : "")"
        )
      }
    }
    if !view.images.isEmpty {
      print("images:")
      for image in view.images {
        print(
          "  \(image.src) \(image.width.map { "\($0)" } ?? "?")×\(image.height.map { "\($0)" } ?? "?")\(image.hidden ? " hidden" : "")\(image.added_by_open_tracking ? " (open pixel added at send time)" : "")"
        )
      }
    }
    if !view.text_urls.isEmpty {
      print("text URLs:")
      for url in view.text_urls {
        print("  \(url.url)\(url.split ? " — split; joined: \(url.joined ?? "")" : "")")
      }
    }
    print(
      "sending: ips \(view.sending.ips), helo \(view.sending.helo ?? "-"), return-path \(view.sending.return_path ?? "-"), dkim \(view.sending.dkim_domains)"
    )
    for signature in view.sending.dkim_signatures {
      print(
        "  DKIM-Signature (line \(signature.line.map(String.init) ?? "-")): d=\(signature.domain ?? "-") s=\(signature.selector ?? "-") a=\(signature.algorithm ?? "-") h=\(signature.signed_headers.joined(separator: ":"))\(signature.body_length.map { " l=\($0)" } ?? "")\(signature.missing_tags.isEmpty ? "" : " (missing \(signature.missing_tags.joined(separator: ", ")))")"
      )
    }
    for results in view.sending.authentication_results {
      let summary = results.results.map {
        "\($0.method)=\($0.result)"
          + ($0.properties.isEmpty
            ? ""
            : " ("
              + $0.properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                separator: " ") + ")")
      }
      print(
        "  Authentication-Results (line \(results.line.map(String.init) ?? "-")) by \(results.authserv_id): \(summary.joined(separator: "; "))"
      )
    }
    for problem in view.problems { print("problem: \(problem)") }
    return lines.map { $0 + "\n" }.joined()
  }

  /// The JSON form: sorted keys, and bidi and C1 controls as JSON escapes (`\u202e`), which
  /// JSONEncoder would write raw.
  public var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding plain strings, numbers and arrays cannot fail.
    let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
    return JSONText.escapingDisplayUnsafe(String(decoding: data, as: UTF8.self)) + "\n"
  }
}
