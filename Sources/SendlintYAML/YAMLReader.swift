import CYaml
import SendlintCore
import Yams

/// A YAML node with the file it came from: what strict readers pass around.
public typealias YAMLNode = Yams.Node

/// Reads YAML documents strictly, collecting every problem as a `Diagnostic` with `file:line:col`,
/// the offending line and a suggestion. Documents are composed, not decoded, so unquoted `off` and
/// `no` stay strings (YAML 1.1 would turn them into booleans) and every node keeps its mark.
public struct YAMLReader {
  public let file: SourceFile
  public private(set) var diagnostics: [Diagnostic] = []
  /// Prefix of diagnostic codes: `policy` or `manifest`.
  public let codePrefix: String
  /// Where `offset(of:)` last stopped (line, column in characters, byte offset).
  private let cursor = OffsetCursor()
  /// The line last quoted in a diagnostic.
  private var lastLine: (number: Int, text: String) = (0, "")

  private final class OffsetCursor {
    var line = 0
    var column = 1
    var offset = 0
  }

  public init(file: SourceFile, codePrefix: String) {
    self.file = file
    self.codePrefix = codePrefix
  }

  /// Yams' default constructor, made once: its maps are immutable (`let`), and no reader here
  /// asks a node for its `any` value, the only thing that consults them.
  nonisolated(unsafe) private static let constructor = Constructor()

  /// Deepest nesting of mappings and lists: sendlint's own files need fewer than ten levels.
  public static let maximumDepth = 64
  /// Most entries in one mapping or items in one list.
  public static let maximumItemsPerNode = 10_000
  /// Most nodes (scalars, mappings, lists) in one file.
  public static let maximumNodes = 100_000

  /// Composes the single document in the file. Syntax errors become diagnostics.
  ///
  /// The event stream is checked first (`boundsProblem`): Yams expands every alias where it is
  /// used, so a "billion laughs" file of ten anchors, each listing the previous one ten times, is
  /// ten lines but a tree of 10^10 nodes for whoever walks it, and composing hashes whole subtrees
  /// for mapping keys. sendlint's files never need anchors, so an alias is refused before any node
  /// is built, as are files nested too deeply or too wide.
  public mutating func root() -> YAMLNode? {
    let scan = Self.scan(file.text)
    if let problem = scan.problem {
      report(problem.code, problem.message, at: problem.position, help: problem.help)
      return nil
    }
    // Yams would refuse the first duplicate with the whole file as its context, at the first
    // occurrence; each is reported here at the one to delete instead.
    if !scan.duplicates.isEmpty {
      for duplicate in scan.duplicates {
        report(duplicate.code, duplicate.message, at: duplicate.position, help: duplicate.help)
      }
      return nil
    }
    do {
      // `.basic`: no tag-resolution rules. Every reader here takes scalars as text and interprets
      // them itself (`bool`, `integer`), so Yams' default resolver, which matches each mapping
      // key against NSRegularExpressions for bool/int/float/null/timestamp while checking for
      // duplicate keys, only cost start-up time (~8 M instructions for the recommended pack).
      // The constructor and encoding are given too: Yams' defaults build a new constructor's
      // maps and copy the whole environment (to read `YAMS_DEFAULT_ENCODING`) for every file
      // (0.5 M instructions each), and that variable would make Yams print a line on standard
      // output, inside a JSON or SARIF report.
      return try Yams.compose(yaml: file.text, .basic, Self.constructor, .utf8)
    } catch let error as YamlError {
      switch error {
      case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
        .composer(let context, let problem, let mark, _):
        let detail = context.map { "\($0.text) " } ?? ""
        report(
          "syntax", "invalid YAML: \(detail)\(problem)",
          at: SourcePosition(line: mark.line, column: mark.column))
      case .duplicatedKeysInMapping(let duplicates, let context):
        // Only for keys the event scan does not compare (a mapping or list used as a key). Never
        // `context.text`: it is the whole file.
        report(
          "duplicate-key",
          "duplicate key \(duplicates.prefix(3).map(Self.describeComposedKey).joined(separator: ", ")) in a mapping",
          at: SourcePosition(line: context.mark.line, column: context.mark.column),
          help: "each key may appear once in a mapping; merge the entries into one")
      default:
        report("syntax", "invalid YAML: \(error)", at: nil)
      }
      return nil
    } catch {
      report("syntax", "invalid YAML: \(error)", at: nil)
      return nil
    }
  }

