import SendlintCore

/// An attribute of a start tag, with where its value sits in the source.
public struct HTMLAttribute: Sendable {
  /// Lowercased name.
  public let name: String
  /// The value's UTF-8 bytes, character references decoded and CR/CRLF normalised to LF: a slice
  /// of the tokenizer's input when the value was written without either (most are), so reading a
  /// tag costs no copy of the values nobody asks for.
  public let valueBytes: ArraySlice<UInt8>
  /// Value with character references decoded and CR/CRLF normalised to LF.
  public var value: String { String(decoding: valueBytes, as: UTF8.self) }
  public let nameStart: Int
  /// Offset of the first byte of the value (after the opening quote), or the name's end when the
  /// attribute has no value.
  public let valueStart: Int
  public let valueEnd: Int
  /// The map of a decoded value; nil for a verbatim one, which maps exactly from `verbatimSource`.
  private let decodedMap: OffsetMap?
  private let verbatimSource: Int

  /// Maps offsets in `value`'s UTF-8 bytes to source offsets.
  public var valueMap: OffsetMap {
    if let decodedMap { return decodedMap }
    return valueBytes.isEmpty ? OffsetMap() : .identity(base: verbatimSource)
  }

  public init(
    name: String, value: String, nameStart: Int, valueStart: Int, valueEnd: Int, valueMap: OffsetMap
  ) {
    self.init(
      name: name, valueBytes: Array(value.utf8)[...], nameStart: nameStart, valueStart: valueStart,
      valueEnd: valueEnd, valueMap: valueMap)
  }

  init(
    name: String, valueBytes: ArraySlice<UInt8>, nameStart: Int, valueStart: Int, valueEnd: Int,
    valueMap: OffsetMap
  ) {
    self.name = name
    self.valueBytes = valueBytes
    self.nameStart = nameStart
    self.valueStart = valueStart
    self.valueEnd = valueEnd
    self.decodedMap = valueMap
    self.verbatimSource = 0
  }

  /// A value that is the source bytes `valueBytes` at `source` as written.
  init(
    name: String, verbatim valueBytes: ArraySlice<UInt8>, source: Int, nameStart: Int, valueStart: Int,
    valueEnd: Int
  ) {
    self.name = name
    self.valueBytes = valueBytes
    self.nameStart = nameStart
    self.valueStart = valueStart
    self.valueEnd = valueEnd
    self.decodedMap = nil
    self.verbatimSource = source
  }
}

/// A start tag token.
public struct HTMLStartTag: Sendable {
  public let name: String
  public let attributes: [HTMLAttribute]
  public let selfClosing: Bool
  /// Offset of `<` and just past `>`.
  public let start: Int
  public let end: Int
  /// The interned name (`unknown` for a name `HTMLTagID` does not list).
  public let id: HTMLTagID
  /// Index into `attributes` of each attribute with a slot (`HTMLAttributeID.slotCount`), by id;
  /// -1 when the tag has none of that name. Filled by the tokenizer as it reads the names.
  let slots: SIMD32<Int32>

  /// The value of an attribute, if present.
  public func attribute(_ name: String) -> HTMLAttribute? {
    let id = HTMLAttributeID(name)
    if id.rawValue < HTMLAttributeID.slotCount { return attribute(id) }
    return attributes.first { $0.name == name }
  }

  /// The attribute of an interned name, if present: one slot read for the names the inventory
  /// builder asks about.
  @inline(__always)
  public func attribute(_ id: HTMLAttributeID) -> HTMLAttribute? {
    guard id.rawValue < HTMLAttributeID.slotCount else {
      if id == .unknown { return nil }
      let name = HTMLAttributeID.names[Int(id.rawValue)]
      return attributes.first { $0.name == name }
    }
    let slot = slots[Int(id.rawValue)]
    return slot < 0 ? nil : attributes[Int(slot)]
  }
}

/// A token of the WHATWG HTML tokenizer (HTML Living Standard §13.2.5).
public enum HTMLToken: Sendable {
  case startTag(HTMLStartTag)
  case endTag(name: String, start: Int, end: Int)
  /// Character data. `verbatim` bytes are exactly the source bytes at `source`; otherwise the
  /// bytes are decoded (a character reference, a replacement character, a normalised newline) and
  /// all stand for the source at `source`.
  case characters(bytes: ArraySlice<UInt8>, source: Int, verbatim: Bool)
  /// A comment; `data` decoded, `dataStart` the offset of the data's first byte.
  case comment(data: String, dataStart: Int, start: Int, end: Int)
  case doctype(name: String?, publicId: String?, systemId: String?, forceQuirks: Bool, start: Int)
}

/// The WHATWG HTML tokenizer over UTF-8 bytes, following the states of §13.2.5 one to one.
///
/// Content-model switches that the tree builder makes in a browser (RCDATA after `<title>` and
/// `<textarea>`, RAWTEXT after `<style>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, script
/// data after `<script>`, PLAINTEXT after `<plaintext>`) are made here, since sendlint builds no
/// tree. Linear time: every state consumes at least one byte or changes to a state that does, and
/// character-reference matching looks ahead at most 32 bytes.
public struct HTMLTokenizer {
  /// Tokenizer states (§13.2.5.1 onwards); `public` so conformance tests can set the initial one.
  public enum State: Sendable {
    case data, rcdata, rawtext, scriptData, plaintext
    case tagOpen, endTagOpen, tagName
    case rcdataLessThan, rcdataEndTagOpen, rcdataEndTagName
    case rawtextLessThan, rawtextEndTagOpen, rawtextEndTagName
    case scriptLessThan, scriptEndTagOpen, scriptEndTagName
    case scriptEscapeStart, scriptEscapeStartDash, scriptEscaped, scriptEscapedDash, scriptEscapedDashDash
    case scriptEscapedLessThan, scriptEscapedEndTagOpen, scriptEscapedEndTagName
    case scriptDoubleEscapeStart, scriptDoubleEscaped, scriptDoubleEscapedDash, scriptDoubleEscapedDashDash
    case scriptDoubleEscapedLessThan, scriptDoubleEscapeEnd
    case beforeAttributeName, attributeName, afterAttributeName, beforeAttributeValue
    case attributeValueDoubleQuoted, attributeValueSingleQuoted, attributeValueUnquoted
    case afterAttributeValueQuoted, selfClosingStartTag
    case bogusComment, markupDeclarationOpen
    case commentStart, commentStartDash, comment, commentLessThan, commentLessThanBang
    case commentLessThanBangDash, commentLessThanBangDashDash, commentEndDash, commentEnd, commentEndBang
    case doctype, beforeDoctypeName, doctypeName, afterDoctypeName
    case afterDoctypePublicKeyword, beforeDoctypePublicIdentifier
    case doctypePublicIdentifierDoubleQuoted, doctypePublicIdentifierSingleQuoted,
      afterDoctypePublicIdentifier
    case betweenDoctypePublicAndSystemIdentifiers, afterDoctypeSystemKeyword, beforeDoctypeSystemIdentifier
    case doctypeSystemIdentifierDoubleQuoted, doctypeSystemIdentifierSingleQuoted,
      afterDoctypeSystemIdentifier
    case bogusDoctype, cdataSection, cdataSectionBracket, cdataSectionEnd
  }

