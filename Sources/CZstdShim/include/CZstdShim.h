#ifndef CZSTD_SHIM_H
#define CZSTD_SHIM_H

// libzstd for bundle compression, through typed wrappers. Header-only: every function is
// `static inline`; the package links `zstd`. Only CloneBundlesCompression imports this module.

#include <zstd.h>

/// A compression context for one frame as hg's zstd-v2 writes it (no checksum, no content
/// size), at `level`, with `workers` threads (0: compress in the caller's thread). With
/// workers, jobs of `jobBytes` overlapping by 2^(windowLog - (9 - overlapLog)) bytes: libzstd's
/// default job at high levels (4 windows, 128 MiB at level 20) leaves a 100 MB changegroup to
/// one core. Returns NULL, and the first error's name in `error`, when a setting is refused.
static inline ZSTD_CCtx *czstd_compressor_new(int level, int workers, size_t jobBytes, int overlapLog,
                                               const char **error) {
    ZSTD_CCtx *context = ZSTD_createCCtx();
    if (context == NULL) {
        *error = "out of memory";
        return NULL;
    }
    size_t result = ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level);
    if (!ZSTD_isError(result)) result = ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 0);
    if (!ZSTD_isError(result)) result = ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 0);
    if (!ZSTD_isError(result) && workers > 0) {
        result = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, workers);
        if (!ZSTD_isError(result)) result = ZSTD_CCtx_setParameter(context, ZSTD_c_jobSize, (int)jobBytes);
        if (!ZSTD_isError(result)) result = ZSTD_CCtx_setParameter(context, ZSTD_c_overlapLog, overlapLog);
    }
    if (ZSTD_isError(result)) {
        *error = ZSTD_getErrorName(result);
        ZSTD_freeCCtx(context);
        return NULL;
    }
    return context;
}

/// One compression step: `finish` ends the frame (ZSTD_e_end), else ZSTD_e_continue. Returns
/// what ZSTD_compressStream2 returns (with `finish`, 0 once the frame is complete) and sets
/// the counts consumed and produced.
static inline size_t czstd_compress(ZSTD_CCtx *context, const void *input, size_t inputCount, void *output,
                                    size_t outputCount, int finish, size_t *consumed, size_t *produced) {
    ZSTD_inBuffer in = {input, inputCount, 0};
    ZSTD_outBuffer out = {output, outputCount, 0};
    size_t result = ZSTD_compressStream2(context, &out, &in, finish ? ZSTD_e_end : ZSTD_e_continue);
    *consumed = in.pos;
    *produced = out.pos;
    return result;
}

/// One decompression step (the round trip); returns 0 when a frame is complete.
static inline size_t czstd_decompress(ZSTD_DCtx *context, const void *input, size_t inputCount, void *output,
                                      size_t outputCount, size_t *consumed, size_t *produced) {
    ZSTD_inBuffer in = {input, inputCount, 0};
    ZSTD_outBuffer out = {output, outputCount, 0};
    size_t result = ZSTD_decompressStream(context, &out, &in);
    *consumed = in.pos;
    *produced = out.pos;
    return result;
}

/// Whether a zstd result is an error.
static inline int czstd_is_error(size_t result) { return ZSTD_isError(result); }

/// The name of an error result.
static inline const char *czstd_error_name(size_t result) { return ZSTD_getErrorName(result); }

/// The output size that always makes progress (ZSTD_CStreamOutSize).
static inline size_t czstd_output_size(void) { return ZSTD_CStreamOutSize(); }

#endif
