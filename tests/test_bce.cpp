// Binary cross-entropy with logits (include/logistic/bce.hpp, issue 4): special values, bad
// arguments, dense accuracy sweeps over soft labels, pos_weight, label smoothing and weights
// against an independent long double reference, the reductions, and the array forms over
// every tail length and misalignment. The exhaustive float sweep (y = 0 and 1), the 2^24 and
// 2^26 reductions and the 10^7 double inputs against MPFR are in exhaustive_bce.cpp.
#include <logistic/bce.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "catch.hpp"
#include "ftz_daz.hpp"
#include "random.hpp"
#include "reference.hpp"
#include "sample_divisor.hpp"

namespace {

using logistic::bce_options;
using logistic::bce_status;
using logistic::reduction;

constexpr float finf = std::numeric_limits<float>::infinity();
constexpr float fnan = std::numeric_limits<float>::quiet_NaN();

// ---------------------------------------------------------------------------------------
// The reference, in long double (64-bit significand), independent of the library:
//   y' = y (1 - alpha) + alpha/2, a = 1 - y', b = pw y'
//   loss = w (a softplus(x) + b softplus(-x)),  grad = w (a sigma(x) - b sigma(-x)) scale
// with softplus and sigma from e = e^-|x| (no cancellation in either). `big` is the
// gradient's larger term, for the rule on its zero (bce.hpp).
struct reference {
  long double loss, grad, big;
};

reference reference_of(long double x, long double y, long double w, long double pw,
                       long double alpha, long double scale = 1) {
  const long double ys = y * (1 - alpha) + alpha / 2;
  const long double a = (1 - y) * (1 - alpha) + alpha / 2;
  const long double b = pw * ys;
  const long double e = std::exp(-std::fabs(x));
  const long double l = std::log1p(e);
  const long double sp_pos = (x > 0 ? x : 0) + l, sp_neg = (x < 0 ? -x : 0) + l;
  const long double big = 1 / (1 + e), small = e / (1 + e);
  const long double sig_pos = x >= 0 ? big : small, sig_neg = x >= 0 ? small : big;
  const long double loss = w * ((a == 0 ? 0 : a * sp_pos) + (b == 0 ? 0 : b * sp_neg));
  const long double t1 = a * sig_pos, t2 = b * sig_neg;
  return {loss, w * (t1 - t2) * scale, std::fabs(w) * std::max(t1, t2) * scale};
}

// |got - exact| in ULPs of T at the exact value (subnormal results: T's smallest
// subnormal); +-inf counts as exact for an exact value beyond T's largest finite value
// plus half an ULP, where round to nearest overflows.
template <class T>
double ulps_in(T got, long double exact) {
  if (std::isnan(got) || std::isnan(static_cast<double>(exact))) {
    return std::isnan(got) && std::isnan(static_cast<double>(exact)) ? 0 : HUGE_VAL;
  }
  constexpr int digits = std::numeric_limits<T>::digits;
  constexpr int max_exponent = std::numeric_limits<T>::max_exponent;
  const long double overflow = std::ldexp(1.0L, max_exponent) - std::ldexp(1.0L, max_exponent - digits - 1);
  if (std::isinf(got) || std::fabs(exact) >= overflow) {
    const bool overflows = std::fabs(exact) >= overflow && (got > 0) == (exact > 0);
    return std::isinf(got) && (static_cast<long double>(got) == exact || overflows) ? 0 : HUGE_VAL;
  }
  const long double ulp = logistic_test::ulp_of<T>(static_cast<double>(exact));
  return static_cast<double>(std::fabs(static_cast<long double>(got) - exact) / ulp);
}

double float_ulps(float got, long double exact) { return ulps_in<float>(got, exact); }

// The gradient's rule: 2 ULP, or within 2^-32 of its larger term of its zero an absolute
// 2^-56 of that term (plus the smallest subnormal's half, the last rounding).
bool gradient_within_bound(float got, const reference& r) {
  if (std::fabs(r.grad) < 0x1p-32L * r.big) {
    return std::fabs(static_cast<long double>(got) - r.grad) <= 0x1p-56L * r.big + 0x1p-150L;
  }
  return float_ulps(got, r.grad) <= 2.0;
}

using logistic_test::splitmix;
float uniform(std::uint64_t& state, float lo, float hi) {
  return lo + (hi - lo) * static_cast<float>(static_cast<double>(splitmix(state) >> 11) * 0x1p-53);
}

// Logits of every size: +-2^k (1 + j/8) for k in [-30, 7], and a few landmarks.
std::vector<float> logit_grid() {
  std::vector<float> xs = {0.0f, -0.0f, 15.75f, -15.75f, 40.0f, -40.0f, 40.5f, -40.5f,
                           87.0f, -87.0f, 103.9f, -103.9f, 1e30f, -1e30f,
                           std::numeric_limits<float>::max(), -std::numeric_limits<float>::max()};
  for (int k = -30; k <= 7; ++k) {
    for (int j = 0; j < 8; ++j) {
      const float v = std::ldexp(1.0f + static_cast<float>(j) / 8.0f, k);
      xs.push_back(v);
      xs.push_back(-v);
    }
  }
  std::uint64_t state = 11;
  for (int i = 0; i < 1200; ++i) xs.push_back(uniform(state, -20.0f, 20.0f));
  // LOGISTIC_TEST_SAMPLE_DIVISOR=N (tests/sample_divisor.hpp): the landmarks and every
  // N-th of the rest.
  const std::size_t landmarks = 16, step = logistic_test::sparser<std::size_t>(1);
  std::vector<float> kept(xs.begin(), xs.begin() + landmarks);
  for (std::size_t i = landmarks; i < xs.size(); i += step) kept.push_back(xs[i]);
  return kept;
}

std::vector<float> label_grid() {
  std::vector<float> ys = {0.0f, 1.0f, 0.5f, 0x1p-24f, 1.0f - 0x1p-24f, 0x1p-100f, 0.25f, 0.75f, 1e-3f};
  std::uint64_t state = 5;
  for (int i = 0; i < 23; ++i) ys.push_back(uniform(state, 0.0f, 1.0f));
  return ys;
}

}  // namespace

