import SendlintCore
import SendlintInventory

/// `content/subject-length`: a subject line mobile inboxes cut off, or one that shouts.
public struct SubjectLength: Rule {
  public static let metadata = RuleMetadata(
    id: "content/subject-length",
    summary:
      "The subject is longer than mobile inboxes show (60 characters), in capitals, or has repeated exclamation marks.",
    defaultSeverity: .info,
    whatItDoes: """
      Reads the subject as the recipient sees it (encoded words decoded, the manifest's `variables` filled \
      in) and flags it when it has more than `max_characters` characters (60 by default; characters as \
      readers count them, so an emoji is one), when all its letters are capitals (at least 8 letters in \
      two or more words), or when it has two or more exclamation marks in a row.
      """,
    whyIsThisBad: """
      Mobile mail apps show about 30 to 60 characters of a subject in the inbox list: the rest, often the \
      point, is cut off. Subjects in capitals or with "!!!" read as shouting and are scored by spam \
      filters (SpamAssassin SUBJ_ALL_CAPS, rspamd SUBJ_ALL_CAPS, SUBJ_EXCESS_QP…).
      """,
    example: "`Subject: HUGE SPRING SALE!!! Everything must go — linen shirts, canvas shoes and more`",
    useInstead:
      "A subject under 60 characters, in sentence case, with the point first: `Spring sale: linen shirts from $29`.",
    references: [
      "Mailchimp, 'Best practices for email subject lines' (no more than 9 words and 60 characters)",
      "SpamAssassin rule SUBJ_ALL_CAPS; rspamd rule SUBJ_ALL_CAPS",
    ],
    options: [
      maxCharactersOption.spec
    ],
    examples: [
      RuleExample(
        "a subject that runs past the mobile preview", flagged: true,
        .eml(
          "From: a@contoso.com\n«Subject: Our spring collection is here with linen shirts, canvas shoes and straw hats\n\nx\n"
        )),
      RuleExample(
        "a shouting subject in a campaign", flagged: true,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\nsubject: «\"HUGE SPRING SALE!!!\"\ntext: body.txt\n",
          html: nil, text: "x\n")),
      RuleExample(
        "a long encoded-word subject", flagged: true,
        .eml(
          "From: a@contoso.com\n«Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln:_unsere_Fr=C3=BChjahrskollektion_mit_Leinen,_Segeltuch_und_Stroh?=\n\nx\n"
        )),
      RuleExample(
        "a short subject with a merge tag", flagged: false,
        .campaign(
          manifest:
            "campaign: c\ncategory: marketing\nsubject: \"{{first_name}}, spring is here\"\ntext: body.txt\nvariables: { first_name: Bill }\n",
          html: nil, text: "x\n")),
      RuleExample(
        "an acronym in a sentence", flagged: false,
        .eml("From: a@contoso.com\nSubject: NASA and ESA launch a new probe!\n\nx\n")),
    ],
    placeholders: ["subject"],
    tags: ["content", "mobile"])

  let maxCharacters: Int

  public static let maxCharactersOption = RuleOption(
    "max_characters", default: 60, range: 20...998,
    help:
      "Flag subjects longer than this many characters.")

  public init(options: RuleOptions) { maxCharacters = options[Self.maxCharactersOption] }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    guard let field = inventory.subject else { return [] }
    var subject = field.value
    if !inventory.variables.isEmpty {
      subject = MergeTags.substitute(subject, variables: inventory.variables).text
    }
    // An ASCII subject is split on its bytes: its whitespace Characters are those bytes and CR LF.
    let ascii = subject.utf8.isAllASCII
    subject =
      ascii
      ? String(wordsOf: subject.utf8, separatedBy: \.isASCIIWhiteSpaceCharacter)
      : subject.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    let shown = subject.count > 80 ? String(subject.prefix(80)) + "…" : subject
    var problems: [(String, String)] = []
    if subject.count > maxCharacters {
      problems.append(
        ("it has \(subject.count) characters and mobile inboxes show about \(maxCharacters)", "too-long"))
    }
    let letters = subject.unicodeScalars.filter {
      $0.properties.changesWhenLowercased || $0.properties.changesWhenUppercased
    }
    let words = subject.split(separator: " ").filter { $0.contains { $0.isLetter } }
    if letters.count >= 8, words.count >= 2, letters.allSatisfy({ !$0.properties.changesWhenUppercased }) {
      problems.append(("it is all capitals", "all-caps"))
    }
    if ascii ? subject.containsBytes("!!") : subject.contains("!!") || subject.contains("！！") {
      problems.append(("it has repeated exclamation marks", "exclamations"))
    }
    guard !problems.isEmpty else { return [] }
    return [
      Hit(
        range: field.range,
        message: "subject \"\(shown.escapedForDisplay)\": " + problems.map(\.0).joined(separator: "; "),
        help:
          "write a subject under \(maxCharacters) characters, in sentence case, with at most one exclamation mark, and the point first",
        evidence: problems.map(\.1).joined(separator: "+"), placeholders: ["subject": shown])
    ]
  }
}
