// fit_temperature (include/logistic/fit_temperature.hpp, issue 5): the fitted t and NLL
// against an independent long-double golden-section minimization (10^6 samples, float and
// double), hand-checkable optima, weights as repetitions, every tail length, and every
// status with its message.
//
// The reference never calls the library: the mean NLL
//     L(beta) = sum_i w_i [softplus(beta x_i) - y_i beta x_i] / sum_i w_i
// in long double (softplus(u) = max(u, 0) + log1pl(expl(-|u|)), Kahan-summed), minimized
// by golden-section search over beta in [1e-3, 1e3] down to a relative width of 1e-11.
// The 10^6-sample sets draw their logits on a grid of 2^-10, so that the reference can
// sum per distinct logit (c_k softplus(beta x_k) - s_k beta x_k with c_k the weight and s_k
// the label sum of the samples at x_k): the same sum regrouped, ~40 000 terms instead of
// 10^6 per evaluation (the whole file runs in about a second per flavour).
#include <logistic/fit_temperature.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "random.hpp"
#include "sample_divisor.hpp"

namespace {

using logistic::calibration_status;
using logistic::fit_temperature;
using logistic::temperature_fit_options;

// ---------------------------------------------------------------------------------------
// Data.
using logistic_test::splitmix;
using logistic_test::standard_normal;
using logistic_test::uniform01;

template <class T>
struct dataset {
  std::vector<T> logits, labels, weights;
};

// A model whose true logit is z ~ N(0, spread^2) (label y ~ Bernoulli(sigma(z))) but which
// reports scale * z: overconfident for scale > 1, the best temperature near scale. With
// grid > 0 the reported logits are rounded to multiples of 1/grid.
template <class T>
dataset<T> miscalibrated(std::size_t n, double scale, double spread, std::uint64_t seed,
                         double grid = 0) {
  dataset<T> d;
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < n; ++i) {
    const double z = spread * standard_normal(state);
    const bool positive = uniform01(state) < 1 / (1 + std::exp(-z));
    const double x = grid > 0 ? std::nearbyint(scale * z * grid) / grid : scale * z;
    d.logits.push_back(static_cast<T>(x));
    d.labels.push_back(positive ? T(1) : T(0));
  }
  return d;
}

// ---------------------------------------------------------------------------------------
// The reference.
long double softplus_ld(long double u) {
  return (u > 0 ? u : 0.0L) + std::log1p(std::exp(-std::fabs(u)));
}

// L(beta) of a dataset, its samples grouped by logit value.
class reference_nll {
 public:
  template <class T>
  explicit reference_nll(const dataset<T>& d) {
    std::map<long double, group> groups;
    for (std::size_t i = 0; i < d.logits.size(); ++i) {
      const long double w = d.weights.empty() ? 1.0L : static_cast<long double>(d.weights[i]);
      group& g = groups[static_cast<long double>(d.logits[i])];
      g.weight += w;
      g.label_sum += w * static_cast<long double>(d.labels[i]);
      total_weight_ += w;
    }
    for (const auto& entry : groups) {
      xs_.push_back(entry.first);
      groups_.push_back(entry.second);
    }
  }
  long double operator()(long double beta) const {
    long double sum = 0, carry = 0;  // Kahan
    for (std::size_t k = 0; k < xs_.size(); ++k) {
      const long double u = beta * xs_[k];
      const long double term = groups_[k].weight * softplus_ld(u) - groups_[k].label_sum * u;
      const long double y = term - carry;
      const long double t = sum + y;
      carry = (t - sum) - y;
      sum = t;
    }
    return sum / total_weight_;
  }
  std::size_t distinct() const { return xs_.size(); }

 private:
  struct group {
    long double weight = 0, label_sum = 0;
  };
  std::vector<long double> xs_;
  std::vector<group> groups_;
  long double total_weight_ = 0;
};

// The minimizer of a unimodal f on [lo, hi], to a bracket of relative width `width`.
template <class F>
long double golden_section_minimum(const F& f, long double lo, long double hi,
                                   long double width = 1e-11L) {
  const long double g = (std::sqrt(5.0L) - 1) / 2;
  long double c = hi - g * (hi - lo), d = lo + g * (hi - lo);
  long double fc = f(c), fd = f(d);
  while (hi - lo > width * (hi + lo) / 2) {
    if (fc < fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - g * (hi - lo);
      fc = f(c);
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + g * (hi - lo);
      fd = f(d);
    }
  }
  return (lo + hi) / 2;
}

struct reference_fit {
  long double t, nll;
};

