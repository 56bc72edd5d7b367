// The process entry point of sendlint-fuzz. Built by Scripts/fuzz.sh (with SENDLINT_LIBFUZZER
// defined and libFuzzer's no-main runtime on the link line) it hands control to libFuzzer, which
// drives LLVMFuzzerTestOneInput. `-sanitize=fuzzer` cannot be used for that: it links libFuzzer's
// own `main` into every executable of the package, and the PolicyPackEmbedder build tool, sendlint
// and the benchmarks all have one. In a plain build it replays files through the same harness
// (see Sources/SendlintFuzz/Harness.swift), so the target builds and runs everywhere.
#include "SendlintFuzzMain.h"

#ifdef SENDLINT_LIBFUZZER
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }
#else
int main(int argc, char **argv) { return sendlintFuzzReplay(argc, argv); }
#endif
