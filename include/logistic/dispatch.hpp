// logistic/dispatch.hpp — the array functions, choosing the instruction set at run time.
//
// Declarations (T is float or double; every function is in logistic::dispatch):
//
//   void sigmoid(const T* in, T* out, std::size_t n) noexcept;
//   void sigmoid(const T* in, T* out, std::size_t n, affine<T> a) noexcept;
//   void logit(const T* in, T* out, std::size_t n) noexcept;
//   void logit(const T* in, T* out, std::size_t n, T eps) noexcept;
//   void sigmoid_grad(const T* in, T* out, std::size_t n) noexcept;
//   void sigmoid_backward(const T* y, const T* dy, T* dx, std::size_t n) noexcept;
//   void log_sigmoid(const T* in, T* out, std::size_t n) noexcept;
//   void softplus(const T* in, T* out, std::size_t n) noexcept;
//   void silu(const T* in, T* out, std::size_t n) noexcept;
//   void silu_grad(const T* in, T* out, std::size_t n) noexcept;
//   namespace fast: sigmoid (both forms), sigmoid_grad, softplus, log_sigmoid, silu,
//                   silu_grad, as above;
//   bce_status bce_with_logits(const T* x, const T* y, T* loss, std::size_t n,
//                              const bce_options<T>& = {}) noexcept;
//   T          bce_with_logits(const T* x, const T* y, std::size_t n,
//                              const bce_options<T>& = {}, reduction = mean) noexcept;
//   bce_status bce_with_logits_grad(const T* x, const T* y, T* grad, std::size_t n,
//                                   const bce_options<T>& = {}, reduction = mean) noexcept;
//   T          bce_with_logits_fused(const T* x, const T* y, T* grad, std::size_t n,
//                                    const bce_options<T>& = {}, reduction = mean) noexcept;
//
//   const char* selected_arch() noexcept;    // "avx512", "avx2", "sse2", "neon64", ...
//   const char* compiled_archs() noexcept;   // e.g. "avx512 avx2 sse2", best first
//   bool        set_max_arch(const char* name) noexcept;
//
// Each function has the meaning, contract and signature of the header-only function of
// the same name in namespace logistic (see its header). These are declarations only: the
// code lives in a small static library, logistic::dispatch, that compiles the library's
// kernels once per instruction set (cmake/logisticDispatch.cmake; the README's "Runtime
// dispatch" section). A program built for the x86-64 baseline then runs the AVX-512 or
// AVX2+FMA kernels on the CPUs that have them.
//
// Contract:
//   - the first call (of any function here) selects, through xsimd::dispatch, the best
//     instruction set among those compiled into the library that the CPU supports: on
//     x86-64 "avx512" (AVX-512 F, CD, DQ, BW and VL), "avx2" (AVX2 and FMA), "sse2";
//     on aarch64 "neon64"; elsewhere the compiler's default ("native"). On x86 the
//     choice is confirmed with the compiler's own CPU check, which also asks the
//     operating system whether it saves the AVX / AVX-512 registers (xsimd 8.1 does not);
//   - within one instruction set, results are bit-identical to the header-only function
//     compiled with that instruction set's flags (cmake/logisticArch.cmake: the same
//     flags as the test and benchmark flavors) by the same compiler; across instruction
//     sets each result stays within its function's documented bound, and results may
//     differ in the last bit (the contract blocks say where);
//   - the environment variable LOGISTIC_DISPATCH_MAX_ARCH (read at the first call) and
//     set_max_arch(name) cap the choice at an instruction set ("sse2", "avx2", "avx512";
//     "native" and "neon64" are the lowest): for tests, and to compare machines.
//     set_max_arch(nullptr) or "" removes the cap; an unknown name changes nothing and
//     returns false. Changing the cap while other threads call the functions is safe:
//     each call runs wholly on one instruction set;
//   - the cost over the header-only call is one load and one indirect call. No
//     allocation, no exceptions; thread-safe.
#ifndef LOGISTIC_DISPATCH_HPP
#define LOGISTIC_DISPATCH_HPP

#include <atomic>
#include <cstddef>
#include <type_traits>

#include "affine.hpp"
#include "bce.hpp"
#include "detail/config.hpp"

