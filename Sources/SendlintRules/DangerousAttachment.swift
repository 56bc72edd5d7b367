import SendlintCore
import SendlintInventory

/// `attachment/dangerous-type`: executable attachments and disguised names.
public struct DangerousAttachment: Rule {
  /// Extensions that run code when opened on common systems.
  public static let executableExtensions: Set<String> = [
    "exe", "scr", "com", "pif", "bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "msi",
    "msp",
    "jar", "hta", "cpl", "lnk", "reg", "iso", "img", "vhd", "vhdx", "dll", "app", "dmg", "pkg", "sh", "apk",
    "docm", "xlsm", "pptm", "dotm", "xlam", "one", "chm", "inf", "scf", "url", "library-ms", "appref-ms",
  ]

  public static let metadata = RuleMetadata(
    id: "attachment/dangerous-type",
    summary:
      "An attachment is executable, macro-enabled, or disguises its type (double extension, hidden direction marks, bytes of another type), also inside ZIP archives.",
    defaultSeverity: .error,
    whatItDoes: """
      Flags attachments whose names end in an executable or macro-enabled extension, have a double \
      extension (`invoice.pdf.exe`), contain bidirectional-override characters, and the same for the \
      names inside attached ZIP archives (read from the archive's directory, nothing is extracted). \
      Also flags an attachment whose bytes are an executable, HTML, an archive or a legacy Office \
      file while its name or Content-Type says otherwise (`invoice.pdf` that starts with `MZ`).
      """,
    whyIsThisBad:
      "Gateways block these outright, and recipients are trained never to open them: genuine mail that carries one is bounced or trains the wrong habit.",
    example: "`MS03-026-patch.exe`, `statement.pdf.scr`, `update.zip` containing `setup.js`.",
    useInstead: "Link to downloads on the brand's https site; send documents as PDF.",
    references: [
      "Microsoft Outlook blocked attachment list (support.microsoft.com)",
      "Gmail: file types blocked in Gmail (support.google.com/mail/answer/6590)",
    ],
    examples: [
      RuleExample(
        "an executable", flagged: true,
        .eml(
          "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nHi\n--b\n«Content-Type: application/octet-stream; name=\"patch.exe\"\nContent-Disposition: attachment; filename=\"patch.exe\"\n\nMZ\n--b--\n"
        )),
      RuleExample(
        "a double extension", flagged: true,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\ntext: body.txt\nattachments: [«invoice.pdf.exe]\n",
          html: nil, text: "x\n")),
      RuleExample(
        "a PDF whose bytes are an executable", flagged: true,
        .eml(
          "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nHi\n--b\n«Content-Type: application/pdf; name=\"invoice.pdf\"\nContent-Disposition: attachment; filename=\"invoice.pdf\"\n\nMZ\u{90}\n--b--\n"
        )),
      RuleExample(
        "a PDF that is a PDF", flagged: false,
        .eml(
          "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nHi\n--b\nContent-Type: application/pdf; name=\"invoice.pdf\"\nContent-Disposition: attachment; filename=\"invoice.pdf\"\n\n%PDF-1.4\n%%EOF\n--b--\n"
        )),
      RuleExample(
        "a PDF", flagged: false,
        .campaign(
          manifest: "campaign: c\ncategory: marketing\ntext: body.txt\nattachments: [brochure.pdf]\n",
          html: nil, text: "x\n")),
    ],
    placeholders: ["filename"],
    tags: ["attachments", "malware"])

  public init(options: RuleOptions) {}

  static func problem(with name: String) -> String? {
    if name.unicodeScalars.contains(where: {
      (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
    }) {
      return "contains a bidirectional-override character that disguises its extension"
    }
    let parts = name.lowercased().split(separator: ".").map(String.init)
    guard parts.count >= 2, let last = parts.last else { return nil }
    if executableExtensions.contains(last) {
      if parts.count >= 3,
        ["pdf", "doc", "docx", "xls", "xlsx", "jpg", "png", "txt", "zip", "html"].contains(
          parts[parts.count - 2])
      {
        return "has a double extension (.\(parts[parts.count - 2]).\(last)) hiding an executable"
      }
      return "is an executable or macro-enabled type (.\(last))"
    }
    return nil
  }

  /// What kind of file some bytes are, told by how they start.
  public enum FileFamily: String, Sendable {
    case executable = "an executable"
    case html = "an HTML page (it runs scripts when opened in a browser)"
    case archive = "an archive"
    case ole2 = "a legacy Office (OLE2) file, which can carry macros"
    case pdf = "a PDF"
    case image = "an image"
  }

  /// A file signature ("magic bytes"): `pattern` at `offset` (nil bytes match anything).
  public struct FileSignature: Sendable {
    public let name: String
    public let family: FileFamily
    public let pattern: [UInt8?]
    public let offset: Int
  }

  /// The signatures checked, as data. Sources: WHATWG MIME Sniffing §7.1 ("rules for identifying
  /// an unknown MIME type": images, archives, PDF), the PE/COFF specification (`MZ`), the ELF and
  /// Mach-O headers, PKWARE APPNOTE §4.3.7 and §4.3.16, RAR 5.0 and 7z format notes, RFC 1952
  /// (gzip), [MS-CFB] §2.2 (OLE2). HTML and PDF are told by `family(of:)`, which skips what readers
  /// skip before them.
  public static let fileSignatures: [FileSignature] = [
    FileSignature(
      name: "Windows executable (\"MZ\")", family: .executable, pattern: [0x4D, 0x5A], offset: 0),
    FileSignature(name: "ELF executable", family: .executable, pattern: [0x7F, 0x45, 0x4C, 0x46], offset: 0),
    FileSignature(
      name: "Mach-O executable", family: .executable, pattern: [0xFE, 0xED, 0xFA, 0xCE], offset: 0),
    FileSignature(
      name: "Mach-O executable", family: .executable, pattern: [0xFE, 0xED, 0xFA, 0xCF], offset: 0),
    FileSignature(
      name: "Mach-O executable", family: .executable, pattern: [0xCE, 0xFA, 0xED, 0xFE], offset: 0),
    FileSignature(
      name: "Mach-O executable", family: .executable, pattern: [0xCF, 0xFA, 0xED, 0xFE], offset: 0),
    FileSignature(
      name: "Mach-O universal binary or Java class", family: .executable, pattern: [0xCA, 0xFE, 0xBA, 0xBE],
      offset: 0),
    FileSignature(name: "script (\"#!\")", family: .executable, pattern: [0x23, 0x21, 0x2F], offset: 0),
    FileSignature(
      name: "ZIP archive (\"PK\\x03\\x04\")", family: .archive, pattern: [0x50, 0x4B, 0x03, 0x04], offset: 0),
    FileSignature(
      name: "ZIP archive (\"PK\\x05\\x06\")", family: .archive, pattern: [0x50, 0x4B, 0x05, 0x06], offset: 0),
    FileSignature(
      name: "RAR archive", family: .archive, pattern: [0x52, 0x61, 0x72, 0x21, 0x1A, 0x07], offset: 0),
    FileSignature(
      name: "7-Zip archive", family: .archive, pattern: [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], offset: 0),
    FileSignature(name: "gzip archive", family: .archive, pattern: [0x1F, 0x8B, 0x08], offset: 0),
    FileSignature(
      name: "Windows cabinet (\"MSCF\")", family: .archive, pattern: [0x4D, 0x53, 0x43, 0x46], offset: 0),
    FileSignature(
      name: "OLE2 compound file", family: .ole2, pattern: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
      offset: 0),
    FileSignature(
      name: "PNG image", family: .image, pattern: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], offset: 0),
    FileSignature(name: "JPEG image", family: .image, pattern: [0xFF, 0xD8, 0xFF], offset: 0),
    FileSignature(
      name: "GIF image", family: .image, pattern: [0x47, 0x49, 0x46, 0x38, nil, 0x61], offset: 0),
    FileSignature(
      name: "WebP image", family: .image,
      pattern: [0x52, 0x49, 0x46, 0x46, nil, nil, nil, nil, 0x57, 0x45, 0x42, 0x50], offset: 0),
    FileSignature(name: "BMP image", family: .image, pattern: [0x42, 0x4D], offset: 0),
  ]

  /// WHATWG MIME Sniffing §7.1's HTML patterns: after white space, one of these (ASCII case
  /// insensitive) followed by a space or `>`.
  static let htmlStarts = [
    "<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font", "<table", "<a",
    "<style",
    "<title", "<b", "<body", "<br", "<p", "<!--",
  ].map { Array($0.utf8) }

  /// The family and signature name of `bytes`, or nil when no signature matches.
  public static func family(of bytes: [UInt8]) -> (family: FileFamily, name: String)? {
    guard !bytes.isEmpty else { return nil }
    if PDFLinks.isPDF(bytes) { return (.pdf, "PDF (\"%PDF-\")") }
    for signature in fileSignatures where bytes.count >= signature.offset + signature.pattern.count {
      if zip(bytes[signature.offset...], signature.pattern).allSatisfy({ $1 == nil || $0 == $1 }) {
        return (signature.family, signature.name)
      }
    }
    var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while index < bytes.count, [0x09, 0x0A, 0x0C, 0x0D, 0x20].contains(bytes[index]) { index += 1 }
    for start in htmlStarts where bytes.count > index + start.count {
      let candidate = bytes[index..<index + start.count].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
      let after = bytes[index + start.count]
      if candidate.elementsEqual(start), start == Array("<!--".utf8) || after == 0x20 || after == 0x3E {
        return (.html, "HTML")
      }
    }
    return nil
  }

  /// The families a declared type allows, from the file name's extension and the Content-Type;
  /// empty when neither says what the file is (`application/octet-stream`, no extension).
  static func declaredFamilies(filename: String, contentType: String) -> (
    families: Set<FileFamily>, shown: String
  )? {
    let byExtension: [String: Set<FileFamily>] = [
      "pdf": [.pdf], "doc": [.ole2], "xls": [.ole2], "ppt": [.ole2], "msg": [.ole2], "dot": [.ole2],
      "docx": [.archive], "xlsx": [.archive], "pptx": [.archive], "odt": [.archive], "ods": [.archive],
      "odp": [.archive],
      "epub": [.archive], "zip": [.archive], "rar": [.archive], "7z": [.archive], "gz": [.archive],
      "tgz": [.archive],
      "png": [.image], "jpg": [.image], "jpeg": [.image], "gif": [.image], "bmp": [.image], "webp": [.image],
      "htm": [.html], "html": [.html], "txt": [], "csv": [], "ics": [],
    ]
    let type = contentType.lowercased()
    var families: Set<FileFamily> = []
    var reasons: [String] = []
    let parts = filename.lowercased().split(separator: ".")
    if parts.count >= 2, let last = parts.last, let known = byExtension[String(last)] {
      families.formUnion(known)
      reasons.append(".\(last)")
    }
    let byType: [(prefix: String, families: Set<FileFamily>)] = [
      ("application/pdf", [.pdf]), ("image/", [.image]), ("text/html", [.html]),
      ("application/zip", [.archive]),
      ("application/x-zip", [.archive]), ("application/msword", [.ole2]),
      ("application/vnd.ms-", [.ole2, .archive]),
      ("application/vnd.openxmlformats", [.archive]), ("application/vnd.oasis.opendocument", [.archive]),
    ]
    if let known = byType.first(where: { type.hasPrefix($0.prefix) }) {
      families.formUnion(known.families)
      reasons.append(type)
    }
    return reasons.isEmpty ? nil : (families, reasons.joined(separator: ", "))
  }

  /// Why the attachment's bytes disagree with its declared type, or nil.
  static func disguise(_ attachment: Attachment) -> String? {
    guard let detected = family(of: attachment.leadingBytes) else { return nil }
    let dangerous: Set<FileFamily> = [.executable, .html, .archive, .ole2]
    guard dangerous.contains(detected.family) else { return nil }
    guard
      let declared = declaredFamilies(
        filename: attachment.filename ?? "", contentType: attachment.contentType)
    else {
      // Nothing declared: only an executable is worth saying so.
      return detected.family == .executable
        ? "its bytes are \(detected.family.rawValue) (\(detected.name))" : nil
    }
    guard !declared.families.contains(detected.family) else { return nil }
    return "is declared as \(declared.shown) but its bytes are \(detected.family.rawValue) (\(detected.name))"
  }

  public func check(_ inventory: Inventory, _ context: RuleContext) -> [Hit] {
    var hits: [Hit] = []
    for attachment in inventory.attachments {
      let name = attachment.filename ?? ""
      if let problem = Self.problem(with: name) {
        hits.append(
          Hit(
            range: attachment.range, message: "attachment \"\(name)\" \(problem)",
            help: "do not attach it; link to the file on the brand's https site", evidence: name,
            placeholders: ["filename": name]))
      } else if let disguise = Self.disguise(attachment) {
        hits.append(
          Hit(
            range: attachment.range, message: "attachment \"\(name)\" \(disguise)",
            help:
              "send the file as what it is, under its real type and extension (or link to it on the brand's https site); mail whose attachment hides its type is blocked as malware",
            evidence: "disguised|\(name)", placeholders: ["filename": name]))
      }
      for entry in attachment.archiveEntries {
        let inner = entry.split(separator: "/").last.map(String.init) ?? entry
        if let problem = Self.problem(with: inner) {
          hits.append(
            Hit(
              range: attachment.range, message: "archive \"\(name)\" contains \"\(entry)\", which \(problem)",
              help: "do not send archives with executables", evidence: "\(name)|\(entry)",
              placeholders: ["filename": entry]))
        }
      }
    }
    return hits
  }
}
