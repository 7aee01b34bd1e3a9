//===----------------------------------------------------------------------===//
//
// CCryptoShim: typed wrappers around the parts of OpenSSL 3 libcrypto that
// clonebundles uses (SHA-256 and MD5 digests through EVP, HMAC-SHA256).
//
// Header-only: every function is `static inline`, so this target has no C
// sources of its own; the package links `crypto` (see Package.swift).
// Every symbol is prefixed `ccrypto_`. Only the Swift target
// CloneBundlesCrypto imports this module, with `internal import`, so no
// OpenSSL type reaches any other module.
//
// Return convention: functions returning `int` return 1 on success and 0 on
// failure, like OpenSSL; `ccrypto_error_pop` then describes the failure.
//
//===----------------------------------------------------------------------===//
#ifndef C_CRYPTO_SHIM_H
#define C_CRYPTO_SHIM_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/// Output sizes in bytes.
#define CCRYPTO_SHA256_DIGEST_LENGTH 32
#define CCRYPTO_MD5_DIGEST_LENGTH 16

/// An EVP digest context. Imported into Swift as an `OpaquePointer`.
typedef EVP_MD_CTX ccrypto_digest_ctx;

/// Allocates a digest context, or returns NULL when allocation fails.
static inline ccrypto_digest_ctx *ccrypto_digest_ctx_new(void) {
    return EVP_MD_CTX_new();
}

/// Frees a context from `ccrypto_digest_ctx_new`. NULL is accepted.
static inline void ccrypto_digest_ctx_free(ccrypto_digest_ctx *ctx) {
    EVP_MD_CTX_free(ctx);
}

/// Starts (or restarts) a SHA-256 computation in `ctx`.
static inline int ccrypto_digest_init_sha256(ccrypto_digest_ctx *ctx) {
    return EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
}

/// Starts (or restarts) an MD5 computation in `ctx` (for `Content-MD5`, which
/// some S3-compatible services need; never for anything secret).
static inline int ccrypto_digest_init_md5(ccrypto_digest_ctx *ctx) {
    return EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
}
/// Feeds `count` bytes at `bytes` into the computation. `bytes` may be NULL
/// only when `count` is 0.
static inline int ccrypto_digest_update(ccrypto_digest_ctx *ctx,
                                        const void *bytes, size_t count) {
    if (count == 0) {
        return 1;
    }
    return EVP_DigestUpdate(ctx, bytes, count);
}

/// Writes the digest to `out`, which must hold `out_capacity` bytes (at least
/// the digest's size), and stores its length in `*out_length`.
static inline int ccrypto_digest_final(ccrypto_digest_ctx *ctx, uint8_t *out,
                                       size_t out_capacity,
                                       unsigned int *out_length) {
    if (out_capacity < (size_t)EVP_MD_CTX_get_size(ctx)) {
        return 0;
    }
    return EVP_DigestFinal_ex(ctx, out, out_length);
}

/// One-shot HMAC-SHA256 of `message` under `key`, written to `out` (32
/// bytes). Uses `HMAC()`, which is not deprecated in OpenSSL 3. NULL
/// pointers are accepted for empty inputs.
static inline int ccrypto_hmac_sha256(const void *key, size_t key_count,
                                      const void *message, size_t message_count,
                                      uint8_t out[CCRYPTO_SHA256_DIGEST_LENGTH]) {
    static const unsigned char empty[1] = {0};
    unsigned int length = 0;
    if (key_count > (size_t)INT_MAX) {
        return 0;
    }
    if (key == NULL) {
        key = empty;
    }
    if (message == NULL) {
        message = empty;
    }
    if (HMAC(EVP_sha256(), key, (int)key_count, (const unsigned char *)message,
             message_count, out, &length) == NULL) {
        return 0;
    }
    return length == CCRYPTO_SHA256_DIGEST_LENGTH;
}

/// Pops the oldest error from this thread's OpenSSL error queue, writes its
/// text to `buffer` (NUL-terminated, truncated to `capacity`), clears the rest
/// of the queue, and returns the error code (0 when the queue was empty).
static inline unsigned long ccrypto_error_pop(char *buffer, size_t capacity) {
    unsigned long code = ERR_get_error();
    if (capacity > 0) {
        buffer[0] = '\0';
        if (code != 0) {
            ERR_error_string_n(code, buffer, capacity);
        }
    }
    ERR_clear_error();
    return code;
}

#endif /* C_CRYPTO_SHIM_H */