// =======================================================================================
TEST_CASE("bce: x = +inf with y = 1 gives 0, with y < 1 gives +inf", "[bce][special]") {
  CHECK(logistic::bce_with_logits(finf, 1.0f) == 0.0f);
  CHECK(logistic::bce_with_logits(finf, 1.0f, {nullptr, 3.0f, 0.0f}) == 0.0f);
  CHECK(logistic::bce_with_logits(finf, 0.0f) == finf);
  CHECK(logistic::bce_with_logits(finf, 0.3f) == finf);
  CHECK(logistic::bce_with_logits(finf, 1.0f, {nullptr, 1.0f, 0.1f}) == finf);  // y' = 0.95
}

TEST_CASE("bce: x = -finf with y = 1 gives +inf", "[bce][special]") {
  CHECK(logistic::bce_with_logits(-finf, 1.0f) == finf);
  CHECK(logistic::bce_with_logits(-finf, 0.3f) == finf);
  CHECK(logistic::bce_with_logits(-finf, 1.0f, {nullptr, 0.5f, 0.0f}) == finf);
}

TEST_CASE("bce: x = -finf with pos_weight and y = 0 gives 0", "[bce][special]") {
  for (float pw : {0.0f, 0.5f, 1.0f, 3.0f, 1e30f}) {
    CHECK(logistic::bce_with_logits(-finf, 0.0f, {nullptr, pw, 0.0f}) == 0.0f);
    CHECK(logistic::bce_with_logits(-static_cast<double>(finf), 0.0, {nullptr, static_cast<double>(pw), 0.0}) == 0.0);
  }
}

TEST_CASE("bce: NaN in x, y or the weight propagates", "[bce][special]") {
  CHECK(std::isnan(logistic::bce_with_logits(fnan, 0.0f)));
  CHECK(std::isnan(logistic::bce_with_logits(fnan, 1.0f)));
  CHECK(std::isnan(logistic::bce_with_logits(1.0f, fnan)));
  CHECK(std::isnan(logistic::bce_with_logits(finf, fnan)));
  CHECK(std::isnan(logistic::bce_with_logits_grad(fnan, 0.0f)));
  CHECK(std::isnan(logistic::bce_with_logits_grad(0.5f, fnan)));
  const float w = fnan;
  CHECK(std::isnan(logistic::bce_with_logits(1.0f, 0.0f, {&w, 1.0f, 0.0f})));
  CHECK(std::isnan(logistic::bce_with_logits_grad(1.0f, 0.0f, {&w, 1.0f, 0.0f})));
  CHECK(std::isnan(logistic::bce_with_logits(std::nan(""), 0.0, {})));
  // A NaN among many makes the reduced loss NaN.
  std::vector<float> x(100, 1.0f), y(100, 0.0f), g(100);
  x[37] = fnan;
  CHECK(std::isnan(logistic::bce_with_logits(x.data(), y.data(), x.size())));
  CHECK(std::isnan(logistic::bce_with_logits_fused(x.data(), y.data(), g.data(), x.size())));
  CHECK(std::isnan(g[37]));
  CHECK(!std::isnan(g[36]));
}

TEST_CASE("bce: +-finf never give NaN, and the gradient there is w (1 - y') or -w pw y'", "[bce][special]") {
  for (float y : {0.0f, 0.25f, 1.0f}) {
    for (float pw : {0.0f, 1.0f, 3.0f}) {
      for (float alpha : {0.0f, 0.2f}) {
        const bce_options<float> o{nullptr, pw, alpha};
        const float ys = y * (1 - alpha) + alpha / 2;
        INFO("y = " << y << " pw = " << pw << " alpha = " << alpha);
        CHECK(!std::isnan(logistic::bce_with_logits(finf, y, o)));
        CHECK(!std::isnan(logistic::bce_with_logits(-finf, y, o)));
        CHECK(float_ulps(logistic::bce_with_logits_grad(finf, y, o), reference_of(finf, y, 1, pw, alpha).grad) <= 2.0);
        CHECK(float_ulps(logistic::bce_with_logits_grad(-finf, y, o), reference_of(-finf, y, 1, pw, alpha).grad) <= 2.0);
        CHECK(std::fabs(logistic::bce_with_logits_grad(finf, y, o) - (1 - ys)) <= 1e-6f);
        CHECK(std::fabs(logistic::bce_with_logits_grad(-finf, y, o) + pw * ys) <= 1e-6f * std::max(1.0f, pw));
      }
    }
  }
}