namespace logistic {
namespace dispatch {
namespace detail {

// The kernels of one element type on one instruction set. Defined in each
// per-architecture unit of the library (src/dispatch/dispatch_arch.cpp).
template <class T>
struct kernels {
  using unary = void (*)(const T*, T*, std::size_t) noexcept;
  unary sigmoid;
  void (*sigmoid_affine)(const T*, T*, std::size_t, affine<T>) noexcept;
  unary logit;
  void (*logit_eps)(const T*, T*, std::size_t, T) noexcept;
  unary sigmoid_grad;
  void (*sigmoid_backward)(const T*, const T*, T*, std::size_t) noexcept;
  unary log_sigmoid;
  unary softplus;
  unary silu;
  unary silu_grad;
  unary fast_sigmoid;
  void (*fast_sigmoid_affine)(const T*, T*, std::size_t, affine<T>) noexcept;
  unary fast_sigmoid_grad;
  unary fast_softplus;
  unary fast_log_sigmoid;
  unary fast_silu;
  unary fast_silu_grad;
  bce_status (*bce_loss)(const T*, const T*, T*, std::size_t, const bce_options<T>&) noexcept;
  T (*bce_reduced)(const T*, const T*, std::size_t, const bce_options<T>&, reduction) noexcept;
  bce_status (*bce_grad)(const T*, const T*, T*, std::size_t, const bce_options<T>&,
                         reduction) noexcept;
  T (*bce_fused)(const T*, const T*, T*, std::size_t, const bce_options<T>&, reduction) noexcept;
};

struct kernel_table {
  const char* name;  // as selected_arch() reports it
  int rank;          // the order of set_max_arch's caps: 1 = the baseline
  kernels<float> f32;
  kernels<double> f64;
};

// The selected table; null until the first call selects one.
extern std::atomic<const kernel_table*> active_table;
const kernel_table& select_table() noexcept;

inline const kernel_table& table() noexcept {
  const kernel_table* t = active_table.load(std::memory_order_acquire);
  return t != nullptr ? *t : select_table();
}

template <class T>
const kernels<T>& active() noexcept {
  ::logistic::detail::check_type<T>();
  if constexpr (std::is_same<T, double>::value) {
    return table().f64;
  } else if constexpr (std::is_same<T, float>::value) {
    return table().f32;
  } else {
    static constexpr kernels<T> none{};  // unreachable: the static_assert is the only error
    return none;
  }
}

}  // namespace detail

const char* selected_arch() noexcept;
const char* compiled_archs() noexcept;
bool set_max_arch(const char* name) noexcept;

template <class T>
void sigmoid(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().sigmoid(in, out, n);
}
template <class T>
void sigmoid(const T* in, T* out, std::size_t n, affine<T> a) noexcept {
  detail::active<T>().sigmoid_affine(in, out, n, a);
}
template <class T>
void logit(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().logit(in, out, n);
}
template <class T>
void logit(const T* in, T* out, std::size_t n, T eps) noexcept {
  detail::active<T>().logit_eps(in, out, n, eps);
}
template <class T>
void sigmoid_grad(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().sigmoid_grad(in, out, n);
}
template <class T>
void sigmoid_backward(const T* y, const T* dy, T* dx, std::size_t n) noexcept {
  detail::active<T>().sigmoid_backward(y, dy, dx, n);
}
template <class T>
void log_sigmoid(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().log_sigmoid(in, out, n);
}
template <class T>
void softplus(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().softplus(in, out, n);
}
template <class T>
void silu(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().silu(in, out, n);
}
template <class T>
void silu_grad(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().silu_grad(in, out, n);
}

template <class T>
bce_status bce_with_logits(const T* x, const T* y, T* loss, std::size_t n,
                           const bce_options<T>& options = {}) noexcept {
  return detail::active<T>().bce_loss(x, y, loss, n, options);
}
template <class T>
T bce_with_logits(const T* x, const T* y, std::size_t n, const bce_options<T>& options = {},
                  reduction r = reduction::mean) noexcept {
  return detail::active<T>().bce_reduced(x, y, n, options, r);
}
template <class T>
bce_status bce_with_logits_grad(const T* x, const T* y, T* grad, std::size_t n,
                                const bce_options<T>& options = {},
                                reduction r = reduction::mean) noexcept {
  return detail::active<T>().bce_grad(x, y, grad, n, options, r);
}
template <class T>
T bce_with_logits_fused(const T* x, const T* y, T* grad, std::size_t n,
                        const bce_options<T>& options = {},
                        reduction r = reduction::mean) noexcept {
  return detail::active<T>().bce_fused(x, y, grad, n, options, r);
}

namespace fast {

template <class T>
void sigmoid(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().fast_sigmoid(in, out, n);
}
template <class T>
void sigmoid(const T* in, T* out, std::size_t n, affine<T> a) noexcept {
  detail::active<T>().fast_sigmoid_affine(in, out, n, a);
}
template <class T>
void sigmoid_grad(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().fast_sigmoid_grad(in, out, n);
}
template <class T>
void softplus(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().fast_softplus(in, out, n);
}
template <class T>
void log_sigmoid(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().fast_log_sigmoid(in, out, n);
}
template <class T>
void silu(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().fast_silu(in, out, n);
}
template <class T>
void silu_grad(const T* in, T* out, std::size_t n) noexcept {
  detail::active<T>().fast_silu_grad(in, out, n);
}

}  // namespace fast
}  // namespace dispatch
}  // namespace logistic

#endif
