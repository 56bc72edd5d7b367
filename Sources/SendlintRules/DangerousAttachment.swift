import SendlintCore
import SendlintInventory

/// `attachment/dangerous-type`: executable attachments and disguised names.
public struct DangerousAttachment: Rule {
  /// Extensions that run code when opened on common systems.
  public static let executableExtensions: Set<String> = [
    "exe", "scr", "com", "pif", "bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "msi", "msp",
    "jar", "hta", "cpl", "lnk", "reg", "iso", "img", "vhd", "vhdx", "dll", "app", "dmg", "pkg", "sh", "apk",
    "docm", "xlsm", "pptm", "dotm", "xlam", "one", "chm", "inf", "scf", "url", "library-ms", "appref-ms",
  ]

  public static let metadata = RuleMetadata(
    id: "attachment/dangerous-type",
    summary: "An attachment is executable, macro-enabled, or disguises its type (double extension, hidden direction marks), also inside ZIP archives.",
    defaultSeverity: .error,
    whatItDoes: """
      Flags attachments whose names end in an executable or macro-enabled extension, have a double \
      extension (`invoice.pdf.exe`), contain bidirectional-override characters, and the same for the \
      names inside attached ZIP archives (read from the archive's directory, nothing is extracted).
      """,
    whyIsThisBad: "Gateways block these outright, and recipients are trained never to open them: genuine mail that carries one is bounced or trains the wrong habit.",
    example: "`MS03-026-patch.exe`, `statement.pdf.scr`, `update.zip` containing `setup.js`.",
    useInstead: "Link to downloads on the brand's https site; send documents as PDF.",
    references: ["Microsoft Outlook blocked attachment list (support.microsoft.com)", "Gmail: file types blocked in Gmail (support.google.com/mail/answer/6590)"],
    examples: [
      RuleExample(
        "an executable", flagged: true,
        .eml("From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nHi\n--b\n«Content-Type: application/octet-stream; name=\"patch.exe\"\nContent-Disposition: attachment; filename=\"patch.exe\"\n\nMZ\n--b--\n")),
      RuleExample(
        "a double extension", flagged: true,
        .campaign(manifest: "campaign: c\ncategory: marketing\ntext: body.txt\nattachments: [«invoice.pdf.exe]\n", html: nil, text: "x\n")),
      RuleExample("a PDF", flagged: false, .campaign(manifest: "campaign: c\ncategory: marketing\ntext: body.txt\nattachments: [brochure.pdf]\n", html: nil, text: "x\n")),
    ],
    placeholders: ["filename"],
    tags: ["attachments", "malware"])

  public init(options: RuleOptions) {}

  static func problem(with name: String) -> String? {
    if name.unicodeScalars.contains(where: { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }) {
      return "contains a bidirectional-override character that disguises its extension"
    }
    let parts = name.lowercased().split(separator: ".").map(String.init)
    guard parts.count >= 2, let last = parts.last else { return nil }
    if executableExtensions.contains(last) {
      if parts.count >= 3, ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "png", "txt", "zip", "html"].contains(parts[parts.count - 2]) {
        return "has a double extension (.\(parts[parts.count - 2]).\(last)) hiding an executable"
      }
      return "is an executable or macro-enabled type (.\(last))"
    }
    return nil
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    for attachment in inventory.attachments {
      let name = attachment.filename ?? ""
      if let problem = Self.problem(with: name) {
        hits.append(Hit(range: attachment.range, message: "attachment \"\(name)\" \(problem)", help: "do not attach it; link to the file on the brand's https site", evidence: name, placeholders: ["filename": name]))
      }
      for entry in attachment.archiveEntries {
        let inner = entry.split(separator: "/").last.map(String.init) ?? entry
        if let problem = Self.problem(with: inner) {
          hits.append(Hit(range: attachment.range, message: "archive \"\(name)\" contains \"\(entry)\", which \(problem)", help: "do not send archives with executables", evidence: "\(name)|\(entry)", placeholders: ["filename": entry]))
        }
      }
    }
    return hits
  }
}