  private let bytes: [UInt8]
  private let base: Int
  private var index = 0
  public var state: State = .data
  /// The last start tag's name: end tags in RCDATA/RAWTEXT/script data match against it.
  public var lastStartTagName: String?
  /// Switch content models after start tags as a tree builder would (off in conformance tests).
  public var switchesContentModel = true

  // Token under construction.
  private var tagIsEnd = false
  private var tagName: [UInt8] = []
  private var tagStart = 0
  private var selfClosing = false
  private var attributes: [HTMLAttribute] = []
  private var attributeName: [UInt8] = []
  private var attributeNameStart = 0
  /// The current attribute's value once a piece of it was decoded (a character reference, CR or
  /// NUL); until then the value is the input bytes `verbatimValueStart..<verbatimValueEnd`, and
  /// nothing is copied.
  private var attributeValue = TextBuilder(collapseWhitespace: false)
  private var attributeValueDecoded = false
  private var verbatimValueStart = 0
  private var verbatimValueEnd = -1
  private var attributeValueStart = 0
  private var attributeValueEnd = 0
  private var hasAttribute = false
  /// Names of the current tag's attributes that `HTMLAttributeID` does not know, so the duplicate
  /// check is O(1) per attribute; known names are checked in `seenAttributes`.
  private var attributeNames: Set<String> = []
  /// One bit per `HTMLAttributeID` of the current tag's attributes.
  private var seenAttributes: UInt64 = 0
  private var attributeSlots = SIMD32<Int32>(repeating: -1)
  private var commentData: [UInt8] = []
  private var commentDataStart = 0
  private var tokenStart = 0
  private var temporaryBuffer: [UInt8] = []
  private var doctypeName: [UInt8]?
  private var doctypePublic: [UInt8]?
  private var doctypeSystem: [UInt8]?
  private var forceQuirks = false
  private var pendingTextStart: Int?

  /// `base` is added to every offset (for HTML inside another file, e.g. a MIME part).
  public init(bytes: [UInt8], base: Int = 0) {
    self.bytes = bytes
    self.base = base
  }

  // MARK: Emitting

  private mutating func flushText(_ emit: (HTMLToken) -> Void, upTo end: Int) {
    if let start = pendingTextStart, end > start {
      // A slice of the input: the run is not copied (the consumer copies what it keeps).
      emit(.characters(bytes: bytes[start..<end], source: base + start, verbatim: true))
    }
    pendingTextStart = nil
  }

  private mutating func emitDecoded(_ piece: ArraySlice<UInt8>, at offset: Int, _ emit: (HTMLToken) -> Void) {
    flushText(emit, upTo: offset)
    emit(.characters(bytes: piece, source: base + offset, verbatim: false))
  }

  private mutating func emitDecoded(_ piece: [UInt8], at offset: Int, _ emit: (HTMLToken) -> Void) {
    emitDecoded(piece[...], at: offset, emit)
  }

  /// One decoded byte (a normalised newline, a `<` that opened no tag, a byte of script data), as
  /// a slice of a constant table: no array is allocated for it.
  @inline(__always)
  private mutating func emitDecoded(byte: UInt8, at offset: Int, _ emit: (HTMLToken) -> Void) {
    emitDecoded(Self.everyByte[Int(byte)..<Int(byte) + 1], at: offset, emit)
  }

  /// Every byte value once, in order: `everyByte[b]` is `b`.
  private static let everyByte: [UInt8] = (0...255).map { UInt8($0) }

  /// Marks the byte at `index` as verbatim text.
  @inline(__always)
  private mutating func text(at position: Int) {
    if pendingTextStart == nil { pendingTextStart = position }
  }

  private mutating func emitTag(_ emit: (HTMLToken) -> Void, end: Int) {
    finishAttribute()
    let id = tagName.withUnsafeBufferPointer { HTMLTagID($0) }
    let name = id == .unknown ? String(decoding: tagName, as: UTF8.self) : HTMLTagID.names[Int(id.rawValue)]
    if tagIsEnd {
      emit(.endTag(name: name, start: base + tagStart, end: base + end))
      state = .data
      return
    }
    lastStartTagName = name
    emit(
      .startTag(
        HTMLStartTag(
          name: name, attributes: attributes, selfClosing: selfClosing, start: base + tagStart,
          end: base + end, id: id, slots: attributeSlots)))
    state = .data
    if switchesContentModel {
      switch id {
      case .title, .textarea: state = .rcdata
      case .style, .xmp, .iframe, .noembed, .noframes: state = .rawtext
      case .script: state = .scriptData
      case .plaintext: state = .plaintext
      default: break
      }
    }
  }

  private mutating func startTag(end isEnd: Bool, at position: Int) {
    tagIsEnd = isEnd
    tagName.removeAll(keepingCapacity: true)
    tagStart = position
    selfClosing = false
    attributes.removeAll()
    attributeNames.removeAll(keepingCapacity: true)
    seenAttributes = 0
    attributeSlots = SIMD32<Int32>(repeating: -1)
    hasAttribute = false
  }

  private mutating func startAttribute(at position: Int) {
    finishAttribute()
    hasAttribute = true
    attributeName.removeAll(keepingCapacity: true)
    attributeNameStart = position
    attributeValueDecoded = false
    verbatimValueEnd = -1
    attributeValueStart = position
    attributeValueEnd = position
  }

