import SendlintCore
import SendlintHTML
import SendlintInventory
import SendlintURL

/// Re-serialises a message body into an inert document for the report's sandboxed frame.
///
/// Every start tag is rebuilt from the tokenizer's attributes (values re-escaped): remote `src`
/// and `background` become SVG placeholders of the image's size labelled with its host, `cid:`
/// images become `data:` URLs from the message's parts, links point at `#` (the real destination
/// goes in `title` and in the findings panel), event handlers and other URL attributes are dropped,
/// and CSS `url()` and `@import` in `style` attributes and elements are neutralised the same way.
/// Scripts, frames, objects, `<base>`, `<link>`, `<meta http-equiv>` and comments are left out.
/// The CSP meta goes first in the head. Elements that findings concern get
/// `data-sendlint-finding="N …"`, found from the findings' source offsets through the locator.
/// Linear in the body plus findings × log(elements).
struct PreviewDocument {
  static let maximumEmbeddedImageBytes = 2 * 1024 * 1024
  static let maximumEmbeddedTotalBytes = 8 * 1024 * 1024
  /// Bodies larger than this are not previewed (their tokens would cost many times their size).
  static let maximumBodyBytes = 4 * 1024 * 1024

  let bytes: [UInt8]
  let locator: Locator
  let isHTML: Bool
  /// Findings in the body's file: index into the report and source offset.
  let findings: [(index: Int, offset: Int)]
  /// Source offset of an href value → the URL the click requests after send-time rewriting.
  let deliveredURLs: [Int: String]
  /// `cid:` key → content type and bytes.
  let images: [String: (type: String, bytes: [UInt8])]
  /// The ESP's open pixel: its host and the findings about it.
  var openPixel: (host: String, findings: [Int])?

  init(
    bytes: [UInt8], locator: Locator, isHTML: Bool, findings: [(index: Int, offset: Int)],
    deliveredURLs: [Int: String],
    images: [String: (type: String, bytes: [UInt8])]
  ) {
    self.bytes = bytes
    self.locator = locator
    self.isHTML = isHTML
    self.findings = findings
    self.deliveredURLs = deliveredURLs
    self.images = images
  }

  /// `<abc@x>` → `abc@x`, as `cid:abc@x` names it (RFC 2392), case kept, percent-decoded later.
  static func contentID(_ value: String) -> String {
    var text = value.trimmingASCIIWhitespace()
    if text.hasPrefix("<") { text.removeFirst() }
    if text.hasSuffix(">") { text.removeLast() }
    return text
  }

  struct Rendered {
    var document: String
    var pinned: [Int]
    var blockedHosts: [String]
  }

