// Isotonic calibration (include/logistic/fit_isotonic.hpp, issue 5): the fit against a
// direct long double pool-adjacent-violators written here (merge any adjacent violating
// pair, repeat until none is left), on random data with and without ties, already
// monotone and reversed input, and weights; the calibrator at, between and outside the
// thresholds; and every bad argument.
#include <logistic/fit_isotonic.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "random.hpp"

namespace {

using logistic::calibration_status;

using logistic_test::splitmix;
using logistic_test::uniform01;

template <class T>
struct dataset {
  std::vector<T> scores, labels, weights;  // weights empty: unweighted
  const T* weight() const { return weights.empty() ? nullptr : weights.data(); }
};

// Scores on [-3, 3] (rounded to a grid of `levels` values when levels > 0: ties), labels
// 1 with probability sigma(1.5 s) (soft labels on request), weights in {0} U (0, 3] on
// request (about 1 in 10 zero).
template <class T>
dataset<T> random_dataset(std::size_t n, std::uint64_t seed, int levels, bool soft, bool weighted) {
  std::uint64_t state = seed;
  dataset<T> d;
  for (std::size_t i = 0; i < n; ++i) {
    double s = 6 * uniform01(state) - 3;
    if (levels > 0) s = std::round(s * levels / 6) * 6 / levels;
    const double prob = 1 / (1 + std::exp(-1.5 * s));
    const double u = uniform01(state);
    d.scores.push_back(static_cast<T>(s));
    d.labels.push_back(soft ? static_cast<T>(u * prob) : (u < prob ? T(1) : T(0)));
    if (weighted) {
      const double v = uniform01(state);
      d.weights.push_back(v < 0.1 ? T(0) : static_cast<T>(3 * v));
    }
  }
  return d;
}

// ---------------------------------------------------------------------------------------
// The reference: long double, straightforward.
struct reference_fit {
  std::vector<long double> x;      // the distinct scores with positive total weight
  std::vector<long double> value;  // the fitted value at each
};

template <class T>
reference_fit reference_pav(const dataset<T>& d) {
  struct point {
    long double x, w, wy;
  };
  std::vector<point> samples;
  for (std::size_t i = 0; i < d.scores.size(); ++i) {
    const long double w = d.weights.empty() ? 1.0L : static_cast<long double>(d.weights[i]);
    if (w > 0) samples.push_back({d.scores[i], w, w * d.labels[i]});
  }
  std::sort(samples.begin(), samples.end(), [](const point& a, const point& b) { return a.x < b.x; });
  // Equal scores pooled: one point each.
  std::vector<point> pooled;
  for (const point& s : samples) {
    if (!pooled.empty() && pooled.back().x == s.x) {
      pooled.back().w += s.w;
      pooled.back().wy += s.wy;
    } else {
      pooled.push_back(s);
    }
  }
  // Blocks of consecutive points; merge the first adjacent pair that violates the order,
  // and start over, until no pair does.
  struct block {
    std::size_t first, last;
    long double w, wy;
    long double value() const { return wy / w; }
  };
  std::vector<block> blocks;
  for (std::size_t i = 0; i < pooled.size(); ++i) blocks.push_back({i, i, pooled[i].w, pooled[i].wy});
  bool merged = true;
  while (merged) {
    merged = false;
    for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
      if (blocks[i].value() > blocks[i + 1].value()) {
        blocks[i] = {blocks[i].first, blocks[i + 1].last, blocks[i].w + blocks[i + 1].w,
                     blocks[i].wy + blocks[i + 1].wy};
        blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        merged = true;
        break;
      }
    }
  }
  reference_fit fit;
  for (const block& b : blocks) {
    for (std::size_t i = b.first; i <= b.last; ++i) {
      fit.x.push_back(pooled[i].x);
      fit.value.push_back(b.value());
    }
  }
  return fit;
}

// The points kept for interpolation: the first and the last of each run of equal values.
reference_fit trimmed(const reference_fit& f) {
  reference_fit t;
  for (std::size_t i = 0; i < f.x.size(); ++i) {
    const bool same_as_previous = i > 0 && f.value[i - 1] == f.value[i];
    const bool same_as_next = i + 1 < f.x.size() && f.value[i + 1] == f.value[i];
    if (!(same_as_previous && same_as_next)) {
      t.x.push_back(f.x[i]);
      t.value.push_back(f.value[i]);
    }
  }
  return t;
}

