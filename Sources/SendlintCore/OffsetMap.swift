/// Maps offsets in decoded bytes back to offsets in the bytes they were decoded from.
///
/// A map is a sorted list of segments. In an exact segment decoded byte `d` came from
/// `source + (d - decoded)`; in an inexact one (base64, converted charsets) only the start is known,
/// so every byte maps to `source` and the location has a line but no column.
public struct OffsetMap: Sendable {
  /// 12 bytes: offsets are stored as UInt32, enough for every input sendlint reads (files are
  /// capped at 64 MiB and decoding at most triples a byte). Maps are kept for every body, so
  /// their size is a large part of the memory a big message costs.
  public struct Segment: Sendable {
    let storedDecoded: UInt32
    let storedSource: UInt32
    public let exact: Bool
    public var decoded: Int { Int(storedDecoded) }
    public var source: Int { Int(storedSource) }

    init(decoded: Int, source: Int, exact: Bool) {
      storedDecoded = UInt32(clamping: decoded)
      storedSource = UInt32(clamping: source)
      self.exact = exact
    }
  }

  public private(set) var segments: [Segment] = []

  public init() {}

  /// The identity map shifted by `base`: for 7bit/8bit/binary bodies.
  public static func identity(base: Int) -> OffsetMap {
    var map = OffsetMap()
    map.add(decoded: 0, source: base, exact: true)
    return map
  }

  /// Appends a segment; segments must be added in increasing decoded order. A segment that
  /// continues the previous one exactly is merged, keeping the map small for plain text.
  public mutating func add(decoded: Int, source: Int, exact: Bool) {
    if let last = segments.last {
      if last.exact, exact, source - last.source == decoded - last.decoded { return }
      if last.decoded == decoded { segments.removeLast() }
    }
    segments.append(Segment(decoded: decoded, source: source, exact: exact))
  }

  /// The same map in storage of exactly its size (growth leaves up to twice the room).
  public func compacted() -> OffsetMap {
    var copy = OffsetMap()
    copy.segments = segments.withUnsafeBufferPointer { Array($0) }
    return copy
  }

  /// Applies a chain of maps, innermost first; exact only if every step was.
  public static func resolve(_ decoded: Int, through maps: [OffsetMap]) -> (offset: Int, exact: Bool) {
    var offset = decoded
    var exact = true
    for map in maps {
      let step = map.source(for: offset)
      offset = step.offset
      exact = exact && step.exact
    }
    return (offset, exact)
  }

  /// The source offset for a decoded offset, and whether it is exact. O(log n).
  public func source(for decoded: Int) -> (offset: Int, exact: Bool) {
    guard !segments.isEmpty else { return (decoded, true) }
    var low = 0
    var high = segments.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if segments[mid].decoded <= decoded { low = mid } else { high = mid - 1 }
    }
    let segment = segments[low]
    if segment.exact { return (segment.source + max(0, decoded - segment.decoded), true) }
    return (segment.source, false)
  }
}

/// Text decoded to UTF-8 with the maps that lead back to the raw message, innermost last.
public struct DecodedText: Sendable {
  /// The text as a Swift string.
  public var string: String { String(decoding: bytes, as: UTF8.self) }

  /// UTF-8 bytes (invalid input replaced by U+FFFD during charset conversion).
  public let bytes: [UInt8]
  /// Applied in order: `maps[0]` maps `bytes` offsets to the next layer, the last map yields
  /// offsets in the raw file.
  public let maps: [OffsetMap]

  public init(bytes: [UInt8], maps: [OffsetMap]) {
    self.bytes = bytes
    self.maps = maps
  }

  /// The raw-file offset of a decoded offset; exact only if every layer was exact.
  public func sourceOffset(for decoded: Int) -> (offset: Int, exact: Bool) {
    OffsetMap.resolve(decoded, through: maps)
  }
}
