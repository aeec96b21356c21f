// Special values, saturation, underflow, range, accuracy on a strided sweep, FTZ/DAZ
// independence and lane-versus-scalar bit identity of logistic::silu, logistic::silu_grad
// and their logistic::fast forms (the contract block of include/logistic/silu.hpp).
//
// References are computed in double (float results) or long double (double results), never
// by the library; the double-result bounds are checked against MPFR in
// test_grad_family_double_mpfr.cpp.
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

// The four functions under test behind one interface.
#define LOGISTIC_TEST_UNARY(NAME, FN)                                   \
  struct NAME {                                                         \
    static constexpr const char* name = #FN;                            \
    template <class T>                                                  \
    static T scalar(T x) {                                              \
      return FN(x);                                                     \
    }                                                                   \
    template <class T>                                                  \
    static batch<T> simd(batch<T> x) {                                  \
      return FN(x);                                                     \
    }                                                                   \
    template <class T>                                                  \
    static void array(const T* in, T* out, std::size_t n) {             \
      FN(in, out, n);                                                   \
    }                                                                   \
  };
LOGISTIC_TEST_UNARY(silu_faithful, logistic::silu)
LOGISTIC_TEST_UNARY(silu_fast, logistic::fast::silu)
LOGISTIC_TEST_UNARY(grad_faithful, logistic::silu_grad)
LOGISTIC_TEST_UNARY(grad_fast, logistic::fast::silu_grad)
#undef LOGISTIC_TEST_UNARY

const char* type_name(float) { return "float"; }
const char* type_name(double) { return "double"; }

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

// sigma(x) and sigma(-x) in long double, without cancellation.
struct sigmas {
  long double plus, minus;
};
sigmas sigmas_of(long double x) {
  const long double e = std::exp(-std::fabs(x));
  const long double a = 1.0L / (1.0L + e), b = e / (1.0L + e);
  return x >= 0 ? sigmas{a, b} : sigmas{b, a};
}
long double silu_exact(long double x) { return x * sigmas_of(x).plus; }
long double silu_grad_exact(long double x) {
  const sigmas s = sigmas_of(x);
  return s.plus * (1.0L + x * s.minus);
}
// |x f'(x) / f(x)| for f = silu_grad; f' = sigma'(x) (2 + x (sigma(-x) - sigma(x))).
long double silu_grad_condition(long double x) {
  const sigmas s = sigmas_of(x);
  const long double derivative = s.plus * s.minus * (2.0L + x * (s.minus - s.plus));
  return std::fabs(x * derivative / silu_grad_exact(x));
}
// The window around the zero x0 = -1.27846 where the condition number reaches 4, about
// (-1.5836, -0.9893): there the contract bounds the absolute error. (The condition number
// also exceeds 4 for x < -5, where it grows like |x|; the ULP bound is kept there.)
bool near_silu_grad_zero(long double x) {
  return x > -2.0L && x < -0.5L && silu_grad_condition(x) >= 4;
}

// Error in ULPs of the exact value (subnormal ULP below the smallest normal).
template <class T>
long double ulps(T y, long double exact) {
  if (std::isnan(y) || std::isnan(exact)) return std::isnan(y) && std::isnan(exact) ? 0 : 1e30L;
  const long double a = std::fabs(exact);
  const long double min_normal = std::numeric_limits<T>::min();
  int e = 0;
  std::frexp(a, &e);
  const long double ulp = a < min_normal
                              ? static_cast<long double>(std::numeric_limits<T>::denorm_min())
                              : std::ldexp(1.0L, e - std::numeric_limits<T>::digits);
  return std::fabs(static_cast<long double>(y) - exact) / ulp;
}

bool long_double_is_wider() { return std::numeric_limits<long double>::digits >= 64; }

template <class T>
bool is_negative_zero(T y) {
  return y == T(0) && std::signbit(y);
}
template <class T>
bool is_positive_zero(T y) {
  return y == T(0) && !std::signbit(y);
}

// f(x) at every level: scalar, batch (every lane, and one lane among ordinary values),
// array (the four-batch loop, the one-batch loop and the tail).
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

// ---------------------------------------------------------------------------------------
// Special values

