// Special values, saturation, underflow, range, accuracy on a strided sweep, FTZ/DAZ
// independence and lane-versus-scalar bit identity of logistic::sigmoid_grad,
// logistic::fast::sigmoid_grad and logistic::sigmoid_backward (the contract block of
// include/logistic/sigmoid_grad.hpp).
//
// References are computed in double (float results) or long double (double results), never
// by the library; the double-result bounds are checked against MPFR in
// test_grad_family_double_mpfr.cpp.
#include <logistic/logistic.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"
#include "failure_log.hpp"
#include "ftz_daz.hpp"
#include "reference.hpp"
#include "sample_divisor.hpp"


namespace {

using logistic_test::bits;
using logistic_test::failure_log;
using logistic_test::float_from_bits;
using logistic_test::ulp_error;

using A = xsimd::default_arch;
template <class T>
using batch = xsimd::batch<T, A>;

struct grad_faithful {
  static constexpr const char* name = "logistic::sigmoid_grad";
  template <class T>
  static T scalar(T x) {
    return logistic::sigmoid_grad(x);
  }
  template <class T>
  static batch<T> simd(batch<T> x) {
    return logistic::sigmoid_grad(x);
  }
  template <class T>
  static void array(const T* in, T* out, std::size_t n) {
    logistic::sigmoid_grad(in, out, n);
  }
};

struct grad_fast {
  static constexpr const char* name = "logistic::fast::sigmoid_grad";
  template <class T>
  static T scalar(T x) {
    return logistic::fast::sigmoid_grad(x);
  }
  template <class T>
  static batch<T> simd(batch<T> x) {
    return logistic::fast::sigmoid_grad(x);
  }
  template <class T>
  static void array(const T* in, T* out, std::size_t n) {
    logistic::fast::sigmoid_grad(in, out, n);
  }
};

const char* type_name(float) { return "float"; }
const char* type_name(double) { return "double"; }

std::string show(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a (%.17g)", x, x);
  return buf;
}

template <class T>
bool is_positive_zero(T y) {
  return y == T(0) && !std::signbit(y);
}
template <class T>
bool is_negative_zero(T y) {
  return y == T(0) && std::signbit(y);
}

bool long_double_is_wider() { return std::numeric_limits<long double>::digits >= 64; }

// sigma'(x) = e / (1 + e)^2, e = e^-|x|, in long double (no cancellation).
long double sigmoid_grad_exact(long double x) {
  const long double e = std::exp(-std::fabs(x));
  return e / ((1.0L + e) * (1.0L + e));
}

template <class T>
long double ulps(T y, long double exact) {
  if (std::isnan(y) || std::isnan(exact)) return std::isnan(y) && std::isnan(exact) ? 0 : 1e30L;
  if (std::isinf(exact)) return static_cast<long double>(y) == exact ? 0 : 1e30L;
  const long double a = std::fabs(exact);
  int e = 0;
  std::frexp(a, &e);
  const long double ulp = a < static_cast<long double>(std::numeric_limits<T>::min())
                              ? static_cast<long double>(std::numeric_limits<T>::denorm_min())
                              : std::ldexp(1.0L, e - std::numeric_limits<T>::digits);
  return std::fabs(static_cast<long double>(y) - exact) / ulp;
}

template <class F, class T>
std::vector<std::pair<const char*, T>> at_every_level(T x) {
  constexpr std::size_t w = batch<T>::size;
  std::vector<std::pair<const char*, T>> r;
  r.emplace_back("scalar", F::scalar(x));
  alignas(A::alignment()) T lanes[w];
  F::simd(batch<T>(x)).store_aligned(lanes);
  r.emplace_back("batch, every lane", lanes[w - 1]);
  for (std::size_t i = 0; i < w; ++i) lanes[i] = T(0.25) * static_cast<T>(i) - T(1);
  lanes[w / 2] = x;
  F::simd(batch<T>::load_aligned(lanes)).store_aligned(lanes);
  r.emplace_back("batch, one lane among ordinary values", lanes[w / 2]);
  const std::vector<T> in(5 * w + 1, x);
  std::vector<T> out(in.size(), T(-42));
  F::array(in.data(), out.data(), in.size());
  r.emplace_back("array, four-batch loop", out[0]);
  r.emplace_back("array, one-batch loop", out[4 * w]);
  r.emplace_back("array, tail", out[5 * w]);
  return r;
}

template <class F, class T, class Pred>
void check_every_level(T x, const char* expected, Pred pred) {
  for (const auto& r : at_every_level<F>(x)) {
    INFO(F::name << "<" << type_name(T{}) << ">, " << r.first << ": f(" << show(double(x))
                 << ") = " << show(double(r.second)) << ", expected " << expected);
    CHECK(pred(r.second));
  }
}

template <class F>
void for_each_type(F f) {
  f(0.0f);
  f(0.0);
}

}  // namespace

