// fit_platt (include/logistic/fit_platt.hpp, issue 5): (a, b) against an independent
// long-double transcription of Lin, Lin & Weng's pseudo-code (LIBSVM's sigmoid_train) on
// fixed generated datasets, the NLL never above the start point's, labels of one class,
// soft labels, the transform, and every status with its message.
#include <logistic/fit_platt.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "random.hpp"
#include "sample_divisor.hpp"

namespace {

using logistic::calibration_status;
using logistic::fit_platt;
using logistic::platt_fit_options;

using logistic_test::splitmix;
using logistic_test::standard_normal;
using logistic_test::uniform01;

template <class T>
struct dataset {
  std::vector<T> scores, labels;
};

// Scores of an SVM-like classifier: class-conditional normals N(+-shift, spread^2), one
// positive in `one_in` samples (2: balanced).
template <class T>
dataset<T> two_classes(std::size_t n, double shift, double spread, int one_in, std::uint64_t seed) {
  dataset<T> d;
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < n; ++i) {
    const bool positive = splitmix(state) % static_cast<std::uint64_t>(one_in) == 0;
    const double f = (positive ? shift : -shift) + spread * standard_normal(state);
    d.scores.push_back(static_cast<T>(f));
    d.labels.push_back(positive ? T(1) : T(0));
  }
  return d;
}

// ---------------------------------------------------------------------------------------
// The reference: the pseudo-code of Lin, Lin & Weng (2007), appendix, as LIBSVM's
// sigmoid_train writes it, line by line, in long double. Labels > 0.5 are positive.
struct platt_reference {
  long double a, b, fval, start;
  int iterations;
  bool converged;  // the gradient rule held (not the iteration limit or the line search)
};

template <class T>
platt_reference sigmoid_train(const dataset<T>& d, int max_iter = 100) {
  const std::size_t l = d.scores.size();
  long double prior1 = 0, prior0 = 0;
  for (std::size_t i = 0; i < l; ++i) {
    if (d.labels[i] > T(0.5)) prior1 += 1;
    else prior0 += 1;
  }
  const long double min_step = 1e-10L, sigma = 1e-12L, eps = 1e-5L;
  const long double hi_target = (prior1 + 1) / (prior1 + 2), lo_target = 1 / (prior0 + 2);
  std::vector<long double> t(l), f(l);
  long double A = 0, B = std::log((prior0 + 1) / (prior1 + 1)), fval = 0;
  for (std::size_t i = 0; i < l; ++i) {
    t[i] = d.labels[i] > T(0.5) ? hi_target : lo_target;
    f[i] = d.scores[i];
    const long double fApB = f[i] * A + B;
    if (fApB >= 0) fval += t[i] * fApB + std::log1p(std::exp(-fApB));
    else fval += (t[i] - 1) * fApB + std::log1p(std::exp(fApB));
  }
  const long double start = fval;
  int iter = 0;
  bool converged = false;
  for (; iter < max_iter; ++iter) {
    long double h11 = sigma, h22 = sigma, h21 = 0, g1 = 0, g2 = 0;
    for (std::size_t i = 0; i < l; ++i) {
      const long double fApB = f[i] * A + B;
      long double p, q;
      if (fApB >= 0) {
        p = std::exp(-fApB) / (1 + std::exp(-fApB));
        q = 1 / (1 + std::exp(-fApB));
      } else {
        p = 1 / (1 + std::exp(fApB));
        q = std::exp(fApB) / (1 + std::exp(fApB));
      }
      const long double d2 = p * q;
      h11 += f[i] * f[i] * d2;
      h22 += d2;
      h21 += f[i] * d2;
      const long double d1 = t[i] - p;
      g1 += f[i] * d1;
      g2 += d1;
    }
    if (std::fabs(g1) < eps && std::fabs(g2) < eps) {
      converged = true;
      break;
    }
    const long double det = h11 * h22 - h21 * h21;
    const long double dA = -(h22 * g1 - h21 * g2) / det;
    const long double dB = -(-h21 * g1 + h11 * g2) / det;
    const long double gd = g1 * dA + g2 * dB;
    long double stepsize = 1;
    while (stepsize >= min_step) {
      const long double newA = A + stepsize * dA, newB = B + stepsize * dB;
      long double newf = 0;
      for (std::size_t i = 0; i < l; ++i) {
        const long double fApB = f[i] * newA + newB;
        if (fApB >= 0) newf += t[i] * fApB + std::log1p(std::exp(-fApB));
        else newf += (t[i] - 1) * fApB + std::log1p(std::exp(fApB));
      }
      if (newf < fval + 0.0001L * stepsize * gd) {
        A = newA;
        B = newB;
        fval = newf;
        break;
      }
      stepsize = stepsize / 2;
    }
    if (stepsize < min_step) break;  // "Line search fails"
  }
  return {A, B, fval, start, iter, converged};
}

double relative_error(double got, long double exact) {
  return static_cast<double>(std::fabs((static_cast<long double>(got) - exact) / exact));
}

