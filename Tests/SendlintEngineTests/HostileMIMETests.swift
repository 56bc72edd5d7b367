import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintMIME
import SendlintPolicy
import SendlintPolicyTestSupport
import SendlintRules
import Testing

@testable import SendlintURL

/// Hostile mail (issue 11), each message built here in code: limits that must be findings, archives
/// that must be read, line endings that must not hide links, input that must not crash, and inputs
/// whose cost must stay linear.
@Suite struct HostileMIMETests {
  static func lint(_ bytes: [UInt8], policyText: String? = nil) throws -> [Finding] {
    let file = SourceFile(path: "hostile.eml", bytes: bytes)
    let resolved = try policyText.map { try policy($0) } ?? PolicyLoader.builtinDefault(directory: "/")
    return Engine.check(InventoryReader.eml(file), policy: resolved, category: nil)
  }

  static let headers =
    "From: a@example.com\nTo: b@example.com\nSubject: s\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <x@example.com>\nMIME-Version: 1.0\n"
  /// An HTML body whose link text shows one host and goes to another.
  static let mismatchHTML =
    "<p><a href=\"https://evil.example/login\">https://www.example.com/account</a></p>\n"

  // MARK: Nesting limits are findings, never a clean pass

  @Test func thirtyTwoDeepAttachedMessagesReportTheLimit() throws {
    var message = "Content-Type: text/html\n\n" + Self.mismatchHTML
    for _ in 0..<40 { message = "Content-Type: message/rfc822\n\n" + message }
    let findings = try Self.lint(Array((Self.headers + message).utf8))
    let limit = findings.filter { $0.rule == "input/limit-exceeded" }
    #expect(!limit.isEmpty)
    #expect(limit.allSatisfy { $0.severity == .error })
    #expect(!findings.contains { $0.rule == "link/text-host-mismatch" })  // not read: hence the finding
  }

  @Test func fourDeepBase64AttachedMessagesReportTheLimit() throws {
    var message = Self.headers + "Content-Type: text/html\n\n" + Self.mismatchHTML
    for _ in 0..<6 {
      let encoded = Data(message.utf8).base64EncodedString(options: .lineLength76Characters)
      message =
        Self.headers + "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" + encoded + "\n"
    }
    let findings = try Self.lint(Array(message.utf8))
    #expect(findings.contains { $0.rule == "input/limit-exceeded" && $0.severity == .error })
  }

  @Test func aLimitInsideAnEncodedAttachedMessageIsReported() throws {
    // 40 plain levels inside one base64 level: the limit is hit in the decoded copy.
    var inner = "Content-Type: text/plain\n\nhello\n"
    for _ in 0..<40 { inner = "Content-Type: message/rfc822\n\n" + inner }
    let encoded = Data((Self.headers + inner).utf8).base64EncodedString(options: .lineLength76Characters)
    let message =
      Self.headers + "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" + encoded + "\n"
    let findings = try Self.lint(Array(message.utf8))
    #expect(findings.contains { $0.rule == "input/limit-exceeded" })
  }

  @Test func aPolicyMayLowerTheLimitButNotSilenceIt() throws {
    var message = "Content-Type: text/plain\n\nhi\n"
    for _ in 0..<40 { message = "Content-Type: message/rfc822\n\n" + message }
    let bytes = Array((Self.headers + message).utf8)
    let lowered = try Self.lint(
      bytes,
      policyText: "version: 1\nextends: [sendlint:recommended]\nrules:\n  input/limit-exceeded: warning\n")
    #expect(lowered.contains { $0.rule == "input/limit-exceeded" && $0.severity == .warning })
    let off = try Self.lint(
      bytes, policyText: "version: 1\nextends: [sendlint:recommended]\nrules:\n  input/limit-exceeded: off\n")
    #expect(off.contains { $0.rule == "input/limit-exceeded" && $0.severity == .info })
  }

  // MARK: The crash: digits checked as Characters