  private mutating func finishAttribute() {
    guard hasAttribute else { return }
    hasAttribute = false
    let id = attributeName.withUnsafeBufferPointer { HTMLAttributeID($0) }
    let name: String
    // Duplicate attributes are dropped (§13.2.5.33).
    if id == .unknown {
      name = String(decoding: attributeName, as: UTF8.self)
      guard attributeNames.insert(name).inserted else { return }
    } else {
      let bit = UInt64(1) << UInt64(id.rawValue)
      guard seenAttributes & bit == 0 else { return }
      seenAttributes |= bit
      name = HTMLAttributeID.names[Int(id.rawValue)]
      if id.rawValue < HTMLAttributeID.slotCount {
        attributeSlots[Int(id.rawValue)] = Int32(attributes.count)
      }
    }
    if attributeValueDecoded {
      attributes.append(
        HTMLAttribute(
          name: name, valueBytes: attributeValue.bytes[...], nameStart: base + attributeNameStart,
          valueStart: base + attributeValueStart, valueEnd: base + attributeValueEnd,
          valueMap: attributeValue.map))
    } else {
      let verbatim = verbatimValueEnd < 0 ? bytes[0..<0] : bytes[verbatimValueStart..<verbatimValueEnd]
      attributes.append(
        HTMLAttribute(
          name: name, verbatim: verbatim, source: base + verbatimValueStart,
          nameStart: base + attributeNameStart,
          valueStart: base + attributeValueStart, valueEnd: base + attributeValueEnd))
    }
  }

  /// Appends the input bytes `start..<end` to the attribute value: while the value is verbatim,
  /// by extending its range.
  @inline(__always)
  private mutating func appendVerbatimToValue(from start: Int, to end: Int) {
    if !attributeValueDecoded {
      if verbatimValueEnd < 0 {
        verbatimValueStart = start
        verbatimValueEnd = end
        return
      }
      if start == verbatimValueEnd {
        verbatimValueEnd = end
        return
      }
    }
    materialiseAttributeValue()
    attributeValue.appendVerbatim(bytes[start..<end], source: base + start)
  }

  /// Appends decoded bytes that stand for the source at `position` to the attribute value.
  private mutating func appendDecodedToValue(_ piece: ArraySlice<UInt8>, at position: Int) {
    materialiseAttributeValue()
    attributeValue.appendDecoded(piece, source: base + position)
  }

  /// Moves the value's verbatim bytes so far into `attributeValue`, which holds it from now on.
  private mutating func materialiseAttributeValue() {
    guard !attributeValueDecoded else { return }
    attributeValueDecoded = true
    attributeValue = TextBuilder(collapseWhitespace: false)
    if verbatimValueEnd >= 0 {
      attributeValue.appendVerbatim(
        bytes[verbatimValueStart..<verbatimValueEnd], source: base + verbatimValueStart)
    }
  }

  private mutating func emitComment(_ emit: (HTMLToken) -> Void, end: Int) {
    emit(
      .comment(
        data: String(decoding: commentData, as: UTF8.self), dataStart: base + commentDataStart,
        start: base + tokenStart, end: base + end))
  }

  private mutating func emitDoctype(_ emit: (HTMLToken) -> Void) {
    emit(
      .doctype(
        name: doctypeName.map { String(decoding: $0, as: UTF8.self) },
        publicId: doctypePublic.map { String(decoding: $0, as: UTF8.self) },
        systemId: doctypeSystem.map { String(decoding: $0, as: UTF8.self) },
        forceQuirks: forceQuirks, start: base + tokenStart))
  }

  private var isAppropriateEndTag: Bool {
    guard let last = lastStartTagName else { return false }
    return tagName.elementsEqual(last.utf8)
  }

  // MARK: Character classes

