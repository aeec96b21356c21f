// Test support: independent reference values and ULP distances.
//
// The references never call the library. For float results they are computed
// in double, whose own error (a few 2^-53) is below 2^-27 float ULP; the MPFR
// test checks these double references on samples. For double results the
// tests use MPFR (tests/mpfr_reference.hpp).
#ifndef LOGISTIC_TESTS_REFERENCE_HPP
#define LOGISTIC_TESTS_REFERENCE_HPP

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace logistic_test {

inline std::uint32_t bits(float x) {
  std::uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
inline std::uint64_t bits(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
inline float float_from_bits(std::uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// sigma(x) in double, evaluated without cancellation on either side.
inline double sigmoid_reference(float x) {
  const double xd = x;
  if (std::isnan(xd)) return xd;
  if (xd >= 0) return 1.0 / (1.0 + std::exp(-xd));
  const double e = std::exp(xd);
  return e / (1.0 + e);
}

// The spacing of T-values around `exact` (a value in higher precision):
// 2^(e - p + 1) for exact in [2^e, 2^(e+1)), the smallest subnormal below the
// smallest normal.
template <class T>
double ulp_of(double exact) {
  const double a = std::fabs(exact);
  const double min_normal = static_cast<double>(std::numeric_limits<T>::min());
  const double min_sub = static_cast<double>(std::numeric_limits<T>::denorm_min());
  if (a < min_normal) return min_sub;
  int e;
  std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  return std::ldexp(1.0, e - std::numeric_limits<T>::digits);
}

// |y - exact| in ULPs of exact (0 when both are the same infinity or NaN).
template <class T>
double ulp_error(T y, double exact) {
  if (std::isnan(exact) || std::isnan(static_cast<double>(y))) {
    return std::isnan(exact) && std::isnan(static_cast<double>(y))
               ? 0.0
               : std::numeric_limits<double>::infinity();
  }
  if (static_cast<double>(y) == exact) return 0.0;
  if (std::isinf(exact) || std::isinf(static_cast<double>(y))) {
    return std::numeric_limits<double>::infinity();
  }
  return std::fabs(static_cast<double>(y) - exact) / ulp_of<T>(exact);
}

// Sigmoid values never reach 1 for finite x; a double reference rounded to
// exactly 1 stands for a value just below it, whose float spacing is 2^-24.
inline double sigmoid_ulp_error(float y, double exact) {
  if (exact == 1.0 && !std::isnan(y) && y != 1.0f) {
    return std::fabs(static_cast<double>(y) - 1.0) / std::ldexp(1.0, -24);
  }
  return ulp_error<float>(y, exact);
}

}  // namespace logistic_test

#endif
