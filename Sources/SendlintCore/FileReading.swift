#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension SourceFile {
  /// A file's bytes read straight into one array (no intermediate `Data`), or nil when it cannot
  /// be opened or read, is not a regular file, or is larger than `maximumBytes`.
  public static func readBytes(atPath path: String, maximumBytes: Int) -> [UInt8]? {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
    let size = Int(status.st_size)
    guard size <= maximumBytes else { return nil }
    var failed = false
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
      count = 0
      guard let base = buffer.baseAddress else { return }  // nil only for an empty file
      while count < size {
        let got = read(descriptor, base + count, size - count)
        if got < 0 {
          failed = true
          break
        }
        if got == 0 { break }
        count += got
      }
    }
    return failed ? nil : bytes
  }
}
