// logistic/sigmoid_grad.hpp — the derivative of the logistic function,
// sigma'(x) = sigma(x) sigma(-x), and the backward pass dy * y * (1 - y).
//
// Declarations (T is float or double; A is an xsimd architecture):
//
//   T                  logistic::sigmoid_grad(T x) noexcept;
//   xsimd::batch<T, A> logistic::sigmoid_grad(xsimd::batch<T, A> x) noexcept;
//   void               logistic::sigmoid_grad(const T* in, T* out, std::size_t n) noexcept;
//   and the same three in logistic::fast.
//
//   T                  logistic::sigmoid_backward(T y, T dy) noexcept;
//   xsimd::batch<T, A> logistic::sigmoid_backward(xsimd::batch<T, A> y,
//                                                 xsimd::batch<T, A> dy) noexcept;
//   void               logistic::sigmoid_backward(const T* y, const T* dy, T* dx,
//                                                 std::size_t n) noexcept;
//   (faithful tier only).
//
// Contract, logistic::sigmoid_grad (faithful tier):
//   - computed as e / (1 + e)^2 with e = e^-|x| from the shared exponential
//     core, never as s (1 - s): accurate for every x (the naive s (1 - s) is 0
//     in float from x = 16.6 on);
//   - error below 1 ULP for every input: float measured over all 2^32 inputs
//     (max 0.67 ULP AVX-512, 0.74 AVX2+FMA, 0.76 SSE2; subnormal results
//     0.78), double over edge sweeps and 10^7 random inputs against MPFR
//     (0.76 on the edge sweeps and 10^5 random inputs),
//   - results lie in [0, 0.25]: exactly 0.25 at +-0 (and for |x| below about
//     2^-12 (float) / 2^-27 (double), where the exact value rounds to it),
//     never above it;
//   - subnormal results (|x| > 87.34 for float, 708.40 for double) are
//     computed, never flushed, within 1 ULP; +0 from |x| > 103.97 (float),
//     745.13 (double); sigma'(+-inf) = +0, sigma'(NaN) = NaN;
//   - even: sigmoid_grad(-x) == sigmoid_grad(x) bit for bit;
//   - the result does not depend on the caller's FTZ/DAZ mode.
// Contract, logistic::fast::sigmoid_grad:
//   - at most 4 ULP wherever the exact result is normal (float over all 2^32
//     inputs: max 3.03 ULP AVX-512, 2.60 AVX2+FMA, 3.07 SSE2); |x| beyond
//     87.34 (708.40) takes the faithful scaled tail, so subnormal results are
//     not flushed either; clamped to 0.25;
//   - every other rule above holds.
//
// Contract, logistic::sigmoid_backward(y, dy) = dy * y * (1 - y):
//   - the gradient of the loss with respect to x given the forward output
//     y = sigma(x) and the incoming gradient dy; error below 2 ULP relative
//     to the exact value of dy * y * (1 - y) for the given floating-point y
//     and dy. With a fused multiply-add (AVX2+FMA, AVX-512) it is
//     RN(dy * RN(y - y^2)), y (1 - y) rounded once: below 1.5 ULP (measured
//     1.49 float, 1.44 double). Without one (SSE2) the rounding error of
//     1 - y is carried (Fast2Sum) and y (1 - y) formed exactly: measured 0.51
//     float, 0.75 double. Subnormal results within 1 ULP (measured 0.98
//     with a fused multiply-add, 0.75 without);
//   - IEEE semantics for every y and dy: y outside [0, 1] simply follows the
//     formula (no clamping); NaN in either input gives NaN; 0 * inf gives NaN;
//     zero results carry the sign of the plain formula (dy * y) * (1 - y);
//     results that overflow are +-inf, subnormal results are computed
//     (within 1 ULP), not flushed, also from subnormal inputs;
//   - the result does not depend on the caller's FTZ/DAZ mode;
//   - fast path, with a fused multiply-add: y in [+0, 1]; under FTZ or DAZ
//     (read once per call) also a result that is normal or the zero of a
//     zero factor (dy = 0, y = 0 or y = 1), the out-of-line path giving the
//     other lanes the same bits. Without one: |y| in [2^-50, 1] (2^-400 for
//     double), |dy| <= 2^64 (2^500) and |dy y| >= 2^-40 (2^-400), or a zero
//     factor. Other batches take an out-of-line path that scales the factors
//     exactly;
//   - array form: dx may equal y or dy (in place); other overlaps undefined.
//
// Array forms: any n (pointers may be null when n == 0), any alignment,
// in == out allowed; other overlaps are undefined. No allocation; thread-safe.
// Scalar, batch and array forms return bit-identical results in one build;
// different instruction sets may differ in the last bit, each within the bound.
#ifndef LOGISTIC_SIGMOID_GRAD_HPP
#define LOGISTIC_SIGMOID_GRAD_HPP

