import CZlibShim
import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintRules
import Testing

/// Links inside PDF attachments (issue 12): every PDF here is written by hand, byte by byte, and
/// compressed with the same system zlib the reader inflates with. No real attachment is opened.
@Suite struct PDFLinkTests {
  /// zlib data (RFC 1950) of `bytes`.
  static func deflate(_ bytes: [UInt8]) -> [UInt8] {
    let bound = Int(sendlint_deflate_bound(Int64(bytes.count)))
    var output = [UInt8](repeating: 0, count: bound)
    let written = output.withUnsafeMutableBufferPointer { out in
      bytes.withUnsafeBufferPointer { input in
        sendlint_deflate(input.baseAddress, Int64(bytes.count), out.baseAddress, Int64(bound))
      }
    }
    precondition(written >= 0, "zlib could not compress the test data")
    return Array(output.prefix(Int(written)))
  }

  /// A PDF of `objects` (number, body) with a header and trailer; no cross-reference table, which
  /// the reader does not need (readers rebuild it too).
  static func pdf(_ objects: [(Int, [UInt8])]) -> [UInt8] {
    var bytes = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
    for (number, body) in objects {
      bytes += Array("\(number) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
    }
    return bytes + Array("trailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)
  }

  static func object(_ text: String) -> [UInt8] { Array(text.utf8) }

  /// A stream object: `dictionary` entries, then the data (compressed when `flate`).
  static func stream(_ dictionary: String, _ data: [UInt8], flate: Bool = true) -> [UInt8] {
    let stored = flate ? deflate(data) : data
    let filter = flate ? " /Filter /FlateDecode" : ""
    return Array("<< \(dictionary) /Length \(stored.count)\(filter) >>\nstream\n".utf8) + stored
      + Array("\nendstream".utf8)
  }

  static func annotation(_ uri: String) -> String {
    "<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A << /S /URI /URI \(uri) >> >>"
  }

  // MARK: The reader

  @Test func plainObjectsGiveTheirURIsAndObjectNumbers() {
    let result = PDFLinks.read(
      Self.pdf([
        (1, Self.object("<< /Type /Catalog /Pages 2 0 R >>")),
        (4, Self.object(Self.annotation("(http://evil.example/login)"))),
        (7, Self.object(Self.annotation("(https://www.contoso.com/)"))),
      ]))
    #expect(result.uris.map(\.value) == ["http://evil.example/login", "https://www.contoso.com/"])
    #expect(result.uris.map(\.objectNumber) == [4, 7])
    #expect(result.limits.isEmpty)
  }

  @Test func literalStringEscapesAreDecoded() {
    // \) \( \\ octal (one to three digits), balanced parentheses, a backslash-newline continuation.
    let result = PDFLinks.read(
      Self.pdf([
        (2, Self.object(Self.annotation(#"(https://a.example/x\)y\(z\\w\101\60/\1(p))"#))),
        (3, Self.object(Self.annotation("(https://b.exa\\\nmple/(q))"))),
      ]))
    #expect(result.uris.map(\.value) == [#"https://a.example/x)y(z\wA0/\#u{1}(p)"#, "https://b.example/(q)"])
  }

  @Test func hexStringsAndEscapedNamesAreRead() {
    // "https://c.example/" in hex with white space, and an odd final digit (read as followed by 0:
    // "2" → 0x20, a space, trimmed); `/U#52I` is the name /URI written with a #xx escape.
    let hex = "<68 74747073 3A2F2F632E 6578616D706C652F2>"
    let result = PDFLinks.read(
      Self.pdf([
        (5, Self.object(Self.annotation(hex))),
        (6, Self.object("<< /S /URI /U#52I (http://d.example/) >>")),
      ]))
    #expect(result.uris.map(\.value) == ["https://c.example/", "http://d.example/"])
  }

  @Test func namesThatOnlyStartLikeURIAreNotLinks() {
    let result = PDFLinks.read(
      Self.pdf([(8, Self.object("<< /URIs (http://no.example/) /Base (http://base.example/) /S /URI >>"))]))
    #expect(result.uris.isEmpty)
  }

  @Test func objectStreamsAreInflatedAndSplitIntoTheirObjects() {
    // Two objects in a FlateDecode object stream (ISO 32000-1 §7.5.7): 11 and 12, at offsets 0 and
    // the second one's; the link is reported with 12, the inner object's number.
    let first = Self.annotation("(https://www.contoso.com/ok)")
    let second = Self.annotation("(http://obj-stream.example/pay)")
    let header = "11 0 12 \(first.utf8.count + 1) "
    let data = Array((header + first + "\n" + second).utf8)
    let result = PDFLinks.read(
      Self.pdf([(20, Self.stream("/Type /ObjStm /N 2 /First \(header.utf8.count)", data))]))
    #expect(result.uris.map(\.value) == ["https://www.contoso.com/ok", "http://obj-stream.example/pay"])
    #expect(result.uris.map(\.objectNumber) == [11, 12])
  }

  @Test func flateStreamsInGeneralAreRead() {
    // An embedded file's stream holding a whole PDF of its own, compressed: its links count too.
    let inner = Self.pdf([(3, Self.object(Self.annotation("(http://embedded.example/)")))])
    let result = PDFLinks.read(Self.pdf([(9, Self.stream("/Type /EmbeddedFile", inner))]))
    #expect(result.uris.map(\.value) == ["http://embedded.example/"])
    #expect(result.uris.first?.objectNumber == 3)
  }

  @Test func imagesAndFontProgramsAreNotInflated() {
    // A 20 MiB image and a font program, each compressed: neither can hold an action a viewer
    // follows, so neither is inflated (no cap is reached) and bytes that look like one are not
    // links; the annotation after them is read.
    let picture =
      [UInt8](repeating: 0x20, count: 20 * 1024 * 1024) + Array("/URI (http://pixels.example/)".utf8)
    let font = Array("/URI (http://glyphs.example/)".utf8)
    let result = PDFLinks.read(
      Self.pdf([
        (1, Self.stream("/Type /XObject /Subtype /Image /Width 4000 /Height 5000", picture)),
        (2, Self.stream("/Length1 \(font.count)", font)),
        (3, Self.stream("/Subtype /Type1C", font)),
        (4, Self.object(Self.annotation("(http://after-image.example/)"))),
      ]))
    #expect(result.limits.isEmpty, "\(result.limits)")
    #expect(result.uris.map(\.value) == ["http://after-image.example/"])
  }

  @Test func indirectURIStringsAreResolved() {
    let result = PDFLinks.read(
      Self.pdf([
        (4, Self.object("<< /S /URI /URI 9 0 R >>")),
        (9, Self.object("(http://indirect.example/)")),
      ]))
    #expect(result.uris.map(\.value) == ["http://indirect.example/"])
    #expect(result.uris.first?.objectNumber == 4)
  }

  @Test func aStrayParenthesisInStreamDataCannotHideLaterObjects() {
    let result = PDFLinks.read(
      Self.pdf([
        (1, Self.stream("", Array("BT (unclosed string (( ET".utf8), flate: false)),
        (2, Self.object(Self.annotation("(http://after.example/)"))),
      ]))
    #expect(result.uris.map(\.value) == ["http://after.example/"])
  }

  @Test func aStreamWhoseLengthLiesIsReadToItsEndstream() {
    let data = Self.deflate(Array(Self.annotation("(http://length.example/)").utf8))
    let body = Array("<< /Length 3 /Filter /FlateDecode >>\nstream\n".utf8) + data + Array("\nendstream".utf8)
    #expect(PDFLinks.read(Self.pdf([(1, body)])).uris.map(\.value) == ["http://length.example/"])
  }

  // MARK: Hostile PDFs: bounded, a finding, never a crash

  @Test func aDecompressionBombStopsAtTheCapAndSaysSo() {
    // 20 MiB of zeros compress to about 20 KiB: the reader inflates 16 MiB, stops, reports it, and
    // still reads the plain objects after the bomb.
    let bomb = [UInt8](repeating: 0x20, count: 20 * 1024 * 1024)
    let result = PDFLinks.read(
      Self.pdf([
        (1, Self.stream("", bomb)),
        (2, Self.stream("", bomb)),
        (3, Self.object(Self.annotation("(http://after-bomb.example/)"))),
      ]))
    #expect(result.limits.contains { $0.contains("MiB of compressed streams") })
    #expect(result.uris.map(\.value) == ["http://after-bomb.example/"])
  }

  @Test func objectAndLinkCountsAreCapped() {
    let many = (0...PDFLinks.maximumLinks).map {
      (100 + $0, Self.object(Self.annotation("(http://l\($0).example/)")))
    }
    let links = PDFLinks.read(Self.pdf(many))
    #expect(links.uris.count == PDFLinks.maximumLinks)
    #expect(links.limits.contains { $0.contains("links") })
    let objects = Array(String(repeating: "1 0 obj null endobj\n", count: PDFLinks.maximumObjects + 1).utf8)
    #expect(PDFLinks.read(Array("%PDF-1.4\n".utf8) + objects).limits.contains { $0.contains("objects") })
  }

  @Test func damagedAndTruncatedInputIsReadAsFarAsItGoes() {
    let full = Self.deflate(
      Array((String(repeating: "x", count: 5_000) + Self.annotation("(http://partial.example/)")).utf8))
    // Cut inside the compressed data: nothing after the cut, but no crash and no false link.
    let cut =
      Array("%PDF-1.5\n1 0 obj << /Filter /FlateDecode >>\nstream\n".utf8) + full.prefix(full.count / 2)
    #expect(PDFLinks.read(cut).uris.isEmpty)
    // Garbage after a flate filter, unterminated strings and dictionaries, a lone `stream`.
    for junk in [
      "<< /Filter /FlateDecode >> stream\nnot zlib at all endstream", "(((((\\", "<<<<<</URI", "stream",
      "/URI <6", "%PDF-",
    ] {
      _ = PDFLinks.read(Array(("%PDF-1.5\n" + junk).utf8))
    }
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20 {
      let noise = (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &generator) }
      _ = PDFLinks.read(Array("%PDF-1.5\n".utf8) + noise)
    }
  }

  @Test func onlyFilesWithAPDFHeaderInTheFirstKilobyteArePDFs() {
    #expect(PDFLinks.isPDF(Array("%PDF-1.7\n".utf8)))
    #expect(PDFLinks.isPDF(Array((String(repeating: " ", count: 1_000) + "%PDF-1.4").utf8)))
    #expect(!PDFLinks.isPDF(Array((String(repeating: " ", count: 1_100) + "%PDF-1.4").utf8)))
    #expect(!PDFLinks.isPDF(Array("MZ\u{90}\u{0}".utf8)))
  }

  // MARK: The links reach the link rules, located at the attachment

  static func message(attaching pdf: [UInt8], name: String = "invoice.pdf") -> [UInt8] {
    let text = """
      From: billing@contoso.com
      To: b@example.com
      Subject: Your invoice
      Date: Mon, 1 Jan 2024 00:00:00 +0000
      Message-ID: <x@contoso.com>
      MIME-Version: 1.0
      Content-Type: multipart/mixed; boundary=b

      --b
      Content-Type: text/plain

      Your invoice is attached.
      --b
      Content-Type: application/pdf; name="\(name)"
      Content-Disposition: attachment; filename="\(name)"
      Content-Transfer-Encoding: base64

      \(Data(pdf).base64EncodedString(options: .lineLength76Characters))
      --b--

      """
    return Array(text.utf8)
  }

  static func lint(_ bytes: [UInt8]) throws -> (Inventory, [Finding]) {
    let inventory = InventoryReader.eml(SourceFile(path: "invoice.eml", bytes: bytes))
    return (
      inventory,
      Engine.check(inventory, policy: try PolicyLoader.builtinDefault(directory: "/"), category: nil)
    )
  }

  @Test func linksInAPDFAttachmentAreLinksOfTheMessage() throws {
    let header = "11 0 "
    let inner = Self.annotation("(http://3221225985/login)")
    let pdf = Self.pdf([
      (1, Self.object("<< /Type /Catalog >>")),
      (4, Self.object(Self.annotation("(http://evil.example/pay)"))),
      (20, Self.stream("/Type /ObjStm /N 1 /First \(header.utf8.count)", Array((header + inner).utf8))),
    ])
    let (inventory, findings) = try Self.lint(Self.message(attaching: pdf))
    let links = inventory.links.filter { $0.kind == .pdf }
    #expect(links.map(\.href) == ["http://evil.example/pay", "http://3221225985/login"])
    #expect(inventory.attachments.first?.linkCount == 2)
    let insecure = findings.filter { $0.rule == "link/insecure" && $0.message.contains("evil.example") }
    #expect(insecure.count == 1)
    #expect(insecure.first?.message.contains("(in PDF attachment \"invoice.pdf\", object 4)") == true)
    let obfuscated = findings.filter { $0.rule == "link/obfuscated" }
    #expect(obfuscated.contains { $0.message.contains("object 11") })
    // Located inside the attachment's part: after its headers, not in the text body.
    let partLine = String(decoding: Self.message(attaching: pdf), as: UTF8.self).components(separatedBy: "\n")
      .firstIndex { $0.hasPrefix("Content-Type: application/pdf") }.map { $0 + 1 }
    let line = insecure.first?.range?.startPosition.line
    #expect(line != nil && partLine != nil && line! > partLine!)
  }

  @Test func aCleanPDFAddsNoFindings() throws {
    let pdf = Self.pdf([(4, Self.object(Self.annotation("(https://www.contoso.com/invoices)")))])
    let (inventory, findings) = try Self.lint(Self.message(attaching: pdf))
    #expect(inventory.links.contains { $0.kind == .pdf })
    #expect(!findings.contains { $0.rule.hasPrefix("link/") || $0.rule == "input/limit-exceeded" })
  }

  @Test func aBombInAnAttachmentIsAnInputFinding() throws {
    let pdf = Self.pdf([(1, Self.stream("", [UInt8](repeating: 0, count: 17 * 1024 * 1024)))])
    let (_, findings) = try Self.lint(Self.message(attaching: pdf))
    #expect(
      findings.contains {
        $0.rule == "input/limit-exceeded" && $0.message.contains("PDF attachment \"invoice.pdf\"")
      })
  }
}