TEST_CASE("silu: NaN -> NaN, +inf -> +inf, -inf -> -0, +-0 -> +-0, +-max", "[silu][special]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    const auto both = [](T x, const char* what, auto pred) {
      check_every_level<silu_faithful>(x, what, pred);
      check_every_level<silu_fast>(x, what, pred);
    };
    for (const T x : {L::quiet_NaN(), -L::quiet_NaN(), L::signaling_NaN()}) {
      both(x, "NaN", [](T y) { return std::isnan(y); });
    }
    both(L::infinity(), "+inf", [](T y) { return y == std::numeric_limits<T>::infinity(); });
    // -0: silu is negative for every x < 0 and rounds to -0 far out (contract).
    both(-L::infinity(), "-0", [](T y) { return is_negative_zero(y); });
    both(-L::max(), "-0", [](T y) { return is_negative_zero(y); });
    both(T(0), "+0", [](T y) { return is_positive_zero(y); });
    both(-T(0), "-0", [](T y) { return is_negative_zero(y); });
    both(L::max(), "max", [](T y) { return y == std::numeric_limits<T>::max(); });
  });
}

TEST_CASE("silu of tiny and subnormal x is x/2 + x^2/4 correctly rounded (faithful)",
          "[silu][special][subnormal]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    const T d = L::denorm_min();
    // x/2 is a tie for odd multiples of the smallest subnormal; x^2/4 > 0 breaks it
    // upwards in magnitude for x > 0 and downwards for x < 0.
    check_every_level<silu_faithful>(d, "denorm_min", [d](T y) { return y == d; });
    check_every_level<silu_faithful>(-d, "-0", [](T y) { return is_negative_zero(y); });
    check_every_level<silu_faithful>(T(3) * d, "2 denorm_min", [d](T y) { return y == 2 * d; });
    check_every_level<silu_faithful>(-T(3) * d, "-denorm_min", [d](T y) { return y == -d; });
    check_every_level<silu_faithful>(T(4) * d, "2 denorm_min", [d](T y) { return y == 2 * d; });
    check_every_level<silu_faithful>(L::min(), "min/2", [](T y) { return y == L::min() / 2; });
    check_every_level<silu_faithful>(-L::min(), "-min/2", [](T y) { return y == -L::min() / 2; });
    for (const T x : {T(2) * L::min(), std::ldexp(T(1), -70), -std::ldexp(T(1.5), -80)}) {
      check_every_level<silu_faithful>(x, "x/2", [x](T y) { return y == x / 2; });
    }
  });
}

TEST_CASE("silu(x) is exactly x from x > 40 (float) / 45 (double) on", "[silu][saturation]") {
  for_each_type([](auto zero) {
    using T = decltype(zero);
    const T from = sizeof(T) == 4 ? T(40) : T(45);
    std::vector<T> in;
    for (T x = from; x < std::numeric_limits<T>::max() / 4; x *= T(1.37)) in.push_back(x);
    in.push_back(std::nextafter(from, T(0)) + T(1));
    std::vector<T> out(in.size());
    for (const bool fast : {false, true}) {
      if (fast) logistic::fast::silu(in.data(), out.data(), in.size());
      else logistic::silu(in.data(), out.data(), in.size());
      failure_log failures;
      for (std::size_t i = 0; i < in.size(); ++i) {
        if (out[i] != in[i] && failures.record())
          failures.describe("silu(" + show(double(in[i])) + ") = " + show(double(out[i])));
      }
      INFO((fast ? "fast " : "faithful ") << type_name(T{}) << ":\n" << failures.first());
      CHECK(failures.count() == 0);
    }
  });
}

TEST_CASE("silu_grad: NaN -> NaN, +inf -> 1, -inf -> -0, +-0 -> 0.5", "[silu_grad][special]") {
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
    both(L::infinity(), "1", [](T y) { return y == T(1); });
    both(L::max(), "1", [](T y) { return y == T(1); });
    both(T(50), "1", [](T y) { return y == T(1); });
    // -0: silu_grad is negative for x < -1.2785 and rounds to -0 far out (contract).
    both(-L::infinity(), "-0", [](T y) { return is_negative_zero(y); });
    both(-L::max(), "-0", [](T y) { return is_negative_zero(y); });
    for (const T x : {T(0), -T(0), L::denorm_min(), -L::denorm_min(), L::min(), -L::min()}) {
      both(x, "0.5", [](T y) { return y == T(0.5); });
    }
  });
}

// ---------------------------------------------------------------------------------------
// Underflow: subnormal results are computed by the faithful tier

