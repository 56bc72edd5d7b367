import ArgumentParser
import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintReport

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
    writeDiagnostics(diagnostics)
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
      let help: String? =
        if case .failure(let refusal) = loader.confinement.check(refusedPath) { refusal.help } else { nil }
      try fail([Diagnostic(code: "input/unparseable", message: reason, help: help, path: shown)])
    }
    var status = stat()
    if stat(absolute, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
      let readable = discovery.drafts.first { if case .refused = $0 { false } else { true } }
      let example = readable.map { " such as \(loader.displayPath($0.path))" } ?? ""
      try fail([
        Diagnostic(
          code: "usage/not-a-draft", message: "\(shown) is a folder; this command shows one draft",
          help: "name one draft in it\(example); `sendlint lint \(path)` lints them all", path: shown)
      ])
    }
    guard let source = discovery.drafts.first else {
      let reason =
        discovery.skipped.first { $0.path == shown }?.reason ?? discovery.skipped.first?.reason
        ?? "it is not a draft"
      try fail([
        Diagnostic(
          code: "usage/no-drafts", message: "\(shown) was not read: \(reason)",
          help:
            "name an .eml message, a campaign manifest (*.campaign.yaml, campaign.yaml) or a template (.html, .htm, .txt)",
          path: shown)
      ])
    }
    if discovery.drafts.count > 1 {
      // A template several campaigns use: lint checks it within each; this command shows the first.
      let others = discovery.drafts.dropFirst().map { loader.displayPath($0.path) }.joined(separator: ", ")
      FileHandle.standardError.write(
        Data(
          "note: \(shown) is part of \(discovery.drafts.count) campaigns; showing \(loader.displayPath(source.path)) (also: \(others))"
            .escapedForDisplay.utf8 + [0x0A]))
    }
    // Unreadable although allowed (a FIFO, a device, over the size limit): `load` would turn this
    // into an `input/unparseable` finding with this message.
    if case .failure(let refusal) = loader.confinement.read(
      source.path, maximumBytes: DraftLoader.maximumFileBytes)
    {
      let display = loader.displayPath(source.path)
      try fail([
        Diagnostic(
          code: "input/unparseable", message: refusal.message(display, root: loader.confinement.root),
          help: refusal.help, path: display)
      ])
    }
    let (loaded, diagnostics) = loader.load(source)
    guard let inventory = loaded, diagnostics.isEmpty else { try fail(diagnostics) }
    return NamedDraft(loader: loader, source: source, inventory: inventory)
  }

  /// The policy `lint` would use for this draft: `--policy`, else the nearest `.sendlint.yaml`
  /// within the confinement, else the built-in default; throws its diagnostics when it does not load.
  func policy(explicit: String?) throws(DiagnosticList) -> ResolvedPolicy {
    let directory = (source.path as NSString).deletingLastPathComponent
    guard
      let path = explicit.map(loader.absolutePath)
        ?? PolicyLoader.discover(from: directory, within: loader.confinement)
    else {
      return PolicyLoader.builtinDefault(directory: loader.workingDirectory)
    }
    return try PolicyLoader.load(path: path, displayPath: loader.displayPath, confinement: loader.confinement)
  }

  /// The draft's category and rules under `policy`, decided as `lint` decides them.
  func settings(under policy: ResolvedPolicy) -> EffectiveSettings {
    EffectiveSettings.resolve(
      policy: policy, path: source.path, statedCategory: inventory.statedCategory,
      subject: inventory.subject?.value)
  }
}

/// `sendlint inspect`: what sendlint sees in one draft.
struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show what sendlint sees in a draft: headers, parts, links, images, text URLs, sending path.")

  @Argument(help: "The draft: an .eml, a campaign manifest or a template.")
  var file: String

  @Option(help: "Output format.")
  var format: InspectFormat = .text

  @Option(help: "Policy file to use instead of the nearest .sendlint.yaml (for the category).")
  var policy: String?

  /// The draft's settings as `lint` decides them (`EffectiveSettings`). A policy that does not
  /// load, or a manifest category it does not declare, leaves the category unknown, with the
  /// diagnostics `lint` would give on standard error: inspecting a draft should still work while
  /// the policy is being fixed.
  func settings(of named: NamedDraft) -> EffectiveSettings? {
    do {
      let settings = named.settings(under: try named.policy(explicit: policy))
      writeDiagnostics(settings.diagnostics)
      return settings
    } catch {
      writeDiagnostics(error.diagnostics)
      FileHandle.standardError.write(Data("note: the category is unknown until the policy loads\n".utf8))
      return nil
    }
  }

  func run() throws {
    let named = try NamedDraft.load(file, policy: policy)
    let view = InspectView(named.inventory, settings: settings(of: named))
    print(format == .json ? view.json : view.text, terminator: "")
  }
}