  /// A file the reader refuses before composing it, and where.
  struct BoundsProblem {
    let code: String
    let message: String
    let position: SourcePosition
    let help: String
  }

  /// The first alias, or nesting, width or size over a limit, found in one pass over libyaml's
  /// events (linear in the file, no node built). Nil when the file is within bounds or is not
  /// valid YAML (composing then reports the syntax error with its own message).
  static func boundsProblem(in text: String) -> BoundsProblem? { scan(text).problem }

  /// A mapping being read in `scan`: whether the next node is a key, and the scalar keys so far.
  private struct OpenMapping {
    var expectingKey = true
    var seen: [String: SourcePosition] = [:]
  }

  /// One pass over libyaml's events: the first problem `boundsProblem` describes, and every
  /// scalar key repeated in its mapping, at the repeat, naming the first occurrence. Stops at the
  /// first syntax error (composing then reports it). The keys held are bounded by the file.
  static func scan(_ text: String) -> (problem: BoundsProblem?, duplicates: [BoundsProblem]) {
    var duplicates: [BoundsProblem] = []
    var bytes = Array(text.utf8)
    let problem = bytes.withUnsafeMutableBufferPointer { buffer -> BoundsProblem? in
      var parser = yaml_parser_t()
      guard yaml_parser_initialize(&parser) == 1 else { return nil }
      defer { yaml_parser_delete(&parser) }
      yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
      // Events left before each open collection is over its limit (a mapping's entries are two
      // events each: key and value).
      var open: [Int] = []
      // Parallel to `open`: the mapping state of each open collection (nil for a list).
      var mappings: [OpenMapping?] = []
      var nodes = 0
      while true {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
        defer { yaml_event_delete(&event) }
        let type = event.type
        if type == YAML_STREAM_END_EVENT { return nil }
        let position = SourcePosition(
          line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch type {
        case YAML_ALIAS_EVENT:
          let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
          return BoundsProblem(
            code: "yaml-alias",
            message: "YAML alias \"*\(Self.quoted(name))\" is not allowed in sendlint's files",
            position: position,
            help:
              "write the value out where it is needed; anchors and aliases can expand a small file into a huge one"
          )
        case YAML_SCALAR_EVENT, YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
          if let last = mappings.indices.last, var mapping = mappings[last] {
            if mapping.expectingKey, type == YAML_SCALAR_EVENT, let value = event.data.scalar.value {
              let key = String(
                decoding: UnsafeBufferPointer(
                  start: UnsafePointer(value), count: Int(event.data.scalar.length)), as: UTF8.self)
              if let first = mapping.seen[key] {
                duplicates.append(
                  BoundsProblem(
                    code: "duplicate-key",
                    message:
                      "duplicate key \"\(Self.quoted(key))\": it is already set at line \(first.line), column \(first.column) of this mapping",
                    position: position,
                    help:
                      "a key may appear once in a mapping; merge this entry into the one at line \(first.line) and delete it here"
                  ))
              } else {
                mapping.seen[key] = position
              }
            }
            mapping.expectingKey.toggle()
            mappings[last] = mapping
          }
          nodes += 1
          if nodes > maximumNodes {
            return BoundsProblem(
              code: "limit-exceeded",
              message: "the file has more than \(maximumNodes) YAML values (the limit)", position: position,
              help: "split the file or remove what is not needed")
          }
          if !open.isEmpty {
            open[open.count - 1] -= 1
            if open[open.count - 1] < 0 {
              return BoundsProblem(
                code: "limit-exceeded",
                message: "a mapping or list has more than \(maximumItemsPerNode) entries (the limit)",
                position: position, help: "split the list or remove what is not needed")
            }
          }
          if type != YAML_SCALAR_EVENT {
            open.append(type == YAML_MAPPING_START_EVENT ? 2 * maximumItemsPerNode : maximumItemsPerNode)
            mappings.append(type == YAML_MAPPING_START_EVENT ? OpenMapping() : nil)
            if open.count > maximumDepth {
              return BoundsProblem(
                code: "limit-exceeded",
                message: "mappings and lists are nested more than \(maximumDepth) levels deep (the limit)",
                position: position, help: "flatten the structure; sendlint's files need only a few levels")
            }
          }
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
          _ = open.popLast()
          _ = mappings.popLast()
        case YAML_DOCUMENT_START_EVENT:
          // Keys repeat freely across documents.
          mappings.removeAll()
        default: break
        }
      }
    }
    return (problem, duplicates)
  }

  /// A key Yams names in a duplicate-key error: quoted, or, for a list or mapping used as a key
  /// (which Yams names "<uncovertable>"; scalar keys never get here, the event scan compares them),
  /// what it is.
  static func describeComposedKey(_ name: String) -> String {
    name == "<uncovertable>" ? "(a list or mapping used as a key)" : "\"\(quoted(name))\""
  }

  /// An anchor name for a message: at most 40 characters, escaped as every quoted value is
  /// (`DisplayEscaping`: controls, bidi and line breaks as `\u{…}`).
  static func quoted(_ name: String) -> String {
    let shown = String(String.UnicodeScalarView(name.unicodeScalars.prefix(40))).escapedForDisplay
    return name.unicodeScalars.count > 40 ? shown + "…" : shown
  }

  // MARK: Reporting

  public func position(of node: YAMLNode) -> SourcePosition? {
    node.mark.map { SourcePosition(line: $0.line, column: $0.column) }
  }

  /// The byte offset of a node's start in the file.
  ///
  /// Marks count columns in characters, so the offset is found by walking the line; the walk
  /// resumes from the previous answer when it lies earlier on the same line, as readers ask in
  /// document order. Without that, a flow list of 10,000 items on one line cost 10,000 walks of
  /// up to the whole line: quadratic, minutes for a 100 kB line.
  public func offset(of node: YAMLNode) -> Int {
    guard let mark = node.mark, mark.line >= 1, mark.line <= file.lineStarts.count else { return 0 }
    var offset = file.lineStarts[mark.line - 1]
    var column = 1
    if cursor.line == mark.line, cursor.column <= mark.column {
      offset = cursor.offset
      column = cursor.column
    }
    defer { (cursor.line, cursor.column, cursor.offset) = (mark.line, column, offset) }
    while column < mark.column, offset < file.bytes.count {
      offset += 1
      while offset < file.bytes.count, file.bytes[offset] & 0xC0 == 0x80 { offset += 1 }
      column += 1
    }
    return offset
  }

  /// The source range of a node: a scalar's text, or the first line of a collection.
  public func range(of node: YAMLNode) -> SourceRange {
    let start = offset(of: node)
    var end = start
    if case .scalar(let scalar) = node {
      end = start + scalar.string.utf8.count + (scalar.style == .plain ? 0 : 2)
      end = min(end, file.bytes.count)
      let lineIndex = file.lineIndex(of: start)
      let lineEnd =
        lineIndex + 1 < file.lineStarts.count ? file.lineStarts[lineIndex + 1] - 1 : file.bytes.count
      end = min(end, max(start, lineEnd))
    }
    return SourceRange(file: file, start: start, end: end)
  }

  /// Diagnostics after this many carry no source line. Callers show at most 50 per file, and a
  /// hostile file of 50,000 repeated or unknown keys on one 300 kB line would otherwise hold 50,000
  /// copies of it (14 GB, 40 s measured before this limit).
  public static let maximumQuotedLines = 100

  public mutating func report(
    _ code: String, _ message: String, at position: SourcePosition?, help: String? = nil
  ) {
    var sourceLine: String?
    if let position, diagnostics.count < Self.maximumQuotedLines {
      // Consecutive reports on one line share one copy of it.
      if lastLine.number != position.line {
        (lastLine.number, lastLine.text) = (position.line, file.lineText(position.line))
      }
      sourceLine = lastLine.text
    }
    diagnostics.append(
      Diagnostic(
        code: "\(codePrefix)/\(code)", message: message, help: help, path: file.path, position: position,
        sourceLine: sourceLine))
  }

  public mutating func report(_ code: String, _ message: String, at node: YAMLNode, help: String? = nil) {
    report(code, message, at: position(of: node), help: help)
  }

  /// Adds diagnostics produced elsewhere (e.g. by a nested reader).
  public mutating func append(_ more: [Diagnostic]) { diagnostics += more }

  // MARK: Typed access

  /// The entries of a mapping, with unknown keys reported (and a "did you mean" when one is close).
  public mutating func mapping(_ node: YAMLNode, allowed: [String], context: String) -> [(
    key: String, keyNode: YAMLNode, value: YAMLNode
  )] {
    mapping(node, allowed: allowed, context: context, explain: nil)
  }

  /// `mapping`, with `explain` giving a better help for an unknown key (one that belongs elsewhere).
  public mutating func mapping(
    _ node: YAMLNode, allowed: [String], context: String, explain: ((String) -> String?)?
  ) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
    guard case .mapping(let mapping) = node else {
      report("wrong-type", "\(context) must be a mapping of keys to values, not \(describe(node))", at: node)
      return []
    }
    var entries: [(String, YAMLNode, YAMLNode)] = []
    for (key, value) in mapping {
      let name = key.string ?? ""
      if !allowed.isEmpty, !allowed.contains(name) {
        report(
          "unknown-key", "unknown key \"\(Self.quoted(name))\" in \(context)", at: key,
          help: explain?(name) ?? Self.unknownKeyHelp(name, allowed: allowed))
        continue
      }
      entries.append((name, key, value))
    }
    return entries
  }

