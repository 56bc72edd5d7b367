/// How much a finding matters. The policy decides it; rules never do.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
  case off, info, warning, error

  private var rank: Int {
    switch self {
    case .off: 0
    case .info: 1
    case .warning: 2
    case .error: 3
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

  /// Parses a severity as written in a policy. YAML 1.1 booleans written unquoted (`off`, `no`,
  /// `false`) arrive as strings here because policies are composed, not decoded, so they still mean
  /// `off`.
  public init?(policyValue: String) {
    switch policyValue.lowercased() {
    case "error": self = .error
    case "warning", "warn": self = .warning
    case "info", "note": self = .info
    case "off", "no", "false", "none": self = .off
    default: return nil
    }
  }
}
