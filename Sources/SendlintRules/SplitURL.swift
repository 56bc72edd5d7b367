import SendlintCore
import SendlintInventory
import SendlintURL

/// `link/split-url`: a URL cut in two by whitespace.
public struct SplitURL: Rule {
  public static let metadata = RuleMetadata(
    id: "link/split-url",
    summary: "A URL is broken by a space or line break, or an href contains whitespace.",
    defaultSeverity: .error,
    whatItDoes: """
      Finds URLs in text parts and in the visible text of HTML whose path clearly continues after a space \
      or a single line break: the URL stops where a path cannot end (`/`, `-`, `=`, `&`…) or the next word \
      starts a path part, and that word looks like a path (`/`, `=`, `_`, `%`, or a `name.ext`) rather \
      than prose — or the joined form is a URL the message links to elsewhere; a host cut after a dot \
      (`https://www.contoso. com/login`), a scheme cut from its host (`https:// www.contoso.com/`) and a \
      path word cut in two (`/secu rity/`) are splits too. Also flags `href` values with whitespace \
      inside, except `mailto:` (its subject and body are text) and `tel:`/`sms:` numbers. A quoted-printable soft line break is not a split (it vanishes in decoding), \
      and a URL wrapped in `<…>` may span lines (RFC 3986 Appendix C).
      """,
    whyIsThisBad: """
      The recipient's client links only the first half; the click lands on a wrong or missing page, and \
      a reader who pastes the pieces together has been taught to assemble URLs from mail — a habit \
      phishing exploits.
      """,
    example: """
      ```
      http://www.microsoft.com/security/ security_bulletins/ms03-026.asp
      ```
      """,
    useInstead: """
      Keep URLs on one line; in plain text wrap long ones in angle brackets:

      ```
      <https://www.microsoft.com/security/security_bulletins/ms03-026.asp>
      ```
      """,
    references: [
      "RFC 3986 Appendix C (delimiting a URI in context)", "RFC 3676 §4 (format=flowed)",
      "RFC 2045 §6.7 rule 5 (quoted-printable soft line breaks)",
    ],
    options: [
      minimumPathCharactersOption.spec, maximumTextURLLengthOption.spec,
    ],
    examples: [
      RuleExample(
        "the 2003 article link", flagged: true,
        .text(
          "Read the bulletin at http://www.microsoft.com/security/« security_bulletins/ms03-026.asp for details.\n"
        )),
      RuleExample(
        "a line break inside the path", flagged: true,
        .text("Details: https://www.contoso.com/support/kb/«\n2003/ms03-026.html\n")),
      RuleExample(
        "a split in HTML text", flagged: true,
        .html("<p>See http://www.contoso.com/security/« bulletins/ms03-026.asp today.</p>")),
      RuleExample(
        "whitespace inside an href", flagged: true,
        .html(#"<a href="«https://www.contoso.com/a b">Read more</a>"#)),
      RuleExample(
        "a long text URL without angle brackets", flagged: true,
        .text(
          "Read «https://www.contoso.com/security/bulletins/2003/ms03-026/remote-procedure-call-buffer-overrun.asp\n"
        ),
        policy: "rules: { link/split-url: { options: { max_text_url_length: 78 } } }"),
      RuleExample(
        "a space after a dot of the host", flagged: true,
        .text("Sign in at https://www.contoso«. com/login today.\n")),
      RuleExample(
        "a space after the scheme", flagged: true,
        .text("Sign in at «https:// www.contoso.com/login today.\n")),
      RuleExample(
        "a space inside a path word", flagged: true,
        .text("Read https://www.contoso.com/secu« rity/ today.\n")),
      RuleExample(
        "a mailto: subject and a tel: number with spaces", flagged: false,
        .html(
          #"<a href="mailto:help@contoso.com?subject=Order help">Mail us</a> or <a href="tel:+1 800 555 0100">call us</a>"#
        )),
      RuleExample(
        "a URL followed by prose", flagged: false,
        .text("Visit http://www.contoso.com/security/ for details.\nThen restart.\n")),
      RuleExample(
        "a URL in angle brackets across lines", flagged: false,
        .text("Read <https://www.contoso.com/security/\n bulletins/ms03-026.asp> today.\n")),
      RuleExample(
        "a quoted-printable soft line break is not a split", flagged: false,
        .eml(
          """
          From: Contoso <news@contoso.com>
          Subject: Update
          MIME-Version: 1.0
          Content-Type: text/plain; charset=us-ascii
          Content-Transfer-Encoding: quoted-printable

          Read http://www.contoso.com/security/=
          bulletins/ms03-026.asp today.
          """)),
    ],
    placeholders: ["url", "joined"],
    tags: ["links", "content"])

  let minimumPathCharacters: Int
  let maximumTextURLLength: Int

  public static let minimumPathCharactersOption = RuleOption(
    "min_path_chars", default: 3, range: 1...64,
    help: "The continuation must have at least this many characters.")
  public static let maximumTextURLLengthOption = RuleOption(
    "max_text_url_length", default: 0, range: 0...998,
    help:
      "Flag URLs in text parts longer than this that are not wrapped in <…>, which line-wrapping clients and ESPs break; 0 turns the check off (sendlint:security-notice sets 78)."
  )

  public init(options: RuleOptions) {
    minimumPathCharacters = options[Self.minimumPathCharactersOption]
    maximumTextURLLength = options[Self.maximumTextURLLengthOption]
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    // Hosts the message links to, computed once (a text URL joined to one of them is a split).
    var knownHosts: Set<String>?
    for entry in inventory.textURLs {
      // A mailto: URL's query is text (subject, body) a reader does not follow.
      if entry.url.form != .email, Self.hasPrefixIgnoringASCIICase(entry.url.text.utf8, "mailto:") {
        continue
      }
      guard let splitRange = entry.splitRange, let split = entry.url.split, let joined = entry.joined else {
        if entry.url.split == nil,
          let hit = otherSplit(
            entry, context,
            knownHosts: {
              if knownHosts == nil { knownHosts = Set(inventory.links.compactMap(\.host)) }
              return knownHosts ?? []
            })
        {
          hits.append(hit)
        }
        continue
      }
      guard split.count >= minimumPathCharacters || inventory.links.contains(where: { $0.href == joined })
      else { continue }
      let continuation = String(joined.dropFirst(entry.url.text.count))
      let sameLine = splitRange.startPosition.line == entry.range.endPosition.line
      let range = SourceRange(
        file: entry.range.file, start: entry.range.end, end: max(entry.range.end, splitRange.end),
        hasColumn: entry.range.hasColumn)
      hits.append(
        Hit(
          range: range,
          message:
            "URL \"\(entry.url.text)\" is broken by \(sameLine ? "a space" : "a line break"); the rest of its path \"\(continuation)\" follows it",
          help:
            "remove the break so the URL reads \(joined)\(entry.inHTML ? "" : ", or wrap it in angle brackets: <\(entry.url.form == .schemed ? joined : "http://" + joined)>")",
          evidence: joined, placeholders: ["url": entry.url.text, "joined": joined]))
    }
    if maximumTextURLLength > 0 {
      for entry in inventory.textURLs where !entry.inHTML && entry.url.split == nil {
        guard entry.url.form == .schemed || entry.url.form == .www,
          entry.url.text.count > maximumTextURLLength
        else { continue }
        hits.append(
          Hit(
            range: entry.range,
            message:
              "URL of \(entry.url.text.count) characters in a text part is not wrapped in <…>; clients and ESPs that wrap lines at \(maximumTextURLLength) characters will break it",
            help:
              "wrap it in angle brackets (<\(entry.url.openable)>) or use a shorter URL on the brand's domain",
            evidence: "long|\(entry.url.text)", placeholders: ["url": entry.url.text]))
      }
    }
    for link in inventory.links where !link.fromText {
      // Browsers strip tabs and newlines from URLs but keep spaces, which break the link. On
      // UTF-8 bytes: a space is one byte, and most hrefs have none.
      guard link.unresolvedHostTag == nil, let before = Self.beforeInnerSpace(link.href) else { continue }
      // mailto: bodies and subjects are text, and tel:/sms: numbers are written with spaces that
      // dialers ignore: neither is a URL a reader follows and a space breaks.
      let scheme = before.prefix { $0 != UInt8(ascii: ":") }
      if Self.isTextScheme(scheme) { continue }
      guard before.contains(UInt8(ascii: ":")) || before.starts(with: "www.".utf8) else { continue }
      hits.append(
        Hit(
          range: link.range,
          message:
            "href \"\(link.href.replacingWhitespace())\" contains whitespace; clients encode or cut it and the link breaks",
          help:
            "remove the whitespace from the href, or percent-encode a space that belongs in the URL as %20",
          evidence: link.href, placeholders: ["url": link.href]))
    }
    return hits
  }
}

extension SplitURL {
  /// The href between its leading spaces and its first inner space; nil when it has no space
  /// between other characters. On UTF-8 bytes, so a space before a combining mark counts too.
  static func beforeInnerSpace(_ href: String) -> Substring.UTF8View? {
    let bytes = href.utf8
    guard href.containsBytes(" ") else { return nil }
    var start = bytes.startIndex
    while start < bytes.endIndex, bytes[start] == 0x20 { start = bytes.index(after: start) }
    var end = bytes.endIndex
    while end > start, bytes[bytes.index(before: end)] == 0x20 { end = bytes.index(before: end) }
    guard let space = bytes[start..<end].firstIndex(of: 0x20) else { return nil }
    return bytes[start..<space]
  }

  /// `mailto`, `tel`, `sms` or `callto`, in any ASCII case.
  static func isTextScheme(_ scheme: Substring.UTF8View) -> Bool {
    let names: [StaticString] = ["mailto", "tel", "sms", "callto"]
    return names.contains { name in
      name.utf8CodeUnitCount == scheme.count && hasPrefixIgnoringASCIICase(scheme, name)
    }
  }

  /// Whether `text` starts with the lowercase ASCII `prefix`, ASCII case folded.
  static func hasPrefixIgnoringASCIICase<Bytes: Collection<UInt8>>(_ text: Bytes, _ prefix: StaticString)
    -> Bool
  {
    let prefixBytes = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
    guard text.count >= prefixBytes.count else { return false }
    for (expected, byte) in zip(prefixBytes, text) {
      let folded: UInt8 = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
      if folded != expected { return false }
    }
    return true
  }

  /// Splits the text finder leaves whole: a space after a dot of the host (`https://www.contoso.
  /// com/login`), after the scheme (`https:// www.contoso.com/`), or inside a path word
  /// (`/secu rity/`). Each reads a bounded window around the URL.
  func otherSplit(_ entry: TextURLEntry, _ context: RuleContext, knownHosts: () -> Set<String>) -> Hit? {
    guard let bytes = entry.locatorText, let locator = entry.locator else { return nil }
    let url = entry.url
    guard url.end <= bytes.count, url.start < url.end else { return nil }
    func isAlphanumeric(_ byte: UInt8) -> Bool {
      (byte >= 48 && byte <= 57) || ((byte | 0x20) >= 97 && (byte | 0x20) <= 122)
    }
    func isLowerOrDigit(_ byte: UInt8) -> Bool { (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 122) }
    /// The whitespace run from `index` forward: its end, when it is one or two spaces or one line break.
    func gap(from index: Int) -> Int? {
      var end = index
      var spaces = 0
      var breaks = 0
      while end < bytes.count, end - index < 8,
        bytes[end] == 0x20 || bytes[end] == 0x09 || bytes[end] == 0x0A || bytes[end] == 0x0D
      {
        if bytes[end] == 0x0A { breaks += 1 } else if bytes[end] != 0x0D { spaces += 1 }
        end += 1
      }
      guard end > index, breaks <= 1, breaks == 1 ? spaces <= 1 : spaces <= 2 else { return nil }
      return end
    }
    /// A run of URL characters from `start` (at most 2,048 bytes), trailing sentence punctuation left out.
    func token(from start: Int) -> Int {
      var end = start
      while end < bytes.count, end - start < 2_048, bytes[end] > 0x20, bytes[end] != 0x7F,
        !"<>\"'`|".utf8.contains(bytes[end])
      {
        end += 1
      }
      while end > start, ".,;:!?)]*".utf8.contains(bytes[end - 1]) { end -= 1 }
      return end
    }
    func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
    func describe(_ start: Int, _ end: Int) -> String {
      bytes[start..<end].contains(0x0A) ? "a line break" : "a space"
    }
    let afterScheme = url.text.range(of: "://").map { url.text[$0.upperBound...] } ?? Substring(url.text)
    let hostOnly = !afterScheme.contains("/") && !afterScheme.contains("?") && !afterScheme.contains("#")

    // 1. `https://www.contoso. com/login`: the host stops at a dot followed by a break, and the
    // next word is a lowercase public suffix with a path (or makes a host the message links to).
    if url.form == .schemed || url.form == .www, hostOnly, url.end + 1 < bytes.count,
      bytes[url.end] == UInt8(ascii: "."),
      let start = gap(from: url.end + 1), start < bytes.count, let suffixes = context.suffixes
    {
      let end = token(from: start)
      let piece = text(start..<end)
      let hostPart = piece.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }
      let labels = hostPart.split(separator: ".", omittingEmptySubsequences: false)
      let rest = piece.dropFirst(hostPart.count)
      let joined = url.text + "." + piece
      let joinedHost = URLRecord.parse(url.form == .www ? "http://" + joined : joined)?.host.map {
        HostName.normalise($0.description)
      }
      if !labels.isEmpty,
        labels.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { isLowerOrDigit($0) || $0 == 45 } }),
        let last = labels.last, suffixes.isKnownSuffix(String(last)),
        !rest.isEmpty || joinedHost.map(knownHosts().contains) == true
      {
        return hit(
          entry, locator.range(url.end, end), joined: joined,
          message:
            "URL \"\(url.text)\" is broken by \(describe(url.end + 1, start)) after a dot of its host; the rest \"\(piece)\" follows it"
        )
      }
    }
    // 2. `https:// www.contoso.com/login`: a scheme alone, then a break, then the host.
    if url.form == .www || url.form == .bare {
      var gapStart = url.start
      while gapStart > 0, url.start - gapStart < 8,
        bytes[gapStart - 1] == 0x20 || bytes[gapStart - 1] == 0x09 || bytes[gapStart - 1] == 0x0A
          || bytes[gapStart - 1] == 0x0D
      {
        gapStart -= 1
      }
      if gapStart < url.start, gap(from: gapStart) == url.start {
        for scheme in ["https://", "http://"] where gapStart >= scheme.utf8.count {
          let schemeStart = gapStart - scheme.utf8.count
          guard text(schemeStart..<gapStart).lowercased() == scheme,
            schemeStart == 0 || !isAlphanumeric(bytes[schemeStart - 1])
          else { continue }
          let joined = text(schemeStart..<gapStart) + url.text
          return hit(
            entry, locator.range(schemeStart, url.end), joined: joined,
            message:
              "URL \"\(text(schemeStart..<gapStart))\" is broken by \(describe(gapStart, url.start)) before its host; the rest \"\(url.text)\" follows it"
          )
        }
      }
    }
    // 3. `https://www.contoso.com/secu rity/login`: one space inside a path word, and what follows
    // is unmistakably path (ends with "/", has a query or escape, or a `/name.ext`), not prose.
    if url.form == .schemed || url.form == .www, !hostOnly, isAlphanumeric(bytes[url.end - 1]),
      url.end + 1 < bytes.count, bytes[url.end] == 0x20, isLowerOrDigit(bytes[url.end + 1])
    {
      let start = url.end + 1
      let end = token(from: start)
      let piece = text(start..<end)
      let lowered = piece.lowercased()
      let newURL =
        lowered.hasPrefix("http") || lowered.hasPrefix("www.") || lowered.hasPrefix("mailto:")
        || piece.contains("@")
      let lastSegment = piece.split(separator: "/").last.map(String.init) ?? ""
      let fileName =
        piece.contains("/") && lastSegment.split(separator: ".").count == 2
        && lastSegment.split(separator: ".").last.map {
          (2...5).contains($0.count) && $0.allSatisfy(\.isLetter)
        } == true
      let pathLike =
        piece.hasSuffix("/") || piece.contains("=") || piece.contains("?") || piece.contains("%")
        || piece.contains("&")
        || piece.contains("#") || fileName
      if !newURL, piece.utf8.count >= minimumPathCharacters, piece.contains("/") || piece.contains("="),
        pathLike
      {
        let joined = url.text + piece
        return hit(
          entry, locator.range(url.end, end), joined: joined,
          message:
            "URL \"\(url.text)\" is broken by a space inside a word of its path; the rest \"\(piece)\" follows it"
        )
      }
    }
    return nil
  }

  private func hit(_ entry: TextURLEntry, _ range: SourceRange, joined: String, message: String) -> Hit {
    let openable =
      entry.url.form == .www || entry.url.form == .bare
      ? (joined.lowercased().hasPrefix("http") ? joined : "http://" + joined) : joined
    return Hit(
      range: range, message: message,
      help:
        "remove the break so the URL reads \(joined)\(entry.inHTML ? "" : ", or wrap it in angle brackets: <\(openable)>")",
      evidence: joined, placeholders: ["url": entry.url.text, "joined": joined])
  }
}

extension String {
  func replacingWhitespace() -> String {
    String(map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : $0 })
  }
}