template <class T>
reference_fit reference_minimum(const dataset<T>& d) {
  const reference_nll nll(d);
  const long double beta = golden_section_minimum(nll, 1e-3L, 1e3L);
  return {1 / beta, nll(beta)};
}

double relative_error(double got, long double exact) {
  return static_cast<double>(std::fabs((static_cast<long double>(got) - exact) / exact));
}

template <class T>
logistic::temperature_fit<T> fit(const dataset<T>& d, temperature_fit_options<T> o = {}) {
  if (!d.weights.empty()) o.weight = d.weights.data();
  return fit_temperature(d.logits.data(), d.labels.data(), d.logits.size(), o);
}

template <class T>
void check_against_reference(const dataset<T>& d, double t_tolerance, double nll_tolerance,
                             int max_passes = 20) {
  const reference_fit ref = reference_minimum(d);
  const auto f = fit(d);
  INFO("n = " << d.logits.size() << ", reference t = " << static_cast<double>(ref.t)
              << ", nll = " << static_cast<double>(ref.nll) << "; fitted t = "
              << static_cast<double>(f.temperature) << ", nll = " << f.nll << ", "
              << f.passes << " passes, " << f.message);
  REQUIRE(f.status == calibration_status::ok);
  CHECK(f.passes <= max_passes);
  CHECK(relative_error(static_cast<double>(f.temperature), ref.t) <= t_tolerance);
  CHECK(relative_error(f.nll, ref.nll) <= nll_tolerance);
  // The reference's minimum is the lowest NLL (up to its rounding).
  CHECK(static_cast<long double>(f.nll) >= ref.nll * (1 - 1e-15L));
}

template <class T>
void check_status(const logistic::temperature_fit<T>& f, calibration_status expected) {
  CHECK(f.status == expected);
  CHECK(std::string(f.message) == logistic::calibration_status_message(expected));
  CHECK(f.temperature == T(1));  // the identity
  CHECK(std::isnan(f.nll));
  const logistic::affine<T> a = f.transform();
  CHECK(a.scale == T(1));
  CHECK(a.bias == T(0));
}

}  // namespace

// =======================================================================================
TEST_CASE("reference: the golden-section search finds closed-form optima", "[fit_temperature][reference]") {
  // x = +-2 with soft labels 0.8 / 0.2: L'(beta) = 2 (sigma(2 beta) - 0.8), minimum at
  // beta = ln(4) / 2 = ln 2, where L is the binary entropy of 0.8.
  const dataset<double> d{{2.0, -2.0}, {0.8, 0.2}, {}};
  const reference_fit ref = reference_minimum(d);
  CHECK(std::fabs(ref.t * std::log(2.0L) - 1) < 1e-9L);
  const long double entropy = -(0.8L * std::log(0.8L) + 0.2L * std::log(0.2L));
  CHECK(std::fabs(ref.nll - entropy) < 1e-15L);
  // A quadratic's minimum.
  const long double m = golden_section_minimum([](long double b) { return (b - 0.7L) * (b - 0.7L); },
                                               1e-3L, 1e3L);
  CHECK(std::fabs(m - 0.7L) < 1e-10L);
  // Grouping by logit is the per-sample sum regrouped.
  const dataset<double> g{{1.0, 1.0, -0.5, 1.0}, {1.0, 0.0, 0.25, 1.0}, {1.0, 2.0, 1.0, 0.5}};
  const reference_nll grouped(g);
  CHECK(grouped.distinct() == 2);
  long double direct = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const long double u = 0.3L * g.logits[i];
    direct += g.weights[i] * (softplus_ld(u) - g.labels[i] * u);
  }
  CHECK(std::fabs(grouped(0.3L) - direct / 4.5L) < 1e-18L);
}

TEST_CASE("fit_temperature: 10^6 float samples of an overconfident model match the "
          "long-double minimum", "[fit_temperature]") {
  // Logits 2.5 x the true ones: the best temperature is about 2.5.
  const std::size_t n = logistic_test::fewer<std::size_t>(1000000);
  const dataset<float> d = miscalibrated<float>(n, 2.5, 1.5, 20240611, 1024);
  check_against_reference(d, 1e-6, 1e-10);
  const auto f = fit(d);
  CHECK(f.temperature > 2.3f);
  CHECK(f.temperature < 2.7f);
}

