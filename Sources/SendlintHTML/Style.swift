import Foundation
import SendlintCore

/// Inline CSS declarations (`style="…"`), read as mail clients apply them: last declaration wins.
public struct InlineStyle: Sendable {
  /// Lowercased property → lowercased value without `!important`.
  public let declarations: [String: String]
  /// Properties whose winning declaration is `!important`: in the cascade they beat normal
  /// declarations of any origin, the inline style's included (CSS Cascade 4 §6.1).
  public let important: Set<String>

  /// The bytes of `text` with its comments taken out (an unclosed one runs to the end). Text
  /// without a "/" has none, and is copied whole.
  static func withoutComments(_ text: String) -> [UInt8] {
    guard text.containsBytes("/") else { return Array(text.utf8) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var previous: UInt8?
    var inComment = false
    for byte in text.utf8 {
      if inComment {
        if previous == UInt8(ascii: "*"), byte == UInt8(ascii: "/") {
          inComment = false
          previous = nil
          continue
        }
      } else if previous == UInt8(ascii: "/"), byte == UInt8(ascii: "*") {
        bytes.removeLast()
        inComment = true
        previous = nil
        continue
      } else {
        bytes.append(byte)
      }
      previous = byte
    }
    return bytes
  }

  /// Parses `prop: value; prop: value`. Comments are removed; malformed declarations skipped.
  /// One pass over the UTF-8 bytes: every element's style attribute goes through here.
  public init(_ text: String) {
    let bytes = Self.withoutComments(text)
    // One declaration per ";" at most, plus the last: the table is sized once instead of
    // rehashed as it grows.
    var declarations = [String: String](
      minimumCapacity: bytes.reduce(1) { $0 + ($1 == UInt8(ascii: ";") ? 1 : 0) })
    var important: Set<String> = []
    func lowered(_ slice: ArraySlice<UInt8>) -> String {
      var start = slice.startIndex
      var end = slice.endIndex
      while start < end, slice[start].isASCIIWhitespace { start += 1 }
      while end > start, slice[end - 1].isASCIIWhitespace { end -= 1 }
      let trimmed = slice[start..<end]
      if trimmed.isAllASCII {
        return String(asciiLowercasing: trimmed)
      }
      return String(decoding: trimmed, as: UTF8.self).lowercased()
    }
    let importantMarker = Array("!important".utf8)
    var declarationStart = 0
    var index = 0
    while index <= bytes.count {
      if index == bytes.count || bytes[index] == UInt8(ascii: ";") {
        let declaration = bytes[declarationStart..<index]
        if let colon = declaration.firstIndex(of: UInt8(ascii: ":")) {
          let property = lowered(declaration[..<colon])
          var value = lowered(declaration[(colon + 1)...])
          var isImportant = false
          if value.utf8.isAllASCII {
            // ASCII: every byte is a character, so the search runs on bytes.
            let utf8 = value.utf8
            var search = utf8.startIndex
            while let bang = utf8[search...].firstIndex(of: UInt8(ascii: "!")) {
              if utf8[bang...].starts(with: importantMarker) {
                value = String(value[..<bang]).trimmingASCIIWhitespace()
                isImportant = true
                break
              }
              search = utf8.index(after: bang)
            }
          } else {
            var search = value.startIndex
            while let bang = value[search...].firstIndex(of: "!") {
              if value[bang...].utf8.starts(with: importantMarker) {
                value = String(value[..<bang]).trimmingASCIIWhitespace()
                isImportant = true
                break
              }
              search = value.index(after: bang)
            }
          }
          // Last declaration wins, except that a normal one never overrides an important one.
          if !property.isEmpty, isImportant || !important.contains(property) {
            declarations[property] = value
            if isImportant { important.insert(property) }
          }
        }
        declarationStart = index + 1
      }
      index += 1
    }
    self.declarations = declarations
    self.important = important
  }

  public subscript(_ property: String) -> String? { declarations[property] }

  /// Why this style hides its element from a recipient, or nil if it does not.
  public var hidingReason: String? {
    if self["display"] == "none" { return "display:none" }
    if let visibility = self["visibility"], visibility == "hidden" || visibility == "collapse" {
      return "visibility:\(visibility)"
    }
    // mso-hide:all hides from Outlook only; every other client shows the element (it is how
    // templates pair a VML button for Outlook with an HTML one for everyone else).
    if let opacity = self["opacity"], let value = Double(opacity), value <= 0.01 {
      return "opacity:\(opacity)"
    }
    if let size = self["font-size"], let value = InlineStyle.length(size), value <= 0.5 {
      return "font-size:\(size)"
    }
    if let overflow = self["overflow"], overflow == "hidden" {
      for property in ["max-height", "height", "max-width", "width"] {
        if let raw = self[property], let value = InlineStyle.length(raw), value <= 0.5 {
          return "\(property):\(raw) with overflow:hidden"
        }
      }
    }
    if let position = self["position"], position == "absolute" || position == "fixed" {
      for property in ["left", "top", "text-indent"] {
        if let raw = self[property], let value = InlineStyle.length(raw), value <= -500 {
          return "off-screen \(property):\(raw)"
        }
      }
    }
    if let indent = self["text-indent"], let value = InlineStyle.length(indent), value <= -500 {
      return "off-screen text-indent:\(indent)"
    }
    // The screen-reader-only idiom: an absolutely positioned box clipped to nothing. `clip`
    // applies to absolutely positioned boxes only (CSS 2.1 §11.1.2).
    if let clip = self["clip"], let position = self["position"],
      position == "absolute" || position == "fixed",
      let rect = InlineStyle.clipRect(clip), rect.right - rect.left <= 1 || rect.bottom - rect.top <= 1
    {
      return "clip:\(clip) with position:\(position)"
    }
    if let transform = self["transform"], let factor = InlineStyle.smallestScale(transform),
      abs(factor) <= 0.01
    {
      return "transform:\(transform)"
    }
    // Transparent text shows the background through its glyphs when the background is clipped to
    // the text (the gradient-text idiom): visible then.
    if let colour = self["color"], CSSColor.isTransparent(colour), !clipsBackgroundToText {
      return "color:\(colour)"
    }
    return nil
  }

  /// `background-clip: text` (or its -webkit- form): the background paints the glyphs.
  public var clipsBackgroundToText: Bool {
    self["background-clip"] == "text" || self["-webkit-background-clip"] == "text"
  }

  /// `rect(top right bottom left)` (commas or spaces) in px; nil when a side is `auto` or not a length.
  static func clipRect(_ text: String) -> (top: Double, right: Double, bottom: Double, left: Double)? {
    let trimmed = text.trimmingASCIIWhitespace()
    guard trimmed.hasPrefix("rect("), trimmed.hasSuffix(")") else { return nil }
    let sides = trimmed.dropFirst(5).dropLast().split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }
    )
    guard sides.count == 4 else { return nil }
    let values = sides.compactMap { InlineStyle.length(String($0)) }
    guard values.count == 4 else { return nil }
    return (values[0], values[1], values[2], values[3])
  }

  /// The scale factor nearest zero among the `scale()`, `scaleX()`, `scaleY()` (and `scale3d`)
  /// functions of a `transform` value; nil when it has none. Reads at most 16 functions.
  static func smallestScale(_ text: String) -> Double? {
    var smallest: Double?
    var rest = Substring(text)
    var functions = 0
    while functions < 16, let open = rest.firstIndex(of: "(") {
      functions += 1
      let name = rest[..<open].split(whereSeparator: { $0 == " " || $0 == "\t" }).last.map(String.init) ?? ""
      guard let close = rest[open...].firstIndex(of: ")") else { break }
      if ["scale", "scalex", "scaley", "scale3d"].contains(name) {
        for argument in rest[rest.index(after: open)..<close].split(whereSeparator: { $0 == "," || $0 == " " }
        ) {
          var number = String(argument)
          var factor = 1.0
          if number.hasSuffix("%") {
            number.removeLast()
            factor = 0.01
          }
          if let value = Double(number) {
            let scaled = value * factor
            if smallest.map({ abs(scaled) < abs($0) }) ?? true { smallest = scaled }
          }
        }
      }
      rest = rest[rest.index(after: close)...]
    }
    return smallest
  }

  /// A CSS length in px (px, pt and unitless; em/rem as 16px); nil for percentages and keywords.
  public static func length(_ text: String) -> Double? {
    var number = text.trimmingASCIIWhitespace()
    var scale = 1.0
    for (unit, factor) in [("px", 1.0), ("pt", 4.0 / 3.0), ("rem", 16.0), ("em", 16.0)]
    where number.hasSuffix(unit) {
      number = String(number.dropLast(unit.count))
      scale = factor
      break
    }
    guard let value = Double(number) else { return nil }
    return value * scale
  }
}

