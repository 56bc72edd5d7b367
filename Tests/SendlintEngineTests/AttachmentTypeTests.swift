import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintPolicy
import SendlintRules
import Testing

/// Attachments whose declared type (name, Content-Type) disagrees with their bytes (issue 12); each
/// attachment is a few bytes written here.
@Suite struct AttachmentTypeTests {
  static func findings(name: String, type: String, bytes: [UInt8]) throws -> [Finding] {
    let text = """
      From: billing@contoso.com
      To: b@example.com
      Subject: Your invoice
      MIME-Version: 1.0
      Content-Type: multipart/mixed; boundary=b

      --b
      Content-Type: text/plain

      Attached.
      --b
      Content-Type: \(type); name="\(name)"
      Content-Disposition: attachment; filename="\(name)"
      Content-Transfer-Encoding: base64

      \(Data(bytes).base64EncodedString(options: .lineLength76Characters))
      --b--

      """
    let inventory = InventoryReader.eml(SourceFile(path: "a.eml", bytes: Array(text.utf8)))
    return Engine.check(inventory, policy: try PolicyLoader.builtinDefault(directory: "/"), category: nil)
      .filter { $0.rule == "attachment/dangerous-type" }
  }

  static let zipWithScript: [UInt8] = {
    // One local file header (APPNOTE §4.3.7) named setup.js, stored, empty.
    var bytes: [UInt8] = [
      0x50, 0x4B, 0x03, 0x04, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]
    bytes += [8, 0, 0, 0] + Array("setup.js".utf8)
    return bytes
  }()

  @Test func anExecutableNamedAsAPDFNamesBothTypes() throws {
    let found = try Self.findings(
      name: "invoice.pdf", type: "application/pdf", bytes: [0x4D, 0x5A, 0x90, 0x00, 0x03])
    #expect(found.count == 1)
    let message = found.first?.message ?? ""
    #expect(message.contains("declared as .pdf, application/pdf"))
    #expect(message.contains("an executable (Windows executable (\"MZ\"))"))
  }

  @Test func aZipNamedAsAPDFIsFlaggedAndItsScriptFound() throws {
    let found = try Self.findings(name: "invoice.pdf", type: "application/pdf", bytes: Self.zipWithScript)
    #expect(found.contains { $0.message.contains("its bytes are an archive (ZIP archive") })
    #expect(found.contains { $0.message.contains("contains \"setup.js\"") })
  }

  @Test func htmlNamedAsAPDFIsFlagged() throws {
    let found = try Self.findings(
      name: "invoice.pdf", type: "application/octet-stream",
      bytes: Array("\u{FEFF}\n  <HTML><script>location='x'</script>".utf8))
    #expect(found.first?.message.contains("declared as .pdf but its bytes are an HTML page") == true)
  }

  @Test func filesThatAreWhatTheySayAreClean() throws {
    #expect(
      try Self.findings(name: "invoice.pdf", type: "application/pdf", bytes: Array("%PDF-1.7\n%%EOF\n".utf8))
        .isEmpty)
    #expect(
      try Self.findings(
        name: "report.docx", type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        bytes: Array(Self.zipWithScript.prefix(30)) + Array("word/doc.xml".utf8)
      ).isEmpty)
    #expect(
      try Self.findings(
        name: "old.doc", type: "application/msword",
        bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]
      ).isEmpty)
    #expect(
      try Self.findings(name: "page.html", type: "text/html", bytes: Array("<!DOCTYPE html><p>x".utf8))
        .isEmpty)
    // A PNG sent as .jpg is a mislabel, not a disguise: images are not dangerous content.
    #expect(
      try Self.findings(
        name: "photo.jpg", type: "image/jpeg", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]
      ).isEmpty)
    // Unknown bytes under a known name: nothing is claimed.
    #expect(
      try Self.findings(name: "invoice.pdf", type: "application/pdf", bytes: Array("garbage".utf8)).isEmpty)
  }

  @Test func anUndeclaredExecutableIsFlaggedAndOtherUndeclaredBytesAreNot() throws {
    let found = try Self.findings(
      name: "update", type: "application/octet-stream", bytes: [0x7F, 0x45, 0x4C, 0x46, 2, 1])
    #expect(found.first?.message.contains("its bytes are an executable (ELF executable)") == true)
    #expect(
      try Self.findings(
        name: "data", type: "application/octet-stream", bytes: Self.zipWithScript.prefix(4) + [0, 0]
      ).isEmpty)
  }

  @Test func theSignatureTableMatchesWithWildcards() {
    #expect(DangerousAttachment.family(of: Array("GIF89a....".utf8))?.family == .image)
    #expect(DangerousAttachment.family(of: Array("RIFF\u{1}\u{2}\u{3}\u{4}WEBPVP8 ".utf8))?.family == .image)
    #expect(DangerousAttachment.family(of: Array("<a href=x>".utf8))?.family == .html)
    #expect(DangerousAttachment.family(of: Array("<abbr>".utf8)) == nil)  // `<a` must end the tag name
    #expect(DangerousAttachment.family(of: []) == nil)
  }
}
