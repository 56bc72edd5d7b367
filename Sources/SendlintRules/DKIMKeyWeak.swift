import SendlintCore
import SendlintInventory

/// `identity/dkim-key-weak`: a published RSA key shorter than recommended.
public struct DKIMKeyWeak: OnlineRule {
  /// Below this a key is unusable (RFC 8301 §3.2): `identity/dkim-key-missing` reports it, as an error.
  public static let minimumBits = 1024

  public static let metadata = RuleMetadata(
    id: "identity/dkim-key-weak",
    summary:
      "A DKIM signature's published RSA key is shorter than the recommended bits (2048 by default) (--online).",
    defaultSeverity: .warning,
    whatItDoes: """
      With `--online`, reads the RSA key each signature's `s._domainkey.d` record publishes and reports \
      keys of at least 1024 bits but fewer than `recommended_bits`. Keys under 1024 bits do not verify at \
      all and are reported by `identity/dkim-key-missing` (an error).
      """,
    whyIsThisBad: """
      1024-bit RSA is within reach of well-funded attackers; RFC 8301 asks signers for 2048 bits, and \
      Gmail's sender guidelines recommend 2048-bit keys.
      """,
    example: "`s1._domainkey.contoso.com` publishes a 1024-bit RSA key.",
    useInstead:
      "Rotate to a 2048-bit RSA key under a new selector (and consider an ed25519 signature beside it).",
    references: ["RFC 6376 §3.3.3 (key sizes)", "RFC 8301 §3.2 (RSA keys of 2048 bits SHOULD be used)"]
      + bulkSenderRequirements,
    options: [
      recommendedBitsOption.spec
    ],
    placeholders: ["domain", "selector", "bits"],
    tags: ["authentication", "online"],
    needs: "--online and DKIM-Signature fields with d= and s=")

  let recommended: Int

  public static let recommendedBitsOption = RuleOption(
    "recommended_bits", default: 2048, range: 1024...16384,
    help:
      "RSA keys shorter than this are reported.")

  public init(options: RuleOptions) { recommended = options[Self.recommendedBitsOption] }

  public func check(_ facts: OnlineFacts, _ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    facts.dkimKeys.compactMap { key in
      guard case .rsa(let bits) = key.state, bits >= Self.minimumBits, bits < recommended else { return nil }
      return Hit(
        range: key.range,
        message:
          "the DKIM key for d=\(key.domain) s=\(key.selector) is a \(bits)-bit RSA key (at least \(recommended) recommended)",
        help: "publish a \(recommended)-bit RSA key under a new selector at \(key.domain) and sign with it",
        evidence: "dkim-weak|\(key.recordName)|\(bits)",
        placeholders: ["domain": key.domain, "selector": key.selector, "bits": String(bits)])
    }
  }
}
