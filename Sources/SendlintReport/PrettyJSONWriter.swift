/// Writes JSON exactly as `JSONEncoder` does with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]` (two-space indents, `"key" : value`, an empty array as `[`, a blank
/// line and `]`), for reports whose encoding showed in profiles: the encoder boxes every value
/// and sorts every object's keys at run time. The caller writes each object's keys in sorted
/// order; `JSONWriterTests` compares the output with the encoder's.
struct PrettyJSONWriter {
  private(set) var bytes: [UInt8] = []
  private var level = 0
  /// Whether the container being written has no member yet.
  private var empty = true

  init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  private mutating func newline() {
    bytes.append(0x0A)
    for _ in 0..<(2 * level) { bytes.append(0x20) }
  }

  private mutating func member() {
    if !empty { bytes.append(UInt8(ascii: ",")) }
    empty = false
    newline()
  }

  mutating func object(_ body: (inout PrettyJSONWriter) -> Void) {
    bytes.append(UInt8(ascii: "{"))
    level += 1
    empty = true
    body(&self)
    level -= 1
    newline()
    bytes.append(UInt8(ascii: "}"))
    empty = false
  }

  mutating func array<Element>(_ elements: [Element], _ write: (inout PrettyJSONWriter, Element) -> Void) {
    bytes.append(UInt8(ascii: "["))
    level += 1
    empty = true
    if elements.isEmpty { bytes.append(0x0A) }
    for element in elements {
      member()
      write(&self, element)
    }
    level -= 1
    newline()
    bytes.append(UInt8(ascii: "]"))
    empty = false
  }

  /// An object member's key and separator; its value is written next.
  mutating func key(_ name: StaticString) {
    member()
    bytes.append(UInt8(ascii: "\""))
    name.withUTF8Buffer { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: [UInt8(ascii: "\""), 0x20, UInt8(ascii: ":"), 0x20])
  }

  mutating func field(_ name: StaticString, _ value: String) {
    key(name)
    string(value)
  }

  mutating func field(_ name: StaticString, _ value: Int) {
    key(name)
    bytes.append(contentsOf: String(value).utf8)
  }

  /// Absent values are left out, as the synthesized `Encodable` does (`encodeIfPresent`).
  mutating func field(_ name: StaticString, _ value: String?) {
    if let value { field(name, value) }
  }

  mutating func field(_ name: StaticString, _ value: Int?) {
    if let value { field(name, value) }
  }

  static let hex = Array("0123456789abcdef".utf8)

  /// A JSON string: `"` and `\` escaped, the C0 controls as `\b`, `\t`, `\n`, `\f`, `\r` or
  /// `\u00xx`, everything else (slashes, DEL, non-ASCII) as it is.
  mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    var text = value
    text.withUTF8 { utf8 in
      // Runs that need no escape (nearly all of every value) are copied whole.
      var start = 0
      for index in utf8.indices {
        let byte = utf8[index]
        guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
        escape(byte)
        start = index + 1
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private mutating func escape(_ byte: UInt8) {
    switch byte {
    case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
    case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
    case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
    case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
    case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
    case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
    case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
    case 0..<0x20:
      bytes.append(contentsOf: [
        UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
        Self.hex[Int(byte >> 4)],
        Self.hex[Int(byte & 0xF)],
      ])
    default: bytes.append(byte)
    }
  }
}
