// Checks of tests/family_reference.hpp, the double references that the exhaustive float
// harness of issue 3 (exhaustive_family.cpp) measures the library against: each reference
// against MPFR at 320 bits on a few hundred thousand floats spread over all binades, plus
// dense sweeps where the functions are delicate (the zero of silu_grad, logit near 1/2 and
// 1, tiny and huge inputs); the sign of the rounding residual the references report at
// powers of two; and the ULP and dy helpers the harness relies on.
//
// A reference must stay within 2^-45 relative error of MPFR wherever its float result can
// be non-zero (|exact| >= 2^-151); below that it must round to 0 as a float too.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include <mpfr.h>

#include "catch.hpp"
#include "family_reference.hpp"

namespace {

using logistic_test::exact_value;
using logistic_test::float_from_bits;

constexpr mpfr_prec_t precision = 320;

// The seven functions, computed by MPFR from their textbook definitions at 320 bits.
class mpfr_family {
 public:
  mpfr_family() {
    mpfr_inits2(precision, x_, y_, s_, t_, u_, r_, static_cast<mpfr_ptr>(nullptr));
  }
  ~mpfr_family() { mpfr_clears(x_, y_, s_, t_, u_, r_, static_cast<mpfr_ptr>(nullptr)); }
  mpfr_family(const mpfr_family&) = delete;
  mpfr_family& operator=(const mpfr_family&) = delete;

  // r = sigma(x) = 1 / (1 + e^-x).
  void sigmoid(float x) {
    mpfr_set_flt(x_, x, MPFR_RNDN);
    mpfr_neg(t_, x_, MPFR_RNDN);
    mpfr_exp(t_, t_, MPFR_RNDN);
    mpfr_add_ui(t_, t_, 1, MPFR_RNDN);
    mpfr_ui_div(s_, 1, t_, MPFR_RNDN);
    mpfr_set(r_, s_, MPFR_RNDN);
  }
  void logit(float p) {
    mpfr_set_flt(x_, p, MPFR_RNDN);
    mpfr_ui_sub(t_, 1, x_, MPFR_RNDN);  // exact: 1 - p needs at most 150 bits
    mpfr_div(t_, x_, t_, MPFR_RNDN);
    mpfr_log(r_, t_, MPFR_RNDN);
  }
  // log(1 + e^x); for x < 0 as is, for x > 0 as x + log(1 + e^-x) so that e^x stays in
  // MPFR's exponent range for every float x (the same number at 320 bits).
  void softplus(float x) {
    mpfr_set_flt(x_, x, MPFR_RNDN);
    mpfr_abs(t_, x_, MPFR_RNDN);
    mpfr_neg(t_, t_, MPFR_RNDN);
    mpfr_exp(t_, t_, MPFR_RNDN);
    mpfr_log1p(r_, t_, MPFR_RNDN);
    if (x > 0) mpfr_add(r_, r_, x_, MPFR_RNDN);
  }
  // log sigma(x) = -softplus(-x).
  void log_sigmoid(float x) {
    softplus(-x);
    mpfr_neg(r_, r_, MPFR_RNDN);
  }
  // sigma(x) sigma(-x) = sigma(x) (1 - sigma(x)).
  void sigmoid_grad(float x) {
    sigmoid(x);
    mpfr_ui_sub(t_, 1, s_, MPFR_RNDN);
    mpfr_mul(r_, s_, t_, MPFR_RNDN);
  }
  void silu(float x) {
    sigmoid(x);
    mpfr_mul(r_, x_, s_, MPFR_RNDN);
  }
  // sigma(x) (1 + x (1 - sigma(x))); 1 + x (1 - sigma) loses at most ~30 of 320 bits to
  // cancellation at the float nearest the zero of silu_grad.
  void silu_grad(float x) {
    sigmoid(x);
    mpfr_ui_sub(t_, 1, s_, MPFR_RNDN);
    mpfr_mul(t_, t_, x_, MPFR_RNDN);
    mpfr_add_ui(t_, t_, 1, MPFR_RNDN);
    mpfr_mul(r_, s_, t_, MPFR_RNDN);
  }
  // dy y (1 - y), exact at 320 bits for float y and dy.
  void sigmoid_backward(float y, float dy) {
    mpfr_set_flt(y_, y, MPFR_RNDN);
    mpfr_ui_sub(t_, 1, y_, MPFR_RNDN);
    mpfr_mul(t_, t_, y_, MPFR_RNDN);
    mpfr_set_flt(u_, dy, MPFR_RNDN);
    mpfr_mul(r_, t_, u_, MPFR_RNDN);
  }

