import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory

/// Lints drafts held in memory under one policy. A `Sendable` value with no state between calls:
/// make one per policy and call it from as many tasks as you like. Cancelling a task stops its
/// lint at the engine's next check; that report carries the `usage/cancelled` diagnostic.
///
/// Every call runs the CLI's own pipeline (`Engine.lint`): classification, every enabled rule,
/// inline suppression directives and the policy's `suppress` entries, then the baseline.
public struct Linter: Sendable {
  public let policy: SendlintPolicySet
  /// Category for drafts that state none, instead of the policy's `classify` (`--category`).
  public var category: String?
  /// Findings this baseline lists (`Baseline.decode(_:)`) are left out and counted in `summary.baselined`.
  public var baseline: Baseline?
  /// What draft names are relative to: locations, `classify` and `suppress` globs match against
  /// `name` under it. Nothing is read from it.
  public var workingDirectory: String
  /// Today (`YYYY-MM-DD`, UTC) for suppression expiry; nil: the clock.
  public var today: String?
  /// Build each draft's preview (the message as received, for `formatted(.html)`); costs a second
  /// pass over the bodies, so off unless asked.
  public var buildsPreviews = false

  public init(
    policy: SendlintPolicySet = .recommended, category: String? = nil, workingDirectory: String = "/"
  ) {
    self.policy = policy
    self.category = category
    self.workingDirectory = workingDirectory
  }

  /// The largest draft accepted, as for a file: `DraftLoader.maximumFileBytes`.
  public static let maximumDraftBytes = DraftLoader.maximumFileBytes

  /// Lints a raw RFC 5322 message (`.eml` bytes). `name` labels its locations.
  public func lint(message: Data, name: String = "message.eml") async throws -> Report {
    try check(message.count, name)
    return await run(
      standardInput: StandardInputDraft(bytes: [UInt8](message), filename: name, kind: .message))
  }

  /// Lints a bare template (HTML, or plain text when `isHTML` is false).
  public func lint(template: Data, name: String, isHTML: Bool = true) async throws -> Report {
    try check(template.count, name)
    return await run(
      standardInput: StandardInputDraft(
        bytes: [UInt8](template), filename: name, kind: isHTML ? .htmlTemplate : .textTemplate))
  }

  /// Lints a campaign: its manifest's bytes and the templates it names, keyed by the path the
  /// manifest writes (`html: body.html` → `templates["body.html"]`). A template the manifest names
  /// but `templates` lacks is a `manifest/missing-template` diagnostic.
  public func lint(campaign manifest: Data, templates: [String: Data], name: String = "campaign.yaml")
    async throws -> Report
  {
    try check(manifest.count, name)
    for (key, value) in templates { try check(value.count, key) }
    var request = request()
    request.campaign = InMemoryCampaign(
      manifest: [UInt8](manifest), templates: templates.mapValues { [UInt8]($0) }, name: name)
    return Report(await Self.runCancellable(request), workingDirectory: workingDirectory)
  }

  func check(_ size: Int, _ name: String) throws {
    if size > Self.maximumDraftBytes {
      throw SendlintError.inputTooLarge(name: name, size: size, limit: Self.maximumDraftBytes)
    }
  }

  func request() -> LintRequest {
    var request = LintRequest(paths: [], category: category, workingDirectory: workingDirectory)
    request.policy = policy.resolved
    request.baseline = baseline
    request.baselineName = baseline == nil ? nil : "baseline"
    if let today { request.today = today }
    request.buildsPreviews = buildsPreviews
    return request
  }

  func run(standardInput: StandardInputDraft) async -> Report {
    var request = request()
    request.standardInput = standardInput
    return Report(await Self.runCancellable(request), workingDirectory: workingDirectory)
  }

  /// Runs `request` so that cancelling the calling task stops the lint at the engine's next check
  /// (before a draft, between rules); the report then carries `usage/cancelled` and exits 2.
  static func runCancellable(_ request: LintRequest) async -> LintReport {
    var request = request
    let cancellation = LintCancellation()
    request.cancellation = cancellation
    return await withTaskCancellationHandler {
      Self.run(request)
    } onCancel: {
      cancellation.cancel()
    }
  }

  /// The one pipeline, for the library and the CLI alike (the CLI builds its request from flags:
  /// paths, `lint -`, `--policy`, `--baseline`).
  public static func run(_ request: LintRequest) -> LintReport {
    Engine().lint(request)
  }
}

extension Baseline {
  /// A baseline file's bytes (`sendlint baseline update` writes them), checked as the CLI checks
  /// `--baseline`.
  /// - Throws: `BaselineError` with the diagnostic.
  public static func decode(_ data: Data) throws -> Baseline {
    do { return try decode(data, shown: "baseline") } catch { throw BaselineError(diagnostic: error) }
  }
}

/// A baseline that could not be read: the diagnostic says why and how to regenerate it.
public struct BaselineError: Error, Sendable, CustomStringConvertible {
  public let diagnostic: Diagnostic
  public var description: String { diagnostic.description }
}