/// A compound selector: `div.note#main` — tag, classes, id.
public struct CompoundSelector: Sendable, Hashable {
  public var tag: String? {
    didSet { updateRequiredMask() }
  }
  public var classes: [String] = [] {
    didSet {
      classBits = classes.map { CSSClassMask.bit($0) }
      updateRequiredMask()
    }
  }
  public var id: String? {
    didSet { updateRequiredMask() }
  }
  /// `CSSClassMask.bit` of each of `classes`, kept with them.
  private(set) var classBits: [UInt64] = []
  /// The bits the `CSSClassMask.key` of every element this compound matches carries: one for its
  /// tag, its id and each class (a non-ASCII name, whose bits cannot decide, adds none). An
  /// element, or a run of ancestors, whose mask lacks one of them cannot match.
  private(set) var requiredMask: UInt64 = 0

  private mutating func updateRequiredMask() {
    var mask: UInt64 = 0
    if let tag, tag != "*" {
      mask |= CSSClassMask.decisive(CSSClassMask.bit(tag, seed: CSSClassMask.tagSeed))
    }
    if let id { mask |= CSSClassMask.decisive(CSSClassMask.bit(id, seed: CSSClassMask.idSeed)) }
    for bit in classBits { mask |= CSSClassMask.decisive(bit) }
    requiredMask = mask
  }

