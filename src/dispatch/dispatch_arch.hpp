// Internal to the dispatch library (cmake/logisticDispatch.cmake): what the selecting unit
// (dispatch.cpp, compiled for the baseline) and the per-architecture units
// (dispatch_arch.cpp, compiled once per instruction set) share.
#ifndef LOGISTIC_SRC_DISPATCH_ARCH_HPP
#define LOGISTIC_SRC_DISPATCH_ARCH_HPP

#include <xsimd/xsimd.hpp>

#include "logistic/dispatch.hpp"

namespace logistic {
namespace dispatch {
namespace detail {

// The functor given to xsimd::dispatch: for an architecture tag, the kernel table of the
// unit compiled for it. Only explicit specializations exist, one per per-architecture
// unit, each defined there; xsimd::dispatch calls the one of the best available tag.
struct table_of {
  template <class Arch>
  const kernel_table* operator()(Arch) const noexcept;
};

// The tags of the flavors of cmake/logisticArch.cmake. Newer xsimd versions may pick a
// more specific default_arch for the same flags (derived from these), so the units check
// derivation, not equality. "native" is the compiler's default: NEON on aarch64.
using tag_avx512 = xsimd::avx512bw;
using tag_avx2 = xsimd::fma3<xsimd::avx2>;
using tag_sse2 = xsimd::sse2;
using tag_native = xsimd::default_arch;

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
template <>
const kernel_table* table_of::operator()<tag_avx512>(tag_avx512) const noexcept;
template <>
const kernel_table* table_of::operator()<tag_avx2>(tag_avx2) const noexcept;
template <>
const kernel_table* table_of::operator()<tag_sse2>(tag_sse2) const noexcept;
#else
template <>
const kernel_table* table_of::operator()<tag_native>(tag_native) const noexcept;
#endif

}  // namespace detail
}  // namespace dispatch
}  // namespace logistic

#endif
