// Special values, saturation, underflow, range, FTZ/DAZ independence and lane-versus-scalar
// bit identity of logistic::softplus and logistic::log_sigmoid, both tiers (the contract
// block of include/logistic/softplus.hpp; design §1, §3).
//
// Each rule is checked for float and double and at every level: the scalar form, the
// batch form (every lane, or one lane among ordinary values) and the array form (the
// four-batch loop, the one-batch loop and the tail). Float accuracy is measured against a
// double reference (checked against MPFR in test_log_family_double_mpfr.cpp), double
// accuracy here against long double where it is wider (the MPFR test covers the rest).
#include <logistic/logistic.hpp>

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

std::string show(float x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a (%.9g)", static_cast<double>(x), static_cast<double>(x));
  return buf;
}
std::string show(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a (%.17g)", x, x);
  return buf;
}

double double_from_bits(std::uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

template <class T>
const char* type_name() {
  return sizeof(T) == sizeof(float) ? "float" : "double";
}

// The four functions under test behind one interface.
#define LOGISTIC_TEST_FUNCTION(struct_name, qualified, is_softplus, is_fast)      \
  struct struct_name {                                                            \
    static constexpr const char* name = #qualified;                               \
    static constexpr bool softplus = is_softplus;                                 \
    static constexpr bool fast = is_fast;                                         \
    template <class T>                                                            \
    static T scalar(T x) {                                                        \
      return qualified(x);                                                        \
    }                                                                             \
    template <class T>                                                            \
    static batch<T> simd(batch<T> x) {                                            \
      return qualified(x);                                                        \
    }                                                                             \
    template <class T>                                                            \
    static void array(const T* in, T* out, std::size_t n) {                       \
      qualified(in, out, n);                                                      \
    }                                                                             \
  };

LOGISTIC_TEST_FUNCTION(softplus_faithful, logistic::softplus, true, false)
LOGISTIC_TEST_FUNCTION(softplus_fast, logistic::fast::softplus, true, true)
LOGISTIC_TEST_FUNCTION(log_sigmoid_faithful, logistic::log_sigmoid, false, false)
LOGISTIC_TEST_FUNCTION(log_sigmoid_fast, logistic::fast::log_sigmoid, false, true)
#undef LOGISTIC_TEST_FUNCTION

// Runs f(function, T{}) for every function and both types.
template <class F>
void for_each_function_and_type(F f) {
  f(softplus_faithful{}, 0.0f);
  f(softplus_faithful{}, 0.0);
  f(softplus_fast{}, 0.0f);
  f(softplus_fast{}, 0.0);
  f(log_sigmoid_faithful{}, 0.0f);
  f(log_sigmoid_faithful{}, 0.0);
  f(log_sigmoid_fast{}, 0.0f);
  f(log_sigmoid_fast{}, 0.0);
}

// softplus(x) in double for a float x: no cancellation on either side.
double softplus_reference(float x) {
  const double xd = x;
  if (std::isnan(xd)) return xd;
  return xd > 0 ? xd + std::log1p(std::exp(-xd)) : std::log1p(std::exp(xd));
}
// The reference of either function for a float x.
template <class F>
double reference(float x) {
  return F::softplus ? softplus_reference(x) : -softplus_reference(-x);
}

bool long_double_is_wider() { return std::numeric_limits<long double>::digits >= 64; }

long double softplus_long(double x) {
  const long double xl = x;
  return xl > 0 ? xl + std::log1p(std::exp(-xl)) : std::log1p(std::exp(xl));
}

long double ulp_error_long(double y, long double exact) {
  const long double a = std::fabs(exact);
  int e = 0;
  std::frexp(a, &e);
  const long double ulp =
      a < std::ldexp(1.0L, -1022) ? std::ldexp(1.0L, -1074) : std::ldexp(1.0L, e - 53);
  return std::fabs(static_cast<long double>(y) - exact) / ulp;
}

template <class T>
struct level_result {
  const char* level;
  T y;
};

template <class F, class T>
std::vector<level_result<T>> at_every_level(T x) {
  constexpr std::size_t w = batch<T>::size;
  std::vector<level_result<T>> results;
  results.push_back({"scalar", F::scalar(x)});
  alignas(A::alignment()) T lanes[w];
  F::simd(batch<T>(x)).store_aligned(lanes);
  results.push_back({"batch, every lane: first", lanes[0]});
  results.push_back({"batch, every lane: last", lanes[w - 1]});
  for (const std::size_t k : {std::size_t{0}, w - 1}) {
    for (std::size_t i = 0; i < w; ++i) lanes[i] = T(0.25) * static_cast<T>(i) - T(1);
    lanes[k] = x;
    F::simd(batch<T>::load_aligned(lanes)).store_aligned(lanes);
    results.push_back({k == 0 ? "batch, first lane among ordinary values"
                              : "batch, last lane among ordinary values",
                       lanes[k]});
  }
  const T one_in[1] = {x};
  T one_out[1] = {T(-42)};
  F::array(one_in, one_out, 1);
  results.push_back({"array, n = 1 (tail only)", one_out[0]});
  const std::vector<T> in(5 * w + 1, x);
  std::vector<T> out(in.size(), T(-42));
  F::array(in.data(), out.data(), in.size());
  results.push_back({"array, four-batch loop", out[0]});
  results.push_back({"array, one-batch loop", out[4 * w]});
  results.push_back({"array, tail", out[5 * w]});
  return results;
}

template <class F, class T, class Pred>
void check_every_level(T x, const char* expected, Pred pred) {
  for (const level_result<T>& r : at_every_level<F>(x)) {
    INFO(F::name << "<" << type_name<T>() << ">, " << r.level << ": f(" << show(x)
                 << ") = " << show(r.y) << ", expected " << expected);
    CHECK(pred(r.y));
  }
}

template <class T>
bool is_positive_zero(T y) {
  return y == T(0) && !std::signbit(y);
}
template <class T>
bool is_negative_zero(T y) {
  return y == T(0) && std::signbit(y);
}

// All floats from lo to hi, both included.
std::vector<float> floats_between(float lo, float hi) {
  std::vector<float> v;
  for (float x = lo; x <= hi; x = std::nextafter(x, HUGE_VALF)) v.push_back(x);
  return v;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Special values

TEST_CASE("softplus and log_sigmoid of NaN are NaN", "[special]") {
  for_each_function_and_type([](auto f, auto zero) {
    using F = decltype(f);
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    for (const T x : {L::quiet_NaN(), -L::quiet_NaN(), L::signaling_NaN()}) {
      check_every_level<F>(x, "NaN", [](T y) { return std::isnan(y); });
    }
  });
}

TEST_CASE("softplus(+inf) = +inf, softplus(-inf) = +0, log_sigmoid(-inf) = -inf, "
          "log_sigmoid(+inf) = -0",
          "[special]") {
  for_each_function_and_type([](auto f, auto zero) {
    using F = decltype(f);
    using T = decltype(zero);
    const T inf = std::numeric_limits<T>::infinity();
    if (F::softplus) {
      check_every_level<F>(inf, "+inf", [=](T y) { return y == inf; });
      check_every_level<F>(-inf, "+0", [](T y) { return is_positive_zero(y); });
    } else {
      check_every_level<F>(-inf, "-inf", [=](T y) { return y == -inf; });
      check_every_level<F>(inf, "-0", [](T y) { return is_negative_zero(y); });
    }
  });
}

TEST_CASE("softplus(+-0) is ln 2 and log_sigmoid(+-0) is -ln 2, correctly rounded", "[special]") {
  for_each_function_and_type([](auto f, auto zero) {
    using F = decltype(f);
    using T = decltype(zero);
    const T ln2 = sizeof(T) == 4 ? T(0x1.62e43p-1f) : T(0x1.62e42fefa39efp-1);
    const T expected = F::softplus ? ln2 : -ln2;
    for (const T x : {T(0), -T(0), std::numeric_limits<T>::denorm_min(),
                      -std::numeric_limits<T>::denorm_min()}) {
      check_every_level<F>(x, "+-ln 2", [=](T y) { return y == expected; });
    }
  });
}

TEST_CASE("softplus and log_sigmoid of the largest finite values", "[special]") {
  for_each_function_and_type([](auto f, auto zero) {
    using F = decltype(f);
    using T = decltype(zero);
    const T max = std::numeric_limits<T>::max();
    if (F::softplus) {
      check_every_level<F>(max, "max", [=](T y) { return y == max; });
      check_every_level<F>(-max, "+0", [](T y) { return is_positive_zero(y); });
    } else {
      check_every_level<F>(-max, "-max", [=](T y) { return y == -max; });
      check_every_level<F>(max, "-0", [](T y) { return is_negative_zero(y); });
    }
  });
}

// ---------------------------------------------------------------------------------------
// Range, symmetry and accuracy over the whole float bit space

TEST_CASE("float: softplus >= +0 and >= x, log_sigmoid <= -0 and finite for finite x, "
          "log_sigmoid(x) = -softplus(-x), within bound (every 1021st bit pattern)",
          "[special][sweep]") {
  std::vector<float> in, neg;
  const std::uint64_t step = logistic_test::sparser<std::uint64_t>(1021);
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFu; b += step) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(b)));
    neg.push_back(-in.back());
  }
  REQUIRE(in.size() > 4000000 / logistic_test::sample_divisor());
  auto check = [&](auto f, auto g) {
    using F = decltype(f);  // softplus of a tier
    using G = decltype(g);  // log_sigmoid of the same tier
    std::vector<float> sp(in.size()), ls(in.size());
    F::array(in.data(), sp.data(), in.size());
    G::array(neg.data(), ls.data(), in.size());
    failure_log failures;
    double worst = 0;
    float worst_x = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const float x = in[i];
      const double exact = softplus_reference(x);
      const bool normal = exact >= static_cast<double>(std::numeric_limits<float>::min());
      const double u = ulp_error<float>(sp[i], exact);
      if (normal && u > worst) {
        worst = u;
        worst_x = x;
      }
      bool ok;
      if (std::isnan(x)) {
        ok = std::isnan(sp[i]) && std::isnan(ls[i]);
      } else {
        ok = sp[i] >= 0.0f && !std::signbit(sp[i]) && sp[i] >= x && ls[i] <= 0.0f &&
             std::signbit(ls[i]) && (std::isinf(x) || std::isfinite(ls[i])) &&
             bits(ls[i]) == bits(-sp[i]) && bits(F::scalar(x)) == bits(sp[i]);
        if (F::fast) ok = ok && (normal ? u <= 4.0 : (sp[i] == 0.0f || u <= 4.0));
        else ok = ok && u < 1.0;
      }
      if (!ok && failures.record())
        failures.describe("x = " + show(x) + ": " + F::name + " " + show(sp[i]) + ", " + G::name +
                          "(-x) " + show(ls[i]) + ", reference " + show(exact));
    }
    std::printf("%s<float> (%s), bit-pattern step %llu: max %.4f ULP at x = %a (normal results)\n",
                F::name, A::name(), static_cast<unsigned long long>(step), worst,
                static_cast<double>(worst_x));
    INFO(F::name << ": " << failures.count() << " failures:\n" << failures.first());
    CHECK(failures.count() == 0);
  };
  check(softplus_faithful{}, log_sigmoid_faithful{});
  check(softplus_fast{}, log_sigmoid_fast{});
}