  @inline(__always) private static func isAlpha(_ byte: UInt8) -> Bool {
    (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
  }
  @inline(__always) private static func isUpper(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")
  }
  @inline(__always) private static func isAlphanumeric(_ byte: UInt8) -> Bool {
    isAlpha(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
  }
  private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

  /// The index of the first byte at or after `start` that is `<`, `&`, CR (or NUL, when asked), or
  /// the end: the text states treat every other byte alike (§13.2.5.1–5).
  @inline(__always)
  private static func runEnd(_ bytes: [UInt8], from start: Int, stoppingAtNUL: Bool) -> Int {
    bytes.withUnsafeBufferPointer { buffer in
      var position = start
      let count = buffer.count
      if stoppingAtNUL {
        while position < count {
          let byte = buffer[position]
          if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == 0x0D || byte == 0 { break }
          position += 1
        }
      } else {
        while position < count {
          let byte = buffer[position]
          if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == 0x0D { break }
          position += 1
        }
      }
      return position
    }
  }

  /// The index of the first byte at or after `start` that the comment state treats specially
  /// (`<`, `-`, NUL, CR), or the end.
  @inline(__always)
  private static func commentRunEnd(_ bytes: [UInt8], from start: Int) -> Int {
    bytes.withUnsafeBufferPointer { buffer in
      var position = start
      let count = buffer.count
      while position < count {
        let byte = buffer[position]
        if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "-") || byte == 0x0D || byte == 0 { break }
        position += 1
      }
      return position
    }
  }

  /// Appends one input byte to a buffer, normalising CR and CRLF to LF and NUL to U+FFFD.
  @inline(__always)
  private mutating func appendNormalised(_ byte: UInt8, to buffer: inout [UInt8]) {
    Self.appendNormalised(byte, bytes: bytes, index: &index, to: &buffer)
  }

  @inline(__always)
  private static func appendNormalised(
    _ byte: UInt8, bytes: [UInt8], index: inout Int, to buffer: inout [UInt8]
  ) {
    if byte == 0 {
      buffer.append(contentsOf: replacement)
    } else if byte == 0x0D {
      buffer.append(0x0A)
      if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
    } else {
      buffer.append(byte)
    }
  }

  private mutating func appendToAttributeValue(_ byte: UInt8) {
    let position = index
    if byte == 0 {
      appendDecodedToValue(Self.replacement[...], at: position)
    } else if byte == 0x0D {
      appendDecodedToValue(Self.everyByte[0x0A..<0x0B], at: position)
      if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
    } else {
      appendVerbatimToValue(from: position, to: position + 1)
    }
    attributeValueEnd = index + 1
  }

  // MARK: The state machine

  /// Runs the tokenizer to the end of input, calling `emit` for every token.
  public mutating func tokenize(_ emit: (HTMLToken) -> Void) {
    let count = bytes.count
    while true {
      guard index < count else {
        finishAtEnd(emit)
        return
      }
      let byte = bytes[index]
      switch state {
      case .data:
        switch byte {
        case UInt8(ascii: "&"):
          flushText(emit, upTo: index)
          consumeCharacterReference(inAttribute: false, emit)
          continue
        case UInt8(ascii: "<"):
          flushText(emit, upTo: index)
          tokenStart = index
          state = .tagOpen
        case 0x0D:
          emitDecoded(byte: 0x0A, at: index, emit)
          if index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
        default:
          // A text run: every byte up to the next `&`, `<` or CR is verbatim text.
          text(at: index)
          index = Self.runEnd(bytes, from: index + 1, stoppingAtNUL: false)
          continue
        }
      case .rcdata, .rawtext, .scriptData, .plaintext:
        if byte == UInt8(ascii: "&"), state == .rcdata {
          flushText(emit, upTo: index)
          consumeCharacterReference(inAttribute: false, emit)
          continue
        } else if byte == UInt8(ascii: "<"), state != .plaintext {
          flushText(emit, upTo: index)
          tokenStart = index
          state = state == .rcdata ? .rcdataLessThan : state == .rawtext ? .rawtextLessThan : .scriptLessThan
        } else if byte == 0 {
          emitDecoded(Self.replacement[...], at: index, emit)
        } else if byte == 0x0D {
          emitDecoded(byte: 0x0A, at: index, emit)
          if index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
        } else {
          // A run up to the next byte any of these states may treat specially is verbatim text.
          text(at: index)
          index = Self.runEnd(bytes, from: index + 1, stoppingAtNUL: true)
          continue
        }

      case .tagOpen:
        if byte == UInt8(ascii: "!") {
          state = .markupDeclarationOpen
        } else if byte == UInt8(ascii: "/") {
          state = .endTagOpen
        } else if Self.isAlpha(byte) {
          startTag(end: false, at: tokenStart)
          state = .tagName
          continue
        } else if byte == UInt8(ascii: "?") {
          commentData.removeAll()
          commentDataStart = index
          state = .bogusComment
          continue
        } else {
          emitDecoded(byte: UInt8(ascii: "<"), at: tokenStart, emit)
          state = .data
          continue
        }
      case .endTagOpen:
        if Self.isAlpha(byte) {
          startTag(end: true, at: tokenStart)
          state = .tagName
          continue
        } else if byte == UInt8(ascii: ">") {
          state = .data
        } else {
          commentData.removeAll()
          commentDataStart = index
          state = .bogusComment
          continue
        }
      case .tagName:
        if byte.isASCIIWhitespace {
          state = .beforeAttributeName
        } else if byte == UInt8(ascii: "/") {
          state = .selfClosingStartTag
        } else if byte == UInt8(ascii: ">") {
          emitTag(emit, end: index + 1)
        } else if Self.isUpper(byte) {
          tagName.append(byte | 0x20)
        } else if byte == 0 {
          tagName.append(contentsOf: Self.replacement)
        } else {
          tagName.append(byte)
        }

      case .rcdataLessThan, .rawtextLessThan, .scriptLessThan:
        let textState: State =
          state == .rcdataLessThan ? .rcdata : state == .rawtextLessThan ? .rawtext : .scriptData
        if byte == UInt8(ascii: "/") {
          temporaryBuffer.removeAll()
          state =
            state == .rcdataLessThan
            ? .rcdataEndTagOpen : state == .rawtextLessThan ? .rawtextEndTagOpen : .scriptEndTagOpen
        } else if byte == UInt8(ascii: "!"), state == .scriptLessThan {
          emitDecoded(Array("<!".utf8), at: tokenStart, emit)
          state = .scriptEscapeStart
        } else {
          emitDecoded(byte: UInt8(ascii: "<"), at: tokenStart, emit)
          state = textState
          continue
        }
      case .rcdataEndTagOpen, .rawtextEndTagOpen, .scriptEndTagOpen, .scriptEscapedEndTagOpen:
        let (nameState, textState): (State, State) =
          switch state {
          case .rcdataEndTagOpen: (.rcdataEndTagName, .rcdata)
          case .rawtextEndTagOpen: (.rawtextEndTagName, .rawtext)
          case .scriptEndTagOpen: (.scriptEndTagName, .scriptData)
          default: (.scriptEscapedEndTagName, .scriptEscaped)
          }
        if Self.isAlpha(byte) {
          startTag(end: true, at: tokenStart)
          state = nameState
          continue
        }
        emitDecoded(Array("</".utf8), at: tokenStart, emit)
        state = textState
        continue
      case .rcdataEndTagName, .rawtextEndTagName, .scriptEndTagName, .scriptEscapedEndTagName:
        let textState: State =
          switch state {
          case .rcdataEndTagName: .rcdata
          case .rawtextEndTagName: .rawtext
          case .scriptEndTagName: .scriptData
          default: .scriptEscaped
          }
        if byte.isASCIIWhitespace, isAppropriateEndTag {
          state = .beforeAttributeName
        } else if byte == UInt8(ascii: "/"), isAppropriateEndTag {
          state = .selfClosingStartTag
        } else if byte == UInt8(ascii: ">"), isAppropriateEndTag {
          emitTag(emit, end: index + 1)
        } else if Self.isAlpha(byte) {
          tagName.append(Self.isUpper(byte) ? byte | 0x20 : byte)
          temporaryBuffer.append(byte)
        } else {
          emitDecoded(Array("</".utf8) + temporaryBuffer, at: tokenStart, emit)
          state = textState
          continue
        }

      case .scriptEscapeStart, .scriptEscapeStartDash:
        if byte == UInt8(ascii: "-") {
          emitDecoded(byte: byte, at: index, emit)
          state = state == .scriptEscapeStart ? .scriptEscapeStartDash : .scriptEscapedDashDash
        } else {
          state = .scriptData
          continue
        }
      case .scriptEscaped, .scriptEscapedDash, .scriptEscapedDashDash:
        if byte == UInt8(ascii: "-") {
          emitDecoded(byte: byte, at: index, emit)
          state = state == .scriptEscaped ? .scriptEscapedDash : .scriptEscapedDashDash
        } else if byte == UInt8(ascii: "<") {
          flushText(emit, upTo: index)
          tokenStart = index
          state = .scriptEscapedLessThan
        } else if byte == UInt8(ascii: ">"), state == .scriptEscapedDashDash {
          emitDecoded(byte: byte, at: index, emit)
          state = .scriptData
        } else if byte == 0 {
          emitDecoded(Self.replacement[...], at: index, emit)
          state = .scriptEscaped
        } else {
          state = .scriptEscaped
          if byte == 0x0D {
            emitDecoded(byte: 0x0A, at: index, emit)
            if index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
          } else {
            text(at: index)
          }
        }
      case .scriptEscapedLessThan:
        if byte == UInt8(ascii: "/") {
          temporaryBuffer.removeAll()
          state = .scriptEscapedEndTagOpen
        } else if Self.isAlpha(byte) {
          temporaryBuffer.removeAll()
          emitDecoded(byte: UInt8(ascii: "<"), at: tokenStart, emit)
          state = .scriptDoubleEscapeStart
          continue
        } else {
          emitDecoded(byte: UInt8(ascii: "<"), at: tokenStart, emit)
          state = .scriptEscaped
          continue
        }
      case .scriptDoubleEscapeStart, .scriptDoubleEscapeEnd:
        if byte.isASCIIWhitespace || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") {
          let isScript = temporaryBuffer.elementsEqual("script".utf8)
          if state == .scriptDoubleEscapeStart {
            state = isScript ? .scriptDoubleEscaped : .scriptEscaped
          } else {
            state = isScript ? .scriptEscaped : .scriptDoubleEscaped
          }
          emitDecoded(byte: byte == 0x0D ? 0x0A : byte, at: index, emit)
          if byte == 0x0D, index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
        } else if Self.isAlpha(byte) {
          temporaryBuffer.append(byte | 0x20)
          emitDecoded(byte: byte, at: index, emit)
        } else {
          state = state == .scriptDoubleEscapeStart ? .scriptEscaped : .scriptDoubleEscaped
          continue
        }
      case .scriptDoubleEscaped, .scriptDoubleEscapedDash, .scriptDoubleEscapedDashDash:
        if byte == UInt8(ascii: "-") {
          emitDecoded(byte: byte, at: index, emit)
          state = state == .scriptDoubleEscaped ? .scriptDoubleEscapedDash : .scriptDoubleEscapedDashDash
        } else if byte == UInt8(ascii: "<") {
          emitDecoded(byte: byte, at: index, emit)
          state = .scriptDoubleEscapedLessThan
        } else if byte == UInt8(ascii: ">"), state == .scriptDoubleEscapedDashDash {
          emitDecoded(byte: byte, at: index, emit)
          state = .scriptData
        } else if byte == 0 {
          emitDecoded(Self.replacement[...], at: index, emit)
          state = .scriptDoubleEscaped
        } else {
          state = .scriptDoubleEscaped
          if byte == 0x0D {
            emitDecoded(byte: 0x0A, at: index, emit)
            if index + 1 < count, bytes[index + 1] == 0x0A { index += 1 }
          } else {
            text(at: index)
          }
        }
      case .scriptDoubleEscapedLessThan:
        if byte == UInt8(ascii: "/") {
          temporaryBuffer.removeAll()
          emitDecoded(byte: byte, at: index, emit)
          state = .scriptDoubleEscapeEnd
        } else {
          state = .scriptDoubleEscaped
          continue
        }

      case .beforeAttributeName:
        if byte.isASCIIWhitespace {
          break
        } else if byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") {
          state = .afterAttributeName
          continue
        } else if byte == UInt8(ascii: "=") {
          startAttribute(at: index)
          attributeName.append(byte)
          state = .attributeName
        } else {
          startAttribute(at: index)
          state = .attributeName
          continue
        }
      case .attributeName:
        if byte.isASCIIWhitespace || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") {
          attributeValueStart = index
          attributeValueEnd = index
          state = .afterAttributeName
          continue
        } else if byte == UInt8(ascii: "=") {
          attributeValueStart = index + 1
          attributeValueEnd = index + 1
          state = .beforeAttributeValue
        } else if Self.isUpper(byte) {
          attributeName.append(byte | 0x20)
        } else if byte == 0 {
          attributeName.append(contentsOf: Self.replacement)
        } else {
          attributeName.append(byte)
        }
      case .afterAttributeName:
        if byte.isASCIIWhitespace {
          break
        } else if byte == UInt8(ascii: "/") {
          state = .selfClosingStartTag
        } else if byte == UInt8(ascii: "=") {
          attributeValueStart = index + 1
          attributeValueEnd = index + 1
          state = .beforeAttributeValue
        } else if byte == UInt8(ascii: ">") {
          emitTag(emit, end: index + 1)
        } else {
          startAttribute(at: index)
          state = .attributeName
          continue
        }
      case .beforeAttributeValue:
        if byte.isASCIIWhitespace {
          break
        } else if byte == UInt8(ascii: "\"") {
          attributeValueStart = index + 1
          attributeValueEnd = index + 1
          state = .attributeValueDoubleQuoted
        } else if byte == UInt8(ascii: "'") {
          attributeValueStart = index + 1
          attributeValueEnd = index + 1
          state = .attributeValueSingleQuoted
        } else if byte == UInt8(ascii: ">") {
          emitTag(emit, end: index + 1)
        } else {
          attributeValueStart = index
          attributeValueEnd = index
          state = .attributeValueUnquoted
          continue
        }
      case .attributeValueDoubleQuoted, .attributeValueSingleQuoted:
        let quote = state == .attributeValueDoubleQuoted ? UInt8(ascii: "\"") : UInt8(ascii: "'")
        if byte == quote {
          state = .afterAttributeValueQuoted
        } else if byte == UInt8(ascii: "&") {
          consumeCharacterReference(inAttribute: true, emit)
          continue
        } else if byte == 0 || byte == 0x0D {
          appendToAttributeValue(byte)
        } else {
          // The run up to the next byte this state treats specially is copied at once.
          var runEnd = index + 1
          while runEnd < count {
            let next = bytes[runEnd]
            if next == quote || next == UInt8(ascii: "&") || next == 0 || next == 0x0D { break }
            runEnd += 1
          }
          appendVerbatimToValue(from: index, to: runEnd)
          attributeValueEnd = runEnd
          index = runEnd
          continue
        }
      case .attributeValueUnquoted:
        if byte.isASCIIWhitespace {
          state = .beforeAttributeName
        } else if byte == UInt8(ascii: "&") {
          consumeCharacterReference(inAttribute: true, emit)
          continue
        } else if byte == UInt8(ascii: ">") {
          emitTag(emit, end: index + 1)
        } else if byte == 0 || byte == 0x0D {
          appendToAttributeValue(byte)
        } else {
          // As in the quoted states, the run up to the next byte this state treats specially.
          var runEnd = index + 1
          while runEnd < count {
            let next = bytes[runEnd]
            if next.isASCIIWhitespace || next == UInt8(ascii: "&") || next == UInt8(ascii: ">") || next == 0 {
              break
            }
            runEnd += 1
          }
          appendVerbatimToValue(from: index, to: runEnd)
          attributeValueEnd = runEnd
          index = runEnd
          continue
        }
      case .afterAttributeValueQuoted:
        if byte.isASCIIWhitespace {
          state = .beforeAttributeName
        } else if byte == UInt8(ascii: "/") {
          state = .selfClosingStartTag
        } else if byte == UInt8(ascii: ">") {
          emitTag(emit, end: index + 1)
        } else {
          state = .beforeAttributeName
          continue
        }
      case .selfClosingStartTag:
        if byte == UInt8(ascii: ">") {
          selfClosing = true
          emitTag(emit, end: index + 1)
        } else {
          state = .beforeAttributeName
          continue
        }

      case .bogusComment:
        if byte == UInt8(ascii: ">") {
          emitComment(emit, end: index + 1)
          state = .data
        } else {
          Self.appendNormalised(byte, bytes: bytes, index: &index, to: &commentData)
        }
      case .markupDeclarationOpen:
        if matches("--", caseInsensitive: false) {
          index += 2
          commentData.removeAll()
          commentDataStart = index
          state = .commentStart
          continue
        } else if matches("doctype", caseInsensitive: true) {
          index += 7
          state = .doctype
          continue
        } else if matches("[CDATA[", caseInsensitive: false) {
          // Outside foreign content CDATA is a bogus comment whose data starts "[CDATA[".
          commentData.removeAll()
          commentDataStart = index
          state = .bogusComment
          continue
        } else {
          commentData.removeAll()
          commentDataStart = index
          state = .bogusComment
          continue
        }
      case .commentStart:
        if byte == UInt8(ascii: "-") {
          state = .commentStartDash
        } else if byte == UInt8(ascii: ">") {
          emitComment(emit, end: index + 1)
          state = .data
        } else {
          state = .comment
          continue
        }
      case .commentStartDash:
        if byte == UInt8(ascii: "-") {
          state = .commentEnd
        } else if byte == UInt8(ascii: ">") {
          emitComment(emit, end: index + 1)
          state = .data
        } else {
          commentData.append(UInt8(ascii: "-"))
          state = .comment
          continue
        }
      case .comment:
        if byte == UInt8(ascii: "<") {
          commentData.append(byte)
          state = .commentLessThan
        } else if byte == UInt8(ascii: "-") {
          state = .commentEndDash
        } else if byte == 0 || byte == 0x0D {
          Self.appendNormalised(byte, bytes: bytes, index: &index, to: &commentData)
        } else {
          // The run up to the next byte this state treats specially is copied at once.
          let end = Self.commentRunEnd(bytes, from: index + 1)
          commentData.append(contentsOf: bytes[index..<end])
          index = end
          continue
        }
      case .commentLessThan:
        if byte == UInt8(ascii: "!") {
          commentData.append(byte)
          state = .commentLessThanBang
        } else if byte == UInt8(ascii: "<") {
          commentData.append(byte)
        } else {
          state = .comment
          continue
        }
      case .commentLessThanBang:
        if byte == UInt8(ascii: "-") {
          state = .commentLessThanBangDash
        } else {
          state = .comment
          continue
        }
      case .commentLessThanBangDash:
        if byte == UInt8(ascii: "-") {
          state = .commentLessThanBangDashDash
        } else {
          state = .commentEndDash
          continue
        }
      case .commentLessThanBangDashDash:
        state = .commentEnd
        continue
      case .commentEndDash:
        if byte == UInt8(ascii: "-") {
          state = .commentEnd
        } else {
          commentData.append(UInt8(ascii: "-"))
          state = .comment
          continue
        }
      case .commentEnd:
        if byte == UInt8(ascii: ">") {
          emitComment(emit, end: index + 1)
          state = .data
        } else if byte == UInt8(ascii: "!") {
          state = .commentEndBang
        } else if byte == UInt8(ascii: "-") {
          commentData.append(byte)
        } else {
          commentData.append(contentsOf: Array("--".utf8))
          state = .comment
          continue
        }
      case .commentEndBang:
        if byte == UInt8(ascii: "-") {
          commentData.append(contentsOf: Array("--!".utf8))
          state = .commentEndDash
        } else if byte == UInt8(ascii: ">") {
          emitComment(emit, end: index + 1)
          state = .data
        } else {
          commentData.append(contentsOf: Array("--!".utf8))
          state = .comment
          continue
        }

      case .doctype:
        doctypeName = nil
        doctypePublic = nil
        doctypeSystem = nil
        forceQuirks = false
        if byte.isASCIIWhitespace {
          state = .beforeDoctypeName
        } else {
          state = .beforeDoctypeName
          continue
        }
      case .beforeDoctypeName:
        if byte.isASCIIWhitespace {
          break
        } else if byte == UInt8(ascii: ">") {
          forceQuirks = true
          emitDoctype(emit)
          state = .data
        } else {
          var name: [UInt8] = []
          appendNormalised(Self.isUpper(byte) ? byte | 0x20 : byte, to: &name)
          doctypeName = name
          state = .doctypeName
        }
      case .doctypeName:
        if byte.isASCIIWhitespace {
          state = .afterDoctypeName
        } else if byte == UInt8(ascii: ">") {
          emitDoctype(emit)
          state = .data
        } else {
          // Taken out before appending, so the append is in place: with the optional still holding
          // the buffer, every byte copied the name so far (quadratic in its length).
          var name = doctypeName ?? []
          doctypeName = nil
          appendNormalised(Self.isUpper(byte) ? byte | 0x20 : byte, to: &name)
          doctypeName = name
        }
      case .afterDoctypeName:
        if byte.isASCIIWhitespace {
          break
        } else if byte == UInt8(ascii: ">") {
          emitDoctype(emit)
          state = .data
        } else if matches("public", caseInsensitive: true) {
          index += 6
          state = .afterDoctypePublicKeyword
          continue
        } else if matches("system", caseInsensitive: true) {
          index += 6
          state = .afterDoctypeSystemKeyword
          continue
        } else {
          forceQuirks = true
          state = .bogusDoctype
        }
      case .afterDoctypePublicKeyword, .beforeDoctypePublicIdentifier:
        if byte.isASCIIWhitespace {
          state = .beforeDoctypePublicIdentifier
        } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
          doctypePublic = []
          state =
            byte == UInt8(ascii: "\"")
            ? .doctypePublicIdentifierDoubleQuoted : .doctypePublicIdentifierSingleQuoted
        } else if byte == UInt8(ascii: ">") {
          forceQuirks = true
          emitDoctype(emit)
          state = .data
        } else {
          forceQuirks = true
          state = .bogusDoctype
        }
      case .doctypePublicIdentifierDoubleQuoted, .doctypePublicIdentifierSingleQuoted:
        let quote = state == .doctypePublicIdentifierDoubleQuoted ? UInt8(ascii: "\"") : UInt8(ascii: "'")
        if byte == quote {
          state = .afterDoctypePublicIdentifier
        } else if byte == UInt8(ascii: ">") {
          forceQuirks = true
          emitDoctype(emit)
          state = .data
        } else {
          var value = doctypePublic ?? []
          doctypePublic = nil  // in place, as for the name
          appendNormalised(byte, to: &value)
          doctypePublic = value
        }
      case .afterDoctypePublicIdentifier, .betweenDoctypePublicAndSystemIdentifiers:
        if byte.isASCIIWhitespace {
          state = .betweenDoctypePublicAndSystemIdentifiers
        } else if byte == UInt8(ascii: ">") {
          emitDoctype(emit)
          state = .data
        } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
          doctypeSystem = []
          state =
            byte == UInt8(ascii: "\"")
            ? .doctypeSystemIdentifierDoubleQuoted : .doctypeSystemIdentifierSingleQuoted
        } else {
          forceQuirks = true
          state = .bogusDoctype
        }
      case .afterDoctypeSystemKeyword, .beforeDoctypeSystemIdentifier:
        if byte.isASCIIWhitespace {
          state = .beforeDoctypeSystemIdentifier
        } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
          doctypeSystem = []
          state =
            byte == UInt8(ascii: "\"")
            ? .doctypeSystemIdentifierDoubleQuoted : .doctypeSystemIdentifierSingleQuoted
        } else if byte == UInt8(ascii: ">") {
          forceQuirks = true
          emitDoctype(emit)
          state = .data
        } else {
          forceQuirks = true
          state = .bogusDoctype
        }
      case .doctypeSystemIdentifierDoubleQuoted, .doctypeSystemIdentifierSingleQuoted:
        let quote = state == .doctypeSystemIdentifierDoubleQuoted ? UInt8(ascii: "\"") : UInt8(ascii: "'")
        if byte == quote {
          state = .afterDoctypeSystemIdentifier
        } else if byte == UInt8(ascii: ">") {
          forceQuirks = true
          emitDoctype(emit)
          state = .data
        } else {
          var value = doctypeSystem ?? []
          doctypeSystem = nil  // in place, as for the name
          appendNormalised(byte, to: &value)
          doctypeSystem = value
        }
      case .afterDoctypeSystemIdentifier:
        if byte.isASCIIWhitespace {
          break
        } else if byte == UInt8(ascii: ">") {
          emitDoctype(emit)
          state = .data
        } else {
          state = .bogusDoctype
        }
      case .bogusDoctype:
        if byte == UInt8(ascii: ">") {
          emitDoctype(emit)
          state = .data
        }
      case .cdataSection:
        // Reachable in foreign content (and as an initial state in conformance tests).
        if byte == UInt8(ascii: "]") {
          flushText(emit, upTo: index)
          tokenStart = index
          state = .cdataSectionBracket
        } else {
          text(at: index)
        }
      case .cdataSectionBracket:
        if byte == UInt8(ascii: "]") {
          state = .cdataSectionEnd
        } else {
          emitDecoded(byte: UInt8(ascii: "]"), at: tokenStart, emit)
          state = .cdataSection
          continue
        }
      case .cdataSectionEnd:
        if byte == UInt8(ascii: "]") {
          emitDecoded(byte: UInt8(ascii: "]"), at: tokenStart, emit)
          tokenStart += 1
        } else if byte == UInt8(ascii: ">") {
          state = .data
        } else {
          emitDecoded(Array("]]".utf8), at: tokenStart, emit)
          state = .cdataSection
          continue
        }
      }
      index += 1
    }
  }

  private func matches(_ word: String, caseInsensitive: Bool) -> Bool {
    let pattern = Array(word.utf8)
    guard index + pattern.count <= bytes.count else { return false }
    for (offset, expected) in pattern.enumerated() {
      let actual = bytes[index + offset]
      if caseInsensitive ? (actual | 0x20) != expected : actual != expected { return false }
    }
    return true
  }

  /// End of input in each state (§13.2.5: "EOF" rows).
  private mutating func finishAtEnd(_ emit: (HTMLToken) -> Void) {
    switch state {
    case .data, .rcdata, .rawtext, .scriptData, .plaintext, .scriptEscaped, .scriptEscapedDash,
      .scriptEscapedDashDash, .scriptDoubleEscaped, .scriptDoubleEscapedDash, .scriptDoubleEscapedDashDash,
      .scriptEscapeStart, .scriptEscapeStartDash, .scriptDoubleEscapeStart, .scriptDoubleEscapedLessThan,
      .scriptDoubleEscapeEnd:
      flushText(emit, upTo: bytes.count)
    case .tagOpen, .rcdataLessThan, .rawtextLessThan, .scriptLessThan, .scriptEscapedLessThan:
      flushText(emit, upTo: tokenStart)
      emitDecoded(byte: UInt8(ascii: "<"), at: tokenStart, emit)
    case .endTagOpen, .rcdataEndTagOpen, .rawtextEndTagOpen, .scriptEndTagOpen, .scriptEscapedEndTagOpen:
      emitDecoded(Array("</".utf8), at: tokenStart, emit)
    case .rcdataEndTagName, .rawtextEndTagName, .scriptEndTagName, .scriptEscapedEndTagName:
      emitDecoded(Array("</".utf8) + temporaryBuffer, at: tokenStart, emit)
    case .tagName, .beforeAttributeName, .attributeName, .afterAttributeName, .beforeAttributeValue,
      .attributeValueDoubleQuoted, .attributeValueSingleQuoted, .attributeValueUnquoted,
      .afterAttributeValueQuoted, .selfClosingStartTag:
      break  // the unfinished tag is dropped
    case .bogusComment, .commentStart, .commentStartDash, .comment, .commentLessThan, .commentLessThanBang,
      .commentLessThanBangDash, .commentLessThanBangDashDash, .commentEndDash, .commentEnd, .commentEndBang:
      emitComment(emit, end: bytes.count)
    case .markupDeclarationOpen:
      commentData.removeAll()
      emitComment(emit, end: bytes.count)
    case .doctype, .beforeDoctypeName:
      doctypeName = nil
      forceQuirks = true
      emitDoctype(emit)
    case .doctypeName, .afterDoctypeName, .afterDoctypePublicKeyword, .beforeDoctypePublicIdentifier,
      .doctypePublicIdentifierDoubleQuoted, .doctypePublicIdentifierSingleQuoted,
      .afterDoctypePublicIdentifier,
      .betweenDoctypePublicAndSystemIdentifiers, .afterDoctypeSystemKeyword, .beforeDoctypeSystemIdentifier,
      .doctypeSystemIdentifierDoubleQuoted, .doctypeSystemIdentifierSingleQuoted,
      .afterDoctypeSystemIdentifier:
      forceQuirks = true
      emitDoctype(emit)
    case .bogusDoctype:
      emitDoctype(emit)
    case .cdataSection:
      flushText(emit, upTo: bytes.count)
    case .cdataSectionBracket:
      emitDecoded(byte: UInt8(ascii: "]"), at: tokenStart, emit)
    case .cdataSectionEnd:
      emitDecoded(Array("]]".utf8), at: tokenStart, emit)
    }
  }

  // MARK: Character references (§13.2.5.72–80)

  /// Consumes a character reference starting at `&` (the current byte) and emits or appends what
  /// it stands for. Leaves `index` after what was consumed.
  private mutating func consumeCharacterReference(inAttribute: Bool, _ emit: (HTMLToken) -> Void) {
    let ampersand = index
    index += 1
    func output(_ piece: ArraySlice<UInt8>, verbatimFrom start: Int? = nil) {
      if inAttribute {
        if let start {
          appendVerbatimToValue(from: start, to: start + piece.count)
        } else {
          appendDecodedToValue(piece, at: ampersand)
        }
        attributeValueEnd = index
      } else if let start {
        // Not a reference after all: the bytes stay text.
        if pendingTextStart == nil { pendingTextStart = start }
      } else {
        emitDecoded(piece, at: ampersand, emit)
      }
    }
    guard index < bytes.count else {
      output(Self.everyByte[0x26..<0x27], verbatimFrom: ampersand)
      return
    }
    let next = bytes[index]
    if next == UInt8(ascii: "#") {
      index += 1
      var hex = false
      if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "x") {
        hex = true
        index += 1
      }
      var value: UInt32 = 0
      var digits = 0
      while index < bytes.count {
        let byte = bytes[index]
        let digit: UInt32
        if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
          digit = UInt32(byte - UInt8(ascii: "0"))
        } else if hex, let hexDigit = Self.hexDigit(byte) {
          digit = UInt32(hexDigit)
        } else {
          break
        }
        value = min(value &* (hex ? 16 : 10) &+ digit, 0x11_0000)  // clamp: stays above the maximum
        digits += 1
        index += 1
      }
      guard digits > 0 else {
        // "&#" or "&#x" with no digits: not a reference, the bytes are text.
        output(bytes[ampersand..<index], verbatimFrom: ampersand)
        return
      }
      if index < bytes.count, bytes[index] == UInt8(ascii: ";") { index += 1 }
      output(Self.utf8(Self.numericReplacement(value))[...])
      return
    }
    guard Self.isAlphanumeric(next) else {
      output(Self.everyByte[0x26..<0x27], verbatimFrom: ampersand)
      return
    }
    // Longest name in the table that prefixes the input (names are at most 32 bytes with ";").
    var end = index
    while end < bytes.count, end - index < 32, Self.isAlphanumeric(bytes[end]) { end += 1 }
    if end < bytes.count, bytes[end] == UInt8(ascii: ";") { end += 1 }
    var length = end - index
    var match: [UInt8]?
    while length > 0 {
      if let found = NamedReferences.table[String(decoding: bytes[index..<index + length], as: UTF8.self)] {
        match = found
        break
      }
      length -= 1
    }
    if let match {
      let lastIsSemicolon = bytes[index + length - 1] == UInt8(ascii: ";")
      let following = index + length < bytes.count ? bytes[index + length] : 0
      if inAttribute, !lastIsSemicolon, following == UInt8(ascii: "=") || Self.isAlphanumeric(following) {
        // Historical reasons (§13.2.5.73): "&amp=" in attributes stays as written.
        index += length
        output(bytes[ampersand..<index], verbatimFrom: ampersand)
        return
      }
      index += length
      output(match[...])
      return
    }
    // No match: the ampersand and the alphanumerics stay text.
    while index < bytes.count, Self.isAlphanumeric(bytes[index]) { index += 1 }
    output(bytes[ampersand..<index], verbatimFrom: ampersand)
  }

  private static func hexDigit(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  /// The numeric character reference end state's replacements (§13.2.5.80).
  static func numericReplacement(_ value: UInt32) -> UInt32 {
    if value == 0 || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return 0xFFFD }
    // The C1 row is read as Windows-1252, except the five bytes it leaves undefined.
    if (0x80...0x9F).contains(value) { return Windows1252.scalar(for: UInt8(value)).value }
    return value
  }

  static func utf8(_ scalar: UInt32) -> [UInt8] {
    guard let value = Unicode.Scalar(scalar) else { return replacement }
    var bytes: [UInt8] = []
    UTF8.encode(value) { bytes.append($0) }
    return bytes
  }
}