// =======================================================================================
// sigmoid_grad

TEST_CASE("sigmoid_grad: NaN -> NaN, +-inf -> +0, +-0 -> exactly 0.25, +-max -> +0",
          "[sigmoid_grad][special]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    const auto both = [](T x, const char* what, auto pred) {
      check_every_level<grad_faithful>(x, what, pred);
      check_every_level<grad_fast>(x, what, pred);
    };
    for (const T x : {L::quiet_NaN(), -L::quiet_NaN(), L::signaling_NaN()}) {
      both(x, "NaN", [](T y) { return std::isnan(y); });
    }
    for (const T x : {L::infinity(), -L::infinity(), L::max(), -L::max()}) {
      both(x, "+0", [](T y) { return is_positive_zero(y); });
    }
    for (const T x : {T(0), -T(0), L::denorm_min(), -L::denorm_min(), L::min(), -L::min()}) {
      both(x, "0.25", [](T y) { return y == T(0.25); });
    }
  });
}

TEST_CASE("sigmoid_grad is even, bit for bit", "[sigmoid_grad][special]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    std::mt19937_64 rng(7);
    std::vector<T> in(100000), neg(in.size()), a(in.size()), b(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      in[i] = std::ldexp(T(rng() % 1000000) / T(1000000), int(rng() % 20) - 10);
      neg[i] = -in[i];
    }
    for (const bool fast : {false, true}) {
      if (fast) {
        logistic::fast::sigmoid_grad(in.data(), a.data(), in.size());
        logistic::fast::sigmoid_grad(neg.data(), b.data(), in.size());
      } else {
        logistic::sigmoid_grad(in.data(), a.data(), in.size());
        logistic::sigmoid_grad(neg.data(), b.data(), in.size());
      }
      std::size_t differ = 0;
      for (std::size_t i = 0; i < in.size(); ++i) differ += bits(a[i]) != bits(b[i]);
      INFO(type_name(T{}) << (fast ? " fast" : " faithful"));
      CHECK(differ == 0);
    }
  });
}

TEST_CASE("sigmoid_grad has no 1 - sigma cancellation: accurate where s (1 - s) is 0",
          "[sigmoid_grad][special]") {
  // In float, s (1 - s) is exactly 0 from x = 16.6 on (s rounds to 1); the exact value
  // there is e^-x to 2^-24.
  for (const float x : {17.0f, 20.0f, 30.0f, 40.0f, 60.0f, 87.0f}) {
    const double exact = std::exp(-double(x)) / ((1 + std::exp(-double(x))) * (1 + std::exp(-double(x))));
    check_every_level<grad_faithful>(x, "within 1 ULP of e^-x", [exact](float y) {
      return ulp_error<float>(y, exact) < 1.0;
    });
    check_every_level<grad_faithful>(-x, "within 1 ULP of e^-x", [exact](float y) {
      return ulp_error<float>(y, exact) < 1.0;
    });
    check_every_level<grad_fast>(x, "within 4 ULP of e^-x", [exact](float y) {
      return ulp_error<float>(y, exact) <= 4.0;
    });
  }
}

