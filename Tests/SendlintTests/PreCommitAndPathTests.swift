import Foundation
import SendlintCore
import SendlintEngine
import SendlintInventory
import Testing

/// Issue 13: pre-commit names single files, often from a subfolder; the result must be the one a
/// full run from the repository root gives. Each test builds a repository (a `.git` folder) in a
/// temporary directory holding a copy of the project's own `Examples/`.
@Suite struct PreCommitAndPathTests {
  /// `repo/.git` and `repo/Examples` (copied from this package's examples).
  static func makeRepository() throws -> URL {
    let repo = FileManager.default.temporaryDirectory.appendingPathComponent("sendlint-precommit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: repo.appendingPathComponent(".git"), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: TestPaths.examples, toPath: repo.appendingPathComponent("Examples").path)
    return repo
  }

  static func write(_ text: String, _ path: String, in repo: URL) throws {
    let url = repo.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  static func lint(_ paths: [String], in directory: URL) -> LintReport {
    Engine().lint(LintRequest(paths: paths, workingDirectory: directory.path))
  }

  @Test func pathsAreRelativeToTheRepositoryRootFromASubfolder() throws {
    let repo = try Self.makeRepository()
    defer { try? FileManager.default.removeItem(at: repo) }
    let fromRoot = Self.lint(["Examples/ms03-026/campaign.yaml"], in: repo)
    let fromSubfolder = Self.lint(["ms03-026/campaign.yaml"], in: repo.appendingPathComponent("Examples"))
    #expect(!fromRoot.findings.isEmpty)
    #expect(fromSubfolder.findings.map(\.path) == fromRoot.findings.map(\.path))
    #expect(fromSubfolder.findings.contains { $0.path == "Examples/ms03-026/body.html" })
    #expect(fromSubfolder.findings.allSatisfy { $0.path.hasPrefix("Examples/ms03-026/") })
  }

  @Test func withoutARepositoryPathsAreRelativeToTheWorkingDirectory() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sendlint-norepo-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: TestPaths.examples + "/ms03-026", toPath: folder.appendingPathComponent("ms03-026").path)
    let loader = DraftLoader(workingDirectory: folder.path)
    // A temporary folder is under no repository on CI machines; when it is, the root is that one.
    if PathConfinement.repositoryRoot(containing: folder.path) == nil {
      #expect(loader.displayPath(folder.path + "/ms03-026/body.html") == "ms03-026/body.html")
    }
  }
}