template <class T>
void check_against_reference(const dataset<T>& d) {
  const platt_reference ref = sigmoid_train(d);
  REQUIRE(ref.converged);
  const auto fit = fit_platt(d.scores.data(), d.labels.data(), d.scores.size());
  const long double n = static_cast<long double>(d.scores.size());
  INFO("n = " << d.scores.size() << ": reference A = " << static_cast<double>(ref.a) << ", B = "
              << static_cast<double>(ref.b) << ", " << ref.iterations << " iterations; fitted a = "
              << fit.a << ", b = " << fit.b << ", " << fit.iterations << " iterations, "
              << fit.message);
  REQUIRE(fit.status == calibration_status::ok);
  CHECK(relative_error(fit.a, ref.a) <= 1e-6);
  CHECK(relative_error(fit.b, ref.b) <= 1e-6);
  CHECK(fit.iterations == ref.iterations);
  CHECK(relative_error(fit.nll, ref.fval / n) <= 1e-12);
  CHECK(relative_error(fit.start_nll, ref.start / n) <= 1e-12);
  CHECK(fit.nll <= fit.start_nll);
  // The transform gives LIBSVM's probability 1 / (1 + exp(a f + b)).
  const logistic::affine<T> a = fit.transform();
  for (std::size_t i = 0; i < d.scores.size(); i += d.scores.size() / 7 + 1) {
    T p = 0;
    logistic::sigmoid(&d.scores[i], &p, 1, a);
    const long double expected = 1 / (1 + std::exp(ref.a * d.scores[i] + ref.b));
    CHECK(std::fabs(static_cast<long double>(p) - expected) < 1e-6L);
  }
}

template <class T>
void check_status(const logistic::platt_fit<T>& f, calibration_status expected) {
  CHECK(f.status == expected);
  CHECK(std::string(f.message) == logistic::calibration_status_message(expected));
  CHECK(f.a == -1);  // the identity
  CHECK(f.b == 0);
  CHECK(std::isnan(f.nll));
  CHECK(std::isnan(f.start_nll));
  const logistic::affine<T> a = f.transform();
  CHECK(a.scale == T(1));
  CHECK(a.bias == T(0));
}

}  // namespace

// =======================================================================================
TEST_CASE("reference: sigmoid_train on a two-point set has the closed-form optimum", "[fit_platt][reference]") {
  // One positive at f = 1, one negative at f = -1: targets 2/3 and 1/3, so the optimum
  // has p(1) = 2/3 and p(-1) = 1/3: A + B = -ln 2 and B - A = ln 2, i.e. B = 0 and
  // A = -ln 2.
  const dataset<double> d{{1.0, -1.0}, {1.0, 0.0}};
  const platt_reference ref = sigmoid_train(d);
  CHECK(ref.converged);
  CHECK(std::fabs(ref.a + std::log(2.0L)) < 1e-5L);
  CHECK(std::fabs(ref.b) < 1e-5L);
  CHECK(ref.fval < ref.start);
}

TEST_CASE("fit_platt: (a, b) match the long-double pseudo-code on fixed datasets", "[fit_platt]") {
  SECTION("overlapping classes, float") {
    check_against_reference(two_classes<float>(3001, 1.0, 1.5, 2, 1));
  }
  SECTION("overlapping classes, double, 10^5 samples") {
    check_against_reference(
        two_classes<double>(logistic_test::fewer<std::size_t>(100003), 0.7, 1.0, 2, 2));
  }
  SECTION("separable classes (a gap between them), double") {
    dataset<double> d = two_classes<double>(2000, 3.0, 0.5, 2, 3);
    for (std::size_t i = 0; i < d.scores.size(); ++i) {
      if ((d.scores[i] > 0) != (d.labels[i] > 0.5)) d.scores[i] = -d.scores[i];
    }
    check_against_reference(d);
    const auto fit = fit_platt(d.scores.data(), d.labels.data(), d.scores.size());
    CHECK(fit.a < 0);  // p rises with the score
  }
  SECTION("imbalanced 1:20, float") {
    const dataset<float> d = two_classes<float>(4200, 1.2, 1.0, 21, 4);
    check_against_reference(d);
  }
  SECTION("scores on a large scale (SVM margins in the tens), float") {
    check_against_reference(two_classes<float>(1500, 20.0, 30.0, 3, 5));
  }
  SECTION("every length 2..40, double") {
    std::uint64_t state = 8;
    for (std::size_t n = 2; n <= 40; ++n) {
      INFO("n = " << n);
      dataset<double> d;
      for (std::size_t i = 0; i < n; ++i) {
        const bool positive = i % 3 == 0;
        d.scores.push_back((positive ? 0.5 : -0.5) + standard_normal(state));
        d.labels.push_back(positive ? 1.0 : 0.0);
      }
      check_against_reference(d);
    }
  }
}