TEST_CASE("float sigmoid_grad: < 1 ULP (faithful) / <= 4 ULP (fast), in [0, 0.25], NaN only "
          "for NaN, over a strided sweep of all floats",
          "[sigmoid_grad][accuracy]") {
  std::vector<float> in;
  const std::uint64_t step = logistic_test::sparser<std::uint64_t>(509);
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFu; b += step) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(b)));
  }
  std::vector<float> f(in.size()), q(in.size());
  logistic::sigmoid_grad(in.data(), f.data(), in.size());
  logistic::fast::sigmoid_grad(in.data(), q.data(), in.size());
  failure_log failures;
  double worst_f = 0, worst_q = 0;
  std::size_t subnormal_results = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const float x = in[i];
    const auto fail = [&](const char* what) {
      if (failures.record())
        failures.describe(std::string(what) + ": x = " + show(double(x)) + ", faithful " +
                          show(double(f[i])) + ", fast " + show(double(q[i])));
    };
    if (std::isnan(x)) {
      if (!std::isnan(f[i]) || !std::isnan(q[i])) fail("NaN");
      continue;
    }
    if (!(f[i] >= 0.0f && f[i] <= 0.25f) || !(q[i] >= 0.0f && q[i] <= 0.25f)) fail("range");
    const double e = std::exp(-std::fabs(double(x)));
    const double exact = e / ((1 + e) * (1 + e));
    const double uf = ulp_error<float>(f[i], exact);
    worst_f = std::max(worst_f, uf);
    if (!(uf < 1.0)) fail("faithful error");
    if (exact < 0x1p-126 && f[i] != 0.0f) ++subnormal_results;
    if (exact >= 0x1p-126) {
      const double uq = ulp_error<float>(q[i], exact);
      worst_q = std::max(worst_q, uq);
      if (!(uq <= 4.0)) fail("fast error");
    }
  }
  std::printf("%s float sigmoid_grad (strided): faithful max %.3f ULP, fast max %.3f ULP\n",
              xsimd::default_arch::name(), worst_f, worst_q);
  INFO(failures.count() << " failures:\n" << failures.first());
  CHECK(subnormal_results > 1000);
  CHECK(failures.count() == 0);
}

TEST_CASE("faithful sigmoid_grad computes subnormal results within 1 ULP, +0 from 150 ln 2 "
          "(float) / 1075 ln 2 (double) on",
          "[sigmoid_grad][subnormal]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  for_each_type([](auto zero) {
    using T = decltype(zero);
    const bool f = sizeof(T) == 4;
    const T lo = f ? T(80) : T(700), hi = f ? T(106) : T(747);
    const long double zero_from = (f ? 150 : 1075) * std::log(2.0L);
    std::vector<T> in;
    for (T x = lo; x <= hi; x += f ? T(0x1p-11) : T(0x1p-9)) {
      in.push_back(x);
      in.push_back(-x);
    }
    std::vector<T> out(in.size());
    logistic::sigmoid_grad(in.data(), out.data(), in.size());
    failure_log failures;
    std::size_t subnormal = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const long double exact = sigmoid_grad_exact(in[i]);
      const bool tiny = exact < static_cast<long double>(std::numeric_limits<T>::min());
      if (tiny && out[i] > T(0)) ++subnormal;
      // The smallest subnormal stands for exact values above half of it.
      const bool ok = std::fabs(static_cast<long double>(in[i])) > zero_from + 1e-3L
                          ? is_positive_zero(out[i])
                          : ulps(out[i], exact) < 1.0L;
      if (!ok && failures.record())
        failures.describe("sigmoid_grad(" + show(double(in[i])) + ") = " + show(double(out[i])));
    }
    INFO(type_name(T{}) << ": " << subnormal << " subnormal results:\n" << failures.first());
    CHECK(subnormal > in.size() / 4);
    CHECK(failures.count() == 0);
  });
}

TEST_CASE("double sigmoid_grad on random inputs (long double reference)",
          "[sigmoid_grad][accuracy]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  std::mt19937_64 rng(0x96ad);
  std::uniform_real_distribution<double> common(-50.0, 50.0);
  std::vector<double> in(logistic_test::fewer<std::size_t>(200000)), f(in.size()), q(in.size());
  for (double& x : in) x = common(rng);
  logistic::sigmoid_grad(in.data(), f.data(), in.size());
  logistic::fast::sigmoid_grad(in.data(), q.data(), in.size());
  long double worst_f = 0, worst_q = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const long double exact = sigmoid_grad_exact(in[i]);
    worst_f = std::max(worst_f, ulps(f[i], exact));
    worst_q = std::max(worst_q, ulps(q[i], exact));
  }
  std::printf("%s double sigmoid_grad (long double ref): faithful %.3Lf, fast %.3Lf ULP\n",
              xsimd::default_arch::name(), worst_f, worst_q);
  // long double's own error is 2^-11 double ULP.
  CHECK(worst_f < 1.0L - 0x1p-10L);
  CHECK(worst_q <= 4.0L);
}

// =======================================================================================
// sigmoid_backward

