/// Escaping for text that came from a draft or a policy and is about to be shown: in a terminal, a
/// CI log, an annotation, a report file.
///
/// Drafts and policies come from strangers. A Subject decoded from RFC 2047 can hold `ESC]0;…BEL`
/// (retitle the terminal), `ESC[2J` (clear it, then print a fake "✓ no problems"), or a newline
/// followed by `::error file=…::` or `::add-mask::`, which the GitHub Actions runner executes as a
/// workflow command when it starts a line of the log. Bidi controls reorder what a reviewer reads.
/// Every scalar that can do any of this is shown as `\u{HEX}` instead (uppercase hex, at least two
/// digits), so the reader sees that it is there and nothing acts on it. Ordinary text — any letter,
/// emoji (including their ZWJ sequences), punctuation, space — passes through unchanged, so the
/// output for ordinary drafts is byte-identical to what it was before escaping existed.
///
/// A backslash is not escaped: `\u{1B}` written literally in a draft shows the same as an escaped
/// ESC, which misleads nobody into executing anything, and escaping `\` would change the output of
/// every Windows path and every regular expression a policy quotes.
public enum DisplayEscaping {
  /// True for the scalars that `escaped(_:keepingTabs:)` rewrites.
  ///
  /// - C0 controls (U+0000–U+001F: LF, CR, ESC, BEL, BS…) and DEL: terminal commands and line
  ///   breaks. Tab too, in single-line values, since a value never needs one to be read.
  /// - C1 controls (U+0080–U+009F): U+009B is a one-byte CSI and U+009D a one-byte OSC on terminals
  ///   that honour 8-bit controls; U+0085 (NEL) ends a line for some readers.
  /// - U+2028, U+2029: line and paragraph separators, line breaks to JavaScript and some log viewers.
  /// - Bidi controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): "Trojan Source"
  ///   reordering, which makes a value read as something it is not.
  /// - Invisible format characters that hide text or join it unseen: U+00AD soft hyphen, U+180E,
  ///   U+200B zero-width space, U+2060–U+2064 and U+206A–U+206F, U+FEFF, U+FFF9–U+FFFB. ZWNJ and
  ///   ZWJ (U+200C, U+200D) stay: Persian, Indic scripts and emoji sequences need them.
  /// - Non-characters (U+FDD0–U+FDEF and the last two code points of every plane, e.g. U+FFFE,
  ///   U+FFFF): XML 1.0 forbids U+FFFE/U+FFFF, so a JUnit file containing them does not parse.
  @inlinable
  public static func needsEscaping(_ scalar: Unicode.Scalar, keepingTabs: Bool = false) -> Bool {
    let value = scalar.value
    if value < 0x20 { return !(keepingTabs && value == 0x09) }
    if value < 0x7F { return false }
    return needsEscapingBeyondASCII(value)
  }

  @usableFromInline
  static func needsEscapingBeyondASCII(_ value: UInt32) -> Bool {
    switch value {
    case 0x7F...0x9F, 0xAD, 0x061C, 0x180E, 0x200B, 0x200E, 0x200F, 0x2028...0x202E, 0x2060...0x2064,
      0x2066...0x206F, 0xFDD0...0xFDEF, 0xFEFF, 0xFFF9...0xFFFB:
      return true
    default:
      // U+FFFE, U+FFFF, U+1FFFE, U+1FFFF, … U+10FFFF: non-characters in every plane.
      return value & 0xFFFE == 0xFFFE
    }
  }

  /// `\u{HEX}` for one scalar.
  public static func escape(_ scalar: Unicode.Scalar) -> String {
    let digits = String(scalar.value, radix: 16, uppercase: true)
    return "\\u{" + (digits.count < 2 ? "0" + digits : digits) + "}"
  }

  /// `text` with every scalar that `needsEscaping` shown as `\u{HEX}`. Returns `text` itself, without
  /// copying, when nothing needs escaping (the common case). O(n).
  ///
  /// `keepingTabs` is for a source line shown on a line of its own after a gutter (an excerpt): a
  /// tab there only moves the cursor right, and keeping it lets the caret line reproduce it so the
  /// caret stays under the right character however wide the terminal draws tabs.
  public static func escaped(_ text: String, keepingTabs: Bool = false) -> String {
    // Printable ASCII (U+0020–U+007E) never needs escaping: most texts are only that, and are
    // answered from their bytes, not scalar by scalar.
    if text.utf8.withContiguousStorageIfAvailable({ $0.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }) == true {
      return text
    }
    guard text.unicodeScalars.contains(where: { needsEscaping($0, keepingTabs: keepingTabs) }) else {
      return text
    }
    var output = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      if needsEscaping(scalar, keepingTabs: keepingTabs) {
        output.append(contentsOf: escape(scalar).unicodeScalars)
      } else {
        output.append(scalar)
      }
    }
    return String(output)
  }

  /// How many columns (scalars) `scalar` takes once escaped: 1, or the length of its `\u{…}` form.
  public static func displayWidth(_ scalar: Unicode.Scalar, keepingTabs: Bool = false) -> Int {
    guard needsEscaping(scalar, keepingTabs: keepingTabs) else { return 1 }
    return escape(scalar).unicodeScalars.count
  }
}

extension String {
  /// This text with controls, newlines, bidi controls, invisible format characters and
  /// non-characters shown as `\u{HEX}`: safe to print in any output. See `DisplayEscaping`.
  public var escapedForDisplay: String { DisplayEscaping.escaped(self) }
}