  /// The help of an unknown key: the nearest key valid at that position, then every valid key.
  public static func unknownKeyHelp(_ name: String, allowed: [String]) -> String {
    let keys = "keys allowed here: \(allowed.joined(separator: ", "))"
    guard let suggestion = Suggestion.nearest(to: name, in: allowed) else {
      return keys + "; remove or rename it"
    }
    return "did you mean \"\(suggestion)\"? \(keys)"
  }

  /// A mapping with free-form keys (e.g. `rules`, `variables`).
  public mutating func openMapping(_ node: YAMLNode, context: String) -> [(
    key: String, keyNode: YAMLNode, value: YAMLNode
  )] {
    mapping(node, allowed: [], context: context)
  }

  public mutating func string(_ node: YAMLNode, context: String) -> String? {
    guard case .scalar(let scalar) = node else {
      report("wrong-type", "\(context) must be a single value, not \(describe(node))", at: node)
      return nil
    }
    return scalar.string
  }

  /// A list of strings; a single scalar is accepted as a one-item list.
  public mutating func strings(_ node: YAMLNode, context: String) -> [(value: String, node: YAMLNode)] {
    switch node {
    case .scalar(let scalar):
      if scalar.string.isEmpty && scalar.style == .plain { return [] }
      return [(scalar.string, node)]
    case .sequence(let sequence):
      var values: [(String, YAMLNode)] = []
      for item in sequence {
        if let value = string(item, context: "each item of \(context)") { values.append((value, item)) }
      }
      return values
    default:
      report("wrong-type", "\(context) must be a list of values, not \(describe(node))", at: node)
      return []
    }
  }

  /// A list of arbitrary nodes.
  public mutating func sequence(_ node: YAMLNode, context: String) -> [YAMLNode] {
    if case .sequence(let sequence) = node { return Array(sequence) }
    report("wrong-type", "\(context) must be a list, not \(describe(node))", at: node)
    return []
  }

  /// A YAML 1.1 boolean (`true/false/yes/no/on/off`).
  public mutating func bool(_ node: YAMLNode, context: String) -> Bool? {
    guard let text = string(node, context: context) else { return nil }
    switch text.lowercased() {
    case "true", "yes", "on", "y": return true
    case "false", "no", "off", "n": return false
    default:
      report("wrong-type", "\(context) must be true or false, not \"\(text)\"", at: node)
      return nil
    }
  }

  public mutating func integer(_ node: YAMLNode, context: String) -> Int? {
    guard let text = string(node, context: context) else { return nil }
    guard let value = Int(text) else {
      report("wrong-type", "\(context) must be a whole number, not \"\(text)\"", at: node)
      return nil
    }
    return value
  }

  public func describe(_ node: YAMLNode) -> String {
    switch node {
    case .scalar(let scalar): "the value \"\(scalar.string)\""
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    }
  }
}