TEST_CASE("bce: the gradient is finite for every finite input", "[bce][special]") {
  const std::vector<float> xs = logit_grid();
  for (float y : {0.0f, 1.0f, 0.3f, 1.0f - 0x1p-24f}) {
    for (float pw : {0.0f, 1.0f, 7.5f}) {
      for (float alpha : {0.0f, 0.1f}) {
        std::vector<float> ys(xs.size(), y), g(xs.size()), l(xs.size());
        const bce_options<float> o{nullptr, pw, alpha};
        for (reduction r : {reduction::none, reduction::mean}) {
          REQUIRE(logistic::bce_with_logits_grad(xs.data(), ys.data(), g.data(), xs.size(), o, r) == bce_status::ok);
          for (std::size_t i = 0; i < xs.size(); ++i) {
            INFO("x = " << xs[i] << " y = " << y << " pw = " << pw << " alpha = " << alpha);
            CHECK(std::isfinite(g[i]));
          }
        }
        REQUIRE(logistic::bce_with_logits(xs.data(), ys.data(), l.data(), xs.size(), o) == bce_status::ok);
        for (std::size_t i = 0; i < xs.size(); ++i) {
          INFO("x = " << xs[i]);
          CHECK(l[i] >= 0.0f);
          CHECK(!std::isnan(l[i]));
        }
      }
    }
  }
}

TEST_CASE("bce: values at x = 0 and the huge-logit asymptotes", "[bce][special]") {
  CHECK(float_ulps(logistic::bce_with_logits(0.0f, 0.0f), std::log(2.0L)) < 1.0);
  CHECK(float_ulps(logistic::bce_with_logits(0.0f, 1.0f), std::log(2.0L)) < 1.0);
  CHECK(logistic::bce_with_logits_grad(0.0f, 0.0f) == 0.5f);
  CHECK(logistic::bce_with_logits_grad(0.0f, 1.0f) == -0.5f);
  // Wrong by a huge margin: the loss is |x| (times its coefficient), exactly rounded.
  CHECK(logistic::bce_with_logits(1e30f, 0.0f) == 1e30f);
  CHECK(logistic::bce_with_logits(-1e30f, 1.0f) == 1e30f);
  CHECK(logistic::bce_with_logits(-1e30f, 1.0f, {nullptr, 2.0f, 0.0f}) == 2e30f);
  // Right by a huge margin: e^-|x| (pw e^-|x|), down to the subnormals and then 0.
  CHECK(float_ulps(logistic::bce_with_logits(-100.0f, 0.0f), std::exp(-100.0L)) < 1.0);
  CHECK(float_ulps(logistic::bce_with_logits(100.0f, 1.0f, {nullptr, 3.0f, 0.0f}), 3 * std::exp(-100.0L)) < 1.0);
  CHECK(logistic::bce_with_logits(-200.0f, 0.0f) == 0.0f);
  CHECK(logistic::bce_with_logits(-1e30f, 0.0f) == 0.0f);
}

