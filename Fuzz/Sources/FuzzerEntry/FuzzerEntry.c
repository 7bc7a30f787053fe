// SwiftPM links a debug executable with `--defsym main=<Module>_main` (so that tests can import it),
// which leaves nothing named `main` for libFuzzer to replace when the Swift file is compiled with
// -parse-as-library. These entry points hand control to libFuzzer's driver instead, so the same
// sources work in debug and release builds (in release, libFuzzer's own `main` is used).
#include <stddef.h>
#include <stdint.h>
#include "FuzzerEntry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int FuzzParsers_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }
int FuzzBundle_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }
