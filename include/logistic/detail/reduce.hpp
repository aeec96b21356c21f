// Internal: sums of many SIMD terms that stay accurate for any n (the reduced
// BCE loss). Each accumulator keeps its partial sums in SIMD lanes and is
// folded to one number only at the end.
//
// float terms: added in double. Four float batches are first added in float
// ((a + b) + (c + d): below 2^-23 relative, round to nearest), then widened
// to two double batches (exact) and added to double lanes. For n
// non-negative terms t_i (a loss never goes below 0) spread over K lanes, a
// lane's running sum of m = n / K terms has a relative error below
// (m - 1) 2^-53, and the fold of the lanes adds (K - 1) 2^-53: in all below
// 2^-23 + (n / K + K) 2^-53 of the sum, i.e. below 2^-23 + 2^-27 for
// n <= 2^31 (K = 16 lanes on AVX-512, 8 on AVX2, 4 on SSE2). With terms of
// both signs the bound holds for the sum of |t_i|.
//
// double terms: compensated (Neumaier's variant of Kahan's sum, i.e. TwoSum
// per addition) in each lane, the lanes' sums and errors folded the same way.
// The result is within 2 ULP + n^2 2^-106 (relative to the sum of |t_i|) of
// the exact sum of the terms: below 2^-50 relative for n <= 2^31.
#ifndef LOGISTIC_DETAIL_REDUCE_HPP
#define LOGISTIC_DETAIL_REDUCE_HPP

#include <cmath>
#include <cstddef>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "config.hpp"
#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// s + err = a + b exactly (Knuth's TwoSum: no assumption on the order of a, b).
template <class T, class A>
struct sum_pair {
  batch<T, A> hi;
  batch<T, A> lo;
};

template <class T, class A>
LOGISTIC_INLINE sum_pair<T, A> knuth_two_sum(batch<T, A> a, batch<T, A> b) noexcept {
  const batch<T, A> s = a + b;
  const batch<T, A> b_part = s - a;
  return {s, (a - (s - b_part)) + (b - b_part)};
}

// The double batch with the lanes of a float batch of the same architecture:
// low and high halves, converted exactly.
template <class A>
struct widened {
  batch<double, A> low;
  batch<double, A> high;
};

template <class A>
LOGISTIC_INLINE widened<A> widen(batch<float, A> t) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    const __m512 v = t;
    const __m256 lo = _mm512_castps512_ps256(v);
    const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    return {_mm512_cvtps_pd(lo), _mm512_cvtps_pd(hi)};
  }
#endif
#if defined(__AVX__)
  if constexpr (std::is_base_of<xsimd::avx, A>::value) {
    const __m256 v = t;
    return {_mm256_cvtps_pd(_mm256_castps256_ps128(v)), _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))};
  }
#endif
#if defined(__SSE2__)
  if constexpr (std::is_base_of<xsimd::sse2, A>::value) {
    const __m128 v = t;
    return {_mm_cvtps_pd(v), _mm_cvtps_pd(_mm_movehl_ps(v, v))};
  }
#endif
  // Other architectures: through memory (NEON64 has 2 double lanes per 4 floats).
  constexpr std::size_t W = batch<float, A>::size;
  constexpr std::size_t H = batch<double, A>::size;
  static_assert(2 * H == W, "a double batch holds half the lanes of a float batch");
  alignas(A::alignment()) float f[W];
  alignas(A::alignment()) double d[W];
  t.store_aligned(f);
  for (std::size_t i = 0; i < W; ++i) d[i] = static_cast<double>(f[i]);
  return {batch<double, A>::load_aligned(d), batch<double, A>::load_aligned(d + H)};
}

// The float batch with the lanes of two double batches (each rounded once).
template <class A>
LOGISTIC_INLINE batch<float, A> narrow(batch<double, A> low, batch<double, A> high) noexcept {
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    const __m256 lo = _mm512_cvtpd_ps(low), hi = _mm512_cvtpd_ps(high);
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(lo)),
                                               _mm256_castps_pd(hi), 1));
  }
#endif
#if defined(__AVX__)
  if constexpr (std::is_base_of<xsimd::avx, A>::value) {
    return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(low)), _mm256_cvtpd_ps(high), 1);
  }
