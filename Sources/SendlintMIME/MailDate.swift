import SendlintCore

/// An RFC 5322 §3.3 date-time, read as seconds since 1970-01-01T00:00:00Z.
///
/// Grammar: `[day-of-week ","] day month year hour ":" minute [":" second] zone`, with the obsolete
/// forms of §4.3 read too (two- and three-digit years, the named zones `UT`, `GMT`, `EST`…, military
/// letters as -0000, comments). Also used for the date after the last `;` of a `Received` field
/// (RFC 5321 §4.4). O(n) in the value's length.
public enum MailDate {
  static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
  static let namedZones: [String: Int] = [
    "ut": 0, "gmt": 0, "z": 0, "utc": 0, "est": -5 * 60, "edt": -4 * 60, "cst": -6 * 60, "cdt": -5 * 60,
    "mst": -7 * 60, "mdt": -6 * 60, "pst": -8 * 60, "pdt": -7 * 60,
  ]

  /// Seconds since the epoch, or nil when `value` is not a date-time.
  public static func parse(_ value: String) -> Int? {
    guard value.utf8.count <= 998 else { return nil }
    // Comments out, commas as blanks.
    var tokens = cleaned(value).splitASCII(whereSeparator: {
      $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A
    })
    .map { $0.lowercased() }
    // The day of the week is optional and not checked against the date.
    if let first = tokens.first, Int(first) == nil { tokens.removeFirst() }
    guard tokens.count >= 4 else { return nil }
    guard let day = Int(tokens[0]), (1...31).contains(day) else { return nil }
    guard let month = months.firstIndex(of: String(tokens[1].prefix(3))) else { return nil }
    guard var year = Int(tokens[2]), tokens[2].count >= 2, tokens[2].count <= 4 else { return nil }
    if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 } else if tokens[2].count == 3 { year += 1900 }
    let clock = tokens[3].splitASCII(separator: UInt8(ascii: ":")).map { Int($0) }
    guard clock.count == 2 || clock.count == 3, clock.allSatisfy({ $0 != nil }) else { return nil }
    let hour = clock[0]!
    let minute = clock[1]!
    let second = clock.count == 3 ? clock[2]! : 0  // all checked non-nil above
    guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
    var offsetMinutes = 0
    if tokens.count >= 5 {
      let zone = tokens[4]
      if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5,
        let digits = Int(zone.dropFirst())
      {
        offsetMinutes = (digits / 100) * 60 + digits % 100
        if sign == "-" { offsetMinutes = -offsetMinutes }
      } else if let named = namedZones[zone] {
        offsetMinutes = named
      } else if zone.count == 1, zone.first!.isLetter {  // count checked: one character
        offsetMinutes = 0  // RFC 5322 §4.3: military zones are treated as -0000
      } else {
        return nil
      }
    } else {
      return nil
    }
    let days = daysFromCivil(year: year, month: month + 1, day: day)
    return days * 86_400 + hour * 3_600 + minute * 60 + second - offsetMinutes * 60
  }

  /// `value` without its comments (nested; an unmatched ")" is dropped) and with commas as blanks.
  /// ASCII text is cleaned on its bytes, where each Character is one byte or CR LF (never a
  /// parenthesis or comma); other text Character by Character, where "(" with a combining mark
  /// is not "(".
  static func cleaned(_ value: String) -> String {
    var depth = 0
    if value.utf8.isAllASCII {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(value.utf8.count)
      for byte in value.utf8 {
        if byte == UInt8(ascii: "(") {
          depth += 1
        } else if byte == UInt8(ascii: ")") {
          depth = max(0, depth - 1)
        } else if depth == 0 {
          bytes.append(byte == UInt8(ascii: ",") ? UInt8(ascii: " ") : byte)
        }
      }
      return String(decoding: bytes, as: UTF8.self)
    }
    var cleaned = ""
    for character in value {
      if character == "(" {
        depth += 1
        continue
      }
      if character == ")" {
        depth = max(0, depth - 1)
        continue
      }
      if depth > 0 { continue }
      cleaned.append(character == "," ? " " : character)
    }
    return cleaned
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The date-time of a `Received` field: what follows its last `;`.
  public static func parseReceived(_ value: String) -> Int? {
    // An ASCII field's last ";" byte is its last ";" Character.
    if value.utf8.isAllASCII {
      guard let semicolon = value.utf8.lastIndex(of: UInt8(ascii: ";")) else { return nil }
      return parse(String(value[value.utf8.index(after: semicolon)...]))
    }
    guard let semicolon = value.lastIndex(of: ";") else { return nil }
    return parse(String(value[value.index(after: semicolon)...]))
  }
}
