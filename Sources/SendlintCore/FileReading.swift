#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension SourceFile {
  /// A file's bytes read straight into one array (no intermediate `Data`), or nil when it cannot
  /// be opened or read, is not a regular file, or is larger than `maximumBytes`.
  public static func readBytes(atPath path: String, maximumBytes: Int) -> [UInt8]? {
    try? read(atPath: path, maximumBytes: maximumBytes).get()
  }

  /// A regular file's bytes, or why they were not read.
  ///
  /// Opens with `O_NONBLOCK`, so a FIFO named like a draft cannot block `open()` forever, then
  /// checks with `fstat` on the open descriptor (no race with a rename) that it is a regular file
  /// before reading a byte. With `followLinks: false` a link in the last component is refused
  /// (`O_NOFOLLOW`): callers pass a real path, so a link there means it was swapped in meanwhile.
  public static func read(atPath path: String, maximumBytes: Int, followLinks: Bool = true)
    -> Result<[UInt8], PathConfinement.Refusal>
  {
    let flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW)
    let descriptor = open(path, flags)
    guard descriptor >= 0 else {
      let code = errno
      if code == ENOENT { return .failure(.missing) }
      if code == ELOOP { return .failure(.notRegular(kind: "a symbolic link")) }
      return .failure(.unreadable(reason: String(cString: strerror(code))))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      return .failure(.unreadable(reason: String(cString: strerror(errno))))
    }
    guard (status.st_mode & S_IFMT) == S_IFREG else {
      return .failure(.notRegular(kind: fileKind(status.st_mode)))
    }
    let size = Int(status.st_size)
    guard size <= maximumBytes else { return .failure(.tooLarge(size: size, limit: maximumBytes)) }
    var failure: Int32?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      count = 0
      guard let base = buffer.baseAddress else { return }  // nil only for an empty file
      while count < size {
        let got = readDescriptor(descriptor, base + count, size - count)
        if got < 0 {
          if errno == EINTR { continue }
          failure = errno
          break
        }
        if got == 0 { break }
        count += got
      }
    }
    if let failure { return .failure(.unreadable(reason: String(cString: strerror(failure)))) }
    return .success(bytes)
  }

  /// A file type in words, for messages.
  public static func fileKind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: "a named pipe (FIFO)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    case S_IFDIR: "a folder"
    case S_IFLNK: "a symbolic link"
    default: "not a regular file"
    }
  }
}

/// `read(2)` under a name that the static `SourceFile.read` does not shadow.
private func readDescriptor(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}
