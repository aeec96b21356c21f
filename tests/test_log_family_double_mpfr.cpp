// Accuracy of the double logit, softplus and log_sigmoid (both tiers where
// there are two) against MPFR (160 bits), and a check of the double-precision
// references that the float tests of these functions use.
//
// [exhaustive]-tagged cases run 10^7 random inputs (CTest label exhaustive);
// the others are the quick edge sweeps and 10^5 random inputs.
#include <logistic/logistic.hpp>

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "catch.hpp"
#include "mpfr_reference.hpp"
#include "reference.hpp"

namespace {

// logit, softplus and log_sigmoid at 160 bits, and the error of a result in
// ULPs of that exact value (the ULP of a subnormal or zero result is the
// smallest subnormal, as in mpfr_sigmoid).
class mpfr_log_family {
 public:
  mpfr_log_family() { mpfr_inits2(160, x_, s_, t_, static_cast<mpfr_ptr>(nullptr)); }
  ~mpfr_log_family() { mpfr_clears(x_, s_, t_, static_cast<mpfr_ptr>(nullptr)); }
  mpfr_log_family(const mpfr_log_family&) = delete;
  mpfr_log_family& operator=(const mpfr_log_family&) = delete;

  // log(p / (1 - p)); 1 - p is exact at 160 bits. -inf at 0, +inf at 1, NaN outside.
  void logit(double p) {
    mpfr_set_d(x_, p, MPFR_RNDN);
    mpfr_ui_sub(t_, 1, x_, MPFR_RNDN);
    mpfr_div(s_, x_, t_, MPFR_RNDN);  // p / 0 = +inf, 0 / 1 = 0, negative outside
    if (mpfr_sgn(s_) < 0 || mpfr_nan_p(s_)) {
      mpfr_set_nan(s_);
    } else {
      mpfr_log(s_, s_, MPFR_RNDN);  // log(0) = -inf, log(+inf) = +inf
    }
  }

  // log(1 + e^x), as x + log1p(e^-x) for x > 0 so that e^x cannot overflow.
  void softplus(double x) {
    mpfr_set_d(x_, x, MPFR_RNDN);
    if (mpfr_inf_p(x_) || mpfr_nan_p(x_)) {
      if (mpfr_sgn(x_) > 0 || mpfr_nan_p(x_)) mpfr_set(s_, x_, MPFR_RNDN);
      else mpfr_set_zero(s_, 1);
      return;
    }
    if (mpfr_sgn(x_) > 0) {
      mpfr_neg(t_, x_, MPFR_RNDN);
      mpfr_exp(t_, t_, MPFR_RNDN);
      mpfr_log1p(t_, t_, MPFR_RNDN);
      mpfr_add(s_, x_, t_, MPFR_RNDN);
    } else {
      mpfr_exp(t_, x_, MPFR_RNDN);
      mpfr_log1p(s_, t_, MPFR_RNDN);
    }
  }

  void log_sigmoid(double x) {
    softplus(-x);
    mpfr_neg(s_, s_, MPFR_RNDN);
  }

  double value() const { return mpfr_get_d(s_, MPFR_RNDN); }

  template <class T>
  double ulp_error(T y) {
    const double yd = static_cast<double>(y);
    if (mpfr_nan_p(s_)) return std::isnan(yd) ? 0.0 : std::numeric_limits<double>::infinity();
    if (std::isnan(yd)) return std::numeric_limits<double>::infinity();
    if (mpfr_inf_p(s_)) {
      return std::isinf(yd) && (yd > 0) == (mpfr_sgn(s_) > 0)
                 ? 0.0
                 : std::numeric_limits<double>::infinity();
    }
    if (std::isinf(yd)) return std::numeric_limits<double>::infinity();
    mpfr_set_d(t_, yd, MPFR_RNDN);
    mpfr_sub(t_, t_, s_, MPFR_RNDN);
    mpfr_abs(t_, t_, MPFR_RNDN);
    const int p = std::numeric_limits<T>::digits;
    const long min_exp = std::numeric_limits<T>::min_exponent;
    long e = mpfr_get_exp(s_);
    if (mpfr_zero_p(s_) || e < min_exp) e = min_exp;
    mpfr_mul_2si(t_, t_, p - e, MPFR_RNDN);
    return mpfr_get_d(t_, MPFR_RNDU);
  }

