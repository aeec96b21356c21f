// Special values, the points p = 0, 1/2, 1, subnormal and tiny p, range, symmetry,
// logit(p, eps), FTZ/DAZ independence and lane-versus-scalar bit identity of
// logistic::logit (the contract block of include/logistic/logit.hpp; design §1, §3).
//
// Each rule is checked for float and double and at every level: the scalar form, the
// batch form (every lane, or one lane among ordinary values) and the array form (the
// four-batch loop, the one-batch loop and the tail). Float accuracy is measured against a
// double reference (checked against MPFR in test_log_family_double_mpfr.cpp), double
// accuracy against long double where it is wider (the MPFR test covers the rest).
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

[[maybe_unused]] double double_from_bits(std::uint64_t b) {  // x86-only tests use it
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

template <class T>
const char* type_name() {
  return sizeof(T) == sizeof(float) ? "float" : "double";
}

// logit(p) and logit(p, eps) behind one interface (eps < 0 here means "no eps").
struct logit_plain {
  static constexpr const char* name = "logistic::logit";
  template <class T>
  static T scalar(T p) {
    return logistic::logit(p);
  }
  template <class T>
  static batch<T> simd(batch<T> p) {
    return logistic::logit(p);
  }
  template <class T>
  static void array(const T* in, T* out, std::size_t n) {
    logistic::logit(in, out, n);
  }
};

template <int EpsExponent>  // eps = 2^EpsExponent
struct logit_eps {
  static constexpr const char* name = "logistic::logit(p, eps)";
  template <class T>
  static T eps() {
    return std::ldexp(T(1), EpsExponent);
  }
  template <class T>
  static T scalar(T p) {
    return logistic::logit(p, eps<T>());
  }
  template <class T>
  static batch<T> simd(batch<T> p) {
    return logistic::logit(p, eps<T>());
  }
  template <class T>
  static void array(const T* in, T* out, std::size_t n) {
    logistic::logit(in, out, n, eps<T>());
  }
};

// logit(p) in double for a float p: 2p - 1 and 1 - p are exact in double for p >= 1/4,
// so the reference keeps its relative accuracy near p = 1/2.
double logit_reference(float p) {
  const double pd = p;
  if (std::isnan(pd) || pd < 0 || pd > 1) return std::numeric_limits<double>::quiet_NaN();
  if (pd == 0) return -std::numeric_limits<double>::infinity();
  if (pd == 1) return std::numeric_limits<double>::infinity();
  if (pd >= 0.25) return std::log1p((2 * pd - 1) / (1 - pd));
  return std::log(pd / (1 - pd));
}

bool long_double_is_wider() { return std::numeric_limits<long double>::digits >= 64; }

long double logit_long(double p) {
  const long double pl = p;
  if (pl >= 0.25L) return std::log1p((2 * pl - 1) / (1 - pl));
  return std::log(pl) - std::log1p(-pl);
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
    for (std::size_t i = 0; i < w; ++i) lanes[i] = T(0.05) * static_cast<T>(i + 1);
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
    INFO(F::name << "<" << type_name<T>() << ">, " << r.level << ": logit(" << show(x)
                 << ") = " << show(r.y) << ", expected " << expected);
    CHECK(pred(r.y));
  }
}

template <class F>
void for_each_type(F f) {
  f(0.0f);
  f(0.0);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Special values

TEST_CASE("logit(NaN) is NaN; p < 0, p > 1 and +-inf give NaN", "[special]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    for (const T p : {L::quiet_NaN(), -L::quiet_NaN(), L::signaling_NaN(), L::infinity(),
                      -L::infinity(), -L::denorm_min(), -L::min(), T(-0.5), -L::max(),
                      std::nextafter(T(1), T(2)), T(1.5), L::max()}) {
      check_every_level<logit_plain>(p, "NaN", [](T y) { return std::isnan(y); });
    }
  });
}

TEST_CASE("logit(+-0) = -inf, logit(1) = +inf, logit(1/2) = +0", "[special]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    const T inf = std::numeric_limits<T>::infinity();
    check_every_level<logit_plain>(T(0), "-inf", [=](T y) { return y == -inf; });
    check_every_level<logit_plain>(-T(0), "-inf", [=](T y) { return y == -inf; });
    check_every_level<logit_plain>(T(1), "+inf", [=](T y) { return y == inf; });
    check_every_level<logit_plain>(T(0.5), "+0",
                                   [](T y) { return y == T(0) && !std::signbit(y); });
  });
}

