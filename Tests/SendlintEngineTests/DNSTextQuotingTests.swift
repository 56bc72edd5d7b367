import SendlintOnline
import Testing

/// Text from DNS records is controlled by whoever runs the zone: when a message quotes it, it is
/// quoted and escaped (`escapedForDisplay`), so a record cannot write terminal escapes or fake a
/// second line into a finding's message.
@Suite struct DNSTextQuotingTests {
  @Test func dkimRecordValuesAreQuotedAndEscaped() {
    #expect(
      DKIMKeyRecord.state(["v=DKIM1\u{1B}[2J; p=AAAA"])
        == .invalid("v=\"DKIM1\\u{1B}[2J\" (must be DKIM1)"))
    #expect(
      DKIMKeyRecord.state(["v=DKIM1; k=rsa\nfake; p=" + String(repeating: "A", count: 8)])
        == .invalid("k=\"rsa\\u{0A}fake\" is not a known key type (rsa, ed25519)"))
  }

  @Test func dmarcRecordValuesAreQuotedAndEscaped() {
    #expect(
      DMARCRecord.parse("v=DMARC1; p=reject\u{7}").invalidReason
        == "p=\"reject\\u{07}\" is not none, quarantine or reject")
    #expect(
      DMARCRecord.parse("v=DMARC1; p=none; aspf=x\ty").invalidReason == "aspf=\"x\\u{09}y\" is not r or s")
  }
}
