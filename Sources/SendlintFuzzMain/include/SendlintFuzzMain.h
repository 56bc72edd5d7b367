// Declared here, defined in Swift (@_cdecl in Sources/SendlintFuzz/Harness.swift).
#include <stddef.h>
#include <stdint.h>

int sendlintFuzzReplay(int argc, char **argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
