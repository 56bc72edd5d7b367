// Lints a message held in memory, as a send pipeline would before handing it to its MTA, and
// prints the report as SARIF. Exit status: the CLI's (0 clean, 1 findings at error, 2 input error).
import Foundation
import Sendlint

// The client's policy, as the pipeline stores it: bytes, not a file. `extends` entries other than
// built-in packs would be asked of the resolver.
let policyYAML = """
  version: 1
  extends: [sendlint:recommended]
  brand:
    domains: [shop.example]
  """

// A draft whose link text shows the brand while the link goes elsewhere.
let message = """
  From: Shop <news@shop.example>\r
  To: you@example.org\r
  Subject: Your account\r
  Message-ID: <1@shop.example>\r
  Date: Mon, 1 Jun 2026 10:00:00 +0000\r
  MIME-Version: 1.0\r
  Content-Type: text/html; charset=utf-8\r
  \r
  <p>Please <a href="https://login.evil.example/x">https://shop.example/account</a></p>\r

  """

do {
  let policy = try SendlintPolicySet.load(yaml: Data(policyYAML.utf8), name: "client-policy.yaml")
  let report = try await Linter(policy: policy).lint(
    message: Data(message.utf8), name: "outbound/welcome.eml")
  print(report.formatted(.sarif), terminator: "")
  let summary = report.summary
  FileHandle.standardError.write(
    Data("\(summary.errors) errors, \(summary.warnings) warnings in \(summary.drafts) draft\n".utf8))
  exit(report.exitStatus(failOn: .error))
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(2)
}
