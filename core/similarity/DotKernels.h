#pragma once
// The inner loops of exact search, written once for AVX2+FMA and once portably; the CPU is asked at run time which to
// use, so the binary still runs on machines without AVX2. Exact search over a large collection is bound by memory
// bandwidth, so these stream each row once and keep the query in L1.
#include <cstddef>

namespace sonolab::similarity::kernels {

// out[r] = dot(rows + r*dim, query) for r < count.
void dotRows(const float* rows, std::size_t count, std::size_t dim, const float* query, float* out);
// out[r] = sum |rows[r] - query| for r < count.
void l1Rows(const float* rows, std::size_t count, std::size_t dim, const float* query, float* out);
// Whether the AVX2 path is in use (for benchmark reports).
bool usingAvx2();

}  // namespace sonolab::similarity::kernels
