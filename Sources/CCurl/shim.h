// libcurl's easy interface (Debian libcurl4-openssl-dev), for the live fetch. curl_easy_setopt and
// curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper per argument kind.
#include <curl/curl.h>

typedef size_t (*cd_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode cd_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode cd_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode cd_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode cd_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode cd_curl_setopt_callback(CURL *handle, CURLoption option, cd_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode cd_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
