/// File names in a ZIP archive, without extracting anything (PKWARE APPNOTE 6.3.10).
///
/// The central directory is found through the end-of-central-directory record (§4.3.16) or, when
/// that record's fields are saturated (0xFFFF, 0xFFFFFFFF), through the ZIP64 locator (§4.3.15) and
/// ZIP64 end record (§4.3.14). When the directory cannot be read (an offset past the file, a
/// missing record, a truncated entry), the local file headers (§4.3.7) are scanned instead, so a
/// hostile archive cannot hide its names by breaking its directory. O(n) in the archive size;
/// at most `maximumEntries` names.
public enum ZipDirectory {
  /// Names read from one archive; past it, the listing stops and says so.
  public static let maximumEntries = 1_000

  /// What could be read of one archive.
  public struct Listing: Sendable, Equatable {
    /// Entry names, in directory order (or file order when read from local headers).
    public var names: [String] = []
    /// True when `maximumEntries` stopped the listing.
    public var truncated = false
    /// Why some names could not be read, for an input finding; empty when all were read.
    public var problems: [String] = []
  }

  /// The names only (see `read` for what could not be read).
  public static func names(in bytes: [UInt8]) -> [String] { read(bytes).names }

  public static func read(_ bytes: [UInt8], maximumEntries: Int = maximumEntries) -> Listing {
    func u16(_ at: Int) -> Int {
      at >= 0 && at + 1 < bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : 0
    }
    func u32(_ at: Int) -> Int { at >= 0 && at + 3 < bytes.count ? u16(at) | u16(at + 2) << 16 : 0 }
    func u64(_ at: Int) -> UInt64 {
      at >= 0 && at + 7 < bytes.count ? UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 : UInt64.max
    }
    var listing = Listing()
    guard let end = endRecord(bytes) else {
      listing = localHeaderNames(bytes, maximumEntries: maximumEntries)
      if listing.names.isEmpty, !listing.truncated {
        listing.problems.append("it has no end-of-central-directory record and no local file header")
      }
      return listing
    }
    var declared = u16(end + 10)
    var offset = u32(end + 16)
    // ZIP64: the locator sits just before the end record and points at the ZIP64 end record.
    if end >= 20, u32(end - 20) == 0x0706_4B50 {
      let record = u64(end - 12)
      if bytes.count >= 56, record <= UInt64(bytes.count - 56), u32(Int(record)) == 0x0606_4B50 {
        let entries = u64(Int(record) + 32)
        let directory = u64(Int(record) + 48)
        // Both fit in Int: they were compared with the archive's size first.
        declared = entries < UInt64(maximumEntries + 1) ? Int(entries) : maximumEntries + 1
        offset = directory < UInt64(bytes.count) ? Int(directory) : bytes.count
      } else {
        listing.problems.append("its ZIP64 end-of-central-directory locator points to no ZIP64 record")
      }
    }
    var entriesRead = 0
    var directoryBroken = false
    while entriesRead < declared {
      guard offset + 46 <= bytes.count, u32(offset) == 0x0201_4B50 else {
        directoryBroken = true
        break
      }
      if listing.names.count == maximumEntries {
        listing.truncated = true
        break
      }
      let nameLength = u16(offset + 28)
      let extraLength = u16(offset + 30)
      let commentLength = u16(offset + 32)
      guard offset + 46 + nameLength <= bytes.count else {
        directoryBroken = true
        break
      }
      listing.names.append(String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self))
      entriesRead += 1
      offset += 46 + nameLength + extraLength + commentLength
    }
    // The local headers are read too: when the directory is broken they still carry every name,
    // and an archive whose directory and local headers disagree shows each extractor other names.
    let local = localHeaderNames(bytes, maximumEntries: maximumEntries)
    var seen = Set(listing.names)
    for name in local.names where seen.insert(name).inserted {
      guard listing.names.count < maximumEntries else {
        listing.truncated = true
        break
      }
      listing.names.append(name)
    }
    listing.truncated = listing.truncated || local.truncated
    if directoryBroken {
      listing.problems.append(
        "its central directory lists \(declared) entries but only \(entriesRead) could be read; names were taken from the local file headers"
      )
      listing.problems += local.problems
    }
    return listing
  }

  /// Offset of the end-of-central-directory record: within the last 64 KiB + 22 bytes, since its
  /// comment is at most 65,535 bytes.
  static func endRecord(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 22 else { return nil }
    var index = bytes.count - 22
    let floor = max(0, bytes.count - 65_557)
    while index >= floor {
      if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x05, bytes[index + 3] == 0x06 {
        return index
      }
      index -= 1
    }
    return nil
  }

  /// Names from local file headers, for archives whose directory is missing or broken. Every
  /// "PK\u{3}\u{4}" is a candidate header; after one, the scan skips the entry's data when its
  /// compressed size is known and inside the file (a stored inner archive is then not mistaken
  /// for entries), else just the header. O(n).
  static func localHeaderNames(_ bytes: [UInt8], maximumEntries: Int) -> Listing {
    var listing = Listing()
    var index = 0
    while index + 30 <= bytes.count {
      guard bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x03, bytes[index + 3] == 0x04
      else {
        index += 1
        continue
      }
      let nameLength = Int(bytes[index + 26]) | Int(bytes[index + 27]) << 8
      let extraLength = Int(bytes[index + 28]) | Int(bytes[index + 29]) << 8
      let compressed =
        Int(bytes[index + 18]) | Int(bytes[index + 19]) << 8 | Int(bytes[index + 20]) << 16 | Int(
          bytes[index + 21]) << 24
      guard index + 30 + nameLength <= bytes.count else {
        listing.problems.append("an entry's name (\(nameLength) bytes) runs past the end of the archive")
        break
      }
      if listing.names.count == maximumEntries {
        listing.truncated = true
        break
      }
      listing.names.append(String(decoding: bytes[(index + 30)..<(index + 30 + nameLength)], as: UTF8.self))
      let header = 30 + nameLength + extraLength
      let skip =
        compressed != 0xFFFF_FFFF && index + header + compressed <= bytes.count
        ? header + compressed : 30 + nameLength
      index += skip
    }
    return listing
  }
}
