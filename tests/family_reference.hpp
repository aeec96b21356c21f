// Test support: double-precision references for the float functions of the logistic family
// (issue 3): logit, log_sigmoid, softplus, sigmoid_grad, silu, silu_grad and
// sigmoid_backward's exact dy * y * (1 - y).
//
// Like tests/reference.hpp, nothing here calls the library. Every formula is chosen so that
// no subtraction cancels: the relative error of each reference is a few 2^-53, far below
// the 2^-24 of a float ULP, everywhere a float result can land (tests/
// test_family_reference.cpp checks this against MPFR, the zero of silu_grad included). The
// references of one input share their transcendental calls (family_references below), so
// that the exhaustive harness pays for one exp and one log1p per input, whatever the number
// of functions, tiers and instruction sets it checks.
//
// Besides its value rounded to double, a reference carries the sign of what that rounding
// removed where it matters: when the double is a power of two 2^k, the true value may lie
// just below it, in the binade whose float spacing is half as large (sigmoid_grad(x) just
// below 0.25 for tiny x, silu(x) just below x for large x, ...). ulp_of_exact() then uses
// the spacing below, so a result n floats below 2^k counts as n ULP, not n / 2.
#ifndef LOGISTIC_TESTS_FAMILY_REFERENCE_HPP
#define LOGISTIC_TESTS_FAMILY_REFERENCE_HPP

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "reference.hpp"

