// See include/CSieve.h. Each position's three bytes are looked up by nibble in the tables; a bucket
// survives when all six lookups have its bit. SSSE3's pshufb does sixteen lookups at once, AVX2's vpshufb thirty-two.
#include "CSieve.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define OOMLENS_SIEVE_X86 1
#endif

static inline uint8_t fingerprint_at(const oomlens_sieve_tables *t, const uint8_t *p) {
    return t->lo[0][p[0] & 15] & t->hi[0][p[0] >> 4] & t->lo[1][p[1] & 15] & t->hi[1][p[1] >> 4]
        & t->lo[2][p[2] & 15] & t->hi[2][p[2] >> 4];
}

static size_t next_portable(const oomlens_sieve_tables *t, const uint8_t *bytes, size_t count, size_t from,
                            uint8_t *buckets) {
    if (count < 3) return count;
    for (size_t i = from; i + 2 < count; i++) {
        uint8_t m = fingerprint_at(t, bytes + i);
        if (m) {
            *buckets = m;
            return i;
        }
    }
    return count;
}

#ifdef OOMLENS_SIEVE_X86
__attribute__((target("ssse3")))
static size_t next_ssse3(const oomlens_sieve_tables *t, const uint8_t *bytes, size_t count, size_t from,
                         uint8_t *buckets) {
    const __m128i nibble = _mm_set1_epi8(0x0F);
    const __m128i lo0 = _mm_loadu_si128((const __m128i *)t->lo[0]);
    const __m128i lo1 = _mm_loadu_si128((const __m128i *)t->lo[1]);
    const __m128i lo2 = _mm_loadu_si128((const __m128i *)t->lo[2]);
    const __m128i hi0 = _mm_loadu_si128((const __m128i *)t->hi[0]);
    const __m128i hi1 = _mm_loadu_si128((const __m128i *)t->hi[1]);
    const __m128i hi2 = _mm_loadu_si128((const __m128i *)t->hi[2]);
    const __m128i zero = _mm_setzero_si128();
    size_t i = from;
    // Sixteen positions per step; the loads reach i + 17.
    while (i + 18 <= count) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(bytes + i + 1));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(bytes + i + 2));
        __m128i r0 = _mm_and_si128(_mm_shuffle_epi8(lo0, _mm_and_si128(v0, nibble)),
                                   _mm_shuffle_epi8(hi0, _mm_and_si128(_mm_srli_epi16(v0, 4), nibble)));
        __m128i r1 = _mm_and_si128(_mm_shuffle_epi8(lo1, _mm_and_si128(v1, nibble)),
                                   _mm_shuffle_epi8(hi1, _mm_and_si128(_mm_srli_epi16(v1, 4), nibble)));
        __m128i r2 = _mm_and_si128(_mm_shuffle_epi8(lo2, _mm_and_si128(v2, nibble)),
                                   _mm_shuffle_epi8(hi2, _mm_and_si128(_mm_srli_epi16(v2, 4), nibble)));
        __m128i r = _mm_and_si128(_mm_and_si128(r0, r1), r2);
        unsigned hits = (~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(r, zero))) & 0xFFFFu;
        if (hits) {
            unsigned lane = (unsigned)__builtin_ctz(hits);
            uint8_t lanes[16];
            _mm_storeu_si128((__m128i *)lanes, r);
            *buckets = lanes[lane];
            return i + lane;
        }
        i += 16;
    }
    return next_portable(t, bytes, count, i, buckets);
}