// Linear interpolation through the points, clipped at both ends.
long double reference_interpolate(const reference_fit& f, long double s) {
  if (s <= f.x.front()) return f.value.front();
  if (s >= f.x.back()) return f.value.back();
  std::size_t j = 1;
  while (f.x[j] <= s) ++j;
  const long double t = (s - f.x[j - 1]) / (f.x[j] - f.x[j - 1]);
  return f.value[j - 1] + (f.value[j] - f.value[j - 1]) * t;
}

template <class T>
void check_fit(const dataset<T>& d, const char* what) {
  INFO(what << ", n = " << d.scores.size());
  const logistic::isotonic_fit<T> fit =
      logistic::fit_isotonic(d.scores.data(), d.labels.data(), d.scores.size(), d.weight());
  REQUIRE(fit.status == calibration_status::ok);
  CHECK(std::string(fit.message) == "ok");
  const reference_fit want = reference_pav(d);
  const reference_fit points = trimmed(want);
  const std::vector<double>& x = fit.calibrator.thresholds();
  const std::vector<double>& v = fit.calibrator.values();

  // The thresholds are the reference's kept points, the values its fitted values.
  REQUIRE(x.size() == points.x.size());
  REQUIRE(v.size() == x.size());
  std::size_t bad = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool same = static_cast<long double>(x[i]) == points.x[i] &&
                      std::fabs(static_cast<long double>(v[i]) - points.value[i]) <= 1e-14L;
    if (!same && bad++ < 5) {
      INFO("point " << i << ": " << x[i] << " -> " << v[i] << ", want "
                    << static_cast<double>(points.x[i]) << " -> " << static_cast<double>(points.value[i]));
      CHECK(same);
    }
    if (i > 0) {
      CHECK(x[i - 1] < x[i]);
      CHECK(v[i - 1] <= v[i]);  // non-decreasing fitted values
    }
  }
  CHECK(bad == 0);

  // At every training score, the fitted value.
  bad = 0;
  for (std::size_t i = 0; i < want.x.size(); ++i) {
    const T got = fit.calibrator(static_cast<T>(want.x[i]));
    const long double tolerance = 1e-14L + (sizeof(T) == 4 ? 0x1p-24L : 0.0L);
    if (!(std::fabs(static_cast<long double>(got) - want.value[i]) <= tolerance) && bad++ < 5) {
      INFO("at " << static_cast<double>(want.x[i]) << ": " << got << ", want "
                 << static_cast<double>(want.value[i]));
      CHECK(false);
    }
  }
  CHECK(bad == 0);

  // Between and outside the thresholds: interpolation and clipping; never decreasing.
  bad = 0;
  const long double lo = want.x.front(), hi = want.x.back();
  T previous = fit.calibrator(static_cast<T>(lo - 1));
  for (int k = 0; k <= 4000; ++k) {
    const T s = static_cast<T>(lo - 1 + (hi - lo + 2) * k / 4000.0L);
    const T got = fit.calibrator(s);
    const long double expected = reference_interpolate(points, s);
    const long double tolerance = 1e-14L + (sizeof(T) == 4 ? 0x1p-24L : 0.0L);
    if (!(std::fabs(static_cast<long double>(got) - expected) <= tolerance) || got < previous) {
      if (bad++ < 5) {
        INFO("at " << s << ": " << got << ", want " << static_cast<double>(expected));
        CHECK(false);
      }
    }
    previous = got;
  }
  CHECK(bad == 0);
}

}  // namespace

// =======================================================================================
TEST_CASE("isotonic: matches a direct long double PAV on random data", "[isotonic]") {
  check_fit(random_dataset<double>(3000, 1, 0, false, false), "double, continuous scores");
  check_fit(random_dataset<float>(3000, 2, 0, false, false), "float, continuous scores");
  check_fit(random_dataset<double>(3000, 3, 0, true, false), "double, soft labels");
  check_fit(random_dataset<double>(200, 4, 0, false, false), "double, n = 200");
}

