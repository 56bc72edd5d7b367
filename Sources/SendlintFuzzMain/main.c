// The process entry point of sendlint-fuzz. It is weak: under `-sanitize=fuzzer` libFuzzer's strong
// `main` replaces it and drives LLVMFuzzerTestOneInput; in a plain build it replays files through
// the same harness (see Sources/SendlintFuzz/Harness.swift), so the target builds everywhere.
#include "SendlintFuzzMain.h"

__attribute__((weak)) int main(int argc, char **argv) { return sendlintFuzzReplay(argc, argv); }