TEST_CASE("fit_platt: labels of one class give LIBSVM's finite fit, at the start point", "[fit_platt]") {
  const dataset<double> d = two_classes<double>(500, 1.0, 1.0, 2, 6);
  for (const double label : {1.0, 0.0}) {
    const std::vector<double> y(d.scores.size(), label);
    const auto fit = fit_platt(d.scores.data(), y.data(), y.size());
    INFO("label " << label);
    REQUIRE(fit.status == calibration_status::ok);
    CHECK(fit.iterations == 0);
    CHECK(fit.a == 0);
    // All positive: b = log(1 / (N + 1)), p = (N + 1) / (N + 2) everywhere; all
    // negative: b = log(N + 1), p = 1 / (N + 2).
    const double expected_b = label > 0.5 ? -std::log(501.0) : std::log(501.0);
    CHECK(std::fabs(fit.b - expected_b) < 1e-15);
    CHECK(fit.nll == fit.start_nll);
    const platt_reference ref = sigmoid_train(dataset<double>{d.scores, y});
    CHECK(ref.iterations == 0);
    CHECK(std::fabs(ref.b - static_cast<long double>(fit.b)) < 1e-15L);
  }
}

TEST_CASE("fit_platt: soft labels count as the class they round to (> 0.5 positive)", "[fit_platt]") {
  const dataset<float> hard = two_classes<float>(1000, 1.0, 1.0, 2, 7);
  dataset<float> soft = hard;
  std::uint64_t state = 9;
  for (float& y : soft.labels) {
    const float u = static_cast<float>(0.5 * uniform01(state));
    y = y > 0.5f ? 1.0f - u : u;  // positives in (0.5, 1], negatives in [0, 0.5]
  }
  soft.labels[0] = 0.5f;  // 0.5 is negative
  dataset<float> rounded = hard;
  rounded.labels[0] = 0.0f;
  const auto fs = fit_platt(soft.scores.data(), soft.labels.data(), soft.scores.size());
  const auto fr = fit_platt(rounded.scores.data(), rounded.labels.data(), rounded.scores.size());
  REQUIRE(fs.status == calibration_status::ok);
  CHECK(fs.a == fr.a);
  CHECK(fs.b == fr.b);
  CHECK(fs.iterations == fr.iterations);
}

TEST_CASE("fit_platt: bad arguments, each with its status", "[fit_platt][status]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const dataset<float> d0 = two_classes<float>(37, 1.0, 1.0, 2, 10);
  REQUIRE(fit_platt(d0.scores.data(), d0.labels.data(), d0.scores.size()).status ==
          calibration_status::ok);
  dataset<float> d = d0;
  const std::size_t n = d.scores.size();

  SECTION("null_pointer: n > 0 with null scores or labels") {
    check_status(fit_platt<float>(nullptr, d.labels.data(), n), calibration_status::null_pointer);
    check_status(fit_platt<float>(d.scores.data(), nullptr, n), calibration_status::null_pointer);
  }
  SECTION("empty_input: n == 0") {
    check_status(fit_platt<float>(nullptr, nullptr, 0), calibration_status::empty_input);
    check_status(fit_platt(d.scores.data(), d.labels.data(), 0), calibration_status::empty_input);
  }
  SECTION("bad_label: NaN, below 0, above 1, at the start and in the tail") {
    for (const float bad : {nan, -0.1f, 1.5f, 2.0f, -1.0f}) {  // LIBSVM's -1/+1 are bad here
      for (const std::size_t at : {std::size_t{0}, n - 1}) {
        d.labels = d0.labels;
        d.labels[at] = bad;
        INFO("label " << bad << " at " << at);
        check_status(fit_platt(d.scores.data(), d.labels.data(), n), calibration_status::bad_label);
      }
    }
  }
  SECTION("non_finite_data: a NaN or infinite score") {
    for (const float bad : {nan, inf, -inf}) {
      d.scores = d0.scores;
      d.scores[n - 1] = bad;
      INFO("score " << bad);
      check_status(fit_platt(d.scores.data(), d.labels.data(), n), calibration_status::non_finite_data);
    }
    d.labels[0] = nan;  // bad_label comes first
    check_status(fit_platt(d.scores.data(), d.labels.data(), n), calibration_status::bad_label);
  }
  SECTION("not_converged: too few iterations, an unreachable tolerance, a failing line search") {
    for (const int iterations : {-1, 0, 1}) {
      platt_fit_options<float> o;
      o.max_iterations = iterations;
      const auto f = fit_platt(d.scores.data(), d.labels.data(), n, o);
      INFO("max_iterations " << iterations);
      check_status(f, calibration_status::not_converged);
      CHECK(f.iterations == (iterations < 0 ? 0 : iterations));
    }
    platt_fit_options<float> o;
    o.epsilon = 0;
    check_status(fit_platt(d.scores.data(), d.labels.data(), n, o), calibration_status::not_converged);
    o = {};
    o.min_step = 2;  // no step (from 1 down) is >= 2: the line search fails at once
    const auto f = fit_platt(d.scores.data(), d.labels.data(), n, o);
    check_status(f, calibration_status::not_converged);
    CHECK(f.iterations == 0);
    o = {};
    o.min_step = 0;  // must stop halving at 0, not loop
    CHECK(fit_platt(d.scores.data(), d.labels.data(), n, o).status == calibration_status::ok);
  }
}
