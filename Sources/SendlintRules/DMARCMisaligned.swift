import SendlintCore
import SendlintInventory
import SendlintURL

/// `identity/dmarc-misaligned`: neither DKIM nor the Return-Path aligns with the From domain.
public struct DMARCMisaligned: Rule {
  public static let metadata = RuleMetadata(
    id: "identity/dmarc-misaligned",
    summary: "Neither a DKIM d= domain nor the Return-Path domain aligns with the From domain.",
    defaultSeverity: .error,
    whatItDoes: """
      DMARC passes only when SPF (checked on the Return-Path domain) or DKIM (the `d=` domain) passes \
      *and* aligns with the From domain. In `relaxed` mode (the DMARC default) alignment compares \
      organisational (registrable) domains; in `strict` mode the domains must be equal. A \
      `DKIM-Signature` whose `h=` does not list `From` is invalid (RFC 6376 §5.4) and aligns nothing. \
      With `--online`, the modes the From domain's DMARC record publishes (`adkim`, `aspf`) are used \
      instead of the `mode` option.
      """,
    whyIsThisBad: """
      Gmail and Yahoo require DMARC alignment from bulk senders since February 2024; misaligned mail \
      is rejected or lands in spam, and a From domain the signatures do not vouch for is exactly \
      what spoofing looks like.
      """,
    example:
      "```\nFrom: news@contoso.com\nReturn-Path: <bounce@esp.example>\nDKIM-Signature: d=esp.example; …\n```",
    useInstead:
      "Sign with `d=` on the From domain (or a subdomain of it in relaxed mode), or use a Return-Path on it.",
    references: [
      "RFC 7489 §3.1 (identifier alignment)",
      "Gmail email sender guidelines (support.google.com/a/answer/81126)",
      "Yahoo sender requirements (senders.yahooinc.com/best-practices)",
    ],
    options: [
      mode.spec
    ],
    examples: [
      RuleExample(
        "the ESP signs with its own domain", flagged: true,
        .campaign(
          manifest: """
            campaign: c
            category: marketing
            from: "Contoso <«news@contoso.com>"
            text: body.txt
            sending: { return_path: bounce@esp.example, dkim_domain: esp.example }
            """, html: nil, text: "Hello.\n")),
      RuleExample(
        "a subdomain signature aligns in relaxed mode", flagged: false,
        .campaign(
          manifest: """
            campaign: c
            category: marketing
            from: "Contoso <news@contoso.com>"
            text: body.txt
            sending: { return_path: bounce@esp.example, dkim_domain: mail.contoso.com }
            """, html: nil, text: "Hello.\n")),
      RuleExample(
        "the From domain signs, but h= leaves From out", flagged: true,
        .eml(
          "DKIM-Signature: v=1; a=rsa-sha256; d=contoso.com; s=s1; h=to:subject:date; bh=x; b=y\nReturn-Path: <bounce@esp.example>\nFrom: Contoso <«news@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "the From domain signs From", flagged: false,
        .eml(
          "DKIM-Signature: v=1; a=rsa-sha256; d=contoso.com; s=s1; h=from:to:subject:date; bh=x; b=y\nReturn-Path: <bounce@esp.example>\nFrom: Contoso <news@contoso.com>\nSubject: s\n\nx\n"
        )),
    ],
    placeholders: ["domain"],
    tags: ["authentication", "bulk-sender"],
    needs: "a From field and a DKIM d= domain or Return-Path; relaxed mode also needs the Public Suffix List")

  let strict: Bool

  /// DMARC alignment mode.
  public enum Mode: String, CaseIterable, Sendable {
    case relaxed, strict
  }

  public static let mode = RuleOption(
    "mode", default: Mode.relaxed, help: "DMARC alignment mode (adkim/aspf).")

  public init(options: RuleOptions) {
    strict = options[Self.mode] == .strict
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    // A DKIM-Signature whose h= leaves From unsigned does not vouch for the From domain: RFC 6376
    // §5.4 requires From in h=, verifiers treat such a signature as invalid, and DMARC (RFC 7489
    // §3.1.1) aligns only on a signature that verifies. A manifest's dkim_domains sign From.
    let unsigned = inventory.dkimSignatures.filter { !$0.value.signedHeaders.contains("from") }
    let unsignedDomains = Set(unsigned.compactMap(\.value.domain))
    let signing =
      inventory.dkimSignatures.isEmpty
      ? inventory.dkimDomains.map(\.value)
      : inventory.dkimSignatures.filter { $0.value.signedHeaders.contains("from") }.compactMap(\.value.domain)
        .filter { !$0.isEmpty }
    let authenticators = signing + (inventory.returnPath?.mailbox.domain.map { [$0] } ?? [])
    guard !authenticators.isEmpty || !unsignedDomains.isEmpty else { return [] }
    if !strict, context.suffixes == nil { return [] }
    func organisational(_ domain: String) -> String {
      context.suffixes?.registrableDomain(of: domain) ?? domain
    }
    var hits: [Hit] = []
    for from in inventory.from {
      guard let domain = from.mailbox.domain else { continue }
      // `--online`: the modes the domain publishes (adkim/aspf) replace the `mode` option.
      let published = inventory.online?.dmarc.first {
        $0.fromDomain == domain && $0.record != nil && $0.invalidReason == nil
      }
      let strictDKIM = published.map { $0.dkimAlignment == "s" } ?? strict
      let strictSPF = published.map { $0.spfAlignment == "s" } ?? strict
      if !strictDKIM || !strictSPF, context.suffixes == nil { continue }
      func aligns(_ candidate: String, strict: Bool) -> Bool {
        strict ? HostName.normalise(candidate) == domain : organisational(candidate) == organisational(domain)
      }
      let returnPathDomain = inventory.returnPath?.mailbox.domain
      let aligned =
        signing.contains { aligns($0, strict: strictDKIM) }
        || returnPathDomain.map { aligns($0, strict: strictSPF) } == true
      guard !aligned else { continue }
      let file = from.range.file
      var range = from.range
      if let found = file.bytes[from.range.start..<from.range.end].firstRange(
        of: Array(from.mailbox.address.utf8))
      {
        range = SourceRange(file: file, start: found.lowerBound, end: found.upperBound)
      }
      let ignored = unsignedDomains.sorted().map { "d=\($0)" }.joined(separator: ",")
      let note =
        ignored.isEmpty ? "" : " (the signature with \(ignored) leaves From out of h=, so it does not count)"
      hits.append(
        Hit(
          range: range,
          message:
            "From domain \(domain) is not aligned (\(published.map { "adkim=\($0.dkimAlignment) aspf=\($0.spfAlignment) published at _dmarc.\($0.recordDomain ?? domain)" } ?? (strict ? "strict" : "relaxed"))) with DKIM d=\(signing.joined(separator: ",").nilIfEmpty ?? "none") or Return-Path \(inventory.returnPath?.mailbox.domain ?? "none")\(note); DMARC will fail",
          help:
            "sign with d=\(strict ? domain : organisational(domain))\(ignored.isEmpty ? "" : " and From in h=") or use a Return-Path on \(domain)",
          evidence: "\(domain)|\(authenticators.sorted().joined(separator: ","))",
          placeholders: ["domain": domain]))
    }
    return hits
  }
}
