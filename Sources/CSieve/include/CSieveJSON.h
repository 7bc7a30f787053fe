// Passing over a JSON value without tokenising it: 64 bytes per step, simdjson-style bit masks.
//
// `JSONScanner.skipValue` calls this for every object or array its consumer declined. Each step
// classifies 64 bytes into bit masks ('"', '\\', brackets, newlines), finds the escaped bytes from the
// odd-length backslash runs, the bytes inside strings by a prefix XOR of the unescaped quotes, and then
// walks only the brackets outside strings. The state is carried across calls, so a value may span
// any number of blocks; no allocation, no I/O.
#ifndef OOMLENS_CSIEVE_JSON_H
#define OOMLENS_CSIEVE_JSON_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The state of a value being passed over, carried from one block to the next.
typedef struct oomlens_json_skip_state {
    /// Which open brackets are '[': bit d for the bracket opened at depth d (the outermost is bit 0).
    uint64_t arrays;
    /// How many brackets of the value are open (0 before its first byte, at most 64).
    uint32_t depth;
    /// Stop before an opening bracket when this many are open already (at most 64); the caller
    /// handles what lies deeper.
    uint32_t limit;
    /// The bytes passed so far end inside a string.
    uint8_t in_string;
    /// ... right after a backslash inside a string: the next byte is escaped.
    uint8_t escaped;
    /// Output: the newline bytes passed over by the last call (those inside strings too, except an
    /// escaped one).
    size_t newlines;
} oomlens_json_skip_state;

/// The block ended inside the value: every byte from the offset on was passed over.
#define OOMLENS_JSON_SKIP_MORE 0
/// The value ended: the offset is just past its closing bracket.
#define OOMLENS_JSON_SKIP_DONE 1
/// The offset is at a bracket the caller must handle: an opening one at `limit`, or a closing one
/// that does not match (or, with depth 0, a first byte that is not an opening bracket).
#define OOMLENS_JSON_SKIP_STOP 2

/// Passes over bytes[*offset..<count] of a value (from its opening bracket when state->depth is 0)
/// and moves *offset to where it stopped; returns one of the OOMLENS_JSON_SKIP_ codes.
///
/// Bytes are read as JSONScanner's byte loop reads them: only '"', '\\' inside strings, the four
/// brackets outside strings and newlines matter; a backslash outside a string is an ordinary byte.
int oomlens_json_skip(oomlens_json_skip_state *state, const uint8_t *bytes, size_t count, size_t *offset);

/// The same answer with the masks built by a portable byte loop, whatever the processor (for tests).
int oomlens_json_skip_portable(oomlens_json_skip_state *state, const uint8_t *bytes, size_t count,
                               size_t *offset);

/// The same answer from the plain byte-at-a-time state machine (for tests: the reference).
int oomlens_json_skip_bytewise(oomlens_json_skip_state *state, const uint8_t *bytes, size_t count,
                               size_t *offset);

/// The offset of the first byte in bytes[from..<count] that is '"', '\\' or below 0x20 (the end of a
/// string's plain run), or count when there is none: sixteen bytes a step with SSE2.
static inline size_t oomlens_json_string_stop(const uint8_t *bytes, size_t count, size_t from) {
    size_t i = from;
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i below = _mm_set1_epi8(0x1F);
    while (i + 16 <= count) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        // v <= 0x1F exactly when the unsigned minimum of v and 0x1F is v.
        __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                    _mm_cmpeq_epi8(_mm_min_epu8(v, below), v));
        unsigned mask = (unsigned)_mm_movemask_epi8(hits);
        if (mask) return i + (size_t)__builtin_ctz(mask);
        i += 16;
    }
#endif
    for (; i < count; i++) {
        uint8_t c = bytes[i];
        if (c == '"' || c == '\\' || c < 0x20) return i;
    }
    return count;
}

#endif
