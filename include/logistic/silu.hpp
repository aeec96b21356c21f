// logistic/silu.hpp — SiLU (swish), silu(x) = x sigma(x), and its derivative
// silu_grad(x) = sigma(x) (1 + x sigma(-x)) = sigma(x) (1 + x (1 - sigma(x))).
//
// Declarations (T is float or double; A is an xsimd architecture):
//
//   T                  logistic::silu(T x) noexcept;
//   xsimd::batch<T, A> logistic::silu(xsimd::batch<T, A> x) noexcept;
//   void               logistic::silu(const T* in, T* out, std::size_t n) noexcept;
//   T                  logistic::silu_grad(T x) noexcept;   (and batch, array)
//   and the same six in logistic::fast.
//
// Contract, logistic::silu (faithful tier):
//   - error below 2 ULP for every input: float measured over all 2^32 inputs
//     (max 1.54 ULP AVX-512, 1.55 AVX2+FMA, 1.57 SSE2), double over edge sweeps and 10^7 random
//     inputs against MPFR; subnormal results (x < -91.8 float, -744.4 double)
//     are computed, not flushed, within 1 ULP;
//   - silu(+inf) = +inf, silu(x) = x exactly for x > 40 (float) / 45
//     (double); silu(NaN) = NaN; silu(+-0) = +-0; silu of a tiny or subnormal
//     x is x/2 correctly rounded;
//   - silu(-inf) = -0: every negative x has a negative silu, which rounds to
//     -0 from x < -108.7 (float) / -751.8 (double) on, and -0 is the limit
//     from below (the plain formula would give -inf * 0 = NaN);
//   - the result does not depend on the caller's FTZ/DAZ mode.
// Contract, logistic::silu_grad (faithful tier):
//   - below 2 ULP everywhere except in the window around its zero,
//     (-1.5836, -0.9893), where the relative condition number
//     |x f'(x) / f(x)| exceeds 4 (float over all 2^32 inputs: max 1.44 ULP
//     AVX-512, 1.43 AVX2+FMA, 0.88 SSE2; double vs MPFR: 1.57). The condition
//     number also exceeds 4 for x < -5.5, where it grows like |x|; the 2 ULP
//     bound holds there all the same (1.49 ULP measured);
//   - near its zero x0 = -1.27846 no method gives relative accuracy from a
//     rounded x: there the absolute error is below 2^-26 (float) / 2^-55
//     (double), i.e. below 1/4 ULP of 0.5 (measured: 2^-26.7 float, 2^-55.9 double);
//   - silu_grad(+inf) = 1 (and exactly 1 from x > 40 / 45); silu_grad(-inf)
//     = -0 (the function is negative for x < x0 and rounds to -0 from x <
//     -108.7 (float) / -751.8 (double)); silu_grad(+-0) = 0.5; NaN -> NaN;
//     subnormal results are computed, not flushed;
//   - the result does not depend on the caller's FTZ/DAZ mode.
// Contract, logistic::fast::silu and logistic::fast::silu_grad:
//   - at most 4 ULP wherever the exact result is normal (silu_grad: outside
//     the window above, where its absolute error is below 2^-24 (float) /
//     2^-52 (double)): float silu max 3.96 ULP AVX-512, 2.60 AVX2+FMA, 2.44
//     SSE2; silu_grad 3.50 AVX-512, 3.45 AVX2+FMA, 3.60 SSE2 (every float in
//     [-100, 100]; the rest is the faithful tails);
//   - their main path may produce or read subnormals, so under FTZ/DAZ a
//     subnormal result (silu of a subnormal x) becomes a zero of the same
//     sign; for |x| > 64 (float) / 600 (double) they use the faithful tails
//     and flush nothing;
//   - every other rule above holds (same special values, -0 at -inf).
//
// Array forms: any n (pointers may be null when n == 0), any alignment,
// in == out allowed; other overlaps are undefined. No allocation; thread-safe.
// Scalar, batch and array forms return bit-identical results in one build;
// different instruction sets may differ in the last bit, each within the bound.
#ifndef LOGISTIC_SILU_HPP
#define LOGISTIC_SILU_HPP

#include <cstddef>

#include <xsimd/xsimd.hpp>

#include "detail/array_driver.hpp"
#include "detail/config.hpp"
#include "detail/public_forms.hpp"
#include "detail/silu_kernels.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// Kernel objects for the array driver (array_driver.hpp).
struct silu_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return silu_faithful(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return silu_main(x, xsimd::abs(x));
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return silu_rare(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE bool any_rare(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c,
                                xsimd::batch<T, A> d) const noexcept {
    return any_abs_outside(a, b, c, d, silu_limits<T>::tiny, sigmoid_limits<T>::z_main);
  }
};

struct silu_grad_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return silu_grad_faithful(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return silu_grad_main(x, xsimd::abs(x));
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

struct silu_fast_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return silu_fast(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return silu_fast_main(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return silu_fast_rare(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE bool any_rare(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c,
                                xsimd::batch<T, A> d) const noexcept {
    return any_abs_above(a, b, c, d, silu_limits<T>::fast_main);
  }
};

struct silu_grad_fast_kernel {
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> operator()(xsimd::batch<T, A> x) const noexcept {
    return silu_grad_fast(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch<T, A> common(xsimd::batch<T, A> x) const noexcept {
    return silu_grad_fast_main(x, xsimd::abs(x));
  }
  template <class T, class A>
  LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(xsimd::batch<T, A> x) const noexcept {
    return silu_fast_rare(x);
  }
  template <class T, class A>
  LOGISTIC_INLINE bool any_rare(xsimd::batch<T, A> a, xsimd::batch<T, A> b, xsimd::batch<T, A> c,
                                xsimd::batch<T, A> d) const noexcept {
    return any_abs_above(a, b, c, d, silu_limits<T>::fast_main);
  }
};

}  // namespace detail

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> silu(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::silu_kernel>(x);
}

template <class T>
T silu(T x) noexcept {
  return detail::elementwise_scalar<detail::silu_kernel>(x);
}

template <class T>
void silu(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::silu_kernel>(in, out, n);
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> silu_grad(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::silu_grad_kernel>(x);
}

template <class T>
T silu_grad(T x) noexcept {
  return detail::elementwise_scalar<detail::silu_grad_kernel>(x);
}

template <class T>
void silu_grad(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::silu_grad_kernel>(in, out, n);
}

namespace fast {

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> silu(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::silu_fast_kernel>(x);
}

template <class T>
T silu(T x) noexcept {
  return detail::elementwise_scalar<detail::silu_fast_kernel>(x);
}

template <class T>
void silu(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::silu_fast_kernel>(in, out, n);
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> silu_grad(xsimd::batch<T, A> x) noexcept {
  return detail::elementwise_batch<detail::silu_grad_fast_kernel>(x);
}

template <class T>
T silu_grad(T x) noexcept {
  return detail::elementwise_scalar<detail::silu_grad_fast_kernel>(x);
}

template <class T>
void silu_grad(const T* in, T* out, std::size_t n) noexcept {
  detail::elementwise_array<detail::silu_grad_fast_kernel>(in, out, n);
}

}  // namespace fast
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
