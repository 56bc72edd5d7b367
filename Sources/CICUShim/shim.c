// ICU calls for sendlint. Each ICU service object is opened once and shared: UTS #46 and spoof
// checker instances are immutable after creation and documented as safe to use from many threads.
#include "CICUShim.h"

#include <pthread.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/uidna.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/uversion.h>

static UIDNA *idna_instance = NULL;
static UIDNA *strict_instance = NULL;
static pthread_once_t strict_once = PTHREAD_ONCE_INIT;
static USpoofChecker *spoof_instance = NULL;
static pthread_once_t idna_once = PTHREAD_ONCE_INIT;
static pthread_once_t spoof_once = PTHREAD_ONCE_INIT;

static void open_idna(void) {
  UErrorCode status = U_ZERO_ERROR;
  uint32_t options = UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ | UIDNA_NONTRANSITIONAL_TO_ASCII |
                     UIDNA_NONTRANSITIONAL_TO_UNICODE;
  idna_instance = uidna_openUTS46(options, &status);
  if (U_FAILURE(status)) idna_instance = NULL;
}

static void open_strict(void) {
  UErrorCode status = U_ZERO_ERROR;
  uint32_t options = UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                     UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE;
  strict_instance = uidna_openUTS46(options, &status);
  if (U_FAILURE(status)) strict_instance = NULL;
}

static void open_spoof(void) {
  UErrorCode status = U_ZERO_ERROR;
  spoof_instance = uspoof_open(&status);
  if (U_FAILURE(status)) spoof_instance = NULL;
}

// WHATWG's "domain to ASCII" runs UTS #46 with CheckHyphens=false and VerifyDnsLength=false;
// ICU always checks both, so those bits are ignored here.
static const uint32_t ignored_errors =
    UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4 |
    UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG;

// One UTS #46 conversion with `idna`; error bits in `ignored` are not reported.
static int32_t run(const UIDNA *idna, int to_ascii, const char *input, int32_t length, char *out,
                   int32_t capacity, uint32_t *errors, uint32_t ignored) {
  if (idna == NULL) return -1;
  UErrorCode status = U_ZERO_ERROR;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  int32_t written = to_ascii
      ? uidna_nameToASCII_UTF8(idna, input, length, out, capacity, &info, &status)
      : uidna_nameToUnicodeUTF8(idna, input, length, out, capacity, &info, &status);
  if (errors) *errors = info.errors & ~ignored;
  if (U_FAILURE(status) && status != U_STRING_NOT_TERMINATED_WARNING) return -1;
  return written;
}

int32_t sendlint_idna_to_ascii(const char *input, int32_t length, char *out, int32_t capacity, uint32_t *errors) {
  pthread_once(&idna_once, open_idna);
  return run(idna_instance, 1, input, length, out, capacity, errors, ignored_errors);
}

int32_t sendlint_idna_to_unicode(const char *input, int32_t length, char *out, int32_t capacity, uint32_t *errors) {
  pthread_once(&idna_once, open_idna);
  return run(idna_instance, 0, input, length, out, capacity, errors, ignored_errors);
}

int32_t sendlint_idna_strict(int to_ascii, const char *input, int32_t length, char *out, int32_t capacity, uint32_t *errors) {
  pthread_once(&strict_once, open_strict);
  return run(strict_instance, to_ascii, input, length, out, capacity, errors, 0);
}

int32_t sendlint_confusable_skeleton(const char *input, int32_t length, char *out, int32_t capacity) {
  pthread_once(&spoof_once, open_spoof);
  if (spoof_instance == NULL) return -1;
  UErrorCode status = U_ZERO_ERROR;
  int32_t written = uspoof_getSkeletonUTF8(spoof_instance, 0, input, length, out, capacity, &status);
  if (U_FAILURE(status) && status != U_STRING_NOT_TERMINATED_WARNING) return -1;
  return written;
}

int32_t sendlint_convert_to_utf8(const char *charset, const char *input, int32_t length, char *out, int32_t capacity) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter *source = ucnv_open(charset, &status);
  if (U_FAILURE(status) || source == NULL) return -1;
  // Substitute U+FFFD for undecodable input rather than stopping: mail is often mislabelled.
  ucnv_setToUCallBack(source, UCNV_TO_U_CALLBACK_SUBSTITUTE, NULL, NULL, NULL, &status);
  status = U_ZERO_ERROR;
  int32_t written = ucnv_toAlgorithmic(UCNV_UTF8, source, out, capacity, input, length, &status);
  ucnv_close(source);
  if (status == U_BUFFER_OVERFLOW_ERROR) return -2;
  if (U_FAILURE(status) && status != U_STRING_NOT_TERMINATED_WARNING) return -1;
  return written;
}

int32_t sendlint_script(uint32_t codepoint) {
  UErrorCode status = U_ZERO_ERROR;
  UScriptCode code = uscript_getScript((UChar32)codepoint, &status);
  if (U_FAILURE(status)) return -1;
  return (int32_t)code;
}

const char *sendlint_icu_version(void) { return U_ICU_VERSION; }