TEST_CASE("logit of the smallest subnormals and normals is log(p), finite and within 1 ULP",
          "[special][subnormal]") {
  using L = std::numeric_limits<float>;
  for (const float p : {L::denorm_min(), 3 * L::denorm_min(), std::nextafter(L::min(), 0.0f),
                        L::min(), 0x1p-60f, std::nextafter(0x1p-60f, 0.0f), 0x1p-30f}) {
    const double exact = logit_reference(p);
    check_every_level<logit_plain>(p, "logit(p) within 1 ULP",
                                   [=](float y) { return ulp_error<float>(y, exact) < 1.0; });
  }
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: double check skipped");
    return;
  }
  using D = std::numeric_limits<double>;
  for (const double p : {D::denorm_min(), 3 * D::denorm_min(), std::nextafter(D::min(), 0.0),
                         D::min(), 0x1p-500, std::nextafter(0x1p-500, 0.0), 0x1p-100}) {
    const long double exact = logit_long(p);
    check_every_level<logit_plain>(p, "logit(p) within 1 ULP",
                                   [=](double y) { return ulp_error_long(y, exact) < 1.0L; });
  }
}

TEST_CASE("logit near 1: 1 - 2^-24 (float) and 1 - 2^-53 (double)", "[special]") {
  const float pf = std::nextafter(1.0f, 0.0f);
  check_every_level<logit_plain>(pf, "logit(1 - 2^-24)", [=](float y) {
    return ulp_error<float>(y, logit_reference(pf)) < 1.0;
  });
  if (!long_double_is_wider()) return;
  const double pd = std::nextafter(1.0, 0.0);
  check_every_level<logit_plain>(pd, "logit(1 - 2^-53)", [=](double y) {
    return ulp_error_long(y, logit_long(pd)) < 1.0L;
  });
}

// ---------------------------------------------------------------------------------------
// Accuracy, range and symmetry over float bit space

TEST_CASE("float logit: within 1 ULP on every 251st float of [0, 1], NaN outside; "
          "every float within 2^16 of 1/2",
          "[special][sweep]") {
  std::vector<float> in;
  const std::uint64_t step = logistic_test::sparser<std::uint64_t>(251);
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFu; b += step) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(b)));
  }
  for (std::int64_t k = -(1 << 16); k <= (1 << 16); ++k) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(bits(0.5f) + k)));
  }
  std::vector<float> out(in.size());
  logit_plain::array(in.data(), out.data(), in.size());
  failure_log failures;
  double worst = 0;
  float worst_p = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double exact = logit_reference(in[i]);
    const double u = ulp_error<float>(out[i], exact);
    if (u > worst) {
      worst = u;
      worst_p = in[i];
    }
    if (!(u < 1.0) && failures.record())
      failures.describe("logit(" + show(in[i]) + ") = " + show(out[i]) + ", reference " +
                        show(exact));
  }
  std::printf("logit<float> (%s), %zu inputs: max %.4f ULP at p = %a\n", A::name(), in.size(),
              worst, static_cast<double>(worst_p));
  INFO(failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
}

TEST_CASE("logit(1 - p) = -logit(p) bit for bit where 1 - p is exact (p in [1/2, 1))",
          "[special][symmetry]") {
  auto check = [](auto zero, std::uint64_t seed) {
    using T = decltype(zero);
    std::mt19937_64 rng(seed);
    // 1 - p is exact for p >= 1/2 (Sterbenz), not in general below.
    std::uniform_real_distribution<T> dist(T(0.5), T(1));
    std::vector<T> p(200000), q(p.size()), lp(p.size()), lq(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
      p[i] = dist(rng);
      q[i] = T(1) - p[i];
    }
    logit_plain::array(p.data(), lp.data(), p.size());
    logit_plain::array(q.data(), lq.data(), q.size());
    failure_log failures;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (bits(lq[i]) != bits(T(-lp[i])) && !(lp[i] == T(0) && lq[i] == T(0)) &&
          failures.record())
        failures.describe(show(p[i]) + ": " + show(lp[i]) + " / " + show(lq[i]));
    }
    INFO(type_name<T>() << ": " << failures.count() << " failures:\n" << failures.first());
    CHECK(failures.count() == 0);
  };
  check(0.0f, 1);
  check(0.0, 2);
}