 private:
  mpfr_t x_, s_, t_;
};

enum class function { logit, softplus, log_sigmoid };

const char* name_of(function f) {
  switch (f) {
    case function::logit: return "logit";
    case function::softplus: return "softplus";
    default: return "log_sigmoid";
  }
}

struct worst {
  double ulp = 0;
  double x = 0;
};

void evaluate(function f, bool fast, const std::vector<double>& xs, std::vector<double>& out) {
  out.resize(xs.size());
  switch (f) {
    case function::logit: logistic::logit(xs.data(), out.data(), xs.size()); break;
    case function::softplus:
      if (fast) logistic::fast::softplus(xs.data(), out.data(), xs.size());
      else logistic::softplus(xs.data(), out.data(), xs.size());
      break;
    case function::log_sigmoid:
      if (fast) logistic::fast::log_sigmoid(xs.data(), out.data(), xs.size());
      else logistic::log_sigmoid(xs.data(), out.data(), xs.size());
      break;
  }
}

// Fails on a faithful error >= 1 ULP, on a fast error > 4 ULP where the exact
// result is normal, and on a fast result other than 0 or a value within 4 ULP
// where it is not (the fast tier may flush those to zero).
void check_double(function f, const std::vector<double>& xs, const char* what) {
  mpfr_log_family ref;
  std::vector<double> faithful, fast;
  evaluate(f, false, xs, faithful);
  const bool has_fast = f != function::logit;
  if (has_fast) evaluate(f, true, xs, fast);
  worst wf, wq;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    switch (f) {
      case function::logit: ref.logit(xs[i]); break;
      case function::softplus: ref.softplus(xs[i]); break;
      case function::log_sigmoid: ref.log_sigmoid(xs[i]); break;
    }
    const double uf = ref.ulp_error(faithful[i]);
    if (uf > wf.ulp) wf = {uf, xs[i]};
    if (!(uf < 1.0) && bad++ < 10) {
      std::printf("%s: x = %a -> %a, exact %a, %.3f ULP\n", name_of(f), xs[i], faithful[i],
                  ref.value(), uf);
    }
    if (!has_fast) continue;
    const double uq = ref.ulp_error(fast[i]);
    const bool normal = std::fabs(ref.value()) >= std::numeric_limits<double>::min();
    if (normal && uq > wq.ulp) wq = {uq, xs[i]};
    const bool ok = normal ? uq <= 4.0 : (fast[i] == 0.0 || uq <= 4.0);
    if (!ok && bad++ < 10) {
      std::printf("fast::%s: x = %a -> %a, exact %a, %.3f ULP\n", name_of(f), xs[i], fast[i],
                  ref.value(), uq);
    }
  }
  std::printf("double %s, %s (%zu inputs, %s): faithful max %.4f ULP at x = %a", name_of(f), what,
              xs.size(), xsimd::default_arch::name(), wf.ulp, wf.x);
  if (has_fast) std::printf("; fast max %.4f ULP at x = %a", wq.ulp, wq.x);
  std::printf("\n");
  CHECK(bad == 0);
  CHECK(wf.ulp < 1.0);
  CHECK(wq.ulp <= 4.0);
}

