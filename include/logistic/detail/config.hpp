// Internal: the architecture namespace and the element-type check.
#ifndef LOGISTIC_DETAIL_CONFIG_HPP
#define LOGISTIC_DETAIL_CONFIG_HPP

#include <type_traits>

// Everything that depends on the target instruction set lives in an inline
// namespace named after it. Two translation units compiled for different
// targets (say one with -mavx2 -mfma, one for the baseline) then instantiate
// differently named functions, so the linker cannot merge code built for one
// target into the other (an ODR violation that would crash on older CPUs).
#if defined(__AVX512BW__)
#define LOGISTIC_ARCH_NAMESPACE arch_avx512bw
#elif defined(__AVX512F__)
#define LOGISTIC_ARCH_NAMESPACE arch_avx512f
#elif defined(__AVX2__) && defined(__FMA__)
#define LOGISTIC_ARCH_NAMESPACE arch_fma3_avx2
#elif defined(__AVX2__)
#define LOGISTIC_ARCH_NAMESPACE arch_avx2
#elif defined(__AVX__) && defined(__FMA__)
#define LOGISTIC_ARCH_NAMESPACE arch_fma3_avx
#elif defined(__AVX__)
#define LOGISTIC_ARCH_NAMESPACE arch_avx
#elif defined(__SSE4_2__) && defined(__FMA__)
#define LOGISTIC_ARCH_NAMESPACE arch_fma3_sse4_2
#elif defined(__SSE4_2__)
#define LOGISTIC_ARCH_NAMESPACE arch_sse4_2
#elif defined(__SSE2__) || defined(_M_X64)
#define LOGISTIC_ARCH_NAMESPACE arch_sse2
#elif defined(__aarch64__)
#define LOGISTIC_ARCH_NAMESPACE arch_neon64
#elif defined(__ARM_NEON)
#define LOGISTIC_ARCH_NAMESPACE arch_neon
#else
#define LOGISTIC_ARCH_NAMESPACE arch_scalar
#endif

// Kernels are tiny functions composed into one loop body: they must be inlined
// for the constants to stay in registers. The rare paths are kept out of line.
#if defined(__GNUC__) || defined(__clang__)
#define LOGISTIC_INLINE inline __attribute__((always_inline))
#define LOGISTIC_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define LOGISTIC_INLINE __forceinline
#define LOGISTIC_NOINLINE __declspec(noinline)
#else
#define LOGISTIC_INLINE inline
#define LOGISTIC_NOINLINE
#endif

// The one-input array loop, on GCC: its instruction scheduler before register
// allocation, which x86 builds leave off. Each kernel is one long dependency
// chain; GCC emits the four batches of an iteration one after the other, and
// the core's scheduler window holds too few instructions to overlap them.
// Interleaved they overlap: 8-14% less time for sigmoid, silu_grad, logit,
// softplus and log_sigmoid on AVX-512 (Zen 4), the same results bit for bit.
// sched-pressure keeps the interleaving within the register file. Left off
// where it did not pay: the two-input loop (sigmoid_backward is bound by
// memory, 1-2% slower with it) and the BCE loop (fused loss and gradient 9%
// slower, loss alone 11% faster). Other compilers have no per-function switch.
#if defined(__GNUC__) && !defined(__clang__) && !defined(__INTEL_COMPILER)
#define LOGISTIC_SCHEDULED_LOOP __attribute__((optimize("schedule-insns", "sched-pressure")))
#else
#define LOGISTIC_SCHEDULED_LOOP
#endif

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T>
struct is_supported_type : std::integral_constant<bool, std::is_same<T, float>::value ||
                                                            std::is_same<T, double>::value> {};

template <class T>
constexpr void check_type() noexcept {
  static_assert(is_supported_type<T>::value, "logistic: T must be float or double");
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
