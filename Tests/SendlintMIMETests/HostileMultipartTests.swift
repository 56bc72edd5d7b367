import Foundation
import SendlintCore
import SendlintMIME
import SendlintTestSupport
import Testing

/// Multiparts whose boundary never occurs used to rescan the rest of the message each (2,000 of
/// them in 1.2 MB took 14 s); the delimiter index finds each boundary's lines once.
@Suite struct HostileMultipartTests {
  static func message(parts: Int) -> SourceFile {
    var text = "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n"
    for index in 0..<parts {
      text +=
        "--o\r\nContent-Type: multipart/mixed; boundary=\"never\(index)\"\r\n\r\n--x\(index)\r\nbody\r\n"
    }
    text += "--o--\r\n"
    return SourceFile(path: "parts.eml", text: text)
  }

  /// 16,000 parts (1.1 MB): each unclosed inner multipart is read as text, and every outer part
  /// is still found. Quadratic code takes minutes here; this finishing is the check.
  @Test func unclosedSubMultipartsAreReadOnce() {
    let parts = 16_000
    let message = MIMEMessage.parse(Self.message(parts: parts))
    #expect(message.root.children.count > MIMELimits.maximumParts / 2)
    #expect(message.root.children.count <= MIMELimits.maximumParts)
    #expect(message.root.children.allSatisfy { $0.children.isEmpty })
  }

  /// The index agrees with a line-by-line scan on delimiters that share a prefix, close
  /// delimiters, a boundary longer than the index key, and a delimiter in the last line.
  @Test func indexAgreesWithTheLineScan() {
    let long = String(repeating: "b", count: 90)
    let near = "--" + String(repeating: "b", count: 70) + "c"
    let text =
      "Content-Type: multipart/mixed; boundary=\"\(long)\"\r\n\r\n\(near)\r\nfake\r\n--\(long)\r\n\r\none\r\n"
      + "\(near)\r\n\r\nstill one\r\n--\(long)\r\n\r\ntwo\r\n--\(long)--"
    let message = MIMEMessage.parse(SourceFile(path: "long.eml", text: text))
    #expect(message.root.children.count == 2)
  }
}