namespace logistic_test {

// The exact value rounded to double, and the sign of (exact - value) where the harness needs
// it: -1 or +1 when known and the double is a power of two, else 0 (exact, or no binade
// boundary at stake).
struct exact_value {
  double value;
  int residual = 0;
};

// True for the normal doubles 2^k (a bit test: the harness asks once per input).
inline bool is_power_of_two(double a) {
  const std::uint64_t b = bits(a);
  const std::uint64_t exponent = b >> 52;  // the sign bit makes negatives fail below
  return (b & 0x000fffffffffffffu) == 0 && exponent != 0 && exponent < 0x7ff;
}

// The spacing of T around the exact value (tests/reference.hpp's ulp_of), taken in the
// binade below when the exact value lies just below a power of two.
template <class T>
double ulp_of_exact(const exact_value& e) {
  const double u = ulp_of<T>(e.value);
  const double a = std::fabs(e.value);
  const bool magnitude_below = (e.residual < 0) != std::signbit(e.value) && e.residual != 0;
  if (magnitude_below && is_power_of_two(a) &&
      a > static_cast<double>(std::numeric_limits<T>::min())) {
    return u / 2;
  }
  return u;
}

// 1 / ulp_of_exact<float>(e) for a finite e, from the exponent bits alone: the exhaustive
// harness needs one per function and input, and frexp/ldexp would cost more than the
// function under test. test_family_reference.cpp checks it against ulp_of_exact.
inline double inverse_float_ulp_of_exact(const exact_value& e) {
  const std::uint64_t b = bits(e.value);
  const int binade = static_cast<int>((b >> 52) & 0x7ff) - 1023;  // |value| in [2^binade, 2^(binade+1))
  if (binade < -126) return 0x1p149;  // below the smallest normal float (0 and tiny doubles too)
  int ulp_exponent = binade - 23;
  const bool magnitude_below = (e.residual < 0) != std::signbit(e.value) && e.residual != 0;
  if (magnitude_below && binade > -126 && (b & 0x000fffffffffffffu) == 0) --ulp_exponent;
  const std::uint64_t inverse = static_cast<std::uint64_t>(1023 - ulp_exponent) << 52;
  double r;
  std::memcpy(&r, &inverse, sizeof r);
  return r;
}

// |y - exact| in ULPs of the exact value (0 when both are the same infinity, or both NaN).
template <class T>
double ulp_error(T y, const exact_value& e) {
  const double yd = static_cast<double>(y);
  if (std::isnan(e.value) || std::isnan(yd)) {
    return std::isnan(e.value) && std::isnan(yd) ? 0.0 : std::numeric_limits<double>::infinity();
  }
  if (yd == e.value) return 0.0;
  if (std::isinf(e.value) || std::isinf(yd)) return std::numeric_limits<double>::infinity();
  return std::fabs(yd - e.value) / ulp_of_exact<T>(e);
}

// ---------------------------------------------------------------------------------------
// logit(p) = log(p / (1 - p)); -inf at 0 (and -0), +inf at 1, NaN outside [0, 1].
inline exact_value logit_reference(float p) {
  const double pd = p;
  if (std::isnan(pd) || pd < 0 || pd > 1) return {std::numeric_limits<double>::quiet_NaN()};
  if (pd == 0) return {-std::numeric_limits<double>::infinity()};
  if (pd == 1) return {std::numeric_limits<double>::infinity()};
  // Below 1/4 the result is below log(1/3) = -1.1, so log's absolute error is also a small
  // relative one. From 1/4 up, 2p - 1 and 1 - p are exact in double for a float p, and
  // log1p keeps the relative accuracy near p = 1/2, where logit(p) ~ 4 (p - 1/2) -> 0.
  if (pd < 0.25) return {std::log(pd / (1 - pd))};
  return {std::log1p((2 * pd - 1) / (1 - pd))};
}

// ---------------------------------------------------------------------------------------
// The functions of x built on e^-|x|.

// x0 = -1 - W(1/e), the zero of silu_grad, as a double-double (mpmath, 300 bits), and
// c = W(1/e) = e^x0 = -(1 + x0) rounded to double.
constexpr double silu_grad_zero_hi = -0x1.474973c84120bp+0;
constexpr double silu_grad_zero_lo = -0x1.f8d74bc9ac154p-54;
constexpr double silu_grad_zero_exp = 0x1.1d25cf210482ep-2;
// Around x0, 1 + x + e^x cancels; within this distance the harness uses the form below.
constexpr double silu_grad_zero_window = 0.25;

// (1 + e^x)^2 silu_grad(x) = e^x (1 + x + e^x) for x < 0, with e = e^x given.
// h(x) = 1 + x + e^x cancels near its zero x0: with d = x - x0 and e^x0 = -(1 + x0),
// h = d + e^x0 (e^d - 1), a sum of two terms of the sign of d. d itself is x - x0_hi
// (exact: x and x0 are within a factor 2) minus x0_lo, so its relative error is 2^-53
// even for the float closest to x0 (2^-26.2 away).
inline double silu_grad_negative(double x, double e) {
  const double d = x - silu_grad_zero_hi;
  double h;
  if (std::fabs(d) < silu_grad_zero_window) {
    const double dd = d - silu_grad_zero_lo;
    h = dd + silu_grad_zero_exp * std::expm1(dd);
  } else {
    h = (1 + x) + e;  // |1 + x| + e < 2.4 |h| outside the window
  }
  return e * h;
}

// All references of x at once: one exp and one log1p (and an expm1 near the zero of
// silu_grad), shared by every function, tier and instruction set of the harness.
struct family_references {
  exact_value sigmoid, log_sigmoid, softplus, sigmoid_grad, silu, silu_grad;
  // |x silu_grad'(x) / silu_grad(x)|, the relative condition number of silu_grad (the 2 ULP
  // bound holds where it is below 4); only good to a few digits, enough to classify x.
  double silu_grad_condition;
};

inline family_references family_references_of(float xf) {
  const double x = xf;
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (std::isnan(x)) {
    const exact_value nan{x};
    return {nan, nan, nan, nan, nan, nan, 0.0};
  }
  if (std::isinf(x)) {
    // Limits: log_sigmoid -> x or 0, softplus -> 0 or x, sigmoid_grad -> 0, silu -> -0 or x
    // (x e^x -> 0 from below), silu_grad -> -0 or 1. Exact, hence condition 0.
    const bool pos = x > 0;
    return {{pos ? 1.0 : 0.0},  {pos ? -0.0 : -inf}, {pos ? inf : 0.0}, {0.0},
            {pos ? inf : -0.0}, {pos ? 1.0 : -0.0},  0.0};
  }
  const double a = std::fabs(x);
  double e, l;  // e^-a and log1p(e^-a)
  if (a < 0x1p-30) {
    // A quarter of all floats: the Taylor terms dropped, a^3/6 and a^3/48, are below 2^-90
    // relative, and two library calls per input are saved.
    constexpr double ln2 = 0x1.62e42fefa39efp-1;
    e = (1 - a) + 0.5 * a * a;
    l = (ln2 - 0.5 * a) + 0.125 * a * a;
  } else {
    // e^-a is below the smallest double subnormal past 745.2; no float result needs more.
    e = a < 746 ? std::exp(-a) : 0.0;
    // log1p(e) = e (1 - e/2 + ...): below 2^-54 the correction is under half an ULP.
    l = e < 0x1p-54 ? e : std::log1p(e);
  }
  const double one_e = 1 + e;
  // One division, shared: every quotient below is a product with 1 / (1 + e), one more
  // rounding each (the MPFR test bounds the total).
  const double inv = 1 / one_e;
  const double inv2 = inv * inv;

  family_references r{};
  // log sigma(x) = -log(1 + e^-x): -log1p(e^-x) for x > 0, x - log1p(e^x) below (two
  // terms of one sign). softplus(x) = -log_sigmoid(-x).
  r.log_sigmoid = {x > 0 ? -l : x - l};
  r.softplus = {x > 0 ? x + l : l};

  // sigma'(x) = e / (1 + e)^2, even; at most 0.25, reached only at x = 0.
  const double grad = e * inv2;
  r.sigmoid_grad = {grad, grad == 0.25 && x != 0 ? -1 : 0};

  // sigma(x) = 1 / (1 + e) or e / (1 + e). It rounds to 1 in double (x > 36.7) while the
  // exact value stays below, and to 1/2 for tiny x while the exact value is 1/2 + x/4.
  const double sigma = x >= 0 ? inv : e * inv;
  int sigma_residual = 0;
  if (sigma == 1) sigma_residual = -1;
  if (sigma == 0.5 && x != 0) sigma_residual = x > 0 ? 1 : -1;
  r.sigmoid = {sigma, sigma_residual};

  // silu(x) = x sigma(x).
  const double silu = x * sigma;
  int silu_residual = 0;
  if (x > 0 && silu == x) silu_residual = -1;    // x sigma(x) < x
  if (x != 0 && silu == x / 2) silu_residual = 1;  // x/2 + x^2/4 + O(x^4)
  r.silu = {silu, silu_residual};

  // silu'(x) = sigma(x) (1 + x sigma(-x)) = (1 + e (1 + x)) / (1 + e)^2 for x >= 0 (all
  // terms positive), silu_grad_negative() below 0.
  const double silu_grad = x >= 0 ? (1 + e * (1 + x)) * inv2 : silu_grad_negative(x, e) * inv2;
  int silu_grad_residual = 0;
  if (silu_grad == 0.5 && x != 0) silu_grad_residual = x > 0 ? 1 : -1;  // 1/2 + x/2 + ...
  if (silu_grad == 1 && x > 0) silu_grad_residual = 1;  // 1 + (x - 1) e^-x + ... for large x
  r.silu_grad = {silu_grad, silu_grad_residual};

  // silu''(x) = sigma'(x) (2 - x tanh(x / 2)), tanh(|x| / 2) = (1 - e) / (1 + e). For
  // x >= 0 the condition number stays below 1.8 (x f' <= 2 x sigma'(x) < 0.9, f >= 1/2).
  if (x >= 0) {
    r.silu_grad_condition = 0;
    return r;
  }
  const double second = grad * (2 + x * (1 - e) * inv);
  r.silu_grad_condition = silu_grad == 0 ? inf : std::fabs(x * second / silu_grad);
  return r;
}

inline exact_value log_sigmoid_reference(float x) { return family_references_of(x).log_sigmoid; }
inline exact_value softplus_reference(float x) { return family_references_of(x).softplus; }
inline exact_value sigmoid_grad_reference(float x) { return family_references_of(x).sigmoid_grad; }
inline exact_value silu_reference(float x) { return family_references_of(x).silu; }
inline exact_value silu_grad_reference(float x) { return family_references_of(x).silu_grad; }
inline double silu_grad_condition(float x) { return family_references_of(x).silu_grad_condition; }

// ---------------------------------------------------------------------------------------
// sigmoid_backward: the exact dy * y * (1 - y) for float y and dy, rounded to double.

namespace detail {
// a * b = p + err exactly (Dekker's product with Veltkamp's split; no fma needed).
inline double product_error(double a, double b, double p) {
  constexpr double split = 134217729.0;  // 2^27 + 1
  const double ta = split * a, a_hi = ta - (ta - a), a_lo = a - a_hi;
  const double tb = split * b, b_hi = tb - (tb - b), b_lo = b - b_hi;
  return ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo;
}
}  // namespace detail

// dy * y is exact in double (24 x 24 bits, far from the exponent limits); 1 - y rounds at
// most once and dy * y * (1 - y) once more, with no cancellation: relative error < 2^-52.
// Infinite and NaN factors follow IEEE (0 * inf -> NaN).
inline exact_value sigmoid_backward_reference(float y, float dy) {
  const double yd = y, a = static_cast<double>(dy) * yd;
  const double b = 1 - yd;
  const double value = a * b;
  exact_value r{value};
  if (is_power_of_two(std::fabs(value))) {
    // Whether the exact product lies above or below 2^k: 1 - y = b + b_err (Knuth's
    // two-sum) and a * b = value + p_err, so exact - value = p_err + a * b_err.
    const double bv = b - 1;
    const double b_err = (1 - (b - bv)) + (-yd - bv);
    const double rest = detail::product_error(a, b, value) + a * b_err;
    r.residual = rest > 0 ? 1 : rest < 0 ? -1 : 0;
  }
  return r;
}

// The float result of an exact value beyond the largest float is +-inf (round to nearest):
// true when |exact| >= 2^128 - 2^103, the midpoint between FLT_MAX and 2^128.
inline bool rounds_to_float_infinity(double exact) {
  return std::fabs(exact) >= 0x1p128 - 0x1p103;
}

// dy for the exhaustive sigmoid_backward sweep, derived from y's bits so that every y meets
// one deterministic dy, spread over four kinds: any float at all (all binades, subnormals,
// +-0, +-inf, NaN), |dy| in [1/2, 2), |dy| in [2^-20, 2^20), and dy = +-1.
inline float backward_dy_of(float y) {
  std::uint32_t h = bits(y);  // murmur3's finalizer: every bit of y moves every bit of h
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  const std::uint32_t sign = h & 0x80000000u, mantissa = h & 0x007fffffu;
  switch ((h >> 23) & 3u) {
    case 0:
      return float_from_bits(h * 0x9e3779b1u);
    case 1:
      return float_from_bits(sign | ((126u + ((h >> 25) & 1u)) << 23) | mantissa);
    case 2:
      return float_from_bits(sign | ((107u + (h >> 25) % 40u) << 23) | mantissa);
    default:
      return float_from_bits(sign | 0x3f800000u);
  }
}

}  // namespace logistic_test

#endif
