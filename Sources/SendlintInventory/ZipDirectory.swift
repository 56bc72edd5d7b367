/// File names in a ZIP archive, from its central directory (PKWARE APPNOTE §4.3.12), without
/// extracting anything. Bounded: at most `maximumEntries` names, and a corrupt directory yields
/// what was read before the corruption.
public enum ZipDirectory {
  public static let maximumEntries = 10_000

  public static func names(in bytes: [UInt8]) -> [String] {
    // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
    guard bytes.count >= 22 else { return [] }
    var end = -1
    var index = bytes.count - 22
    let floor = max(0, bytes.count - 65_557)
    while index >= floor {
      if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x05, bytes[index + 3] == 0x06 {
        end = index
        break
      }
      index -= 1
    }
    guard end >= 0 else { return localHeaderNames(bytes) }
    func u16(_ at: Int) -> Int { at + 1 < bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : 0 }
    func u32(_ at: Int) -> Int { at + 3 < bytes.count ? u16(at) | u16(at + 2) << 16 : 0 }
    let count = min(u16(end + 10), maximumEntries)
    var offset = u32(end + 16)
    var names: [String] = []
    for _ in 0..<count {
      guard offset + 46 <= bytes.count, u32(offset) == 0x0201_4B50 else { break }
      let nameLength = u16(offset + 28)
      let extraLength = u16(offset + 30)
      let commentLength = u16(offset + 32)
      guard offset + 46 + nameLength <= bytes.count else { break }
      names.append(String(decoding: bytes[(offset + 46)..<(offset + 46 + nameLength)], as: UTF8.self))
      offset += 46 + nameLength + extraLength + commentLength
    }
    return names
  }

  /// Names from local file headers, for archives whose directory is missing (truncated mail).
  static func localHeaderNames(_ bytes: [UInt8]) -> [String] {
    var names: [String] = []
    var index = 0
    while index + 30 <= bytes.count, names.count < maximumEntries {
      guard bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 0x03, bytes[index + 3] == 0x04 else { break }
      let nameLength = Int(bytes[index + 26]) | Int(bytes[index + 27]) << 8
      let extraLength = Int(bytes[index + 28]) | Int(bytes[index + 29]) << 8
      let compressed = Int(bytes[index + 18]) | Int(bytes[index + 19]) << 8 | Int(bytes[index + 20]) << 16 | Int(bytes[index + 21]) << 24
      guard index + 30 + nameLength <= bytes.count else { break }
      names.append(String(decoding: bytes[(index + 30)..<(index + 30 + nameLength)], as: UTF8.self))
      index += 30 + nameLength + extraLength + compressed
    }
    return names
  }
}
