// See include/CBF16Kernels.h. Only `diffdub_bf16_multiply` uses AVX-512 instructions, through a
// function-level target attribute, so this file builds for any x86-64 (and compiles to stubs
// elsewhere); callers check `diffdub_bf16_is_supported` first.
#include "CBF16Kernels.h"

#include <string.h>

uint16_t diffdub_bf16_round(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40u);  // quiet NaN
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

void diffdub_bf16_pack(const float *source, ptrdiff_t depthStride, ptrdiff_t countStride, int depth, int count,
                       int panelWidth, uint16_t *target) {
    int pairs = (depth + 1) / 2;
    for (int p = 0; p < pairs; p++) {
        uint16_t *line = target + (ptrdiff_t)p * panelWidth * 2;
        const float *k0 = source + (ptrdiff_t)(2 * p) * depthStride;
        int hasSecond = 2 * p + 1 < depth;
        for (int n = 0; n < count; n++) {
            line[2 * n] = diffdub_bf16_round(k0[n * countStride]);
            line[2 * n + 1] = hasSecond ? diffdub_bf16_round(k0[n * countStride + depthStride]) : 0;
        }
        for (int n = count; n < panelWidth; n++) {
            line[2 * n] = 0;
            line[2 * n + 1] = 0;
        }
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

int diffdub_bf16_is_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512bf16");
}

// Pairs of bfloat16 values read as one 32-bit lane (the packed panels are arrays of uint16_t).
typedef int32_t __attribute__((may_alias, aligned(2))) diffdub_pair;

#define DIFFDUB_BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

// Writes one row of 16 accumulated values: alpha * acc (+ beta * C), `count` of them.
DIFFDUB_BF16_TARGET static inline void store_row(float *c, __m512 acc, int count, float alpha, float beta) {
    __mmask16 mask = count >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << count) - 1u);
    __m512 value = _mm512_mul_ps(acc, _mm512_set1_ps(alpha));
    if (beta != 0) value = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, c), _mm512_set1_ps(beta), value);
    _mm512_mask_storeu_ps(c, mask, value);
}