  bool nan() const { return mpfr_nan_p(r_) != 0; }
  bool inf() const { return mpfr_inf_p(r_) != 0; }
  bool zero() const { return mpfr_zero_p(r_) != 0; }
  int sign() const { return mpfr_sgn(r_); }
  double value() const { return mpfr_get_d(r_, MPFR_RNDN); }
  // |ref / exact - 1|, for a finite non-zero exact value.
  double relative_error(double ref) {
    mpfr_set_d(t_, ref, MPFR_RNDN);
    mpfr_div(t_, t_, r_, MPFR_RNDN);
    mpfr_sub_ui(t_, t_, 1, MPFR_RNDN);
    return std::fabs(mpfr_get_d(t_, MPFR_RNDU));
  }
  // True when |exact| < 2^-151: the float result rounds to 0 whatever the reference is.
  bool below_float_rounding() const {
    return mpfr_zero_p(r_) || mpfr_get_exp(r_) <= -151;  // |r| < 2^(exp) <= 2^-151
  }
  // The sign of exact - v.
  int compare_with(double v) const { return mpfr_cmp_d(r_, v); }

 private:
  mpfr_t x_, y_, s_, t_, u_, r_;
};

struct accuracy {
  double max_relative = 0;
  float worst_x = 0;
  float worst_dy = 0;
  std::size_t checked = 0;
  std::size_t failures = 0;
  std::size_t residuals_confirmed = 0;  // residual signs MPFR could resolve and agreed with
};

constexpr double relative_limit = 0x1p-45;

// Compares one reference with MPFR's value (already computed in m).
void compare(mpfr_family& m, const exact_value& ref, float x, float dy, accuracy& acc,
             const char* name) {
  ++acc.checked;
  bool ok = true;
  double rel = 0;
  if (m.nan()) {
    ok = std::isnan(ref.value);
  } else if (m.inf()) {
    ok = std::isinf(ref.value) && (ref.value > 0) == (m.sign() > 0);
  } else if (m.below_float_rounding()) {
    ok = std::fabs(ref.value) < 0x1p-150;
  } else {
    rel = m.relative_error(ref.value);
    ok = rel < relative_limit;
  }
  // Where the reference reports a residual sign, it must be the true one, wherever 320 bits
  // resolve it (silu(x) = x - x e^-x for x > 222, say, is x to 320 bits).
  if (ok && ref.residual != 0 && !m.nan() && !m.inf() && m.compare_with(ref.value) != 0) {
    ok = (m.compare_with(ref.value) > 0 ? 1 : -1) == ref.residual;
    if (ok) ++acc.residuals_confirmed;
  }
  if (rel > acc.max_relative) {
    acc.max_relative = rel;
    acc.worst_x = x;
    acc.worst_dy = dy;
  }
  if (!ok && acc.failures++ < 8) {
    std::printf("%s: x = %a dy = %a: reference %a (residual %d), MPFR %a, relative %.3g\n", name,
                static_cast<double>(x), static_cast<double>(dy), ref.value, ref.residual,
                m.value(), rel);
  }
}

void report(const char* name, const accuracy& acc) {
  std::printf("%-18s %8zu inputs: max relative error %.3g (2^%.1f) at x = %a", name,
              acc.checked, acc.max_relative,
              acc.max_relative > 0 ? std::log2(acc.max_relative) : -INFINITY,
              static_cast<double>(acc.worst_x));
  if (acc.worst_dy != 0) std::printf(", dy = %a", static_cast<double>(acc.worst_dy));
  std::printf("; %zu residual signs confirmed\n", acc.residuals_confirmed);
}

// Floats from uniformly random bit patterns: every binade equally likely, both signs,
// subnormals, +-inf and NaN included.
std::vector<float> random_bit_patterns(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> xs(n);
  for (auto& x : xs) x = float_from_bits(static_cast<std::uint32_t>(rng()));
  return xs;
}

// The k floats on each side of c, c included.
void add_neighbours(std::vector<float>& xs, float c, int k) {
  float x = c;
  for (int i = 0; i < k; ++i) x = std::nextafter(x, -INFINITY);
  for (int i = 0; i <= 2 * k; ++i, x = std::nextafter(x, INFINITY)) xs.push_back(x);
}

// The inputs every unary reference is checked on.
std::vector<float> unary_inputs() {
  std::vector<float> xs = random_bit_patterns(300000, 20261126);
  // The zero of silu_grad (x0 = -1.2785), densely, and the edges of the window where the
  // reference changes formula.
  add_neighbours(xs, static_cast<float>(logistic_test::silu_grad_zero_hi), 20000);
  add_neighbours(xs, static_cast<float>(logistic_test::silu_grad_zero_hi - 0.25), 200);
  add_neighbours(xs, static_cast<float>(logistic_test::silu_grad_zero_hi + 0.25), 200);
  // The extremes of silu_grad (+-2.3994), x = 0, and where results underflow or saturate.
  for (float c : {-2.3994f, 2.3994f, 0.0f, -87.33f, -88.72f, -103.28f, -103.97f, -104.0f,
                  17.33f, 37.43f, 88.72f, 745.1f, -745.1f}) {
    add_neighbours(xs, c, 500);
  }
  // Tiny and huge powers of two (sigmoid_grad -> 1/4, silu -> x/2 and x, silu_grad -> 1/2
  // and 1: the residual signs).
  for (int k = -149; k <= 127; ++k) {
    xs.push_back(std::ldexp(1.0f, k));
    xs.push_back(-std::ldexp(1.0f, k));
  }
  for (float s : {std::numeric_limits<float>::max(), std::numeric_limits<float>::min(),
                  std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::infinity(),
                  std::numeric_limits<float>::quiet_NaN()}) {
    xs.push_back(s);
    xs.push_back(-s);
  }
  return xs;
}

// Probabilities: random floats of [0, 1] by bit pattern (all binades below 1), the
// neighbourhoods of 1/2 and 1, and some inputs outside [0, 1].
std::vector<float> logit_inputs() {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::uint32_t> below_one(0, 0x3f800000u);
  std::vector<float> ps(200000);
  for (auto& p : ps) p = float_from_bits(below_one(rng));
  add_neighbours(ps, 0.5f, 20000);
  add_neighbours(ps, 0.25f, 1000);
  add_neighbours(ps, 1.0f, 1000);
  add_neighbours(ps, 0.0f, 1000);
  for (float p : random_bit_patterns(10000, 8)) ps.push_back(p);
  return ps;
}

}  // namespace

