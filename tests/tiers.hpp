// Test support: the two tiers behind one interface, so that every rule is
// written once and checked for both.
#ifndef LOGISTIC_TESTS_TIERS_HPP
#define LOGISTIC_TESTS_TIERS_HPP

#include <logistic/logistic.hpp>

#include <cstddef>

namespace logistic_test {

using A = xsimd::default_arch;
template <class T>
using batch = xsimd::batch<T, A>;

struct faithful {
  static constexpr const char* name = "logistic::sigmoid";
  template <class T>
  static T scalar(T x) {
    return logistic::sigmoid(x);
  }
  template <class T>
  static batch<T> simd(batch<T> x) {
    return logistic::sigmoid(x);
  }
  template <class T>
  static void array(const T* in, T* out, std::size_t n) {
    logistic::sigmoid(in, out, n);
  }
};

struct fast {
  static constexpr const char* name = "logistic::fast::sigmoid";
  template <class T>
  static T scalar(T x) {
    return logistic::fast::sigmoid(x);
  }
  template <class T>
  static batch<T> simd(batch<T> x) {
    return logistic::fast::sigmoid(x);
  }
  template <class T>
  static void array(const T* in, T* out, std::size_t n) {
    logistic::fast::sigmoid(in, out, n);
  }
};

template <class T>
const char* type_name() {
  return sizeof(T) == sizeof(float) ? "float" : "double";
}

}  // namespace logistic_test

#endif