TEST_CASE("isotonic: ties in scores are pooled first", "[isotonic]") {
  check_fit(random_dataset<double>(3000, 5, 40, false, false), "double, 41 score levels");
  check_fit(random_dataset<float>(3000, 6, 40, false, false), "float, 41 score levels");
  check_fit(random_dataset<double>(3000, 7, 4, true, false), "double, 5 levels, soft labels");
  // scikit-learn's regression test for issue 9432 (checked there against R's isotone):
  // x = 0 1 1 2 3 4, y = 0 0 1 0 0 1 fits 0 .25 .25 .25 .25 1.
  const double x[] = {0, 1, 1, 2, 3, 4}, y[] = {0, 0, 1, 0, 0, 1};
  const logistic::isotonic_fit<double> fit = logistic::fit_isotonic(x, y, 6);
  REQUIRE(fit.status == calibration_status::ok);
  const double fitted[] = {0, 0.25, 0.25, 0.25, 0.25, 1};
  for (int i = 0; i < 6; ++i) CHECK(fit.calibrator(x[i]) == fitted[i]);
  CHECK(fit.calibrator.thresholds() == std::vector<double>{0, 1, 3, 4});
  CHECK(fit.calibrator.values() == std::vector<double>{0, 0.25, 0.25, 1});
  CHECK(fit.calibrator(0.5) == 0.125);
  CHECK(fit.calibrator(3.5) == 0.625);
}

TEST_CASE("isotonic: already monotone input is not pooled", "[isotonic]") {
  dataset<double> d;
  for (int i = 0; i < 500; ++i) {
    d.scores.push_back(i * 0.01 - 2);
    d.labels.push_back(i / 499.0);  // strictly increasing
  }
  check_fit(d, "strictly increasing soft labels");
  const logistic::isotonic_fit<double> fit = logistic::fit_isotonic(d.scores.data(), d.labels.data(), 500);
  CHECK(fit.calibrator.thresholds() == d.scores);
  CHECK(fit.calibrator.values() == d.labels);

  // Hard labels, 0 then 1: two blocks, four points.
  std::vector<float> s, y;
  for (int i = 0; i < 100; ++i) {
    s.push_back(static_cast<float>(i));
    y.push_back(i < 40 ? 0.0f : 1.0f);
  }
  const logistic::isotonic_fit<float> steps = logistic::fit_isotonic(s.data(), y.data(), 100);
  CHECK(steps.calibrator.thresholds() == std::vector<double>{0, 39, 40, 99});
  CHECK(steps.calibrator.values() == std::vector<double>{0, 0, 1, 1});
  CHECK(steps.calibrator(39.25f) == 0.25f);
}

TEST_CASE("isotonic: reversed input pools into one block", "[isotonic]") {
  dataset<double> d;
  for (int i = 0; i < 300; ++i) {
    d.scores.push_back(i);
    d.labels.push_back((300 - i) / 300.0);
  }
  check_fit(d, "decreasing labels");
  const logistic::isotonic_fit<double> fit = logistic::fit_isotonic(d.scores.data(), d.labels.data(), 300);
  REQUIRE(fit.calibrator.thresholds().size() == 2);
  CHECK(fit.calibrator.thresholds() == std::vector<double>{0, 299});
  long double mean = 0;
  for (double l : d.labels) mean += l;
  mean /= 300;
  CHECK(std::fabs(fit.calibrator.values()[0] - mean) <= 1e-14L);
  CHECK(fit.calibrator.values()[0] == fit.calibrator.values()[1]);
  CHECK(fit.calibrator(-1e300) == fit.calibrator(1e300));
}

TEST_CASE("isotonic: weights, zero weights dropped", "[isotonic]") {
  check_fit(random_dataset<double>(3000, 8, 0, false, true), "double, weights");
  check_fit(random_dataset<float>(3000, 9, 30, false, true), "float, weights and ties");
  check_fit(random_dataset<double>(3000, 10, 10, true, true), "double, weights, ties, soft labels");

  // An integer weight is the sample repeated.
  const dataset<double> base = random_dataset<double>(400, 11, 0, false, false);
  dataset<double> weighted = base, repeated = base;
  std::uint64_t state = 12;
  for (std::size_t i = 0; i < base.scores.size(); ++i) {
    const int w = 1 + static_cast<int>(uniform01(state) * 3);
    weighted.weights.push_back(w);
    for (int k = 1; k < w; ++k) {
      repeated.scores.push_back(base.scores[i]);
      repeated.labels.push_back(base.labels[i]);
    }
  }
  const logistic::isotonic_fit<double> a =
      logistic::fit_isotonic(weighted.scores.data(), weighted.labels.data(), base.scores.size(), weighted.weight());
  const logistic::isotonic_fit<double> b =
      logistic::fit_isotonic(repeated.scores.data(), repeated.labels.data(), repeated.scores.size());
  REQUIRE(a.calibrator.thresholds() == b.calibrator.thresholds());
  for (std::size_t i = 0; i < a.calibrator.values().size(); ++i) {
    CHECK(std::fabs(a.calibrator.values()[i] - b.calibrator.values()[i]) <= 1e-15);
  }

  // Zero-weight samples neither move the fit nor widen the clipping range.
  const double s[] = {-5, 0, 1, 2, 9}, y[] = {1, 0, 1, 1, 0}, w[] = {0, 1, 1, 1, 0};
  const logistic::isotonic_fit<double> z = logistic::fit_isotonic(s, y, 5, w);
  REQUIRE(z.status == calibration_status::ok);
  CHECK(z.calibrator.thresholds() == std::vector<double>{0, 1, 2});
  CHECK(z.calibrator(-5.0) == 0);
  CHECK(z.calibrator(9.0) == 1);
}