TEST_CASE("family references agree with MPFR on all binades", "[reference]") {
  mpfr_family m;
  const std::vector<float> xs = unary_inputs();
  accuracy sigmoid, log_sigmoid, softplus, sigmoid_grad, silu, silu_grad;
  for (const float x : xs) {
    if (std::isinf(x)) continue;  // limits, checked in the next test case
    const logistic_test::family_references r = logistic_test::family_references_of(x);
    m.sigmoid(x);
    compare(m, r.sigmoid, x, 0, sigmoid, "sigmoid");
    m.log_sigmoid(x);
    compare(m, r.log_sigmoid, x, 0, log_sigmoid, "log_sigmoid");
    m.softplus(x);
    compare(m, r.softplus, x, 0, softplus, "softplus");
    m.sigmoid_grad(x);
    compare(m, r.sigmoid_grad, x, 0, sigmoid_grad, "sigmoid_grad");
    m.silu(x);
    compare(m, r.silu, x, 0, silu, "silu");
    m.silu_grad(x);
    compare(m, r.silu_grad, x, 0, silu_grad, "silu_grad");
  }
  report("sigmoid", sigmoid);
  report("log_sigmoid", log_sigmoid);
  report("softplus", softplus);
  report("sigmoid_grad", sigmoid_grad);
  report("silu", silu);
  report("silu_grad", silu_grad);
  for (const accuracy* a : {&sigmoid, &log_sigmoid, &softplus, &sigmoid_grad, &silu, &silu_grad}) {
    CHECK(a->failures == 0);
    CHECK(a->max_relative < relative_limit);
    CHECK(a->checked + 2 == xs.size());  // all but +-inf
  }
  // The powers of two among the inputs exercise the residual signs of these four.
  CHECK(sigmoid.residuals_confirmed > 100);
  CHECK(sigmoid_grad.residuals_confirmed > 100);
  CHECK(silu.residuals_confirmed > 100);
  CHECK(silu_grad.residuals_confirmed > 100);
}

