// See include/CZlibShim.h. zlib's own header stays here, out of Swift's sight.
#include "CZlibShim.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static sendlint_inflate_result run(const uint8_t *input, int64_t length, int64_t limit, int window_bits) {
  sendlint_inflate_result result = {NULL, 0, SENDLINT_INFLATE_COMPLETE};
  if (length <= 0 || limit <= 0) {
    result.status = length <= 0 ? SENDLINT_INFLATE_DAMAGED : SENDLINT_INFLATE_LIMIT;
    return result;
  }
  z_stream stream;
  memset(&stream, 0, sizeof stream);
  if (inflateInit2(&stream, window_bits) != Z_OK) {
    result.status = SENDLINT_INFLATE_NO_MEMORY;
    return result;
  }
  int64_t capacity = 0;
  int64_t consumed = 0;
  int status = Z_OK;
  while (status == Z_OK) {
    if (result.length == capacity) {
      if (capacity == limit) {
        result.status = SENDLINT_INFLATE_LIMIT;
        break;
      }
      int64_t grown = capacity == 0 ? 4096 : capacity * 2;
      if (grown > limit) grown = limit;
      uint8_t *larger = realloc(result.data, (size_t)grown);
      if (larger == NULL) {
        result.status = SENDLINT_INFLATE_NO_MEMORY;
        break;
      }
      result.data = larger;
      capacity = grown;
    }
    // zlib counts in uInt: feed and drain at most 1 GiB at a time.
    int64_t input_left = length - consumed;
    int64_t output_left = capacity - result.length;
    stream.next_in = (Bytef *)(input + consumed);
    stream.avail_in = (uInt)(input_left > (1 << 30) ? (1 << 30) : input_left);
    stream.next_out = result.data + result.length;
    stream.avail_out = (uInt)(output_left > (1 << 30) ? (1 << 30) : output_left);
    uInt fed = stream.avail_in;
    uInt room = stream.avail_out;
    status = inflate(&stream, Z_NO_FLUSH);
    consumed += fed - stream.avail_in;
    result.length += room - stream.avail_out;
    if (status == Z_BUF_ERROR && stream.avail_out > 0) {
      // No progress possible with output room left: the input ran out before the stream ended.
      result.status = SENDLINT_INFLATE_DAMAGED;
      break;
    }
    if (status == Z_BUF_ERROR) status = Z_OK;  // output full: grow and go on
    if (status == Z_STREAM_END) {
      result.status = SENDLINT_INFLATE_COMPLETE;
    } else if (status == Z_MEM_ERROR) {
      result.status = SENDLINT_INFLATE_NO_MEMORY;
    } else if (status != Z_OK) {
      result.status = SENDLINT_INFLATE_DAMAGED;
    } else if (consumed == length && stream.avail_out > 0) {
      result.status = SENDLINT_INFLATE_DAMAGED;  // all input read, output room left, no end
      break;
    }
  }
  inflateEnd(&stream);
  return result;
}

sendlint_inflate_result sendlint_inflate(const uint8_t *input, int64_t length, int64_t limit) {
  // A zlib header is CMF FLG with CM = 8 and (CMF * 256 + FLG) % 31 == 0 (RFC 1950 §2.2).
  int zlib_header = length >= 2 && (input[0] & 0x0F) == 8 && ((input[0] << 8) | input[1]) % 31 == 0;
  return run(input, length, limit, zlib_header ? MAX_WBITS : -MAX_WBITS);
}

void sendlint_inflate_free(uint8_t *data) { free(data); }

int64_t sendlint_deflate_bound(int64_t length) {
  return length < 0 || length > (1 << 30) ? -1 : (int64_t)compressBound((uLong)length);
}

int64_t sendlint_deflate(const uint8_t *input, int64_t length, uint8_t *out, int64_t capacity) {
  if (length < 0 || length > (1 << 30) || capacity < 0) return -1;
  uLongf written = (uLongf)capacity;
  if (compress2(out, &written, input, (uLong)length, Z_BEST_COMPRESSION) != Z_OK) return -1;
  return (int64_t)written;
}

const char *sendlint_zlib_version(void) { return zlibVersion(); }
