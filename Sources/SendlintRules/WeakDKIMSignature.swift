import SendlintCore
import SendlintInventory
import SendlintMIME

/// `identity/weak-dkim-signature`: a DKIM signature that verifiers reject or that lets others
/// change the message it vouches for.
public struct WeakDKIMSignature: Rule {
  public static let metadata = RuleMetadata(
    id: "identity/weak-dkim-signature",
    summary:
      "A DKIM-Signature that limits the signed body (l=), leaves From unsigned, uses rsa-sha1, or lacks or repeats a required tag.",
    defaultSeverity: .warning,
    whatItDoes: """
      Reads every `DKIM-Signature` of an `.eml` (the message as the vendor will send it) as an RFC 6376 \
      tag list and reports: a body length limit `l=`, with which the signature still verifies when \
      content is appended after the signed length; an `h=` list without `from` (§5.4: From must be \
      signed, and verifiers treat such a signature as invalid); the `rsa-sha1` algorithm (RFC 8301: \
      must not be used for signing); a required tag (`v a b bh d h s`) missing or any tag repeated \
      (§3.5, §3.2: the signature is invalid). Campaign manifests state only the signing domain and \
      are not checked.
      """,
    whyIsThisBad: """
      A signature with `l=` lets anyone who holds one genuine message append a phishing body or a \
      new HTML part below the signed length and replay it with the brand's valid signature. \
      An invalid or unsigned-From signature does not count towards DMARC, so the mail fails \
      authentication exactly where the brand believes it is protected.
      """,
    example:
      "```\nDKIM-Signature: v=1; a=rsa-sha256; d=contoso.com; s=s1; l=1200; h=to:subject; bh=…; b=…\n```",
    useInstead:
      "Sign the whole body (no `l=`), include `from` in `h=` (and sign it twice to stop a second From being added), and use `rsa-sha256` or `ed25519-sha256`.",
    references: [
      "RFC 6376 §3.2, §3.5, §5.4, §8.2 (l= and appended content)",
      "RFC 8301 §3.1 (rsa-sha1 must not be used)",
      "M3AAWG DKIM Signing and Key Management Best Common Practices",
    ],
    examples: [
      RuleExample(
        "a body length limit and From left unsigned", flagged: true,
        .eml(
          "DKIM-Signature: v=1; a=rsa-sha256; d=contoso.com; s=s1; «l=1200;\n «h=to:subject; bh=YQ==; b=YQ==\nFrom: news@contoso.com\nDate: Mon, 4 Aug 2003 10:00:00 -0700\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "an rsa-sha1 signature without a selector", flagged: true,
        .eml(
          "DKIM-Signature: «v=1; «a=rsa-sha1; d=contoso.com; h=from:subject; bh=YQ==; b=YQ==\nFrom: news@contoso.com\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a full-body rsa-sha256 signature over From", flagged: false,
        .eml(
          "DKIM-Signature: v=1; a=rsa-sha256; d=contoso.com; s=s1; c=relaxed/relaxed;\n h=from:from:to:subject:date; bh=YQ==; b=YQ==\nFrom: news@contoso.com\nSubject: s\n\nx\n"
        )),
    ],
    placeholders: ["domain", "problem"],
    tags: ["authentication", "phishing"],
    needs: "an .eml with DKIM-Signature fields")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    for located in inventory.dkimSignatures {
      let signature = located.value
      let domain = signature.domain ?? "?"
      func add(_ tag: String?, _ problem: String, _ message: String, _ help: String) {
        hits.append(
          Hit(
            range: tag.flatMap { Self.tagRange($0, in: located.range) } ?? located.range,
            message: "DKIM signature for \(domain): \(message)", help: help,
            evidence: "\(domain)|\(problem)", placeholders: ["domain": domain, "problem": problem]))
      }
      if let length = signature.bodyLength {
        add(
          "l", "body-length",
          "l=\(length) signs only the first \(length) bytes of the body; anything appended after them still verifies",
          "remove l= from the signing configuration so the whole body is signed")
      }
      if signature["h"] != nil, !signature.signedHeaders.contains("from") {
        add(
          "h", "from-unsigned",
          "h=\(signature.signedHeaders.joined(separator: ":")) does not sign From; verifiers treat the signature as invalid",
          "add from to h= (twice, h=from:from:…, so a second From cannot be added)")
      }
      if signature.algorithm == "rsa-sha1" {
        add(
          "a", "rsa-sha1", "a=rsa-sha1 must not be used for signing (RFC 8301) and verifiers may ignore it",
          "sign with a=rsa-sha256 (or ed25519-sha256 alongside it)")
      }
      if !signature.missingRequiredTags.isEmpty {
        let missing = signature.missingRequiredTags
        add(
          nil, "missing-tags",
          "required tag\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)=" }.joined(separator: ", ")) missing; the signature is invalid",
          "check the signing configuration; v, a, b, bh, d, h and s are required (RFC 6376 §3.5)")
      }
      for tag in signature.repeatedTags {
        add(
          tag, "repeated-\(tag)", "tag \(tag)= appears more than once; the signature is invalid",
          "keep one \(tag)= tag")
      }
    }
    return hits
  }

  /// Where `name=` starts a tag-spec inside the field value: at its start or after ";" and
  /// whitespace.
  static func tagRange(_ name: String, in range: SourceRange) -> SourceRange? {
    let bytes = range.file.bytes
    let pattern = Array(name.utf8)
    var index = range.start
    var atSpecStart = true
    while index < range.end {
      let byte = bytes[index]
      if byte == UInt8(ascii: ";") {
        atSpecStart = true
      } else if byte.isASCIIWhitespace {
        // whitespace keeps the state
      } else if atSpecStart {
        var end = index
        var matched = true
        for expected in pattern {
          guard end < range.end, bytes[end] == expected else {
            matched = false
            break
          }
          end += 1
        }
        while matched, end < range.end, bytes[end] == 0x20 || bytes[end] == 0x09 { end += 1 }
        if matched, end < range.end, bytes[end] == UInt8(ascii: "=") {
          var valueEnd = end
          while valueEnd < range.end, bytes[valueEnd] != UInt8(ascii: ";"), bytes[valueEnd] != 0x0A,
            bytes[valueEnd] != 0x0D
          { valueEnd += 1 }
          return SourceRange(file: range.file, start: index, end: valueEnd)
        }
        atSpecStart = false
      }
      index += 1
    }
    return nil
  }
}
