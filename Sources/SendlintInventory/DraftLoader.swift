import Foundation
import SendlintCore
import SendlintURL

/// A draft found on disk, before it is read.
public enum DraftSource: Sendable, Hashable {
  case eml(path: String)
  case campaign(manifestPath: String)
  case template(path: String, isHTML: Bool)

  /// The absolute path of the file that stands for the draft.
  public var path: String {
    switch self {
    case .eml(let path), .campaign(let path), .template(let path, _): path
    }
  }
}

/// Finds drafts under paths and reads them into inventories.
public struct DraftLoader: Sendable {
  /// Folders never descended into.
  public static let skippedFolders: Set<String> = [".git", ".build", "node_modules", ".svn", ".hg"]
  /// Files larger than this are not read (a finding says so).
  public static let maximumFileBytes = 64 * 1024 * 1024

  public let workingDirectory: String
  public let finder: TextURLFinder

  public init(workingDirectory: String = FileManager.default.currentDirectoryPath, finder: TextURLFinder = TextURLFinder()) {
    self.workingDirectory = URL(fileURLWithPath: workingDirectory).standardizedFileURL.path
    self.finder = finder
  }

  /// A path as shown to users: relative to the working directory when inside it.
  public func displayPath(_ absolute: String) -> String {
    let prefix = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
    return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
  }

  public func absolutePath(_ path: String) -> String {
    URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: workingDirectory, isDirectory: true)).standardizedFileURL.path
  }

  static func isManifest(_ name: String) -> Bool {
    name == "campaign.yaml" || name == "campaign.yml" || name.hasSuffix(".campaign.yaml") || name.hasSuffix(".campaign.yml")
  }

  /// Walks `paths` (files and folders, recursively) in a stable order. Templates a manifest uses
  /// are part of that campaign, not drafts of their own.
  public func discover(_ paths: [String]) -> (drafts: [DraftSource], diagnostics: [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    var manifests: [String] = []
    var emls: [String] = []
    var templates: [(String, Bool)] = []
    var explicitTemplates: Set<String> = []
    let fileManager = FileManager.default
    for path in paths {
      let absolute = absolutePath(path)
      var isDirectory: ObjCBool = false
      guard fileManager.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
        diagnostics.append(Diagnostic(code: "usage/no-such-path", message: "no such file or folder: \(path)", help: "give files or folders holding drafts (.eml, *.campaign.yaml, .html, .txt)", path: path))
        continue
      }
      var files: [String] = []
      if isDirectory.boolValue {
        files = walk(absolute)
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
          if !isDirectory.boolValue { explicitTemplates.insert(file) }
        } else if lowered.hasSuffix(".txt") {
          templates.append((file, false))
          if !isDirectory.boolValue { explicitTemplates.insert(file) }
        } else if !isDirectory.boolValue {
          // A file named on the command line with another extension: read it as a message.
          emls.append(file)
        }
      }
    }
    // Templates referenced by a manifest belong to the campaign.
    var used: Set<String> = []
    for manifest in manifests {
      let directory = (manifest as NSString).deletingLastPathComponent
      if let parsed = CampaignManifest.read(SourceFile(path: manifest, bytes: readBytes(manifest) ?? [])).0 {
        for template in [parsed.html?.value, parsed.text?.value].compactMap({ $0 }) {
          used.insert(URL(fileURLWithPath: template, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path)
        }
      }
    }
    var drafts: [DraftSource] = []
    var seen: Set<String> = []
    for manifest in manifests where seen.insert(manifest).inserted { drafts.append(.campaign(manifestPath: manifest)) }
    for eml in emls where seen.insert(eml).inserted { drafts.append(.eml(path: eml)) }
    for (template, isHTML) in templates where (!used.contains(template) || explicitTemplates.contains(template)) && seen.insert(template).inserted {
      drafts.append(.template(path: template, isHTML: isHTML))
    }
    drafts.sort { $0.path < $1.path }
    return (drafts, diagnostics)
  }

  /// A folder with this file holds policy-test fixtures: walking a tree skips it (name it on the
  /// command line, or run `sendlint policy test`).
  public static let policyTestsFile = "sendlint-tests.yaml"

  private func walk(_ directory: String, isRoot: Bool = true) -> [String] {
    var result: [String] = []
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
    if !isRoot, entries.contains(Self.policyTestsFile) { return [] }
    for entry in entries.sorted() {
      if Self.skippedFolders.contains(entry) { continue }
      let path = (directory as NSString).appendingPathComponent(entry)
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
      if isDirectory.boolValue {
        if entry.hasPrefix(".") { continue }
        result += walk(path, isRoot: false)
      } else {
        result.append(path)
      }
    }
    return result
  }

  /// Reads a file into one byte array, refusing files over the size limit.
  func readBytes(_ path: String) -> [UInt8]? {
    SourceFile.readBytes(atPath: path, maximumBytes: Self.maximumFileBytes)
  }

  /// Reads a draft. Problems with the draft itself are findings in the inventory; problems with the
  /// manifest (sendlint's own input format) are diagnostics.
  public func load(_ source: DraftSource) -> (inventory: Inventory?, diagnostics: [Diagnostic]) {
    let display = displayPath(source.path)
    guard let bytes = readBytes(source.path) else {
      let file = SourceFile(path: display, bytes: [])
      var inventory = Inventory(draftPath: display, kind: .template, draftFile: file)
      inventory.problems.append(InputProblem(code: "input/unparseable", message: "cannot read \(display): unreadable or larger than \(Self.maximumFileBytes / 1024 / 1024) MiB", range: nil))
      return (inventory, [])
    }
    let file = SourceFile(path: display, bytes: bytes)
    switch source {
    case .eml:
      return (InventoryReader.eml(file, finder: finder), [])
    case .template(_, let isHTML):
      return (InventoryReader.template(file, isHTML: isHTML, finder: finder), [])
    case .campaign(let manifestPath):
      let (manifest, diagnostics) = CampaignManifest.read(file)
      guard let manifest, diagnostics.isEmpty else { return (nil, diagnostics) }
      let directory = (manifestPath as NSString).deletingLastPathComponent
      var problems: [Diagnostic] = []
      func template(_ reference: Located<String>?) -> SourceFile? {
        guard let reference else { return nil }
        let path = URL(fileURLWithPath: reference.value, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
        guard let bytes = readBytes(path) else {
          let position = reference.range.startPosition
          problems.append(Diagnostic(code: "manifest/missing-template", message: "template \"\(reference.value)\" not found (looked for \(displayPath(path)))", help: "template paths are relative to the manifest", path: display, position: position, sourceLine: file.lineText(position.line)))
          return nil
        }
        return SourceFile(path: displayPath(path), bytes: bytes)
      }
      let html = template(manifest.html)
      let text = template(manifest.text)
      guard problems.isEmpty else { return (nil, problems) }
      return (InventoryReader.campaign(manifest, html: html, text: text, finder: finder), [])
    }
  }
}
