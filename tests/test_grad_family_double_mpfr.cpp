// Accuracy of the double derivative family against MPFR (160 bits): sigmoid_grad (< 1 ULP;
// fast <= 4), silu (< 2; fast <= 4), silu_grad (< 2 outside the window around its zero
// x0 = -1.27846 where the relative condition number reaches 4, an absolute bound inside;
// fast <= 4) and sigmoid_backward (< 2 ULP of dy y (1 - y) for the given inputs).
//
// [exhaustive]-tagged cases run 10^7 random inputs over all binades (CTest label
// exhaustive); the others are the edge sweeps and 10^5 random inputs.
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

// sigma(x), sigma(-x) and the family at 160 bits, for |x| <= 2048.
class mpfr_family {
 public:
  mpfr_family() { mpfr_inits2(160, x_, e_, sp_, sm_, r_, t_, static_cast<mpfr_ptr>(nullptr)); }
  ~mpfr_family() { mpfr_clears(x_, e_, sp_, sm_, r_, t_, static_cast<mpfr_ptr>(nullptr)); }
  mpfr_family(const mpfr_family&) = delete;
  mpfr_family& operator=(const mpfr_family&) = delete;

  void set(double x) {
    mpfr_set_d(x_, x, MPFR_RNDN);
    mpfr_neg(e_, x_, MPFR_RNDN);
    mpfr_exp(e_, e_, MPFR_RNDN);  // e^-x
    mpfr_add_ui(t_, e_, 1, MPFR_RNDN);
    mpfr_ui_div(sp_, 1, t_, MPFR_RNDN);  // sigma(x) = 1 / (1 + e^-x)
    mpfr_div(sm_, e_, t_, MPFR_RNDN);     // sigma(-x) = e^-x / (1 + e^-x): no cancellation
  }
  void sigmoid_grad() { mpfr_mul(r_, sp_, sm_, MPFR_RNDN); }
  void silu() { mpfr_mul(r_, x_, sp_, MPFR_RNDN); }
  void silu_grad() {
    // The zero x0 is irrational and no double: 1 + x sigma(-x) cancels to at most ~60 bits.
    mpfr_mul(t_, x_, sm_, MPFR_RNDN);
    mpfr_add_ui(t_, t_, 1, MPFR_RNDN);
    mpfr_mul(r_, sp_, t_, MPFR_RNDN);
  }
  // |x f'(x) / f(x)| of silu_grad, f' = sigma'(x) (2 + x (sigma(-x) - sigma(x))); in double.
  double silu_grad_condition() {
    mpfr_t d;
    mpfr_init2(d, 160);
    mpfr_sub(d, sm_, sp_, MPFR_RNDN);
    mpfr_mul(d, d, x_, MPFR_RNDN);
    mpfr_add_ui(d, d, 2, MPFR_RNDN);
    mpfr_mul(d, d, sp_, MPFR_RNDN);
    mpfr_mul(d, d, sm_, MPFR_RNDN);
    mpfr_mul(d, d, x_, MPFR_RNDN);
    mpfr_div(d, d, r_, MPFR_RNDN);  // r_ holds silu_grad
    const double c = std::fabs(mpfr_get_d(d, MPFR_RNDN));
    mpfr_clear(d);
    return c;
  }
  void backward(double y, double dy) {
    mpfr_set_d(t_, y, MPFR_RNDN);
    mpfr_ui_sub(r_, 1, t_, MPFR_RNDN);  // exact at 160 bits for doubles within 2^100 of 1
    mpfr_mul(r_, r_, t_, MPFR_RNDN);
    mpfr_set_d(t_, dy, MPFR_RNDN);
    mpfr_mul(r_, r_, t_, MPFR_RNDN);
  }

  double value() const { return mpfr_get_d(r_, MPFR_RNDN); }