namespace {

// dy y (1 - y) for float inputs, in double: 1 - y and y (1 - y) are exact or within
// 2^-53, so the reference is within 3 2^-53 relative of the exact value.
double backward_reference(float y, float dy) {
  return static_cast<double>(dy) * (static_cast<double>(y) * (1.0 - static_cast<double>(y)));
}

long double backward_exact(double y, double dy) {
  return static_cast<long double>(dy) * static_cast<long double>(y) *
         (1.0L - static_cast<long double>(y));
}

template <class T>
std::vector<std::pair<const char*, T>> backward_at_every_level(T y, T dy) {
  constexpr std::size_t w = batch<T>::size;
  std::vector<std::pair<const char*, T>> r;
  r.emplace_back("scalar", logistic::sigmoid_backward(y, dy));
  alignas(A::alignment()) T out[w];
  logistic::sigmoid_backward(batch<T>(y), batch<T>(dy)).store_aligned(out);
  r.emplace_back("batch", out[w - 1]);
  std::vector<T> ys(5 * w + 1, y), dys(ys.size(), dy), dx(ys.size(), T(-42));
  logistic::sigmoid_backward(ys.data(), dys.data(), dx.data(), ys.size());
  r.emplace_back("array, four-batch loop", dx[0]);
  r.emplace_back("array, one-batch loop", dx[4 * w]);
  r.emplace_back("array, tail", dx[5 * w]);
  return r;
}

template <class T, class Pred>
void check_backward(T y, T dy, const char* expected, Pred pred) {
  for (const auto& r : backward_at_every_level(y, dy)) {
    INFO("sigmoid_backward<" << type_name(T{}) << ">, " << r.first << ": (y, dy) = ("
                             << show(double(y)) << ", " << show(double(dy)) << ") -> "
                             << show(double(r.second)) << ", expected " << expected);
    CHECK(pred(r.second));
  }
}

}  // namespace

TEST_CASE("sigmoid_backward follows IEEE semantics: NaN, infinities, signed zeros, y outside "
          "[0, 1]",
          "[sigmoid_backward][special]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    const T nan = L::quiet_NaN(), inf = L::infinity();
    const auto is_nan = [](T v) { return std::isnan(v); };
    check_backward(nan, T(1), "NaN", is_nan);
    check_backward(T(0.5), nan, "NaN", is_nan);
    check_backward(T(0), inf, "NaN (0 * inf)", is_nan);
    check_backward(T(1), inf, "NaN (inf * 0)", is_nan);
    check_backward(T(0.5), -inf, "-inf", [](T v) { return v == -std::numeric_limits<T>::infinity(); });
    check_backward(inf, T(1), "-inf (1 - inf)", [](T v) { return v == -std::numeric_limits<T>::infinity(); });
    check_backward(-inf, T(2), "-inf", [](T v) { return v == -std::numeric_limits<T>::infinity(); });
    check_backward(inf, T(0), "NaN", is_nan);
    // Signed zeros: the sign of (dy y) (1 - y).
    check_backward(T(0), T(3), "+0", [](T v) { return is_positive_zero(v); });
    check_backward(T(0), T(-3), "-0", [](T v) { return is_negative_zero(v); });
    check_backward(-T(0), T(3), "-0", [](T v) { return is_negative_zero(v); });
    check_backward(T(1), T(-3), "-0", [](T v) { return is_negative_zero(v); });
    check_backward(T(1), T(3), "+0", [](T v) { return is_positive_zero(v); });
    check_backward(T(0.25), T(0), "+0", [](T v) { return is_positive_zero(v); });
    check_backward(T(0.25), -T(0), "-0", [](T v) { return is_negative_zero(v); });
    check_backward(L::denorm_min(), -T(0), "-0", [](T v) { return is_negative_zero(v); });
    // y outside [0, 1] just follows the formula (exact cases).
    check_backward(T(2), T(3), "-6", [](T v) { return v == T(-6); });
    check_backward(T(-1), T(1), "-2", [](T v) { return v == T(-2); });
    check_backward(T(0.5), T(1), "0.25", [](T v) { return v == T(0.25); });
    check_backward(T(0.75), T(-16), "-3", [](T v) { return v == T(-3); });
    // Overflow and the largest values.
    check_backward(T(0.5), L::max(), "max / 4", [](T v) { return v == std::numeric_limits<T>::max() / 4; });
    check_backward(-L::max(), T(2), "-inf", [](T v) { return v == -std::numeric_limits<T>::infinity(); });
  });
}