TEST_CASE("isotonic: the fit does not depend on the order of the samples", "[isotonic]") {
  dataset<double> d = random_dataset<double>(2000, 13, 25, true, true);
  const logistic::isotonic_fit<double> a =
      logistic::fit_isotonic(d.scores.data(), d.labels.data(), 2000, d.weight());
  std::reverse(d.scores.begin(), d.scores.end());
  std::reverse(d.labels.begin(), d.labels.end());
  std::reverse(d.weights.begin(), d.weights.end());
  const logistic::isotonic_fit<double> b =
      logistic::fit_isotonic(d.scores.data(), d.labels.data(), 2000, d.weight());
  CHECK(a.calibrator.thresholds() == b.calibrator.thresholds());
  CHECK(a.calibrator.values() == b.calibrator.values());
}

TEST_CASE("isotonic: the calibrator at, between and outside the thresholds", "[isotonic]") {
  const logistic::isotonic_calibrator<double> c({-1, 0, 2, 3}, {0.1, 0.3, 0.3, 0.9});
  REQUIRE(!c.empty());
  CHECK(c(-1.0) == 0.1);  // at the thresholds: the values
  CHECK(c(0.0) == 0.3);
  CHECK(c(2.0) == 0.3);
  CHECK(c(3.0) == 0.9);
  CHECK(std::fabs(c(-0.5) - 0.2) <= 1e-16);  // between: linear
  CHECK(c(1.0) == 0.3);                      // inside a flat block
  CHECK(std::fabs(c(2.5) - 0.6) <= 2e-16);
  CHECK(c(-7.0) == 0.1);  // outside: clipped
  CHECK(c(1e300) == 0.9);
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(c(-inf) == 0.1);
  CHECK(c(inf) == 0.9);
  CHECK(std::isnan(c(std::numeric_limits<double>::quiet_NaN())));

  // apply() is operator() element by element, in place too.
  std::vector<double> in = {-9, -1, -0.75, 0, 0.5, 2, 2.25, 3, 4, std::nan("")}, out(in.size());
  c.apply(in.data(), out.data(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (std::isnan(in[i])) {
      CHECK(std::isnan(out[i]));
    } else {
      CHECK(out[i] == c(in[i]));
    }
  }
  c.apply(in.data(), in.data(), in.size());
  for (std::size_t i = 0; i + 1 < in.size(); ++i) CHECK(in[i] == out[i]);

  // One threshold: a constant.
  const logistic::isotonic_calibrator<float> one({2.0}, {0.75});
  CHECK(one(-100.0f) == 0.75f);
  CHECK(one(2.0f) == 0.75f);
  CHECK(one(100.0f) == 0.75f);
  const float s[] = {1, 1, 1}, y[] = {0, 1, 1};
  const logistic::isotonic_fit<float> tie = logistic::fit_isotonic(s, y, 3);
  CHECK(tie.calibrator.thresholds() == std::vector<double>{1});
  CHECK(std::fabs(tie.calibrator(5.0f) - 2.0f / 3.0f) <= 1e-7f);
  // Constant labels: a constant calibrator, status ok.
  const float zeros[] = {0, 0, 0};
  const float spread[] = {1, 2, 3};
  const logistic::isotonic_fit<float> flat = logistic::fit_isotonic(spread, zeros, 3);
  CHECK(flat.status == calibration_status::ok);
  CHECK(flat.calibrator(2.5f) == 0.0f);

  // Scores near the largest doubles: the width of a segment overflows, not the result.
  const logistic::isotonic_calibrator<double> wide({-1e308, 1e308}, {0, 1});
  CHECK(std::fabs(wide(0.0) - 0.5) <= 1e-15);
  CHECK(std::fabs(wide(5e307) - 0.75) <= 1e-15);
}

TEST_CASE("isotonic: a calibrator rebuilt from bad points is empty", "[isotonic]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::vector<double>> xs = {{}, {0, 1}, {1, 0}, {0, 0}, {0, nan}, {0, 1}, {0, 1}};
  const std::vector<std::vector<double>> ys = {{}, {0.5}, {0, 1}, {0, 1}, {0, 1}, {1, 0}, {0, nan}};
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const logistic::isotonic_calibrator<double> c(xs[i], ys[i]);
    INFO("case " << i);
    CHECK(c.empty());
    CHECK(c.thresholds().empty());
    CHECK(std::isnan(c(0.5)));
  }
  const logistic::isotonic_calibrator<double> ok({0, 1}, {0.25, 0.25});
  CHECK(!ok.empty());
  CHECK(std::isnan(logistic::isotonic_calibrator<float>()(1.0f)));
}

