// OpenSSL's libcrypto (Debian libssl-dev): only the EVP digest interface is used, for SHA-256.
#include <openssl/evp.h>