TEST_CASE("double: the same rules over random bit patterns", "[special][sweep]") {
  std::mt19937_64 rng(0x50F7);
  std::vector<double> in(logistic_test::fewer<std::size_t>(1000000)), neg(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    in[i] = double_from_bits(rng());
    neg[i] = -in[i];
  }
  auto check = [&](auto f, auto g) {
    using F = decltype(f);
    using G = decltype(g);
    std::vector<double> sp(in.size()), ls(in.size());
    F::array(in.data(), sp.data(), in.size());
    G::array(neg.data(), ls.data(), in.size());
    failure_log failures;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const double x = in[i];
      const bool ok = std::isnan(x) ? std::isnan(sp[i]) && std::isnan(ls[i])
                                    : sp[i] >= 0.0 && !std::signbit(sp[i]) && sp[i] >= x &&
                                          std::signbit(ls[i]) &&
                                          (std::isinf(x) || std::isfinite(ls[i])) &&
                                          bits(ls[i]) == bits(-sp[i]);
      if (!ok && failures.record())
        failures.describe("x = " + show(x) + ": " + show(sp[i]) + ", " + show(ls[i]));
    }
    INFO(F::name << ": " << failures.count() << " failures:\n" << failures.first());
    CHECK(failures.count() == 0);
  };
  check(softplus_faithful{}, log_sigmoid_faithful{});
  check(softplus_fast{}, log_sigmoid_fast{});
}