TEST_CASE("family references at +-inf are the limits", "[reference]") {
  constexpr float inf = std::numeric_limits<float>::infinity();
  const logistic_test::family_references pos = logistic_test::family_references_of(inf);
  const logistic_test::family_references neg = logistic_test::family_references_of(-inf);
  CHECK(pos.sigmoid.value == 1.0);
  CHECK(neg.sigmoid.value == 0.0);
  CHECK(pos.log_sigmoid.value == 0.0);
  CHECK(neg.log_sigmoid.value == -static_cast<double>(inf));
  CHECK(pos.softplus.value == static_cast<double>(inf));
  CHECK(neg.softplus.value == 0.0);
  CHECK(pos.sigmoid_grad.value == 0.0);
  CHECK(neg.sigmoid_grad.value == 0.0);
  CHECK(pos.silu.value == static_cast<double>(inf));
  CHECK(neg.silu.value == 0.0);  // x e^x -> 0
  CHECK(pos.silu_grad.value == 1.0);
  CHECK(neg.silu_grad.value == 0.0);
}

TEST_CASE("logit reference agrees with MPFR, near 1/2 and 1 included", "[reference]") {
  mpfr_family m;
  accuracy logit;
  for (const float p : logit_inputs()) {
    m.logit(p);
    // MPFR gives NaN below 0 (log of a negative number) and above 1 (likewise); at exactly
    // 0 and 1, -inf and +inf.
    compare(m, logistic_test::logit_reference(p), p, 0, logit, "logit");
  }
  report("logit", logit);
  CHECK(logit.failures == 0);
  CHECK(logit.max_relative < relative_limit);
}

TEST_CASE("sigmoid_backward reference is dy y (1 - y) to 2^-45, residual signs included",
          "[reference]") {
  mpfr_family m;
  accuracy backward;
  std::vector<float> ys = random_bit_patterns(300000, 99);
  // Powers of two (y (1 - y) just below y for tiny y, just below -y^2 for huge y), with
  // dy = +-1 and the harness's own dy.
  for (int k = -149; k <= 127; ++k) {
    for (float s : {1.0f, -1.0f}) ys.push_back(s * std::ldexp(1.0f, k));
  }
  add_neighbours(ys, 1.0f, 1000);
  add_neighbours(ys, 0.5f, 1000);
  for (const float y : ys) {
    for (const float dy : {logistic_test::backward_dy_of(y), 1.0f, -1.0f}) {
      m.sigmoid_backward(y, dy);
      compare(m, logistic_test::sigmoid_backward_reference(y, dy), y, dy, backward,
              "sigmoid_backward");
    }
  }
  report("sigmoid_backward", backward);
  CHECK(backward.residuals_confirmed > 300);
  CHECK(backward.failures == 0);
  CHECK(backward.max_relative < relative_limit);
}

