import SendlintCore

/// Fingerprints unique per reported finding and stable across edits that move lines, for formats
/// whose consumers merge results that share one (GitLab Code Quality, SARIF `partialFingerprints`).
///
/// A finding's own fingerprint hashes its rule, path and normalised evidence ("what", never
/// "where"), so four `link/insecure` hits on the same URL in one file share it. Here each finding
/// gets that fingerprint plus its occurrence index among the findings sharing it, counted in source
/// order: inserting lines above all of them changes no fingerprint, and the first occurrence keeps
/// the plain fingerprint, so it matches the JSON report's and the baseline's. A template reported
/// within a campaign adds the campaign to the base: one template linted in two campaigns gives two
/// results, whatever order the campaigns come in. Editing one value changes one fingerprint.
/// The one home of result fingerprints: SARIF and GitLab Code Quality both use it.
public enum OccurrenceFingerprints {
  /// One fingerprint per finding, in the order given. O(n log n).
  public static func of(_ findings: [Finding]) -> [String] {
    make(
      findings.map { finding in
        let base =
          finding.path == finding.draftPath
          ? finding.fingerprint : Fingerprint.hex(of: finding.fingerprint + "\u{1F}" + finding.draftPath)
        return (base, finding.range?.start ?? -1)
      })
  }

  /// One fingerprint per diagnostic, in the order given: code, path and message, with the
  /// occurrence index among diagnostics sharing them, in position order.
  public static func of(_ diagnostics: [Diagnostic]) -> [String] {
    make(
      diagnostics.map { diagnostic in
        let base = Fingerprint.hex(
          of: "diagnostic\u{1F}\(diagnostic.code)\u{1F}\(diagnostic.path)\u{1F}\(diagnostic.message)")
        let position = diagnostic.position.map { $0.line * 100_000 + min($0.column, 99_999) } ?? -1
        return (base, position)
      })
  }

  /// `items[i]` is (base fingerprint, position for ordering); equal bases are numbered by position,
  /// then by their order in `items`.
  static func make(_ items: [(base: String, position: Int)]) -> [String] {
    var groups: [String: [Int]] = [:]
    for (index, item) in items.enumerated() { groups[item.base, default: []].append(index) }
    var result = items.map(\.base)
    for (base, members) in groups where members.count > 1 {
      let ordered = members.sorted { (items[$0].position, $0) < (items[$1].position, $1) }
      for (occurrence, index) in ordered.enumerated() where occurrence > 0 {
        result[index] = Fingerprint.hex(of: "\(base)\u{1F}\(occurrence)")
      }
    }
    return result
  }
}
