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

  public init(file: SourceFile, codePrefix: String) {
    self.file = file
    self.codePrefix = codePrefix
  }

  /// Composes the single document in the file. Syntax errors become diagnostics.
  public mutating func root() -> YAMLNode? {
    do {
      return try Yams.compose(yaml: file.text)
    } catch let error as YamlError {
      switch error {
      case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
        .composer(let context, let problem, let mark, _):
        let detail = context.map { "\($0.text) " } ?? ""
        report("syntax", "invalid YAML: \(detail)\(problem)", at: SourcePosition(line: mark.line, column: mark.column))
      case .duplicatedKeysInMapping(let duplicates, let context):
        report("duplicate-key", "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) \(context.text)", at: SourcePosition(line: context.mark.line, column: context.mark.column), help: "each key may appear once in a mapping; merge the two entries")
      default:
        report("syntax", "invalid YAML: \(error)", at: nil)
      }
      return nil
    } catch {
      report("syntax", "invalid YAML: \(error)", at: nil)
      return nil
    }
  }

  // MARK: Reporting

  public func position(of node: YAMLNode) -> SourcePosition? {
    node.mark.map { SourcePosition(line: $0.line, column: $0.column) }
  }

  /// The byte offset of a node's start in the file.
  public func offset(of node: YAMLNode) -> Int {
    guard let mark = node.mark, mark.line >= 1, mark.line <= file.lineStarts.count else { return 0 }
    var offset = file.lineStarts[mark.line - 1]
    var column = 1
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
      let lineEnd = lineIndex + 1 < file.lineStarts.count ? file.lineStarts[lineIndex + 1] - 1 : file.bytes.count
      end = min(end, max(start, lineEnd))
    }
    return SourceRange(file: file, start: start, end: end)
  }

  public mutating func report(_ code: String, _ message: String, at position: SourcePosition?, help: String? = nil) {
    diagnostics.append(Diagnostic(
      code: "\(codePrefix)/\(code)", message: message, help: help, path: file.path, position: position,
      sourceLine: position.map { file.lineText($0.line) }))
  }

  public mutating func report(_ code: String, _ message: String, at node: YAMLNode, help: String? = nil) {
    report(code, message, at: position(of: node), help: help)
  }

  /// Adds diagnostics produced elsewhere (e.g. by a nested reader).
  public mutating func append(_ more: [Diagnostic]) { diagnostics += more }

  // MARK: Typed access

  /// The entries of a mapping, with unknown keys reported (and a "did you mean" when one is close).
  public mutating func mapping(_ node: YAMLNode, allowed: [String], context: String) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
    guard case .mapping(let mapping) = node else {
      report("wrong-type", "\(context) must be a mapping of keys to values, not \(describe(node))", at: node)
      return []
    }
    var entries: [(String, YAMLNode, YAMLNode)] = []
    for (key, value) in mapping {
      let name = key.string ?? ""
      if !allowed.isEmpty, !allowed.contains(name) {
        let suggestion = Suggestion.nearest(to: name, in: allowed)
        report(
          "unknown-key", "unknown key \"\(name)\" in \(context)", at: key,
          help: suggestion.map { "did you mean \"\($0)\"?" } ?? "allowed keys: \(allowed.joined(separator: ", "))")
        continue
      }
      entries.append((name, key, value))
    }
    return entries
  }

  /// A mapping with free-form keys (e.g. `rules`, `variables`).
  public mutating func openMapping(_ node: YAMLNode, context: String) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)] {
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
