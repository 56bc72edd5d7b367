import SendlintCore
import SendlintInventory
import SendlintURL

/// `identity/missing-rdns`: a sending hop without a reverse-DNS name, or a HELO outside the brand.
public struct MissingRDNS: Rule {
  public static let metadata = RuleMetadata(
    id: "identity/missing-rdns",
    summary:
      "A sending hop has no reverse-DNS name, or announces a HELO name outside the brand and its vendors.",
    defaultSeverity: .warning,
    whatItDoes: """
      Reads the `Received` fields of an `.eml`: a hop from a public address with no reverse-DNS name, in \
      the notation of the MTA that recorded it — an address literal only (`from [209.11.138.97]`, \
      Exim's `from [ip] (helo=x)`), Postfix's `(unknown [ip])`, Sendmail's `from helo ([ip])` and its \
      `(may be forged)` (a PTR name that does not resolve back). Forms written without a lookup say \
      nothing and are not judged: Microsoft's `from helo (ip)`, qmail's `from unknown`, the same \
      `([ip])` shape from other MTAs (InterMail). Checks the HELO name — the manifest's \
      `sending.helo`, or the name after `from` — against `brand.domains` and the hosts of \
      `brand.vendors`. With `--online`, also looks up the PTR record of each sending IP (the manifest's \
      `sending.ips`, or the newest public hop) and checks that a PTR name resolves back to it.
      """,
    whyIsThisBad: """
      Receivers reject or penalise mail from IPs without a PTR record (Gmail requires forward-confirmed \
      reverse DNS of bulk senders), and a HELO name under someone else's domain tells the reader the \
      brand did not send it.
      """,
    example: "```\nReceived: from [209.11.138.97] by mh.microsoft.m0.net\n```",
    useInstead:
      "Send from hosts with matching PTR and A records under the brand's (or a declared vendor's) names.",
    references: [
      "RFC 5321 §4.1.1.1 (HELO/EHLO) and §4.4 (Received)", "RFC 1912 §2.1 (PTR records)",
      "RFC 8601 §2.7.3 (iprev)",
      "Gmail email sender guidelines: valid forward and reverse DNS",
    ],
    examples: [
      RuleExample(
        "an address literal only", flagged: true,
        .eml(
          "Received: from [«192.0.2.7] by mx.recipient.example; Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "Postfix found no name", flagged: true,
        .eml(
          "Received: from mta.contoso.com (unknown [«192.0.2.7]) by mx.recipient.example (Postfix) with ESMTP id 1; Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "Sendmail found no name", flagged: true,
        .eml(
          "Received: from mta.contoso.com ([«192.0.2.7]) by mx.recipient.example (8.12.8/8.12.8) with ESMTP id h1; Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "Exim's verified name equal to the HELO", flagged: false,
        .eml(
          "Received: from out.contoso.com ([203.0.113.5]) by mx.recipient.example with esmtp (Exim 4.96) id 1; Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a HELO outside the brand", flagged: true,
        .campaign(
          manifest:
            "campaign: c\ncategory: marketing\ntext: body.txt\nsending: { helo: «mta7.bulkmail.example }\n",
          html: nil, text: "x\n")),
      RuleExample(
        "a named brand relay", flagged: false,
        .eml(
          "Received: from out.contoso.com (out.contoso.com [203.0.113.5]) by mx.recipient.example; Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nSubject: s\n\nx\n"
        )),
    ],
    placeholders: ["ip", "helo"],
    tags: ["infrastructure"],
    needs: "Received fields in an .eml or sending.helo in a manifest; the HELO check needs brand.domains")

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    let brand = context.brand
    func heloIsOurs(_ name: String) -> Bool {
      brand.isOwned(name)
        || brand.vendors.contains { vendor in vendor.hosts.contains { HostName.host(name, isWithin: $0) } }
    }
    if let helo = inventory.helo, !brand.domains.isEmpty, !heloIsOurs(helo.value) {
      hits.append(
        Hit(
          range: helo.range,
          message: "HELO name \(helo.value) is not under the brand's domains or a declared vendor's hosts",
          help:
            "send with a HELO name under \(brand.domains.joined(separator: " or ")), with matching reverse DNS",
          evidence: "helo|\(helo.value)", placeholders: ["helo": helo.value]))
    }
    for entry in inventory.received {
      guard let text = entry.hop.fromIP, let address = IPAddress(text), !address.isInternal else { continue }
      let file = entry.range.file
      let slice = file.bytes[entry.range.start..<entry.range.end]
      let found = slice.firstByteRange(of: Array(text.utf8))
      let range =
        found.map { SourceRange(file: file, start: $0.lowerBound, end: $0.upperBound) } ?? entry.range
      if let missing = entry.hop.missingReverseDNS {
        hits.append(
          Hit(
            range: range,
            message:
              "hop from \(address) has no \(missing == .notConfirmed ? "forward-confirmed " : "")reverse-DNS name (\(missing.phrase(address.description)))",
            help: "give \(address) a PTR record whose name resolves back to it", evidence: "rdns|\(address)",
            placeholders: ["ip": address.description]))
      } else if let name = entry.hop.fromName, !brand.domains.isEmpty, brand.knowsSendingInfrastructure,
        brand.sendingIPs.contains(where: { $0.contains(address) })
          || brand.vendors.contains(where: { $0.sendingIPs.contains { $0.contains(address) } }),
        !heloIsOurs(name), IPAddress(name) == nil
      {
        hits.append(
          Hit(
            range: range,
            message:
              "the brand's sending host \(address) announced itself as \(name), outside the brand's domains and its vendors' hosts",
            help: "configure the HELO name under the brand's domain", evidence: "helo|\(name)",
            placeholders: ["helo": name]))
      }
    }
    // `--online`: the live PTR lookup, forward-confirmed, for each sending IP the Received fields
    // did not already judge.
    for check in inventory.online?.reverseDNS ?? []
    where !hits.contains(where: { $0.evidence == "rdns|\(check.ip)" }) {
      let problem: String
      switch check.state {
      case .confirmed: continue
      case .missing: problem = "has no PTR record in published DNS (--online)"
      case .notConfirmed(let names):
        problem =
          "has PTR name\(names.count == 1 ? "" : "s") \(names.prefix(3).joined(separator: ", ")) in published DNS, none of which resolves back to it (--online)"
      }
      hits.append(
        Hit(
          range: check.range, message: "sending IP \(check.ip) \(problem)",
          help: "give \(check.ip) a PTR record whose name resolves back to it",
          evidence: "rdns|\(check.ip)", placeholders: ["ip": check.ip]))
    }
    return hits
  }
}
