#ifndef CSHA256_H
#define CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions (and the SSSE3/SSE4.1 they are used with), else 0.
int csha256_has_sha_extensions(void);

/// Runs the SHA-256 compression function over `blocks` consecutive 64-byte blocks at `data`,
/// updating `state` (a, b, …, h). Uses the SHA extensions: call only when
/// csha256_has_sha_extensions() returned 1.
void csha256_compress_sha_extensions(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The same for two independent messages of at least `blocks` blocks each, interleaved (faster
/// than two calls of csha256_compress_sha_extensions).
void csha256_compress_sha_extensions_x2(uint32_t first[8], const uint8_t *first_data,
                                        uint32_t second[8], const uint8_t *second_data, size_t blocks);

#endif
