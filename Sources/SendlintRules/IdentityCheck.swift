import SendlintCore
import SendlintInventory
import SendlintMIME

/// The judgement `identity/unowned-from-domain` and `identity/unowned-reply-to` share: an address
/// on a domain outside `brand.sending_domains`, pointed at inside its field.
enum IdentityCheck {
  static func unowned(_ identities: [Identity], field: String, brand: BrandFacts) -> [Hit] {
    guard !brand.sendingDomains.isEmpty else { return [] }
    return identities.compactMap { identity in
      guard let domain = identity.mailbox.domain, !brand.isSendingDomain(domain) else { return nil }
      let owned = brand.isOwned(domain)
      let vendor = brand.vendor(operating: domain)
      var detail = ""
      if let vendor {
        detail = ", a brand host operated by \(vendor.name)"
      } else if owned {
        detail = ", a brand domain not declared for sending"
      }
      // Point at the address inside the field.
      let file = identity.range.file
      let slice = file.bytes[identity.range.start..<identity.range.end]
      var range = identity.range
      if let found = slice.firstByteRange(of: Array(identity.mailbox.address.utf8)) {
        range = SourceRange(file: file, start: found.lowerBound, end: found.upperBound)
      }
      return Hit(
        range: range,
        message:
          "\(field) \(identity.mailbox.address) is on \(domain)\(detail), which is not in brand.sending_domains",
        help:
          "use an address on \(brand.sendingDomains.joined(separator: " or ")), or add \(domain) to brand.sending_domains once it is authenticated for the brand",
        evidence: "\(field)|\(domain)", placeholders: ["address": identity.mailbox.address, "domain": domain])
    }
  }
}
