// logistic/sigmoid.hpp — the logistic function sigma(x) = 1 / (1 + e^-x).
//
// Declarations (T is float or double; A is an xsimd architecture):
//
//   T                  logistic::sigmoid(T x) noexcept;
//   xsimd::batch<T, A> logistic::sigmoid(xsimd::batch<T, A> x) noexcept;
//   void               logistic::sigmoid(const T* in, T* out, std::size_t n) noexcept;
//
//   and the same three in logistic::fast.
//
// Contract, logistic::sigmoid (faithful tier):
//   - error below 1 ULP for every input: float measured over all 2^32 inputs
//     (max 0.59 ULP AVX-512, 0.65 AVX2+FMA, 0.68 SSE2; subnormal results
//     0.78), double over edge sweeps and 10^7 random inputs
//     against MPFR; results that are subnormal are computed, never flushed;
//   - sigma(NaN) = NaN, sigma(+inf) = 1, sigma(-inf) = +0, sigma(+-0) = 0.5;
//     results lie in [0, 1]; no NaN from a non-NaN input; large positive x
//     gives exactly 1 where the exact value rounds to 1 (x >= 25 ln2 = 17.33
//     for float, 54 ln2 = 37.43 for double); very negative x gives e^x down to
//     the smallest subnormal and +0 below it (x < -103.97 for float, x < -745.13
//     for double);
//   - not correctly rounded, hence not strictly monotonic: neighbouring inputs
//     may give results that step down by one ULP (never more);
//   - the result does not depend on the caller's FTZ/DAZ mode;
//   - scalar, batch and array forms return bit-identical results in one build;
//     different instruction sets (SSE2, AVX2+FMA, AVX-512) may differ in
//     the last bit, each within the bound.
// Contract, logistic::fast::sigmoid (fast tier):
//   - at most 4 ULP wherever the exact result is a normal number (float
//     measured over all 2^32 inputs: 3.94 AVX-512, whose float kernel is a
//     different, shorter one, 2.56 AVX2+FMA, 3.07 SSE2); results below the smallest
//     normal (x < -87.3365 for float, x < -708.396 for double) are +0; exactly
//     1 from x > 16.64 (float) and 36.74 (double);
//   - every other rule above holds as stated.
// Array forms: any n (in and out may be null when n == 0), any alignment,
// in == out allowed; other overlaps are undefined. No allocation; thread-safe.
#ifndef LOGISTIC_SIGMOID_HPP
#define LOGISTIC_SIGMOID_HPP

#include <cstddef>

#include <xsimd/xsimd.hpp>

#include "detail/array_driver.hpp"
#include "detail/config.hpp"
#include "detail/public_forms.hpp"
#include "detail/sigmoid_kernels.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// Kernel objects for the array driver (array_driver.hpp): the full kernel,
// its inline path and the test for lanes that need the out-of-line one.
struct sigmoid_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_faithful(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_main(x, xsimd::abs(x));
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_rare(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE bool any_rare(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c,
                                xsimd::batch<T, A> d) const noexcept {
    return any_abs_above(a, b, c, d, sigmoid_limits<T>::z_main);
  }
};

struct sigmoid_fast_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_fast(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_fast_common(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_fast_lanes_rare(x);
  }
};

}  // namespace detail

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> sigmoid(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::sigmoid_kernel>(x);
}

template <class T>
T sigmoid(T x) noexcept {
  return detail::elementwise_scalar<detail::sigmoid_kernel>(x);
}

template <class T>
void sigmoid(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::sigmoid_kernel>(in, out, n);
}

namespace fast {

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> sigmoid(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::sigmoid_fast_kernel>(x);
}

template <class T>
T sigmoid(T x) noexcept {
  return detail::elementwise_scalar<detail::sigmoid_fast_kernel>(x);
}

template <class T>
void sigmoid(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::sigmoid_fast_kernel>(in, out, n);
}

}  // namespace fast
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
