import Foundation
import SendlintCore
import SendlintURL

/// A draft found on disk, before it is read.
public enum DraftSource: Sendable, Hashable {
  case eml(path: String)
  case campaign(manifestPath: String)
  case template(path: String, isHTML: Bool)
  /// A path found in a walk that may not be read (a link out of the repository root, a FIFO):
  /// loading it yields an `input/unparseable` finding saying why, never its content.
  case refused(path: String, reason: String)

  /// The absolute path of the file that stands for the draft.
  public var path: String {
    switch self {
    case .eml(let path), .campaign(let path), .template(let path, _), .refused(let path, _): path
    }
  }
}

/// A file or folder that discovery did not lint, and why: nothing is skipped silently.
public struct SkippedPath: Sendable, Hashable {
  /// The path as shown to users.
  public let path: String
  public let reason: String
  public let isFolder: Bool
  public init(path: String, reason: String, isFolder: Bool = false) {
    self.path = path
    self.reason = reason
    self.isFolder = isFolder
  }
}

/// What discovery found: drafts, problems with the paths given, and what it did not lint.
public struct Discovery: Sendable {
  public var drafts: [DraftSource] = []
  public var diagnostics: [Diagnostic] = []
  public var skipped: [SkippedPath] = []
}

/// Finds drafts under paths and reads them into inventories.
public struct DraftLoader: Sendable {
  /// Folders never descended into.
  public static let skippedFolders: Set<String> = [".git", ".build", "node_modules", ".svn", ".hg"]
  /// Files larger than this are not read (a finding says so).
  public static let maximumFileBytes = 64 * 1024 * 1024

  /// Bytes of a file without a draft extension read to decide whether it is a message.
  public static let sniffBytes = 1024
  /// Files sendlint itself reads (policies, tests, baselines): not drafts, and not "skipped".
  static let ownFiles: Set<String> = [
    ".sendlint.yaml", ".sendlint.yml", "sendlint-tests.yaml", ".sendlint-baseline.json",
  ]

  public let workingDirectory: String
  /// The folder display paths are relative to: the nearest folder at or above the working
  /// directory holding `.git`, else the working directory. Found lexically (not a real path), so it
  /// is a prefix of the paths `absolutePath` builds even when the working directory is a link.
  public let displayRoot: String
  public let finder: TextURLFinder
  /// What may be read: the repository root and the trees of the paths the user named.
  public let confinement: PathConfinement
  /// The paths are the files a commit changed (`--from-hook`, as pre-commit passes them), not a
  /// choice of what to lint: files in policy-test fixture folders and sendlint's own files are
  /// skipped as a walk skips them, instead of being linted because they were named.
  public var fromHook = false
  /// `--exclude` patterns (gitignore syntax), applied after the root's `.sendlintignore`.
  public var excludes: [String] = []

  /// The ignore file read at the repository root.
  public static let ignoreFile = ".sendlintignore"

  /// A loader for a run in `workingDirectory`; `explicitPaths` are the paths named on the command
  /// line (drafts, `--policy`), which may lie outside the repository root.
  public init(
    workingDirectory: String = FileManager.default.currentDirectoryPath,
    finder: TextURLFinder = TextURLFinder(),
    explicitPaths: [String] = []
  ) {
    self.workingDirectory = URL(fileURLWithPath: workingDirectory).standardizedFileURL.path
    self.displayRoot =
      PathConfinement.repositoryRoot(containing: self.workingDirectory) ?? self.workingDirectory
    self.finder = finder
    self.confinement = PathConfinement(workingDirectory: workingDirectory, explicitPaths: explicitPaths)
  }

  /// A path as shown to users, in every format and in baselines: relative to the repository root
  /// (`displayRoot`) when inside it, so a run from a subfolder names files as a run from the root
  /// does (SARIF uploads, baselines and annotations all key on the path).
  public func displayPath(_ absolute: String) -> String {
    let prefix = displayRoot.hasSuffix("/") ? displayRoot : displayRoot + "/"
    return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
  }

