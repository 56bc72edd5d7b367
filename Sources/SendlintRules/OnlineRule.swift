import SendlintCore
import SendlintInventory

/// A rule that judges published DNS (`--online`). It reads `OnlineFacts`, which the engine sets on
/// the inventory only when online checks are on: offline, these rules are never run, so they can
/// neither report nor cause a lookup. Pure like every rule; the lookups happen in SendlintOnline.
///
/// Their documentation examples cannot be drafts alone (the verdict depends on DNS), so they are
/// not in `RuleRegistry.builtin` and its example tests; OnlineRuleTests judges each against facts
/// and a live authoritative server.
public protocol OnlineRule: Sendable {
  static var metadata: RuleMetadata { get }
  init(options: RuleOptions)
  func check(_ facts: OnlineFacts, _ inventory: Inventory, _ context: RuleContext) -> [Hit]
}

/// References every online rule cites besides its own RFC.
let bulkSenderRequirements = [
  "Gmail email sender guidelines (support.google.com/a/answer/81126)",
  "Yahoo sender requirements (senders.yahooinc.com/best-practices)",
]