  private static let csp =
    "<meta http-equiv=\"Content-Security-Policy\" content=\"\(DraftPreview.documentPolicy)\"><meta charset=\"utf-8\">"
  private static let dropped: Set<String> = [
    "base", "link", "object", "embed", "applet", "frame", "frameset", "portal",
  ]
  private static let droppedWithContent: Set<String> = ["script", "iframe", "noembed", "noframes"]
  private static let urlAttributes: Set<String> = [
    "srcset", "lowsrc", "dynsrc", "poster", "action", "formaction", "data", "codebase", "cite", "longdesc",
    "ping",
    "manifest", "archive", "profile", "classid", "xlink:href", "imagesrcset", "itemtype", "srcdoc", "target",
  ]
  private static let voidElements: Set<String> = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "param", "keygen",
  ]

  func render() -> Rendered {
    var blocked: [String] = []
    var blockedSeen: Set<String> = []
    func noteBlocked(_ host: String) { if blockedSeen.insert(host).inserted { blocked.append(host) } }
    guard isHTML else {
      // A text body: escaped in a <pre>; its findings pin the whole text.
      let pins = findings.map(\.index)
      let marker =
        pins.isEmpty ? "" : " data-sendlint-finding=\"\(pins.map { String($0 + 1) }.joined(separator: " "))\""
      let text = HTMLEscaping.text(String(decoding: bytes, as: UTF8.self))
      return Rendered(
        document:
          "<!DOCTYPE html>\(Self.csp)<body><pre\(marker) style=\"white-space: pre-wrap; font: 14px/1.4 monospace\">\(text)</pre></body>",
        pinned: pins, blockedHosts: [])
    }
    var tokens: [HTMLToken] = []
    var tokenizer = HTMLTokenizer(bytes: bytes)
    tokenizer.tokenize { tokens.append($0) }

    // Pass 1: source spans of start tags and of text (owned by the innermost open element).
    var spans: [(start: Int, end: Int, token: Int)] = []
    var stack: [(name: String, token: Int)] = []
    for (position, token) in tokens.enumerated() {
      switch token {
      case .startTag(let tag):
        let first = locator.offset(tag.start).offset
        let last = locator.offset(max(tag.start, tag.end - 1)).offset
        spans.append((first, max(first + 1, last + 1), position))
        if !tag.selfClosing, !Self.voidElements.contains(tag.name), stack.count < 4096 {
          stack.append((tag.name, position))
        }
      case .endTag(let name, _, _):
        if let open = stack.lastIndex(where: { $0.name == name }), stack.count - open <= 64 {
          stack.removeSubrange(open...)
        }
      case .characters(let text, let source, let verbatim):
        guard let owner = stack.last?.token,
          !text.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D })
        else { continue }
        let first = locator.offset(source).offset
        let last = verbatim && !text.isEmpty ? locator.offset(source + text.count - 1).offset : first
        spans.append((first, max(first + 1, last + 1), owner))
      default: continue
      }
    }
    spans.sort { $0.start < $1.start }
    let bodyEnd = bytes.isEmpty ? 0 : locator.offset(bytes.count - 1).offset + 1
    var annotations: [Int: [Int]] = [:]
    var pinned: [Int] = []
    for finding in findings {
      // The last span starting at or before the offset; the first of equal starts (an inexact map
      // gives a whole base64 line one offset).
      var low = 0
      var high = spans.count
      while low < high {
        let mid = (low + high) / 2
        if spans[mid].start <= finding.offset { low = mid + 1 } else { high = mid }
      }
      guard low > 0 else { continue }
      var chosen = low - 1
      while chosen > 0, spans[chosen - 1].start == spans[chosen].start { chosen -= 1 }
      // Past the body's last byte the offset is in another part: not this document's.
      guard finding.offset < bodyEnd else { continue }
      let span = spans[chosen]
      annotations[span.token, default: []].append(finding.index)
      pinned.append(finding.index)
    }

    // Pass 2: serialise.
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + bytes.count / 4)
    var cursor = 0
    var skipUntil: String?
    var styleStart: Int?
    var insertedPolicy = false
    func copy(upTo end: Int) {
      if end > cursor { output += bytes[cursor..<end] }
      cursor = max(cursor, end)
    }
    func insertPolicy() {
      if !insertedPolicy { output += Array(Self.csp.utf8) }
      insertedPolicy = true
    }
    for (position, token) in tokens.enumerated() {
      if let name = skipUntil {
        if case .endTag(name, _, let end) = token {
          cursor = end
          skipUntil = nil
        }
        continue
      }
      switch token {
      case .doctype(_, _, _, _, let start):
        copy(upTo: start)
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: ">") { end += 1 }
        copy(upTo: min(bytes.count, end + 1))
        insertPolicy()
      case .comment(_, _, let start, let end):
        copy(upTo: start)
        cursor = end
      case .endTag(let name, let start, _):
        if name == "style", let begin = styleStart {
          insertPolicy()
          output += Array(
            CSSNeutraliser.neutralise(
              String(decoding: bytes[begin..<start], as: UTF8.self), note: noteBlocked
            ).utf8)
          cursor = start
          styleStart = nil
        }
      case .characters:
        continue
      case .startTag(let tag):
        guard styleStart == nil else { continue }
        copy(upTo: tag.start)
        cursor = tag.end
        insertPolicy()
        if Self.droppedWithContent.contains(tag.name) {
          if !tag.selfClosing { skipUntil = tag.name }
          continue
        }
        if Self.dropped.contains(tag.name) || (tag.name == "meta" && tag.attribute("http-equiv") != nil) {
          continue
        }
        guard Self.isName(tag.name) else { continue }
        output += Array(serialise(tag, findings: annotations[position] ?? [], note: noteBlocked).utf8)
        if tag.name == "style", !tag.selfClosing { styleStart = tag.end }
      }
    }
    if let begin = styleStart {
      output += Array(
        CSSNeutraliser.neutralise(
          String(decoding: bytes[begin..<bytes.count], as: UTF8.self), note: noteBlocked
        ).utf8)
      cursor = bytes.count
    }
    if skipUntil == nil { copy(upTo: bytes.count) }
    insertPolicy()
    if let (host, pins) = openPixel {
      noteBlocked(host)
      let marker =
        pins.isEmpty ? "" : " data-sendlint-finding=\"\(pins.map { String($0 + 1) }.joined(separator: " "))\""
      output += Array(
        "<img src=\"\(Placeholder.image(width: 1, height: 1, label: host))\" width=\"1\" height=\"1\" alt=\"\" data-sendlint-added=\"open-pixel\" title=\"open pixel added at send time: \(HTMLEscaping.attribute(host))\"\(marker)>"
          .utf8)
      pinned += pins
    }
    let document = String(decoding: output, as: UTF8.self)
    return Rendered(document: document, pinned: pinned, blockedHosts: blocked)
  }

  /// Names the preview writes back: letters, digits, `-`, `_`, `:`, `.`; anything else is dropped.
  static func isName(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 64
      && name.utf8.allSatisfy {
        ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F || $0 == 0x3A
          || $0 == 0x2E
      }
  }

  private func serialise(_ tag: HTMLStartTag, findings pins: [Int], note: (String) -> Void) -> String {
    var text = "<" + tag.name
    var hasTitle = tag.attribute("title") != nil
    var seen: Set<String> = []
    func number(_ name: String) -> Double? {
      tag.attribute(name).flatMap {
        Double($0.value.trimmingASCIIWhitespace().prefix { $0.isNumber || $0 == "." })
      }
    }
    for attribute in tag.attributes where Self.isName(attribute.name) && seen.insert(attribute.name).inserted
    {
      let name = attribute.name
      if name.hasPrefix("on") || Self.urlAttributes.contains(name) || name.hasPrefix("data-sendlint") {
        continue
      }
      var value = attribute.value
      switch name {
      case "href":
        guard tag.name == "a" || tag.name == "area" else { continue }
        let destination = deliveredURLs[locator.offset(attribute.valueStart).offset] ?? attribute.value
        if !hasTitle {
          text += " title=\"\(HTMLEscaping.attribute("link to " + destination))\""
          hasTitle = true
        }
        value = "#"
      case "src", "background":
        value = imageSource(value, width: number("width"), height: number("height"), note: note)
      case "style":
        value = CSSNeutraliser.neutralise(value, note: note)
      default: break
      }
      text += " \(name)=\"\(HTMLEscaping.attribute(value))\""
    }
    if !pins.isEmpty {
      text += " data-sendlint-finding=\"\(pins.map { String($0 + 1) }.joined(separator: " "))\""
    }
    return text + (tag.selfClosing ? " />" : ">")
  }

  /// A `data:` image, an embedded `cid:` part, or a placeholder naming the remote host.
  private func imageSource(_ value: String, width: Double?, height: Double?, note: (String) -> Void) -> String
  {
    let trimmed = value.trimmingASCIIWhitespace()
    let lowered = trimmed.lowercased()
    if lowered.hasPrefix("data:image/") { return trimmed }
    let w = Int(min(2000, max(1, width ?? 120)))
    let h = Int(min(2000, max(1, height ?? 40)))
    if lowered.hasPrefix("cid:") {
      let key = String(decoding: PercentDecoding.decode(Array(trimmed.utf8.dropFirst(4))), as: UTF8.self)
      if let image = images[key] ?? images.first(where: { $0.key.caseInsensitiveEquals(key) })?.value {
        let type =
          image.type.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x3B }
          ? image.type : "application/octet-stream"
        return "data:\(type);base64,\(Base64.encode(image.bytes))"
      }
      return Placeholder.image(width: w, height: h, label: "missing part cid:\(key)")
    }
    let host = Placeholder.host(trimmed)
    note(host)
    return Placeholder.image(width: w, height: h, label: host)
  }
}

