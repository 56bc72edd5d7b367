import Foundation
import SendlintHTML
import SendlintTestSupport
import Testing

/// The html5lib-tests tokenizer suite (`../shared/conformance/html5lib-tokenizer`): every test in
/// every initial state it lists. Must fail exactly its listed known failures (none today).
@Suite struct HTML5LibTokenizerTests {
  /// A token in html5lib's JSON shape, for comparison.
  enum Expected: Equatable, CustomStringConvertible {
    case start(String, [String: String], Bool)
    case end(String)
    case comment(String)
    case characters(String)
    case doctype(String?, String?, String?, Bool)

    var description: String {
      switch self {
      case .start(let name, let attributes, let selfClosing):
        "StartTag(\(name), \(attributes.sorted { $0.key < $1.key }), \(selfClosing))"
      case .end(let name): "EndTag(\(name))"
      case .comment(let data): "Comment(\(data.debugDescription))"
      case .characters(let data): "Character(\(data.debugDescription))"
      case .doctype(let name, let publicId, let systemId, let correct):
        "DOCTYPE(\(name ?? "nil"), \(publicId ?? "nil"), \(systemId ?? "nil"), \(correct))"
      }
    }
  }

  static func unescape(_ text: String) -> String {
    // doubleEscaped tests write code units as \uXXXX; lone surrogates become U+FFFD (not UTF-8).
    var units: [UInt16] = []
    let scalars = Array(text.unicodeScalars)
    var index = 0
    while index < scalars.count {
      if scalars[index] == "\\", index + 5 < scalars.count, scalars[index + 1] == "u",
        let value = UInt16(String(String.UnicodeScalarView(scalars[(index + 2)...(index + 5)])), radix: 16)
      {
        units.append(value)
        index += 6
      } else {
        units.append(contentsOf: String(scalars[index]).utf16)
        index += 1
      }
    }
    return String(decoding: units, as: UTF16.self)
  }

  static func expected(_ output: [Any], doubleEscaped: Bool) -> [Expected] {
    func text(_ value: Any?) -> String? {
      guard let string = value as? String else { return nil }
      return doubleEscaped ? unescape(string) : string
    }
    var tokens: [Expected] = []
    for case let item as [Any] in output {
      guard let kind = item.first as? String else { continue }
      switch kind {
      case "StartTag":
        var attributes: [String: String] = [:]
        for (key, value) in (item[2] as? [String: String]) ?? [:] {
          attributes[text(key) ?? key] = text(value) ?? value
        }
        tokens.append(
          .start(text(item[1]) ?? "", attributes, item.count > 3 ? (item[3] as? Bool ?? false) : false))
      case "EndTag": tokens.append(.end(text(item[1]) ?? ""))
      case "Comment": tokens.append(.comment(text(item[1]) ?? ""))
      case "Character":
        let data = text(item[1]) ?? ""
        if case .characters(let previous) = tokens.last {
          tokens[tokens.count - 1] = .characters(previous + data)
        } else {
          tokens.append(.characters(data))
        }
      case "DOCTYPE":
        tokens.append(.doctype(text(item[1]), text(item[2]), text(item[3]), item[4] as? Bool ?? false))
      default: break
      }
    }
    return tokens
  }

  static func tokenize(_ input: String, state: HTMLTokenizer.State, lastStartTag: String?) -> [Expected] {
    var tokenizer = HTMLTokenizer(bytes: Array(input.utf8))
    tokenizer.state = state
    tokenizer.lastStartTagName = lastStartTag
    tokenizer.switchesContentModel = false
    var tokens: [Expected] = []
    tokenizer.tokenize { token in
      switch token {
      case .startTag(let tag):
        var attributes: [String: String] = [:]
        for attribute in tag.attributes { attributes[attribute.name] = attribute.value }
        tokens.append(.start(tag.name, attributes, tag.selfClosing))
      case .endTag(let name, _, _): tokens.append(.end(name))
      case .comment(let data, _, _, _): tokens.append(.comment(data))
      case .characters(let bytes, _, _):
        let data = String(decoding: bytes, as: UTF8.self)
        if case .characters(let previous) = tokens.last {
          tokens[tokens.count - 1] = .characters(previous + data)
        } else {
          tokens.append(.characters(data))
        }
      case .doctype(let name, let publicId, let systemId, let forceQuirks, _):
        tokens.append(.doctype(name, publicId, systemId, !forceQuirks))
      }
    }
    return tokens
  }

  static let states: [String: HTMLTokenizer.State] = [
    "Data state": .data, "PLAINTEXT state": .plaintext, "RCDATA state": .rcdata, "RAWTEXT state": .rawtext,
    "Script data state": .scriptData, "CDATA section state": .cdataSection,
  ]

  @Test(
    .enabled(
      if: TestPaths.sharedHas("conformance/html5lib-tokenizer"),
      "../shared/conformance/html5lib-tokenizer is absent"))
  func conformance() throws {
    let shared = try #require(TestPaths.shared)
    let directory = shared + "/conformance/html5lib-tokenizer"
    var passed = 0
    var failures: [(key: String, detail: String)] = []
    for file in try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    where file.hasSuffix(".test") {
      let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
      let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
      for case let test as [String: Any] in (object?["tests"] as? [Any]) ?? [] {
        let doubleEscaped = test["doubleEscaped"] as? Bool ?? false
        var input = test["input"] as? String ?? ""
        if doubleEscaped { input = Self.unescape(input) }
        let want = Self.expected(test["output"] as? [Any] ?? [], doubleEscaped: doubleEscaped)
        for stateName in (test["initialStates"] as? [String]) ?? ["Data state"] {
          guard let state = Self.states[stateName] else {
            failures.append(
              (
                "\(file): \(test["description"] ?? "") [\(stateName)]",
                "\(file): \(test["description"] ?? "") [\(stateName)]: unknown state"
              ))
            continue
          }
          let got = Self.tokenize(input, state: state, lastStartTag: test["lastStartTag"] as? String)
          if got == want {
            passed += 1
          } else {
            failures.append(
              (
                "\(file): \(test["description"] ?? "") [\(stateName)]",
                "\(file): \(test["description"] ?? "") [\(stateName)]\n    input: \(input.debugDescription)\n    want:  \(want)\n    got:   \(got)"
              ))
          }
        }
      }
    }
    try KnownFailures("html5lib-tokenizer").check(
      suite: "html5lib tokenizer", passed: passed, failures: failures)
  }
}