  /// Whether the element matches, charging one unit of `work` per component tested (tag, id, each
  /// class): a compound of 20,000 classes costs 20,000, not one. Classes are a set, so each test is
  /// O(1) however many classes the element carries.
  /// `classMask` is the element's `CSSClassMask`: a class whose bit it lacks is not in the set,
  /// so most misses cost no hashing (the work charged is the same).
  func matches(
    tag elementTag: String, classes elementClasses: Set<String>, classMask: UInt64, id elementID: String?,
    work: inout Int
  ) -> Bool {
    work += 1
    if let tag, tag != "*", tag != elementTag { return false }
    if let id, id != elementID { return false }
    for (position, name) in classes.enumerated() {
      work += 1
      if classMask & classBits[position] == 0 || !elementClasses.contains(name) { return false }
    }
    return true
  }
}

/// A 64-bit summary of a set of class names, one bit per ASCII name (FNV-1a of its bytes, modulo
/// 64): a selector's class whose bits an element's mask lacks is certainly not one of its classes.
/// A name with a non-ASCII byte sets every bit, since String equality is canonical equivalence
/// (`"\u{212A}" == "K"`) and bytes would not decide it.
/// Tags and ids get bits of their own (another FNV seed), so one mask can summarise an element's
/// tag, id and classes (`key`) and a run of ancestors (the OR of their keys).
enum CSSClassMask {
  static let classSeed: UInt64 = 0xcbf2_9ce4_8422_2325
  static let tagSeed: UInt64 = 0x8422_2325_cbf2_9ce4
  static let idSeed: UInt64 = 0x9ce4_8422_cbf2_2325

  static func bit(_ name: String, seed: UInt64 = classSeed) -> UInt64 {
    var hash = seed
    for byte in name.utf8 {
      if byte >= 0x80 { return .max }
      hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return 1 << (hash & 63)
  }

  /// A bit as a requirement: a non-ASCII name's all-ones mask requires nothing.
  static func decisive(_ bit: UInt64) -> UInt64 { bit == .max ? 0 : bit }

  /// An element's key: its tag's, id's and classes' bits.
  static func key(tag: String, id: String?, classMask: UInt64) -> UInt64 {
    bit(tag, seed: tagSeed) | (id.map { bit($0, seed: idSeed) } ?? 0) | classMask
  }
}

/// A CSS rule from a `<style>` block, with the selector forms mail clients commonly support:
/// tags, classes, ids, compounds of them, and descendant/child combinators (both read as
/// descendant). Rules with other selectors (attributes, pseudo-classes) are kept out.
public struct StyleRule: Sendable {
  /// Each selector is a chain of compounds, outermost first.
  public let selectors: [[CompoundSelector]]
  public let declarations: [String: String]
  /// Properties declared `!important`.
  public var important: Set<String> = []
  /// Inside an `@media` block: applies only on some screens.
  public let inMedia: Bool
  /// `url(...)` references in the declarations, with their offsets in the style text.
  public let urls: [(url: String, offset: Int)]
}

/// Parses the text of `<style>` elements. Linear; nesting is bounded by the input.
public enum StyleSheetParser {
  public static func parse(_ text: [UInt8]) -> [StyleRule] {
    var rules: [StyleRule] = []
    var index = 0
    parseBlock(text, &index, inMedia: false, depth: 0, into: &rules)
    return rules
  }

