// A vectorised multi-needle prefilter (the "Teddy" fingerprint scan) for oomlens's line sieve, a
// vectorised byte count, and passing over whole lines.
//
// Swift has no portable byte shuffle, which this scan is built on; the rest of the matching (which
// needles, exact comparison) stays in Swift (`NeedleSet`). No allocation, no state, no I/O.
#ifndef OOMLENS_CSIEVE_H
#define OOMLENS_CSIEVE_H

#include <stddef.h>
#include <stdint.h>

/// Nibble tables: for fingerprint byte k (0, 1, 2) and a nibble value, the buckets (bits 0-7) whose
/// needles may have that low (`lo`) or high (`hi`) nibble at byte k.
typedef struct oomlens_sieve_tables {
    uint8_t lo[3][16];
    uint8_t hi[3][16];
} oomlens_sieve_tables;

/// The first offset in [from, count - 2) where the three bytes at offset, offset+1 and offset+2 fit
/// the fingerprint of some bucket; that bucket mask goes to *buckets. Returns count when none does.
size_t oomlens_sieve_next(const oomlens_sieve_tables *tables, const uint8_t *bytes, size_t count, size_t from,
                          uint8_t *buckets);

/// The same answer from the portable byte loop, whatever the processor (for tests).
size_t oomlens_sieve_next_portable(const oomlens_sieve_tables *tables, const uint8_t *bytes, size_t count,
                                   size_t from, uint8_t *buckets);

/// The scan in use on this processor: 2 AVX2 (with PCLMULQDQ), 1 SSSE3, 0 the portable byte loop.
int oomlens_sieve_vector_level(void);

/// How many times `byte` occurs in bytes[0..<count] (newlines, for `oomlens inventory`'s line counts).
size_t oomlens_count_byte(const uint8_t *bytes, size_t count, uint8_t byte);

/// Passes over whole lines: the offset just past the `max_lines`-th newline in bytes[0..<count], or
/// past the last one when there are fewer; the newlines passed go to *lines (0 and 0 when none).
size_t oomlens_pass_lines(const uint8_t *bytes, size_t count, size_t max_lines, size_t *lines);

/// The same answer from a byte loop, whatever the processor (for tests).
size_t oomlens_pass_lines_portable(const uint8_t *bytes, size_t count, size_t max_lines, size_t *lines);

#include "CSieveJSON.h"

#endif
