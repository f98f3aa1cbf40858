#include <stddef.h>
#include <stdint.h>

/* libFuzzer's driver (linked by -sanitize=fuzzer): runs `callback` on each generated input.
   SwiftPM gives every executable its own main, so the targets call this instead of libFuzzer's main. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