// ---------------------------------------------------------------------------------------
namespace {

template <class T>
void check_failed_fit(const logistic::isotonic_fit<T>& fit, calibration_status want) {
  CHECK(fit.status == want);
  CHECK(std::string(fit.message) == logistic::calibration_status_message(want));
  CHECK(fit.calibrator.empty());
  CHECK(std::isnan(fit.calibrator(T(0.5))));
  T out[2] = {T(0), T(0)};
  const T in[2] = {T(-1), T(1)};
  fit.calibrator.apply(in, out, 2);
  CHECK(std::isnan(out[0]));
  CHECK(std::isnan(out[1]));
}

template <class T>
void check_bad_arguments() {
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  const std::vector<T> s = {T(0.5), T(-1), T(2), T(0)}, y = {T(1), T(0), T(1), T(0)};
  const std::vector<T> w = {T(1), T(2), T(0), T(0.5)};
  check_failed_fit(logistic::fit_isotonic<T>(nullptr, y.data(), 4), calibration_status::null_pointer);
  check_failed_fit(logistic::fit_isotonic<T>(s.data(), nullptr, 4, w.data()), calibration_status::null_pointer);
  check_failed_fit(logistic::fit_isotonic<T>(s.data(), y.data(), 0), calibration_status::empty_input);
  check_failed_fit(logistic::fit_isotonic<T>(nullptr, nullptr, 0), calibration_status::empty_input);
  for (T label : {nan, T(-0.1), T(1.1), inf, std::nextafter(T(1), T(2))}) {
    std::vector<T> bad = y;
    bad[2] = label;
    check_failed_fit(logistic::fit_isotonic(s.data(), bad.data(), 4), calibration_status::bad_label);
    // before a bad weight and a bad score
    std::vector<T> bad_s = s, bad_w = w;
    bad_s[0] = nan;
    bad_w[0] = T(-1);
    check_failed_fit(logistic::fit_isotonic(bad_s.data(), bad.data(), 4, bad_w.data()),
                     calibration_status::bad_label);
  }
  for (T weight : {nan, T(-1), -std::numeric_limits<T>::denorm_min(), inf}) {
    std::vector<T> bad = w;
    bad[1] = weight;
    check_failed_fit(logistic::fit_isotonic(s.data(), y.data(), 4, bad.data()), calibration_status::bad_weight);
    std::vector<T> bad_s = s;
    bad_s[3] = inf;
    check_failed_fit(logistic::fit_isotonic(bad_s.data(), y.data(), 4, bad.data()),
                     calibration_status::bad_weight);
  }
  const std::vector<T> zero(4, T(0));
  check_failed_fit(logistic::fit_isotonic(s.data(), y.data(), 4, zero.data()), calibration_status::bad_weight);
  for (T score : {nan, inf, -inf}) {
    std::vector<T> bad = s;
    bad[3] = score;
    check_failed_fit(logistic::fit_isotonic(bad.data(), y.data(), 4), calibration_status::non_finite_data);
    check_failed_fit(logistic::fit_isotonic(bad.data(), y.data(), 4, w.data()),
                     calibration_status::non_finite_data);
  }
  // The same data, good: ok.
  CHECK(logistic::fit_isotonic(s.data(), y.data(), 4, w.data()).status == calibration_status::ok);
}

}  // namespace

TEST_CASE("isotonic: every bad argument returns its status and an empty calibrator", "[isotonic][status]") {
  SECTION("float") { check_bad_arguments<float>(); }
  SECTION("double") { check_bad_arguments<double>(); }
}
