import Foundation
import Sendlint

/// One part of a `multipart/form-data` body (RFC 7578): its form field name, filename if any,
/// and its bytes.
struct FormPart: Sendable, Equatable {
  let name: String
  let filename: String?
  let contentType: String?
  let body: [UInt8]
}

/// Why a multipart body was refused; each case says what to fix.
enum MultipartError: Error, Equatable {
  case missingBoundary
  case badBoundary(String)
  case noOpeningDelimiter
  case unterminated
  case tooManyParts(limit: Int)
  case headerTooLarge(limit: Int)
  case badHeader(String)
  case missingDisposition
  case missingName
  case duplicateName(String)

  var message: String {
    switch self {
    case .missingBoundary:
      return
        "the Content-Type multipart/form-data has no boundary parameter; send Content-Type: multipart/form-data; boundary=..."
    case .badBoundary(let value):
      return
        "the multipart boundary \"\(value.escapedForServer)\" is not 1 to 70 characters of RFC 2046's boundary alphabet"
    case .noOpeningDelimiter:
      return
        "the body does not start with the boundary delimiter given in Content-Type (\"--\" then the boundary, then CRLF)"
    case .unterminated:
      return
        "the body ends before the closing delimiter (\"--\" boundary \"--\"); send the whole multipart body"
    case .tooManyParts(let limit):
      return "the body has more than \(limit) parts (--max-parts); send fewer templates per request"
    case .headerTooLarge(let limit):
      return
        "a part's headers are longer than \(limit) bytes; a form part needs only Content-Disposition and Content-Type"
    case .badHeader(let line):
      return "a part has the malformed header line \"\(line.escapedForServer)\"; write \"Name: value\""
    case .missingDisposition:
      return
        "a part has no Content-Disposition: form-data header; name each part (name=\"manifest\" or the template's path)"
    case .missingName:
      return
        "a part's Content-Disposition has no name parameter; name it \"manifest\" or the template's manifest-relative path"
    case .duplicateName(let name):
      return "two parts are named \"\(name.escapedForServer)\"; send each template once"
    }
  }
}

/// A bounded RFC 7578 parser over a body already held in memory (its size capped by
/// `--max-body-bytes`): linear in the body, at most `maxParts` parts, each part's header block
/// at most `maxHeaderBytes`. It never allocates more than a copy of the body.
struct MultipartParser {
  let boundary: [UInt8]
  var maxParts: Int
  var maxHeaderBytes = 16 * 1024

  /// The boundary from a Content-Type value, checked against RFC 2046's grammar.
  static func boundary(fromContentType value: String) throws -> String {
    guard let raw = HeaderParameters.parameter("boundary", in: value) else {
      throw MultipartError.missingBoundary
    }
    let allowed = Set(
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".unicodeScalars)
    guard (1...70).contains(raw.unicodeScalars.count), raw.unicodeScalars.allSatisfy(allowed.contains),
      raw.last != " "
    else {
      throw MultipartError.badBoundary(raw)
    }
    return raw
  }

  init(boundary: String, maxParts: Int) {
    self.boundary = Array(boundary.utf8)
    self.maxParts = maxParts
  }

  func parse(_ body: [UInt8]) throws -> [FormPart] {
    let dashBoundary = Array("--".utf8) + boundary
    let delimiter = Array("\r\n".utf8) + dashBoundary
    // The preamble (ignored) ends at the first dash-boundary that starts a line.
    var index: Int
    if body.starts(with: dashBoundary) {
      index = dashBoundary.count
    } else if let found = Self.find(delimiter, in: body, from: 0) {
      index = found + delimiter.count
    } else {
      throw MultipartError.noOpeningDelimiter
    }
    var parts: [FormPart] = []
    var names = Set<String>()
    while true {
      // After a delimiter: "--" closes the body; otherwise transport padding, then CRLF.
      if body.count - index >= 2, body[index] == UInt8(ascii: "-"), body[index + 1] == UInt8(ascii: "-") {
        return parts
      }
      while index < body.count, body[index] == UInt8(ascii: " ") || body[index] == UInt8(ascii: "\t") {
        index += 1
      }
      guard body.count - index >= 2, body[index] == 13, body[index + 1] == 10 else {
        throw MultipartError.unterminated
      }
      index += 2
      guard parts.count < maxParts else { throw MultipartError.tooManyParts(limit: maxParts) }
      // Headers end at the first empty line.
      let headerEnd: Int
      if body.count - index >= 2, body[index] == 13, body[index + 1] == 10 {
        headerEnd = index
      } else if let end = Self.find(Array("\r\n\r\n".utf8), in: body, from: index, limit: maxHeaderBytes + 4)
      {
        headerEnd = end + 2
      } else {
        throw body.count - index > maxHeaderBytes
          ? MultipartError.headerTooLarge(limit: maxHeaderBytes) : MultipartError.unterminated
      }
      guard headerEnd - index <= maxHeaderBytes else {
        throw MultipartError.headerTooLarge(limit: maxHeaderBytes)
      }
      let headers = try Self.headers(body[index..<headerEnd])
      index = headerEnd + 2
      guard let end = Self.find(delimiter, in: body, from: index) else { throw MultipartError.unterminated }
      let content = Array(body[index..<end])
      index = end + delimiter.count
      guard let disposition = headers["content-disposition"],
        disposition.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces)
          .lowercased() == "form-data"
      else { throw MultipartError.missingDisposition }
      guard let name = HeaderParameters.parameter("name", in: disposition), !name.isEmpty else {
        throw MultipartError.missingName
      }
      guard names.insert(name).inserted else { throw MultipartError.duplicateName(name) }
      parts.append(
        FormPart(
          name: name, filename: HeaderParameters.parameter("filename", in: disposition),
          contentType: headers["content-type"], body: content))
    }
  }