#include <cstddef>

#include <xsimd/xsimd.hpp>

#include "detail/array_driver.hpp"
#include "detail/config.hpp"
#include "detail/public_forms.hpp"
#include "detail/grad_kernels.hpp"
#include "detail/sigmoid_kernels.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// Kernel objects for the array driver (array_driver.hpp).
struct sigmoid_grad_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_grad_faithful(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_grad_main(xsimd::abs(x));
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

struct sigmoid_grad_fast_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_grad_fast(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_grad_fast_main(xsimd::abs(x));
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return sigmoid_fast_rare(x);
  }
};

// Reads the caller's FTZ/DAZ mode when made: the array form once per call.
struct sigmoid_backward_kernel {
  bool flushes = subnormals_flushed();

  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> y,
                                                xsimd::batch<T, A> dy) const noexcept {
    return sigmoid_backward_kernel_impl(y, dy, flushes);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> y,
                                            xsimd::batch<T, A> dy) const noexcept {
    return sigmoid_backward_main(y, dy);
  }
  template <class T, class A>
  LOGISTIC_INLINE bool any_rare(xsimd::batch<T, A> y0, xsimd::batch<T, A> dy0,
                                xsimd::batch<T, A> y1, xsimd::batch<T, A> dy1,
                                xsimd::batch<T, A> y2, xsimd::batch<T, A> dy2,
                                xsimd::batch<T, A> y3, xsimd::batch<T, A> dy3) const noexcept {
    return sigmoid_backward_any_rare(y0, dy0, y1, dy1, y2, dy2, y3, dy3, flushes);
  }
};

}  // namespace detail

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> sigmoid_grad(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::sigmoid_grad_kernel>(x);
}

template <class T>
T sigmoid_grad(T x) noexcept {
  return detail::elementwise_scalar<detail::sigmoid_grad_kernel>(x);
}

template <class T>
void sigmoid_grad(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::sigmoid_grad_kernel>(in, out, n);
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> sigmoid_backward(xsimd::batch<T, A> y,
                                                    xsimd::batch<T, A> dy) noexcept {
  detail::check_type<T>();
  if constexpr (detail::is_supported_type<T>::value) {
    return detail::sigmoid_backward_kernel{}(y, dy);
  } else {
    return y;
  }
}

template <class T>
T sigmoid_backward(T y, T dy) noexcept {
  detail::check_type<T>();
  if constexpr (detail::is_supported_type<T>::value) {
    return detail::apply_scalar2(detail::sigmoid_backward_kernel{}, y, dy);
  } else {
    return y;
  }
}

template <class T>
void sigmoid_backward(const T* y, const T* dy, T* dx, std::size_t n) noexcept {
  detail::check_type<T>();
  if constexpr (detail::is_supported_type<T>::value) {
    detail::apply_array2(detail::sigmoid_backward_kernel{}, y, dy, dx, n);
  }
}

namespace fast {

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> sigmoid_grad(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::sigmoid_grad_fast_kernel>(x);
}

template <class T>
T sigmoid_grad(T x) noexcept {
  return detail::elementwise_scalar<detail::sigmoid_grad_fast_kernel>(x);
}

template <class T>
void sigmoid_grad(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::sigmoid_grad_fast_kernel>(in, out, n);
}

}  // namespace fast
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
