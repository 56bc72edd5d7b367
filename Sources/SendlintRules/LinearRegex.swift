import CRE2Shim

/// A policy's regular expression, compiled by RE2: matching takes time linear in the text, whatever
/// the pattern, because RE2 runs an automaton instead of backtracking. Patterns that need
/// backtracking to mean anything (backreferences, lookaround, possessive and atomic groups) do not
/// compile, so no policy can make a draft take exponential — or even quadratic — time.
///
/// The compiled program is immutable; RE2 allows matching from any number of threads at once.
public final class LinearRegex: Sendable {
  /// Memory RE2 may use for one pattern's compiled program and its DFA caches. RE2's own default
  /// (8 MiB) is kept: real policy patterns need a few KiB, and a pattern whose program does not fit
  /// (`((a{100}){100}){100}`) is rejected when the policy loads. A DFA cache that fills while
  /// matching makes RE2 fall back to its NFA, slower by a constant factor but still linear.
  public static let maximumMemory: Int64 = 8 << 20

  /// Why a pattern did not compile: RE2's message and the fragment of the pattern it is about.
  public struct CompileError: Error, Sendable, Equatable {
    /// RE2's `RE2::ErrorCode`, e.g. `ErrorBadPerlOp` for lookahead.
    public let code: Int32
    /// RE2's description, e.g. `invalid perl operator: (?=`.
    public let message: String
    /// The part of the pattern the error is about, e.g. `(?=`.
    public let fragment: String

    /// The program (or its DFA budget) did not fit in `LinearRegex.maximumMemory`.
    public var isTooLarge: Bool { code == Int32(SENDLINT_RE2_PATTERN_TOO_LARGE) }
  }

  /// The pattern as written in the policy.
  public let pattern: String
  // Owned by this object and freed in deinit; RE2 programs are immutable after compilation and
  // thread-safe for matching, so sharing the pointer across threads is sound.
  private nonisolated(unsafe) let program: OpaquePointer

  /// Compiles `pattern` in RE2 syntax, or throws RE2's reason.
  public init(_ pattern: String) throws(CompileError) {
    var error = sendlint_re2_error(code: 0, message: nil, argument: nil)
    var source = Self.withoutFreeSpacing(pattern)
    let compiled = source.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { chars in
        sendlint_re2_compile(chars.baseAddress, chars.count, Self.maximumMemory, &error)
      }
    }
    guard let compiled else {
      defer { sendlint_re2_error_free(&error) }
      throw CompileError(
        code: error.code,
        message: error.message.map { String(cString: $0) } ?? "the pattern does not compile",
        fragment: error.argument.map { String(cString: $0) } ?? "")
    }
    self.pattern = pattern
    self.program = compiled
  }

  deinit { sendlint_re2_free(program) }

  /// RE2 has no free-spacing flag; a pattern opening with `(?x)` (alone or among other flags, as in
  /// `(?xi)`) is rewritten without it: unescaped white space outside a character class is dropped
  /// and `#` starts a comment to the end of the line, as Perl, PCRE and Swift Regex read it. One
  /// pass, linear in the pattern.
  public static func withoutFreeSpacing(_ pattern: String) -> String {
    let scalars = Array(pattern.unicodeScalars)
    guard scalars.count >= 4, scalars[0] == "(", scalars[1] == "?",
      let close = scalars.firstIndex(of: ")"), close > 2,
      scalars[2..<close].allSatisfy({ "imsUx".unicodeScalars.contains($0) }), scalars[2..<close].contains("x")
    else { return pattern }
    var result = String.UnicodeScalarView()
    let flags = scalars[2..<close].filter { $0 != "x" }
    if !flags.isEmpty { result.append(contentsOf: ["(", "?"] + flags + [")"]) }
    var index = close + 1
    var inClass = false
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == "\\", index + 1 < scalars.count {
        result.append(contentsOf: scalars[index...(index + 1)])
        index += 2
        continue
      }
      if inClass {
        if scalar == "]" { inClass = false }
        result.append(scalar)
      } else if scalar == "#" {
        while index < scalars.count, scalars[index] != "\n" { index += 1 }
      } else if !scalar.properties.isWhitespace {
        if scalar == "[" { inClass = true }
        result.append(scalar)
      }
      index += 1
    }
    return String(result)
  }

  /// The UTF-8 byte range of the leftmost-first match in `text`, or nil. Linear in `text`.
  public func firstMatch(in text: String) -> Range<Int>? {
    var text = text
    return text.withUTF8 { bytes -> Range<Int>? in
      bytes.withMemoryRebound(to: CChar.self) { chars in
        var start = 0
        var end = 0
        guard sendlint_re2_find(program, chars.baseAddress, chars.count, &start, &end) == 1 else {
          return nil
        }
        return start..<end
      }
    }
  }

  /// Whether `pattern` matches anywhere in `text`; cheaper than `firstMatch`, as RE2 then need not
  /// find where the match starts. Linear in `text`.
  public func matches(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      bytes.withMemoryRebound(to: CChar.self) { chars in
        sendlint_re2_find(program, chars.baseAddress, chars.count, nil, nil) == 1
      }
    }
  }
}
