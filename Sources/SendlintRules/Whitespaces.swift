import Foundation

extension String {
  /// `trimmingCharacters(in: .whitespaces)`. ASCII text is trimmed on its bytes: the set's only
  /// members below 0x80 are SPACE and TAB. Foundation's search through the Unicode set cost
  /// 20,000–40,000 instructions for a Date or Message-ID field, on every message.
  var trimmingWhitespaces: String {
    let utf8 = self.utf8
    guard utf8.isAllASCII else { return trimmingCharacters(in: .whitespaces) }
    func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    guard let first = utf8.firstIndex(where: { !isBlank($0) }),
      let last = utf8.lastIndex(where: { !isBlank($0) })
    else { return "" }
    return String(self[first...last])
  }
}