  // |y - r| / ulp(r), ulp of a subnormal or zero result the smallest subnormal.
  double ulp_error(double y) {
    if (std::isnan(y)) return mpfr_nan_p(r_) ? 0 : std::numeric_limits<double>::infinity();
    if (std::isinf(y)) {
      // A result that overflowed: right when the exact value rounds to it.
      return mpfr_get_d(r_, MPFR_RNDN) == y ? 0 : std::numeric_limits<double>::infinity();
    }
    mpfr_set_d(t_, y, MPFR_RNDN);
    mpfr_sub(t_, t_, r_, MPFR_RNDN);
    mpfr_abs(t_, t_, MPFR_RNDN);
    long e = mpfr_get_exp(r_);
    if (mpfr_zero_p(r_) || e < -1021) e = -1021;
    mpfr_mul_2si(t_, t_, 53 - e, MPFR_RNDN);
    return mpfr_get_d(t_, MPFR_RNDU);
  }
  // |y - r| in absolute terms.
  double abs_error(double y) {
    mpfr_set_d(t_, y, MPFR_RNDN);
    mpfr_sub(t_, t_, r_, MPFR_RNDN);
    return std::fabs(mpfr_get_d(t_, MPFR_RNDU));
  }

 private:
  mpfr_t x_, e_, sp_, sm_, r_, t_;
};

struct worst {
  double err = 0;
  double x = 0;
  void note(double e, double at) {
    if (e > err || std::isnan(e)) *this = {e, at};
  }
};

bool near_silu_grad_zero(double x, double condition) {
  return x > -2.0 && x < -0.5 && condition >= 4;
}

constexpr double silu_grad_abs_bound = 0x1p-55;

// Runs every unary function of the family, both tiers, over xs and checks the bounds.
void check_unary(const std::vector<double>& xs, const char* what) {
  const std::size_t n = xs.size();
  std::vector<double> g(n), gq(n), s(n), sq(n), d(n), dq(n);
  logistic::sigmoid_grad(xs.data(), g.data(), n);
  logistic::fast::sigmoid_grad(xs.data(), gq.data(), n);
  logistic::silu(xs.data(), s.data(), n);
  logistic::fast::silu(xs.data(), sq.data(), n);
  logistic::silu_grad(xs.data(), d.data(), n);
  logistic::fast::silu_grad(xs.data(), dq.data(), n);
  mpfr_family ref;
  worst wg, wgq, ws, wsq, wd, wdq, wd_abs, wdq_abs;
  std::size_t bad = 0;
  const auto report = [&bad](const char* fn, double x, double y, double exact, double err) {
    if (bad++ < 10) std::printf("%s: x = %a -> %a, exact %a, error %.3g\n", fn, x, y, exact, err);
  };
  const double min_normal = std::numeric_limits<double>::min();
  for (std::size_t i = 0; i < n; ++i) {
    const double x = xs[i];
    if (std::isnan(x)) continue;
    // Special values, and |x| beyond where every function has saturated (MPFR's default
    // exponent range ends near e^(2^30 ln 2)): test_*_special.cpp.
    if (!(std::fabs(x) <= 2048.0)) continue;
    ref.set(x);

    ref.sigmoid_grad();
    double u = ref.ulp_error(g[i]);
    wg.note(u, x);
    if (!(u < 1.0)) report("sigmoid_grad", x, g[i], ref.value(), u);
    if (std::fabs(ref.value()) >= min_normal) {
      u = ref.ulp_error(gq[i]);
      wgq.note(u, x);
      if (!(u <= 4.0)) report("fast::sigmoid_grad", x, gq[i], ref.value(), u);
    }

    ref.silu();
    u = ref.ulp_error(s[i]);
    ws.note(u, x);
    if (!(u < 2.0)) report("silu", x, s[i], ref.value(), u);
    if (std::fabs(ref.value()) >= min_normal) {
      u = ref.ulp_error(sq[i]);
      wsq.note(u, x);
      if (!(u <= 4.0)) report("fast::silu", x, sq[i], ref.value(), u);
    }

    ref.silu_grad();
    if (near_silu_grad_zero(x, ref.silu_grad_condition())) {
      double a = ref.abs_error(d[i]);
      wd_abs.note(a, x);
      if (!(a < silu_grad_abs_bound)) report("silu_grad (absolute)", x, d[i], ref.value(), a);
      a = ref.abs_error(dq[i]);
      wdq_abs.note(a, x);
      if (!(a < 0x1p-52)) report("fast::silu_grad (absolute)", x, dq[i], ref.value(), a);
    } else {
      u = ref.ulp_error(d[i]);
      wd.note(u, x);
      if (!(u < 2.0)) report("silu_grad", x, d[i], ref.value(), u);
      if (std::fabs(ref.value()) >= min_normal) {
        u = ref.ulp_error(dq[i]);
        wdq.note(u, x);
        if (!(u <= 4.0)) report("fast::silu_grad", x, dq[i], ref.value(), u);
      }
    }
  }
  std::printf("double, %s (%zu inputs, %s), max ULP [at x]:\n"
              "  sigmoid_grad %.4f [%a], fast %.4f [%a]\n"
              "  silu         %.4f [%a], fast %.4f [%a]\n"
              "  silu_grad    %.4f [%a], fast %.4f [%a]; near its zero: abs %.3g (2^%.2f) [%a], "
              "fast %.3g [%a]\n",
              what, n, xsimd::default_arch::name(), wg.err, wg.x, wgq.err, wgq.x, ws.err, ws.x,
              wsq.err, wsq.x, wd.err, wd.x, wdq.err, wdq.x, wd_abs.err,
              wd_abs.err > 0 ? std::log2(wd_abs.err) : -1e9, wd_abs.x, wdq_abs.err, wdq_abs.x);
  CHECK(bad == 0);
}

