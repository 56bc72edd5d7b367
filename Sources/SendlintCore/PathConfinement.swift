#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Which files sendlint may read: the repository root and the trees of paths the user named.
///
/// Drafts and policies come from strangers (pull requests, a vendor's upload), so a path written
/// *in* a file (`extends:`, a manifest's template, a symbolic link) must never reach what the user
/// did not point at: `/proc/self/environ` holds CI secrets, `.git/config` holds checkout tokens.
/// A path is allowed when its real path (every link resolved) lies inside one of `trees`, is not
/// under `/proc`, `/dev` or `/sys`, and passes through no `.git` folder.
public struct PathConfinement: Sendable, Hashable {
  /// Trees never read, whatever the user names: kernel and device files, which block, never end, or
  /// print secrets.
  public static let systemTrees = ["/proc", "/dev", "/sys"]

  /// The repository root: the nearest folder at or above the working directory holding `.git` (a
  /// folder, or a file in a worktree), else the working directory. A real path.
  public let root: String
  /// Real paths of the folders whose contents may be read: `root`, then the tree of each path named
  /// outside it.
  public let trees: [String]

  /// The confinement for a run in `workingDirectory` whose command line names `explicitPaths`
  /// (drafts, `--policy`; relative to the working directory).
  ///
  /// A named path outside the root adds its own tree: the repository holding it, else its folder
  /// (a named file) or itself (a named folder). A named path *inside* the root adds nothing, even
  /// when it is a link pointing out: the link is the repository's content, not the user's choice.
  public init(workingDirectory: String, explicitPaths: [String] = []) {
    let directory = Self.realPath(workingDirectory) ?? Self.normalise(workingDirectory)
    let root = Self.repositoryRoot(containing: directory) ?? directory
    var trees = [root]
    for path in explicitPaths {
      let absolute = Self.absolute(path, in: directory)
      if Self.isInside(absolute, root) || Self.isSystemPath(absolute) { continue }
      guard let real = Self.realPath(absolute), !Self.isSystemPath(real) else { continue }
      let folder = Self.isDirectory(real) ? real : Self.parent(real)
      let tree = Self.repositoryRoot(containing: folder) ?? folder
      if !trees.contains(where: { Self.isInside(tree, $0) }) { trees.append(tree) }
    }
    self.root = root
    self.trees = trees
  }

  /// Why a path may not be read. Every case names paths only, never content.
  public enum Refusal: Sendable, Hashable, Error {
    /// Nothing at the path (or a dangling link).
    case missing
    /// Under `/proc`, `/dev` or `/sys`.
    case systemPath(String)
    /// The real path lies outside every allowed tree.
    case outside(realPath: String)
    /// The real path passes through a `.git` folder.
    case versionControl(realPath: String)
    /// Not a regular file: a FIFO, device, socket or folder (the kind, in words).
    case notRegular(kind: String)
    /// Larger than the limit.
    case tooLarge(size: Int, limit: Int)
    /// `open` or `read` failed.
    case unreadable(reason: String)

    /// A sentence about `shown` (the path as written or displayed) saying why it was not read.
    public func message(_ shown: String, root: String) -> String {
      switch self {
      case .missing: "no such file \(shown)"
      case .systemPath(let path):
        "\(shown) is a system file (\(path)); sendlint never reads /proc, /dev or /sys"
      case .outside(let real):
        "\(shown) resolves to \(real), outside the repository root \(root); it was not read"
      case .versionControl(let real): "\(shown) resolves to \(real), inside a .git folder; it was not read"
      case .notRegular(let kind): "\(shown) is \(kind), not a regular file; it was not read"
      case .tooLarge(let size, let limit):
        "\(shown) is \(size) bytes, more than the limit of \(limit); it was not read"
      case .unreadable(let reason): "cannot read \(shown): \(reason)"
      }
    }

    /// True when the file exists but is over a size limit (an `…/limit-exceeded` diagnostic).
    public var isLimit: Bool {
      if case .tooLarge = self { return true }
      return false
    }

    /// How to fix it.
    public var help: String {
      switch self {
      case .missing: "check the path"
      case .systemPath, .outside, .versionControl:
        "sendlint reads only files inside the repository root (links may not point out of it); name a file outside it on the command line to lint it"
      case .notRegular: "replace it with a regular file"
      case .tooLarge: "split the file or remove what is not needed"
      case .unreadable: "check the file's permissions"
      }
    }
  }

  /// The real path of `absolutePath` when it may be read, or why not. Does not open the file.
  public func check(_ absolutePath: String) -> Result<String, Refusal> {
    if Self.isSystemPath(absolutePath) { return .failure(.systemPath(absolutePath)) }
    guard let real = Self.realPath(absolutePath) else { return .failure(.missing) }
    if Self.isSystemPath(real) { return .failure(.systemPath(real)) }
    guard let tree = trees.first(where: { Self.isInside(real, $0) }) else {
      return .failure(.outside(realPath: real))
    }
    if real.dropFirst(tree.count).split(separator: "/").contains(".git") {
      return .failure(.versionControl(realPath: real))
    }
    return .success(real)
  }

  /// Reads a regular file that `check` allows, without following links (the real path has none),
  /// without blocking (FIFOs), and refusing files over `maximumBytes`.
  public func read(_ absolutePath: String, maximumBytes: Int) -> Result<
    (bytes: [UInt8], realPath: String), Refusal
  > {
    switch check(absolutePath) {
    case .failure(let refusal): return .failure(refusal)
    case .success(let real):
      return SourceFile.read(atPath: real, maximumBytes: maximumBytes, followLinks: false).map { ($0, real) }
    }
  }

  /// True when `path` is `tree` or below it (both absolute and normalised).
  public static func isInside(_ path: String, _ tree: String) -> Bool {
    if tree == "/" { return path.hasPrefix("/") }
    return path == tree || path.hasPrefix(tree + "/")
  }

  /// True for `/proc`, `/dev`, `/sys` and anything below them.
  public static func isSystemPath(_ path: String) -> Bool {
    systemTrees.contains { isInside(path, $0) }
  }

  /// The nearest folder at or above `directory` (a real path) holding a `.git` entry. Looks with
  /// `lstat`, never by running `git`: a worktree's `.git` is a file.
  public static func repositoryRoot(containing directory: String) -> String? {
    var current = directory
    while true {
      var status = stat()
      if lstat(current == "/" ? "/.git" : current + "/.git", &status) == 0 { return current }
      if current == "/" { return nil }
      current = parent(current)
    }
  }

  /// The path with every link resolved, or nil when it does not exist.
  public static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// `path` made absolute against `directory`, with `.`, `..` and repeated slashes removed
  /// lexically (links are left to `realPath`).
  public static func absolute(_ path: String, in directory: String) -> String {
    normalise(path.hasPrefix("/") ? path : directory + "/" + path)
  }

  static func normalise(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.splitASCII(separator: UInt8(ascii: "/")) {
      if part == "." { continue }
      if part == ".." {
        _ = parts.popLast()
        continue
      }
      parts.append(part)
    }
    return "/" + parts.joined(separator: "/")
  }

  static func parent(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }

  static func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }
}
