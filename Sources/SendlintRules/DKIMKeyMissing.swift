import SendlintCore
import SendlintInventory

/// `identity/dkim-key-missing`: a signature's key record is absent, revoked, unusable or too short.
public struct DKIMKeyMissing: OnlineRule {
  public static let metadata = RuleMetadata(
    id: "identity/dkim-key-missing",
    summary:
      "A DKIM signature's public key is not published, is revoked, cannot be parsed, or is an RSA key under 1024 bits (--online).",
    defaultSeverity: .error,
    whatItDoes: """
      With `--online`, looks up `s._domainkey.d` (TXT) for each `DKIM-Signature`'s `d=` and `s=` and reads \
      it as RFC 6376 §3.6.1 says: tags, `v=DKIM1`, `k=rsa` or `ed25519`, and `p=` decoded from base64 — an \
      RSA key's size is the bit length of the modulus in its SubjectPublicKeyInfo. Reports a missing \
      record, an empty `p=` (revoked), a record that cannot be used, and RSA keys under 1024 bits, which \
      RFC 8301 §3.2 forbids verifiers to accept.
      """,
    whyIsThisBad: """
      A signature whose key cannot be fetched or used does not verify: the mail is unsigned as far as \
      receivers and DMARC are concerned, and Gmail and Yahoo require bulk mail to be DKIM-signed.
      """,
    example:
      "`DKIM-Signature: d=contoso.com; s=s2024; …` while `s2024._domainkey.contoso.com` does not exist.",
    useInstead: "Publish the selector's key (RSA 2048 bits, or ed25519 beside it) before sending with it.",
    references: [
      "RFC 6376 §3.6.1 (key records), §6.1.2 (key retrieval)", "RFC 8301 §3.2 (RSA key sizes)",
      "RFC 8463 (ed25519)",
    ] + bulkSenderRequirements,
    placeholders: ["domain", "selector"],
    tags: ["authentication", "online"],
    needs: "--online and DKIM-Signature fields with d= and s=")

  public init(options: RuleOptions) {}

  public func check(_ facts: OnlineFacts, _ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    facts.dkimKeys.compactMap { key in
      let problem: String
      switch key.state {
      case .missing: problem = "is not published (no TXT record at \(key.recordName))"
      case .revoked: problem = "is revoked (empty p= at \(key.recordName))"
      case .invalid(let reason): problem = "cannot be used: \(reason) (at \(key.recordName))"
      case .rsa(let bits) where bits < DKIMKeyWeak.minimumBits:
        problem = "is a \(bits)-bit RSA key, which verifiers reject (RFC 8301 requires at least 1024)"
      case .rsa, .ed25519: return nil
      }
      return Hit(
        range: key.range, message: "the DKIM key for d=\(key.domain) s=\(key.selector) \(problem)",
        help:
          "publish a valid key at \(key.recordName) (RSA of 2048 bits), or sign with a selector that has one",
        evidence: "dkim-key|\(key.recordName)",
        placeholders: ["domain": key.domain, "selector": key.selector])
    }
  }
}