  private static func skipComment(_ text: [UInt8], _ index: inout Int) -> Bool {
    guard index + 1 < text.count, text[index] == UInt8(ascii: "/"), text[index + 1] == UInt8(ascii: "*")
    else { return false }
    index += 2
    while index + 1 < text.count, !(text[index] == UInt8(ascii: "*") && text[index + 1] == UInt8(ascii: "/"))
    { index += 1 }
    index = min(text.count, index + 2)
    return true
  }

  private static func parseBlock(
    _ text: [UInt8], _ index: inout Int, inMedia: Bool, depth: Int, into rules: inout [StyleRule]
  ) {
    while index < text.count {
      if skipComment(text, &index) { continue }
      let byte = text[index]
      if byte == UInt8(ascii: "}") {
        index += 1
        return
      }
      if byte <= 0x20 || byte == UInt8(ascii: ";") {
        index += 1
        continue
      }
      // Prelude up to "{" or ";".
      let preludeStart = index
      while index < text.count, text[index] != UInt8(ascii: "{"), text[index] != UInt8(ascii: ";"),
        text[index] != UInt8(ascii: "}")
      {
        if skipComment(text, &index) { continue }
        index += 1
      }
      let prelude = String(decoding: text[preludeStart..<index], as: UTF8.self).trimmingASCIIWhitespace()
      guard index < text.count, text[index] == UInt8(ascii: "{") else {
        if index < text.count, text[index] == UInt8(ascii: ";") { index += 1 }  // @import …;
        continue
      }
      index += 1
      if prelude.hasPrefix("@") {
        let lowered = prelude.lowercased()
        if lowered.hasPrefix("@media") || lowered.hasPrefix("@supports"), depth < 8 {
          parseBlock(text, &index, inMedia: true, depth: depth + 1, into: &rules)
        } else {
          skipBlock(text, &index)
        }
        continue
      }
      let bodyStart = index
      while index < text.count, text[index] != UInt8(ascii: "}") {
        if skipComment(text, &index) { continue }
        index += 1
      }
      let body = Array(text[bodyStart..<index])
      index = min(text.count, index + 1)
      let selectors = prelude.split(separator: ",").compactMap { parseSelector(String($0)) }
      let style = InlineStyle(String(decoding: body, as: UTF8.self))
      rules.append(
        StyleRule(
          selectors: selectors, declarations: style.declarations, important: style.important,
          inMedia: inMedia,
          urls: CSSURLs.find(in: body, base: bodyStart)))
    }
  }

  private static func skipBlock(_ text: [UInt8], _ index: inout Int) {
    var depth = 1
    while index < text.count, depth > 0 {
      if text[index] == UInt8(ascii: "{") { depth += 1 }
      if text[index] == UInt8(ascii: "}") { depth -= 1 }
      index += 1
    }
  }

  /// `div.a .b > #c` → compounds; nil for selector forms not supported.
  static func parseSelector(_ text: String) -> [CompoundSelector]? {
    // ASCII without CR (nearly every selector; the HTML tokenizer turns CR into LF) is read on
    // bytes: each byte is a Character, so the splits below are the same.
    if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) { return parseASCIISelector(Array(text.utf8)) }
    var compounds: [CompoundSelector] = []
    for part in text.split(whereSeparator: {
      $0 == " " || $0 == ">" || $0 == "\n" || $0 == "\t" || $0 == "+" || $0 == "~"
    }) {
      var compound = CompoundSelector()
      // Classes are collected and set once: each change of `classes` recomputes their bits.
      var classes: [String] = []
      var current = ""
      var kind: Character = "t"
      func flush() {
        guard !current.isEmpty else { return }
        switch kind {
        case ".": classes.append(current)
        case "#": compound.id = current
        default: compound.tag = current.lowercased()
        }
        current = ""
      }
      for character in part {
        if character == "." || character == "#" {
          flush()
          kind = character
        } else if character == ":" || character == "[" || character == "(" {
          return nil
        } else {
          current.append(character)
        }
      }
      flush()
      if !classes.isEmpty { compound.classes = classes }
      compounds.append(compound)
    }
    return compounds.isEmpty ? nil : compounds
  }