TEST_CASE("fit_temperature: 10^6 double samples of an underconfident model match the "
          "long-double minimum", "[fit_temperature]") {
  // Logits 0.6 x the true ones: t < 1 sharpens them.
  const std::size_t n = logistic_test::fewer<std::size_t>(1000000);
  const dataset<double> d = miscalibrated<double>(n, 0.6, 2.0, 7, 1024);
  check_against_reference(d, 1e-6, 1e-10);
  const auto f = fit(d);
  CHECK(f.temperature > 0.5);
  CHECK(f.temperature < 0.7);
}

TEST_CASE("fit_temperature: arbitrary (unrounded) logits, soft labels, weights", "[fit_temperature]") {
  SECTION("float, hard labels") {
    const std::size_t n = logistic_test::fewer<std::size_t>(30011);
    check_against_reference(miscalibrated<float>(n, 1.7, 3.0, 99), 1e-6, 1e-10);
  }
  SECTION("double, soft labels") {
    const std::size_t n = logistic_test::fewer<std::size_t>(20011);
    dataset<double> d = miscalibrated<double>(n, 3.0, 1.0, 5);
    std::uint64_t state = 17;
    for (double& y : d.labels) y = 0.8 * y + 0.2 * uniform01(state);
    check_against_reference(d, 1e-8, 1e-12);
  }
  SECTION("float, weights") {
    const std::size_t n = logistic_test::fewer<std::size_t>(20011);
    dataset<float> d = miscalibrated<float>(n, 1.3, 2.0, 6);
    std::uint64_t state = 18;
    for (std::size_t i = 0; i < d.logits.size(); ++i) {
      d.weights.push_back(static_cast<float>(4 * uniform01(state)));
    }
    check_against_reference(d, 1e-6, 1e-10);
  }
  SECTION("double, nearly separable: one sample in 1000 on the wrong side, t small") {
    dataset<double> d;
    std::uint64_t state = 23;
    for (int i = 0; i < 4000; ++i) {
      const double x = 0.5 + 8 * uniform01(state);
      const bool wrong = i % 1000 == 0;
      d.logits.push_back(i % 2 ? x : -x);
      d.labels.push_back((i % 2 == 1) != wrong ? 1.0 : 0.0);
    }
    check_against_reference(d, 1e-9, 1e-12);
  }
}

TEST_CASE("fit_temperature: every length 2..70 (every tail) matches the reference", "[fit_temperature]") {
  std::uint64_t state = 3;
  for (std::size_t n = 2; n <= 70; ++n) {
    INFO("n = " << n);
    dataset<float> d;
    for (std::size_t i = 0; i < n; ++i) {
      // Soft labels that rise with the logit, plus noise: never separable, and
      // positively correlated with the logits.
      const double x = 6 * uniform01(state) - 3;
      const double p = 1 / (1 + std::exp(-x));
      d.logits.push_back(static_cast<float>(x));
      d.labels.push_back(static_cast<float>(0.5 + 0.8 * (p - 0.5) + 0.1 * (uniform01(state) - 0.5)));
    }
    // x = 2, y = 0.9 and x = -1, y = 0.1 make L'(0) < 0 for every n.
    d.logits[0] = 2.0f;
    d.labels[0] = 0.9f;
    d.logits[1] = -1.0f;
    d.labels[1] = 0.1f;
    check_against_reference(d, 1e-6, 1e-10);
  }
}

TEST_CASE("fit_temperature: hand-checkable optima", "[fit_temperature]") {
  SECTION("x = +-2, soft labels 3/4 and 1/4: sigma(2 / t) = 3/4, t = 2 / ln 3, NLL = H(3/4)") {
    const float x[] = {2.0f, -2.0f}, y[] = {0.75f, 0.25f};
    const auto f = fit_temperature(x, y, 2);
    REQUIRE(f.status == calibration_status::ok);
    CHECK(relative_error(static_cast<double>(f.temperature), 2 / std::log(3.0L)) < 1e-7);
    CHECK(relative_error(f.nll, -(0.75L * std::log(0.75L) + 0.25L * std::log(0.25L))) < 1e-14);
    CHECK(std::string(f.message) == "ok");
  }
  SECTION("x = +-1, three in four labels agree: sigma(1/t) = 3/4, t = 1 / ln 3") {
    const double x[] = {1, 1, 1, 1, -1, -1, -1, -1};
    const double y[] = {1, 1, 1, 0, 0, 0, 0, 1};
    const auto f = fit_temperature(x, y, 8);
    REQUIRE(f.status == calibration_status::ok);
    CHECK(relative_error(f.temperature, 1 / std::log(3.0L)) < 1e-12);
    CHECK(relative_error(f.nll, -(0.75L * std::log(0.75L) + 0.25L * std::log(0.25L))) < 1e-14);
    const logistic::affine<double> a = f.transform();
    CHECK(a.scale == 1 / f.temperature);
    CHECK(a.bias == 0);
    // The transform applies the fit: sigma(x / t) = 3/4 at x = 1.
    double p = 0;
    logistic::sigmoid(x, &p, 1, a);
    CHECK(std::fabs(p - 0.75) < 1e-12);
  }
}

