import Foundation
import SendlintCore
import Testing

@testable import SendlintInventory

/// Discovery of saved messages that do not look like `.eml` files (issue 12): mbox envelope lines
/// and messages named `.txt`. Every file is written here.
@Suite struct MessageDiscoveryTests {
  static func folder(_ files: [String: String]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sendlint-discovery-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(
        toFile: (directory as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return directory
  }

  static let envelopeMessage = """
    From sender@example.com  Sat Jan 19 15:26:33 2002
    Return-Path: <sender@example.com>
    From: sender@example.com
    Subject: hello

    Visit http://plain.example/now
    """

  @Test func anExtensionlessFileWithAnEnvelopeLineIsAMessageWithItsOwnLineNumbers() throws {
    let directory = try Self.folder([
      "002": Self.envelopeMessage, "notes": "From here on, we talk.\nNothing else.\n",
    ])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let loader = DraftLoader(workingDirectory: directory)
    let found = loader.discoverAll([directory])
    #expect(found.drafts.map(\.path).map { ($0 as NSString).lastPathComponent } == ["002"])
    #expect(found.skipped.contains { $0.path.hasSuffix("notes") })
    guard let draft = found.drafts.first, let inventory = loader.load(draft).inventory else {
      Issue.record("002 was not loaded")
      return
    }
    #expect(inventory.kind == .eml)
    #expect(inventory.from.first?.mailbox.address == "sender@example.com")
    // The link is on line 6 of the file: the envelope line is skipped, not cut off.
    #expect(inventory.links.first?.range.startPosition.line == 6)
  }

  @Test func aTextFileThatIsAMessageIsReadAsOne() throws {
    let directory = try Self.folder([
      "spam.txt":
        "Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\nReturn-Path: <x@example.com>\nFrom: x@example.com\nSubject: s\n\nBody\n",
      "mbox.txt": Self.envelopeMessage,
      "body.txt": "Subject: Our spring sale\nTo: customers\nDate: spring\n\nHello {{first_name}}\n",
      "plain.txt": "Hello,\nour sale starts Monday: https://www.contoso.com/sale\n",
    ])
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let drafts = DraftLoader(workingDirectory: directory).discoverAll([directory]).drafts
    var kinds: [String: String] = [:]
    for draft in drafts {
      let name = (draft.path as NSString).lastPathComponent
      switch draft {
      case .eml: kinds[name] = "eml"
      case .template: kinds[name] = "template"
      default: kinds[name] = "other"
      }
    }
    #expect(kinds == ["spam.txt": "eml", "mbox.txt": "eml", "body.txt": "template", "plain.txt": "template"])
  }

  @Test func theMessageHeuristicIsConservative() {
    func isMessage(_ text: String) -> Bool { DraftLoader.isMessage(Array(text.utf8)) }
    #expect(isMessage("Return-Path: <a@b.example>\nDelivered-To: c@d.example\nSubject: s\n\nx"))
    #expect(isMessage("Received: from a\n  by b\nMessage-ID: <1@a>\nFrom: a@b\n\nx"))  // folded field
    #expect(!isMessage("Return-Path: <a@b.example>\nSubject: s\n\nx"))  // two fields only
    #expect(!isMessage("Subject: s\nTo: t\nFrom: f\n\nx"))  // no trace or origin field
    #expect(!isMessage("Received: a\nReturn-Path: b\nthis line is prose\n\nx"))  // not all header lines
    #expect(!isMessage("Dear customer,\nReceived: your order\n"))
  }
}
