// See include/CSieve.h: passing over whole lines, 64 bytes a step with AVX2.
#include "CSieve.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define OOMLENS_LINES_X86 1
#endif

size_t oomlens_pass_lines_portable(const uint8_t *bytes, size_t count, size_t max_lines, size_t *lines) {
    size_t n = 0, end = 0;
    for (size_t i = 0; i < count && n < max_lines; i++) {
        if (bytes[i] == '\n') {
            n++;
            end = i + 1;
        }
    }
    *lines = n;
    return end;
}

#ifdef OOMLENS_LINES_X86
// Sixty-four bytes a step, without a branch on whether a step holds a newline (about one step in
// three to six does in a log, which the processor cannot predict): the count is added and the end
// of the last newline chosen by a conditional move; only the step that reaches max_lines branches.
__attribute__((target("avx2,popcnt")))
static size_t pass_lines_avx2(const uint8_t *bytes, size_t count, size_t max_lines, size_t *lines) {
    const __m256i newline = _mm256_set1_epi8('\n');
    size_t n = 0, end = 0, i = 0;
    for (; i + 64 <= count; i += 64) {
        uint64_t low = (uint32_t)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(bytes + i)), newline));
        uint64_t high = (uint32_t)_mm256_movemask_epi8(
            _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(bytes + i + 32)), newline));
        uint64_t mask = low | (high << 32);
        size_t here = (size_t)__builtin_popcountll(mask);
        if (n + here >= max_lines) {
            // The newline that makes max_lines (here > 0, since n < max_lines): drop the lower ones.
            for (size_t drop = max_lines - n - 1; drop > 0; drop--) mask &= mask - 1;
            *lines = max_lines;
            return i + (size_t)__builtin_ctzll(mask) + 1;
        }
        n += here;
        // Just past the last newline of the 64; `| 1` keeps the count defined when there is none.
        size_t last = i + 64 - (size_t)__builtin_clzll(mask | 1);
        end = mask ? last : end;
    }
    for (; i < count && n < max_lines; i++) {
        if (bytes[i] == '\n') {
            n++;
            end = i + 1;
        }
    }
    *lines = n;
    return end;
}
#endif

size_t oomlens_pass_lines(const uint8_t *bytes, size_t count, size_t max_lines, size_t *lines) {
    *lines = 0;
    if (max_lines == 0) return 0;
#ifdef OOMLENS_LINES_X86
    if (oomlens_sieve_vector_level() == 2) return pass_lines_avx2(bytes, count, max_lines, lines);
#endif
    return oomlens_pass_lines_portable(bytes, count, max_lines, lines);
}
