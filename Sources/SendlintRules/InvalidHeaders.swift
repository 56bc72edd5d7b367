import SendlintCore
import SendlintInventory
import SendlintMIME
import SendlintURL

/// `message/invalid-headers`: the header fields RFC 5322 and MIME require, once and well-formed.
public struct InvalidHeaders: Rule {
  public static let metadata = RuleMetadata(
    id: "message/invalid-headers",
    summary:
      "Date, From or Message-ID missing, repeated or malformed; a From domain that is no domain name; MIME-Version missing; a line over 998 characters.",
    defaultSeverity: .error,
    whatItDoes: """
      In an `.eml`: `Date` and `From` must appear exactly once (RFC 5322 §3.6), `Date` as an RFC 5322 \
      date-time (§3.3, obsolete forms of §4.3 accepted), `Message-ID` once and as \
      `<left@right>` (§3.6.4), `MIME-Version` when MIME fields are used (RFC 2045 §4), and no line may \
      exceed 998 characters (§2.1.1). Every From address needs a fully qualified domain name — dot-separated \
      labels of letters, digits and hyphens or valid internationalised labels (`@correios` and \
      `@%comunicacoes.com` are not). In a campaign (whose Date and Message-ID the ESP adds), `From` \
      must be given, on such a domain. Bare templates have no headers and are not checked.
      """,
    whyIsThisBad:
      "Gmail's and Yahoo's bulk-sender rules require RFC 5322-compliant messages; malformed or duplicated origin fields are also a classic spoofing trick (two From fields, one shown, one checked).",
    example: "A message with two `From:` fields, or `Message-ID: 12345`.",
    useInstead: "One `From`, one `Date`, one `Message-ID: <unique@contoso.com>`, and `MIME-Version: 1.0`.",
    references: [
      "RFC 5322 §2.1.1, §3.6, §3.6.4", "RFC 2045 §4",
      "Gmail email sender guidelines: format messages according to RFC 5322",
    ],
    examples: [
      RuleExample(
        "two From fields and a bad Message-ID", flagged: true,
        .eml(
          "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\n«From: b@evil.example\n«Message-ID: 12345\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a From domain that is a single label", flagged: true,
        .eml(
          "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: Correios <rastreio@«correios>\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a From domain with a character domains cannot hold", flagged: true,
        .eml(
          "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: aviso@«%comunicacoes.com\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a Date that is no date-time", flagged: true,
        .eml("«Date: 32 Foo 2024 10:00\nFrom: a@contoso.com\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n")),
      RuleExample(
        "a Date with no time zone", flagged: true,
        .eml(
          "«Date: Mon, 4 Aug 2003 10:00:00\nFrom: a@contoso.com\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "an obsolete but valid Date (two-digit year, named zone, comment)", flagged: false,
        .eml(
          "Date: Mon, 4 Aug 03 10:00 EDT (Eastern)\nFrom: a@contoso.com\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "an internationalised From domain", flagged: false,
        .eml(
          "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: info@b\u{00FC}cher.example\nMessage-ID: <1@contoso.com>\nSubject: s\n\nx\n"
        )),
      RuleExample(
        "a well-formed message", flagged: false,
        .eml(
          "Date: Mon, 4 Aug 2003 10:00:00 -0700\nFrom: a@contoso.com\nMessage-ID: <1@contoso.com>\nMIME-Version: 1.0\nContent-Type: text/plain\nSubject: s\n\nx\n"
        )),
    ],
    tags: ["rfc5322", "bulk-sender"])

  public init(options: RuleOptions) {}

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    let start = SourceRange(file: inventory.draftFile, start: 0, end: 0)
    switch inventory.kind {
    case .template:
      return []
    case .campaign:
      if inventory.from.isEmpty {
        hits.append(
          Hit(
            range: start, message: "the campaign states no From address",
            help: "add `from: \"Name <address@brand.example>\"` to the manifest", evidence: "from-missing"))
      }
      return hits + fromDomainProblems(inventory)
    case .eml:
      break
    }
    for name in ["Date", "From"] {
      let fields = inventory.headers(named: name)
      if fields.isEmpty {
        hits.append(
          Hit(
            range: start, message: "the message has no \(name) field", help: "add exactly one \(name) field",
            evidence: "\(name)-missing"))
      }
      for extra in fields.dropFirst() {
        hits.append(
          Hit(
            range: extra.range, message: "\(name) appears \(fields.count) times; RFC 5322 allows one",
            help: "keep one \(name) field", evidence: "\(name)-repeated"))
      }
    }
    if let date = inventory.headers(named: "Date").first, MailDate.parse(date.value) == nil {
      let value = date.value.trimmingWhitespaces
      // A date-time whose only fault is a missing zone (RFC 5322 §3.3 requires one): clients guess it.
      let zoneless = MailDate.parse(value + " -0000") != nil
      hits.append(
        Hit(
          range: date.range,
          message: zoneless
            ? "Date \"\(value.escapedForDisplay)\" has no time zone, which RFC 5322 §3.3 requires; clients guess one, so the time shown can be hours off"
            : "Date \"\(value.escapedForDisplay)\" is not an RFC 5322 date-time; clients then sort the message by when it arrived, or show no date",
          help: "let the sending system write Date at submission, as `Date: Mon, 4 Aug 2003 10:00:00 -0700`",
          evidence: zoneless ? "date-zoneless" : "date-invalid"))
    }
    hits += fromDomainProblems(inventory)
    let ids = inventory.headers(named: "Message-ID")
    if ids.isEmpty {
      hits.append(
        Hit(
          range: start, message: "the message has no Message-ID field",
          help: "add Message-ID: <unique@your-domain>", evidence: "message-id-missing"))
    }
    for id in ids.dropFirst() {
      hits.append(
        Hit(
          range: id.range, message: "Message-ID appears \(ids.count) times; RFC 5322 allows one",
          help: "keep one Message-ID", evidence: "message-id-repeated"))
    }
    if let id = ids.first {
      let value = id.value.trimmingWhitespaces
      let valid =
        value.hasPrefix("<") && value.hasSuffix(">")
        && value.dropFirst().dropLast().splitASCII(separator: UInt8(ascii: "@")).count == 2
        && !value.contains(" ")
      if !valid {
        hits.append(
          Hit(
            range: id.range,
            message: "Message-ID \"\(value.escapedForDisplay)\" is not of the form <left@right>",
            help: "use Message-ID: <unique-id@your-domain>", evidence: "message-id-invalid"))
      }
    }
    let usesMIME = inventory.headers.contains { $0.name.lowercased().hasPrefix("content-") }
    if usesMIME, inventory.headers(named: "MIME-Version").isEmpty {
      hits.append(
        Hit(
          range: start, message: "the message uses MIME fields but has no MIME-Version",
          help: "add MIME-Version: 1.0", evidence: "mime-version-missing"))
    }
    let file = inventory.draftFile
    for line in 0..<file.lineStarts.count {
      let begin = file.lineStarts[line]
      let end = line + 1 < file.lineStarts.count ? file.lineStarts[line + 1] : file.bytes.count
      var length = end - begin
      while length > 0, file.bytes[begin + length - 1] == 0x0A || file.bytes[begin + length - 1] == 0x0D {
        length -= 1
      }
      if length > 998 {
        hits.append(
          Hit(
            range: SourceRange(file: file, start: begin + 998, end: begin + length),
            message: "line \(line + 1) is \(length) characters long; RFC 5322 limits lines to 998",
            help: "encode the part as quoted-printable or base64, which wrap lines", evidence: "long-line"))
        break
      }
    }
    return hits
  }

  /// From addresses whose domain is not a domain name mail can be sent from or replied to.
  func fromDomainProblems(_ inventory: Inventory) -> [Hit] {
    inventory.from.compactMap { identity in
      let address = identity.mailbox.address
      let file = identity.range.file
      func located(_ text: String) -> SourceRange {
        if !text.isEmpty,
          let found = file.bytes[identity.range.start..<identity.range.end].firstByteRange(
            of: Array(text.utf8))
        {
          return SourceRange(file: file, start: found.lowerBound, end: found.upperBound)
        }
        return identity.range
      }
      guard let domain = identity.mailbox.domain else {
        return Hit(
          range: located(address),
          message: "From address \"\(address.escapedForDisplay)\" has no domain (no @domain part)",
          help: "write the From address as local@domain, on a domain you send from",
          evidence: "from-domain-invalid|\(address)")
      }
      guard let problem = Self.domainNameProblem(domain) else { return nil }
      return Hit(
        range: { () -> SourceRange in
          let at = located("@" + domain)
          return at == identity.range ? at : SourceRange(file: file, start: at.start + 1, end: at.end)
        }(),
        message: "From domain \"\(domain.escapedForDisplay)\" is not a valid domain name: \(problem)",
        help:
          "write the From address on the fully qualified domain you send from (e.g. news@\(Self.suggestion(for: domain))), one that has MX or A records and passes SPF/DKIM",
        evidence: "from-domain-invalid|\(domain)")
    }
  }

  /// Why `domain` is not a fully qualified domain name (RFC 5321 §4.1.2 Domain, RFC 1123 §2.1 labels,
  /// UTS #46 for internationalised labels); nil when it is one or an address literal.
  static func domainNameProblem(_ domain: String) -> String? {
    if IPAddress(domain) != nil { return nil }
    var name = domain
    if name.hasSuffix(".") { name.removeLast() }
    let labels = name.splitASCII(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).map(
      String.init)
    if name.isEmpty || labels.contains(where: \.isEmpty) {
      return "it has an empty label (two dots, or a leading dot)"
    }
    if let bad = name.unicodeScalars.first(where: {
      $0.isASCII && !(($0.properties.isAlphabetic || ("0"..."9").contains($0)) || $0 == "-" || $0 == ".")
    }) {
      return
        "\"\(String(bad).escapedForDisplay)\" is not allowed in a domain name (letters, digits and hyphens only)"
    }
    if labels.count < 2 {
      return "it is a single label; receivers reject mail whose From has no dot-separated public domain"
    }
    if name.utf8.count > 253 {
      return "it is \(name.utf8.count) characters long; a domain name has at most 253"
    }
    for label in labels {
      if label.hasPrefix("-") || label.hasSuffix("-") {
        return "the label \"\(label.escapedForDisplay)\" begins or ends with a hyphen"
      }
      if label.utf8.count > 63, label.unicodeScalars.allSatisfy(\.isASCII) {
        return "the label \"\(label.prefix(20).description.escapedForDisplay)…\" is longer than 63 characters"
      }
      if !label.unicodeScalars.allSatisfy(\.isASCII), IDNA.strict(label, toASCII: true).failed {
        return "the label \"\(label.escapedForDisplay)\" is not a valid internationalised label (UTS #46)"
      }
    }
    if let top = labels.last, top.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
      return "its top-level label \"\(top)\" is all digits"
    }
    return nil
  }

  /// The domain with the characters a domain cannot hold removed, for the help text.
  static func suggestion(for domain: String) -> String {
    let kept = String(
      String.UnicodeScalarView(
        domain.unicodeScalars.filter {
          !$0.isASCII || $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
        }))
    let trimmed = kept.splitASCII(separator: UInt8(ascii: ".")).joined(separator: ".")
    return (trimmed.contains(".") ? trimmed : trimmed + ".example").escapedForDisplay
  }
}
