#include "core/similarity/DotKernels.h"

#include <cmath>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SONOLAB_X86 1
#endif

namespace sonolab::similarity::kernels {

namespace {

// Eight independent partial sums so the compiler (without -ffast-math) can keep several FMAs in flight; `term` is
// the per-element contribution (a product for dot, an absolute difference for L1).
template <typename Term>
void reduceRowsPortable(const float* rows, std::size_t count, std::size_t dim, const float* q, float* out, Term term) {
    for (std::size_t r = 0; r < count; ++r) {
        const float* x = rows + r * dim;
        float s[8] = {};
        std::size_t i = 0;
        for (; i + 8 <= dim; i += 8)
            for (int j = 0; j < 8; ++j) s[j] += term(x[i + j], q[i + j]);
        float total = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
        for (; i < dim; ++i) total += term(x[i], q[i]);
        out[r] = total;
    }
}

void dotRowsPortable(const float* rows, std::size_t count, std::size_t dim, const float* q, float* out) {
    reduceRowsPortable(rows, count, dim, q, out, [](float a, float b) { return a * b; });
}

void l1RowsPortable(const float* rows, std::size_t count, std::size_t dim, const float* q, float* out) {
    reduceRowsPortable(rows, count, dim, q, out, [](float a, float b) { return std::fabs(a - b); });
}

#ifdef SONOLAB_X86
__attribute__((target("avx2,fma"))) inline float horizontalSum(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
    return _mm_cvtss_f32(lo);
}

// Four rows at a time share each load of the query (two accumulators per row hide FMA latency), and the rows a few
// iterations ahead are prefetched: the scan is bound by memory bandwidth, so keeping loads in flight is what counts.
__attribute__((target("avx2,fma"))) void dotRowsAvx2(const float* rows, std::size_t count, std::size_t dim,
                                                     const float* q, float* out) {
    const std::size_t wide = dim & ~std::size_t(15);
    constexpr std::size_t kAhead = 8;  // rows
    std::size_t r = 0;
    for (; r + 4 <= count; r += 4) {
        const float* x0 = rows + r * dim;
        const float* x1 = x0 + dim;
        const float* x2 = x1 + dim;
        const float* x3 = x2 + dim;
        if (r + kAhead + 4 <= count)
            for (std::size_t off = 0; off < 4 * dim; off += 16)
                _mm_prefetch(reinterpret_cast<const char*>(x0 + kAhead * dim + off), _MM_HINT_T0);
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), b0 = _mm256_setzero_ps(), b1 = _mm256_setzero_ps();
        __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps(), d0 = _mm256_setzero_ps(), d1 = _mm256_setzero_ps();
        for (std::size_t i = 0; i < wide; i += 16) {
            const __m256 q0 = _mm256_loadu_ps(q + i), q1 = _mm256_loadu_ps(q + i + 8);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + i), q0, a0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(x0 + i + 8), q1, a1);
            b0 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + i), q0, b0);
            b1 = _mm256_fmadd_ps(_mm256_loadu_ps(x1 + i + 8), q1, b1);
            c0 = _mm256_fmadd_ps(_mm256_loadu_ps(x2 + i), q0, c0);
            c1 = _mm256_fmadd_ps(_mm256_loadu_ps(x2 + i + 8), q1, c1);
            d0 = _mm256_fmadd_ps(_mm256_loadu_ps(x3 + i), q0, d0);
            d1 = _mm256_fmadd_ps(_mm256_loadu_ps(x3 + i + 8), q1, d1);
        }
        float s0 = horizontalSum(_mm256_add_ps(a0, a1)), s1 = horizontalSum(_mm256_add_ps(b0, b1));
        float s2 = horizontalSum(_mm256_add_ps(c0, c1)), s3 = horizontalSum(_mm256_add_ps(d0, d1));
        for (std::size_t i = wide; i < dim; ++i) {
            s0 += x0[i] * q[i];
            s1 += x1[i] * q[i];
            s2 += x2[i] * q[i];
            s3 += x3[i] * q[i];
        }
        out[r] = s0;
        out[r + 1] = s1;
        out[r + 2] = s2;
        out[r + 3] = s3;
    }
    if (r < count) dotRowsPortable(rows + r * dim, count - r, dim, q, out + r);
}

__attribute__((target("avx2,fma"))) void l1RowsAvx2(const float* rows, std::size_t count, std::size_t dim,
                                                    const float* q, float* out) {
    const std::size_t wide = dim & ~std::size_t(15);
    const __m256 signMask = _mm256_set1_ps(-0.0f);
    for (std::size_t r = 0; r < count; ++r) {
        const float* x = rows + r * dim;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps();
        for (std::size_t i = 0; i < wide; i += 16) {
            a0 = _mm256_add_ps(a0, _mm256_andnot_ps(signMask, _mm256_sub_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(q + i))));
            a1 = _mm256_add_ps(a1, _mm256_andnot_ps(signMask,
                                                    _mm256_sub_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(q + i + 8))));
        }
        float s = horizontalSum(_mm256_add_ps(a0, a1));
        for (std::size_t i = wide; i < dim; ++i) s += std::fabs(x[i] - q[i]);
        out[r] = s;
    }
}

bool detectAvx2() { return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"); }
#endif

}  // namespace

bool usingAvx2() {
#ifdef SONOLAB_X86
    static const bool avx2 = detectAvx2();
    return avx2;
#else
    return false;
#endif
}

void dotRows(const float* rows, std::size_t count, std::size_t dim, const float* query, float* out) {
#ifdef SONOLAB_X86
    if (usingAvx2()) return dotRowsAvx2(rows, count, dim, query, out);
#endif
    dotRowsPortable(rows, count, dim, query, out);
}

void l1Rows(const float* rows, std::size_t count, std::size_t dim, const float* query, float* out) {
#ifdef SONOLAB_X86
    if (usingAvx2()) return l1RowsAvx2(rows, count, dim, query, out);
#endif
    l1RowsPortable(rows, count, dim, query, out);
}

}  // namespace sonolab::similarity::kernels
