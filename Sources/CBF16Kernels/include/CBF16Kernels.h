// Matrix products with bfloat16 inputs and float32 accumulation (AVX512_BF16 `vdpbf16ps`),
// behind a run-time CPU check. The only C in DiffDubCore's kernels: Swift cannot emit
// `vdpbf16ps`. Layouts and formulas are documented in Sources/DiffDubCore/Kernels/BF16Products.swift.
#ifndef CBF16KERNELS_H
#define CBF16KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when the CPU and the operating system run AVX512F + AVX512BW + AVX512_BF16 code (and this
/// build has the kernel: x86-64 with a compiler that knows the target), 0 otherwise.
int diffdub_bf16_is_supported(void);

/// Rounds `value` to bfloat16, to nearest with ties to even (the upper 16 bits of the float
/// after rounding); NaN stays NaN.
uint16_t diffdub_bf16_round(float value);

/// Packs a `depth x count` block, element `(k, n)` at `source[k * depthStride + n * countStride]`,
/// into `target[(depth + 1) / 2][panelWidth][2]` as bfloat16:
/// `target[(k / 2) * panelWidth * 2 + n * 2 + k % 2] = bf16(element(k, n))`, zero for
/// `k >= depth` or `n >= count` (the padding of an odd depth and of a narrow panel).
/// Portable C (no special instructions).
void diffdub_bf16_pack(const float *source, ptrdiff_t depthStride, ptrdiff_t countStride, int depth, int count,
                       int panelWidth, uint16_t *target);

/// ``diffdub_bf16_pack`` of rows that are contiguous (`countStride == 1`) into a panel whose
/// width is a multiple of 16, 16 values at a time (`vcvtne2ps2bf16`: to nearest, ties to even,
/// as ``diffdub_bf16_round``, except that float32 subnormals become zero).
/// Precondition: ``diffdub_bf16_is_supported`` returned 1; `panelWidth % 16 == 0`.
void diffdub_bf16_pack_rows(const float *source, ptrdiff_t depthStride, int depth, int count, int panelWidth,
                            uint16_t *target);

/// One block of `C = alpha * A B + beta * C` with `A` a packed panel of 8 rows
/// (`a[pairs][8][2]`, ``diffdub_bf16_pack`` with panelWidth 8) and `B` a packed panel of
/// `panelWidth` (16 or 32) columns (`b[pairs][panelWidth][2]`):
/// `C[r * ldc + j] = alpha * sum_k a(k, r) b(k, j) + beta * C[r * ldc + j]` for `r < rows`
/// (at most 8), `j < columns` (at most panelWidth); `beta == 0` ignores what `C` held. Sums in
/// float32 (`vdpbf16ps`: two products per lane and step, each exact).
/// Precondition: ``diffdub_bf16_is_supported`` returned 1.
void diffdub_bf16_multiply(int pairs, const uint16_t *a, const uint16_t *b, int panelWidth, float *c, ptrdiff_t ldc,
                           int rows, int columns, float alpha, float beta);

#ifdef __cplusplus
}
#endif

#endif