TEST_CASE("float: within bound on every 127th float of [-20, 20] (the main path's interesting "
          "part: 1.7 10^7 floats)",
          "[special][sweep]") {
  std::vector<float> in;
  const std::uint32_t step = logistic_test::sparser<std::uint32_t>(127);
  for (std::uint32_t b = 0; b <= bits(20.0f); b += step) {
    in.push_back(float_from_bits(b));
    in.push_back(-float_from_bits(b));
  }
  auto check = [&](auto f) {
    using F = decltype(f);
    std::vector<float> out(in.size());
    F::array(in.data(), out.data(), in.size());
    failure_log failures;
    double worst = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
      const double u = ulp_error<float>(out[i], reference<F>(in[i]));
      worst = std::max(worst, u);
      if (!(F::fast ? u <= 4.0 : u < 1.0) && failures.record())
        failures.describe(show(in[i]) + " -> " + show(out[i]));
    }
    std::printf("%s<float> (%s), bit-pattern step %u in [-20, 20]: max %.4f ULP\n", F::name,
                A::name(), static_cast<unsigned>(step), worst);
    INFO(F::name << ": " << failures.count() << " failures:\n" << failures.first());
    CHECK(failures.count() == 0);
  };
  check(softplus_faithful{});
  check(softplus_fast{});
  check(log_sigmoid_faithful{});
  check(log_sigmoid_fast{});
}

