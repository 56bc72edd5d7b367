// Declared here, defined in Swift (@_cdecl in Sources/SendlintFuzz/Harness.swift).
int sendlintFuzzReplay(int argc, char **argv);
