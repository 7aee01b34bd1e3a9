//===----------------------------------------------------------------------===//
//
// CCurlShim: typed wrappers for the variadic parts of libcurl's API
// (`curl_easy_setopt`, `curl_easy_getinfo`, `curl_multi_setopt`), which Swift
// cannot call directly. Modelled on swift-corelibs-foundation's
// `_CFURLSessionInterface` (`_long`/`_ptr`/`_int64` setopt variants).
//
// Header-only: every function is `static inline`; the package links `curl`
// (see Package.swift). Every symbol is prefixed `ccurl_`. The non-variadic
// libcurl functions (`curl_easy_init`, `curl_multi_poll`, ...) are used from
// Swift as they are. Only `Sources/CloneBundlesHTTP/Curl/` imports this module,
// with `internal import`, so no libcurl type leaves that folder.
//
// Return convention: the libcurl code of the wrapped call (`CURLE_OK`,
// `CURLM_OK` on success).
//
//===----------------------------------------------------------------------===//
#ifndef C_CURL_SHIM_H
#define C_CURL_SHIM_H

// The type-checking macros of curl/typecheck-gcc.h would replace the
// variadic functions wrapped here; they add nothing once the types are fixed.
#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif

#include <curl/curl.h>

/// `CURL_GLOBAL_ALL`, spelled as a constant Swift can import.
static const long ccurl_global_all = CURL_GLOBAL_ALL;

// MARK: - curl_easy_setopt

/// Sets an option taking a `long` (flags, counts, timeouts in ms).
static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option taking a `curl_off_t` (the `_LARGE` sizes).
static inline CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option taking a C string. libcurl copies the string.
static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option taking a pointer that libcurl keeps without copying
/// (`CURLOPT_READDATA`, `CURLOPT_ERRORBUFFER`, ...): keep it alive until the
/// transfer ends.
static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Sets an option taking a header list (`CURLOPT_HTTPHEADER`). libcurl
/// keeps the list: free it only after the transfer ends.
static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

/// Sets `CURLOPT_READFUNCTION`.
static inline CURLcode ccurl_easy_setopt_read_callback(CURL *handle, curl_read_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

/// Sets `CURLOPT_SEEKFUNCTION` (needed when libcurl resends a body, for
/// example on a reused connection that turned out to be closed).
static inline CURLcode ccurl_easy_setopt_seek_callback(CURL *handle, curl_seek_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, callback);
}

/// Sets `CURLOPT_WRITEFUNCTION`.
static inline CURLcode ccurl_easy_setopt_write_callback(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

/// Sets `CURLOPT_HEADERFUNCTION` (same signature as the write callback).
static inline CURLcode ccurl_easy_setopt_header_callback(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

/// Sets `CURLOPT_XFERINFOFUNCTION`; also needs `CURLOPT_NOPROGRESS` 0.
static inline CURLcode ccurl_easy_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

// MARK: - curl_easy_getinfo

/// Reads a `long` item (`CURLINFO_RESPONSE_CODE`, `CURLINFO_NUM_CONNECTS`).
static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// Reads a `curl_off_t` item (`CURLINFO_SIZE_UPLOAD_T`, `CURLINFO_TOTAL_TIME_T`).
static inline CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// Reads a `double` item (`CURLINFO_TOTAL_TIME`).
static inline CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

// MARK: - curl_easy_pause

/// Resumes a transfer paused by `CURL_WRITEFUNC_PAUSE` (`CURLPAUSE_CONT` combines two macros,
/// which Swift does not import).
static inline CURLcode ccurl_easy_resume(CURL *handle) {
    return curl_easy_pause(handle, CURLPAUSE_CONT);
}

// MARK: - curl_multi_setopt

/// Sets a multi option taking a `long` (`CURLMOPT_MAX_HOST_CONNECTIONS`, ...).
static inline CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

// MARK: - curl_version_info

/// The release of the libcurl in use, `7.88.1` (`curl_version_info`'s
/// `version`, without the TLS and compression libraries `curl_version` adds).
/// A static string owned by libcurl.
static inline const char *ccurl_version_release(void) {
    return curl_version_info(CURLVERSION_NOW)->version;
}

#endif // C_CURL_SHIM_H
