// See include/CSieveJSON.h. One step handles 64 bytes:
//
//   bytes      {"a":"x\"]",  "b":[{}, 1]}
//   quote       1 1 1 1 1    1 1
//   escaped            1                   (the byte after an odd run of backslashes)
//   in string   11 11111      11            (prefix XOR of the unescaped quotes, carried in)
//   brackets   1         ... 1 11    11    (outside strings only; the ']' in "x\"]" is not one)
//
// and then walks the brackets one set bit at a time, keeping which open ones are '[' in a 64-bit
// stack so that a mismatch stops exactly where the byte loop would. An empty '{}' or '[]' is
// dropped from the masks first (managedFields is full of them) when no opening bracket of the step can
// reach the limit; when only braces are left then, too few closing ones to reach depth 0 and every
// open bracket they could close a '{', nothing can stop the walk and the depth moves by the counts.
// With AVX2 the prefix XOR is one carry-less multiply.
#include "CSieveJSON.h"
#include "CSieve.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define OOMLENS_JSON_X86 1
#endif

typedef struct masks {
    uint64_t quote, backslash, open, close, square, newline;
} masks;

enum { C_QUOTE = 1, C_BACKSLASH = 2, C_OPEN = 4, C_CLOSE = 8, C_SQUARE = 16, C_NEWLINE = 32 };

static const uint8_t byte_class[256] = {
    ['"'] = C_QUOTE, ['\\'] = C_BACKSLASH, ['{'] = C_OPEN, ['['] = C_OPEN | C_SQUARE,
    ['}'] = C_CLOSE, [']'] = C_CLOSE | C_SQUARE, ['\n'] = C_NEWLINE,
};

static inline __attribute__((always_inline)) masks masks_portable(const uint8_t *p) {
    masks m = {0, 0, 0, 0, 0, 0};
    for (int k = 0; k < 64; k++) {
        uint64_t bit = 1ULL << k;
        uint8_t c = byte_class[p[k]];
        if (!c) continue;
        if (c & C_QUOTE) m.quote |= bit;
        if (c & C_BACKSLASH) m.backslash |= bit;
        if (c & C_OPEN) m.open |= bit;
        if (c & C_CLOSE) m.close |= bit;
        if (c & C_SQUARE) m.square |= bit;
        if (c & C_NEWLINE) m.newline |= bit;
    }
    return m;
}

#ifdef OOMLENS_JSON_X86
__attribute__((target("avx2"), always_inline)) static inline masks masks_avx2(const uint8_t *p) {
    const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\');
    const __m256i open = _mm256_set1_epi8('{'), close = _mm256_set1_epi8('}');
    const __m256i newline = _mm256_set1_epi8('\n'), bit5 = _mm256_set1_epi8(0x20);
    masks m;
    uint64_t half[2][5];
    for (int h = 0; h < 2; h++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + 32 * h));
        __m256i folded = _mm256_or_si256(v, bit5);  // '[' ']' become '{' '}'
        half[h][0] = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, quote));
        half[h][1] = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, backslash));
        half[h][2] = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, open));
        half[h][3] = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, close));
        half[h][4] = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, newline));
        // Bit 5 clear: '[' or ']' among the brackets (the 16-bit shift moves bit 5 of each byte to bit 7).
        uint64_t lower = (uint32_t)~_mm256_movemask_epi8(_mm256_slli_epi16(v, 2));
        m.square = h == 0 ? lower : m.square | lower << 32;
    }
    m.quote = half[0][0] | half[1][0] << 32;
    m.backslash = half[0][1] | half[1][1] << 32;
    m.open = half[0][2] | half[1][2] << 32;
    m.close = half[0][3] | half[1][3] << 32;
    m.newline = half[0][4] | half[1][4] << 32;
    return m;
}
#endif

/// Bit k of the result is the XOR of bits 0...k of x: set inside a string when x marks the quotes.
static inline __attribute__((always_inline)) uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

#ifdef OOMLENS_JSON_X86
/// `prefix_xor` as one carry-less multiply by all ones (the low 64 bits of the product).
__attribute__((target("pclmul"), always_inline)) static inline uint64_t prefix_xor_clmul(uint64_t x) {
    __m128i product = _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)x), _mm_set1_epi8((char)0xFF), 0);
    return (uint64_t)_mm_cvtsi128_si64(product);
}
#endif

