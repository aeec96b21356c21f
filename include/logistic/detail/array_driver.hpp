// Internal: turns a batch kernel into the scalar and array forms, so that all
// three levels run the same instructions on every element.
#ifndef LOGISTIC_DETAIL_ARRAY_DRIVER_HPP
#define LOGISTIC_DETAIL_ARRAY_DRIVER_HPP

#include <cstddef>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "config.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

using default_arch = xsimd::default_arch;

// A scalar goes through the batch kernel in lane 0, so it is bit-identical to
// the batch and array forms (a separate scalar formula would round differently).
template <class Kernel, class T>
T apply_scalar(const Kernel& kernel, T x) noexcept {
  using B = xsimd::batch<T, default_arch>;
  alignas(B::arch_type::alignment()) T lanes[B::size];
  kernel(B(x)).store_aligned(lanes);
  return lanes[0];
}

// out[i] = kernel(in[i]) for i < n. Unaligned loads and stores; in == out is
// allowed (each element is read before it is written); the tail runs through
// the same kernel on a zero-padded copy.
template <class Kernel, class T>
void apply_array(const Kernel& kernel, const T* in, T* out, std::size_t n) noexcept {
  using B = xsimd::batch<T, default_arch>;
  constexpr std::size_t W = B::size;
  std::size_t i = 0;
  // Two independent batches per iteration keep both FP pipes busy through
  // the kernels' long dependency chains.
  for (; i + 2 * W <= n; i += 2 * W) {
    const B a = B::load_unaligned(in + i);
    const B b = B::load_unaligned(in + i + W);
    kernel(a).store_unaligned(out + i);
    kernel(b).store_unaligned(out + i + W);
  }
  for (; i + W <= n; i += W) {
    kernel(B::load_unaligned(in + i)).store_unaligned(out + i);
  }
  if (i < n) {
    alignas(B::arch_type::alignment()) T tail[W] = {};
    std::memcpy(tail, in + i, (n - i) * sizeof(T));
    kernel(B::load_aligned(tail)).store_aligned(tail);
    std::memcpy(out + i, tail, (n - i) * sizeof(T));
  }
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
