#ifndef DIFFDUB_FUZZ_DRIVER_H
#define DIFFDUB_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer): parses the libFuzzer
/// command line and runs `callback` on each input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// Runs libFuzzer's driver on `callback` (what each fuzz target's `main` does).
int diffdub_fuzz_main(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size));

#endif
