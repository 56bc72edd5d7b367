import SendlintCore
import SendlintInventory

/// The `input/…` rules: problems reading a draft, reported as findings so one broken file never
/// stops a run. One type serves the five ids; each id has its own metadata.
public struct InputProblems: Sendable {
  static func metadata(_ id: String, _ summary: String, _ severity: Severity, what: String) -> RuleMetadata {
    RuleMetadata(
      id: id, summary: summary, defaultSeverity: severity, whatItDoes: what,
      whyIsThisBad:
        "A draft sendlint cannot read fully may render differently in recipients' clients, and rules cannot vouch for what they could not read.",
      example: "See the finding's message for the offending bytes.",
      useInstead:
        "Fix the draft so that it parses cleanly; export it again from the ESP if it was generated.",
      references: ["RFC 5322 (Internet Message Format)", "RFC 2045–2049 (MIME)"], tags: ["input"])
  }

  /// The id reported when a named limit stops sendlint reading part of a draft.
  public static let limitExceeded = "input/limit-exceeded"

  /// Metadata for every input id, sorted.
  public static let all: [RuleMetadata] = [
    metadata(
      "input/charset", "Text that is not valid in its declared charset.", .warning,
      what:
        "Reports MIME text whose bytes do not decode in the declared charset; sendlint reads them as Windows-1252, as mail clients do."
    ),
    // An error by default: what was not read was not checked, so the draft cannot pass as clean.
    metadata(
      "input/limit-exceeded", "A draft beyond sendlint's safety limits.", .error,
      what:
        "Reports nesting, part counts, header sizes, archive entries, attachments or text URLs beyond the named limits; the rest was not read. A policy may lower its severity but cannot turn it off or suppress it."
    ),
    metadata(
      "input/malformed-header", "A header block line that is not a header field.", .warning,
      what:
        "Reports lines in a header block that are not `name: value` fields, and unparseable Content-Type values."
    ),
    metadata(
      "input/malformed-mime", "A multipart body with missing or broken boundaries.", .warning,
      what:
        "Reports multiparts without a boundary parameter, or whose boundary never occurs or is never closed; the body is recovered as mail clients do."
    ),
    metadata(
      "input/unparseable", "A draft that cannot be read at all.", .error,
      what: "Reports files that are not mail: no header fields, unreadable bytes."),
  ]

  /// How to fix each input id's findings: the message says what was wrong, this what to do.
  public static let help: [String: String] = [
    "input/charset":
      "save the text in the charset its Content-Type declares, or declare the one it is written in (e.g. charset=utf-8)",
    "input/limit-exceeded":
      "split or simplify the draft so it stays within the limit the message names; sendlint did not check what lies beyond it",
    "input/malformed-header":
      "write each header line as `Name: value`, start continuation lines with a space or tab, and end the header block with one empty line",
    "input/malformed-mime":
      "give each multipart a boundary parameter, start each part with a line `--BOUNDARY` and close it with `--BOUNDARY--`; if an ESP generated the message, export it again",
    "input/unparseable":
      "lint a message (header fields, an empty line, then the body), an HTML or text template, or a campaign manifest",
  ]

  /// Hits for one input id from an inventory's problems.
  public static func hits(for id: String, in inventory: Inventory) -> [Hit] {
    inventory.problems.filter { $0.code == id }.map {
      Hit(range: $0.range, message: $0.message, help: $0.help ?? help[id], evidence: $0.message)
    }
  }
}
