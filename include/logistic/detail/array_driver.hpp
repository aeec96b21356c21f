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

// Whether any lane of four batches is rare: the kernel's any_rare where it
// has one (kernels whose rare lanes are |x| > limit reduce the four batches
// first), else the union of its rare lanes.
template <class Kernel, class B>
LOGISTIC_INLINE auto any_rare(const Kernel& kernel, B a, B b, B c, B d, int) noexcept
    -> decltype(kernel.any_rare(a, b, c, d)) {
  return kernel.any_rare(a, b, c, d);
}
template <class Kernel, class B>
LOGISTIC_INLINE bool any_rare(const Kernel& kernel, B a, B b, B c, B d, long) noexcept {
  return xsimd::any(kernel.rare(a) | kernel.rare(b) | kernel.rare(c) | kernel.rare(d));
}

// out[i] = kernel(in[i]) for i < n. Unaligned loads and stores; in == out is
// allowed (each element is read before it is written); the tail runs through
// the same kernel on a zero-padded copy.
//
// A kernel is `kernel(x)`, plus `kernel.rare(x)` (the lanes that need its
// out-of-line path) and `kernel.common(x)` (its inline path, equal to
// kernel(x) when no lane is rare). Four batches go at once: one test for all
// of them, then four branch-free kernels that the core can overlap, since each
// is a long dependency chain.
//
// The kernel is taken by value: a copy whose address never escapes cannot
// alias out, so its parameters (affine's scale and bias) stay in registers
// across the stores instead of being reloaded, and recomputed, after each.
template <class Kernel, class T>
LOGISTIC_SCHEDULED_LOOP void apply_array(const Kernel kernel, const T* in, T* out, std::size_t n) noexcept {
  using B = xsimd::batch<T, default_arch>;
  constexpr std::size_t W = B::size;
  std::size_t i = 0;
  while (i + 4 * W <= n) {
    // The common path runs in a loop of its own, with no call in it, so the
    // compiler keeps the kernel's constants in registers there (a call to an
    // out-of-line path in the same loop made it reload them every iteration).
    for (; i + 4 * W <= n; i += 4 * W) {
      const B a = B::load_unaligned(in + i);
      const B b = B::load_unaligned(in + i + W);
      const B c = B::load_unaligned(in + i + 2 * W);
      const B d = B::load_unaligned(in + i + 3 * W);
      if (any_rare(kernel, a, b, c, d, 0)) break;
      kernel.common(a).store_unaligned(out + i);
      kernel.common(b).store_unaligned(out + i + W);
      kernel.common(c).store_unaligned(out + i + 2 * W);
      kernel.common(d).store_unaligned(out + i + 3 * W);
    }
    if (i + 4 * W > n) break;
    for (const std::size_t end = i + 4 * W; i < end; i += W) {
      kernel(B::load_unaligned(in + i)).store_unaligned(out + i);
    }
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

// The two-input forms, for kernels of two arguments (sigmoid_backward):
// kernel(a, b), kernel.common(a, b), and kernel.any_rare(a0, b0, ..., a3, b3)
// for four pairs of batches. Same rules as above:
// the scalar goes through lane 0, the tail through the same kernel on
// zero-padded copies, and out may equal either input (each element of both
// inputs is read before its output is written).
template <class Kernel, class T>
T apply_scalar2(const Kernel& kernel, T a, T b) noexcept {
  using B = xsimd::batch<T, default_arch>;
  alignas(B::arch_type::alignment()) T lanes[B::size];
  kernel(B(a), B(b)).store_aligned(lanes);
  return lanes[0];
}

template <class Kernel, class T>
void apply_array2(const Kernel kernel, const T* in_a, const T* in_b, T* out,
                  std::size_t n) noexcept {
  using B = xsimd::batch<T, default_arch>;
  constexpr std::size_t W = B::size;
  std::size_t i = 0;
  while (i + 4 * W <= n) {
    for (; i + 4 * W <= n; i += 4 * W) {  // as in apply_array
      const B a0 = B::load_unaligned(in_a + i), b0 = B::load_unaligned(in_b + i);
      const B a1 = B::load_unaligned(in_a + i + W), b1 = B::load_unaligned(in_b + i + W);
      const B a2 = B::load_unaligned(in_a + i + 2 * W), b2 = B::load_unaligned(in_b + i + 2 * W);
      const B a3 = B::load_unaligned(in_a + i + 3 * W), b3 = B::load_unaligned(in_b + i + 3 * W);
      if (kernel.any_rare(a0, b0, a1, b1, a2, b2, a3, b3)) break;
      kernel.common(a0, b0).store_unaligned(out + i);
      kernel.common(a1, b1).store_unaligned(out + i + W);
      kernel.common(a2, b2).store_unaligned(out + i + 2 * W);
      kernel.common(a3, b3).store_unaligned(out + i + 3 * W);
    }
    if (i + 4 * W > n) break;
    for (const std::size_t end = i + 4 * W; i < end; i += W) {
      kernel(B::load_unaligned(in_a + i), B::load_unaligned(in_b + i)).store_unaligned(out + i);
    }
  }
  for (; i + W <= n; i += W) {
    kernel(B::load_unaligned(in_a + i), B::load_unaligned(in_b + i)).store_unaligned(out + i);
  }
  if (i < n) {
    alignas(B::arch_type::alignment()) T tail_a[W] = {};
    alignas(B::arch_type::alignment()) T tail_b[W] = {};
    std::memcpy(tail_a, in_a + i, (n - i) * sizeof(T));
    std::memcpy(tail_b, in_b + i, (n - i) * sizeof(T));
    kernel(B::load_aligned(tail_a), B::load_aligned(tail_b)).store_aligned(tail_a);
    std::memcpy(out + i, tail_a, (n - i) * sizeof(T));
  }
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
