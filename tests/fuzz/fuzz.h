/* fuzz.h - what the libFuzzer harnesses share: input as a file, a sink. */
#ifndef NERPIPE_FUZZ_H
#define NERPIPE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A path whose contents are data[0..size): an in-memory file, made once
 * and rewritten each call.  Valid until the next call. */
const char *fuzz_file(const uint8_t *data, size_t size);

/* A stream that throws away what is written to it (opened once). */
FILE *fuzz_sink(void);

/* data[0..size) as a NUL-terminated copy the caller frees. */
char *fuzz_strndup(const uint8_t *data, size_t size);

#endif
