// A deliberately tiny C surface over ICU for sendlint. Only plain C types cross it: importing ICU's
// own headers into Swift clashes with Foundation's private ICU.
#ifndef SENDLINT_CICUSHIM_H
#define SENDLINT_CICUSHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// UTS #46 ToASCII with the WHATWG URL options (nontransitional, CheckBidi, CheckJoiners, no
/// STD3 rules, no hyphen checks). Writes UTF-8 into `out` (not NUL-terminated).
/// Returns the output length, or -1 when ICU reports an error; `*errors` receives ICU's
/// UIDNA_ERROR_* bits (hyphen errors masked, as WHATWG sets CheckHyphens=false).
int32_t sendlint_idna_to_ascii(const char *input, int32_t length, char *out, int32_t capacity, uint32_t *errors);

/// UTS #46 ToUnicode, same options; for showing hosts to people.
int32_t sendlint_idna_to_unicode(const char *input, int32_t length, char *out, int32_t capacity, uint32_t *errors);

/// UTS #46 with the options of its own conformance tests (UseSTD3ASCIIRules, CheckHyphens,
/// CheckBidi, CheckJoiners, VerifyDnsLength, nontransitional): `to_ascii` selects the direction.
/// Returns the length, or -1 on error; `*errors` receives every UIDNA_ERROR_* bit.
int32_t sendlint_idna_strict(int to_ascii, const char *input, int32_t length, char *out, int32_t capacity, uint32_t *errors);

/// UTS #39 confusable skeleton of a UTF-8 string. Returns the length, or -1 on error.
int32_t sendlint_confusable_skeleton(const char *input, int32_t length, char *out, int32_t capacity);

/// Converts bytes in `charset` (any name or alias ICU knows) to UTF-8; undecodable bytes become
/// U+FFFD. Returns the output length, -1 for an unknown charset, -2 when `capacity` is too small.
int32_t sendlint_convert_to_utf8(const char *charset, const char *input, int32_t length, char *out, int32_t capacity);

/// The Unicode script (ICU UScriptCode) of a code point; 0 = Common, 1 = Inherited, -1 on error.
int32_t sendlint_script(uint32_t codepoint);

/// The ICU version string (e.g. "72.1"), for `sendlint --version` and reports.
const char *sendlint_icu_version(void);

#ifdef __cplusplus
}
#endif

#endif
