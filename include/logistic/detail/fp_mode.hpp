// Internal: whether the calling thread's floating-point mode flushes
// subnormals (x86 FTZ or DAZ, AArch64 FZ).
//
// The results of the faithful tier never depend on this mode. A kernel whose
// fast path is exact only with gradual underflow (sigmoid_backward's) reads it
// once per call to choose how many lanes must go out of line: with gradual
// underflow fewer, and both choices give the same bits.
#ifndef LOGISTIC_DETAIL_FP_MODE_HPP
#define LOGISTIC_DETAIL_FP_MODE_HPP

#if defined(__SSE__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 1)
#include <xmmintrin.h>
#define LOGISTIC_FP_MODE_MXCSR 1
#endif

#include "config.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// True where the mode cannot be read: that answer is right in every mode.
inline bool subnormals_flushed() noexcept {
#if defined(LOGISTIC_FP_MODE_MXCSR)
  constexpr unsigned flush_to_zero = 1u << 15, denormals_are_zero = 1u << 6;
  return (_mm_getcsr() & (flush_to_zero | denormals_are_zero)) != 0;
#elif defined(__aarch64__) && defined(__GNUC__)
  unsigned long fpcr;
  __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
  constexpr unsigned long flush_to_zero = 1ul << 24;  // FZ: inputs and results
  constexpr unsigned long flush_inputs = 1ul << 0;    // FIZ (FEAT_AFP), else reads 0
  return (fpcr & (flush_to_zero | flush_inputs)) != 0;
#else
  return true;
#endif
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