namespace {

template <class T>
void check_tail(T lo, T hi, T step, long double zero_below) {
  std::vector<T> in;
  for (T x = lo; x <= hi; x += step) in.push_back(x);
  std::vector<T> out_silu(in.size()), out_grad(in.size());
  logistic::silu(in.data(), out_silu.data(), in.size());
  logistic::silu_grad(in.data(), out_grad.data(), in.size());
  failure_log failures;
  std::size_t subnormal_results = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const long double x = in[i];
    const long double exact[2] = {silu_exact(x), silu_grad_exact(x)};
    const T got[2] = {out_silu[i], out_grad[i]};
    for (int k = 0; k < 2; ++k) {
      const bool tiny = std::fabs(exact[k]) < std::numeric_limits<T>::min();
      if (tiny && got[k] != T(0)) ++subnormal_results;
      bool ok = ulps(got[k], exact[k]) < (tiny ? 1.0L : 2.0L) && std::signbit(got[k]);
      if (std::fabs(exact[k]) < zero_below) ok = is_negative_zero(got[k]);
      if (!ok && failures.record())
        failures.describe(std::string(k ? "silu_grad(" : "silu(") + show(double(in[i])) +
                          ") = " + show(double(got[k])) + ", exact " +
                          show(static_cast<double>(exact[k])));
    }
  }
  INFO(type_name(T{}) << ": " << in.size() << " inputs, " << subnormal_results
                      << " subnormal results, " << failures.count() << " failures:\n"
                      << failures.first());
  CHECK(subnormal_results > in.size() / 4);
  CHECK(failures.count() == 0);
}

}  // namespace

TEST_CASE("faithful silu and silu_grad are within 1 ULP on the subnormal tail, -0 beyond",
          "[silu][silu_grad][subnormal]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  // Half the smallest subnormal: below it the exact value rounds to -0.
  check_tail<float>(-115.0f, -80.0f, 0x1p-10f, std::ldexp(1.0L, -150));
  check_tail<double>(-760.0, -700.0, 0x1p-8, std::ldexp(1.0L, -1075));
}

// ---------------------------------------------------------------------------------------
// Accuracy and range, float, on a strided sweep of the bit space

namespace {

struct sweep_result {
  double silu_worst = 0, grad_worst = 0, grad_abs_worst = 0;
  std::size_t failures = 0;
  std::string first;
};

// silu: < silu_bound ULP everywhere; silu_grad: < grad_bound ULP outside the window
// around its zero, absolute error < grad_abs_bound inside; both: results in range
// (silu in [-0.27847, x] for finite x, silu_grad in [-0.09984, 1.09984]), NaN only for NaN.
template <class Silu, class Grad>
sweep_result sweep_float(double silu_bound, double grad_bound, double grad_abs_bound,
                         bool normal_only) {
  std::vector<float> in;
  const std::uint64_t step = logistic_test::sparser<std::uint64_t>(997);
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFu; b += step) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(b)));
  }
  // and every 64th float near the zero of silu_grad and its minimum/maximum: x in [-3, 3)
  // whose bit pattern is a multiple of 64, in increasing order (-0 included, +0 not).
  const std::uint32_t near_step = logistic_test::sparser<std::uint32_t>(64);
  for (std::uint32_t b = 0xC0400000u; b >= 0x80000000u; b -= near_step) {
    in.push_back(float_from_bits(b));  // -3 up to -0
  }
  for (std::uint32_t b = near_step; b < 0x40400000u; b += near_step) {
    in.push_back(float_from_bits(b));  // up to 3, excluded
  }
  std::vector<float> s(in.size()), g(in.size());
  Silu::array(in.data(), s.data(), in.size());
  Grad::array(in.data(), g.data(), in.size());
  sweep_result r;
  failure_log log;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const float x = in[i];
    const auto fail = [&](const char* what) {
      if (log.record())
        log.describe(std::string(what) + " at x = " + show(double(x)) + ": silu " +
                     show(double(s[i])) + ", silu_grad " + show(double(g[i])));
    };
    if (std::isnan(x)) {
      if (!std::isnan(s[i]) || !std::isnan(g[i])) fail("NaN");
      continue;
    }
    if (std::isnan(s[i]) || std::isnan(g[i])) fail("NaN from a number");
    if (!(s[i] >= -0.27847f) || (std::isfinite(x) && !(x >= 0 ? s[i] <= x : s[i] >= x))) {
      fail("silu out of range");
    }
    if (!(g[i] >= -0.09984f && g[i] <= 1.09984f)) fail("silu_grad out of range");
    if (std::isinf(x)) continue;
    const double xd = x;
    const double e = std::exp(-std::fabs(xd));
    const double sp = xd >= 0 ? 1 / (1 + e) : e / (1 + e);
    const double sm = xd >= 0 ? e / (1 + e) : 1 / (1 + e);
    const double silu_ref = xd * sp, grad_ref = sp * (1 + xd * sm);
    const bool near_zero = near_silu_grad_zero(xd);
    const bool silu_normal = std::fabs(silu_ref) >= 0x1p-126;
    if (!normal_only || silu_normal) {
      const double u = ulp_error<float>(s[i], silu_ref);
      if (u > r.silu_worst) r.silu_worst = u;
      if (!(u < silu_bound)) fail("silu error");
    }
    if (!near_zero) {
      const bool grad_normal = std::fabs(grad_ref) >= 0x1p-126;
      if (!normal_only || grad_normal) {
        const double u = ulp_error<float>(g[i], grad_ref);
        if (u > r.grad_worst) r.grad_worst = u;
        if (!(u < grad_bound)) fail("silu_grad error");
      }
    } else {
      const double a = std::fabs(double(g[i]) - grad_ref);
      if (a > r.grad_abs_worst) r.grad_abs_worst = a;
      if (!(a < grad_abs_bound)) fail("silu_grad absolute error near its zero");
    }
  }
  r.failures = log.count();
  r.first = log.first();
  return r;
}

}  // namespace