__attribute__((target("avx2")))
static size_t next_avx2(const oomlens_sieve_tables *t, const uint8_t *bytes, size_t count, size_t from,
                        uint8_t *buckets) {
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    // The 16-entry tables repeated in both 128-bit lanes (vpshufb looks up within a lane).
    const __m256i lo0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->lo[0]));
    const __m256i lo1 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->lo[1]));
    const __m256i lo2 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->lo[2]));
    const __m256i hi0 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->hi[0]));
    const __m256i hi1 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->hi[1]));
    const __m256i hi2 = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->hi[2]));
    const __m256i zero = _mm256_setzero_si256();
    size_t i = from;
    // Thirty-two positions per step; the loads reach i + 33.
    while (i + 34 <= count) {
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(bytes + i));
        __m256i v1 = _mm256_loadu_si256((const __m256i *)(bytes + i + 1));
        __m256i v2 = _mm256_loadu_si256((const __m256i *)(bytes + i + 2));
        __m256i r0 = _mm256_and_si256(_mm256_shuffle_epi8(lo0, _mm256_and_si256(v0, nibble)),
                                      _mm256_shuffle_epi8(hi0, _mm256_and_si256(_mm256_srli_epi16(v0, 4), nibble)));
        __m256i r1 = _mm256_and_si256(_mm256_shuffle_epi8(lo1, _mm256_and_si256(v1, nibble)),
                                      _mm256_shuffle_epi8(hi1, _mm256_and_si256(_mm256_srli_epi16(v1, 4), nibble)));
        __m256i r2 = _mm256_and_si256(_mm256_shuffle_epi8(lo2, _mm256_and_si256(v2, nibble)),
                                      _mm256_shuffle_epi8(hi2, _mm256_and_si256(_mm256_srli_epi16(v2, 4), nibble)));
        __m256i r = _mm256_and_si256(_mm256_and_si256(r0, r1), r2);
        unsigned hits = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, zero));
        if (hits) {
            unsigned lane = (unsigned)__builtin_ctz(hits);
            uint8_t lanes[32];
            _mm256_storeu_si256((__m256i *)lanes, r);
            *buckets = lanes[lane];
            return i + lane;
        }
        i += 32;
    }
    return next_ssse3(t, bytes, count, i, buckets);
}

__attribute__((target("avx2")))
static size_t count_avx2(const uint8_t *bytes, size_t count, uint8_t byte) {
    const __m256i needle = _mm256_set1_epi8((char)byte);
    size_t total = 0, i = 0;
    for (; i + 32 <= count; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(bytes + i));
        total += (size_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, needle)));
    }
    for (; i < count; i++) total += bytes[i] == byte;
    return total;
}

/// 2 with AVX2 and PCLMULQDQ (every AVX2 processor has both; the JSON skipper's prefix XOR is a
/// carry-less multiply) and the system saving the AVX registers, 1 with SSSE3, 0 otherwise.
static int vector_level(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int ssse3 = (c & bit_SSSE3) != 0, pclmul = (c & bit_PCLMUL) != 0;
    int osxsave = (c & bit_OSXSAVE) != 0, avx = (c & bit_AVX) != 0;
    if (!ssse3) return 0;
    if (!osxsave || !avx) return 1;
    unsigned xlo, xhi;
    __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
    if ((xlo & 6) != 6) return 1;  // XMM and YMM state enabled
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 1;
    return (b & bit_AVX2) && pclmul ? 2 : 1;
}

#endif

int oomlens_sieve_vector_level(void) {
#ifdef OOMLENS_SIEVE_X86
    static int cached = -1;  // -1 until the first call asks the processor
    int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (known < 0) {
        known = vector_level();
        __atomic_store_n(&cached, known, __ATOMIC_RELAXED);
    }
    return known;
#else
    return 0;
#endif
}

size_t oomlens_sieve_next(const oomlens_sieve_tables *tables, const uint8_t *bytes, size_t count, size_t from,
                          uint8_t *buckets) {
    if (from >= count) return count;
#ifdef OOMLENS_SIEVE_X86
    switch (oomlens_sieve_vector_level()) {
    case 2: return next_avx2(tables, bytes, count, from, buckets);
    case 1: return next_ssse3(tables, bytes, count, from, buckets);
    default: break;
    }
#endif
    return next_portable(tables, bytes, count, from, buckets);
}

size_t oomlens_sieve_next_portable(const oomlens_sieve_tables *tables, const uint8_t *bytes, size_t count,
                                   size_t from, uint8_t *buckets) {
    if (from >= count) return count;
    return next_portable(tables, bytes, count, from, buckets);
}

size_t oomlens_count_byte(const uint8_t *bytes, size_t count, uint8_t byte) {
#ifdef OOMLENS_SIEVE_X86
    if (oomlens_sieve_vector_level() == 2) return count_avx2(bytes, count, byte);
#endif
    size_t total = 0;
    for (size_t i = 0; i < count; i++) total += bytes[i] == byte;
    return total;
}
