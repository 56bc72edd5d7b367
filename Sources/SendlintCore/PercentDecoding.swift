/// `%XX` decoding (RFC 3986 §2.1), lenient: a `%` not followed by two hex digits stays as it is.
public enum PercentDecoding {
  /// Decodes `bytes`; with `plusAsSpace`, `+` is a space (HTML form and query encoding).
  public static func decode(_ bytes: some Collection<UInt8>, plusAsSpace: Bool = false) -> [UInt8] {
    // Whole inputs are copied to an array first: its integer indices are cheaper to step than a
    // string view's.
    decode(Array(bytes), plusAsSpace: plusAsSpace, limit: .max)
  }

  /// The first `count` bytes (or fewer, when the input decodes to fewer) that `decode(bytes)`
  /// gives, reading only as far as they need.
  public static func decodedPrefix(_ bytes: some Collection<UInt8>, count: Int) -> [UInt8] {
    decode(bytes, plusAsSpace: false, limit: count)
  }

  /// Both of the above: decoding stops once `limit` bytes are out.
  private static func decode(_ bytes: some Collection<UInt8>, plusAsSpace: Bool, limit: Int) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(Swift.min(limit, bytes.count))
    var index = bytes.startIndex
    while index != bytes.endIndex, output.count < limit {
      let byte = bytes[index]
      let second = bytes.index(after: index)
      // "%" and two more bytes, both hex digits.
      if byte == UInt8(ascii: "%"), second != bytes.endIndex, case let third = bytes.index(after: second),
        third != bytes.endIndex, let high = hexValue(bytes[second]), let low = hexValue(bytes[third])
      {
        output.append(high << 4 | low)
        index = bytes.index(after: third)
      } else {
        output.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
        index = second
      }
    }
    return output
  }

  @inline(__always) public static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    default: nil
    }
  }
}

extension String {
  /// The string without leading and trailing characters from `set`.
  public func trimming(_ set: String) -> String {
    let characters = Set(set)
    var slice = Substring(self)
    while let first = slice.first, characters.contains(first) { slice.removeFirst() }
    while let last = slice.last, characters.contains(last) { slice.removeLast() }
    return String(slice)
  }
}