TEST_CASE("float sigmoid_backward is within 2 ULP of dy y (1 - y) over random, extreme and "
          "subnormal inputs",
          "[sigmoid_backward][accuracy]") {
  std::mt19937 rng(0xBAC);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::uniform_int_distribution<int> binade(-160, 127);
  std::uniform_int_distribution<std::uint32_t> any_bits(0, 0xFFFFFFFFu);
  std::vector<float> y, dy;
  const int count = logistic_test::fewer(1000000);
  for (int i = 0; i < count; ++i) {
    switch (i % 5) {
      case 0:  // sigmoid outputs and ordinary gradients
        y.push_back(unit(rng));
        dy.push_back(std::ldexp(unit(rng) - 0.5f, binade(rng) / 8));
        break;
      case 1:  // saturated outputs: tiny y, y near 1
        y.push_back(std::ldexp(unit(rng), binade(rng) / 2 - 60));
        dy.push_back(std::ldexp(unit(rng) - 0.5f, binade(rng) / 2));
        break;
      case 2:
        y.push_back(1.0f - std::ldexp(unit(rng), -(i % 25)));
        dy.push_back(std::ldexp(unit(rng), binade(rng) / 3));
        break;
      case 3:  // any magnitudes (subnormal inputs and results, overflow)
        y.push_back(std::ldexp(unit(rng) - 0.5f, binade(rng)));
        dy.push_back(std::ldexp(unit(rng) - 0.5f, binade(rng)));
        break;
      default:  // any bit patterns
        y.push_back(float_from_bits(any_bits(rng)));
        dy.push_back(float_from_bits(any_bits(rng)));
    }
  }
  std::vector<float> dx(y.size());
  logistic::sigmoid_backward(y.data(), dy.data(), dx.data(), y.size());
  failure_log failures;
  double worst = 0, worst_subnormal = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double exact = backward_reference(y[i], dy[i]);
    const float got = dx[i];
    double u = 0;
    if (std::isnan(exact)) {
      if (!std::isnan(got)) u = 1e30;
    } else if (std::fabs(exact) >= 0x1.fffffep127 * (1 + 0x1p-25)) {
      if (got != static_cast<float>(exact)) u = 1e30;  // overflow to +-inf
    } else {
      u = ulp_error<float>(got, exact);
    }
    if (std::fabs(exact) < 0x1p-126) worst_subnormal = std::max(worst_subnormal, u);
    else worst = std::max(worst, u);
    if (!(u < 2.0) && failures.record())
      failures.describe("sigmoid_backward(" + show(double(y[i])) + ", " + show(double(dy[i])) +
                        ") = " + show(double(got)) + ", exact " + show(exact));
  }
  std::printf("%s float sigmoid_backward: max %.3f ULP (normal results), %.3f (subnormal)\n",
              xsimd::default_arch::name(), worst, worst_subnormal);
  INFO(failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
  CHECK(worst_subnormal < 1.0);
}

#if defined(__FMA__) || defined(__ARM_FEATURE_FMA)
// With a fused multiply-add the contract is one formula, RN(dy RN(y - y^2)), for every y
// in [0, 1]: the tiny and subnormal results and subnormal factors, which FTZ/DAZ send out
// of line, must get that formula's bits too, and so must every lane of a batch that goes
// out of line for another lane (every 7th y here lies outside [0, 1]). The reference is
// the formula itself, in the test's IEEE arithmetic (std::fma, one product).
TEST_CASE("with a fused multiply-add, sigmoid_backward(y, dy) is RN(dy RN(y - y^2)) for y in "
          "[0, 1], subnormal factors and results included",
          "[sigmoid_backward][accuracy]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    std::mt19937_64 rng(0x5B5);
    std::uniform_real_distribution<T> unit(T(0), T(1));
    const int min_exp = L::min_exponent - L::digits;  // the smallest subnormal's exponent
    std::vector<T> y, dy;
    for (int i = 0; i < 40000; ++i) {
      // y anywhere in [0, 1] by binade (subnormal y included), dy from subnormal to
      // huge, with products around the smallest normal.
      const int ey = -static_cast<int>(rng() % static_cast<unsigned>(-min_exp + 2));
      y.push_back(i % 7 == 3 ? T(-2) : std::min(T(1), std::ldexp(unit(rng), ey)));
      const int target = L::min_exponent - 4 + static_cast<int>(rng() % 8);  // |dx| near min
      const int edy = i % 3 == 0 ? min_exp + static_cast<int>(rng() % 30)
                                 : std::min(L::max_exponent - 1, target - ey);
      dy.push_back((rng() % 2 ? T(-1) : T(1)) * std::ldexp(unit(rng) + T(0.5), edy));
    }
    std::vector<T> dx(y.size());
    logistic::sigmoid_backward(y.data(), dy.data(), dx.data(), y.size());
    failure_log failures;
    std::size_t subnormal = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (y[i] < T(0)) continue;
      const T expected = dy[i] * std::fma(-y[i], y[i], y[i]);
      subnormal += std::fabs(expected) < L::min() && expected != T(0);
      if (bits(dx[i]) != bits(expected) && failures.record())
        failures.describe(std::string("sigmoid_backward<") + type_name(T{}) + ">(" + show(double(y[i])) +
                          ", " + show(double(dy[i])) + ") = " + show(double(dx[i])) +
                          ", RN(dy RN(y - y^2)) = " + show(double(expected)));
    }
    INFO(failures.count() << " differ:\n" << failures.first());
    CHECK(failures.count() == 0);
    CHECK(subnormal > 5000);  // the out-of-line cases were exercised
  });
}
#endif