// Extreme weights, pos_weight, labels and smoothing (bce.hpp: beyond 2^32 / 2^16 or below
// 2^-40 in float, beyond 2^256 / 2^128 or below 2^-300 in double, computed in long double):
// the exact value rounded, +-inf only where the exact value is beyond the type's range, never
// NaN -- for the loss, the gradient, and the reduced and fused forms of one element.
template <class T>
void check_extreme_arguments(const std::vector<T>& pos_weights, const std::vector<T>& weights,
                             const std::vector<T>& labels) {
  std::vector<T> xs;
  for (float v : logit_grid()) xs.push_back(static_cast<T>(v));
  const std::size_t n = xs.size();
  std::vector<T> y(n), w(n), loss(n), grad(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = weights[i % weights.size()];
  double worst = 0;
  for (T label : labels) {
    std::fill(y.begin(), y.end(), label);
    for (T pw : pos_weights) {
      for (T alpha : {T(0), T(0.1), T(1e-20)}) {
        const bce_options<T> o{w.data(), pw, alpha};
        REQUIRE(logistic::bce_with_logits(xs.data(), y.data(), loss.data(), n, o) == bce_status::ok);
        REQUIRE(logistic::bce_with_logits_grad(xs.data(), y.data(), grad.data(), n, o, reduction::none) ==
                bce_status::ok);
        for (std::size_t i = 0; i < n; ++i) {
          const reference r = reference_of(xs[i], label, w[i], pw, alpha);
          bce_options<T> one = o;
          one.weight = &w[i];
          T g1 = T(0);
          const T reduced = logistic::bce_with_logits(&xs[i], &y[i], 1, one, reduction::sum);
          const T fused = logistic::bce_with_logits_fused(&xs[i], &y[i], &g1, 1, one, reduction::sum);
          INFO("x = " << xs[i] << " y = " << label << " w = " << w[i] << " pw = " << pw << " alpha = " << alpha
                      << ": loss " << loss[i] << " (reduced " << reduced << ", fused " << fused << "), grad "
                      << grad[i] << " (fused " << g1 << "); exact " << static_cast<double>(r.loss) << ", "
                      << static_cast<double>(r.grad));
          const double e = std::max({ulps_in<T>(loss[i], r.loss), ulps_in<T>(grad[i], r.grad),
                                     ulps_in<T>(g1, r.grad)});
          // A float reduction's terms are the cheaper ones (6 ULP), double's the faithful ones.
          const double term_bound = sizeof(T) == 4 ? 6.0 : 2.0;
          const double e_term = std::max(ulps_in<T>(reduced, r.loss), ulps_in<T>(fused, r.loss));
          // The gradient's zero (soft labels) has its absolute rule (bce.hpp: float within
          // 2^-32 of the larger term, double 2^-4), and a label outside [0, 1] has no bound
          // (its terms cancel): only no NaN.
          const long double near_zero = sizeof(T) == 4 ? 0x1p-32L : 0x1p-4L;
          if (label <= T(1)) {
            const bool grad_in_ulps = std::fabs(r.grad) >= near_zero * r.big;
            worst = std::max(worst, grad_in_ulps ? e : ulps_in<T>(loss[i], r.loss));
            CHECK(ulps_in<T>(loss[i], r.loss) <= 2.0);
            if (grad_in_ulps) CHECK(e <= 2.0);
            CHECK(e_term <= term_bound);
          }
          CHECK(!std::isnan(loss[i]));
          CHECK(!std::isnan(grad[i]));
          CHECK(!std::isnan(reduced));
          CHECK(!std::isnan(g1));
        }
      }
    }
  }
  WARN("extreme arguments, " << (sizeof(T) == 4 ? "float" : "double") << ", flavor " LOGISTIC_TEST_FLAVOR
                          << ": max " << worst << " ULP");
}

TEST_CASE("bce: extreme weights, pos_weight, labels and smoothing give the rounded exact value or +-inf",
          "[bce][special]") {
  const float fmax = std::numeric_limits<float>::max();
  check_extreme_arguments<float>({0.0f, 1.0f, 0x1p31f, 0x1p33f, 0x1p116f, 1e38f, fmax, 1e-13f, 1e-30f},
                                 {1.0f, 0.5f, 0x1p31f, 0x1p33f, 0x1p116f, 1e38f, fmax, -1e38f, 0.0f, 1e-13f, 1e-39f},
                                 {0.0f, 1.0f, 0.5f, 0.3f, 1.0f - 0x1p-24f, 0x1p-100f, 1e-13f, 1e5f});
  const double dmax = std::numeric_limits<double>::max();
  check_extreme_arguments<double>({0.0, 1.0, 0x1p255, 0x1p257, 0x1p997, 1e308, dmax, 1e-100, 1e-300},
                                  {1.0, 0.5, 0x1p255, 0x1p257, 0x1p997, 1e308, dmax, -1e308, 0.0, 1e-300, 1e-310},
                                  {0.0, 1.0, 0.5, 0.3, 1.0 - 0x1p-53, 0x1p-1000, 1e-300, 1e200});
}

// Each term of a float reduction is computed in float from a cheaper evaluation (bce.hpp:
// within 6 ULP); one element reduced with reduction::sum is that term (a float, exact in
// double). No cancellation: small pos_weight, labels near 1, smoothing near 0.
TEST_CASE("bce: each float reduction term is within 6 ULP of the exact loss", "[bce][accuracy]") {
  const std::vector<float> xs = logit_grid();
  std::vector<float> labels = label_grid();
  labels.push_back(0.9999f);
  labels.push_back(1.0f - 0x1p-20f);
  double worst = 0;
  for (float label : labels) {
    for (float pw : {0.0f, 1e-10f, 1e-3f, 1.0f, 3.0f, 1e4f}) {
      for (float alpha : {0.0f, 1e-6f, 0.1f, 1.0f}) {
        for (float weight : {1.0f, 2.5f}) {
          const bce_options<float> o{&weight, pw, alpha};
          for (float x : xs) {
            float g = 0.0f;
            const float term = logistic::bce_with_logits(&x, &label, 1, o, reduction::sum);
            const float fused_term = logistic::bce_with_logits_fused(&x, &label, &g, 1, o, reduction::sum);
            const long double exact = reference_of(x, label, weight, pw, alpha).loss;
            INFO("x = " << x << " y = " << label << " pw = " << pw << " alpha = " << alpha << " w = " << weight
                        << ": term " << term << ", fused " << fused_term << ", exact "
                        << static_cast<double>(exact));
            const double e = std::max(float_ulps(term, exact), float_ulps(fused_term, exact));
            worst = std::max(worst, e);
            CHECK(e <= 6.0);
          }
        }
      }
    }
  }
  WARN("float reduction terms, flavor " LOGISTIC_TEST_FLAVOR ": max " << worst << " ULP");
}

// =======================================================================================
TEST_CASE("bce: bad arguments are reported, never crash", "[bce][arguments]") {
  std::vector<float> x(10, 0.5f), y(10, 1.0f), out(10, 123.0f);
  SECTION("n > 0 with a null pointer: null_pointer, nothing written") {
    CHECK(logistic::bce_with_logits<float>(nullptr, y.data(), out.data(), 10) == bce_status::null_pointer);
    CHECK(logistic::bce_with_logits<float>(x.data(), nullptr, out.data(), 10) == bce_status::null_pointer);
    CHECK(logistic::bce_with_logits<float>(x.data(), y.data(), nullptr, 10) == bce_status::null_pointer);
    CHECK(logistic::bce_with_logits_grad<float>(nullptr, y.data(), out.data(), 10) == bce_status::null_pointer);
    CHECK(logistic::bce_with_logits_grad<float>(x.data(), y.data(), nullptr, 10) == bce_status::null_pointer);
    CHECK(std::isnan(logistic::bce_with_logits<float>(nullptr, y.data(), 10)));
    CHECK(std::isnan(logistic::bce_with_logits<float>(x.data(), nullptr, 10)));
    CHECK(std::isnan(logistic::bce_with_logits_fused<float>(x.data(), y.data(), nullptr, 10)));
    CHECK(std::isnan(logistic::bce_with_logits_fused<float>(nullptr, y.data(), out.data(), 10)));
    for (float v : out) CHECK(v == 123.0f);
  }
  SECTION("n = 0 with null pointers is fine; the mean of nothing is NaN, the sum 0") {
    CHECK(logistic::bce_with_logits<float>(nullptr, nullptr, nullptr, 0) == bce_status::ok);
    CHECK(logistic::bce_with_logits_grad<float>(nullptr, nullptr, nullptr, 0) == bce_status::ok);
    CHECK(std::isnan(logistic::bce_with_logits<float>(nullptr, nullptr, 0)));
    CHECK(logistic::bce_with_logits<float>(nullptr, nullptr, 0, {}, reduction::sum) == 0.0f);
    CHECK(std::isnan(logistic::bce_with_logits_fused<float>(nullptr, nullptr, nullptr, 0)));
    CHECK(logistic::bce_with_logits_fused<float>(nullptr, nullptr, nullptr, 0, {}, reduction::sum) == 0.0f);
  }
  SECTION("pos_weight negative, NaN or infinite: bad_pos_weight, outputs NaN") {
    for (float pw : {-1.0f, -0.0f - 1e-30f, fnan, finf}) {
      const bce_options<float> o{nullptr, pw, 0.0f};
      INFO("pos_weight = " << pw);
      CHECK(logistic::bce_with_logits(x.data(), y.data(), out.data(), 10, o) == bce_status::bad_pos_weight);
      for (float v : out) CHECK(std::isnan(v));
      CHECK(logistic::bce_with_logits_grad(x.data(), y.data(), out.data(), 10, o) == bce_status::bad_pos_weight);
      CHECK(std::isnan(logistic::bce_with_logits(x.data(), y.data(), 10, o)));
      std::fill(out.begin(), out.end(), 1.0f);
      CHECK(std::isnan(logistic::bce_with_logits_fused(x.data(), y.data(), out.data(), 10, o)));
      for (float v : out) CHECK(std::isnan(v));
      CHECK(std::isnan(logistic::bce_with_logits(0.5f, 1.0f, o)));
    }
  }
  SECTION("label smoothing NaN or outside [0, 1]: bad_label_smoothing") {
    for (float alpha : {fnan, -0.1f, 1.5f, finf}) {
      const bce_options<float> o{nullptr, 1.0f, alpha};
      INFO("label_smoothing = " << alpha);
      CHECK(logistic::bce_with_logits(x.data(), y.data(), out.data(), 10, o) == bce_status::bad_label_smoothing);
      CHECK(logistic::bce_with_logits_grad(x.data(), y.data(), out.data(), 10, o) ==
            bce_status::bad_label_smoothing);
      CHECK(std::isnan(logistic::bce_with_logits(x.data(), y.data(), 10, o)));
      CHECK(std::isnan(logistic::bce_with_logits_fused(x.data(), y.data(), out.data(), 10, o)));
    }
    // The ends of the range are valid.
    CHECK(logistic::bce_with_logits(x.data(), y.data(), out.data(), 10, {nullptr, 1.0f, 1.0f}) == bce_status::ok);
    CHECK(logistic::bce_with_logits(x.data(), y.data(), out.data(), 10, {nullptr, 0.0f, 0.0f}) == bce_status::ok);
  }
  SECTION("reduction none where a reduced value is returned: NaN; an invalid reduction: bad_reduction") {
    CHECK(std::isnan(logistic::bce_with_logits(x.data(), y.data(), 10, {}, reduction::none)));
    CHECK(std::isnan(logistic::bce_with_logits_fused(x.data(), y.data(), out.data(), 10, {}, reduction::none)));
    CHECK(logistic::bce_with_logits_grad(x.data(), y.data(), out.data(), 10, {}, static_cast<reduction>(7)) ==
          bce_status::bad_reduction);
  }
  SECTION("every status has its own message") {
    const bce_status all[] = {bce_status::ok, bce_status::null_pointer, bce_status::bad_pos_weight,
                              bce_status::bad_label_smoothing, bce_status::bad_reduction};
    for (bce_status a : all) {
      CHECK(std::string(logistic::bce_status_message(a)).size() > 1);
      for (bce_status b : all) {
        if (a != b) CHECK(std::string(logistic::bce_status_message(a)) != logistic::bce_status_message(b));
      }
    }
  }
}

// =======================================================================================
// Dense sweeps: every logit of the grid against every label, pos_weight, smoothing and
// weighting; loss within 2 ULP, gradient within 2 ULP (or its absolute rule near its zero).
TEST_CASE("bce: float accuracy over soft labels, pos_weight, smoothing and weights", "[bce][accuracy]") {
  const std::vector<float> xs = logit_grid();
  const std::vector<float> labels = label_grid();
  const std::size_t n = xs.size();
  std::vector<float> y(n), w(n), loss(n), grad(n), grad_mean(n), fused(n);
  std::uint64_t state = 99;
  for (std::size_t i = 0; i < n; ++i) w[i] = uniform(state, 0.0f, 3.0f);
  double worst_loss = 0, worst_grad = 0, worst_mean = 0, worst_fused = 0, worst_reduced = 0;
  for (float label : labels) {
    std::fill(y.begin(), y.end(), label);
    for (float pw : {0.0f, 0.5f, 1.0f, 3.0f, 100.0f}) {
      for (float alpha : {0.0f, 0.1f, 1.0f}) {
        for (bool weighted : {false, true}) {
          const bce_options<float> o{weighted ? w.data() : nullptr, pw, alpha};
          REQUIRE(logistic::bce_with_logits(xs.data(), y.data(), loss.data(), n, o) == bce_status::ok);
          REQUIRE(logistic::bce_with_logits_grad(xs.data(), y.data(), grad.data(), n, o, reduction::none) ==
                  bce_status::ok);
          REQUIRE(logistic::bce_with_logits_grad(xs.data(), y.data(), grad_mean.data(), n, o, reduction::mean) ==
                  bce_status::ok);
          const float mean_fused = logistic::bce_with_logits_fused(xs.data(), y.data(), fused.data(), n, o);
          const float mean = logistic::bce_with_logits(xs.data(), y.data(), n, o);
          long double sum = 0;
          bool term_overflows = false;  // a float term beyond FLT_MAX: +inf, and so the sum
          for (std::size_t i = 0; i < n; ++i) {
            const long double wi = weighted ? w[i] : 1.0L;
            const reference r = reference_of(xs[i], label, wi, pw, alpha);
            const reference rm = reference_of(xs[i], label, wi, pw, alpha, 1.0L / static_cast<long double>(n));
            sum += r.loss;
            term_overflows = term_overflows || r.loss >= 0x1p128L - 0x1p103L;
            INFO("x = " << xs[i] << " (" << std::hexfloat << xs[i] << std::defaultfloat << ") y = " << label
                        << " pw = " << pw << " alpha = " << alpha << " weighted = " << weighted);
            const double el = float_ulps(loss[i], r.loss);
            worst_loss = std::max(worst_loss, el);
            CHECK(el <= 2.0);
            CHECK(gradient_within_bound(grad[i], r));
            CHECK(gradient_within_bound(grad_mean[i], rm));
            CHECK(gradient_within_bound(fused[i], rm));
            if (std::fabs(r.grad) >= 0x1p-32L * r.big) {
              worst_grad = std::max(worst_grad, float_ulps(grad[i], r.grad));
              worst_mean = std::max(worst_mean, float_ulps(grad_mean[i], rm.grad));
              worst_fused = std::max(worst_fused, float_ulps(fused[i], rm.grad));
            }
          }
          // The reduced loss: relative error of the mean at most 4 2^-24 (bce.hpp).
          const long double exact_mean = sum / static_cast<long double>(n);
          // (All losses 0, with pw = 0 and y = 1: the mean must be 0.)
          const auto relative = [&](float got) {
            if (exact_mean == 0) return got == 0 ? 0.0 : HUGE_VAL;
            return static_cast<double>(std::fabs(got - exact_mean) / exact_mean) * 0x1p24;
          };
          const double rel = relative(mean), rel_fused = relative(mean_fused);
          INFO("y = " << label << " pw = " << pw << " alpha = " << alpha << " weighted = " << weighted);
          if (term_overflows) {
            CHECK(mean == finf);
            CHECK(mean_fused == finf);
            continue;
          }
          worst_reduced = std::max({worst_reduced, rel, rel_fused});
          CHECK(rel <= 4.0);
          CHECK(rel_fused <= 4.0);
        }
      }
    }
  }
  WARN("float, flavor " LOGISTIC_TEST_FLAVOR ": max loss " << worst_loss << " ULP, gradient " << worst_grad
                                                          << " (mean " << worst_mean << ", fused " << worst_fused
                                                          << "), reduced mean " << worst_reduced << " x 2^-24");
}

// =======================================================================================
// Lanes, tails and misalignment: the array forms equal the scalar forms bit for bit, for
// every length up to a few batches and every misalignment; a fused gradient element does not
// depend on its neighbours; in place works.
TEST_CASE("bce: array forms equal the scalar forms for every tail and misalignment", "[bce][lanes]") {
  constexpr std::size_t max_n = 5 * 64 + 7;
  std::vector<float> xbuf(max_n + 8), ybuf(max_n + 8), out(max_n + 8), grad(max_n + 8);
  std::uint64_t state = 3;
  for (std::size_t i = 0; i < xbuf.size(); ++i) {
    const std::uint64_t kind = splitmix(state) % 8;
    xbuf[i] = kind == 0 ? uniform(state, -120.0f, 120.0f) : uniform(state, -12.0f, 12.0f);
    ybuf[i] = kind == 1 ? uniform(state, 0.0f, 1.0f) : static_cast<float>(splitmix(state) % 2);
  }
  for (const bce_options<float>& o : {bce_options<float>{}, bce_options<float>{nullptr, 2.0f, 0.1f}}) {
    for (std::size_t offset = 0; offset < 4; ++offset) {
      for (std::size_t n = 0; n <= max_n; n += (n < 70 ? 1 : 13)) {
        const float* x = xbuf.data() + offset;
        const float* y = ybuf.data() + offset;
        REQUIRE(logistic::bce_with_logits(x, y, out.data() + offset, n, o) == bce_status::ok);
        REQUIRE(logistic::bce_with_logits_grad(x, y, grad.data() + offset, n, o, reduction::none) == bce_status::ok);
        for (std::size_t i = 0; i < n; ++i) {
          INFO("n = " << n << " offset = " << offset << " i = " << i << " x = " << x[i] << " y = " << y[i]);
          CHECK(logistic_test::bits(out[offset + i]) == logistic_test::bits(logistic::bce_with_logits(x[i], y[i], o)));
          CHECK(logistic_test::bits(grad[offset + i]) ==
                logistic_test::bits(logistic::bce_with_logits_grad(x[i], y[i], o)));
        }
      }
    }
  }
  SECTION("fused gradient elements do not depend on their neighbours") {
    std::vector<float> whole(max_n), part(max_n);
    logistic::bce_with_logits_fused(xbuf.data(), ybuf.data(), whole.data(), max_n, {}, reduction::sum);
    for (std::size_t start : {1u, 5u, 17u, 64u}) {
      logistic::bce_with_logits_fused(xbuf.data() + start, ybuf.data() + start, part.data(), max_n - start, {},
                                      reduction::sum);
      for (std::size_t i = 0; i + start < max_n; ++i) {
        INFO("start = " << start << " i = " << i);
        CHECK(logistic_test::bits(part[i]) == logistic_test::bits(whole[i + start]));
      }
    }
  }
  SECTION("in place") {
    std::vector<float> x(xbuf.begin(), xbuf.begin() + 100), expected(100);
    logistic::bce_with_logits(x.data(), ybuf.data(), expected.data(), 100);
    logistic::bce_with_logits(x.data(), ybuf.data(), x.data(), 100);
    CHECK(std::memcmp(x.data(), expected.data(), sizeof(float) * 100) == 0);
  }
  SECTION("weights of 1 give the unweighted losses; the sum is n times the mean") {
    std::vector<float> ones(max_n, 1.0f), a(max_n), b(max_n);
    logistic::bce_with_logits(xbuf.data(), ybuf.data(), a.data(), max_n);
    logistic::bce_with_logits(xbuf.data(), ybuf.data(), b.data(), max_n, {ones.data(), 1.0f, 0.0f});
    CHECK(std::memcmp(a.data(), b.data(), sizeof(float) * max_n) == 0);
    const float sum = logistic::bce_with_logits(xbuf.data(), ybuf.data(), max_n, {}, reduction::sum);
    const float mean = logistic::bce_with_logits(xbuf.data(), ybuf.data(), max_n, {}, reduction::mean);
    CHECK(std::fabs(mean - sum / static_cast<float>(max_n)) <= 1e-6f * mean);
  }
}

TEST_CASE("bce: double special values and scalar == array", "[bce][double]") {
  const double dinf = std::numeric_limits<double>::infinity();
  CHECK(logistic::bce_with_logits(dinf, 1.0) == 0.0);
  CHECK(logistic::bce_with_logits(-dinf, 1.0) == dinf);
  CHECK(logistic::bce_with_logits(-dinf, 0.0, {nullptr, 3.0, 0.0}) == 0.0);
  CHECK(std::isnan(logistic::bce_with_logits(std::nan(""), 0.0)));
  CHECK(logistic::bce_with_logits_grad(-dinf, 1.0) == -1.0);
  std::vector<double> x(77), y(77), l(77), g(77);
  std::uint64_t state = 8;
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<double>(uniform(state, -60.0f, 60.0f));
    y[i] = static_cast<double>(uniform(state, 0.0f, 1.0f));
  }
  logistic::bce_with_logits(x.data(), y.data(), l.data(), x.size());
  logistic::bce_with_logits_grad(x.data(), y.data(), g.data(), x.size(), {}, reduction::none);
  for (std::size_t i = 0; i < x.size(); ++i) {
    CHECK(logistic_test::bits(l[i]) == logistic_test::bits(logistic::bce_with_logits(x[i], y[i])));
    CHECK(logistic_test::bits(g[i]) == logistic_test::bits(logistic::bce_with_logits_grad(x[i], y[i])));
  }
}