TEST_CASE("double logit: within 1 ULP near 1/2, near 0 and near 1 (long double reference)",
          "[special][sweep]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  std::vector<double> in;
  for (const double c : {0.5, 0.25, 1e-300, 0x1p-500, 1 - 0x1p-40}) {
    double p = c;
    for (int k = 0; k < 20000; ++k) p = std::nextafter(p, 0.0);
    for (int k = 0; k < 40000; ++k) {
      in.push_back(p);
      p = std::nextafter(p, 1.0);
    }
  }
  std::vector<double> out(in.size());
  logit_plain::array(in.data(), out.data(), in.size());
  failure_log failures;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] >= 1.0) continue;
    if (!(ulp_error_long(out[i], logit_long(in[i])) < 1.0L) && failures.record())
      failures.describe(show(in[i]) + " -> " + show(out[i]));
  }
  INFO(failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
}

// ---------------------------------------------------------------------------------------
// logit(p, eps)

TEST_CASE("logit(p, eps) = logit(clamp(p, eps, 1 - eps)) bit for bit; NaN p stays NaN",
          "[special][eps]") {
  auto check = [](auto zero) {
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    const T eps = logit_eps<-10>::eps<T>();
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<T> dist(T(-0.5), T(1.5));
    std::vector<T> p(100000);
    for (T& x : p) x = dist(rng);
    for (const T x : {T(0), -T(0), T(1), eps, T(1) - eps, std::nextafter(eps, T(0)),
                      std::nextafter(T(1) - eps, T(2)), L::infinity(), -L::infinity(),
                      L::denorm_min(), T(0.5)})
      p.push_back(x);
    std::vector<T> out(p.size());
    logit_eps<-10>::array(p.data(), out.data(), p.size());
    failure_log failures;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const T clamped = std::min(std::max(p[i], eps), T(1) - eps);
      const T expected = logistic::logit(clamped);
      if ((bits(out[i]) != bits(expected) || bits(logit_eps<-10>::scalar(p[i])) != bits(expected)) &&
          failures.record())
        failures.describe(show(p[i]) + " -> " + show(out[i]) + ", expected " + show(expected));
    }
    INFO(type_name<T>() << ": " << failures.count() << " failures:\n" << failures.first());
    CHECK(failures.count() == 0);
    check_every_level<logit_eps<-10>>(L::quiet_NaN(), "NaN", [](T y) { return std::isnan(y); });
    check_every_level<logit_eps<-10>>(T(2), "logit(1 - eps)",
                                      [=](T y) { return y == logistic::logit(T(1) - eps); });
    check_every_level<logit_eps<-10>>(-L::infinity(), "logit(eps)",
                                      [=](T y) { return y == logistic::logit(eps); });
  };
  check(0.0f);
  check(0.0);
}

TEST_CASE("logit(p, 0) clamps to [0, 1]: -inf below, +inf above; logit(p, 1/2) = 0",
          "[special][eps]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    const T inf = std::numeric_limits<T>::infinity();
    for (const T p : {T(-1), -inf, T(0)}) CHECK(logistic::logit(p, T(0)) == -inf);
    for (const T p : {T(2), inf, T(1)}) CHECK(logistic::logit(p, T(0)) == inf);
    CHECK(logistic::logit(T(0.3), T(0)) == logistic::logit(T(0.3)));
    for (const T p : {T(-1), T(0), T(0.3), T(1), inf}) CHECK(logistic::logit(p, T(0.5)) == T(0));
    CHECK(std::isnan(logistic::logit(std::numeric_limits<T>::quiet_NaN(), T(0))));
  });
}

