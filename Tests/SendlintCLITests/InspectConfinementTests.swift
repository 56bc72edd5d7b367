import Foundation
import SendlintCore
import SendlintTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Issue 13: `sendlint inspect`, `policy show` and `policy validate` find, confine and read the
/// paths they are given exactly as `lint` does — a file outside the repository that the user named
/// is read, what `lint` refuses is refused with `lint`'s own message (exit 2, as there is no report
/// to hold a finding) — and `inspect --format json` writes bidi and C1 controls as JSON escapes.
/// Each case runs the built binary in a throwaway repository (`SendlintCLI.repository`).
@Suite(.enabled(if: SendlintCLI.binaryExists, "needs .build/debug/sendlint (built by swift test)"))
struct InspectConfinementTests {
  static let message =
    "From: News <news@example.com>\nSubject: hello\nDate: Mon, 1 Dec 2025 10:00:00 +0000\nMessage-ID: <1@example.com>\n\nVisit http://example.com/offer now\n"

  /// A folder outside any repository, holding `files`.
  static func outsideFolder(_ files: [String: String]) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "inspect-outside-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name)) }
    return PathConfinement.realPath(folder) ?? folder
  }

  /// The line of `lint`'s text report that states the refusal of `path`.
  static func lintRefusal(_ path: String, in directory: String, code: String = "input/unparseable") throws
    -> String
  {
    let run = try SendlintCLI.sendlint(["lint", path], in: directory)
    let line = run.all.split(separator: "\n").first { $0.hasSuffix("[\(code)]") }
    return try #require(line.map(String.init), "lint \(path) must refuse it: \(run.all)")
  }

  @Test func aNamedFileOutsideTheRepositoryIsReadAsLintReadsIt() throws {
    let root = try SendlintCLI.repository(["mail/offer.eml": Self.message])
    let outside = try Self.outsideFolder([
      "offer.eml": Self.message, "policy.yaml": "version: 1\nextends: [sendlint:recommended]\n",
    ])
    let relative = "../" + (outside as NSString).lastPathComponent + "/offer.eml"
    // From `mail/`, so the path climbs two levels: the repository's parent holds the outside folder.
    let fromMail = "../" + relative
    let lint = try SendlintCLI.sendlint(["lint", fromMail], in: root + "/mail")
    #expect(!lint.all.contains("input/unparseable"), "lint reads a file the user named: \(lint.all)")
    #expect(lint.stdout.contains(outside + "/offer.eml:"), "\(lint.all)")

    let inspect = try SendlintCLI.sendlint(["inspect", fromMail], in: root + "/mail")
    #expect(inspect.status == 0, "\(inspect.all)")
    #expect(inspect.stdout.hasPrefix("draft: \(outside)/offer.eml (eml)"), "\(inspect.stdout)")
    #expect(inspect.stdout.contains("Subject: hello"))
    #expect(!inspect.all.contains("it was not read"))

    let show = try SendlintCLI.sendlint(
      [
        "policy", "show", fromMail, "--policy",
        "../" + "../" + (outside as NSString).lastPathComponent + "/policy.yaml",
      ], in: root + "/mail")
    #expect(show.status == 0, "\(show.all)")
    #expect(
      show.stdout.hasPrefix("draft: \(outside)/offer.eml\npolicy: \(outside)/policy.yaml"), "\(show.stdout)")

    let validate = try SendlintCLI.sendlint(
      ["policy", "validate", "../../" + (outside as NSString).lastPathComponent + "/policy.yaml"],
      in: root + "/mail")
    #expect(validate.status == 0, "\(validate.all)")
    #expect(validate.stdout.hasPrefix("\(outside)/policy.yaml: valid"))
  }

  @Test func pathsInsideTheRepositoryAreShownFromItsRoot() throws {
    let root = try SendlintCLI.repository(["mail/offer.eml": Self.message])
    let inspect = try SendlintCLI.sendlint(["inspect", "offer.eml"], in: root + "/mail")
    #expect(inspect.stdout.hasPrefix("draft: mail/offer.eml (eml)"), "\(inspect.all)")
    let show = try SendlintCLI.sendlint(["policy", "show", "offer.eml"], in: root + "/mail")
    #expect(show.stdout.hasPrefix("draft: mail/offer.eml\n"), "\(show.all)")
  }

  /// Every kind of path `lint` refuses: a link out of the repository, a FIFO, a file in `.git`, a
  /// system file. `inspect` and `policy show` print `lint`'s line and exit 2.
  @Test func whatLintRefusesIsRefusedWithLintsMessage() throws {
    let outside = try Self.outsideFolder(["secret.eml": Self.message])
    let root = try SendlintCLI.repository(["mail/ok.eml": Self.message, ".git/config": "[core]\n"])
    try FileManager.default.createSymbolicLink(
      atPath: root + "/mail/link.eml", withDestinationPath: outside + "/secret.eml")
    #expect(mkfifo(root + "/mail/pipe.eml", 0o600) == 0)
    for path in ["link.eml", "pipe.eml", "../.git/config", "/proc/self/environ"] {
      let expected = try Self.lintRefusal(path, in: root + "/mail")
      for command in [["inspect"], ["policy", "show"]] {
        let run = try SendlintCLI.sendlint(command + [path], in: root + "/mail")
        #expect(run.status == 2, "\(command) \(path): \(run.all)")
        #expect(
          run.stderr.contains(expected + "\n"),
          "\(command) \(path) must say what lint says (\(expected)): \(run.all)")
        #expect(run.stderr.contains("  help: "), "and how to fix it: \(run.all)")
        #expect(
          !run.stdout.contains("draft:"), "nothing is shown for a draft that was not read: \(run.stdout)")
      }
    }
  }

  @Test func aMissingPathGetsLintsDiagnosticWithoutUsageText() throws {
    let root = try SendlintCLI.repository(["mail/ok.eml": Self.message])
    let expected = try Self.lintRefusal("nope.eml", in: root + "/mail", code: "usage/no-such-path")
    for command in [["inspect"], ["policy", "show"]] {
      let run = try SendlintCLI.sendlint(command + ["nope.eml"], in: root + "/mail")
      #expect(run.status == 2)
      #expect(run.stderr.contains(expected), "\(run.all)")
      #expect(!run.all.contains("Usage:"), "an input error, not a usage error: \(run.all)")
    }
  }

  @Test func aFolderIsNotOneDraft() throws {
    let root = try SendlintCLI.repository(["mail/ok.eml": Self.message])
    let run = try SendlintCLI.sendlint(["inspect", "mail"], in: root)
    #expect(run.status == 2)
    #expect(
      run.stderr.contains("mail: error: mail is a folder; this command shows one draft [usage/not-a-draft]"),
      "\(run.all)")
    #expect(run.stderr.contains("such as mail/ok.eml"))
  }

  @Test func policyValidateRefusesWhatLintPolicyRefuses() throws {
    let outside = try Self.outsideFolder(["policy.yaml": "version: 1\n"])
    let root = try SendlintCLI.repository(["mail/ok.eml": Self.message])
    try FileManager.default.createSymbolicLink(
      atPath: root + "/linked.yaml", withDestinationPath: outside + "/policy.yaml")
    let lint = try SendlintCLI.sendlint(["lint", "mail", "--policy", "linked.yaml"], in: root)
    let expected = try #require(
      lint.all.split(separator: "\n").first { $0.hasSuffix("[policy/refused-path]") }, "\(lint.all)")
    let validate = try SendlintCLI.sendlint(["policy", "validate", "linked.yaml"], in: root)
    #expect(validate.status == 2)
    // Diagnostics go to standard error in every command (issue 19).
    #expect(validate.stderr.contains(String(expected)), "\(validate.all)")
    #expect(validate.stdout.isEmpty, "\(validate.all)")
    let show = try SendlintCLI.sendlint(
      ["policy", "show", "mail/ok.eml", "--policy", "linked.yaml"], in: root)
    #expect(show.status == 2)
    #expect(show.stderr.contains(String(expected)), "\(show.all)")
    #expect(show.stdout.isEmpty, "\(show.all)")
  }

  @Test func inspectJSONEscapesBidiAndC1Controls() throws {
    // Subject "pay\u{202E}gpj.exe\u{9B}31m" as an RFC 2047 word (raw bytes would not survive header
    // decoding unchanged); the link text carries U+2028 and U+202E as raw UTF-8 in the HTML body.
    let subject = "pay\u{202E}gpj.exe\u{9B}31m"
    let encoded = Data(subject.utf8).base64EncodedString()
    let root = try SendlintCLI.repository([
      "mail/trick.eml":
        "From: a@example.com\nSubject: =?UTF-8?B?\(encoded)?=\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<a href=\"https://example.com/\">in\u{2028}voice\u{202E}fdp</a>\n"
    ])
    let run = try SendlintCLI.sendlint(["inspect", "mail/trick.eml", "--format", "json"], in: root)
    #expect(run.status == 0, "\(run.all)")
    let raw = run.stdout.unicodeScalars.filter { $0 != "\n" && DisplayEscaping.needsEscaping($0) }
    #expect(raw.isEmpty, "raw controls in inspect's JSON: \(raw.map { String($0.value, radix: 16) })")
    #expect(run.stdout.contains("pay\\u202egpj.exe\\u009b31m"), "\(run.stdout)")
    #expect(run.stdout.contains("in\\u2028voice\\u202efdp"))
    // Still JSON, and the values decode to what the draft holds.
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let headers = try #require(object["headers"] as? [[String: Any]])
    #expect(
      headers.contains { $0["name"] as? String == "Subject" && $0["value"] as? String == subject },
      "\(headers)")
    let links = try #require(object["links"] as? [[String: Any]])
    #expect(links.contains { ($0["text"] as? String)?.contains("\u{202E}fdp") == true }, "\(links)")
  }
}
