import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import SendlintMIME
import SendlintPolicy
import SendlintRules
@testable import SendlintURL
import Testing

/// Hostile mail (issue 11), each message built here in code: limits that must be findings, archives
/// that must be read, line endings that must not hide links, input that must not crash, and inputs
/// whose cost must stay linear.
@Suite struct HostileMIMETests {
  static func lint(_ bytes: [UInt8], policyText: String? = nil) throws -> [Finding] {
    let file = SourceFile(path: "hostile.eml", bytes: bytes)
    let resolved = try policyText.map { try policy($0) } ?? PolicyLoader.builtinDefault(directory: "/")
    return Engine.check(InventoryReader.eml(file), policy: resolved, category: nil)
  }

  static let headers = "From: a@example.com\nTo: b@example.com\nSubject: s\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-ID: <x@example.com>\nMIME-Version: 1.0\n"
  /// An HTML body whose link text shows one host and goes to another.
  static let mismatchHTML = "<p><a href=\"https://evil.example/login\">https://www.example.com/account</a></p>\n"

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
      message = Self.headers + "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" + encoded + "\n"
    }
    let findings = try Self.lint(Array(message.utf8))
    #expect(findings.contains { $0.rule == "input/limit-exceeded" && $0.severity == .error })
  }

  @Test func aLimitInsideAnEncodedAttachedMessageIsReported() throws {
    // 40 plain levels inside one base64 level: the limit is hit in the decoded copy.
    var inner = "Content-Type: text/plain\n\nhello\n"
    for _ in 0..<40 { inner = "Content-Type: message/rfc822\n\n" + inner }
    let encoded = Data((Self.headers + inner).utf8).base64EncodedString(options: .lineLength76Characters)
    let message = Self.headers + "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" + encoded + "\n"
    let findings = try Self.lint(Array(message.utf8))
    #expect(findings.contains { $0.rule == "input/limit-exceeded" })
  }

  @Test func aPolicyMayLowerTheLimitButNotSilenceIt() throws {
    var message = "Content-Type: text/plain\n\nhi\n"
    for _ in 0..<40 { message = "Content-Type: message/rfc822\n\n" + message }
    let bytes = Array((Self.headers + message).utf8)
    let lowered = try Self.lint(bytes, policyText: "version: 1\nextends: [sendlint:recommended]\nrules:\n  input/limit-exceeded: warning\n")
    #expect(lowered.contains { $0.rule == "input/limit-exceeded" && $0.severity == .warning })
    let off = try Self.lint(bytes, policyText: "version: 1\nextends: [sendlint:recommended]\nrules:\n  input/limit-exceeded: off\n")
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
    let message = "Received: from x (1\u{301}.2.3.4) by mx.example.com; Mon, 1 Jan 2024 00:00:00 +0000\n" + Self.headers + "\nhi\n"
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
    let html = (0..<70).map { "<a href=\"https://www.example.com/page/\($0)\">page \($0)</a>" }.joined(separator: "<br>")
    let body = Self.quotedPrintable(html, lineEnd: "\r\r\n")
    let message = Self.headers.replacingOccurrences(of: "\n", with: "\r\n")
      + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + body
    let inventory = InventoryReader.eml(SourceFile(path: "qp.eml", bytes: Array(message.utf8)))
    let hrefs = inventory.links.filter { $0.kind == .a }.map(\.href)
    #expect(hrefs.count == 70)
    #expect(hrefs.first == "https://www.example.com/page/0")
    #expect(hrefs.last == "https://www.example.com/page/69")
  }
}
