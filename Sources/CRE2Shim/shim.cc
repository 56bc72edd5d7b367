// The RE2 calls sendlint needs, behind plain C types (see include/CRE2Shim.h).
#include "CRE2Shim.h"

#include <re2/re2.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

static_assert(SENDLINT_RE2_PATTERN_TOO_LARGE == re2::RE2::ErrorPatternTooLarge, "RE2's error codes changed");

struct sendlint_re2 {
  re2::RE2 program;
  sendlint_re2(const re2::StringPiece &pattern, const re2::RE2::Options &options) : program(pattern, options) {}
};

static char *copy_string(const std::string &text) {
  char *copy = static_cast<char *>(std::malloc(text.size() + 1));
  if (copy == nullptr) return nullptr;
  std::memcpy(copy, text.data(), text.size());
  copy[text.size()] = '\0';
  return copy;
}

extern "C" sendlint_re2 *sendlint_re2_compile(const char *pattern, size_t length, int64_t max_memory,
                                              sendlint_re2_error *error) {
  re2::RE2::Options options;
  options.set_encoding(re2::RE2::Options::EncodingUTF8);
  // Errors come back to the policy loader as diagnostics; RE2 must not print them to stderr.
  options.set_log_errors(false);
  options.set_max_mem(max_memory);
  // Leftmost-first, as Perl, PCRE and Swift Regex choose between alternatives: `{{match}}` keeps
  // the text policy authors expect.
  options.set_longest_match(false);
  sendlint_re2 *regex = new (std::nothrow) sendlint_re2(re2::StringPiece(pattern, length), options);
  if (regex == nullptr) {
    error->code = re2::RE2::ErrorInternal;
    error->message = copy_string("out of memory");
    error->argument = copy_string("");
    return nullptr;
  }
  if (!regex->program.ok()) {
    error->code = regex->program.error_code();
    error->message = copy_string(regex->program.error());
    error->argument = copy_string(regex->program.error_arg());
    delete regex;
    return nullptr;
  }
  return regex;
}

extern "C" int sendlint_re2_find(const sendlint_re2 *regex, const char *text, size_t length, size_t *start,
                                 size_t *end) {
  re2::StringPiece input(text, length);
  if (start == nullptr || end == nullptr) {
    return regex->program.Match(input, 0, length, re2::RE2::UNANCHORED, nullptr, 0) ? 1 : 0;
  }
  re2::StringPiece match;
  if (!regex->program.Match(input, 0, length, re2::RE2::UNANCHORED, &match, 1)) return 0;
  *start = static_cast<size_t>(match.data() - text);
  *end = *start + match.size();
  return 1;
}

extern "C" void sendlint_re2_free(sendlint_re2 *regex) { delete regex; }

extern "C" void sendlint_re2_error_free(sendlint_re2_error *error) {
  std::free(error->message);
  std::free(error->argument);
  error->message = nullptr;
  error->argument = nullptr;
}
