extension String {
  /// The string, or nil when it is empty: for `joined(…).nilIfEmpty ?? "none"` in messages.
  /// `package`, not `public`: SendlintCore is re-exported by `import Sendlint`, and a helper on
  /// `String` would otherwise appear in every library client's completions.
  package var nilIfEmpty: String? { isEmpty ? nil : self }
}
