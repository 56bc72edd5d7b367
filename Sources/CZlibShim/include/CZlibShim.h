// A deliberately tiny C surface over the system zlib for sendlint: inflating the FlateDecode
// streams of PDF attachments, with a hard cap on the output. Only plain C types cross it.
#ifndef SENDLINT_CZLIBSHIM_H
#define SENDLINT_CZLIBSHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How an inflate ended.
enum {
  /// The stream ended (Z_STREAM_END): `data` holds all of it.
  SENDLINT_INFLATE_COMPLETE = 0,
  /// `limit` bytes were produced and more were to come: `data` holds the first `limit`.
  SENDLINT_INFLATE_LIMIT = 1,
  /// The data is corrupt or truncated: `data` holds what came before the damage.
  SENDLINT_INFLATE_DAMAGED = 2,
  /// No memory for the output or zlib's state: `data` holds what was produced (maybe nothing).
  SENDLINT_INFLATE_NO_MEMORY = 3,
};

/// The output of `sendlint_inflate`. `data` is malloc'ed (NULL when `length` is 0): release it
/// with `sendlint_inflate_free`.
typedef struct sendlint_inflate_result {
  uint8_t *data;
  int64_t length;
  int32_t status;
} sendlint_inflate_result;

/// Inflates `length` bytes of zlib data (RFC 1950; raw RFC 1951 deflate when the zlib header is
/// absent, as PDF readers accept) into at most `limit` bytes. The output buffer grows as output
/// arrives, so a small stream costs little and a bomb stops at `limit`. O(input + output).
sendlint_inflate_result sendlint_inflate(const uint8_t *input, int64_t length, int64_t limit);

void sendlint_inflate_free(uint8_t *data);

/// The most `sendlint_deflate` can write for `length` input bytes (zlib's compressBound).
int64_t sendlint_deflate_bound(int64_t length);

/// Compresses `length` bytes into zlib data (RFC 1950) in `out`; returns its length, or -1 when
/// `capacity` is too small or zlib fails. Tests use it to build FlateDecode streams.
int64_t sendlint_deflate(const uint8_t *input, int64_t length, uint8_t *out, int64_t capacity);

/// The zlib version string (e.g. "1.2.13"), for reports.
const char *sendlint_zlib_version(void);

#ifdef __cplusplus
}
#endif

#endif
