import SendlintCore
import SendlintInventory

/// Every built-in rule, sorted by id. A test fails when a rule type is missing here.
public enum RuleRegistry {
  public static let builtin: [any Rule.Type] = [
    LayoutTableRole.self,
    LowContrast.self,
    MissingAlt.self,
    MissingLang.self,
    DangerousAttachment.self,
    MissingBodyUnsubscribe.self,
    MissingListUnsubscribe.self,
    MissingOneClick.self,
    MissingPostalAddress.self,
    DeceptiveSubject.self,
    SubjectLength.self,
    GmailClipping.self,
    ImageOnly.self,
    MissingPreheader.self,
    MissingTextPart.self,
    TextPartDiverges.self,
    HiddenText.self,
    DMARCMisaligned.self,
    DisplayNameBrand.self,
    FreemailReplyTo.self,
    WeakDKIMSignature.self,
    MissingRDNS.self,
    UnauthorizedSendingIP.self,
    UnownedFromDomain.self,
    UnownedReplyTo.self,
    BlankText.self,
    EmptyHref.self,
    Insecure.self,
    LookalikeDomain.self,
    NonDescriptiveText.self,
    Obfuscated.self,
    OffBrandHost.self,
    Redirector.self,
    SameTarget.self,
    SplitURL.self,
    TemplateHost.self,
    TextHostMismatch.self,
    InvalidHeaders.self,
    DateSkew.self,
    MissingMessageIDDomain.self,
    SecurityAttachment.self,
    SecurityForm.self,
    SecurityUnsigned.self,
    TrackingPixel.self,
  ].sorted { $0.metadata.id < $1.metadata.id }

  /// Rules on `--online` DNS facts, sorted by id; the engine runs them only when online.
  public static let online: [any OnlineRule.Type] = [
    DKIMKeyMissing.self,
    DKIMKeyWeak.self,
    DMARCMissing.self,
    DMARCPolicyNone.self,
    SPFFail.self,
    DNSUnavailableFindings.self,
    UnresolvableHost.self,
  ].sorted { $0.metadata.id < $1.metadata.id }

  /// Metadata of built-in rules and input ids, sorted by id.
  public static let allMetadata: [RuleMetadata] =
    (builtin.map { $0.metadata } + online.map { $0.metadata } + InputProblems.all + MetaRules.all).sorted {
      $0.id < $1.id
    }

  public static func metadata(for id: String) -> RuleMetadata? { allMetadata.first { $0.id == id } }

  public static func ruleType(for id: String) -> (any Rule.Type)? { builtin.first { $0.metadata.id == id } }

  public static var ids: [String] { allMetadata.map(\.id) }
}