TEST_CASE("silu_grad reference near its zero is accurate on every float", "[reference]") {
  // The float closest to x0 is 2^-26.2 away; the naive (1 + x) + e^x would lose 2^-29.
  const float nearest = -0x1.474974p+0f;
  mpfr_family m;
  m.silu_grad(nearest);
  const exact_value r = logistic_test::silu_grad_reference(nearest);
  CHECK(m.relative_error(r.value) < 0x1p-48);
  CHECK(m.sign() < 0);
  CHECK(logistic_test::silu_grad_reference(std::nextafter(nearest, 0.0f)).value > 0);
}

TEST_CASE("silu_grad condition number matches its definition", "[reference]") {
  // |x f'(x) / f(x)|: 0 at x = 0, about |x| far left, infinite at the zero of silu_grad,
  // and below 4 on the right (where f -> 1).
  CHECK(logistic_test::silu_grad_condition(0.0f) == 0.0);
  CHECK(std::fabs(logistic_test::silu_grad_condition(-50.0f) - 50.0 * 48.0 / 49.0) < 0.01);
  CHECK(logistic_test::silu_grad_condition(-0x1.474974p+0f) > 1e6);
  for (float x = 0.0f; x < 100.0f; x += 0.25f) CHECK(logistic_test::silu_grad_condition(x) < 4);
  // Left of the zero it falls back below 4 (about 1.1 at -3) and grows like |x| again past
  // x = -5.5 or so, where silu_grad ~ x e^x is tiny.
  CHECK(logistic_test::silu_grad_condition(-3.0f) < 4);
  CHECK(logistic_test::silu_grad_condition(-0.5f) < 4);
  CHECK(logistic_test::silu_grad_condition(-1.3f) > 4);
  CHECK(logistic_test::silu_grad_condition(-8.0f) > 4);
}

TEST_CASE("ulp_of_exact takes the spacing below a power of two the exact value lies under",
          "[ulp]") {
  using logistic_test::ulp_error;
  using logistic_test::ulp_of_exact;
  CHECK(ulp_of_exact<float>({0.25, 0}) == 0x1p-25);
  CHECK(ulp_of_exact<float>({0.25, 1}) == 0x1p-25);
  CHECK(ulp_of_exact<float>({0.25, -1}) == 0x1p-26);
  CHECK(ulp_of_exact<float>({-0.25, 1}) == 0x1p-26);   // magnitude below 1/4
  CHECK(ulp_of_exact<float>({-0.25, -1}) == 0x1p-25);  // magnitude above
  CHECK(ulp_of_exact<float>({0.3, -1}) == 0x1p-25);    // not a power of two
  CHECK(ulp_of_exact<float>({0x1p-126, -1}) == 0x1p-149);  // below it the subnormal spacing
  CHECK(ulp_of_exact<float>({0x1p-140, -1}) == 0x1p-149);
  // One float below 1/4 is one ULP from an exact value just under 1/4, not half a ULP.
  CHECK(ulp_error(std::nextafter(0.25f, 0.0f), exact_value{0.25, -1}) == 1.0);
  CHECK(ulp_error(std::nextafter(0.25f, 0.0f), exact_value{0.25, 0}) == 0.5);
  CHECK(ulp_error(std::nextafter(0.25f, 1.0f), exact_value{0.25, -1}) == 2.0);
  CHECK(ulp_error(0.25f, exact_value{0.25, -1}) == 0.0);
  CHECK(ulp_error(std::numeric_limits<float>::quiet_NaN(),
                  exact_value{std::numeric_limits<double>::quiet_NaN()}) == 0.0);
  CHECK(std::isinf(ulp_error(0.0f, exact_value{std::numeric_limits<double>::quiet_NaN()})));
  CHECK(std::isinf(ulp_error(std::numeric_limits<float>::infinity(), exact_value{1e38})));
  CHECK(ulp_error(std::numeric_limits<float>::infinity(),
                  exact_value{std::numeric_limits<double>::infinity()}) == 0.0);
  CHECK(ulp_error(0x1p-149f, exact_value{0x1p-150}) == 0.5);
}