  static func headers(_ bytes: ArraySlice<UInt8>) throws -> [String: String] {
    var result: [String: String] = [:]
    let text = String(decoding: bytes, as: UTF8.self)
    for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
      guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
        line[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
      else { throw MultipartError.badHeader(line) }
      result[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    return result
  }

  /// The first index of `needle` in `haystack` at or after `start` (starting before
  /// `start + limit` when a limit is given). Linear: a first-byte scan with `memchr`-like skips.
  static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, limit: Int? = nil) -> Int? {
    guard let first = needle.first, haystack.count >= needle.count else { return nil }
    let lastStart = min(haystack.count - needle.count, limit.map { start + $0 } ?? Int.max)
    var i = start
    while i <= lastStart {
      if haystack[i] == first {
        var j = 1
        while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
        if j == needle.count { return i }
      }
      i += 1
    }
    return nil
  }
}

/// `;`-separated header parameters (`name="manifest"; filename="campaign.yaml"`), quoted or not.
enum HeaderParameters {
  static func parameter(_ wanted: String, in value: String) -> String? {
    var scalars = Substring(value)
    // Skip the value before the first `;`, honouring quotes.
    guard let semicolon = firstUnquoted(";", in: scalars) else { return nil }
    scalars = scalars[scalars.index(after: semicolon)...]
    while !scalars.isEmpty {
      let end = firstUnquoted(";", in: scalars) ?? scalars.endIndex
      let item = scalars[..<end]
      if let equals = item.firstIndex(of: "=") {
        let key = item[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
        var raw = item[item.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        if key == wanted.lowercased() {
          if raw.count >= 2, raw.first == "\"", raw.last == "\"" {
            raw = String(raw.dropFirst().dropLast())
            var unescaped = ""
            var escaping = false
            for character in raw {
              if escaping {
                unescaped.append(character)
                escaping = false
              } else if character == "\\" {
                escaping = true
              } else {
                unescaped.append(character)
              }
            }
            return unescaped
          }
          return raw
        }
      }
      scalars = end == scalars.endIndex ? scalars[end...] : scalars[scalars.index(after: end)...]
    }
    return nil
  }

  private static func firstUnquoted(_ target: Character, in text: Substring) -> Substring.Index? {
    var quoted = false
    var escaping = false
    var index = text.startIndex
    while index < text.endIndex {
      let character = text[index]
      if escaping {
        escaping = false
      } else if quoted && character == "\\" {
        escaping = true
      } else if character == "\"" {
        quoted.toggle()
      } else if !quoted && character == target {
        return index
      }
      index = text.index(after: index)
    }
    return nil
  }
}

extension String {
  /// `escapedForDisplay`, cut to 200 characters: a hostile value cannot make an error body huge.
  var escapedForServer: String {
    let escaped = escapedForDisplay
    return escaped.count > 200 ? String(escaped.prefix(200)) + "…" : escaped
  }
}