  /// `parseSelector` for an ASCII selector without CR.
  static func parseASCIISelector(_ bytes: [UInt8]) -> [CompoundSelector]? {
    var compounds: [CompoundSelector] = []
    for part in bytes.split(whereSeparator: {
      $0 == 0x20 || $0 == UInt8(ascii: ">") || $0 == 0x0A || $0 == 0x09 || $0 == UInt8(ascii: "+")
        || $0 == UInt8(ascii: "~")
    }) {
      var compound = CompoundSelector()
      var classes: [String] = []
      var kind = UInt8(ascii: "t")
      var start = part.startIndex
      func flush(_ end: Int) {
        guard end > start else { return }
        let name = part[start..<end]
        switch kind {
        case UInt8(ascii: "."): classes.append(String(decoding: name, as: UTF8.self))
        case UInt8(ascii: "#"): compound.id = String(decoding: name, as: UTF8.self)
        default:
          compound.tag = String(asciiLowercasing: name)
        }
      }
      for index in part.indices {
        let byte = part[index]
        if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "#") {
          flush(index)
          kind = byte
          start = index + 1
        } else if byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "(") {
          return nil
        }
      }
      flush(part.endIndex)
      if !classes.isEmpty { compound.classes = classes }
      compounds.append(compound)
    }
    return compounds.isEmpty ? nil : compounds
  }
}

/// `url(...)` references in CSS text.
public enum CSSURLs {
  public static func find(in text: [UInt8], base: Int) -> [(url: String, offset: Int)] {
    var found: [(String, Int)] = []
    var index = 0
    while index + 4 < text.count {
      if (text[index] | 0x20) == UInt8(ascii: "u"), (text[index + 1] | 0x20) == UInt8(ascii: "r"),
        (text[index + 2] | 0x20) == UInt8(ascii: "l"),
        text[index + 3] == UInt8(ascii: "(")
      {
        var start = index + 4
        while start < text.count,
          text[start] == 0x20 || text[start] == UInt8(ascii: "'") || text[start] == UInt8(ascii: "\"")
        { start += 1 }
        var end = start
        while end < text.count, text[end] != UInt8(ascii: ")") { end += 1 }
        var stop = end
        while stop > start,
          text[stop - 1] == 0x20 || text[stop - 1] == UInt8(ascii: "'")
            || text[stop - 1] == UInt8(ascii: "\"")
        { stop -= 1 }
        if stop > start { found.append((String(decoding: text[start..<stop], as: UTF8.self), base + start)) }
        index = end
        continue
      }
      index += 1
    }
    return found
  }
}

/// CSS colours normalised for comparison: `#fff`, `#FFFFFF`, `white`, `rgb(255,255,255)` are one.
public enum CSSColor {
  static let named: [String: String] = [
    "white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
    "yellow": "#ffff00",
    "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0", "navy": "#000080", "orange": "#ffa500",
    "purple": "#800080",
  ]

  public static func normalise(_ value: String) -> String? {
    var text = value.trimmingASCIIWhitespace().lowercased()
    // No "!" byte, no "!" character: the search is skipped for nearly every value.
    if text.containsBytes("!"), let bang = text.firstRange(of: "!") {
      text = String(text[..<bang.lowerBound]).trimmingASCIIWhitespace()
    }
    if let name = named[text] { return name }
    if text.hasPrefix("#") {
      let digits = text.dropFirst()
      guard digits.allSatisfy(\.isHexDigit) else { return nil }
      if digits.count == 3 { return "#" + digits.map { "\($0)\($0)" }.joined() }
      if digits.count == 6 { return text }
      return nil
    }
    if text.hasPrefix("rgb("), text.hasSuffix(")") {
      let parts = text.dropFirst(4).dropLast().split(separator: ",").compactMap {
        Int($0.trimmingASCIIWhitespace())
      }
      guard parts.count == 3, parts.allSatisfy({ (0...255).contains($0) }) else { return nil }
      return "#" + parts.map { String(format: "%02x", $0) }.joined()
    }
    return nil
  }