TEST_CASE("float silu < 2 ULP, silu_grad < 2 ULP where its condition number is below 4 and "
          "within 2^-26 absolute near its zero (faithful, strided sweep)",
          "[silu][silu_grad][accuracy]") {
  const sweep_result r = sweep_float<silu_faithful, grad_faithful>(2.0, 2.0, 0x1p-26, false);
  std::printf("%s float faithful (strided): silu max %.3f ULP, silu_grad max %.3f ULP "
              "(condition < 4), abs %.3g (2^%.2f) near its zero\n",
              xsimd::default_arch::name(), r.silu_worst, r.grad_worst, r.grad_abs_worst,
              std::log2(r.grad_abs_worst));
  INFO(r.failures << " failures:\n" << r.first);
  CHECK(r.failures == 0);
}

TEST_CASE("fast float silu and silu_grad: at most 4 ULP where normal (silu_grad: condition "
          "below 4), within 2^-23 absolute near the zero (strided sweep)",
          "[silu][silu_grad][accuracy]") {
  const sweep_result r = sweep_float<silu_fast, grad_fast>(4.0 + 1e-9, 4.0 + 1e-9, 0x1p-23, true);
  std::printf("%s float fast (strided): silu max %.3f ULP, silu_grad max %.3f ULP, abs %.3g\n",
              xsimd::default_arch::name(), r.silu_worst, r.grad_worst, r.grad_abs_worst);
  INFO(r.failures << " failures:\n" << r.first);
  CHECK(r.failures == 0);
}

TEST_CASE("the silu_grad condition-number helper finds the ill-conditioned window",
          "[silu_grad][reference]") {
  // A test of the test: the window where the ULP bound does not apply is (-1.5836, -0.9893),
  // around the zero -1.27846 (the contract), and nowhere else.
  CHECK(silu_grad_condition(-1.27846L) > 1e4L);
  CHECK(silu_grad_condition(-1.0L) > 4);
  CHECK(silu_grad_condition(-1.55L) > 4);
  CHECK(silu_grad_condition(-0.9L) < 4);
  CHECK(silu_grad_condition(-1.7L) < 4);
  CHECK(silu_grad_condition(0.5L) < 4);
  CHECK(near_silu_grad_zero(-1.27846L));
  CHECK(near_silu_grad_zero(-1.583L));
  CHECK(near_silu_grad_zero(-0.990L));
  CHECK_FALSE(near_silu_grad_zero(-1.585L));
  CHECK_FALSE(near_silu_grad_zero(-0.988L));
  CHECK_FALSE(near_silu_grad_zero(-20.0L));
}

// ---------------------------------------------------------------------------------------
// Double accuracy (long double reference; MPFR in test_grad_family_double_mpfr.cpp)

