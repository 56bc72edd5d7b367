import Foundation
import SendlintCore
import SendlintInventory

/// Tag-list records (RFC 6376 §3.2, shared by DKIM keys and DMARC): `name=value` separated by `;`,
/// whitespace around both ignored. A repeated tag makes the record invalid.
enum TagList {
  static func parse(_ text: String) -> (tags: [String: String], duplicate: String?) {
    var tags: [String: String] = [:]
    var duplicate: String?
    for part in text.split(separator: ";") {
      guard let equals = part.firstIndex(of: "=") else { continue }
      let name = part[..<equals].trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
      let value = part[part.index(after: equals)...].trimmingCharacters(in: .whitespacesAndNewlines)
      guard !name.isEmpty else { continue }
      if tags[name] != nil, duplicate == nil { duplicate = name }
      tags[name] = value
    }
    return (tags, duplicate)
  }
}

/// A DKIM key record's state (RFC 6376 §3.6.1).
public enum DKIMKeyRecord {
  /// Judges the TXT records found at `selector._domainkey.domain`.
  public static func state(_ texts: [String]) -> DKIMKeyCheck.State {
    guard !texts.isEmpty else { return .missing }
    guard texts.count == 1 else {
      return .invalid("\(texts.count) TXT records where verifiers expect one key")
    }
    let (tags, duplicate) = TagList.parse(texts[0])
    if let duplicate { return .invalid("the tag \"\(duplicate.escapedForDisplay)=\" appears twice") }
    if let version = tags["v"], version != "DKIM1" {
      return .invalid("v=\"\(version.escapedForDisplay)\" (must be DKIM1)")
    }
    guard let key = tags["p"] else { return .invalid("no p= tag (the public key)") }
    let base64 = key.filter { !$0.isWhitespace }
    if base64.isEmpty { return .revoked }
    guard let data = Data(base64Encoded: base64) else { return .invalid("p= is not valid base64") }
    let type = (tags["k"] ?? "rsa").lowercased()
    switch type {
    case "rsa":
      guard let bits = RSAKey.modulusBits(Array(data)) else {
        return .invalid("p= is not an RSA SubjectPublicKeyInfo or RSAPublicKey")
      }
      return .rsa(bits: bits)
    case "ed25519":
      guard data.count == 32 else {
        return .invalid("an ed25519 key of \(data.count) bytes (32 expected; RFC 8463)")
      }
      return .ed25519
    default:
      return .invalid("k=\"\(type.escapedForDisplay)\" is not a known key type (rsa, ed25519)")
    }
  }
}

/// A minimal DER reader (X.690) for the length of an RSA modulus.
public enum RSAKey {
  struct Element {
    let tag: UInt8
    let content: ArraySlice<UInt8>
    let end: Int
  }

  /// One TLV at `offset`, bounds-checked; definite lengths only (DER).
  static func element(_ bytes: [UInt8], at offset: Int, limit: Int) -> Element? {
    guard offset + 2 <= limit else { return nil }
    let tag = bytes[offset]
    var length = Int(bytes[offset + 1])
    var start = offset + 2
    if length & 0x80 != 0 {
      let count = length & 0x7F
      guard (1...4).contains(count), start + count <= limit else { return nil }
      length = 0
      for index in start..<(start + count) { length = length << 8 | Int(bytes[index]) }
      start += count
    }
    guard length >= 0, start + length <= limit else { return nil }
    return Element(tag: tag, content: bytes[start..<(start + length)], end: start + length)
  }

  /// Bits in the modulus of a SubjectPublicKeyInfo (RFC 5280 §4.1) holding an rsaEncryption key,
  /// or of a bare PKCS#1 RSAPublicKey (RFC 8017 A.1.1), which some publishers use.
  public static func modulusBits(_ bytes: [UInt8]) -> Int? {
    guard let outer = element(bytes, at: 0, limit: bytes.count), outer.tag == 0x30 else { return nil }
    guard let first = element(bytes, at: outer.content.startIndex, limit: outer.end) else { return nil }
    if first.tag == 0x02 { return bits(of: first.content) }  // RSAPublicKey: modulus first
    guard first.tag == 0x30 else { return nil }
    // AlgorithmIdentifier: rsaEncryption is 1.2.840.113549.1.1.1.
    let rsaOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    guard let oid = element(bytes, at: first.content.startIndex, limit: first.end), oid.tag == 0x06,
      Array(oid.content) == rsaOID
    else { return nil }
    guard let bitString = element(bytes, at: first.end, limit: outer.end), bitString.tag == 0x03,
      bitString.content.first == 0
    else { return nil }
    let keyStart = bitString.content.startIndex + 1
    guard let sequence = element(bytes, at: keyStart, limit: bitString.end), sequence.tag == 0x30,
      let modulus = element(bytes, at: sequence.content.startIndex, limit: sequence.end), modulus.tag == 0x02
    else { return nil }
    return bits(of: modulus.content)
  }

  static func bits(of integer: ArraySlice<UInt8>) -> Int? {
    let significant = integer.drop { $0 == 0 }
    guard let top = significant.first else { return nil }
    return (significant.count - 1) * 8 + (8 - top.leadingZeroBitCount)
  }
}

/// A DMARC record (RFC 7489 §6.3).
public enum DMARCRecord {
  public struct Parsed: Sendable {
    public let policy: String?
    public let subdomainPolicy: String?
    public let adkim: String
    public let aspf: String
    public let invalidReason: String?
  }

  public static func parse(_ text: String) -> Parsed {
    let (tags, duplicate) = TagList.parse(text)
    let adkim = tags["adkim"]?.lowercased() ?? "r"
    let aspf = tags["aspf"]?.lowercased() ?? "r"
    var reason: String?
    if let duplicate { reason = "the tag \"\(duplicate.escapedForDisplay)=\" appears twice" }
    let policies = ["none", "quarantine", "reject"]
    var policy = tags["p"]?.lowercased()
    if let value = policy, !policies.contains(value) {
      // RFC 7489 §6.6.3: an invalid p= with a valid rua= is read as p=none.
      if tags["rua"] != nil {
        policy = "none"
      } else {
        reason = reason ?? "p=\"\(value.escapedForDisplay)\" is not none, quarantine or reject"
      }
    }
    if policy == nil {
      if tags["rua"] != nil { policy = "none" } else { reason = reason ?? "no p= tag" }
    }
    if !["r", "s"].contains(adkim) {
      reason = reason ?? "adkim=\"\(adkim.escapedForDisplay)\" is not r or s"
    }
    if !["r", "s"].contains(aspf) { reason = reason ?? "aspf=\"\(aspf.escapedForDisplay)\" is not r or s" }
    let subdomain = tags["sp"]?.lowercased()
    return Parsed(
      policy: policy, subdomainPolicy: subdomain.flatMap { policies.contains($0) ? $0 : nil }, adkim: adkim,
      aspf: aspf, invalidReason: reason)
  }
}
