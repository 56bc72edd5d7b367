import Foundation
import SendlintCore
import SendlintRules

/// A JSON Schema (draft-07) for `.sendlint.yaml`, generated from `PolicyDefinition` (the typed
/// description the loader validates keys and severities against) and from rule metadata (ids,
/// option names and types), so editors complete exactly what the loader accepts.
/// `docs/sendlint-policy.schema.json` is this output (`sendlint policy schema` prints it); a test
/// keeps it current.
public enum PolicySchema {
  typealias Object = [String: Any]

  /// The schema of a severity: the loader's spellings, plus the boolean `false` that YAML 1.1
  /// makes of unquoted `off`/`no`/`false` when the file is converted to JSON.
  static var severity: Object {
    [
      "enum": PolicyDefinition.severitySpellings.map { $0.spelling as Any } + [false],
      "description": "error, warning, info or off.",
    ]
  }

  static func described(_ schema: Object, _ summary: String?) -> Object {
    guard let summary else { return schema }
    var schema = schema
    schema["description"] = summary
    return schema
  }

  static func schema(for shape: PolicyShape, rule: RuleMetadata? = nil) -> Object {
    switch shape {
    case .string(let format):
      switch format {
      case .plain: return ["type": "string"]
      // Not `format: regex`: that is ECMA-262, and RE2's `(?i)` is not valid there.
      case .regex: return ["type": "string"]
      case .uri: return ["type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"]
      case .date: return ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"]
      }
    case .strings:
      // An empty value (`domains:`) is no entries to the loader; JSON has it as null.
      return [
        "oneOf": [["type": "string"], ["type": "array", "items": ["type": "string"]], ["type": "null"]]
      ]
    case .stringList: return ["type": "array", "items": ["type": "string"]]
    case .choice(let choices): return ["enum": choices]
    case .version: return ["enum": [1, "1"]]
    case .boolean: return ["type": "boolean"]
    case .severity: return severity
    case .mapping(let mapping): return object(mapping, rule: rule)
    case .list(let item): return ["type": "array", "items": schema(for: item, rule: rule)]
    case .namedMappings(let value):
      return ["type": "object", "additionalProperties": schema(for: value, rule: rule)]
    case .ruleSettings: return ruleSettings()
    case .ruleOptions:
      // Without a rule: a custom rule's setting, and custom rules take no options.
      var options: [String: Object] = [:]
      for spec in rule?.options ?? [] { options[spec.name] = optionSchema(spec) }
      return ["type": "object", "additionalProperties": false, "properties": options]
    }
  }

  /// A closed mapping; with variants, each value of the discriminating key allows only its keys.
  static func object(_ mapping: PolicyMapping, rule: RuleMetadata? = nil) -> Object {
    var properties: [String: Object] = [:]
    for key in mapping.keys {
      var value = described(schema(for: key.shape, rule: rule), key.summary)
      if key.name == "message", let rule, case .string = key.shape {
        value["description"] =
          "Replaces the message; placeholders: "
          + (["message", "rule"] + rule.placeholders).map { "{{\($0)}}" }.joined(separator: ", ")
      }
      properties[key.name] = value
    }
    var schema: Object = ["type": "object", "additionalProperties": false, "properties": properties]
    if !mapping.required.isEmpty { schema["required"] = mapping.required }
    if !mapping.requiredAny.isEmpty { schema["anyOf"] = mapping.requiredAny.map { ["required": [$0]] } }
    if let variants = mapping.variants {
      schema["allOf"] = variants.keysByValue.map { variant -> Object in
        [
          "if": ["properties": [variants.key: ["const": variant.value]], "required": [variants.key]],
          "then": ["propertyNames": ["enum": variants.common + variant.keys]],
        ]
      }
    }
    return schema
  }

  static func optionSchema(_ spec: OptionSpec) -> Object {
    var schema: Object
    switch spec.kind {
    case .string: schema = ["type": "string"]
    case .bool: schema = ["type": "boolean"]
    case .int(let range):
      schema = ["type": "integer", "minimum": range.lowerBound, "maximum": range.upperBound]
    case .choice(let choices): schema = ["enum": choices]
    case .strings: schema = ["type": "array", "items": ["type": "string"]]
    }
    schema["description"] = spec.help
    return schema
  }

  /// Every built-in rule by id (a severity, or a detailed setting with its own options); other
  /// ids are the policy's custom rules, which take no options.
  static func ruleSettings() -> Object {
    var properties: [String: Object] = [:]
    for metadata in RuleRegistry.allMetadata {
      properties[metadata.id] = [
        "description": metadata.summary,
        "oneOf": [severity, object(PolicyDefinition.ruleSetting, rule: metadata)],
      ]
    }
    var customSetting = object(PolicyDefinition.ruleSetting)
    customSetting["description"] = "A custom rule of this policy (custom_rules)."
    return [
      "type": "object", "properties": properties,
      "additionalProperties": ["oneOf": [severity, customSetting]],
      "propertyNames": ["pattern": "^[^/\\s]+/[^/\\s]+$"],
    ]
  }

  public static func generate() -> String {
    var schema = object(PolicyDefinition.top)
    schema["description"] = "sendlint policy (.sendlint.yaml)"
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["$id"] = "https://github.com/sendlint/sendlint/blob/main/docs/sendlint-policy.schema.json"
    schema["title"] = "sendlint policy"
    precondition(
      JSONSerialization.isValidJSONObject(schema), "the policy schema holds a value JSON cannot represent")
    // JSONSerialization on dictionaries of plain values cannot fail.
    let data = try! JSONSerialization.data(
      withJSONObject: schema, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