TEST_CASE("double silu and silu_grad on random inputs (long double reference)",
          "[silu][silu_grad][accuracy]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  std::mt19937_64 rng(0x5117);
  std::uniform_real_distribution<double> common(-40.0, 40.0);
  std::vector<double> in(logistic_test::fewer<std::size_t>(200000));
  for (double& x : in) x = common(rng);
  std::vector<double> s(in.size()), g(in.size()), fs(in.size()), fg(in.size());
  logistic::silu(in.data(), s.data(), in.size());
  logistic::silu_grad(in.data(), g.data(), in.size());
  logistic::fast::silu(in.data(), fs.data(), in.size());
  logistic::fast::silu_grad(in.data(), fg.data(), in.size());
  long double worst[4] = {0, 0, 0, 0};
  failure_log failures;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const long double x = in[i];
    if (near_silu_grad_zero(x)) continue;  // the absolute bound: MPFR test
    const long double es = silu_exact(x), eg = silu_grad_exact(x);
    const long double u[4] = {ulps(s[i], es), ulps(g[i], eg), ulps(fs[i], es), ulps(fg[i], eg)};
    const long double bound[4] = {2, 2, 4, 4};
    for (int k = 0; k < 4; ++k) {
      if (u[k] > worst[k]) worst[k] = u[k];
      if (!(u[k] < bound[k] + 0.01L) && failures.record())
        failures.describe("function " + std::to_string(k) + " at " + show(in[i]));
    }
  }
  std::printf("%s double (long double ref): silu %.3Lf, silu_grad %.3Lf, fast %.3Lf / %.3Lf ULP\n",
              xsimd::default_arch::name(), worst[0], worst[1], worst[2], worst[3]);
  INFO(failures.first());
  CHECK(failures.count() == 0);
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

TEST_CASE("faithful float silu and silu_grad are bit-identical with FTZ and DAZ set",
          "[silu][silu_grad][ftz]") {
  std::vector<float> in;
  for (std::uint32_t b = 1; b < 0x00800000u; b += 5) {
    in.push_back(float_from_bits(b));
    in.push_back(-float_from_bits(b));
  }
  // Tiny normal inputs around the silu_tiny threshold 2^-60.
  for (int k = -126; k <= -50; ++k) {
    for (const float m : {1.0f, 1.1f, 1.5f, 1.99f}) {
      in.push_back(std::ldexp(m, k));
      in.push_back(-std::ldexp(m, k));
    }
  }
  for (float x = -116.0f; x <= -78.0f; x = std::nextafter(x, 0.0f)) in.push_back(x);
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFu; b += 1021) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(b)));
  }
  check_ftz_daz_independence<silu_faithful>(in);
  check_ftz_daz_independence<grad_faithful>(in);
}

TEST_CASE("faithful double silu and silu_grad are bit-identical with FTZ and DAZ set",
          "[silu][silu_grad][ftz]") {
  std::mt19937_64 rng(0xF7A);
  std::uniform_int_distribution<std::uint64_t> subnormal(1, (std::uint64_t{1} << 52) - 1);
  std::vector<double> in;
  for (int i = 0; i < 100000; ++i) {
    const double x = double_from_bits(subnormal(rng));
    in.push_back(x);
    in.push_back(-x);
  }
  for (double x = -765.0; x <= -700.0; x += 0x1p-10) in.push_back(x);
  std::uniform_real_distribution<double> exponent(-1100.0, -400.0);
  for (int i = 0; i < 100000; ++i) in.push_back(std::ldexp(rng() & 1 ? 1.0 : -1.0, int(exponent(rng))));
  for (int i = 0; i < 1000000; ++i) in.push_back(double_from_bits(rng()));
  check_ftz_daz_independence<silu_faithful>(in);
  check_ftz_daz_independence<grad_faithful>(in);
}
#endif  // __SSE2__

// ---------------------------------------------------------------------------------------
// Lanes: array and batch results equal scalar results bit for bit

namespace {

template <class T>
std::vector<T> rare_values() {
  using L = std::numeric_limits<T>;
  const bool f = sizeof(T) == 4;
  std::vector<T> v = {T(0), L::infinity(), L::quiet_NaN(), L::denorm_min(), L::min(), L::max(),
                      f ? T(40) : T(45), std::nextafter(f ? T(40) : T(45), T(1000)),
                      f ? T(87.34) : T(708.4), f ? T(91.8) : T(744.4), f ? T(110) : T(760),
                      f ? T(0x1p-61) : T(0x1p-501), f ? T(0x1p-60) : T(0x1p-500)};
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) v.push_back(-v[i]);
  return v;
}