TEST_CASE("double sigmoid_backward is within 2 ULP (long double reference)",
          "[sigmoid_backward][accuracy]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  std::mt19937_64 rng(0xBAD);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> binade(-1100, 1023);
  std::vector<double> y, dy;
  const int count = logistic_test::fewer(300000);
  for (int i = 0; i < count; ++i) {
    if (i % 2) {
      y.push_back(unit(rng));
      dy.push_back(std::ldexp(unit(rng) - 0.5, binade(rng) / 16));
    } else {
      y.push_back(std::ldexp(unit(rng) - 0.5, binade(rng)));
      dy.push_back(std::ldexp(unit(rng) - 0.5, binade(rng)));
    }
  }
  std::vector<double> dx(y.size());
  logistic::sigmoid_backward(y.data(), dy.data(), dx.data(), y.size());
  failure_log failures;
  long double worst = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const long double exact = backward_exact(y[i], dy[i]);
    long double u;
    if (std::fabs(exact) > static_cast<long double>(std::numeric_limits<double>::max())) {
      u = std::isinf(dx[i]) && std::signbit(dx[i]) == (exact < 0) ? 0 : 1e30L;
    } else {
      u = ulps(dx[i], exact);
    }
    worst = std::max(worst, u);
    if (!(u < 2.0L) && failures.record())
      failures.describe("sigmoid_backward(" + show(y[i]) + ", " + show(dy[i]) + ") = " +
                        show(dx[i]));
  }
  std::printf("%s double sigmoid_backward (long double ref): max %.3Lf ULP\n",
              xsimd::default_arch::name(), worst);
  INFO(failures.first());
  CHECK(failures.count() == 0);
}

// =======================================================================================
// FTZ / DAZ

#if defined(__SSE2__)
namespace {

template <class T>
std::vector<T> ftz_inputs(std::mt19937_64& rng) {
  using I = typename std::conditional<sizeof(T) == 4, std::uint32_t, std::uint64_t>::type;
  const I subnormal_count = sizeof(T) == 4 ? I(0x00800000u) : I(std::uint64_t(1) << 52);
  std::vector<T> v;
  for (int i = 0; i < 200000; ++i) {
    const I b = static_cast<I>(1 + rng() % (subnormal_count - 1));
    T x;
    std::memcpy(&x, &b, sizeof x);
    v.push_back(rng() & 1 ? x : -x);
  }
  const T lo = sizeof(T) == 4 ? T(78) : T(700), hi = sizeof(T) == 4 ? T(106) : T(746);
  for (T x = lo; x <= hi; x += sizeof(T) == 4 ? T(0x1p-12) : T(0x1p-8)) {
    v.push_back(x);
    v.push_back(-x);
  }
  for (int i = 0; i < 1000000; ++i) {
    const I b = static_cast<I>(rng());
    T x;
    std::memcpy(&x, &b, sizeof x);
    v.push_back(x);
  }
  return v;
}

}  // namespace