/// The byte loop: `JSONScanner.skipValue`'s semantics, one byte at a time, over [*i, end).
static int bytewise(oomlens_json_skip_state *s, const uint8_t *p, size_t end, size_t *i) {
    size_t k = *i, lines = 0;
    int status = OOMLENS_JSON_SKIP_MORE;
    while (k < end) {
        uint8_t c = p[k];
        if (s->in_string) {
            k++;
            if (s->escaped) {
                s->escaped = 0;
            } else if (c == '"') {
                s->in_string = 0;
            } else if (c == '\\') {
                s->escaped = 1;
            } else if (c == '\n') {
                lines++;
            }
            continue;
        }
        uint8_t cls = byte_class[c];
        if (cls & C_OPEN) {
            if (s->depth >= s->limit) {
                status = OOMLENS_JSON_SKIP_STOP;
                break;
            }
            uint64_t bit = 1ULL << s->depth;
            s->arrays = (cls & C_SQUARE) ? s->arrays | bit : s->arrays & ~bit;
            s->depth++;
        } else if (cls & C_CLOSE) {
            if (s->depth == 0 || ((s->arrays >> (s->depth - 1)) & 1) != ((cls & C_SQUARE) != 0)) {
                status = OOMLENS_JSON_SKIP_STOP;
                break;
            }
            s->depth--;
            if (s->depth == 0) {
                k++;
                status = OOMLENS_JSON_SKIP_DONE;
                break;
            }
        } else if (c == '"') {
            s->in_string = 1;
        } else if (c == '\n') {
            lines++;
        }
        k++;
    }
    s->newlines += lines;
    *i = k;
    return status;
}

/// One 64-byte step from `base` with its masks; returns MORE when all 64 bytes were passed over.
static inline __attribute__((always_inline)) int step(oomlens_json_skip_state *s, masks m, size_t base,
                                                      size_t *offset, uint64_t (*prefix)(uint64_t)) {
    const uint64_t even = 0x5555555555555555ULL;
    uint64_t escaped = 0, carry = 0;
    if (m.backslash | s->escaped) {
        uint64_t prev = s->escaped;
        uint64_t bs = m.backslash & ~prev;  // an escaped backslash escapes nothing
        uint64_t follows = bs << 1 | prev;
        uint64_t odd_starts = bs & ~even & ~follows;
        uint64_t even_sequences;
        carry = __builtin_add_overflow(odd_starts, bs, &even_sequences);
        escaped = (even ^ (even_sequences << 1)) & follows;
    }
    uint64_t in_string = prefix(m.quote & ~escaped) ^ (s->in_string ? ~0ULL : 0);
    if (m.backslash & ~in_string) {
        // A backslash outside a string is an ordinary byte to the byte loop: the caller lets it
        // read these 64 bytes (the state is untouched).
        return -1;
    }
    uint64_t opens = m.open & ~in_string, closes = m.close & ~in_string;
    uint64_t brackets = opens | closes;
    uint64_t newlines = m.newline & ~escaped;
    uint32_t depth = s->depth;
    uint64_t arrays = s->arrays;
    if (brackets) {
        if (depth + (uint32_t)__builtin_popcountll(opens) < s->limit) {
            // '{}' and '[]': an opening bracket right before a closing one of its own shape.
            uint64_t pairs = opens & closes >> 1 & ~(m.square ^ m.square >> 1);
            brackets &= ~(pairs | pairs << 1);
            // Only braces left, too few closing ones to reach depth 0, and every open bracket they
            // could close a '{' (managedFields' and env's steps nearly always): no bracket can stop
            // the walk, so the depth moves by the counts alone. 0 < depth - closing < 64 here.
            uint32_t closing = (uint32_t)__builtin_popcountll(brackets & closes);
            if (!(brackets & m.square) && closing < depth) {
                uint32_t lowest = depth - closing;
                if (!(arrays & ((1ULL << closing) - 1) << lowest)) {
                    depth = depth + (uint32_t)__builtin_popcountll(brackets & opens) - closing;
                    arrays &= (1ULL << lowest) - 1;  // the levels opened here are all '{'
                    brackets = 0;
                }
            }
        }
        while (brackets) {
            int b = __builtin_ctzll(brackets);
            brackets &= brackets - 1;
            uint64_t bit = 1ULL << b;
            uint64_t square = (m.square >> b) & 1;
            if (opens & bit) {
                if (depth >= s->limit) {
                    s->newlines += (size_t)__builtin_popcountll(newlines & (bit - 1));
                    s->depth = depth;
                    s->arrays = arrays;
                    s->in_string = 0;
                    s->escaped = 0;
                    *offset = base + (size_t)b;
                    return OOMLENS_JSON_SKIP_STOP;
                }
                arrays = (arrays & ~(1ULL << depth)) | square << depth;
                depth++;
            } else {
                if (depth == 0 || ((arrays >> (depth - 1)) & 1) != square) {
                    s->newlines += (size_t)__builtin_popcountll(newlines & (bit - 1));
                    s->depth = depth;
                    s->arrays = arrays;
                    s->in_string = 0;
                    s->escaped = 0;
                    *offset = base + (size_t)b;
                    return OOMLENS_JSON_SKIP_STOP;
                }
                depth--;
                if (depth == 0) {
                    // bit << 1 is 0 for b = 63, and 0 - 1 keeps all 64 bits: right either way.
                    s->newlines += (size_t)__builtin_popcountll(newlines & ((bit << 1) - 1));
                    s->depth = 0;
                    s->arrays = arrays;
                    s->in_string = 0;
                    s->escaped = 0;
                    *offset = base + (size_t)b + 1;
                    return OOMLENS_JSON_SKIP_DONE;
                }
            }
        }
    }
    s->newlines += (size_t)__builtin_popcountll(newlines);
    s->depth = depth;
    s->arrays = arrays;
    s->in_string = (uint8_t)(in_string >> 63);
    s->escaped = (uint8_t)carry;
    return OOMLENS_JSON_SKIP_MORE;
}