DIFFDUB_BF16_TARGET void diffdub_bf16_multiply(int pairs, const uint16_t *a, const uint16_t *b, int panelWidth,
                                               float *c, ptrdiff_t ldc, int rows, int columns, float alpha,
                                               float beta) {
    const diffdub_pair *pa = (const diffdub_pair *)a;  // one lane = one (k, k + 1) pair of a row
    if (panelWidth == 32) {
        __m512 c0a = _mm512_setzero_ps(), c0b = _mm512_setzero_ps(), c1a = _mm512_setzero_ps(),
               c1b = _mm512_setzero_ps(), c2a = _mm512_setzero_ps(), c2b = _mm512_setzero_ps(),
               c3a = _mm512_setzero_ps(), c3b = _mm512_setzero_ps(), c4a = _mm512_setzero_ps(),
               c4b = _mm512_setzero_ps(), c5a = _mm512_setzero_ps(), c5b = _mm512_setzero_ps(),
               c6a = _mm512_setzero_ps(), c6b = _mm512_setzero_ps(), c7a = _mm512_setzero_ps(),
               c7b = _mm512_setzero_ps();
        const uint16_t *pb = b;
        for (int p = 0; p < pairs; p++) {
            __m512bh b0 = (__m512bh)_mm512_loadu_si512((const void *)pb);
            __m512bh b1 = (__m512bh)_mm512_loadu_si512((const void *)(pb + 32));
            __m512bh s;
#define DIFFDUB_ROW(r, lo, hi)                                 \
    s = (__m512bh)_mm512_set1_epi32(pa[r]);                    \
    lo = _mm512_dpbf16_ps(lo, s, b0);                          \
    hi = _mm512_dpbf16_ps(hi, s, b1);
            DIFFDUB_ROW(0, c0a, c0b)
            DIFFDUB_ROW(1, c1a, c1b)
            DIFFDUB_ROW(2, c2a, c2b)
            DIFFDUB_ROW(3, c3a, c3b)
            DIFFDUB_ROW(4, c4a, c4b)
            DIFFDUB_ROW(5, c5a, c5b)
            DIFFDUB_ROW(6, c6a, c6b)
            DIFFDUB_ROW(7, c7a, c7b)
#undef DIFFDUB_ROW
            pa += 8;
            pb += 64;
        }
        __m512 lo[8] = {c0a, c1a, c2a, c3a, c4a, c5a, c6a, c7a};
        __m512 hi[8] = {c0b, c1b, c2b, c3b, c4b, c5b, c6b, c7b};
        for (int r = 0; r < rows && r < 8; r++) {
            store_row(c + r * ldc, lo[r], columns, alpha, beta);
            if (columns > 16) store_row(c + r * ldc + 16, hi[r], columns - 16, alpha, beta);
        }
        return;
    }
    __m512 c0 = _mm512_setzero_ps(), c1 = _mm512_setzero_ps(), c2 = _mm512_setzero_ps(), c3 = _mm512_setzero_ps(),
           c4 = _mm512_setzero_ps(), c5 = _mm512_setzero_ps(), c6 = _mm512_setzero_ps(), c7 = _mm512_setzero_ps();
    const uint16_t *pb = b;
    for (int p = 0; p < pairs; p++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512((const void *)pb);
        c0 = _mm512_dpbf16_ps(c0, (__m512bh)_mm512_set1_epi32(pa[0]), b0);
        c1 = _mm512_dpbf16_ps(c1, (__m512bh)_mm512_set1_epi32(pa[1]), b0);
        c2 = _mm512_dpbf16_ps(c2, (__m512bh)_mm512_set1_epi32(pa[2]), b0);
        c3 = _mm512_dpbf16_ps(c3, (__m512bh)_mm512_set1_epi32(pa[3]), b0);
        c4 = _mm512_dpbf16_ps(c4, (__m512bh)_mm512_set1_epi32(pa[4]), b0);
        c5 = _mm512_dpbf16_ps(c5, (__m512bh)_mm512_set1_epi32(pa[5]), b0);
        c6 = _mm512_dpbf16_ps(c6, (__m512bh)_mm512_set1_epi32(pa[6]), b0);
        c7 = _mm512_dpbf16_ps(c7, (__m512bh)_mm512_set1_epi32(pa[7]), b0);
        pa += 8;
        pb += 32;
    }
    __m512 acc[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
    for (int r = 0; r < rows && r < 8; r++) store_row(c + r * ldc, acc[r], columns, alpha, beta);
}

DIFFDUB_BF16_TARGET void diffdub_bf16_pack_rows(const float *source, ptrdiff_t depthStride, int depth, int count,
                                                int panelWidth, uint16_t *target) {
    // Lane 2n of the result takes bf16(k0[n]), lane 2n + 1 takes bf16(k1[n]): `vcvtne2ps2bf16`
    // puts the 16 values of its second operand in lanes 0-15 and those of its first in 16-31.
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7,
                                                22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    int pairs = (depth + 1) / 2;
    for (int p = 0; p < pairs; p++) {
        uint16_t *line = target + (ptrdiff_t)p * panelWidth * 2;
        const float *k0 = source + (ptrdiff_t)(2 * p) * depthStride;
        const float *k1 = k0 + depthStride;
        int hasSecond = 2 * p + 1 < depth;
        for (int n = 0; n < panelWidth; n += 16) {
            int left = count - n;
            __mmask16 mask = left >= 16 ? (__mmask16)0xffff : left <= 0 ? 0 : (__mmask16)((1u << left) - 1u);
            __m512 first = _mm512_maskz_loadu_ps(mask, k0 + n);
            __m512 second = hasSecond ? _mm512_maskz_loadu_ps(mask, k1 + n) : _mm512_setzero_ps();
            __m512i both = (__m512i)_mm512_cvtne2ps_pbh(second, first);
            _mm512_storeu_si512((void *)(line + 2 * n), _mm512_permutexvar_epi16(interleave, both));
        }
    }
}

#else

int diffdub_bf16_is_supported(void) { return 0; }

void diffdub_bf16_pack_rows(const float *source, ptrdiff_t depthStride, int depth, int count, int panelWidth,
                            uint16_t *target) {
    diffdub_bf16_pack(source, depthStride, 1, depth, count, panelWidth, target);
}

void diffdub_bf16_multiply(int pairs, const uint16_t *a, const uint16_t *b, int panelWidth, float *c, ptrdiff_t ldc,
                           int rows, int columns, float alpha, float beta) {
    (void)pairs; (void)a; (void)b; (void)panelWidth; (void)c; (void)ldc;
    (void)rows; (void)columns; (void)alpha; (void)beta;
}

#endif
