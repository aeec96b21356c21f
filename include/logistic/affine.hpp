// logistic/affine.hpp — the sigmoid of an affine transform of the logit,
// sigma(scale * x + bias), in one pass: temperature and Platt scaling applied.
//
// Declarations (T is float or double; A is an xsimd architecture):
//
//   template <class T> struct logistic::affine { T scale; T bias; };
//   affine<T>          logistic::temperature(T t) noexcept;      // {1/t, 0}
//   T                  logistic::sigmoid(T x, affine<T> a) noexcept;
//   xsimd::batch<T, A> logistic::sigmoid(xsimd::batch<T, A> x, affine<T> a) noexcept;
//   void               logistic::sigmoid(const T* in, T* out, std::size_t n,
//                                        affine<T> a) noexcept;
//
//   and the same three sigmoid forms in logistic::fast.
//
// Contract:
//   - The argument is z = scale * x + bias rounded ONCE where the target has
//     a fused multiply-add (x86 with FMA or AVX-512, aarch64), and rounded
//     twice (product, then sum) where it has none (the SSE2 baseline). The
//     result is then exactly logistic::sigmoid(z) (or logistic::fast::sigmoid(z))
//     bit for bit, so every accuracy and edge rule of sigmoid.hpp holds with
//     respect to z: below 1 ULP of sigma(z) in the faithful tier (measured
//     against a double reference of sigma at that z), subnormal results exact,
//     no NaN unless z is NaN (which IEEE makes it for NaN x, or for
//     0 * inf and inf - inf in scale * x + bias).
//   - No intermediate buffer, no allocation; the array form accepts any n,
//     any alignment, in == out; other overlaps are undefined.
//   - temperature(t) for t > 0 and finite is {1/t, 0} (1/t rounded once, so
//     sigma(x/t) is evaluated as sigma(x * RN(1/t))); any other t (0, negative,
//     infinite, NaN) has no meaning as a temperature and gives {NaN, NaN}, so
//     that every probability computed from it is NaN instead of silently wrong.
#ifndef LOGISTIC_AFFINE_HPP
#define LOGISTIC_AFFINE_HPP

#include <cstddef>
#include <limits>

#include <xsimd/xsimd.hpp>

#include "detail/array_driver.hpp"
#include "detail/config.hpp"
#include "detail/simd.hpp"
#include "sigmoid.hpp"

namespace logistic {

// A transform of logits z' = scale * z + bias (temperature, Platt scaling).
template <class T>
struct affine {
  T scale;
  T bias;
};

template <class T>
affine<T> temperature(T t) noexcept {
  detail::check_type<T>();
  if (t > T(0) && t <= std::numeric_limits<T>::max()) return {T(1) / t, T(0)};
  const T nan = std::numeric_limits<T>::quiet_NaN();
  return {nan, nan};
}

inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// Any sigmoid kernel object (sigmoid_kernel, sigmoid_fast_kernel) applied to
// scale * x + bias; its rare-lane test sees the transformed argument too.
template <class Kernel, class T>
struct affine_kernel {
  Kernel kernel;
  affine<T> a;

  template <class A>
  LOGISTIC_INLINE xsimd::batch<T, A> argument(xsimd::batch<T, A> x) const noexcept {
    return mul_add(xsimd::batch<T, A>(a.scale), x, xsimd::batch<T, A>(a.bias));
  }
  template <class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return kernel(argument(x));
  }
  template <class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return kernel.common(argument(x));
  }
  template <class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return kernel.rare(argument(x));
  }
};

template <class Kernel, class T>
affine_kernel<Kernel, T> make_affine_kernel(affine<T> a) noexcept {
  return {Kernel{}, a};
}

}  // namespace detail

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> sigmoid(xsimd::batch<T, A> x, affine<T> a) noexcept {
  detail::check_type<T>();
  if constexpr (detail::is_supported_type<T>::value) {
    return detail::make_affine_kernel<detail::sigmoid_kernel>(a)(x);
  } else {
    return x;  // unreachable: the static_assert above is the only error
  }
}

template <class T>
T sigmoid(T x, affine<T> a) noexcept {
  detail::check_type<T>();
  if constexpr (detail::is_supported_type<T>::value) {
    return detail::apply_scalar(detail::make_affine_kernel<detail::sigmoid_kernel>(a), x);
  } else {
    return x;
  }
}

template <class T>
void sigmoid(const T* in, T* out, std::size_t n, affine<T> a) noexcept {
  detail::check_type<T>();
  if constexpr (detail::is_supported_type<T>::value) {
    detail::apply_array(detail::make_affine_kernel<detail::sigmoid_kernel>(a), in, out, n);
  }
}

namespace fast {

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> sigmoid(xsimd::batch<T, A> x, affine<T> a) noexcept {
  detail::check_type<T>();
  if constexpr (detail::is_supported_type<T>::value) {
    return detail::make_affine_kernel<detail::sigmoid_fast_kernel>(a)(x);
  } else {
    return x;
  }
}

template <class T>
T sigmoid(T x, affine<T> a) noexcept {
  detail::check_type<T>();
  if constexpr (detail::is_supported_type<T>::value) {
    return detail::apply_scalar(detail::make_affine_kernel<detail::sigmoid_fast_kernel>(a), x);
  } else {
    return x;
  }
}

template <class T>
void sigmoid(const T* in, T* out, std::size_t n, affine<T> a) noexcept {
  detail::check_type<T>();
  if constexpr (detail::is_supported_type<T>::value) {
    detail::apply_array(detail::make_affine_kernel<detail::sigmoid_fast_kernel>(a), in, out, n);
  }
}

}  // namespace fast
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