TEST_CASE("inverse_float_ulp_of_exact is 1 / ulp_of_exact<float>", "[ulp]") {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> binade(-200, 140);
  std::size_t compared = 0;
  for (int i = 0; i < 200000; ++i) {
    // Random doubles over the float range and beyond, a quarter of them powers of two.
    double v = std::ldexp(1.0 + ((rng() & 3) ? std::ldexp(static_cast<double>(rng() >> 12), -52) : 0.0),
                          binade(rng));
    if (rng() & 1) v = -v;
    const int residual = static_cast<int>(rng() % 3) - 1;
    const exact_value e{v, residual};
    CHECK(logistic_test::inverse_float_ulp_of_exact(e) * logistic_test::ulp_of_exact<float>(e) == 1.0);
    ++compared;
  }
  for (double v : {0.0, -0.0, 0x1p-126, 0x1p-127, 0x1p-149, 0x1p-1074, 0.25, 1.0, 0x1p127}) {
    for (int residual : {-1, 0, 1}) {
      const exact_value e{v, residual};
      CHECK(logistic_test::inverse_float_ulp_of_exact(e) * logistic_test::ulp_of_exact<float>(e) == 1.0);
    }
  }
  CHECK(compared == 200000);
}

TEST_CASE("is_power_of_two and rounds_to_float_infinity", "[ulp]") {
  using logistic_test::is_power_of_two;
  using logistic_test::rounds_to_float_infinity;
  CHECK(is_power_of_two(1.0));
  CHECK(is_power_of_two(0x1p-1000));
  CHECK(is_power_of_two(0x1p1000));
  CHECK_FALSE(is_power_of_two(3.0));
  CHECK_FALSE(is_power_of_two(0.0));
  CHECK_FALSE(is_power_of_two(-2.0));
  CHECK_FALSE(is_power_of_two(std::numeric_limits<double>::infinity()));
  CHECK_FALSE(is_power_of_two(std::numeric_limits<double>::quiet_NaN()));
  const double max = static_cast<double>(std::numeric_limits<float>::max());
  CHECK_FALSE(rounds_to_float_infinity(max));
  CHECK_FALSE(rounds_to_float_infinity(-max));
  CHECK_FALSE(rounds_to_float_infinity(0x1p128 - 0x1p103 - 0x1p75));
  CHECK(rounds_to_float_infinity(0x1p128 - 0x1p103));
  CHECK(rounds_to_float_infinity(-0x1p128));
  // The threshold is where float conversion overflows under round to nearest.
  CHECK(std::isinf(static_cast<float>(0x1p128 - 0x1p103)));
  CHECK_FALSE(std::isinf(static_cast<float>(0x1p128 - 0x1p103 - 0x1p75)));
}

TEST_CASE("backward_dy_of covers every kind of dy", "[reference]") {
  std::size_t any = 0, near_one = 0, moderate = 0, unit = 0, special = 0, negative = 0;
  std::mt19937 rng(3);
  for (int i = 0; i < 100000; ++i) {
    const float y = float_from_bits(static_cast<std::uint32_t>(rng()));
    const float dy = logistic_test::backward_dy_of(y);
    CHECK(logistic_test::bits(dy) == logistic_test::bits(logistic_test::backward_dy_of(y)));
    const float a = std::fabs(dy);
    if (!std::isfinite(dy) || a < 0x1p-20f || a >= 0x1p20f) ++any;
    if (!std::isfinite(dy) || dy == 0) ++special;
    if (a == 1.0f) ++unit;
    else if (a >= 0.5f && a < 2.0f) ++near_one;
    else if (a >= 0x1p-20f && a < 0x1p20f) ++moderate;
    if (std::signbit(dy)) ++negative;
  }
  CHECK(any > 15000);       // a quarter of the cases is any float at all...
  CHECK(special > 50);      // ...of which ~1/256 infinite or NaN
  CHECK(unit > 20000);      // a quarter +-1
  CHECK(near_one > 20000);  // a quarter in [1/2, 2)
  CHECK(moderate > 20000);  // the rest in [2^-20, 2^20)
  CHECK(negative > 40000);
  CHECK(negative < 60000);
}