void check_backward(const std::vector<double>& y, const std::vector<double>& dy, const char* what) {
  std::vector<double> dx(y.size());
  logistic::sigmoid_backward(y.data(), dy.data(), dx.data(), y.size());
  mpfr_family ref;
  worst w;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    ref.backward(y[i], dy[i]);
    const double u = ref.ulp_error(dx[i]);
    w.note(u, y[i]);
    if (!(u < 2.0) && bad++ < 10) {
      std::printf("sigmoid_backward(%a, %a) = %a, exact %a, %.3f ULP\n", y[i], dy[i], dx[i],
                  ref.value(), u);
    }
  }
  std::printf("double sigmoid_backward, %s (%zu inputs, %s): max %.4f ULP at y = %a\n", what,
              y.size(), xsimd::default_arch::name(), w.err, w.x);
  CHECK(bad == 0);
}

// Random doubles of both signs spread evenly over the binades (and the subnormals) up to
// |x| = 2^10, where every function has saturated.
std::vector<double> random_over_binades(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> binade(-1075, 10);
  std::uniform_int_distribution<std::uint64_t> mantissa(0, (std::uint64_t(1) << 52) - 1);
  std::vector<double> xs(n);
  for (auto& x : xs) {
    const int b = binade(rng);
    std::uint64_t bits;
    if (b < -1022) {
      bits = mantissa(rng) >> (-1022 - b);
    } else {
      bits = (std::uint64_t(b + 1023) << 52) | mantissa(rng);
    }
    if (rng() & 1) bits |= std::uint64_t(1) << 63;
    std::memcpy(&x, &bits, sizeof x);
  }
  return xs;
}

// Uniform in [-48, 48], where the functions do their work (half of the inputs), plus the
// binade spread.
std::vector<double> random_inputs(std::size_t n, std::uint64_t seed) {
  std::vector<double> xs = random_over_binades(n / 2, seed);
  std::mt19937_64 rng(seed + 1);
  std::uniform_real_distribution<double> core(-48.0, 48.0);
  while (xs.size() < n) xs.push_back(core(rng));
  return xs;
}

// Dense sweeps around every threshold of the kernels and of the functions.
std::vector<double> edge_sweeps() {
  std::vector<double> xs;
  const double centers[] = {0.0,   0x1p-500, 0.5,   1.0,    1.2784645427610738, 1.6,   0.96,
                            2.3994, 16.0,  36.7,     37.5,  45.0,   70.0,  708.396,
                            708.3964185322641, 709.78, 744.44, 745.13, 745.2, 751.8, 760.0, 1e3};
  for (const double c : centers) {
    for (const double sign : {1.0, -1.0}) {
      double x = sign * c;
      for (int k = 0; k < 1000; ++k) x = std::nextafter(x, -HUGE_VAL);
      for (int k = 0; k < 2000; ++k) {
        xs.push_back(x);
        x = std::nextafter(x, HUGE_VAL);
      }
      for (int k = -1000; k <= 1000; ++k) xs.push_back(sign * c + k * 1e-3);
    }
  }
  for (const double s : {std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::min(),
                         std::numeric_limits<double>::max()}) {
    xs.push_back(s);
    xs.push_back(-s);
  }
  return xs;
}