  public func absolutePath(_ path: String) -> String {
    URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: workingDirectory, isDirectory: true))
      .standardizedFileURL.path
  }

  static func isManifest(_ name: String) -> Bool {
    name == "campaign.yaml" || name == "campaign.yml" || name.hasSuffix(".campaign.yaml")
      || name.hasSuffix(".campaign.yml")
  }

  /// Walks `paths` (files and folders, recursively) in a stable order. Templates a manifest uses
  /// are part of that campaign, not drafts of their own.
  public func discover(_ paths: [String]) -> (drafts: [DraftSource], diagnostics: [Diagnostic]) {
    let found = discoverAll(paths)
    return (found.drafts, found.diagnostics)
  }

  /// `discover`, with the files and folders that were not linted and why.
  ///
  /// Walking follows a link only when its target's real path is allowed by `confinement`, and
  /// visits each real folder once (device and inode), so `a -> .` loops end. Files without a draft
  /// extension (`.msg`, `.raw`, none, or in a maildir `cur/`/`new/` folder) are linted as
  /// messages when their first bytes are a header field; everything else is listed as skipped.
  public func discoverAll(_ paths: [String]) -> Discovery {
    var result = Discovery()
    var manifests: [String] = []
    var emls: [String] = []
    var templates: [(String, Bool)] = []
    var explicitTemplates: Set<String> = []
    var refused: [DraftSource] = []
    let confinement = PathConfinement(workingDirectory: workingDirectory, explicitPaths: paths)
    var visited: Set<FileIdentity> = []
    let ignore = ignoreRules(diagnostics: &result.diagnostics)
    for path in expandGlobs(paths, confinement: confinement, visited: visited, result: &result) {
      var absolute = absolutePath(path)
      if let relative = rootRelative(absolute),
        let reason = ignore.exclusionWithAncestors(relative, isFolder: Self.isFolder(absolute))
      {
        result.skipped.append(SkippedPath(path: relative, reason: reason, isFolder: Self.isFolder(absolute)))
        continue
      }
      let named = (absolute as NSString).lastPathComponent
      if Self.policyFiles.contains(named),
        Self.status(absolute).map({ ($0.st_mode & S_IFMT) == S_IFREG }) ?? false
      {
        // A policy named to lint means the drafts it governs: those under its folder (an edit to
        // `.sendlint.yaml` can turn a passing draft into a failing one, so the hook must re-lint them).
        absolute = (absolute as NSString).deletingLastPathComponent
      } else if fromHook, let reason = hookSkipReason(absolute) {
        result.skipped.append(SkippedPath(path: displayPath(absolute), reason: reason))
        continue
      }
      guard var status = Self.linkStatus(absolute) else {
        result.diagnostics.append(
          Diagnostic(
            code: "usage/no-such-path", message: "no such file or folder: \(path)",
            help: "give files or folders holding drafts (.eml, *.campaign.yaml, .html, .txt)", path: path))
        continue
      }
      if case .failure(let refusal) = confinement.check(absolute) {
        refused.append(
          .refused(path: absolute, reason: refusal.message(displayPath(absolute), root: confinement.root)))
        continue
      }
      if (status.st_mode & S_IFMT) == S_IFLNK, let followed = Self.status(absolute) { status = followed }
      let isDirectory = (status.st_mode & S_IFMT) == S_IFDIR
      var files: [String] = []
      if isDirectory {
        walk(
          absolute, isRoot: true, confinement: confinement, ignore: ignore, visited: &visited, files: &files,
          skipped: &result.skipped, refused: &refused)
      } else {
        files = [absolute]
      }
      for file in files {
        let name = (file as NSString).lastPathComponent
        let lowered = name.lowercased()
        if Self.isManifest(lowered) {
          manifests.append(file)
        } else if lowered.hasSuffix(".eml") {
          emls.append(file)
        } else if lowered.hasSuffix(".html") || lowered.hasSuffix(".htm") {
          templates.append((file, true))
          if !isDirectory { explicitTemplates.insert(file) }
        } else if lowered.hasSuffix(".txt"), let head = headBytes(file), Self.isMessage(head) {
          // A saved message named .txt (mail archives, test corpora): read as the message it is.
          emls.append(file)
        } else if lowered.hasSuffix(".txt") {
          templates.append((file, false))
          if !isDirectory { explicitTemplates.insert(file) }
        } else if !isDirectory {
          // A file named on the command line with another extension: read it as a message.
          emls.append(file)
        } else if Self.ownFiles.contains(name) {
          continue
        } else if let reason = sniff(file) {
          result.skipped.append(SkippedPath(path: displayPath(file), reason: reason))
        } else {
          emls.append(file)
        }
      }
    }
    // Templates referenced by a manifest belong to the campaign.
    var used: Set<String> = []
    for manifest in manifests { used.formUnion(templatesUsed(by: manifest)) }
    // A template named alone (a commit touching only `body.html`) is linted within every campaign
    // that uses it, as a full run would: alone it would pass without the campaign's sending facts.
    for template in explicitTemplates.sorted() where !used.contains(template) {
      for manifest in manifestsReferencing(template) where !manifests.contains(manifest) {
        manifests.append(manifest)
        used.formUnion(templatesUsed(by: manifest))
      }
    }
    var drafts: [DraftSource] = []
    var seen: Set<String> = []
    for manifest in manifests where seen.insert(manifest).inserted {
      drafts.append(.campaign(manifestPath: manifest))
    }
    for eml in emls where seen.insert(eml).inserted { drafts.append(.eml(path: eml)) }
    // A template its campaign covers is one draft with it, named or not: reporting it twice (once
    // without the campaign's context) doubles every finding.
    for (template, isHTML) in templates where !used.contains(template) && seen.insert(template).inserted {
      drafts.append(.template(path: template, isHTML: isHTML))
    }
    for source in refused where seen.insert(source.path).inserted { drafts.append(source) }
    drafts.sort { $0.path < $1.path }
    result.drafts = drafts
    return result
  }

  /// Absolute paths of the templates `manifest` names (nothing when it does not parse).
  func templatesUsed(by manifest: String) -> [String] {
    let directory = (manifest as NSString).deletingLastPathComponent
    guard let parsed = CampaignManifest.read(SourceFile(path: manifest, bytes: readBytes(manifest) ?? [])).0
    else { return [] }
    return [parsed.html?.value, parsed.text?.value].compactMap { $0 }.map {
      URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: directory, isDirectory: true))
        .standardizedFileURL.path
    }
  }

  /// Manifests in `template`'s folder and its ancestors up to the repository root that name it,
  /// sorted. Only `*.campaign.yaml`/`campaign.yaml` files are read, and only those confinement
  /// allows; above the root nothing is searched (a template outside any repository: its folder).
  func manifestsReferencing(_ template: String) -> [String] {
    var found: [String] = []
    var directory = (template as NSString).deletingLastPathComponent
    while true {
      let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
      for entry in entries.sorted() where Self.isManifest(entry.lowercased()) {
        let manifest = (directory as NSString).appendingPathComponent(entry)
        if case .success = confinement.check(manifest), templatesUsed(by: manifest).contains(template) {
          found.append(manifest)
        }
      }
      if !PathConfinement.isInside(directory, displayRoot) || directory == displayRoot || directory == "/" {
        break
      }
      directory = (directory as NSString).deletingLastPathComponent
    }
    return found
  }

  /// `.sendlintignore` (read only at the repository root, through confinement) then `excludes`;
  /// patterns over a limit become `input/limit-exceeded` diagnostics, never a silent pass.
  func ignoreRules(diagnostics: inout [Diagnostic]) -> IgnoreRules {
    var rules = IgnoreRules()
    let file = (displayRoot as NSString).appendingPathComponent(Self.ignoreFile)
    if Self.linkStatus(file) != nil {
      if let bytes = readBytes(file) {
        rules.add(String(decoding: bytes, as: UTF8.self), origin: Self.ignoreFile)
      } else {
        diagnostics.append(
          Diagnostic(
            code: "usage/unreadable-ignore-file",
            message: "cannot read \(Self.ignoreFile) at the repository root; nothing was excluded by it",
            help: "make it a regular file inside the repository", path: Self.ignoreFile))
      }
    }
    for pattern in excludes { rules.add(pattern, origin: "--exclude \(pattern)", numbered: false) }
    for problem in rules.problems {
      diagnostics.append(
        Diagnostic(
          code: "input/limit-exceeded", message: problem,
          help: "shorten the pattern or use fewer, broader patterns", path: Self.ignoreFile))
    }
    return rules
  }

  /// Paths with the quoted globs among them (`'campaigns/**/*.html'`, which the shell left alone)
  /// replaced by the files they match, sorted, as if each were named. A glob is read in gitignore
  /// syntax, relative to the working directory, and matches only inside the repository root; it is
  /// expanded only when no file has that literal name. One matching nothing is a usage diagnostic.
  func expandGlobs(
    _ paths: [String], confinement: PathConfinement, visited: Set<FileIdentity>, result: inout Discovery
  ) -> [String] {
    var expanded: [String] = []
    for path in paths {
      let absolute = absolutePath(path)
      guard path.contains(where: { "*?[".contains($0) }), Self.linkStatus(absolute) == nil,
        let relative = rootRelative(absolute)
      else {
        expanded.append(path)
        continue
      }
      // Walk from the deepest folder before the first wildcard, then keep what the pattern matches.
      let parts = relative.split(separator: "/", omittingEmptySubsequences: true)
      let fixed = parts.prefix { !$0.contains(where: { "*?[".contains($0) }) }
      let base =
        fixed.isEmpty
        ? displayRoot : (displayRoot as NSString).appendingPathComponent(fixed.joined(separator: "/"))
      var rules = IgnoreRules()
      rules.add("/" + relative, origin: path, numbered: false)
      var files: [String] = []
      var seen = visited
      var skipped: [SkippedPath] = []
      var refused: [DraftSource] = []
      if Self.isFolder(base) {
        walk(
          base, isRoot: true, confinement: confinement, ignore: IgnoreRules(), visited: &seen, files: &files,
          skipped: &skipped, refused: &refused)
      }
      let matched = files.filter { file in
        rootRelative(file).map { rules.exclusionWithAncestors($0, isFolder: false) != nil } ?? false
      }
      if matched.isEmpty {
        result.diagnostics.append(
          Diagnostic(
            code: "usage/no-such-path", message: "no file matches the pattern \(path)",
            help:
              "patterns are gitignore-style and relative to the current folder, e.g. 'campaigns/**/*.html'",
            path: path))
      }
      expanded += matched.sorted()
    }
    return expanded
  }

  /// `absolute` relative to the repository root, or nil outside it (ignore patterns do not apply).
  func rootRelative(_ absolute: String) -> String? {
    let shown = displayPath(absolute)
    return shown.hasPrefix("/") || shown == absolute ? nil : shown
  }

  static func isFolder(_ path: String) -> Bool {
    status(path).map { ($0.st_mode & S_IFMT) == S_IFDIR } ?? false
  }

  /// Policy file names: naming one lints the drafts under its folder.
  static let policyFiles: Set<String> = [".sendlint.yaml", ".sendlint.yml"]

  /// Why a file a commit changed is not linted in `--from-hook` mode, or nil: sendlint's own files
  /// (tests, baselines), and files in a folder at or below the root holding policy-test fixtures,
  /// which are broken on purpose and checked by `sendlint policy test`.
  func hookSkipReason(_ absolute: String) -> String? {
    let name = (absolute as NSString).lastPathComponent
    if Self.ownFiles.contains(name) { return "sendlint's own file, not a draft" }
    var directory = (absolute as NSString).deletingLastPathComponent
    while PathConfinement.isInside(directory, displayRoot) {
      if FileManager.default.fileExists(
        atPath: (directory as NSString).appendingPathComponent(Self.policyTestsFile))
      {
        return
          "in \(displayPath(directory))/, which holds policy-test fixtures (\(Self.policyTestsFile)); run `sendlint policy test`"
      }
      if directory == displayRoot || directory == "/" { break }
      directory = (directory as NSString).deletingLastPathComponent
    }
    return nil
  }

  /// A folder with this file holds policy-test fixtures: walking a tree skips it (name it on the
  /// command line, or run `sendlint policy test`).
  public static let policyTestsFile = "sendlint-tests.yaml"

  /// A real file or folder, as the kernel identifies it.
  struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64
    init(_ status: stat) {
      device = UInt64(status.st_dev)
      inode = UInt64(status.st_ino)
    }
  }

  static func linkStatus(_ path: String) -> stat? {
    var status = stat()
    return lstat(path, &status) == 0 ? status : nil
  }

  static func status(_ path: String) -> stat? {
    var status = stat()
    return stat(path, &status) == 0 ? status : nil
  }

  private func walk(
    _ directory: String, isRoot: Bool, confinement: PathConfinement, ignore: IgnoreRules,
    visited: inout Set<FileIdentity>,
    files: inout [String], skipped: inout [SkippedPath], refused: inout [DraftSource]
  ) {
    // Each real folder once: two `-> .` links would otherwise give 2^depth paths.
    guard let own = Self.status(directory), visited.insert(FileIdentity(own)).inserted else {
      skipped.append(
        SkippedPath(
          path: displayPath(directory), reason: "already searched (a link to a folder visited before)",
          isFolder: true))
      return
    }
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      skipped.append(
        SkippedPath(path: displayPath(directory), reason: "cannot list this folder", isFolder: true))
      return
    }
    if !isRoot, entries.contains(Self.policyTestsFile) {
      skipped.append(
        SkippedPath(
          path: displayPath(directory),
          reason: "holds policy-test fixtures (\(Self.policyTestsFile)); run `sendlint policy test`",
          isFolder: true))
      return
    }
    for entry in entries.sorted() {
      let path = (directory as NSString).appendingPathComponent(entry)
      if Self.skippedFolders.contains(entry) {
        skipped.append(
          SkippedPath(path: displayPath(path), reason: "never searched (\(entry))", isFolder: true))
        continue
      }
      guard var status = Self.linkStatus(path) else { continue }  // removed while walking
      if !ignore.isEmpty, let relative = rootRelative(path) {
        let isFolder = Self.isFolder(path)
        if let reason = ignore.exclusion(relative, isFolder: isFolder) {
          skipped.append(SkippedPath(path: relative, reason: reason, isFolder: isFolder))
          continue
        }
      }
      if (status.st_mode & S_IFMT) == S_IFLNK {
        switch confinement.check(path) {
        case .failure(let refusal):
          // Refused as a draft of its own, so the run reports it as a finding, located at the link.
          refused.append(
            .refused(
              path: path, reason: "the link " + refusal.message(displayPath(path), root: confinement.root)))
          continue
        case .success:
          guard let followed = Self.status(path) else { continue }  // check resolved it just now
          status = followed
        }
      }
      switch status.st_mode & S_IFMT {
      case S_IFDIR:
        if entry.hasPrefix(".") {
          skipped.append(SkippedPath(path: displayPath(path), reason: "hidden folder", isFolder: true))
          continue
        }
        walk(
          path, isRoot: false, confinement: confinement, ignore: ignore, visited: &visited, files: &files,
          skipped: &skipped, refused: &refused)
      case S_IFREG:
        files.append(path)
      default:
        let lowered = entry.lowercased()
        if Self.isManifest(lowered) || [".eml", ".html", ".htm", ".txt"].contains(where: lowered.hasSuffix) {
          // Named like a draft: loading refuses it with a finding that says what it is.
          files.append(path)
        } else {
          skipped.append(
            SkippedPath(
              path: displayPath(path), reason: "\(SourceFile.fileKind(status.st_mode)), not a regular file"))
        }
      }
    }
  }

  /// Nil when a file found in a walk without a draft extension should be linted as a message,
  /// else why it is skipped. Only `.msg`, `.raw`, extensionless files and files in maildir
  /// `cur/`/`new/` folders are looked at, and only their first `sniffBytes`.
  func sniff(_ path: String) -> String? {
    let name = (path as NSString).lastPathComponent.lowercased()
    let folder = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
    let inMaildir = folder == "cur" || folder == "new"
    let candidate = inMaildir || name.hasSuffix(".msg") || name.hasSuffix(".raw") || !name.contains(".")
    guard candidate else {
      return "not a draft (drafts are .eml, *.campaign.yaml, campaign.yaml, .html, .htm, .txt)"
    }
    guard let head = headBytes(path) else { return "cannot be read" }
    return Self.startsWithHeaderField(Array(Self.afterEnvelopeLine(head)))
      ? nil : "does not start with a mail header field, so it is not read as a message"
  }

  /// `bytes` after an mbox envelope line (`From addr date`, RFC 4155), when it starts with one; the
  /// MIME reader skips that line itself, so offsets and line numbers stay those of the file.
  static func afterEnvelopeLine(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
    guard bytes.starts(with: Array("From ".utf8)), let newline = bytes.firstIndex(of: 0x0A) else {
      return bytes[...]
    }
    return bytes[(newline + 1)...]
  }

  /// Trace and origin fields: a text template never starts with these, a received message does.
  static let messageFields: Set<String> = [
    "received", "return-path", "delivered-to", "message-id", "x-original-to",
  ]

  /// Whether a `.txt` file is a saved message rather than a text template. Conservative: every line
  /// up to the first empty one (within the sniffed bytes) is a header field or its continuation,
  /// there are at least three fields, and one is a trace or origin field (`Received`,
  /// `Return-Path`, `Delivered-To`, `Message-ID`, `X-Original-To`), or the file starts with an mbox
  /// envelope line. A template that begins `Subject: …` or `To: …` stays a template.
  static func isMessage(_ head: [UInt8]) -> Bool {
    let envelope = head.starts(with: Array("From ".utf8))
    let rest = afterEnvelopeLine(head)
    guard startsWithHeaderField(Array(rest)) else { return false }
    var fields = 0
    var traced = envelope
    var lines = rest.split(separator: 0x0A, omittingEmptySubsequences: false)
    if rest.last != 0x0A, lines.count > 1 { lines.removeLast() }  // cut off by the sniff window
    for line in lines {
      let trimmed = line.last == 0x0D ? line.dropLast() : line
      if trimmed.isEmpty { break }
      if trimmed.first == 0x20 || trimmed.first == 0x09 { continue }  // a folded continuation
      guard let colon = trimmed.firstIndex(of: UInt8(ascii: ":")), colon > trimmed.startIndex,
        trimmed[trimmed.startIndex..<colon].allSatisfy({ (33...126).contains($0) })
      else { return false }
      fields += 1
      if messageFields.contains(
        String(decoding: trimmed[trimmed.startIndex..<colon], as: UTF8.self).lowercased())
      {
        traced = true
      }
    }
    return fields >= 3 && traced
  }

  func headBytes(_ path: String) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
    var buffer = [UInt8](repeating: 0, count: Self.sniffBytes)
    let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, Self.sniffBytes) }
    return got < 0 ? nil : Array(buffer.prefix(got))
  }

  /// RFC 5322 §2.2: a field name is printable ASCII except colon, followed by a colon. Outlook's
  /// binary `.msg` (an OLE compound file) fails this at its first byte.
  static func startsWithHeaderField(_ bytes: [UInt8]) -> Bool {
    var index = 0
    while index < bytes.count, (33...126).contains(bytes[index]), bytes[index] != UInt8(ascii: ":") {
      index += 1
    }
    return index > 0 && index < bytes.count && bytes[index] == UInt8(ascii: ":")
  }

  /// Reads a file into one byte array, refusing files over the size limit.
  func readBytes(_ path: String) -> [UInt8]? {
    try? confinement.read(path, maximumBytes: Self.maximumFileBytes).get().bytes
  }

  /// Reads a draft. Problems with the draft itself are findings in the inventory; problems with the
  /// manifest (sendlint's own input format) are diagnostics.
  public func load(_ source: DraftSource) -> (inventory: Inventory?, diagnostics: [Diagnostic]) {
    let display = displayPath(source.path)
    func unreadable(_ message: String, help: String?) -> (inventory: Inventory?, diagnostics: [Diagnostic]) {
      let file = SourceFile(path: display, bytes: [])
      var inventory = Inventory(draftPath: display, kind: .template, draftFile: file)
      inventory.problems.append(
        InputProblem(code: "input/unparseable", message: message, range: nil, help: help))
      return (inventory, [])
    }
    if case .refused(let path, let reason) = source {
      // Refused at discovery, which kept only the sentence; asked again (a check, no read) for how
      // to fix it.
      guard case .failure(let refusal) = confinement.check(path) else { return unreadable(reason, help: nil) }
      return unreadable(reason, help: refusal.help)
    }
    let bytes: [UInt8]
    switch confinement.read(source.path, maximumBytes: Self.maximumFileBytes) {
    case .success(let read): bytes = read.bytes
    case .failure(let refusal):
      return unreadable(refusal.message(display, root: confinement.root), help: refusal.help)
    }
    let file = SourceFile(path: display, bytes: bytes)
    switch source {
    case .eml:
      return (InventoryReader.eml(file, finder: finder), [])
    case .template(_, let isHTML):
      return (InventoryReader.template(file, isHTML: isHTML, finder: finder), [])
    case .refused: return unreadable("", help: nil)  // returned above
    case .campaign(let manifestPath):
      // Every manifest problem in one run: the templates are looked for even when the manifest
      // has other errors, so fixing one does not reveal the next.
      let (manifest, diagnostics) = CampaignManifest.read(file)
      guard let manifest else { return (nil, diagnostics) }
      let directory = (manifestPath as NSString).deletingLastPathComponent
      var problems: [Diagnostic] = []
      func template(_ reference: Located<String>?) -> SourceFile? {
        guard let reference else { return nil }
        let position = reference.range.startPosition
        // Templates are relative to the manifest by definition: an absolute path is refused
        // outright, a relative one must stay inside what the confinement allows.
        if reference.value.hasPrefix("/") {
          problems.append(
            Diagnostic(
              code: "manifest/refused-template",
              message: "template \"\(reference.value)\" is an absolute path; it was not read",
              help: "write template paths relative to the manifest, inside the repository", path: display,
              position: position, sourceLine: file.lineText(position.line)))
          return nil
        }
        let path = URL(
          fileURLWithPath: reference.value, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)
        ).standardizedFileURL.path
        switch confinement.read(path, maximumBytes: Self.maximumFileBytes) {
        case .success(let read): return SourceFile(path: displayPath(path), bytes: read.bytes)
        case .failure(.missing):
          problems.append(
            Diagnostic(
              code: "manifest/missing-template",
              message: "template \"\(reference.value)\" not found (looked for \(displayPath(path)))",
              help: "template paths are relative to the manifest", path: display, position: position,
              sourceLine: file.lineText(position.line)))
        case .failure(let refusal):
          problems.append(
            Diagnostic(
              code: "manifest/refused-template",
              message: "template " + refusal.message("\"\(reference.value)\"", root: confinement.root),
              help: refusal.help, path: display, position: position, sourceLine: file.lineText(position.line))
          )
        }
        return nil
      }
      let html = template(manifest.html)
      let text = template(manifest.text)
      guard problems.isEmpty, diagnostics.isEmpty else { return (nil, diagnostics + problems) }
      return (InventoryReader.campaign(manifest, html: html, text: text, finder: finder), [])
    }
  }
}
