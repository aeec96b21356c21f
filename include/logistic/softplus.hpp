// logistic/softplus.hpp — softplus(x) = log(1 + e^x) and its mirror image
// log_sigmoid(x) = log(sigma(x)) = -softplus(-x).
//
// Declarations (T is float or double; A is an xsimd architecture):
//
//   T                  logistic::softplus(T x) noexcept;
//   xsimd::batch<T, A> logistic::softplus(xsimd::batch<T, A> x) noexcept;
//   void               logistic::softplus(const T* in, T* out, std::size_t n) noexcept;
//   T                  logistic::log_sigmoid(T x) noexcept;      (and batch, array)
//
//   and the same in logistic::fast.
//
// Contract, logistic::softplus and logistic::log_sigmoid (faithful tier):
//   - error below 1 ULP for every input: float measured over all 2^32 inputs
//     (max 0.78 ULP AVX2+FMA, 0.77 AVX-512 and SSE2, at subnormal results,
//     which come from sigmoid's tail with its second rounding; 0.58 AVX-512,
//     0.61 AVX2+FMA and SSE2 where the result is normal), double over edge sweeps
//     and 10^7 random inputs against MPFR (max 0.57 ULP normal with FMA, 0.60
//     SSE2; 0.75 subnormal); results that are
//     subnormal are computed, never flushed;
//   - log_sigmoid(x) is exactly -softplus(-x) (the same kernel), so every
//     statement about softplus(x) holds for -log_sigmoid(-x);
//   - softplus(NaN) = NaN, softplus(+inf) = +inf, softplus(-inf) = +0,
//     softplus(+-0) = ln 2 rounded correctly; results are >= +0 and >= x;
//     softplus(x) = x exactly wherever the exact value rounds to x, i.e. from
//     x = 21 ln 2 = 14.56 (float) / 48 ln 2 = 33.27 (double) on, where
//     log1p(e^-x) drops below half an ULP of x; softplus(x) = e^x (1 - e^x/2
//     + ...) for very negative x down to the smallest subnormal, +0 below it
//     (x < -103.97 float, -745.13 double);
//   - log_sigmoid(NaN) = NaN, log_sigmoid(-inf) = -inf, log_sigmoid(+inf) =
//     -0 (also for x > 103.97 float / 745.13 double: -e^-x rounded to -0);
//     results are <= -0 and finite for every finite x;
//   - the result does not depend on the caller's FTZ/DAZ mode;
//   - scalar, batch and array forms return bit-identical results in one build;
//     different instruction sets may differ in the last bit, each within the
//     bound.
// Contract, logistic::fast::softplus and logistic::fast::log_sigmoid:
//   - at most 4 ULP wherever the exact result is a normal number (float
//     measured over all 2^32 inputs: max 2.1 ULP AVX-512, 2.8 AVX2+FMA and
//     SSE2; double 2.0 ULP); results below the smallest
//     normal (softplus x < -87.34 float, -708.40 double) are +0 (log_sigmoid:
//     -0 for x > 87.34 / 708.40);
//   - every other rule above holds as stated.
// Array forms: any n (in and out may be null when n == 0), any alignment,
// in == out allowed; other overlaps are undefined. No allocation; thread-safe.
#ifndef LOGISTIC_SOFTPLUS_HPP
#define LOGISTIC_SOFTPLUS_HPP

#include <cstddef>

#include <xsimd/xsimd.hpp>

#include "detail/array_driver.hpp"
#include "detail/config.hpp"
#include "detail/public_forms.hpp"
#include "detail/softplus_kernels.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

struct softplus_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return softplus_faithful(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return softplus_main(x, xsimd::abs(x));
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return softplus_rare(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE bool any_rare(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c,
                                xsimd::batch<T, A> d) const noexcept {
    return any_abs_above(a, b, c, d, sigmoid_limits<T>::z_main);
  }
};

struct softplus_fast_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return softplus_fast(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return softplus_fast_main(x, xsimd::abs(x));
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return softplus_rare(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE bool any_rare(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c,
                                xsimd::batch<T, A> d) const noexcept {
    return any_abs_above(a, b, c, d, sigmoid_limits<T>::z_main);
  }
};

// log_sigmoid(x) = -softplus(-x), through any softplus kernel; the signs are
// flipped bitwise (FTZ/DAZ-proof for subnormal results).
template <class Softplus>
struct log_sigmoid_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return flip_sign(Softplus{}(flip_sign(x)));
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return flip_sign(Softplus{}.common(flip_sign(x)));
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return Softplus{}.rare(x);  // symmetric in x
  }
  template <class T, class A>
  LOGISTIC_INLINE bool any_rare(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c,
                                xsimd::batch<T, A> d) const noexcept {
    return Softplus{}.any_rare(a, b, c, d);
  }
};

}  // namespace detail

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> softplus(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::softplus_kernel>(x);
}
template <class T>
T softplus(T x) noexcept {
  return detail::elementwise_scalar<detail::softplus_kernel>(x);
}
template <class T>
void softplus(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::softplus_kernel>(in, out, n);
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> log_sigmoid(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::log_sigmoid_kernel<detail::softplus_kernel>>(x);
}
template <class T>
T log_sigmoid(T x) noexcept {
  return detail::elementwise_scalar<detail::log_sigmoid_kernel<detail::softplus_kernel>>(x);
}
template <class T>
void log_sigmoid(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::log_sigmoid_kernel<detail::softplus_kernel>>(in, out, n);
}

namespace fast {

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> softplus(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::softplus_fast_kernel>(x);
}
template <class T>
T softplus(T x) noexcept {
  return detail::elementwise_scalar<detail::softplus_fast_kernel>(x);
}
template <class T>
void softplus(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::softplus_fast_kernel>(in, out, n);
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> log_sigmoid(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::log_sigmoid_kernel<detail::softplus_fast_kernel>>(x);
}
template <class T>
T log_sigmoid(T x) noexcept {
  return detail::elementwise_scalar<detail::log_sigmoid_kernel<detail::softplus_fast_kernel>>(x);
}
template <class T>
void log_sigmoid(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::log_sigmoid_kernel<detail::softplus_fast_kernel>>(in, out, n);
}

}  // namespace fast
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