#endif
#if defined(__SSE2__)
  if constexpr (std::is_base_of<xsimd::sse2, A>::value) {
    return _mm_movelh_ps(_mm_cvtpd_ps(low), _mm_cvtpd_ps(high));
  }
#endif
  constexpr std::size_t W = batch<float, A>::size;
  constexpr std::size_t H = batch<double, A>::size;
  alignas(A::alignment()) double d[W];
  alignas(A::alignment()) float f[W];
  low.store_aligned(d);
  high.store_aligned(d + H);
  for (std::size_t i = 0; i < W; ++i) f[i] = static_cast<float>(d[i]);
  return batch<float, A>::load_aligned(f);
}

// Partial sums of float terms in double lanes (see the top). add4() first
// adds its four batches in float, (a + b) + (c + d): for non-negative terms
// that costs at most 2 roundings of 2^-24 relative, unbiased (round to
// nearest), and a quarter of the conversions.
template <class A>
class float_sum {
 public:
  LOGISTIC_INLINE void add(batch<float, A> t) noexcept {
    const widened<A> w = widen(t);
    low_ = low_ + w.low;
    high_ = high_ + w.high;
  }
  LOGISTIC_INLINE void add4(batch<float, A> a, batch<float, A> b, batch<float, A> c,
                            batch<float, A> d) noexcept {
    add((a + b) + (c + d));
  }
  // The sum of all terms so far, rounded to double.
  double total() const noexcept {
    constexpr std::size_t H = batch<double, A>::size;
    alignas(A::alignment()) double lanes[2 * H];
    low_.store_aligned(lanes);
    high_.store_aligned(lanes + H);
    double sum = 0;
    for (std::size_t i = 0; i < 2 * H; ++i) sum += lanes[i];
    return sum;
  }

 private:
  batch<double, A> low_ = batch<double, A>(0.0);
  batch<double, A> high_ = batch<double, A>(0.0);
};

// Compensated partial sums of double terms, four sets of lanes (see the top).
template <class A>
class double_sum {
 public:
  LOGISTIC_INLINE void add(batch<double, A> t) noexcept { add_to(sum0_, err0_, t); }
  LOGISTIC_INLINE void add4(batch<double, A> a, batch<double, A> b, batch<double, A> c,
                            batch<double, A> d) noexcept {
    add_to(sum0_, err0_, a);
    add_to(sum1_, err1_, b);
    add_to(sum2_, err2_, c);
    add_to(sum3_, err3_, d);
  }
  double total() const noexcept {
    double hi = 0, lo = 0;
    fold(sum0_, err0_, hi, lo);
    fold(sum1_, err1_, hi, lo);
    fold(sum2_, err2_, hi, lo);
    fold(sum3_, err3_, hi, lo);
    // An infinite term (or sum) leaves inf - inf = NaN in the error terms:
    // the sum is then that infinity (NaN terms make hi itself NaN).
    return std::isinf(hi) ? hi : hi + lo;
  }

 private:
  static LOGISTIC_INLINE void add_to(batch<double, A>& sum, batch<double, A>& err,
                                     batch<double, A> t) noexcept {
    const sum_pair<double, A> s = knuth_two_sum(sum, t);
    sum = s.hi;
    err = err + s.lo;
  }
  static void fold(batch<double, A> sum, batch<double, A> err, double& hi, double& lo) noexcept {
    constexpr std::size_t H = batch<double, A>::size;
    alignas(A::alignment()) double sums[H];
    alignas(A::alignment()) double errs[H];
    sum.store_aligned(sums);
    err.store_aligned(errs);
    for (std::size_t i = 0; i < H; ++i) {
      const double s = hi + sums[i];  // TwoSum, scalar
      const double b_part = s - hi;
      lo += ((hi - (s - b_part)) + (sums[i] - b_part)) + errs[i];
      hi = s;
    }
  }
  batch<double, A> sum0_ = batch<double, A>(0.0), sum1_ = batch<double, A>(0.0);
  batch<double, A> sum2_ = batch<double, A>(0.0), sum3_ = batch<double, A>(0.0);
  batch<double, A> err0_ = batch<double, A>(0.0), err1_ = batch<double, A>(0.0);
  batch<double, A> err2_ = batch<double, A>(0.0), err3_ = batch<double, A>(0.0);
};

template <class T, class A>
using lane_sum = typename std::conditional<std::is_same<T, float>::value, float_sum<A>,
                                           double_sum<A>>::type;

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