double from_bits(std::uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// A random double of the binade b (2^b <= x < 2^(b+1)), or a subnormal for b < -1022.
double random_in_binade(std::mt19937_64& rng, int b) {
  std::uniform_int_distribution<std::uint64_t> mantissa(0, (std::uint64_t(1) << 52) - 1);
  if (b < -1022) return from_bits(mantissa(rng) >> (-1022 - b));
  return from_bits((std::uint64_t(b + 1023) << 52) | mantissa(rng));
}

// Random x of both signs over all binades up to |x| = 2^10 (softplus is x or
// e^x beyond).
std::vector<double> random_reals(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> binade(-1075, 10);
  std::vector<double> xs(n);
  for (double& x : xs) {
    x = random_in_binade(rng, binade(rng));
    if (rng() & 1) x = -x;
  }
  return xs;
}

// Random probabilities: p and 1 - p spread over all binades below 1/2, plus a
// few percent outside [0, 1].
std::vector<double> random_probabilities(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> binade(-1075, -2);
  std::uniform_real_distribution<double> outside(-2.0, 3.0);
  std::vector<double> ps(n);
  for (double& p : ps) {
    const std::uint64_t kind = rng() % 64;
    if (kind == 0) {
      p = outside(rng);
    } else {
      p = random_in_binade(rng, binade(rng));
      if (kind & 1) p = 1.0 - p;  // rounds for p < 2^-53: then it is 1 or just below
    }
  }
  return ps;
}

void sweep_around(std::vector<double>& xs, double c, int half_width) {
  double x = c;
  for (int k = 0; k < half_width; ++k) x = std::nextafter(x, -HUGE_VAL);
  for (int k = 0; k < 2 * half_width; ++k) {
    xs.push_back(x);
    x = std::nextafter(x, HUGE_VAL);
  }
}

std::vector<double> logit_edges() {
  std::vector<double> xs;
  const double centers[] = {0.0,       0x1p-1074, 0x1p-1022, 0x1p-500,  0x1p-60, 0x1p-30,
                            0.25,      1.0 / 3,   0.4920635, 0.5,       0.75,    1 - 0x1p-30,
                            1 - 0x1p-53, 1.0,     0.984375 / 1.984375,  0.96875 / 1.96875};
  for (const double c : centers) {
    sweep_around(xs, c, 2000);
    for (int k = -1000; k <= 1000; ++k) xs.push_back(c + k * 1e-4);
  }
  const double specials[] = {std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
  for (const double s : specials) {
    xs.push_back(s);
    xs.push_back(-s);
  }
  return xs;
}

std::vector<double> softplus_edges() {
  std::vector<double> xs;
  // ln 2 (1 + e = 2), the table pieces' edges in 1 + e (e = 1/16, 1/32,
  // 0.40625), the main path's limit 45, the saturation 54 ln 2 = 37.43, the
  // smallest normal and subnormal results (-708.40, -744.44, -745.13).
  const double centers[] = {0.0,   0.6931471805599453, 2.772588722239781, 3.4657359027997265,
                            0.9007865453381898, 1.0, 2.0, 16.0, 36.7, 37.43, 37.5, 45.0,
                            70.0,  708.396, 709.78, 744.44, 745.13, 745.2, 746.0, 1e3, 1e300};
  for (const double c : centers) {
    for (const double sign : {1.0, -1.0}) {
      sweep_around(xs, sign * c, 2000);
      for (int k = -1000; k <= 1000; ++k) xs.push_back(sign * c + k * 1e-3);
    }
  }
  const double specials[] = {std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
  for (const double s : specials) {
    xs.push_back(s);
    xs.push_back(-s);
  }
  return xs;
}

}  // namespace

TEST_CASE("double logit is faithful at the edges (MPFR)", "[double][logit]") {
  check_double(function::logit, logit_edges(), "edge sweeps");
}

TEST_CASE("double softplus and log_sigmoid are faithful at the edges (MPFR)",
          "[double][softplus]") {
  const std::vector<double> xs = softplus_edges();
  check_double(function::softplus, xs, "edge sweeps");
  check_double(function::log_sigmoid, xs, "edge sweeps");
}

TEST_CASE("double log family is faithful on 10^5 random inputs over all binades (MPFR)",
          "[double]") {
  check_double(function::logit, random_probabilities(100000, 11), "random");
  const std::vector<double> xs = random_reals(100000, 12);
  check_double(function::softplus, xs, "random");
  check_double(function::log_sigmoid, xs, "random");
}

// The random sweeps' size: 10^7, or LOGISTIC_MPFR_RANDOM_INPUTS when set (.ci/run's
// second compiler samples 10^6 to stay within the CI time budget; the first runs 10^7).
static std::size_t random_sweep_size() {
  const char* s = std::getenv("LOGISTIC_MPFR_RANDOM_INPUTS");
  const unsigned long long n = s != nullptr ? std::strtoull(s, nullptr, 10) : 0;
  return n > 0 ? static_cast<std::size_t>(n) : std::size_t(10000000);
}

TEST_CASE("double log family is faithful on 10^7 random inputs over all binades (MPFR)",
          "[double][exhaustive]") {
  check_double(function::logit, random_probabilities(random_sweep_size(), 21), "random");
  const std::vector<double> xs = random_reals(random_sweep_size(), 22);
  check_double(function::softplus, xs, "random (sweep)");
  check_double(function::log_sigmoid, xs, "random (sweep)");
}

// ---------------------------------------------------------------------------------------
// The double references of the float tests (test_logit_special.cpp,
// test_softplus_special.cpp) must be far more accurate than a float ULP.

namespace {

double logit_reference(float p) {
  const double pd = p;
  if (pd >= 0.25) return std::log1p((2 * pd - 1) / (1 - pd));  // 2p - 1 and 1 - p exact
  return std::log(pd / (1 - pd));
}

double softplus_reference(float x) {
  const double xd = x;
  return xd > 0 ? xd + std::log1p(std::exp(-xd)) : std::log1p(std::exp(xd));
}

}  // namespace

TEST_CASE("the double references for float logit and softplus agree with MPFR", "[reference]") {
  mpfr_log_family ref;
  double worst_logit = 0, worst_softplus = 0;
  for (std::uint64_t b = 0; b < (std::uint64_t(1) << 32); b += 4099) {
    const float x = logistic_test::float_from_bits(static_cast<std::uint32_t>(b));
    if (!std::isfinite(x)) continue;
    if (x > 0.0f && x < 1.0f) {
      ref.logit(static_cast<double>(x));
      // error in float ULPs of the exact value: a double ULP is 2^-29 float ULP
      worst_logit = std::max(worst_logit, ref.ulp_error(logit_reference(x)) * 0x1p-29);
    }
    ref.softplus(static_cast<double>(x));
    const double exact = ref.value();
    if (exact >= static_cast<double>(std::numeric_limits<float>::denorm_min())) {
      worst_softplus = std::max(worst_softplus, ref.ulp_error(softplus_reference(x)) * 0x1p-29);
    }
  }
  std::printf("double references: logit max %.3g float ULP, softplus max %.3g float ULP\n",
              worst_logit, worst_softplus);
  CHECK(worst_logit < 1e-6);
  CHECK(worst_softplus < 1e-6);
}