TEST_CASE("faithful sigmoid_grad and sigmoid_backward are bit-identical with FTZ and DAZ set",
          "[sigmoid_grad][sigmoid_backward][ftz]") {
  std::mt19937_64 rng(0xF7F);
  for_each_type([&rng](auto zero) {
    using T = decltype(zero);
    const std::vector<T> x = ftz_inputs<T>(rng);
    logistic_test::check_ftz_daz("sigmoid_grad", x, [&x](std::vector<T>& a, std::vector<T>& s) {
      logistic::sigmoid_grad(x.data(), a.data(), x.size());
      for (std::size_t i = 0; i < x.size(); ++i) s[i] = logistic::sigmoid_grad(x[i]);
    });
    // sigmoid_backward: subnormal, tiny, ordinary and huge factors in every combination.
    std::vector<T> y(x.size()), dy(x.size());
    std::uniform_real_distribution<T> unit(T(0), T(1));
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::size_t j = static_cast<std::size_t>(rng() % x.size());
      switch (i % 4) {
        case 0: y[i] = unit(rng); dy[i] = x[j]; break;
        case 1: y[i] = x[j]; dy[i] = std::ldexp(unit(rng), int(rng() % 200) - 100); break;
        case 2: y[i] = std::ldexp(unit(rng), -int(rng() % 130)); dy[i] = x[j]; break;
        default: y[i] = x[i]; dy[i] = x[j];
      }
    }
    logistic_test::check_ftz_daz("sigmoid_backward", y, [&y, &dy](std::vector<T>& a,
                                                                 std::vector<T>& s) {
      logistic::sigmoid_backward(y.data(), dy.data(), a.data(), y.size());
      for (std::size_t i = 0; i < y.size(); ++i) s[i] = logistic::sigmoid_backward(y[i], dy[i]);
    });
  });
}
#endif  // __SSE2__

// =======================================================================================
// Lanes

namespace {

template <class T>
std::vector<T> grad_rare_values() {
  using L = std::numeric_limits<T>;
  const bool f = sizeof(T) == 4;
  std::vector<T> v = {T(0), L::infinity(), L::quiet_NaN(), L::denorm_min(), L::min(), L::max(),
                      f ? T(40) : T(45), std::nextafter(f ? T(40) : T(45), T(1000)),
                      f ? T(87.34) : T(708.4), f ? T(100) : T(740), f ? T(104) : T(745.2)};
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) v.push_back(-v[i]);
  return v;
}

template <class T>
std::vector<T> backward_rare_values() {
  using L = std::numeric_limits<T>;
  const bool f = sizeof(T) == 4;
  return {T(0), -T(0), T(1), L::infinity(), -L::infinity(), L::quiet_NaN(), L::denorm_min(),
          L::min(), L::max(), T(2), T(-3), f ? T(0x1p-51) : T(0x1p-401),
          f ? T(0x1p65) : T(0x1p501), f ? T(1e-30) : T(1e-300), f ? T(1e30) : T(1e300)};
}

// The unary forms and sigmoid_backward's two-input forms against their scalar forms, for
// every length 0..3W, every misalignment, out of place and in place (on either input).
template <class T, class Ordinary, class Eval, class Scalar>
void check_lanes_generic(const char* what, const std::vector<T>& rare, Ordinary ordinary,
                         int inputs, Eval eval, Scalar scalar) {
  constexpr std::size_t w = batch<T>::size;
  std::mt19937 rng(static_cast<unsigned>(w * sizeof(T) + std::size_t(inputs)));
  std::uniform_int_distribution<std::size_t> pick(0, rare.size() - 1);
  failure_log failures;
  std::size_t calls = 0;
  std::vector<T> sa(6 * w), sb(6 * w), so(6 * w), xa, xb;
  for (std::size_t n = 0; n <= 3 * w; ++n) {
    for (std::size_t offset = 0; offset < w; ++offset) {
      for (int pattern = 0; pattern < 3; ++pattern) {
        for (int place = 0; place <= inputs; ++place) {  // 0: out of place, 1: on a, 2: on b
          xa.resize(n);
          xb.resize(n);
          for (std::size_t i = 0; i < n; ++i) {
            const bool take_rare = pattern == 2 || (pattern == 1 && i % (2 * w + 1) == 0);
            xa[i] = take_rare && pick(rng) % 2 == 0 ? rare[pick(rng)] : ordinary(rng);
            xb[i] = take_rare && pick(rng) % 2 == 1 ? rare[pick(rng)] : ordinary(rng);
          }
          std::fill(sa.begin(), sa.end(), T(-42));
          std::fill(sb.begin(), sb.end(), T(-42));
          std::fill(so.begin(), so.end(), T(-42));
          T* a = sa.data() + offset;
          T* b = sb.data() + (w - 1 - offset);
          T* out = place == 1 ? a : place == 2 ? b : so.data() + (offset + 1) % w;
          std::copy(xa.begin(), xa.end(), a);
          std::copy(xb.begin(), xb.end(), b);
          eval(a, b, out, n);
          ++calls;
          for (std::size_t i = 0; i < n; ++i) {
            if (bits(out[i]) != bits(scalar(xa[i], xb[i])) && failures.record())
              failures.describe("n = " + std::to_string(n) + ", offset " +
                                std::to_string(offset) + ", place " + std::to_string(place) +
                                ", element " + std::to_string(i) + ": inputs " +
                                show(double(xa[i])) + ", " + show(double(xb[i])));
          }
          if (place == 0) {
            std::size_t touched = 0;
            for (std::size_t i = 0; i < so.size(); ++i) {
              const T* p = so.data() + i;
              if (!(p >= out && p < out + n) && bits(so[i]) != bits(T(-42))) ++touched;
            }
            if (touched != 0 && failures.record()) failures.describe("wrote outside the output");
          }
        }
      }
    }
  }
  INFO(what << "<" << type_name(T{}) << ">, W = " << w << ", " << calls << " calls:\n"
            << failures.first());
  CHECK(calls == (3 * w + 1) * w * 3 * std::size_t(inputs + 1));
  CHECK(failures.count() == 0);
}

