import SendlintCore
import SendlintHTML

/// The size of one HTML body as it will be sent, and what makes it heavy.
public struct HTMLPartSize: Sendable {
  /// Bytes of the body on the wire: the encoded part of an `.eml` as written; for a campaign or a
  /// bare template, an estimate of the part an ESP sends (see `estimatedSentBytes`).
  public let sentBytes: Int
  /// The transfer encoding measured (`quoted-printable`, `base64`, `8bit`, …).
  public let transferEncoding: String
  /// True when `sentBytes` is an estimate (campaigns, templates) rather than read from a message.
  public let estimated: Bool
  /// Bytes of the decoded HTML.
  public let decodedBytes: Int
  /// Contributors, as offsets into the decoded HTML that `locator` maps to the source.
  public let weight: HTMLWeight
  public let locator: Locator

  public init(
    sentBytes: Int, transferEncoding: String, estimated: Bool, decodedBytes: Int, weight: HTMLWeight,
    locator: Locator
  ) {
    self.sentBytes = sentBytes
    self.transferEncoding = transferEncoding
    self.estimated = estimated
    self.decodedBytes = decodedBytes
    self.weight = weight
    self.locator = locator
  }

  /// The length of `bytes` encoded as quoted-printable (RFC 2045 §6.7): `=` and bytes outside
  /// printable ASCII as `=XX`, trailing blanks encoded, lines cut at 76 with soft breaks, CRLF line
  /// ends. ESPs send HTML quoted-printable, so this is what a campaign's HTML weighs on the wire. O(n).
  public static func quotedPrintableLength(_ bytes: [UInt8]) -> Int {
    var total = 0
    var column = 0
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x0A || (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) {
        total += 2
        column = 0
        index += byte == 0x0D ? 2 : 1
        continue
      }
      let atLineEnd = index + 1 == bytes.count || bytes[index + 1] == 0x0A || bytes[index + 1] == 0x0D
      let literal =
        (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
        || ((byte == 0x20 || byte == 0x09) && !atLineEnd)
      let width = literal ? 1 : 3
      if column + width > 75 {
        total += 3  // "=" CRLF
        column = 0
      }
      total += width
      column += width
      index += 1
    }
    return total
  }
}