TEST_CASE("logit(p, eps) with an invalid eps (NaN, negative, above 1/2) is NaN for every p",
          "[special][eps]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    const std::vector<T> ps = {T(0),  T(0.25), T(0.5),         T(1),           T(-1),
                               T(2),  L::infinity(), -L::infinity(), L::quiet_NaN(), L::denorm_min()};
    for (const T eps : {L::quiet_NaN(), T(-1e-3), -L::denorm_min(), std::nextafter(T(0.5), T(1)),
                        T(0.75), L::infinity(), -L::infinity()}) {
      std::vector<T> out(ps.size(), T(0));
      logistic::logit(ps.data(), out.data(), ps.size(), eps);
      for (std::size_t i = 0; i < ps.size(); ++i) {
        INFO(type_name<T>() << ": eps = " << show(eps) << ", p = " << show(ps[i]));
        CHECK(std::isnan(out[i]));
        CHECK(std::isnan(logistic::logit(ps[i], eps)));
        alignas(A::alignment()) T lanes[batch<T>::size];
        logistic::logit(batch<T>(ps[i]), eps).store_aligned(lanes);
        CHECK(std::isnan(lanes[0]));
      }
    }
  });
}

// ---------------------------------------------------------------------------------------
// Lane versus scalar: every length up to five batches, misaligned, in place

namespace {

template <class T>
std::vector<T> mixed_probabilities(std::size_t n, std::uint64_t seed, bool with_rare) {
  using L = std::numeric_limits<T>;
  const T rare[] = {L::quiet_NaN(), T(0),          T(1),          L::denorm_min(), T(-0.5),
                    T(1.5),         L::infinity(), std::ldexp(T(1), -100), T(0.5), -T(0)};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<T> ordinary(T(0.001), T(0.999));
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
      for (const bool with_rare : {false, true}) {
        const std::vector<T> in = mixed_probabilities<T>(n + offset, 100 * n + offset, with_rare);
        std::vector<T> out(n + offset + 1, T(-42));
        F::array(in.data() + offset, out.data() + offset, n);
        std::vector<T> in_place(in);
        F::array(in_place.data() + offset, in_place.data() + offset, n);
        for (std::size_t i = 0; i < n; ++i) {
          const T s = F::scalar(in[offset + i]);
          alignas(A::alignment()) T lanes[w];
          F::simd(batch<T>(in[offset + i])).store_aligned(lanes);
          if ((bits(s) != bits(out[offset + i]) || bits(s) != bits(in_place[offset + i]) ||
               bits(s) != bits(lanes[w - 1])) &&
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
  check_lanes<logit_plain, float>();
  check_lanes<logit_plain, double>();
  check_lanes<logit_eps<-20>, float>();
  check_lanes<logit_eps<-20>, double>();
}

// ---------------------------------------------------------------------------------------
// FTZ / DAZ

#if defined(__SSE2__)
namespace {

// The array and the scalar form of F on every input, with the MXCSR flush bits off and on.
template <class T>
void check_ftz_daz_independence(const std::vector<T>& in) {
  logistic_test::check_ftz_daz(logit_plain::name, in, [&in](std::vector<T>& array_out,
                                                 std::vector<T>& scalar_out) {
    logit_plain::array(in.data(), array_out.data(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) scalar_out[i] = logit_plain::scalar(in[i]);
  });
}

}  // namespace

TEST_CASE("float logit is bit-identical with FTZ and DAZ set (x86 MXCSR)", "[special][ftz]") {
  std::vector<float> in;
  for (std::uint32_t b = 1; b < 0x00800000u; b += 3) {
    in.push_back(float_from_bits(b));
    in.push_back(-float_from_bits(b));
    in.push_back(1.0f - float_from_bits(b));
  }
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFu; b += 1021) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(b)));
  }
  check_ftz_daz_independence(in);
}

TEST_CASE("double logit is bit-identical with FTZ and DAZ set (x86 MXCSR)", "[special][ftz]") {
  std::mt19937_64 rng(0xF72);
  std::vector<double> in;
  std::uniform_int_distribution<std::uint64_t> subnormal(1, (std::uint64_t{1} << 52) - 1);
  std::uniform_int_distribution<int> binade(-1022, -2);
  for (int i = 0; i < 200000; ++i) {
    in.push_back(double_from_bits(subnormal(rng)));
    in.push_back(-in.back());
    const double p = std::ldexp(1.0 + std::ldexp(static_cast<double>(rng() >> 12), -52), binade(rng));
    in.push_back(p);
    in.push_back(1.0 - p);
  }
  for (int i = 0; i < 1000000; ++i) in.push_back(double_from_bits(rng()));
  check_ftz_daz_independence(in);
}
#endif  // __SSE2__
