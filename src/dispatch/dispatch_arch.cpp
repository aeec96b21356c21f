// One instruction set's kernel table for logistic::dispatch. cmake/logisticDispatch.cmake
// compiles this file once per architecture, with that architecture's flags and one of
// LOGISTIC_DISPATCH_ARCH_{AVX512,AVX2,SSE2,NATIVE} defined. The header-only functions it
// calls then live in the architecture's inline namespace (detail/config.hpp) and the
// tables themselves have internal linkage, so no code is shared between the units: the
// linker cannot fold one architecture's copy into another's.
#include <cstddef>
#include <type_traits>

#include "dispatch_arch.hpp"
#include "logistic/affine.hpp"
#include "logistic/bce.hpp"
#include "logistic/logit.hpp"
#include "logistic/sigmoid.hpp"
#include "logistic/sigmoid_grad.hpp"
#include "logistic/silu.hpp"
#include "logistic/softplus.hpp"

namespace logistic {
namespace dispatch {
namespace detail {
namespace {

#if defined(LOGISTIC_DISPATCH_ARCH_AVX512)
using tag = tag_avx512;
constexpr const char* arch_name = "avx512";
constexpr int arch_rank = 3;
#elif defined(LOGISTIC_DISPATCH_ARCH_AVX2)
using tag = tag_avx2;
constexpr const char* arch_name = "avx2";
constexpr int arch_rank = 2;
#elif defined(LOGISTIC_DISPATCH_ARCH_SSE2)
using tag = tag_sse2;
constexpr const char* arch_name = "sse2";
constexpr int arch_rank = 1;
#elif defined(LOGISTIC_DISPATCH_ARCH_NATIVE)
using tag = tag_native;
#if defined(__aarch64__) || defined(_M_ARM64)
constexpr const char* arch_name = "neon64";
#else
constexpr const char* arch_name = "native";
#endif
constexpr int arch_rank = 1;
#else
#error "dispatch_arch.cpp: define one of LOGISTIC_DISPATCH_ARCH_{AVX512,AVX2,SSE2,NATIVE}"
#endif

// The kernels below run on xsimd::default_arch, which the compile flags decide: they
// must be the flags of `tag` (a wrong -m flag, or a global -march that adds to them,
// would put another architecture's code behind this tag).
static_assert(std::is_base_of<tag, xsimd::default_arch>::value,
              "logistic dispatch: this unit's compile flags do not match its architecture");

template <class T>
constexpr kernels<T> make_kernels() noexcept {
  namespace lf = ::logistic::fast;
  return {
      [](const T* in, T* out, std::size_t n) noexcept { ::logistic::sigmoid(in, out, n); },
      [](const T* in, T* out, std::size_t n, affine<T> a) noexcept {
        ::logistic::sigmoid(in, out, n, a);
      },
      [](const T* in, T* out, std::size_t n) noexcept { ::logistic::logit(in, out, n); },
      [](const T* in, T* out, std::size_t n, T eps) noexcept {
        ::logistic::logit(in, out, n, eps);
      },
      [](const T* in, T* out, std::size_t n) noexcept { ::logistic::sigmoid_grad(in, out, n); },
      [](const T* y, const T* dy, T* dx, std::size_t n) noexcept {
        ::logistic::sigmoid_backward(y, dy, dx, n);
      },
      [](const T* in, T* out, std::size_t n) noexcept { ::logistic::log_sigmoid(in, out, n); },
      [](const T* in, T* out, std::size_t n) noexcept { ::logistic::softplus(in, out, n); },
      [](const T* in, T* out, std::size_t n) noexcept { ::logistic::silu(in, out, n); },
      [](const T* in, T* out, std::size_t n) noexcept { ::logistic::silu_grad(in, out, n); },
      [](const T* in, T* out, std::size_t n) noexcept { lf::sigmoid(in, out, n); },
      [](const T* in, T* out, std::size_t n, affine<T> a) noexcept {
        lf::sigmoid(in, out, n, a);
      },
      [](const T* in, T* out, std::size_t n) noexcept { lf::sigmoid_grad(in, out, n); },
      [](const T* in, T* out, std::size_t n) noexcept { lf::softplus(in, out, n); },
      [](const T* in, T* out, std::size_t n) noexcept { lf::log_sigmoid(in, out, n); },
      [](const T* in, T* out, std::size_t n) noexcept { lf::silu(in, out, n); },
      [](const T* in, T* out, std::size_t n) noexcept { lf::silu_grad(in, out, n); },
      [](const T* x, const T* y, T* loss, std::size_t n, const bce_options<T>& o) noexcept {
        return ::logistic::bce_with_logits(x, y, loss, n, o);
      },
      [](const T* x, const T* y, std::size_t n, const bce_options<T>& o, reduction r) noexcept {
        return ::logistic::bce_with_logits(x, y, n, o, r);
      },
      [](const T* x, const T* y, T* grad, std::size_t n, const bce_options<T>& o,
         reduction r) noexcept { return ::logistic::bce_with_logits_grad(x, y, grad, n, o, r); },
      [](const T* x, const T* y, T* grad, std::size_t n, const bce_options<T>& o,
         reduction r) noexcept { return ::logistic::bce_with_logits_fused(x, y, grad, n, o, r); },
  };
}

constexpr kernel_table this_table{arch_name, arch_rank, make_kernels<float>(),
                                  make_kernels<double>()};

}  // namespace

template <>
const kernel_table* table_of::operator()<tag>(tag) const noexcept {
  return &this_table;
}

}  // namespace detail
}  // namespace dispatch
}  // namespace logistic