  @Test func combiningAccentAfterADigitInReceivedDoesNotTrap() {
    let hop = ReceivedHop.parse("from x (1\u{301}.2.3.4) by mx.example.com")
    #expect(hop.fromIP == nil)
    let plain = ReceivedHop.parse("from x (192.0.2.7) by mx.example.com")
    #expect(plain.fromIP == "192.0.2.7")
    #expect(ReceivedHop.parse("from x ([IPv6:2001:db8::1]) by y").fromIP == "2001:db8::1")
    // Fullwidth digits are hex digits to Character but not to an address.
    #expect(ReceivedHop.parse("from x ([IPv6:２００１:db8::1]) by y").fromIP == nil)
    // Through the whole pipeline too.
    let message =
      "Received: from x (1\u{301}.2.3.4) by mx.example.com; Mon, 1 Jan 2024 00:00:00 +0000\n" + Self.headers
      + "\nhi\n"
    _ = InventoryReader.eml(SourceFile(path: "r.eml", bytes: Array(message.utf8)))
  }

  @Test func ipv4NumbersAreASCIIDigitsOnly() {
    #expect(URLParser.parseIPv4Number("1\u{301}") == nil)
    #expect(URLParser.parseIPv4Number("01\u{301}") == nil)
    #expect(URLParser.parseIPv4Number("0x1\u{301}") == nil)
    #expect(URLParser.parseIPv4Number("0xＡ") == nil)
    #expect(URLParser.parseIPv4Number("0x1f") == 31)
    #expect(URLParser.parseIPv4Number("017") == 15)
    #expect(URLParser.parseIPv4Number("08") == nil)
    #expect(URLParser.parseIPv4Number("255") == 255)
  }

  // MARK: Line endings

  /// Quoted-printable encoding of `html` with lines of at most 40 characters, each ending `lineEnd`.
  static func quotedPrintable(_ html: String, lineEnd: String) -> String {
    var out = ""
    var line = ""
    for scalar in html.unicodeScalars {
      let piece = scalar == "=" ? "=3D" : scalar == "\n" ? "=0A" : String(scalar)
      if line.count + piece.count > 40 {
        out += line + "=" + lineEnd
        line = ""
      }
      line += piece
    }
    return out + line + lineEnd
  }

  @Test func quotedPrintableWithCRCRLFLineEndingsKeepsItsLinks() {
    let html = (0..<70).map { "<a href=\"https://www.example.com/page/\($0)\">page \($0)</a>" }.joined(
      separator: "<br>")
    let body = Self.quotedPrintable(html, lineEnd: "\r\r\n")
    let message =
      Self.headers.replacingOccurrences(of: "\n", with: "\r\n")
      + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + body
    let inventory = InventoryReader.eml(SourceFile(path: "qp.eml", bytes: Array(message.utf8)))
    let hrefs = inventory.links.filter { $0.kind == .a }.map(\.href)
    #expect(hrefs.count == 70)
    #expect(hrefs.first == "https://www.example.com/page/0")
    #expect(hrefs.last == "https://www.example.com/page/69")
  }

  // MARK: Archives