// ---------------------------------------------------------------------------------------
// Saturation: softplus(x) = x exactly where the exact value rounds to x

TEST_CASE("float softplus is exactly x from where the exact value rounds to x (x >= 21 ln 2)",
          "[special][saturation]") {
  // For x in [8, 16) half an ULP is 2^-21: log1p(e^-x) < 2^-21 from x = 21 ln 2 = 14.556 on.
  const std::vector<float> near = floats_between(12.0f, 20.0f);
  auto check = [&](auto f) {
    using F = decltype(f);
    std::vector<float> out(near.size());
    F::array(near.data(), out.data(), near.size());
    failure_log failures;
    for (std::size_t i = 0; i < near.size(); ++i) {
      const bool exact_rounds_to_x = static_cast<float>(softplus_reference(near[i])) == near[i];
      // The faithful tier saturates exactly there; the fast one from 14.6 (its 4 ULP
      // cannot turn x into anything but x beyond it) and never before 14.5.
      const bool ok = F::fast ? (near[i] < 14.5f ? out[i] > near[i]
                                                 : (near[i] < 14.6f || out[i] == near[i]))
                              : (out[i] == near[i]) == exact_rounds_to_x;
      if (!ok && failures.record()) failures.describe(show(near[i]) + " -> " + show(out[i]));
    }
    INFO(F::name << ": " << failures.count() << " failures:\n" << failures.first());
    CHECK(failures.count() == 0);
  };
  check(softplus_faithful{});
  check(softplus_fast{});
  for (const float x : {20.0f, 40.0f, std::nextafter(40.0f, 50.0f), 1e10f, 3e38f}) {
    check_every_level<softplus_faithful>(x, "x", [=](float y) { return y == x; });
    check_every_level<softplus_fast>(x, "x", [=](float y) { return y == x; });
    check_every_level<log_sigmoid_faithful>(-x, "x", [=](float y) { return y == -x; });
  }
}

