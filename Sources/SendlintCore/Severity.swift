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
}