  /// `transparent`, or an `rgba()`/`hsla()` colour (or 8-digit hex) whose alpha is 0.
  public static func isTransparent(_ value: String) -> Bool {
    var text = value.trimmingASCIIWhitespace().lowercased()
    if text.containsBytes("!"), let bang = text.firstRange(of: "!") {
      text = String(text[..<bang.lowerBound]).trimmingASCIIWhitespace()
    }
    if text == "transparent" { return true }
    if text.hasPrefix("#"), text.count == 9 { return text.hasSuffix("00") }
    if text.hasPrefix("#"), text.count == 5 { return text.hasSuffix("0") }
    for prefix in ["rgba(", "hsla(", "rgb(", "hsl("] where text.hasPrefix(prefix) && text.hasSuffix(")") {
      let inner = text.dropFirst(prefix.count).dropLast()
      // `rgba(0,0,0,0)` or `rgb(0 0 0 / 0)`: the alpha is the fourth value or follows "/".
      let alpha: Substring?
      if let slash = inner.firstIndex(of: "/") {
        alpha = inner[inner.index(after: slash)...]
      } else {
        let parts = inner.split(separator: ",")
        alpha = parts.count == 4 ? parts[3] : nil
      }
      guard var number = alpha.map({ String($0).trimmingASCIIWhitespace() }) else { return false }
      var factor = 1.0
      if number.hasSuffix("%") {
        number.removeLast()
        factor = 0.01
      }
      return Double(number).map { $0 * factor <= 0.01 } ?? false
    }
    return false
  }

  /// WCAG 2.1 contrast ratio (1…21) of two normalised `#rrggbb` colours.
  public static func contrast(_ first: String, _ second: String) -> Double? {
    guard let a = luminance(first), let b = luminance(second) else { return nil }
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)
  }

  /// The relative luminance of a `#rrggbb` colour (WCAG 2.1); nil for any other text.
  static func luminance(_ colour: String) -> Double? {
    var text = colour
    return text.withUTF8(luminance)
  }

  private static func luminance(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    guard bytes.count == 7, bytes[0] == UInt8(ascii: "#") else { return nil }
    var channels = (0, 0, 0)
    for index in 0..<3 {
      guard let high = PercentDecoding.hexValue(bytes[1 + 2 * index]),
        let low = PercentDecoding.hexValue(bytes[2 + 2 * index])
      else { return nil }
      let value = Int(high << 4 | low)
      switch index {
      case 0: channels.0 = value
      case 1: channels.1 = value
      default: channels.2 = value
      }
    }
    let linear = linearChannel
    return 0.2126 * linear[channels.0] + 0.7152 * linear[channels.1] + 0.0722 * linear[channels.2]
  }

  /// The sRGB channel values 0…255 linearised (WCAG 2.1's formula), computed once: `pow` for
  /// each channel of each element was most of a contrast test.
  static let linearChannel: [Double] = (0..<256).map { value in
    let c = Double(value) / 255
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
  }

  /// A ratio with two decimals (`1.04`), without Foundation's formatter.
  public static func ratioText(_ ratio: Double) -> String {
    let hundredths = Int((ratio * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
  }

  /// Text whose contrast with its background is below this ratio is hidden text. WCAG asks 4.5:1
  /// of body text; 1.25:1 is colour a reader cannot tell from the background (`#eeeeee` on white
  /// is 1.16:1) while pale fine print (`#cccccc` on white, 1.6:1) stays visible. docs/decisions.md.
  public static let hiddenContrast = 1.25
  /// WCAG 2.2 SC 1.4.3's minimum contrast for text, and for large-scale text.
  public static let textContrast = 4.5
  public static let largeTextContrast = 3.0

  /// The background colour a style sets (`background-color`, or a colour in `background`).
  public static func background(of style: InlineStyle) -> String? {
    if let value = style["background-color"], let colour = normalise(value) { return colour }
    if let value = style["background"] {
      // On bytes when ASCII (a 100 KB `url(data:…)` image was split Character by Character).
      for part in value.splitASCII(separator: UInt8(ascii: " ")) {
        if let colour = normalise(String(part)) { return colour }
      }
    }
    return nil
  }

}

extension InlineStyle {
  /// A style from declarations already parsed (a `<style>` rule cascade plus the inline style).
  public init(declarations: [String: String], important: Set<String> = []) {
    self.declarations = declarations
    self.important = important
  }
}