/// The named character reference table, parsed once from its generated text form.
enum NamedReferences {
  static let table: [String: [UInt8]] = {
    var text = namedCharacterReferenceTable
    return text.withUTF8 { parse($0) }
  }()

  /// `name<TAB>HEX[ HEX]` lines, read on bytes (the generated text is ASCII): a split by
  /// Character cost about 35 M instructions, the first time a draft had a named reference. Lines
  /// without exactly one tab are skipped; a code that is not hex is left out, as before.
  static func parse(_ text: UnsafeBufferPointer<UInt8>) -> [String: [UInt8]] {
    var table: [String: [UInt8]] = [:]
    table.reserveCapacity(2_300)
    var lineStart = 0
    while lineStart < text.count {
      var lineEnd = lineStart
      while lineEnd < text.count, text[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      defer { lineStart = lineEnd + 1 }
      guard let tab = text[lineStart..<lineEnd].firstIndex(of: UInt8(ascii: "\t")), tab > lineStart,
        tab + 1 < lineEnd, !text[(tab + 1)..<lineEnd].contains(UInt8(ascii: "\t"))
      else { continue }
      var bytes: [UInt8] = []
      var code: UInt32 = 0
      var digits = 0
      var valid = true
      for index in (tab + 1)...lineEnd {
        let byte = index < lineEnd ? text[index] : UInt8(ascii: " ")
        if byte == UInt8(ascii: " ") {
          if digits > 0, valid { bytes += HTMLTokenizer.utf8(code) }
          code = 0
          digits = 0
          valid = true
          continue
        }
        let value: UInt32
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = UInt32(byte - UInt8(ascii: "A") + 10)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = UInt32(byte - UInt8(ascii: "a") + 10)
        default:
          valid = false
          value = 0
        }
        if digits < 8 { code = code << 4 | value } else { valid = false }
        digits += 1
      }
      table[String(decoding: text[lineStart..<tab], as: UTF8.self)] = bytes
    }
    return table
  }
}
