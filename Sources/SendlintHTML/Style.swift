/// Inline CSS declarations (`style="…"`), read as mail clients apply them: last declaration wins.
public struct InlineStyle: Sendable {
  /// Lowercased property → lowercased value without `!important`.
  public let declarations: [String: String]

  /// Parses `prop: value; prop: value`. Comments are removed; malformed declarations skipped. O(n).
  public init(_ text: String) {
    var declarations: [String: String] = [:]
    var cleaned = text
    while let open = cleaned.firstRange(of: "/*") {
      if let close = cleaned[open.upperBound...].firstRange(of: "*/") {
        cleaned.removeSubrange(open.lowerBound..<close.upperBound)
      } else {
        cleaned.removeSubrange(open.lowerBound...)
      }
    }
    for declaration in cleaned.split(separator: ";") {
      guard let colon = declaration.firstIndex(of: ":") else { continue }
      let property = declaration[..<colon].trimmingWhitespace().lowercased()
      var value = declaration[declaration.index(after: colon)...].trimmingWhitespace().lowercased()
      if let bang = value.firstRange(of: "!important") { value = String(value[..<bang.lowerBound]).trimmingWhitespace() }
      if !property.isEmpty { declarations[property] = value }
    }
    self.declarations = declarations
  }

  public subscript(_ property: String) -> String? { declarations[property] }

  /// Why this style hides its element from a recipient, or nil if it does not.
  public var hidingReason: String? {
    if self["display"] == "none" { return "display:none" }
    if let visibility = self["visibility"], visibility == "hidden" || visibility == "collapse" {
      return "visibility:\(visibility)"
    }
    if self["mso-hide"] == "all" { return "mso-hide:all" }
    if let opacity = self["opacity"], let value = Double(opacity), value <= 0.01 { return "opacity:\(opacity)" }
    if let size = self["font-size"], let value = InlineStyle.length(size), value <= 0.5 { return "font-size:\(size)" }
    if let overflow = self["overflow"], overflow == "hidden" {
      for property in ["max-height", "height", "max-width", "width"] {
        if let raw = self[property], let value = InlineStyle.length(raw), value <= 0.5 { return "\(property):\(raw) with overflow:hidden" }
      }
    }
    if let position = self["position"], position == "absolute" || position == "fixed" {
      for property in ["left", "top", "text-indent"] {
        if let raw = self[property], let value = InlineStyle.length(raw), value <= -500 { return "off-screen \(property):\(raw)" }
      }
    }
    if let indent = self["text-indent"], let value = InlineStyle.length(indent), value <= -500 { return "off-screen text-indent:\(indent)" }
    return nil
  }

  /// A CSS length in px (px, pt and unitless; em/rem as 16px); nil for percentages and keywords.
  public static func length(_ text: String) -> Double? {
    var number = text.trimmingWhitespace()
    var scale = 1.0
    for (unit, factor) in [("px", 1.0), ("pt", 4.0 / 3.0), ("rem", 16.0), ("em", 16.0)] where number.hasSuffix(unit) {
      number = String(number.dropLast(unit.count))
      scale = factor
      break
    }
    guard let value = Double(number) else { return nil }
    return value * scale
  }
}

extension StringProtocol {
  /// Without leading and trailing ASCII whitespace.
  func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" }
    guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
    let last = lastIndex(where: { !isSpace($0) })!  // exists because `first` does
    return String(self[first...last])
  }
}