template <class F, class T>
void check_lanes() {
  constexpr std::size_t w = batch<T>::size;
  std::mt19937 rng(static_cast<unsigned>(w * sizeof(T)));
  const std::vector<T> rare = rare_values<T>();
  std::uniform_real_distribution<T> ordinary(T(-30), T(30));
  std::uniform_int_distribution<std::size_t> pick(0, rare.size() - 1);
  failure_log failures;
  std::size_t calls = 0;
  std::vector<T> storage_in(6 * w), storage_out(6 * w), x;
  for (std::size_t n = 0; n <= 3 * w; ++n) {
    for (std::size_t offset = 0; offset < w; ++offset) {
      for (int pattern = 0; pattern < 3; ++pattern) {
        for (const bool in_place : {false, true}) {
          x.resize(n);
          for (std::size_t i = 0; i < n; ++i) {
            const bool take_rare = pattern == 2 || (pattern == 1 && i % (2 * w + 1) == 0);
            x[i] = take_rare && (pattern == 1 || pick(rng) % 3 == 0) ? rare[pick(rng)]
                                                                      : ordinary(rng);
          }
          std::fill(storage_in.begin(), storage_in.end(), T(-42));
          std::fill(storage_out.begin(), storage_out.end(), T(-42));
          T* in = storage_in.data() + offset;
          T* out = in_place ? in : storage_out.data() + (w - 1 - offset);
          std::copy(x.begin(), x.end(), in);
          F::array(in, out, n);
          ++calls;
          for (std::size_t i = 0; i < n; ++i) {
            if (bits(out[i]) != bits(F::scalar(x[i])) && failures.record())
              failures.describe("n = " + std::to_string(n) + ", offset " +
                                std::to_string(offset) + (in_place ? ", in place" : "") +
                                ", element " + std::to_string(i) + ": f(" + show(double(x[i])) +
                                ") = " + show(double(out[i])));
          }
          std::size_t touched = 0;
          for (std::size_t i = 0; i < storage_out.size(); ++i) {
            const T* p = storage_out.data() + i;
            const bool inside = !in_place && p >= out && p < out + n;
            if (!inside && bits(storage_out[i]) != bits(T(-42))) ++touched;
          }
          if (touched != 0 && failures.record()) failures.describe("wrote outside [out, out + n)");
        }
      }
    }
  }
  // Batches against scalars, lane by lane.
  alignas(A::alignment()) T lanes[w];
  alignas(A::alignment()) T result[w];
  for (int round = 0; round < 2000; ++round) {
    for (T& v : lanes) v = round % 2 ? rare[pick(rng)] : ordinary(rng);
    lanes[static_cast<std::size_t>(round) % w] = rare[pick(rng)];
    F::simd(batch<T>::load_aligned(lanes)).store_aligned(result);
    for (std::size_t l = 0; l < w; ++l) {
      if (bits(result[l]) != bits(F::scalar(lanes[l])) && failures.record())
        failures.describe("batch lane " + std::to_string(l) + ": f(" + show(double(lanes[l])) +
                          ")");
    }
  }
  INFO(F::name << "<" << type_name(T{}) << ">, W = " << w << ", " << calls << " calls:\n"
               << failures.first());
  CHECK(calls == (3 * w + 1) * w * 3 * 2);
  CHECK(failures.count() == 0);
}

}  // namespace

TEST_CASE("silu and silu_grad: array, batch and scalar forms are bit-identical, every tail "
          "length 0..3W, misaligned, in place",
          "[silu][silu_grad][lanes]") {
  check_lanes<silu_faithful, float>();
  check_lanes<silu_faithful, double>();
  check_lanes<silu_fast, float>();
  check_lanes<silu_fast, double>();
  check_lanes<grad_faithful, float>();
  check_lanes<grad_faithful, double>();
  check_lanes<grad_fast, float>();
  check_lanes<grad_fast, double>();
}

TEST_CASE("silu array forms accept n == 0 with null pointers", "[silu][lanes]") {
  STATIC_REQUIRE(noexcept(logistic::silu(static_cast<const float*>(nullptr),
                                         static_cast<float*>(nullptr), 0)));
  logistic::silu(static_cast<const float*>(nullptr), static_cast<float*>(nullptr), 0);
  logistic::silu_grad(static_cast<const double*>(nullptr), static_cast<double*>(nullptr), 0);
  logistic::fast::silu(static_cast<const double*>(nullptr), static_cast<double*>(nullptr), 0);
  logistic::fast::silu_grad(static_cast<const float*>(nullptr), static_cast<float*>(nullptr), 0);
  const float in[1] = {1.0f};
  float out[1] = {-42.0f};
  logistic::silu(in, out, 0);
  CHECK(out[0] == -42.0f);
}