TEST_CASE("fit_temperature: calibrated logits give t = 1 (to sampling noise)", "[fit_temperature]") {
  const dataset<double> d = miscalibrated<double>(200000, 1.0, 2.0, 11, 1024);
  const auto f = fit(d);
  REQUIRE(f.status == calibration_status::ok);
  CHECK(std::fabs(f.temperature - 1) < 0.03);
  const reference_fit ref = reference_minimum(d);
  CHECK(relative_error(f.temperature, ref.t) < 1e-9);
}

TEST_CASE("fit_temperature: a weight counts as repetitions, weight 0 as absence", "[fit_temperature]") {
  const dataset<double> base = miscalibrated<double>(997, 2.0, 2.0, 13);
  dataset<double> weighted = base, repeated;
  std::uint64_t state = 29;
  for (std::size_t i = 0; i < base.logits.size(); ++i) {
    weighted.weights.push_back(std::floor(4 * uniform01(state)));  // 0, 1, 2 or 3
  }
  // Zero-weight samples may carry any (valid) values: they change nothing.
  weighted.logits[0] = 1e6;
  weighted.labels[0] = 0.5;
  weighted.weights[0] = 0;
  for (std::size_t i = 0; i < base.logits.size(); ++i) {
    for (int k = 0; k < static_cast<int>(weighted.weights[i]); ++k) {
      repeated.logits.push_back(base.logits[i]);
      repeated.labels.push_back(base.labels[i]);
    }
  }
  const auto fw = fit(weighted), fr = fit(repeated);
  REQUIRE(fw.status == calibration_status::ok);
  REQUIRE(fr.status == calibration_status::ok);
  CHECK(relative_error(fw.temperature, fr.temperature) < 1e-9);
  CHECK(relative_error(fw.nll, fr.nll) < 1e-13);
  // Uniform weights are no weights.
  dataset<double> twos = base;
  twos.weights.assign(base.logits.size(), 2.0);
  const auto f2 = fit(twos), f1 = fit(base);
  CHECK(relative_error(f2.temperature, f1.temperature) < 1e-12);
  CHECK(relative_error(f2.nll, f1.nll) < 1e-14);
}

