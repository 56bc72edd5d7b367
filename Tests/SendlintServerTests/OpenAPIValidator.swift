import Foundation
import Yams

/// A small structural validator for the subset of JSON Schema that docs/openapi.yaml uses:
/// `$ref` into components, `type` (a name or a list, "null" included), `enum`, `required`,
/// `properties`, `additionalProperties` (a schema), `items`, `oneOf`. Enough to catch a
/// response that drops a required key or changes a type.
struct OpenAPIDocument {
  let root: [String: Any]

  static func load() throws -> OpenAPIDocument {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .appendingPathComponent("docs/openapi.yaml")
    let text = try String(contentsOf: url, encoding: .utf8)
    guard let root = try Yams.load(yaml: text) as? [String: Any] else {
      throw ClientError("docs/openapi.yaml is not a mapping")
    }
    return OpenAPIDocument(root: root)
  }

  func schema(_ name: String) throws -> [String: Any] {
    guard let components = root["components"] as? [String: Any],
      let schemas = components["schemas"] as? [String: Any],
      let schema = schemas[name] as? [String: Any]
    else { throw ClientError("no components.schemas.\(name) in docs/openapi.yaml") }
    return schema
  }

  /// The schema a path's operation declares for a status code's JSON body, refs followed.
  func responseSchema(path: String, method: String, status: Int) throws -> [String: Any] {
    guard let paths = root["paths"] as? [String: Any], let item = paths[path] as? [String: Any],
      let operation = item[method] as? [String: Any],
      let responses = operation["responses"] as? [String: Any],
      var response = responses[String(status)] as? [String: Any]
    else { throw ClientError("docs/openapi.yaml declares no \(status) for \(method) \(path)") }
    if let ref = response["$ref"] as? String { response = try resolve(ref) }
    guard let content = response["content"] as? [String: Any],
      let json = content["application/json"] as? [String: Any],
      let schema = json["schema"] as? [String: Any]
    else { throw ClientError("\(status) for \(method) \(path) has no application/json schema") }
    return schema
  }

  func resolve(_ ref: String) throws -> [String: Any] {
    guard ref.hasPrefix("#/") else { throw ClientError("unsupported $ref \(ref)") }
    var node: Any = root
    for key in ref.dropFirst(2).split(separator: "/") {
      guard let map = node as? [String: Any], let next = map[String(key)] else {
        throw ClientError("dangling $ref \(ref)")
      }
      node = next
    }
    guard let schema = node as? [String: Any] else { throw ClientError("$ref \(ref) is not a mapping") }
    return schema
  }

  /// Every violation of `schema` by `value`, as "path: problem" lines; empty when it conforms.
  func violations(of value: Any?, against schema: [String: Any], at path: String = "$") throws -> [String] {
    if let ref = schema["$ref"] as? String {
      return try violations(of: value, against: resolve(ref), at: path)
    }
    if let options = schema["oneOf"] as? [[String: Any]] {
      let matching = try options.filter { try violations(of: value, against: $0, at: path).isEmpty }.count
      return matching == 1
        ? [] : ["\(path): matches \(matching) of oneOf's \(options.count) schemas, not exactly 1"]
    }
    var problems: [String] = []
    if let type = schema["type"] {
      let types = (type as? [String]) ?? [(type as? String) ?? ""]
      guard types.contains(where: { Self.isOfType(value, $0) }) else {
        return ["\(path): \(String(describing: value ?? "nil")) is not of type \(types)"]
      }
    }
    if let options = schema["enum"] as? [Any], let value {
      if !options.contains(where: { "\($0)" == "\(value)" }) {
        problems.append("\(path): \(value) is not one of \(options)")
      }
    }
    if let object = value as? [String: Any] {
      for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
        problems.append("\(path): required key \(key) is missing")
      }
      let properties = (schema["properties"] as? [String: Any]) ?? [:]
      for (key, element) in object {
        if let property = properties[key] as? [String: Any] {
          problems += try violations(of: element, against: property, at: "\(path).\(key)")
        } else if let additional = schema["additionalProperties"] as? [String: Any] {
          problems += try violations(of: element, against: additional, at: "\(path).\(key)")
        }
      }
    }
    if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
      for (index, element) in array.enumerated() {
        problems += try violations(of: element, against: items, at: "\(path)[\(index)]")
      }
    }
    return problems
  }

  static func isOfType(_ value: Any?, _ type: String) -> Bool {
    switch type {
    case "null": return value == nil || value is NSNull
    case "string": return value is String
    case "integer":
      guard let number = value as? NSNumber,
        !(value is Bool) || "\(number)" != "true" && "\(number)" != "false"
      else { return false }
      return number.doubleValue == number.doubleValue.rounded()
    case "number": return value is NSNumber
    case "boolean": return value is Bool
    case "object": return value is [String: Any]
    case "array": return value is [Any]
    default: return false
    }
  }
}
