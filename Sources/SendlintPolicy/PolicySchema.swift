import Foundation
import SendlintCore
import SendlintRules

/// A JSON Schema (draft-07) for `.sendlint.yaml`, generated from the key lists the loader checks
/// against and from rule metadata (ids, option names and types), so editors complete what the
/// loader accepts. `docs/sendlint-policy.schema.json` is this output; a test keeps it current.
public enum PolicySchema {
  typealias Object = [String: Any]

  static func strings(_ description: String? = nil) -> Object {
    var schema: Object = ["oneOf": [["type": "string"], ["type": "array", "items": ["type": "string"]]]]
    if let description { schema["description"] = description }
    return schema
  }

  static func object(_ properties: [String: Object], required: [String] = [], description: String? = nil) -> Object {
    var schema: Object = ["type": "object", "additionalProperties": false, "properties": properties]
    if !required.isEmpty { schema["required"] = required }
    if let description { schema["description"] = description }
    return schema
  }

  static var severity: Object { ["enum": ["error", "warning", "info", "off", "no", "false", false]] }

  static func optionSchema(_ spec: OptionSpec) -> Object {
    var schema: Object
    switch spec.kind {
    case .string: schema = ["type": "string"]
    case .bool: schema = ["type": "boolean"]
    case .int(let range): schema = ["type": "integer", "minimum": range.lowerBound, "maximum": range.upperBound]
    case .choice(let choices): schema = ["enum": choices]
    case .strings: schema = ["type": "array", "items": ["type": "string"]]
    }
    schema["description"] = spec.help
    return schema
  }

  static func ruleSettings() -> Object {
    var properties: [String: Object] = [:]
    for metadata in RuleRegistry.allMetadata {
      var options: [String: Object] = [:]
      for spec in metadata.options { options[spec.name] = optionSchema(spec) }
      let detailed = object([
        "severity": severity, "categories": strings("Only in drafts of these categories."),
        "message": ["type": "string", "description": "Replaces the message; placeholders: " + (["message", "rule"] + metadata.placeholders).map { "{{\($0)}}" }.joined(separator: ", ")],
        "options": object(options),
      ])
      properties[metadata.id] = ["description": metadata.summary, "oneOf": [severity, detailed]]
    }
    // Custom rules defined by the policy are configured the same way.
    return ["type": "object", "properties": properties, "additionalProperties": ["oneOf": [severity, ["type": "object"]]]]
  }

  static func vendor() -> Object {
    let properties: [String: Object] = [
      "name": ["type": "string"], "sending_ips": strings("IPv4/IPv6 addresses or CIDR blocks."),
      "hosts": strings("Brand hosts the vendor operates."), "categories": strings("Categories the vendor may send."),
    ]
    precondition(Set(properties.keys) == Set(PolicyLoader.vendorKeys), "schema and loader disagree on vendor keys")
    return object(properties, required: ["name"])
  }

  static func customRule() -> Object {
    var properties: [String: Object] = [
      "kind": ["enum": PolicyLoader.customRuleKinds], "description": ["type": "string"], "rationale": ["type": "string"],
      "help_uri": ["type": "string", "format": "uri"], "tags": strings(), "severity": severity, "message": ["type": "string"],
      "categories": strings(), "in": ["type": "array", "items": ["type": "string"], "description": "Fields: " + CustomRule.Field.names.joined(separator: ", ")],
      "pattern": ["type": "string"], "header": ["type": "string"], "link_hosts": strings(), "attachment_types": strings(),
      "text": ["type": "string"], "url": ["type": "string"], "hosts": strings(),
      "list": ["enum": ["brand.domains", "brand.tracking_domains", "brand.sending_domains", "brand.allowed_hosts"]],
    ]
    let known = Set(PolicyLoader.customCommonKeys + PolicyLoader.customKindKeys.values.flatMap { $0 })
    precondition(Set(properties.keys) == known, "schema and loader disagree on custom rule keys")
    properties["kind"] = ["enum": PolicyLoader.customRuleKinds]
    return object(properties, required: ["kind"])
  }

  public static func generate() -> String {
    let brandProperties: [String: Object] = [
      "name": ["type": "string"], "domains": strings("Registrable domains the brand owns."),
      "sending_domains": strings("Exact From / Return-Path / DKIM d= domains."), "tracking_domains": strings("Brand-operated click-tracking hosts."),
      "sending_ips": strings("IPv4/IPv6 addresses or CIDR blocks."), "vendors": ["type": "array", "items": vendor()],
      "postal_address": ["type": "string"], "allowed_hosts": strings("Third-party hosts the brand links to on purpose."),
    ]
    precondition(Set(brandProperties.keys) == Set(PolicyLoader.brandKeys), "schema and loader disagree on brand keys")
    let classify = object(["files": strings(), "subject": ["type": "string", "description": "A regular expression."], "category": ["type": "string"]], required: ["category"])
    let override = object(["name": ["type": "string"], "files": strings(), "categories": strings(), "rules": ruleSettings()])
    precondition(Set(["name", "files", "categories", "rules"]) == Set(PolicyLoader.overrideKeys), "schema and loader disagree on override keys")
    let suppression = object(
      ["rule": ["type": "string"], "files": strings(), "value": ["type": "string"], "host": ["type": "string"], "reason": ["type": "string"],
       "expires": ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"]], required: ["rule", "reason"])
    precondition(Set(["rule", "files", "value", "host", "reason", "expires"]) == Set(PolicyLoader.suppressKeys), "schema and loader disagree on suppression keys")
    let top: [String: Object] = [
      "version": ["enum": [1, "1"]],
      "extends": strings("Built-in packs (" + PolicyLoader.packNames.map { "sendlint:\($0)" }.joined(separator: ", ") + ") and paths relative to this file."),
      "brand": object(brandProperties), "categories": strings(), "classify": ["type": "array", "items": classify],
      "rules": ruleSettings(), "overrides": ["type": "array", "items": override],
      "custom_rules": ["type": "object", "additionalProperties": customRule()],
      "suppress": ["type": "array", "items": suppression],
    ]
    precondition(Set(top.keys) == Set(PolicyLoader.topKeys), "schema and loader disagree on top-level keys")
    var schema = object(top, description: "sendlint policy (.sendlint.yaml)")
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["$id"] = "https://github.com/sendlint/sendlint/blob/main/docs/sendlint-policy.schema.json"
    schema["title"] = "sendlint policy"
    // JSONSerialization on dictionaries of plain values cannot fail.
    let data = try! JSONSerialization.data(withJSONObject: schema, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
  }
}