/// Neutral SVG placeholders as base64 `data:` URLs (so not even the SVG namespace URL appears).
enum Placeholder {
  /// The host a URL as written would load from (`//host/…` is scheme-relative), for the label.
  static func host(_ url: String) -> String {
    let absolute = url.hasPrefix("//") ? "https:" + url : url
    return URLRecord.parse(absolute).flatMap { $0.host.map { HostName.normalise($0.description) } }
      ?? "relative URL"
  }

  static func image(width: Int, height: Int, label: String) -> String {
    let shown = HTMLEscaping.attribute(String(label.prefix(80)))
    let svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">"
      + "<rect width=\"100%\" height=\"100%\" fill=\"#e4e4e7\" stroke=\"#71717a\" stroke-dasharray=\"4 3\"/>"
      + (height >= 14 && width >= 40
        ? "<text x=\"50%\" y=\"50%\" font-family=\"sans-serif\" font-size=\"11\" fill=\"#3f3f46\" text-anchor=\"middle\" dominant-baseline=\"middle\">remote image: \(shown)</text>"
        : "")
      + "<title>remote image not loaded: \(shown)</title></svg>"
    return "data:image/svg+xml;base64," + Base64.encode(Array(svg.utf8))
  }
}

/// CSS with every `url(…)` that is not a `data:` image replaced by a placeholder and `@import`
/// disabled. Linear: one pass, each `url(` scanned to its closing parenthesis once.
enum CSSNeutraliser {
  static func neutralise(_ css: String, note: (String) -> Void) -> String {
    let bytes = Array(css.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
    func matches(_ word: String, at position: Int) -> Bool {
      let pattern = Array(word.utf8)
      guard position + pattern.count <= bytes.count else { return false }
      for offset in 0..<pattern.count where lower(bytes[position + offset]) != pattern[offset] {
        return false
      }
      return true
    }
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "@"), matches("@import", at: index) {
        output += Array("@sendlint-blocked-import".utf8)
        index += 7
      } else if lower(bytes[index]) == UInt8(ascii: "u"), matches("url(", at: index) {
        var end = index + 4
        var quote: UInt8?
        while end < bytes.count {
          let byte = bytes[end]
          if let open = quote {
            if byte == UInt8(ascii: "\\") { end += 1 } else if byte == open { quote = nil }
          } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            quote = byte
          } else if byte == UInt8(ascii: ")") {
            break
          }
          end += 1
        }
        var inner = String(decoding: bytes[(index + 4)..<min(end, bytes.count)], as: UTF8.self)
          .trimmingASCIIWhitespace()
        if let first = inner.first, first == "\"" || first == "'" { inner.removeFirst() }
        if let last = inner.last, last == "\"" || last == "'" { inner.removeLast() }
        if inner.lowercased().hasPrefix("data:image/") && !inner.contains(")") && !inner.contains("\"") {
          output += Array("url(\"\(inner)\")".utf8)
        } else {
          let host = Placeholder.host(inner)
          note(host)
          output += Array("url(\"\(Placeholder.image(width: 200, height: 60, label: host))\")".utf8)
        }
        index = min(bytes.count, end + 1)
      } else {
        output.append(bytes[index])
        index += 1
      }
    }
    return String(decoding: output, as: UTF8.self)
  }
}

/// Escaping for HTML text and double-quoted attribute values: `&`, `<`, `>`, `"`, `'`. Controls
/// other than tab and newline become U+FFFD, which no context reads as markup.
public enum HTMLEscaping {
  public static func text(_ value: String) -> String { escape(value) }
  public static func attribute(_ value: String) -> String { escape(value) }

  static func escape(_ value: String) -> String {
    var output = ""
    output.reserveCapacity(value.utf8.count)
    for scalar in value.unicodeScalars {
      switch scalar {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      case "'": output += "&#39;"
      case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
          output += "\u{FFFD}"
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    return output
  }
}
