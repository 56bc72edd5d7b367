import ArgumentParser
import Foundation
import SendlintCore
import SendlintInventory
import SendlintPolicy
import SendlintURL

/// `sendlint inspect`: what sendlint sees in one draft.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Show what sendlint sees in a draft: headers, parts, links, images, text URLs, sending path.")

  @Argument(help: "The draft: an .eml, a campaign manifest or a template.")
  var file: String

  @Option(help: "Output format.")
  var format: InspectFormat = .text

  struct View: Codable {
    struct Header: Codable { let name: String; let value: String; let line: Int }
    struct LinkView: Codable {
      let kind: String; let href: String; let url: String?; let host: String?; let registrable_domain: String?
      let delivered_host: String?; let text: String; let hidden: Bool; let line: Int?; let column: Int?
    }
    struct ImageView: Codable {
      let src: String; let host: String?; let width: Double?; let height: Double?; let hidden: Bool
      let added_by_open_tracking: Bool; let line: Int?; let column: Int?
    }
    struct TextURLView: Codable { let url: String; let split: Bool; let joined: String?; let line: Int?; let column: Int? }
    struct Sending: Codable {
      let ips: [String]; let helo: String?; let return_path: String?; let dkim_domains: [String]; let received: [String]
      let dkim_signatures: [DKIMView]; let authentication_results: [AuthenticationView]
    }
    struct DKIMView: Codable {
      let domain: String?; let selector: String?; let algorithm: String?; let signed_headers: [String]; let body_length: Int?
      let missing_tags: [String]; let line: Int?
    }
    struct AuthenticationView: Codable {
      let authserv_id: String; let results: [ResultView]; let line: Int?
      struct ResultView: Codable { let method: String; let result: String; let reason: String?; let properties: [String: String] }
    }
    let draft: String
    let kind: String
    let category: String?
    let headers: [Header]
    let parts: InventoryPart?
    let links: [LinkView]
    let images: [ImageView]
    let text_urls: [TextURLView]
    let sending: Sending
    let attachments: [String]
    let problems: [String]
  }

  /// The category as `lint` decides it: the manifest's, else the nearest policy's classify.
  func category(of inventory: Inventory, draft path: String) -> String? {
    if let stated = inventory.statedCategory { return stated.value }
    guard let policyPath = PolicyLoader.discover(from: (path as NSString).deletingLastPathComponent),
      case .success(let policy) = PolicyLoader.load(path: policyPath)
    else { return nil }
    return policy.classify(path: path, subject: inventory.subject?.value)
  }

  func run() throws {
    let loader = DraftLoader()
    let (drafts, diagnostics) = loader.discover([file])
    guard diagnostics.isEmpty, let draft = drafts.first else {
      throw ValidationError(diagnostics.first?.message ?? "no draft found in \(file)")
    }
    let (loaded, loadDiagnostics) = loader.load(draft)
    guard let inventory = loaded else {
      throw ValidationError(loadDiagnostics.map(\.description).joined(separator: "\n"))
    }
    let suffixes = PublicSuffixList.shared
    func position(_ range: SourceRange?) -> (Int?, Int?) {
      guard let range else { return (nil, nil) }
      let start = range.startPosition
      return (start.line, range.hasColumn ? start.column : nil)
    }
    let view = View(
      draft: inventory.draftPath, kind: inventory.kind.rawValue, category: category(of: inventory, draft: draft.path),
      headers: inventory.headers.map { .init(name: $0.name, value: $0.value, line: $0.range.startPosition.line) },
      parts: inventory.parts,
      links: inventory.links.map { link in
        let (line, column) = position(link.range)
        return .init(
          kind: link.kind.rawValue, href: link.href, url: link.url?.href, host: link.host,
          registrable_domain: link.host.flatMap { suffixes?.registrableDomain(of: $0) }, delivered_host: link.deliveredHost,
          text: link.text, hidden: link.hidden, line: line, column: column)
      },
      images: inventory.images.map { image in
        let (line, column) = position(image.range)
        return .init(
          src: image.src, host: image.host, width: image.width ?? image.cssWidth, height: image.height ?? image.cssHeight,
          hidden: image.hiddenReason != nil, added_by_open_tracking: image.addedByOpenTracking, line: line, column: column)
      },
      text_urls: inventory.textURLs.map { entry in
        let (line, column) = position(entry.range)
        return .init(url: entry.url.text, split: entry.url.split != nil, joined: entry.joined, line: line, column: column)
      },
      sending: .init(
        ips: inventory.statedSendingIPs.map(\.text) + inventory.received.compactMap(\.hop.fromIP), helo: inventory.helo?.value,
        return_path: inventory.returnPath?.mailbox.address, dkim_domains: inventory.dkimDomains.map(\.value),
        received: inventory.received.map { "from \($0.hop.fromName ?? "?") [\($0.hop.fromIP ?? "?")] by \($0.hop.byHost ?? "?")" },
        dkim_signatures: inventory.dkimSignatures.map { located in
          let signature = located.value
          return .init(
            domain: signature.domain, selector: signature["s"], algorithm: signature.algorithm, signed_headers: signature.signedHeaders,
            body_length: signature.bodyLength, missing_tags: signature.missingRequiredTags, line: located.range.startPosition.line)
        },
        authentication_results: inventory.authenticationResults.map { located in
          .init(
            authserv_id: located.value.authservID,
            results: located.value.results.map { .init(method: $0.method, result: $0.result, reason: $0.reason, properties: $0.properties) },
            line: located.range.startPosition.line)
        }),
      attachments: inventory.attachments.map { $0.filename ?? $0.contentType },
      problems: inventory.problems.map { "\($0.code): \($0.message)" })
    switch format {
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      print(String(decoding: try encoder.encode(view), as: UTF8.self))
    case .text:
      // Each line quotes draft content (headers, link text, file names): shown escaped, so no
      // terminal or CI runner acts on what a draft says. The lines' own text has nothing to escape.
      func print(_ line: String) { Swift.print(line.escapedForDisplay) }
      print("draft: \(view.draft) (\(view.kind))\(view.category.map { ", category \($0)" } ?? "")")
      if !view.headers.isEmpty {
        print("headers:")
        for header in view.headers { print("  \(header.name): \(header.value)") }
      }
      if !view.links.isEmpty {
        print("links:")
        for link in view.links {
          print("  [\(link.kind)] \(link.line.map { "\($0):\(link.column.map(String.init) ?? "-")" } ?? "-") \"\(link.text)\" → \(link.url ?? link.href)\(link.delivered_host != link.host ? " (delivered via \(link.delivered_host ?? "?"))" : "")\(link.hidden ? " (hidden)" : "")")
        }
      }
      if !view.images.isEmpty {
        print("images:")
        for image in view.images {
          print("  \(image.src) \(image.width.map { "\($0)" } ?? "?")×\(image.height.map { "\($0)" } ?? "?")\(image.hidden ? " hidden" : "")\(image.added_by_open_tracking ? " (open pixel added at send time)" : "")")
        }
      }
      if !view.text_urls.isEmpty {
        print("text URLs:")
        for url in view.text_urls { print("  \(url.url)\(url.split ? " — split; joined: \(url.joined ?? "")" : "")") }
      }
      print("sending: ips \(view.sending.ips), helo \(view.sending.helo ?? "-"), return-path \(view.sending.return_path ?? "-"), dkim \(view.sending.dkim_domains)")
      for signature in view.sending.dkim_signatures {
        print("  DKIM-Signature (line \(signature.line.map(String.init) ?? "-")): d=\(signature.domain ?? "-") s=\(signature.selector ?? "-") a=\(signature.algorithm ?? "-") h=\(signature.signed_headers.joined(separator: ":"))\(signature.body_length.map { " l=\($0)" } ?? "")\(signature.missing_tags.isEmpty ? "" : " (missing \(signature.missing_tags.joined(separator: ", ")))")")
      }
      for results in view.sending.authentication_results {
        let summary = results.results.map { "\($0.method)=\($0.result)" + ($0.properties.isEmpty ? "" : " (" + $0.properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + ")") }
        print("  Authentication-Results (line \(results.line.map(String.init) ?? "-")) by \(results.authserv_id): \(summary.joined(separator: "; "))")
      }
      for problem in view.problems { print("problem: \(problem)") }
    }
  }
}