  static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
  static func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16(value >> 16 & 0xFFFF) }
  static func le64(_ value: Int) -> [UInt8] { le32(value & 0xFFFF_FFFF) + le32(value >> 32) }

  /// Stored entries: local headers with their data, then the central directory entries. Returns
  /// the bytes before the end records and where the directory starts.
  static func zipBody(_ names: [String], data: [UInt8] = Array("MZ".utf8)) -> (bytes: [UInt8], directory: Int)
  {
    var bytes: [UInt8] = []
    var offsets: [Int] = []
    for name in names {
      offsets.append(bytes.count)
      bytes += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le32(0) + le32(0)
      bytes += le32(data.count) + le32(data.count) + le16(name.utf8.count) + le16(0) + Array(name.utf8) + data
    }
    let directory = bytes.count
    for (name, offset) in zip(names, offsets) {
      bytes += le32(0x0201_4B50) + le16(45) + le16(20) + le16(0) + le16(0) + le32(0) + le32(0)
      bytes += le32(data.count) + le32(data.count) + le16(name.utf8.count) + le16(0) + le16(0)
      bytes += le16(0) + le16(0) + le32(0) + le32(offset) + Array(name.utf8)
    }
    return (bytes, directory)
  }

  static func endRecord(entries: Int, size: Int, offset: Int) -> [UInt8] {
    le32(0x0605_4B50) + le16(0) + le16(0) + le16(entries) + le16(entries) + le32(size) + le32(offset)
      + le16(0)
  }

  /// A valid ZIP64 archive: the classic end record saturated, the real figures in the ZIP64 one.
  static func zip64(_ names: [String]) -> [UInt8] {
    let (body, directory) = zipBody(names)
    let record = body.count
    var bytes = body
    bytes += le32(0x0606_4B50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
    bytes += le64(names.count) + le64(names.count) + le64(record - directory) + le64(directory)
    bytes += le32(0x0706_4B50) + le32(0) + le64(record) + le32(1)
    bytes += endRecord(entries: 0xFFFF, size: 0xFFFF_FFFF, offset: 0xFFFF_FFFF)
    return bytes
  }

  static func message(attaching archives: [[UInt8]]) -> [UInt8] {
    var text =
      Self.headers
      + "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
    for (index, archive) in archives.enumerated() {
      text +=
        "--b\nContent-Type: application/zip; name=\"files\(index).zip\"\nContent-Disposition: attachment; filename=\"files\(index).zip\"\n"
      text +=
        "Content-Transfer-Encoding: base64\n\n"
        + Data(archive).base64EncodedString(options: .lineLength76Characters) + "\n"
    }
    return Array((text + "--b--\n").utf8)
  }

  @Test func zip64ArchiveHoldingAnExecutableIsFlagged() throws {
    let archive = Self.zip64(["readme.txt", "evil.exe"])
    let listing = ZipDirectory.read(archive)
    #expect(listing.names == ["readme.txt", "evil.exe"])
    #expect(listing.problems.isEmpty && !listing.truncated)
    let findings = try Self.lint(Self.message(attaching: [archive]))
    #expect(findings.contains { $0.rule == "attachment/dangerous-type" && $0.message.contains("evil.exe") })
  }

  @Test func endRecordPointingPastTheFileFallsBackToLocalHeaders() throws {
    let (body, directory) = Self.zipBody(["readme.txt", "evil.exe"])
    let archive = body + Self.endRecord(entries: 2, size: body.count - directory, offset: body.count + 4_096)
    let listing = ZipDirectory.read(archive)
    #expect(listing.names == ["readme.txt", "evil.exe"])
    #expect(!listing.problems.isEmpty)
    let findings = try Self.lint(Self.message(attaching: [archive]))
    #expect(findings.contains { $0.rule == "attachment/dangerous-type" && $0.message.contains("evil.exe") })
    #expect(findings.contains { $0.rule == "input/unparseable" && $0.message.contains("central directory") })
  }

  @Test func directoryThatHidesALocalEntryStillShowsIt() {
    // The directory lists only readme.txt; the local headers also carry evil.exe.
    let (body, _) = Self.zipBody(["readme.txt", "evil.exe"])
    let (listed, directory) = Self.zipBody(["readme.txt"])
    let archive =
      body + listed[directory...]
      + Self.endRecord(entries: 1, size: listed.count - directory, offset: body.count)
    #expect(ZipDirectory.read(Array(archive)).names == ["readme.txt", "evil.exe"])
  }

  @Test func anEntryNameRunningPastTheArchiveIsAFinding() {
    let (body, _) = Self.zipBody(["evil.exe"])
    var truncated = Array(body.prefix(34))  // the header and half the name
    truncated[26] = 200
    let listing = ZipDirectory.read(truncated)
    #expect(listing.names.isEmpty)
    #expect(listing.problems.contains { $0.contains("runs past the end") })
    #expect(!ZipDirectory.read(Array("not a zip at all, long enough".utf8)).problems.isEmpty)
  }

  @Test func archiveEntriesAndAttachmentsAreCapped() throws {
    let names = (0..<(ZipDirectory.maximumEntries + 5)).map { "f\($0).exe" }
    let listing = ZipDirectory.read(Self.zip64(names))
    #expect(listing.names.count == ZipDirectory.maximumEntries)
    #expect(listing.truncated)
    // Many archives of many executables: bounded findings, and the caps say so.
    let archive = Self.zipBody((0..<500).map { "f\($0).exe" })
    let complete =
      archive.bytes
      + Self.endRecord(entries: 500, size: archive.bytes.count - archive.directory, offset: archive.directory)
    let findings = try Self.lint(
      Self.message(attaching: Array(repeating: complete, count: InventoryLimits.maximumAttachments + 10)))
    let dangerous = findings.filter { $0.rule == "attachment/dangerous-type" }.count
    #expect(dangerous == InventoryLimits.maximumArchiveEntries)
    let limits = findings.filter { $0.rule == "input/limit-exceeded" }
    #expect(limits.contains { $0.message.contains("\(InventoryLimits.maximumAttachments) attachments") })
    #expect(
      limits.contains { $0.message.contains("\(InventoryLimits.maximumArchiveEntries) archive entries") })
  }
}