/// The first byte of a value (depth 0): its opening bracket, one byte at a time; then 64-byte steps,
/// the byte loop for a step with a backslash outside a string and for the last bytes of the block.
#define OOMLENS_DEFINE_SKIP(name, attributes, build_masks, prefix)                                  \
    attributes static int name(oomlens_json_skip_state *out, const uint8_t *p, size_t count, size_t *offset) { \
        /* The state in a local whose address never leaves this function (the byte loop gets a copy),  \
           so that it stays in registers from step to step instead of going through memory. */         \
        oomlens_json_skip_state state = *out;                                                       \
        oomlens_json_skip_state *s = &state;                                                        \
        int status = OOMLENS_JSON_SKIP_MORE;                                                        \
        s->newlines = 0;                                                                            \
        size_t i = *offset;                                                                         \
        if (s->depth == 0 && i < count) {                                                           \
            if (!(byte_class[p[i]] & C_OPEN) || s->limit == 0) {                                    \
                *out = state;                                                                       \
                return OOMLENS_JSON_SKIP_STOP;                                                      \
            }                                                                                       \
            s->arrays = byte_class[p[i]] & C_SQUARE ? 1 : 0;                                        \
            s->depth = 1;                                                                           \
            s->in_string = 0;                                                                       \
            s->escaped = 0;                                                                         \
            i++;                                                                                    \
        }                                                                                           \
        while (i + 64 <= count) {                                                                   \
            status = step(s, build_masks(p + i), i, offset, prefix);                                \
            if (status > 0) {                                                                       \
                *out = state;                                                                       \
                return status;                                                                      \
            }                                                                                       \
            if (status < 0) {                                                                       \
                oomlens_json_skip_state copy = state;                                               \
                size_t k = i;                                                                       \
                status = bytewise(&copy, p, i + 64, &k);                                            \
                state = copy;                                                                       \
                i = k;                                                                              \
                if (status != OOMLENS_JSON_SKIP_MORE) {                                             \
                    *offset = i;                                                                    \
                    *out = state;                                                                   \
                    return status;                                                                  \
                }                                                                                   \
                continue;                                                                           \
            }                                                                                       \
            i += 64;                                                                                \
        }                                                                                           \
        *out = state;                                                                               \
        status = bytewise(out, p, count, &i);                                                       \
        *offset = i;                                                                                \
        return status;                                                                              \
    }

OOMLENS_DEFINE_SKIP(skip_portable, , masks_portable, prefix_xor)
#ifdef OOMLENS_JSON_X86
OOMLENS_DEFINE_SKIP(skip_avx2, __attribute__((target("avx2,pclmul"))), masks_avx2, prefix_xor_clmul)
#endif

int oomlens_json_skip(oomlens_json_skip_state *state, const uint8_t *bytes, size_t count, size_t *offset) {
#ifdef OOMLENS_JSON_X86
    if (oomlens_sieve_vector_level() == 2) return skip_avx2(state, bytes, count, offset);
#endif
    return skip_portable(state, bytes, count, offset);
}

int oomlens_json_skip_portable(oomlens_json_skip_state *state, const uint8_t *bytes, size_t count,
                               size_t *offset) {
    return skip_portable(state, bytes, count, offset);
}

int oomlens_json_skip_bytewise(oomlens_json_skip_state *state, const uint8_t *bytes, size_t count,
                               size_t *offset) {
    state->newlines = 0;
    size_t i = *offset;
    if (state->depth == 0 && i < count && (!(byte_class[bytes[i]] & C_OPEN) || state->limit == 0)) {
        return OOMLENS_JSON_SKIP_STOP;
    }
    int status = bytewise(state, bytes, count, &i);
    *offset = i;
    return status;
}