TEST_CASE("fit_temperature: bad arguments and degenerate data, each with its status", "[fit_temperature][status]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  // A valid base set (t near 1.4), altered one way per case.
  const std::vector<float> x0 = {2.0f, -1.0f, 0.5f, -3.0f, 1.0f, -0.5f, 4.0f, 0.0f, -2.0f};
  const std::vector<float> y0 = {1.0f, 0.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f, 0.0f, 0.0f};
  REQUIRE(fit_temperature(x0.data(), y0.data(), x0.size()).status == calibration_status::ok);
  std::vector<float> x = x0, y = y0, w(x0.size(), 1.0f);
  temperature_fit_options<float> weighted;
  weighted.weight = w.data();

  SECTION("null_pointer: n > 0 with null logits or labels (null weights mean unweighted)") {
    check_status(fit_temperature<float>(nullptr, y.data(), 3), calibration_status::null_pointer);
    check_status(fit_temperature<float>(x.data(), nullptr, 3), calibration_status::null_pointer);
    CHECK(fit_temperature<float>(nullptr, nullptr, 3).passes == 0);
  }
  SECTION("empty_input: n == 0, null pointers allowed") {
    check_status(fit_temperature<float>(nullptr, nullptr, 0), calibration_status::empty_input);
    check_status(fit_temperature(x.data(), y.data(), 0), calibration_status::empty_input);
  }
  SECTION("bad_label: NaN, below 0, above 1 — at any position, the tail included") {
    for (const float bad : {nan, -0.1f, 1.5f, -inf, inf}) {
      for (const std::size_t at : {std::size_t{0}, x.size() - 1}) {
        y = y0;
        y[at] = bad;
        INFO("label " << bad << " at " << at);
        const auto f = fit_temperature(x.data(), y.data(), x.size());
        check_status(f, calibration_status::bad_label);
        CHECK(f.passes == 1);
      }
    }
  }
  SECTION("bad_weight: negative, NaN, infinite, or all zero") {
    for (const float bad : {-1.0f, nan, inf}) {
      w.assign(x.size(), 1.0f);
      w[3] = bad;
      INFO("weight " << bad);
      check_status(fit_temperature(x.data(), y.data(), x.size(), weighted),
                   calibration_status::bad_weight);
    }
    w.assign(x.size(), 0.0f);
    check_status(fit_temperature(x.data(), y.data(), x.size(), weighted),
                 calibration_status::bad_weight);
  }
  SECTION("non_finite_data: a NaN or infinite logit") {
    for (const float bad : {nan, inf, -inf}) {
      x = x0;
      x[8] = bad;
      INFO("logit " << bad);
      check_status(fit_temperature(x.data(), y.data(), x.size()), calibration_status::non_finite_data);
    }
  }
  SECTION("constant_labels: all 0, all 1, all the same soft value") {
    for (const float label : {0.0f, 1.0f, 0.3f}) {
      y.assign(x.size(), label);
      INFO("label " << label);
      check_status(fit_temperature(x.data(), y.data(), x.size()), calibration_status::constant_labels);
    }
    // Only samples of weight > 0 count.
    y.assign(x.size(), 1.0f);
    y[2] = 0.0f;
    w[2] = 0.0f;
    check_status(fit_temperature(x.data(), y.data(), x.size(), weighted),
                 calibration_status::constant_labels);
  }
  SECTION("all_zero_logits: every logit (of weight > 0) is 0") {
    x.assign(x.size(), 0.0f);
    check_status(fit_temperature(x.data(), y.data(), x.size()), calibration_status::all_zero_logits);
    // Two live samples, both at x = 0, with different labels; the rest weigh 0.
    x = x0;
    w.assign(x.size(), 0.0f);
    w[7] = 1.0f;  // x[7] == 0, y[7] == 0
    x[8] = 0.0f;
    y[8] = 1.0f;
    w[8] = 1.0f;
    check_status(fit_temperature(x.data(), y.data(), x.size(), weighted),
                 calibration_status::all_zero_logits);
  }
  SECTION("separable: x > 0 only with y = 1 and x < 0 only with y = 0 (x = 0 may have any label)") {
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] > 0 ? 1.0f : 0.0f;
    y[7] = 0.6f;  // x[7] == 0
    const auto f = fit_temperature(x.data(), y.data(), x.size());
    check_status(f, calibration_status::separable);
    CHECK(f.passes == 1);
    // One soft label on a nonzero logit makes the optimum finite again.
    y[0] = 0.99f;
    CHECK(fit_temperature(x.data(), y.data(), x.size()).status == calibration_status::ok);
  }
  SECTION("anti_correlated: logits falling with the labels, or uncorrelated (optimum t = inf)") {
    for (float& v : x) v = -v;
    check_status(fit_temperature(x.data(), y.data(), x.size()), calibration_status::anti_correlated);
    // sum (y - 1/2) x = 0 exactly: the NLL is lowest at beta = 0.
    const float xs[] = {1.0f, 1.0f, -1.0f, -1.0f}, ys[] = {1.0f, 0.0f, 1.0f, 0.0f};
    check_status(fit_temperature(xs, ys, 4), calibration_status::anti_correlated);
  }
  SECTION("not_converged: too few passes allowed") {
    const dataset<float> d = miscalibrated<float>(1000, 2.0, 2.0, 1);
    for (const int passes : {-1, 0, 1, 2}) {
      temperature_fit_options<float> o;
      o.max_passes = passes;
      const auto f = fit(d, o);
      INFO("max_passes " << passes);
      check_status(f, calibration_status::not_converged);
      CHECK(f.passes == (passes < 1 ? 1 : passes));  // the validation pass is always made
    }
    temperature_fit_options<float> o;
    o.tolerance = -1;  // a rule that cannot hold
    check_status(fit(d, o), calibration_status::not_converged);
  }
  SECTION("the first failing check in the enum's order is the one reported") {
    y[0] = nan;
    x[1] = inf;
    w[2] = -1.0f;
    check_status(fit_temperature(x.data(), y.data(), x.size(), weighted), calibration_status::bad_label);
    y = y0;
    check_status(fit_temperature(x.data(), y.data(), x.size(), weighted), calibration_status::bad_weight);
    w.assign(x0.size(), 1.0f);  // (the same buffer: `weighted` points to it)
    y = y0;
    check_status(fit_temperature(x.data(), y.data(), x.size(), weighted),
                 calibration_status::non_finite_data);
  }
}