TEST_CASE("bce: double reductions against a long double sum", "[bce][double]") {
  constexpr std::size_t n = 20011;
  std::vector<double> x(n), y(n), w(n), g(n);
  std::uint64_t state = 21;
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<double>(uniform(state, -30.0f, 30.0f)) + std::ldexp(static_cast<double>(uniform(state, 0, 1)), -30);
    y[i] = i % 3 == 0 ? static_cast<double>(uniform(state, 0.0f, 1.0f)) : static_cast<double>(i % 2);
    w[i] = static_cast<double>(uniform(state, 0.0f, 2.0f));
  }
  for (bool weighted : {false, true}) {
    for (double pw : {1.0, 2.5}) {
      const bce_options<double> o{weighted ? w.data() : nullptr, pw, pw == 1.0 ? 0.0 : 0.1};
      long double sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += reference_of(x[i], y[i], weighted ? w[i] : 1.0L, pw, o.label_smoothing).loss;
      const long double mean = sum / n;
      const double reduced = logistic::bce_with_logits(x.data(), y.data(), n, o);
      const double fused = logistic::bce_with_logits_fused(x.data(), y.data(), g.data(), n, o);
      const double total = logistic::bce_with_logits(x.data(), y.data(), n, o, reduction::sum);
      INFO("weighted = " << weighted << " pw = " << pw);
      // The terms are faithful (< 1 ULP) and the sum compensated: a few 2^-53 in all.
      CHECK(static_cast<double>(std::fabs(reduced - mean) / mean) < 0x1p-50);
      CHECK(static_cast<double>(std::fabs(fused - mean) / mean) < 0x1p-50);
      CHECK(static_cast<double>(std::fabs(total - sum) / sum) < 0x1p-50);
    }
  }
}

