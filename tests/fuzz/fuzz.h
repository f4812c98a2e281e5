/* The libFuzzer entry point every target defines. */
#ifndef MEMTOP_TESTS_FUZZ_H
#define MEMTOP_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#endif