template <class F, class T>
void check_grad_lanes() {
  std::uniform_real_distribution<T> ordinary(T(-30), T(30));
  check_lanes_generic<T>(
      F::name, grad_rare_values<T>(), [&ordinary](std::mt19937& rng) { return ordinary(rng); }, 1,
      [](const T* a, const T*, T* out, std::size_t n) { F::array(a, out, n); },
      [](T a, T) { return F::scalar(a); });
  // Batches against scalars, lane by lane.
  constexpr std::size_t w = batch<T>::size;
  const std::vector<T> rare = grad_rare_values<T>();
  std::mt19937 rng(3);
  std::uniform_int_distribution<std::size_t> pick(0, rare.size() - 1);
  alignas(A::alignment()) T lanes[w];
  alignas(A::alignment()) T result[w];
  std::size_t differ = 0;
  for (int round = 0; round < 2000; ++round) {
    for (T& v : lanes) v = round % 2 ? rare[pick(rng)] : ordinary(rng);
    lanes[static_cast<std::size_t>(round) % w] = rare[pick(rng)];
    F::simd(batch<T>::load_aligned(lanes)).store_aligned(result);
    for (std::size_t l = 0; l < w; ++l) differ += bits(result[l]) != bits(F::scalar(lanes[l]));
  }
  CHECK(differ == 0);
}

template <class T>
void check_backward_lanes() {
  std::uniform_real_distribution<T> unit(T(0), T(1));
  check_lanes_generic<T>(
      "sigmoid_backward", backward_rare_values<T>(),
      [&unit](std::mt19937& rng) { return unit(rng); }, 2,
      [](const T* a, const T* b, T* out, std::size_t n) {
        logistic::sigmoid_backward(a, b, out, n);
      },
      [](T a, T b) { return logistic::sigmoid_backward(a, b); });
}

}  // namespace

TEST_CASE("sigmoid_grad and sigmoid_backward: array, batch and scalar forms are bit-identical, "
          "every tail length 0..3W, misaligned, in place",
          "[sigmoid_grad][sigmoid_backward][lanes]") {
  check_grad_lanes<grad_faithful, float>();
  check_grad_lanes<grad_faithful, double>();
  check_grad_lanes<grad_fast, float>();
  check_grad_lanes<grad_fast, double>();
  check_backward_lanes<float>();
  check_backward_lanes<double>();
}

TEST_CASE("array forms accept n == 0 with null pointers", "[sigmoid_grad][sigmoid_backward][lanes]") {
  STATIC_REQUIRE(noexcept(logistic::sigmoid_backward(static_cast<const float*>(nullptr),
                                                     static_cast<const float*>(nullptr),
                                                     static_cast<float*>(nullptr), 0)));
  logistic::sigmoid_backward(static_cast<const float*>(nullptr), static_cast<const float*>(nullptr),
                             static_cast<float*>(nullptr), 0);
  logistic::sigmoid_backward(static_cast<const double*>(nullptr),
                             static_cast<const double*>(nullptr), static_cast<double*>(nullptr), 0);
  logistic::sigmoid_grad(static_cast<const float*>(nullptr), static_cast<float*>(nullptr), 0);
  logistic::fast::sigmoid_grad(static_cast<const double*>(nullptr), static_cast<double*>(nullptr), 0);
  const float y[1] = {0.5f}, dy[1] = {1.0f};
  float dx[1] = {-42.0f};
  logistic::sigmoid_backward(y, dy, dx, 0);
  CHECK(dx[0] == -42.0f);
}