TEST_CASE("double softplus is exactly x from where the exact value rounds to x (x >= 48 ln 2)",
          "[special][saturation]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  // Half an ULP of x in [32, 64) is 2^-48: log1p(e^-x) < 2^-48 from x = 48 ln 2 = 33.27.
  std::vector<double> near;
  for (double x = 30.0; x <= 50.0; x += 0x1p-12) near.push_back(x);
  std::vector<double> out(near.size());
  softplus_faithful::array(near.data(), out.data(), near.size());
  failure_log failures;
  for (std::size_t i = 0; i < near.size(); ++i) {
    const long double excess = std::log1p(std::exp(-static_cast<long double>(near[i])));
    const long double half_ulp = std::ldexp(1.0L, near[i] < 32.0 ? -49 : -48);
    if ((out[i] == near[i]) != (excess < half_ulp) && failures.record())
      failures.describe(show(near[i]) + " -> " + show(out[i]));
  }
  INFO(failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
  for (const double x : {45.0, std::nextafter(45.0, 50.0), 1e10, 1e300}) {
    check_every_level<softplus_faithful>(x, "x", [=](double y) { return y == x; });
    check_every_level<softplus_fast>(x, "x", [=](double y) { return y == x; });
    check_every_level<log_sigmoid_faithful>(-x, "x", [=](double y) { return y == -x; });
  }
}

// ---------------------------------------------------------------------------------------
// Underflow: softplus(x) = e^x, subnormal results computed by the faithful tier

TEST_CASE("faithful float softplus is within 1 ULP on every x in [-104.5, -86], subnormal "
          "results included; +0 below -150 ln 2",
          "[special][subnormal]") {
  const std::vector<float> in = floats_between(-104.5f, -86.0f);
  std::vector<float> out(in.size());
  softplus_faithful::array(in.data(), out.data(), in.size());
  failure_log failures;
  std::size_t subnormal_results = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double exact = softplus_reference(in[i]);
    for (const float y : {out[i], softplus_faithful::scalar(in[i])}) {
      const bool ok = ulp_error<float>(y, exact) < 1.0 && !std::signbit(y) &&
                      (y > 0.0f) == (exact > 0x1p-150);
      if (!ok && failures.record()) failures.describe(show(in[i]) + " -> " + show(y));
    }
    if (out[i] > 0.0f && out[i] < std::numeric_limits<float>::min()) ++subnormal_results;
  }
  INFO(failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
  CHECK(subnormal_results > 1000000);
  check_every_level<softplus_faithful>(-100.0f, "subnormal", [](float y) {
    return y > 0.0f && y < std::numeric_limits<float>::min();
  });
  check_every_level<log_sigmoid_faithful>(100.0f, "-subnormal", [](float y) {
    return y < 0.0f && y > -std::numeric_limits<float>::min();
  });
  check_every_level<softplus_faithful>(-104.0f, "+0", [](float y) { return is_positive_zero(y); });
}

TEST_CASE("faithful double softplus is within 1 ULP on [-746, -700], +0 below -1075 ln 2",
          "[special][subnormal]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  std::vector<double> in;
  for (double x = -746.0; x <= -700.0; x += 0x1p-10) in.push_back(x);
  std::vector<double> out(in.size());
  softplus_faithful::array(in.data(), out.data(), in.size());
  failure_log failures;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const long double exact = softplus_long(in[i]);
    const bool ok = ulp_error_long(out[i], exact) < 1.0L && !std::signbit(out[i]) &&
                    (out[i] > 0.0) == (exact > std::ldexp(1.0L, -1075));
    if (!ok && failures.record()) failures.describe(show(in[i]) + " -> " + show(out[i]));
  }
  INFO(failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
  check_every_level<softplus_faithful>(-720.0, "subnormal", [](double y) {
    return y > 0.0 && y < std::numeric_limits<double>::min();
  });
  check_every_level<softplus_faithful>(-746.0, "+0", [](double y) { return is_positive_zero(y); });
}

TEST_CASE("fast softplus: +0 where the exact result is subnormal, 4 ULP where normal",
          "[special][subnormal]") {
  const std::vector<float> in = floats_between(-90.0f, -84.0f);
  std::vector<float> out(in.size());
  softplus_fast::array(in.data(), out.data(), in.size());
  failure_log failures;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double exact = softplus_reference(in[i]);
    const bool normal = exact >= static_cast<double>(std::numeric_limits<float>::min());
    const bool ok = normal ? ulp_error<float>(out[i], exact) <= 4.0 : is_positive_zero(out[i]);
    if (!ok && failures.record()) failures.describe(show(in[i]) + " -> " + show(out[i]));
  }
  INFO(failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
  check_every_level<softplus_fast>(-720.0, "+0", [](double y) { return is_positive_zero(y); });
  check_every_level<log_sigmoid_fast>(720.0, "-0", [](double y) { return is_negative_zero(y); });
}

// ---------------------------------------------------------------------------------------
// Lane versus scalar: every length up to five batches, misaligned, in place

namespace {

template <class T>
std::vector<T> mixed_values(std::size_t n, std::uint64_t seed, bool with_rare) {
  using L = std::numeric_limits<T>;
  const T rare[] = {L::quiet_NaN(), L::infinity(), -L::infinity(), T(50),   T(-50),
                    T(-100),        T(-750),       L::denorm_min(), T(0),   -L::max()};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<T> ordinary(T(-30), T(30));
  std::vector<T> v(n);
  for (T& x : v) x = (with_rare && rng() % 7 == 0) ? rare[rng() % 10] : ordinary(rng);
  return v;
}

template <class F, class T>
void check_lanes() {
  constexpr std::size_t w = batch<T>::size;
  failure_log failures;
  for (std::size_t n = 0; n <= 5 * w + 1; ++n) {
    for (std::size_t offset = 0; offset < 2; ++offset) {
      // Inputs with only ordinary values (the branch-free loop) and with rare ones.
      for (const bool with_rare : {false, true}) {
        const std::vector<T> in = mixed_values<T>(n + offset, 1000 * n + offset, with_rare);
        std::vector<T> out(n + offset + 1, T(-42));
        F::array(in.data() + offset, out.data() + offset, n);
        std::vector<T> in_place(in);
        F::array(in_place.data() + offset, in_place.data() + offset, n);
        for (std::size_t i = 0; i < n; ++i) {
          const T s = F::scalar(in[offset + i]);
          alignas(A::alignment()) T lanes[w];
          F::simd(batch<T>(in[offset + i])).store_aligned(lanes);
          const T lane = lanes[w - 1];
          if ((bits(s) != bits(out[offset + i]) || bits(s) != bits(in_place[offset + i]) ||
               bits(s) != bits(lane)) &&
              failures.record())
            failures.describe("n = " + std::to_string(n) + ", i = " + std::to_string(i) + ": " +
                              show(in[offset + i]));
        }
        if (bits(out[n + offset]) != bits(T(-42)) && failures.record())
          failures.describe("wrote past the end, n = " + std::to_string(n));
      }
    }
  }
  F::array(static_cast<const T*>(nullptr), static_cast<T*>(nullptr), 0);
  INFO(F::name << "<" << type_name<T>() << ">: " << failures.count() << " failures:\n"
               << failures.first());
  CHECK(failures.count() == 0);
}

}  // namespace

TEST_CASE("scalar, batch and array forms are bit-identical, every tail, misaligned, in place",
          "[special][lanes]") {
  for_each_function_and_type([](auto f, auto zero) {
    check_lanes<decltype(f), decltype(zero)>();
  });
}

// ---------------------------------------------------------------------------------------
// FTZ / DAZ

#if defined(__SSE2__)
namespace {

// The array and the scalar form of F on every input, with the MXCSR flush bits off and on.
template <class F, class T>
void check_ftz_daz_independence(const std::vector<T>& in) {
  logistic_test::check_ftz_daz(F::name, in, [&in](std::vector<T>& array_out,
                                                 std::vector<T>& scalar_out) {
    F::array(in.data(), array_out.data(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) scalar_out[i] = F::scalar(in[i]);
  });
}

}  // namespace

TEST_CASE("float results are bit-identical with FTZ and DAZ set (x86 MXCSR)", "[special][ftz]") {
  std::vector<float> in;
  for (std::uint32_t b = 1; b < 0x00800000u; b += 7) {
    in.push_back(float_from_bits(b));
    in.push_back(-float_from_bits(b));
  }
  for (const float x : floats_between(-104.5f, -86.0f)) {
    in.push_back(x);
    in.push_back(-x);
  }
  for (const float x : floats_between(-42.0f, -38.0f)) in.push_back(x);
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFu; b += 1021) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(b)));
  }
  check_ftz_daz_independence<softplus_faithful>(in);
  check_ftz_daz_independence<log_sigmoid_faithful>(in);
  check_ftz_daz_independence<softplus_fast>(in);
  check_ftz_daz_independence<log_sigmoid_fast>(in);
}

TEST_CASE("double results are bit-identical with FTZ and DAZ set (x86 MXCSR)", "[special][ftz]") {
  std::mt19937_64 rng(0xF72);
  std::vector<double> in;
  std::uniform_int_distribution<std::uint64_t> subnormal(1, (std::uint64_t{1} << 52) - 1);
  for (int i = 0; i < 100000; ++i) {
    in.push_back(double_from_bits(subnormal(rng)));
    in.push_back(-in.back());
  }
  std::uniform_real_distribution<double> tail(-746.0, -40.0);
  for (int i = 0; i < 500000; ++i) {
    in.push_back(tail(rng));
    in.push_back(-in.back());
  }
  for (int i = 0; i < 1000000; ++i) in.push_back(double_from_bits(rng()));
  check_ftz_daz_independence<softplus_faithful>(in);
  check_ftz_daz_independence<log_sigmoid_faithful>(in);
  check_ftz_daz_independence<softplus_fast>(in);
  check_ftz_daz_independence<log_sigmoid_fast>(in);
}
#endif  // __SSE2__
