#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

// zlib for bundle compression, through typed wrappers of what Swift cannot import: the init
// calls are macros (they pass ZLIB_VERSION and sizeof(z_stream)), and the stream is driven
// through its fields. Header-only: every function is `static inline`; the package links `z`.
// Only CloneBundlesCompression imports this module.

#include <stdlib.h>
#include <zlib.h>

/// A deflate stream exactly as Python's `zlib.compressobj(level)` (hg's gzip-v2) makes it:
/// zlib wrapper with a 32 KiB window (windowBits 15), memLevel 8, the default strategy.
/// Returns NULL when memory runs out or zlib refuses the level.
static inline z_stream *czlib_deflate_new(int level) {
    z_stream *stream = (z_stream *)calloc(1, sizeof(z_stream));
    if (stream == NULL) return NULL;
    if (deflateInit2(stream, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(stream);
        return NULL;
    }
    return stream;
}

/// An inflate stream for the zlib wrapper (the round trip of a gzip-v2 bundle); NULL on failure.
static inline z_stream *czlib_inflate_new(void) {
    z_stream *stream = (z_stream *)calloc(1, sizeof(z_stream));
    if (stream == NULL) return NULL;
    if (inflateInit(stream) != Z_OK) {
        free(stream);
        return NULL;
    }
    return stream;
}

/// One deflate step: compresses `input` (consumed entirely unless the output fills) into
/// `output`; `finish` ends the stream (Z_FINISH), else Z_NO_FLUSH, which keeps the bytes
/// independent of how the input is cut. Sets the counts consumed and produced.
static inline int czlib_deflate(z_stream *stream, const unsigned char *input, size_t inputCount,
                                unsigned char *output, size_t outputCount, int finish,
                                size_t *consumed, size_t *produced) {
    stream->next_in = (Bytef *)input;
    stream->avail_in = (uInt)inputCount;
    stream->next_out = output;
    stream->avail_out = (uInt)outputCount;
    int result = deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH);
    *consumed = inputCount - stream->avail_in;
    *produced = outputCount - stream->avail_out;
    return result;
}

/// One inflate step; Z_STREAM_END at the end of the zlib stream.
static inline int czlib_inflate(z_stream *stream, const unsigned char *input, size_t inputCount,
                                unsigned char *output, size_t outputCount,
                                size_t *consumed, size_t *produced) {
    stream->next_in = (Bytef *)input;
    stream->avail_in = (uInt)inputCount;
    stream->next_out = output;
    stream->avail_out = (uInt)outputCount;
    int result = inflate(stream, Z_NO_FLUSH);
    *consumed = inputCount - stream->avail_in;
    *produced = outputCount - stream->avail_out;
    return result;
}

static inline void czlib_deflate_free(z_stream *stream) {
    deflateEnd(stream);
    free(stream);
}

static inline void czlib_inflate_free(z_stream *stream) {
    inflateEnd(stream);
    free(stream);
}

/// Whether a step succeeded: Z_OK, Z_STREAM_END, or Z_BUF_ERROR (no progress possible, not fatal).
static inline int czlib_step_ok(int result) {
    return result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR;
}

static inline int czlib_stream_end(void) { return Z_STREAM_END; }

#endif