// (y, dy) pairs: sigmoid outputs with ordinary gradients, saturated outputs, and any
// magnitudes (subnormal inputs and results, overflow).
void backward_inputs(std::size_t n, std::uint64_t seed, std::vector<double>& y,
                     std::vector<double>& dy) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> binade(-1100, 1023);
  const std::vector<double> any = random_over_binades(n, seed + 7);
  y.resize(n);
  dy.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    switch (i % 4) {
      case 0: y[i] = unit(rng); dy[i] = std::ldexp(unit(rng) - 0.5, binade(rng) / 32); break;
      case 1: y[i] = std::ldexp(unit(rng), -int(rng() % 1000)); dy[i] = unit(rng) - 0.5; break;
      case 2: y[i] = 1.0 - std::ldexp(unit(rng), -int(rng() % 54)); dy[i] = unit(rng); break;
      default:
        y[i] = std::ldexp(unit(rng) - 0.5, binade(rng));
        dy[i] = any[i] * std::ldexp(1.0, int(rng() % 1000));
    }
  }
}

}  // namespace

TEST_CASE("double derivative family at the edges (MPFR)", "[double]") {
  check_unary(edge_sweeps(), "edge sweeps");
}

TEST_CASE("double derivative family on 10^5 random inputs (MPFR)", "[double]") {
  check_unary(random_inputs(100000, 11), "random");
}

TEST_CASE("double sigmoid_backward on 10^5 random input pairs (MPFR)", "[double]") {
  std::vector<double> y, dy;
  backward_inputs(100000, 21, y, dy);
  check_backward(y, dy, "random");
}

// The random sweeps' size: 10^7, or LOGISTIC_MPFR_RANDOM_INPUTS when set (.ci/run's
// second compiler samples 10^6 to stay within the CI time budget; the first runs 10^7).
static std::size_t random_sweep_size() {
  const char* s = std::getenv("LOGISTIC_MPFR_RANDOM_INPUTS");
  const unsigned long long n = s != nullptr ? std::strtoull(s, nullptr, 10) : 0;
  return n > 0 ? static_cast<std::size_t>(n) : std::size_t(10000000);
}

TEST_CASE("double derivative family on 10^7 random inputs over all binades (MPFR)",
          "[double][exhaustive]") {
  check_unary(random_inputs(random_sweep_size(), 12), "random (sweep)");
}

TEST_CASE("double sigmoid_backward on 10^7 random input pairs (MPFR)", "[double][exhaustive]") {
  std::vector<double> y, dy;
  backward_inputs(random_sweep_size(), 22, y, dy);
  check_backward(y, dy, "random (sweep)");
}

TEST_CASE("the MPFR family reference agrees with known values", "[reference]") {
  // A test of the test: sigma'(0) = 1/4, silu(1) = sigma(1), silu_grad(0) = 1/2, and the
  // ULP measure counts one double step as 1.
  mpfr_family ref;
  ref.set(0.0);
  ref.sigmoid_grad();
  CHECK(ref.value() == 0.25);
  CHECK(ref.ulp_error(std::nextafter(0.25, 0.0)) == 0.5);  // the step below 0.25 is 2^-55
  ref.silu_grad();
  CHECK(ref.value() == 0.5);
  ref.set(1.0);
  ref.silu();
  CHECK(std::fabs(ref.value() - 1.0 / (1.0 + std::exp(-1.0))) < 1e-16);
  ref.set(-1.2784645427610738);
  ref.silu_grad();
  CHECK(std::fabs(ref.value()) < 1e-15);
  CHECK(ref.silu_grad_condition() > 1e10);
  ref.backward(0.5, 4.0);
  CHECK(ref.value() == 1.0);
  CHECK(ref.ulp_error(std::nextafter(1.0, 2.0)) == 1.0);
}
