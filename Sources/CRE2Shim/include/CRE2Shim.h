// A deliberately tiny C surface over RE2 for sendlint. Only plain C types cross it, so Swift needs
// no C++ interop: policy regular expressions run on an automaton, linear in the text by construction.
#ifndef SENDLINT_CRE2SHIM_H
#define SENDLINT_CRE2SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A compiled RE2 program. Immutable after compilation: matching is safe from any thread.
typedef struct sendlint_re2 sendlint_re2;

/// RE2's `RE2::ErrorPatternTooLarge`: the program does not fit in `max_memory` (shim.cc checks
/// the value against RE2's header at compile time).
enum { SENDLINT_RE2_PATTERN_TOO_LARGE = 15 };

/// Why a pattern did not compile. `code` is RE2's `RE2::ErrorCode`; `message` (RE2's `error()`)
/// and `argument` (`error_arg()`, the offending fragment of the pattern) are NUL-terminated UTF-8
/// owned by the struct: release them with `sendlint_re2_error_free`.
typedef struct sendlint_re2_error {
  int32_t code;
  char *message;
  char *argument;
} sendlint_re2_error;

/// Compiles `length` bytes of UTF-8 `pattern` (RE2 syntax, leftmost-first like Perl, errors not
/// logged) with at most `max_memory` bytes for the compiled program and its DFA caches.
/// Returns NULL when the pattern does not compile (or memory runs out) and fills `*error`.
sendlint_re2 *sendlint_re2_compile(const char *pattern, size_t length, int64_t max_memory, sendlint_re2_error *error);

/// Searches `length` bytes of UTF-8 `text` for the leftmost-first match. Returns 1 and the match's
/// byte range in `*start`/`*end` when found (either may be NULL when only a yes/no is wanted:
/// then RE2 does not compute the range), 0 otherwise. Time is linear in `length`.
int sendlint_re2_find(const sendlint_re2 *regex, const char *text, size_t length, size_t *start, size_t *end);

/// Releases a compiled program.
void sendlint_re2_free(sendlint_re2 *regex);

/// Releases the strings of an error filled by `sendlint_re2_compile`.
void sendlint_re2_error_free(sendlint_re2_error *error);

#ifdef __cplusplus
}
#endif

#endif
