#include <stddef.h>
#include <stdint.h>
#include <malloc.h>  /* mallopt, for the file targets' process settings */

/// libFuzzer's entry for programs that have their own main (compiler-rt FuzzerInterface.h).
/// SwiftPM gives every executable target a Swift main, so libFuzzer's main is never linked.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
