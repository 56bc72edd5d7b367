import SendlintCore
import SendlintInventory
import Testing

/// How an .eml's structure says it is signed (security/unsigned, security/attachment), on minimal
/// messages written for these tests.
@Suite struct SigningTests {
  func inventory(_ text: String) -> Inventory {
    InventoryReader.eml(SourceFile(path: "m.eml", bytes: Array(text.utf8)))
  }

  func signedMultipart(protocol declared: String, signaturePart: String?) -> String {
    var text =
      "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/signed; protocol=\"\(declared)\"; boundary=b\n\n--b\nContent-Type: text/plain\n\nUpdate now.\n"
    if let signaturePart { text += "--b\n\(signaturePart)" }
    return text + "--b--\n"
  }

  @Test func detachedSignatureNeedsItsPart() {
    let pgp =
      "Content-Type: application/pgp-signature\n\n-----BEGIN PGP SIGNATURE-----\niQEz\n-----END PGP SIGNATURE-----\n"
    #expect(
      inventory(signedMultipart(protocol: "application/pgp-signature", signaturePart: pgp)).signature == .pgp)
    // The protocol alone, with no signature part, an empty one, or one of the other kind: unsigned.
    #expect(
      inventory(signedMultipart(protocol: "application/pgp-signature", signaturePart: nil)).signature == nil)
    #expect(
      inventory(
        signedMultipart(
          protocol: "application/pgp-signature",
          signaturePart: "Content-Type: application/pgp-signature\n\n\n")
      ).signature == nil)
    #expect(
      inventory(signedMultipart(protocol: "application/pkcs7-signature", signaturePart: pgp)).signature == nil
    )
    #expect(
      inventory(
        signedMultipart(
          protocol: "application/pkcs7-signature",
          signaturePart: "Content-Type: text/plain\n\nnot a signature\n")
      ).signature == nil)
    let smime =
      "Content-Type: application/x-pkcs7-signature; name=smime.p7s\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3\n"
    let signed = inventory(signedMultipart(protocol: "application/x-pkcs7-signature", signaturePart: smime))
    #expect(signed.signature == .smime)
    #expect(signed.attachments.isEmpty)
  }

  @Test func opaqueSMIME() {
    func opaque(_ parameters: String) -> Inventory {
      inventory(
        "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: application/pkcs7-mime; \(parameters)\nContent-Transfer-Encoding: base64\n\nMIAGCSqGSIb3DQEHAqCA\n"
      )
    }
    let signed = opaque("smime-type=signed-data; name=smime.p7m")
    #expect(signed.signature == .smime)
    #expect(signed.attachments.isEmpty)
    // Encrypted is not signed, but its smime.p7m is the message, not an attachment.
    let encrypted = opaque("smime-type=enveloped-data; name=smime.p7m")
    #expect(encrypted.signature == nil)
    #expect(encrypted.attachments.isEmpty)
    // A pkcs7-mime of another kind (a certificate bundle) is an attachment like any other.
    let certificates = opaque("smime-type=certs-only; name=certs.p7c")
    #expect(certificates.signature == nil)
    #expect(certificates.attachments.map(\.filename) == ["certs.p7c"])
  }

  @Test func cleartextPGP() {
    let body =
      "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nUpdate now.\n-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n"
    #expect(inventory("From: a@contoso.com\nSubject: s\n\n" + body).signature == .pgp)
    #expect(
      inventory(
        "From: a@contoso.com\nSubject: s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
          + body
      ).signature == .pgp)
    // The armor header alone, or quoted inside a line, is no signature.
    #expect(
      inventory(
        "From: a@contoso.com\nSubject: s\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nUpdate now.\n"
      ).signature == nil)
    #expect(
      inventory(
        "From: a@contoso.com\nSubject: s\n\n> -----BEGIN PGP SIGNED MESSAGE-----\n> x\n-----BEGIN PGP SIGNATURE-----\n-----END PGP SIGNATURE-----\n"
      ).signature == nil)
    // Beside an HTML body, which clients show instead, the signed text does not sign the message.
    let alternative =
      "From: a@contoso.com\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n\(body)--b\nContent-Type: text/html\n\n<p>Update now.</p>\n--b--\n"
    #expect(inventory(alternative).signature == nil)
  }
}
