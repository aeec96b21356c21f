// Internal: the three public forms (batch, scalar, array) of an elementwise
// function, written once: each checks T, then runs the kernel object through
// the array driver, so that all three give the same bits.
#ifndef LOGISTIC_DETAIL_PUBLIC_FORMS_HPP
#define LOGISTIC_DETAIL_PUBLIC_FORMS_HPP

#include <cstddef>

#include <xsimd/xsimd.hpp>

#include "array_driver.hpp"
#include "config.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class Kernel, class T, class A>
LOGISTIC_INLINE xsimd::batch<T, A> elementwise_batch(xsimd::batch<T, A> x) noexcept {
  check_type<T>();
  if constexpr (is_supported_type<T>::value) return Kernel{}(x);
  else return x;  // unreachable: the static_assert above is the only error
}

template <class Kernel, class T>
T elementwise_scalar(T x) noexcept {
  check_type<T>();
  if constexpr (is_supported_type<T>::value) return apply_scalar(Kernel{}, x);
  else return x;
}

template <class Kernel, class T>
void elementwise_array(const T* in, T* out, std::size_t n) noexcept {
  check_type<T>();
  if constexpr (is_supported_type<T>::value) apply_array(Kernel{}, in, out, n);
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
