import SendlintCore
import SendlintInventory
import SendlintURL

/// `identity/unauthorized-sending-ip`: the message leaves from an IP the brand has not authorised.
public struct UnauthorizedSendingIP: Rule {
  public static let metadata = RuleMetadata(
    id: "identity/unauthorized-sending-ip",
    summary:
      "The sending IP is not in the brand's ranges or an authorised vendor's ranges for this category.",
    defaultSeverity: .error,
    whatItDoes: """
      Finds the IP the message leaves from — the manifest's `sending.ips`, or in an `.eml` the first \
      public address in the `Received` chain, read from the oldest hop upwards and past the brand's and \
      its vendors' own relays (a declared vendor's relay after them that is not authorised for the \
      category is reported too) — and checks that it lies in `brand.sending_ips` or in the `sending_ips` of \
      a vendor authorised for the draft's category. Private, loopback and link-local hops (internal \
      submission) are skipped.
      """,
    whyIsThisBad: """
      Receivers judge mail by where it comes from. An IP outside the brand's SPF record fails SPF and, \
      without aligned DKIM, DMARC; an IP of a vendor the brand never authorised for security mail is how \
      a reader of the 2003 Microsoft reminder concluded it was forged.
      """,
    example: """
      ```
      Received: from [209.11.138.97] by mh.microsoft.m0.net
      ```
      with a policy that lists only Microsoft's own ranges.
      """,
    useInstead: """
      Send from the brand's range, or declare the vendor with its ranges and the categories it may send:

      ```yaml
      brand:
        vendors:
          - { name: Acme ESP, sending_ips: [198.51.100.0/24], categories: [marketing] }
      ```
      """,
    references: [
      "RFC 7208 (SPF) §2.4, the checked IP", "RFC 7489 (DMARC) §3.1, identifier alignment",
      "RFC 5321 §4.4, trace information (Received)",
      "Gmail email sender guidelines: authenticate with SPF or DKIM (support.google.com/a/answer/81126)",
    ],
    examples: [
      RuleExample(
        "an unknown IP in the Received chain", flagged: true,
        .eml(
          """
          Received: from mta.example.net ([«192.0.2.44]) by mx.recipient.example; Mon, 4 Aug 2003 10:00:00 -0700
          From: Contoso <news@contoso.com>
          Subject: Hello

          Hello.
          """)),
      RuleExample(
        "a vendor IP outside the vendor's categories", flagged: true,
        .campaign(
          manifest: """
            campaign: notice
            category: security-notice
            text: body.txt
            sending:
              ips: [«198.51.100.7]
            """, html: nil, text: "Please update.\n")),
      RuleExample(
        "a brand relay hands security mail to a marketing vendor", flagged: true,
        .eml(
          """
          Received: from relay.acme-esp.example (relay.acme-esp.example [«198.51.100.7]) by mx.recipient.example; Mon, 4 Aug 2003 10:00:01 -0700
          Received: from out.contoso.com (out.contoso.com [203.0.113.5]) by relay.acme-esp.example; Mon, 4 Aug 2003 10:00:00 -0700
          From: Contoso <security@contoso.com>
          Subject: Security update

          Please update.
          """), category: "security-notice"),
      RuleExample(
        "after the brand relay, the receiver's own hops", flagged: false,
        .eml(
          """
          Received: from mx1.recipient.example (mx1.recipient.example [192.0.2.9]) by mx2.recipient.example; Mon, 4 Aug 2003 10:00:01 -0700
          Received: from out.contoso.com (out.contoso.com [203.0.113.5]) by mx1.recipient.example; Mon, 4 Aug 2003 10:00:00 -0700
          From: Contoso <security@contoso.com>
          Subject: Security update

          Please update.
          """), category: "security-notice"),
      RuleExample(
        "the brand's own range", flagged: false,
        .campaign(
          manifest: """
            campaign: notice
            category: security-notice
            text: body.txt
            sending:
              ips: [203.0.113.9]
            """, html: nil, text: "Please update.\n")),
      RuleExample(
        "internal hops are skipped, the brand relay passes", flagged: false,
        .eml(
          """
          Received: from out.contoso.com (out.contoso.com [203.0.113.5]) by mx.recipient.example; Mon, 4 Aug 2003 10:00:00 -0700
          Received: from app01 ([10.1.2.3]) by out.contoso.com; Mon, 4 Aug 2003 09:59:59 -0700
          From: Contoso <news@contoso.com>
          Subject: Hello

          Hello.
          """)),
    ],
    placeholders: ["ip", "vendor"],
    tags: ["authentication", "infrastructure"],
    needs:
      "brand.sending_ips or vendors with sending_ips in the policy, and sending.ips in the manifest or Received fields in the .eml"
  )

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    let brand = context.brand
    guard brand.knowsSendingInfrastructure else { return [] }
    var hits: [Hit] = []
    for stated in inventory.statedSendingIPs {
      guard let address = stated.address else {
        hits.append(
          Hit(
            range: stated.range, message: "sending IP \"\(stated.text)\" is not an IP address",
            help: "write an IPv4 or IPv6 address, e.g. 203.0.113.7", evidence: stated.text))
        continue
      }
      if let hit = judge(address, range: stated.range, brand: brand, category: context.category) {
        hits.append(hit)
      }
    }
    // Received fields: oldest hop last. Walk upwards, skipping internal hops, through the brand's
    // and vendors' own relays; the first public address that is not theirs is where the message
    // left from, and the walk stops there. After an authorised relay, an address the policy does not
    // know is the receiving side's own hop; one of a declared vendor that is not authorised for the
    // category is still the sender's chain (a brand relay handing security mail to a marketing
    // ESP), and is reported as such.
    var lastAuthorised: IPAddress?
    for entry in inventory.received.reversed() {
      guard let text = entry.hop.fromIP, let address = IPAddress(text), !address.isInternal else { continue }
      guard
        let hit = judge(
          address, range: ipRange(text, in: entry), brand: brand, category: context.category,
          after: lastAuthorised)
      else {
        lastAuthorised = address
        continue
      }
      if lastAuthorised == nil || hit.placeholders["vendor"] != nil { hits.append(hit) }
      break
    }
    return hits
  }

  private func ipRange(_ text: String, in entry: ReceivedEntry) -> SourceRange {
    let file = entry.range.file
    let bytes = file.bytes[entry.range.start..<entry.range.end]
    if let found = bytes.firstByteRange(of: Array(text.utf8)) {
      return SourceRange(file: file, start: found.lowerBound, end: found.upperBound)
    }
    return entry.range
  }

  private func judge(
    _ address: IPAddress, range: SourceRange, brand: BrandFacts, category: String?,
    after relay: IPAddress? = nil
  ) -> Hit? {
    if brand.sendingIPs.contains(where: { $0.contains(address) }) { return nil }
    let owners = brand.vendors.filter { $0.sendingIPs.contains { $0.contains(address) } }
    if owners.contains(where: { $0.isAuthorised(for: category) }) { return nil }
    if let vendor = owners.first {
      let allowed = vendor.categories.joined(separator: ", ")
      return Hit(
        range: range,
        message:
          "sending IP \(address)\(relay.map { " (relaying after the authorised hop \($0))" } ?? "") belongs to vendor \(vendor.name), which the policy authorises for \(allowed), not \(category ?? "drafts without a category")",
        help:
          "send \(category ?? "this draft") from the brand's own range, or add \(category ?? "its category") to the categories of \(vendor.name) in brand.vendors",
        evidence: "\(address)|\(vendor.name)",
        placeholders: ["ip": address.description, "vendor": vendor.name])
    }
    return Hit(
      range: range,
      message: "sending IP \(address) is not in the brand's sending_ips or any authorised vendor's range",
      help:
        "send from an address in brand.sending_ips, or declare the vendor that owns \(address) under brand.vendors with its sending_ips",
      evidence: address.description, placeholders: ["ip": address.description])
  }
}
