// Our kernels and the SIMD baselines, for one architecture. CMake compiles this file
// once per architecture with that architecture's -m flags and LOGISTIC_BENCH_ARCH set
// to its name (avx512, avx2, or native), so that xsimd's default_arch, and therefore
// the code of every row here, is that architecture's.
#include "bench.hpp"

#include <logistic/logistic.hpp>
#include <xsimd/xsimd.hpp>

#include <cmath>

#if LOGISTIC_BENCH_HAVE_SLEEF && (defined(__AVX512F__) || defined(__AVX2__))
#include <sleef.h>
#define LOGISTIC_BENCH_SLEEF 1
#endif

#ifndef LOGISTIC_BENCH_ARCH
#error "CMake defines LOGISTIC_BENCH_ARCH to the architecture name (avx512, avx2, native)"
#endif
#define LOGISTIC_BENCH_CAT2(a, b) a##b
#define LOGISTIC_BENCH_CAT(a, b) LOGISTIC_BENCH_CAT2(a, b)

namespace {

template <class T>
void faithful(const T* in, T* out, std::size_t n) { logistic::sigmoid(in, out, n); }

template <class T>
void fast(const T* in, T* out, std::size_t n) { logistic::fast::sigmoid(in, out, n); }

// The loop a user would write with xsimd alone: full batches, then a scalar tail.
template <class T, class Exp>
void batch_loop(const T* in, T* out, std::size_t n, Exp exp) {
    using batch = xsimd::batch<T>;
    std::size_t i = 0;
    for (; i + batch::size <= n; i += batch::size) {
        const batch x = batch::load_unaligned(in + i);
        (batch(T(1)) / (batch(T(1)) + exp(-x))).store_unaligned(out + i);
    }
    for (; i < n; ++i) out[i] = T(1) / (T(1) + std::exp(-in[i]));
}

template <class T>
void xsimd_exp(const T* in, T* out, std::size_t n) {
    batch_loop(in, out, n, [](const xsimd::batch<T>& x) { return xsimd::exp(x); });
}

// The memory roof as the kernels see it: the same loads and plain (cached) stores
// with no arithmetic. memcpy is not always that roof: for large copies glibc switches
// to non-temporal stores, which can be slower or faster than cached ones.
template <class T>
void copy_loop(const T* in, T* out, std::size_t n) {
    using batch = xsimd::batch<T>;
    std::size_t i = 0;
    for (; i + batch::size <= n; i += batch::size)
        batch::load_unaligned(in + i).store_unaligned(out + i);
    for (; i < n; ++i) out[i] = in[i];
}

#if LOGISTIC_BENCH_SLEEF
// Sleef's 1-ULP exp for this TU's vector width, called by its explicit ISA name (not
// the run-time dispatcher) so the row measures the same ISA as its neighbours.
#if defined(__AVX512F__)
__m512 sleef_exp(__m512 x) { return Sleef_expf16_u10avx512f(x); }
__m512d sleef_exp(__m512d x) { return Sleef_expd8_u10avx512f(x); }
#else
__m256 sleef_exp(__m256 x) { return Sleef_expf8_u10avx2(x); }
__m256d sleef_exp(__m256d x) { return Sleef_expd4_u10avx2(x); }
#endif

template <class T>
void sleef(const T* in, T* out, std::size_t n) {
    using batch = xsimd::batch<T>;
    batch_loop(in, out, n, [](const batch& x) { return batch(sleef_exp(x)); });
}
#endif

}  // namespace

void logistic_bench::LOGISTIC_BENCH_CAT(add_rows_, LOGISTIC_BENCH_ARCH)() {
    add_row(LOGISTIC_BENCH_ROW("sigmoid"), {faithful<float>}, {faithful<double>});
    add_row(LOGISTIC_BENCH_ROW("fast::sigmoid"), {fast<float>}, {fast<double>});
    add_row(LOGISTIC_BENCH_ROW("xsimd_exp"), {xsimd_exp<float>}, {xsimd_exp<double>});
#if LOGISTIC_BENCH_COPY_ROW  // from the widest architecture only: one roof is enough
    add_roof("copy_loop", {copy_loop<float>}, {copy_loop<double>});
#endif
#if LOGISTIC_BENCH_SLEEF
    add_row(LOGISTIC_BENCH_ROW("sleef"), {sleef<float>}, {sleef<double>});
#endif
}