// =======================================================================================
// FTZ / DAZ (bce.hpp): a loss or gradient is a sum of terms, and under FTZ a term below
// the smallest normal number m flushes. With normal labels and weights (subnormal logits
// allowed) each result stays within 1 ULP + 8 m of its default-mode value (the terms'
// coefficients are at most w (1 + pw) <= 5.25 here), a reduction over k elements within
// 1 ULP + 8 k m; NaN stays NaN. Subnormal labels or weights read as 0 under DAZ: no bound.
#if defined(__SSE2__)
namespace {

template <class T>
struct ftz_case {
  std::vector<T> x, y, w;
};

template <class T>
ftz_case<T> ftz_inputs() {
  using I = typename std::conditional<sizeof(T) == 4, std::uint32_t, std::uint64_t>::type;
  const T tail_lo = sizeof(T) == 4 ? T(-106) : T(-746), tail_hi = sizeof(T) == 4 ? T(-80) : T(-700);
  ftz_case<T> c;
  std::uint64_t state = 0xF7B;
  const T labels[] = {T(0), T(1), T(0.3), std::numeric_limits<T>::min() * T(5), T(0.5),
                      T(1) - std::numeric_limits<T>::epsilon()};
  for (int i = 0; i < 300000; ++i) {
    T x;
    switch (i % 3) {
      case 0: {  // a subnormal logit
        const I b = static_cast<I>(1 + splitmix(state) % ((I(1) << (sizeof(T) == 4 ? 23 : 52)) - 1));
        std::memcpy(&x, &b, sizeof x);
        break;
      }
      case 1:  // a logit whose loss (y = 0) or gradient is subnormal, either sign
        x = tail_lo + (tail_hi - tail_lo) * static_cast<T>(uniform(state, 0.0f, 1.0f));
        break;
      default: {  // any bit pattern
        const I b = static_cast<I>(splitmix(state));
        std::memcpy(&x, &b, sizeof x);
      }
    }
    c.x.push_back(splitmix(state) & 1 ? x : -x);
    c.y.push_back(labels[splitmix(state) % 6]);
    c.w.push_back(splitmix(state) & 1 ? T(1.5) : T(0.75));
  }
  return c;
}

// |flushed - by_default| <= 1 ULP of by_default + `normals` smallest normal numbers.
template <class T>
struct within_flushed_terms {
  double normals;
  bool operator()(T by_default, T flushed) const {
    if (std::isnan(by_default) || std::isnan(flushed)) return std::isnan(by_default) && std::isnan(flushed);
    if (std::isinf(by_default) || std::isinf(flushed)) return by_default == flushed;
    const T ulp = std::nextafter(std::fabs(by_default), std::numeric_limits<T>::infinity()) -
                  std::fabs(by_default);
    return std::fabs(static_cast<double>(flushed) - static_cast<double>(by_default)) <=
           static_cast<double>(ulp) + normals * static_cast<double>(std::numeric_limits<T>::min());
  }
};

template <class T>
void check_bce_ftz_daz(const bce_options<T>& o, const char* what) {
  const ftz_case<T> c = ftz_inputs<T>();
  const std::size_t n = c.x.size();
  bce_options<T> opt = o;
  if (opt.weight) opt.weight = c.w.data();
  INFO(what);
  logistic_test::check_ftz_daz("bce_with_logits", c.x, [&](std::vector<T>& a, std::vector<T>& s) {
    logistic::bce_with_logits(c.x.data(), c.y.data(), a.data(), n, opt);
    for (std::size_t i = 0; i < n; ++i) {
      bce_options<T> one = opt;
      one.weight = nullptr;
      s[i] = logistic::bce_with_logits(c.x[i], c.y[i], one);  // the array form covers weights
    }
  }, within_flushed_terms<T>{8});
  logistic_test::check_ftz_daz("bce_with_logits_grad", c.x, [&](std::vector<T>& a, std::vector<T>& s) {
    logistic::bce_with_logits_grad(c.x.data(), c.y.data(), a.data(), n, opt, reduction::none);
    for (std::size_t i = 0; i < n; ++i) {
      bce_options<T> one = opt;
      one.weight = nullptr;
      s[i] = logistic::bce_with_logits_grad(c.x[i], c.y[i], one);
    }
  }, within_flushed_terms<T>{8});
  // The reductions, over blocks of 1000 elements: reduced loss (array_out) and the fused
  // pass (scalar_out); each block's first logit labels it.
  constexpr std::size_t block = 1000;
  std::vector<T> firsts;
  for (std::size_t k = 0; k + block <= n; k += block) firsts.push_back(c.x[k]);
  logistic_test::check_ftz_daz("reduced and fused bce", firsts, [&](std::vector<T>& a, std::vector<T>& s) {
    std::vector<T> grad(block);
    for (std::size_t k = 0; k < firsts.size(); ++k) {
      bce_options<T> part = opt;
      if (opt.weight) part.weight = c.w.data() + k * block;
      a[k] = logistic::bce_with_logits(c.x.data() + k * block, c.y.data() + k * block, block, part,
                                       reduction::sum);
      s[k] = logistic::bce_with_logits_fused(c.x.data() + k * block, c.y.data() + k * block,
                                             grad.data(), block, part, reduction::mean);
    }
  }, within_flushed_terms<T>{8 * block});
}

}  // namespace

TEST_CASE("bce: results are bit-identical with FTZ and DAZ set (x86 MXCSR)", "[bce][ftz]") {
  const float fw = 1.0f;
  const double dw = 1.0;
  check_bce_ftz_daz<float>({}, "float, plain");
  check_bce_ftz_daz<float>({&fw, 2.5f, 0.1f}, "float, weights, pos_weight 2.5, smoothing 0.1");
  check_bce_ftz_daz<double>({}, "double, plain");
  check_bce_ftz_daz<double>({&dw, 2.5, 0.1}, "double, weights, pos_weight 2.5, smoothing 0.1");
}
#endif  // __SSE2__
