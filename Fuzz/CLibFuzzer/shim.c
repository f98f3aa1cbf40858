#include "CLibFuzzer.h"

/* libFuzzer's own main, linked in but never run, needs this symbol; the targets pass their
   callback to LLVMFuzzerRunDriver instead. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    (void)data;
    (void)size;
    return 0;
}
