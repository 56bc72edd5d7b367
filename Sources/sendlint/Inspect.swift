import ArgumentParser
import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintReport
import SendlintURL

/// One draft named on the command line (`inspect FILE`, `policy show DRAFT`), found, confined and
/// read exactly as `lint` finds, confines and reads it: the same `DraftLoader` set up with the same
/// named paths (so a file outside the repository the user pointed at is readable, as for `lint`),
/// the same discovery (a named template stands for the campaign that uses it; `.sendlintignore`
/// applies), and the same refusals with the same messages — but as an error with exit 2 instead
/// of an `input/unparseable` finding, since there is no report to put a finding in.
struct NamedDraft {
  let loader: DraftLoader
  let source: DraftSource
  let inventory: Inventory

  /// Prints each diagnostic as `lint` does, on standard error, and exits 2.
  static func fail(_ diagnostics: [Diagnostic]) throws -> Never {
    let formatter = TextFormatter(color: false)
    for diagnostic in diagnostics { FileHandle.standardError.write(Data((formatter.formatDiagnostic(diagnostic) + "\n").utf8)) }
    throw ExitCode(2)
  }

  /// Resolves `path` (relative to the working directory) with `policy` also named, as `lint PATH
  /// --policy POLICY` would; exits 2 with `lint`'s message when `lint` would not read it.
  static func load(_ path: String, policy: String?) throws -> NamedDraft {
    let loader = DraftLoader(explicitPaths: [path] + [policy].compactMap { $0 })
    let discovery = loader.discoverAll([path])
    if !discovery.diagnostics.isEmpty { try fail(discovery.diagnostics) }
    let absolute = loader.absolutePath(path)
    let shown = absolute == loader.displayRoot ? "." : loader.displayPath(absolute)
    // The named path refused by confinement while discovering (a system file, a link out of the
    // root, a .git folder), before asking whether it is a folder.
    for case .refused(let refusedPath, let reason) in discovery.drafts where refusedPath == absolute {
      let help: String? = if case .failure(let refusal) = loader.confinement.check(refusedPath) { refusal.help } else { nil }
      try fail([Diagnostic(code: "input/unparseable", message: reason, help: help, path: shown)])
    }
    var status = stat()
    if stat(absolute, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
      let readable = discovery.drafts.first { if case .refused = $0 { false } else { true } }
      let example = readable.map { " such as \(loader.displayPath($0.path))" } ?? ""
      try fail([Diagnostic(
        code: "usage/not-a-draft", message: "\(shown) is a folder; this command shows one draft",
        help: "name one draft in it\(example); `sendlint lint \(path)` lints them all", path: shown)])
    }
    guard let source = discovery.drafts.first else {
      let reason = discovery.skipped.first { $0.path == shown }?.reason ?? discovery.skipped.first?.reason ?? "it is not a draft"
      try fail([Diagnostic(
        code: "usage/no-drafts", message: "\(shown) was not read: \(reason)",
        help: "name an .eml message, a campaign manifest (*.campaign.yaml, campaign.yaml) or a template (.html, .htm, .txt)", path: shown)])
    }
    if discovery.drafts.count > 1 {
      // A template several campaigns use: lint checks it within each; this command shows the first.
      let others = discovery.drafts.dropFirst().map { loader.displayPath($0.path) }.joined(separator: ", ")
      FileHandle.standardError.write(Data("note: \(shown) is part of \(discovery.drafts.count) campaigns; showing \(loader.displayPath(source.path)) (also: \(others))".escapedForDisplay.utf8 + [0x0A]))
    }
    // Unreadable although allowed (a FIFO, a device, over the size limit): `load` would turn this
    // into an `input/unparseable` finding with this message.
    if case .failure(let refusal) = loader.confinement.read(source.path, maximumBytes: DraftLoader.maximumFileBytes) {
      let display = loader.displayPath(source.path)
      try fail([Diagnostic(code: "input/unparseable", message: refusal.message(display, root: loader.confinement.root), help: refusal.help, path: display)])
    }
    let (loaded, diagnostics) = loader.load(source)
    guard let inventory = loaded, diagnostics.isEmpty else { try fail(diagnostics) }
    return NamedDraft(loader: loader, source: source, inventory: inventory)
  }

  /// The policy `lint` would use for this draft: `--policy`, else the nearest `.sendlint.yaml`
  /// within the confinement, else the built-in default; its diagnostics when it does not load.
  func policy(explicit: String?) -> Result<ResolvedPolicy, DiagnosticList> {
    let directory = (source.path as NSString).deletingLastPathComponent
    guard let path = explicit.map(loader.absolutePath) ?? PolicyLoader.discover(from: directory, within: loader.confinement) else {
      return .success(PolicyLoader.builtinDefault(directory: loader.workingDirectory))
    }
    return PolicyLoader.load(path: path, displayPath: loader.displayPath, confinement: loader.confinement)
  }

  /// The draft's category and rules under `policy`, decided as `lint` decides them.
  func settings(under policy: ResolvedPolicy) -> EffectiveSettings {
    EffectiveSettings.resolve(policy: policy, path: source.path, statedCategory: inventory.statedCategory, subject: inventory.subject?.value)
  }
}

/// `sendlint inspect`: what sendlint sees in one draft.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Show what sendlint sees in a draft: headers, parts, links, images, text URLs, sending path.")

  @Argument(help: "The draft: an .eml, a campaign manifest or a template.")
  var file: String

  @Option(help: "Output format.")
  var format: InspectFormat = .text

  @Option(help: "Policy file to use instead of the nearest .sendlint.yaml (for the category).")
  var policy: String?

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

  /// The draft's settings as `lint` decides them (`EffectiveSettings`). A policy that does not
  /// load, or a manifest category it does not declare, leaves the category unknown, with the
  /// diagnostics `lint` would give on standard error: inspecting a draft should still work while
  /// the policy is being fixed.
  func settings(of named: NamedDraft) -> EffectiveSettings? {
    let formatter = TextFormatter(color: false)
    switch named.policy(explicit: policy) {
    case .success(let resolved):
      let settings = named.settings(under: resolved)
      for diagnostic in settings.diagnostics { FileHandle.standardError.write(Data((formatter.formatDiagnostic(diagnostic) + "\n").utf8)) }
      return settings
    case .failure(let list):
      for diagnostic in list.diagnostics { FileHandle.standardError.write(Data((formatter.formatDiagnostic(diagnostic) + "\n").utf8)) }
      FileHandle.standardError.write(Data("note: the category is unknown until the policy loads\n".utf8))
      return nil
    }
  }

  func run() throws {
    let named = try NamedDraft.load(file, policy: policy)
    let inventory = named.inventory
    let suffixes = PublicSuffixList.shared
    func position(_ range: SourceRange?) -> (Int?, Int?) {
      guard let range else { return (nil, nil) }
      let start = range.startPosition
      return (start.line, range.hasColumn ? start.column : nil)
    }
    let view = View(
      draft: inventory.draftPath, kind: inventory.kind.rawValue, category: settings(of: named)?.category,
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
      // Bidi and C1 controls as JSON escapes (\u202e), which JSONEncoder would write raw.
      print(JSONText.escapingDisplayUnsafe(String(decoding: try encoder.encode(view), as: UTF8.self)))
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
