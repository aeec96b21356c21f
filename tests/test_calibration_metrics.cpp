// Calibration metrics (include/logistic/calibration_metrics.hpp, issue 5): ECE, MCE, the
// reliability bins, the Brier score and the log loss against straightforward long double
// computations written here, on random data, on probabilities exactly at the bin edges
// and with empty bins, for float and double; the bin conventions; every bad argument.
#include <logistic/calibration_metrics.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "random.hpp"

namespace {

using logistic::binning;
using logistic::calibration_status;

// ---------------------------------------------------------------------------------------
// Data.
using logistic_test::splitmix;
using logistic_test::uniform01;

template <class T>
struct labelled {
  std::vector<T> probs;
  std::vector<T> labels;
};

// Miscalibrated on purpose: P(y = 1 | p) = p^1.5, so the ECE is far from 0. Soft labels
// (uniform in [0, 1]) on request.
template <class T>
labelled<T> miscalibrated_data(std::size_t n, std::uint64_t seed, bool soft = false) {
  std::uint64_t state = seed;
  labelled<T> d;
  for (std::size_t i = 0; i < n; ++i) {
    const T p = static_cast<T>(uniform01(state));
    const double u = uniform01(state);
    d.probs.push_back(p);
    d.labels.push_back(soft ? static_cast<T>(u) : (u < std::pow(static_cast<double>(p), 1.5) ? T(1) : T(0)));
  }
  return d;
}

// ---------------------------------------------------------------------------------------
// The reference, in long double, independent of the library.

// k / B rounded to the nearest T (ties to even): the candidates around the long double
// quotient, compared by |c B - k|, which long double holds exactly (c has at most 53
// bits and B at most 11).
template <class T>
T reference_edge(std::size_t k, std::size_t bins) {
  REQUIRE(bins <= 2048);
  const T c = static_cast<T>(static_cast<long double>(k) / static_cast<long double>(bins));
  T best = c;
  long double best_error = -1;
  for (T candidate : {std::nextafter(c, T(-1)), c, std::nextafter(c, T(2))}) {
    const long double error = std::fabs(static_cast<long double>(candidate) * static_cast<long double>(bins) -
                                        static_cast<long double>(k));
    bool better = best_error < 0 || error < best_error;
    if (error == best_error) {
      // A tie: the even significand (its last bit 0).
      int e = 0;
      const long double m = std::frexp(static_cast<long double>(candidate), &e);
      const long double scaled = std::ldexp(m, std::numeric_limits<T>::digits);
      better = std::fmod(scaled, 2.0L) == 0;
    }
    if (better) {
      best = candidate;
      best_error = error;
    }
  }
  return best;
}

struct reference_bin {
  std::size_t count = 0;
  long double sum_p = 0, sum_y = 0;
  long double lower = std::numeric_limits<long double>::quiet_NaN();
  long double upper = std::numeric_limits<long double>::quiet_NaN();
};

// Equal width: p = 0 in bin 0, else the first bin k with p <= e_(k+1).
template <class T>
std::vector<reference_bin> reference_equal_width(const labelled<T>& d, std::size_t bins) {
  std::vector<T> edges;
  for (std::size_t k = 0; k <= bins; ++k) edges.push_back(reference_edge<T>(k, bins));
  std::vector<reference_bin> out(bins);
  for (std::size_t k = 0; k < bins; ++k) {
    out[k].lower = edges[k];
    out[k].upper = edges[k + 1];
  }
  for (std::size_t i = 0; i < d.probs.size(); ++i) {
    const T p = d.probs[i];
    std::size_t k = 0;
    if (p != 0) {
      while (!(p <= edges[k + 1])) ++k;
    }
    out[k].count += 1;
    out[k].sum_p += p;
    out[k].sum_y += d.labels[i];
  }
  return out;
}

// Equal mass: sorted by (p, y); the first n mod B bins take one sample more.
template <class T>
std::vector<reference_bin> reference_equal_mass(const labelled<T>& d, std::size_t bins) {
  std::vector<std::pair<T, T>> s;
  for (std::size_t i = 0; i < d.probs.size(); ++i) s.emplace_back(d.probs[i], d.labels[i]);
  std::sort(s.begin(), s.end());
  std::vector<reference_bin> out(bins);
  std::size_t next = 0;
  for (std::size_t k = 0; k < bins; ++k) {
    const std::size_t size = s.size() / bins + (k < s.size() % bins ? 1 : 0);
    for (std::size_t j = 0; j < size; ++j, ++next) {
      if (j == 0) out[k].lower = s[next].first;
      out[k].upper = s[next].first;
      out[k].count += 1;
      out[k].sum_p += s[next].first;
      out[k].sum_y += s[next].second;
    }
  }
  return out;
}

template <class T>
std::vector<reference_bin> reference_bins(const labelled<T>& d, std::size_t bins, binning b) {
  return b == binning::equal_mass ? reference_equal_mass(d, bins) : reference_equal_width(d, bins);
}

long double reference_ece(const std::vector<reference_bin>& bins, std::size_t n) {
  long double total = 0;
  for (const reference_bin& b : bins) {
    if (b.count == 0) continue;
    const long double c = static_cast<long double>(b.count);
    total += (c / static_cast<long double>(n)) * std::fabs(b.sum_p / c - b.sum_y / c);
  }
  return total;
}

long double reference_mce(const std::vector<reference_bin>& bins) {
  long double worst = 0;
  for (const reference_bin& b : bins) {
    if (b.count == 0) continue;
    const long double c = static_cast<long double>(b.count);
    worst = std::max(worst, std::fabs(b.sum_p / c - b.sum_y / c));
  }
  return worst;
}

template <class T>
long double reference_brier(const labelled<T>& d) {
  long double total = 0;
  for (std::size_t i = 0; i < d.probs.size(); ++i) {
    const long double e = static_cast<long double>(d.probs[i]) - d.labels[i];
    total += e * e;
  }
  return total / static_cast<long double>(d.probs.size());
}

template <class T>
long double reference_log_loss(const labelled<T>& d) {
  long double total = 0;
  for (std::size_t i = 0; i < d.probs.size(); ++i) {
    const long double p = d.probs[i], y = d.labels[i];
    if (y > 0) total -= y * std::log(p);
    if (y < 1) total -= (1 - y) * std::log1p(-p);
  }
  return total / static_cast<long double>(d.probs.size());
}

// log(1 + e^x) without overflow.
long double reference_softplus(long double x) {
  return (x > 0 ? x : 0) + std::log1p(std::exp(-std::fabs(x)));
}

template <class T>
long double reference_log_loss_from_logits(const std::vector<T>& x, const std::vector<T>& y) {
  long double total = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    total += y[i] * reference_softplus(-static_cast<long double>(x[i])) +
             (1 - static_cast<long double>(y[i])) * reference_softplus(x[i]);
  }
  return total / static_cast<long double>(x.size());
}

// |got - want| <= abs + rel |want|.
bool close(double got, long double want, long double rel, long double abs = 0) {
  return std::fabs(static_cast<long double>(got) - want) <= abs + rel * std::fabs(want);
}

// The diagram and the two errors against the reference, bin by bin.
template <class T>
void check_against_reference(const labelled<T>& d, std::size_t bins, binning b) {
  const std::size_t n = d.probs.size();
  const std::vector<reference_bin> want = reference_bins(d, bins, b);
  const long double ece = reference_ece(want, n), mce = reference_mce(want);
  INFO("n = " << n << ", bins = " << bins << ", binning = "
              << (b == binning::equal_mass ? "equal_mass" : "equal_width"));

  const logistic::calibration_metric e =
      logistic::expected_calibration_error(d.probs.data(), d.labels.data(), n, bins, b);
  const logistic::calibration_metric m =
      logistic::maximum_calibration_error(d.probs.data(), d.labels.data(), n, bins, b);
  REQUIRE(e.status == calibration_status::ok);
  REQUIRE(m.status == calibration_status::ok);
  INFO("ECE " << e.value << " vs " << static_cast<double>(ece) << ", MCE " << m.value << " vs "
              << static_cast<double>(mce));
  CHECK(close(e.value, ece, 1e-13L, 1e-16L));
  CHECK(close(m.value, mce, 1e-13L, 1e-16L));

  const logistic::reliability_diagram r =
      logistic::reliability_bins(d.probs.data(), d.labels.data(), n, bins, b);
  REQUIRE(r.status == calibration_status::ok);
  CHECK(std::string(r.message) == "ok");
  CHECK(r.ece == e.value);
  CHECK(r.mce == m.value);
  REQUIRE(r.bins.size() == bins);
  std::size_t mismatches = 0;
  for (std::size_t k = 0; k < bins; ++k) {
    const logistic::reliability_bin& got = r.bins[k];
    const reference_bin& w = want[k];
    bool same = got.count == w.count;
    const bool both_nan_lower = std::isnan(got.lower) && std::isnan(static_cast<double>(w.lower));
    const bool both_nan_upper = std::isnan(got.upper) && std::isnan(static_cast<double>(w.upper));
    same = same && (both_nan_lower || static_cast<long double>(got.lower) == w.lower);
    same = same && (both_nan_upper || static_cast<long double>(got.upper) == w.upper);
    if (w.count == 0) {
      same = same && std::isnan(got.mean_confidence) && std::isnan(got.observed_frequency);
    } else {
      const long double c = static_cast<long double>(w.count);
      same = same && close(got.mean_confidence, w.sum_p / c, 1e-14L, 1e-16L);
      same = same && close(got.observed_frequency, w.sum_y / c, 1e-14L, 1e-16L);
    }
    if (!same && mismatches++ < 5) {
      INFO("bin " << k << ": count " << got.count << " vs " << w.count << ", lower " << got.lower
                  << " vs " << static_cast<double>(w.lower) << ", upper " << got.upper << " vs "
                  << static_cast<double>(w.upper) << ", confidence " << got.mean_confidence
                  << ", frequency " << got.observed_frequency);
      CHECK(same);
    }
  }
  CHECK(mismatches == 0);
}

template <class T>
void check_random_data() {
  for (bool soft : {false, true}) {
    const labelled<T> d = miscalibrated_data<T>(100000, soft ? 17 : 3, soft);
    // 200 bins: more than the 128 the equal-width ECE keeps on the stack.
    for (std::size_t bins : {std::size_t(1), std::size_t(2), std::size_t(10), std::size_t(15),
                             std::size_t(100), std::size_t(200)}) {
      check_against_reference(d, bins, binning::equal_width);
      check_against_reference(d, bins, binning::equal_mass);
    }
  }
}

// Every edge k/B rounded to T, its neighbours above and below, 0 and 1; labels random.
template <class T>
labelled<T> edge_data(std::size_t bins, std::uint64_t seed) {
  std::uint64_t state = seed;
  labelled<T> d;
  for (std::size_t k = 0; k <= bins; ++k) {
    const T e = reference_edge<T>(k, bins);
    for (T p : {e, std::nextafter(e, T(2)), std::nextafter(e, T(-1))}) {
      if (!(p >= T(0) && p <= T(1))) continue;
      d.probs.push_back(p);
      d.labels.push_back(uniform01(state) < 0.5 ? T(0) : T(1));
    }
  }
  return d;
}

template <class T>
std::size_t bin_of(T p, std::size_t bins) {
  const T y = 0;
  const logistic::reliability_diagram r = logistic::reliability_bins(&p, &y, 1, bins);
  REQUIRE(r.status == calibration_status::ok);
  for (std::size_t k = 0; k < bins; ++k) {
    if (r.bins[k].count == 1) return k;
  }
  FAIL("the sample is in no bin");
  return bins;
}

template <class T>
void check_edges() {
  // The spelled-out cases: a probability equal to an edge is in the bin below it.
  CHECK(bin_of<T>(T(0), 5) == 0);
  CHECK(bin_of<T>(-T(0), 5) == 0);
  CHECK(bin_of<T>(T(0.2), 5) == 0);  // T(0.2) is 1/5 rounded to T: the edge itself
  CHECK(bin_of<T>(std::nextafter(T(0.2), T(1)), 5) == 1);
  CHECK(bin_of<T>(T(0.4), 5) == 1);
  CHECK(bin_of<T>(T(0.6), 5) == 2);
  CHECK(bin_of<T>(T(0.8), 5) == 3);
  CHECK(bin_of<T>(std::nextafter(T(0.8), T(1)), 5) == 4);
  CHECK(bin_of<T>(T(1), 5) == 4);
  CHECK(bin_of<T>(T(0.1), 10) == 0);
  CHECK(bin_of<T>(T(0.3), 10) == 2);
  CHECK(bin_of<T>(T(0.7), 10) == 6);
  CHECK(bin_of<T>(T(0.5), 2) == 0);
  CHECK(bin_of<T>(std::nextafter(T(0.5), T(1)), 2) == 1);
  CHECK(bin_of<T>(std::numeric_limits<T>::denorm_min(), 15) == 0);
  CHECK(bin_of<T>(T(1), 1) == 0);
  CHECK(bin_of<T>(T(0), 1) == 0);
  // Every edge of several grids, against the reference.
  for (std::size_t bins : {std::size_t(1), std::size_t(3), std::size_t(5), std::size_t(7), std::size_t(10),
                           std::size_t(15), std::size_t(49), std::size_t(100), std::size_t(1000)}) {
    check_against_reference(edge_data<T>(bins, 100 + bins), bins, binning::equal_width);
    check_against_reference(edge_data<T>(bins, 100 + bins), bins, binning::equal_mass);
  }
}

template <class T>
void check_empty_bins() {
  // Probabilities in [0.3, 0.4] only: of 15 equal-width bins, 4 and 5 hold them all.
  labelled<T> d = miscalibrated_data<T>(1000, 23);
  for (T& p : d.probs) p = static_cast<T>(0.3 + 0.1 * static_cast<double>(p));
  check_against_reference(d, 15, binning::equal_width);
  const logistic::reliability_diagram r =
      logistic::reliability_bins(d.probs.data(), d.labels.data(), d.probs.size(), 15);
  REQUIRE(r.bins.size() == 15);
  std::size_t total = 0;
  for (std::size_t k = 0; k < 15; ++k) {
    total += r.bins[k].count;
    if (k != 4 && k != 5) {
      CHECK(r.bins[k].count == 0);
      CHECK(std::isnan(r.bins[k].mean_confidence));
      CHECK(std::isnan(r.bins[k].observed_frequency));
      CHECK(r.bins[k].lower == static_cast<double>(reference_edge<T>(k, 15)));  // edges still given
    }
  }
  CHECK(total == d.probs.size());

  // Equal mass with n < B: one sample in each of the first n bins, the rest empty.
  const labelled<T> few = miscalibrated_data<T>(5, 29);
  check_against_reference(few, 8, binning::equal_mass);
  const logistic::reliability_diagram m =
      logistic::reliability_bins(few.probs.data(), few.labels.data(), 5, 8, binning::equal_mass);
  REQUIRE(m.bins.size() == 8);
  for (std::size_t k = 0; k < 8; ++k) {
    CHECK(m.bins[k].count == (k < 5 ? 1u : 0u));
    if (k >= 5) {
      CHECK(std::isnan(m.bins[k].lower));
      CHECK(std::isnan(m.bins[k].upper));
      CHECK(std::isnan(m.bins[k].mean_confidence));
    }
  }
  // One sample, 15 bins: 14 empty.
  check_against_reference(miscalibrated_data<T>(1, 31), 15, binning::equal_width);
  check_against_reference(miscalibrated_data<T>(1, 31), 15, binning::equal_mass);
}

}  // namespace

// =======================================================================================
TEST_CASE("metrics: ECE, MCE and reliability bins match long double on random data", "[metrics]") {
  SECTION("float") { check_random_data<float>(); }
  SECTION("double") { check_random_data<double>(); }
}

TEST_CASE("metrics: a probability exactly at an edge k/B is in the bin below it", "[metrics][edges]") {
  SECTION("float") { check_edges<float>(); }
  SECTION("double") { check_edges<double>(); }
}

TEST_CASE("metrics: empty bins are listed, have NaN means, and add nothing", "[metrics]") {
  SECTION("float") { check_empty_bins<float>(); }
  SECTION("double") { check_empty_bins<double>(); }
}

TEST_CASE("metrics: equal-mass bins have sizes ceil(n/B) then floor(n/B)", "[metrics]") {
  const labelled<double> d = miscalibrated_data<double>(17, 37);
  const logistic::reliability_diagram r =
      logistic::reliability_bins(d.probs.data(), d.labels.data(), 17, 5, binning::equal_mass);
  REQUIRE(r.bins.size() == 5);
  const std::size_t sizes[] = {4, 4, 3, 3, 3};
  for (std::size_t k = 0; k < 5; ++k) CHECK(r.bins[k].count == sizes[k]);
  for (std::size_t k = 0; k + 1 < 5; ++k) CHECK(r.bins[k].upper <= r.bins[k + 1].lower);
}

TEST_CASE("metrics: equal-mass ties are cut by rank, sorted by (p, label), order-independent",
          "[metrics]") {
  // Ten samples at p = 0.5, five labels 0 and five 1, in 4 bins of 3, 3, 2, 2: sorted by
  // label the bins hold 000, 001, 11, 11.
  std::vector<float> p(10, 0.5f), y = {1, 0, 1, 0, 1, 0, 1, 0, 1, 0};
  const logistic::reliability_diagram r =
      logistic::reliability_bins(p.data(), y.data(), 10, 4, binning::equal_mass);
  REQUIRE(r.status == calibration_status::ok);
  const double frequency[] = {0.0, 1.0 / 3.0, 1.0, 1.0};
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(r.bins[k].mean_confidence == 0.5);
    CHECK(close(r.bins[k].observed_frequency, frequency[k], 1e-15L));
  }
  // ECE = (3/10) 0.5 + (3/10) (1/2 - 1/3) + 2 (2/10) 0.5 = 0.4
  CHECK(close(r.ece, 0.4L, 1e-15L));
  std::reverse(y.begin(), y.end());
  const logistic::reliability_diagram again =
      logistic::reliability_bins(p.data(), y.data(), 10, 4, binning::equal_mass);
  CHECK(again.ece == r.ece);
  CHECK(again.mce == r.mce);
}

TEST_CASE("metrics: small cases by hand", "[metrics]") {
  // One bin: ECE = MCE = |mean p - mean y| = |0.45 - 0.75|.
  const double p[] = {0.1, 0.2, 0.9, 0.6}, y[] = {0, 1, 1, 1};
  CHECK(close(logistic::expected_calibration_error(p, y, 4, 1).value, 0.3L, 1e-15L));
  CHECK(close(logistic::maximum_calibration_error(p, y, 4, 1).value, 0.3L, 1e-15L));
  // Two bins (0, 0.5] and (0.5, 1]: bin 0 has p 0.1, 0.2 against y 0, 1 (gap of the sums
  // 0.7), bin 1 has p 0.9, 0.6 against 1, 1 (gap 0.5): ECE = (0.7 + 0.5) / 4 and
  // MCE = max(0.7 / 2, 0.5 / 2).
  CHECK(close(logistic::expected_calibration_error(p, y, 4, 2).value, 0.3L, 1e-15L));
  CHECK(close(logistic::maximum_calibration_error(p, y, 4, 2).value, 0.35L, 1e-15L));
  // Brier: (0.01 + 0.64 + 0.01 + 0.16) / 4.
  CHECK(close(logistic::brier_score(p, y, 4).value, 0.205L, 1e-15L));
  // Perfect predictions.
  const float hard_p[] = {0, 1, 1, 0}, hard_y[] = {0, 1, 1, 0};
  CHECK(logistic::expected_calibration_error(hard_p, hard_y, 4).value == 0);
  CHECK(logistic::brier_score(hard_p, hard_y, 4).value == 0);
  CHECK(logistic::log_loss(hard_p, hard_y, 4).value == 0);
}

TEST_CASE("metrics: Brier score and log loss match long double", "[metrics]") {
  for (bool soft : {false, true}) {
    const labelled<float> f = miscalibrated_data<float>(100000, soft ? 41 : 43, soft);
    const labelled<double> d = miscalibrated_data<double>(100000, soft ? 47 : 53, soft);
    CHECK(close(logistic::brier_score(f.probs.data(), f.labels.data(), f.probs.size()).value,
                reference_brier(f), 1e-14L));
    CHECK(close(logistic::brier_score(d.probs.data(), d.labels.data(), d.probs.size()).value,
                reference_brier(d), 1e-14L));
    CHECK(close(logistic::log_loss(f.probs.data(), f.labels.data(), f.probs.size()).value,
                reference_log_loss(f), 1e-14L));
    CHECK(close(logistic::log_loss(d.probs.data(), d.labels.data(), d.probs.size()).value,
                reference_log_loss(d), 1e-14L));
  }
  // Probabilities near 0 and 1, where log(1 - p) needs log1p.
  labelled<double> tails;
  for (int k = 1; k < 60; ++k) {
    tails.probs.push_back(std::ldexp(1.0, -k));
    tails.labels.push_back(0);
    tails.probs.push_back(1 - std::ldexp(1.0, -k));
    tails.labels.push_back(1);
    tails.probs.push_back(std::ldexp(1.0, -k));
    tails.labels.push_back(1);
  }
  tails.probs.push_back(1e-300);
  tails.labels.push_back(1);
  CHECK(close(logistic::log_loss(tails.probs.data(), tails.labels.data(), tails.probs.size()).value,
              reference_log_loss(tails), 1e-14L));
}

TEST_CASE("metrics: log loss is not clipped: +inf where a label meets p = 0 or 1", "[metrics]") {
  const double inf = std::numeric_limits<double>::infinity();
  const double p0 = 0, p1 = 1, y0 = 0, y1 = 1, half = 0.5;
  CHECK(logistic::log_loss(&p0, &y0, 1).value == 0);  // 0 log 0 = 0
  CHECK(logistic::log_loss(&p1, &y1, 1).value == 0);
  CHECK(logistic::log_loss(&p0, &y1, 1).value == inf);
  CHECK(logistic::log_loss(&p1, &y0, 1).value == inf);
  CHECK(logistic::log_loss(&p1, &half, 1).value == inf);  // soft label: both terms count
  CHECK(logistic::log_loss(&p1, &y0, 1).status == calibration_status::ok);
  std::vector<float> p(1000, 0.5f), y(1000, 1.0f);
  p[500] = 0.0f;
  CHECK(logistic::log_loss(p.data(), y.data(), p.size()).value == inf);
}

TEST_CASE("metrics: log loss from logits matches long double and stays finite", "[metrics]") {
  std::uint64_t state = 59;
  std::vector<float> xf, yf;
  std::vector<double> xd, yd;
  for (int i = 0; i < 100000; ++i) {
    const double x = 60 * uniform01(state) - 30;
    const double u = uniform01(state);
    const double y = i % 3 == 0 ? u : (u < 0.5 ? 0.0 : 1.0);
    xf.push_back(static_cast<float>(x));
    yf.push_back(static_cast<float>(y));
    xd.push_back(x);
    yd.push_back(y);
  }
  // Extremes: the wrong label at the largest finite logits, and exactly 0.
  for (float x : {std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(), 1e30f, 0.0f}) {
    for (float y : {0.0f, 1.0f, 0.25f}) {
      xf.push_back(x);
      yf.push_back(y);
      xd.push_back(x);
      yd.push_back(y);
    }
  }
  const logistic::calibration_metric f = logistic::log_loss_from_logits(xf.data(), yf.data(), xf.size());
  const logistic::calibration_metric d = logistic::log_loss_from_logits(xd.data(), yd.data(), xd.size());
  REQUIRE(f.status == calibration_status::ok);
  REQUIRE(d.status == calibration_status::ok);
  CHECK(std::isfinite(f.value));
  CHECK(close(f.value, reference_log_loss_from_logits(xf, yf), 1e-13L));
  CHECK(close(d.value, reference_log_loss_from_logits(xd, yd), 1e-13L));
  // Every length (the float path works in chunks of 256).
  for (std::size_t n : {std::size_t(1), std::size_t(7), std::size_t(255), std::size_t(256),
                        std::size_t(257), std::size_t(1000)}) {
    const std::vector<float> xs(xf.begin(), xf.begin() + static_cast<std::ptrdiff_t>(n));
    const std::vector<float> ys(yf.begin(), yf.begin() + static_cast<std::ptrdiff_t>(n));
    CHECK(close(logistic::log_loss_from_logits(xs.data(), ys.data(), n).value,
                reference_log_loss_from_logits(xs, ys), 1e-13L));
  }
}

// ---------------------------------------------------------------------------------------
// Bad arguments: each returns its status, its message and a NaN value.
namespace {

void check_failure(const logistic::calibration_metric& m, calibration_status want) {
  CHECK(m.status == want);
  CHECK(std::string(m.message) == logistic::calibration_status_message(want));
  CHECK(std::isnan(m.value));
}

void check_failure(const logistic::reliability_diagram& r, calibration_status want) {
  CHECK(r.status == want);
  CHECK(std::string(r.message) == logistic::calibration_status_message(want));
  CHECK(r.bins.empty());
  CHECK(std::isnan(r.ece));
  CHECK(std::isnan(r.mce));
}

// Every function of probabilities, binned ones with (bins, b).
template <class T>
void check_all_probability_functions(const T* p, const T* y, std::size_t n, std::size_t bins, binning b,
                                     calibration_status binned, calibration_status plain) {
  check_failure(logistic::expected_calibration_error(p, y, n, bins, b), binned);
  check_failure(logistic::maximum_calibration_error(p, y, n, bins, b), binned);
  check_failure(logistic::reliability_bins(p, y, n, bins, b), binned);
  if (plain != calibration_status::ok) {
    check_failure(logistic::brier_score(p, y, n), plain);
    check_failure(logistic::log_loss(p, y, n), plain);
  }
}

template <class T>
void check_bad_arguments() {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T inf = std::numeric_limits<T>::infinity();
  std::vector<T> p = {T(0.1), T(0.5), T(0.9), T(0.3)}, y = {T(0), T(1), T(1), T(0)};
  const binning w = binning::equal_width, m = binning::equal_mass;
  const binning bogus = static_cast<binning>(7);

  // null_pointer: either pointer, n > 0.
  check_all_probability_functions<T>(nullptr, y.data(), 4, 15, w, calibration_status::null_pointer,
                                     calibration_status::null_pointer);
  check_all_probability_functions<T>(p.data(), nullptr, 4, 15, m, calibration_status::null_pointer,
                                     calibration_status::null_pointer);
  check_failure(logistic::log_loss_from_logits<T>(nullptr, y.data(), 4), calibration_status::null_pointer);
  check_failure(logistic::log_loss_from_logits<T>(p.data(), nullptr, 4), calibration_status::null_pointer);

  // empty_input: n == 0, with or without pointers, before the bin count.
  check_all_probability_functions<T>(p.data(), y.data(), 0, 15, w, calibration_status::empty_input,
                                     calibration_status::empty_input);
  check_all_probability_functions<T>(nullptr, nullptr, 0, 0, w, calibration_status::empty_input,
                                     calibration_status::empty_input);
  check_failure(logistic::log_loss_from_logits<T>(nullptr, nullptr, 0), calibration_status::empty_input);

  // bad_bin_count: bins == 0, before the data are looked at.
  check_all_probability_functions<T>(p.data(), y.data(), 4, 0, w, calibration_status::bad_bin_count,
                                     calibration_status::ok);
  check_all_probability_functions<T>(p.data(), y.data(), 4, 0, m, calibration_status::bad_bin_count,
                                     calibration_status::ok);
  {
    std::vector<T> bad = y;
    bad[1] = nan;
    check_all_probability_functions<T>(p.data(), bad.data(), 4, 0, w, calibration_status::bad_bin_count,
                                       calibration_status::bad_label);
  }

  // bad_label: NaN, below 0, above 1; reported before a bad probability.
  for (T label : {nan, T(-0.25), std::nextafter(T(0), T(-1)), std::nextafter(T(1), T(2)), T(2), inf, -inf}) {
    std::vector<T> bad = y;
    bad[3] = label;
    check_all_probability_functions<T>(p.data(), bad.data(), 4, 15, w, calibration_status::bad_label,
                                       calibration_status::bad_label);
    check_failure(logistic::log_loss_from_logits(p.data(), bad.data(), 4), calibration_status::bad_label);
    std::vector<T> bad_p = p;
    bad_p[0] = nan;
    check_all_probability_functions<T>(bad_p.data(), bad.data(), 4, 15, m, calibration_status::bad_label,
                                       calibration_status::bad_label);
  }

  // bad_probability: NaN, below 0, above 1.
  for (T prob : {nan, T(-0.5), std::nextafter(T(0), T(-1)), std::nextafter(T(1), T(2)), T(1.5), inf, -inf}) {
    std::vector<T> bad = p;
    bad[2] = prob;
    check_all_probability_functions<T>(bad.data(), y.data(), 4, 15, w, calibration_status::bad_probability,
                                       calibration_status::bad_probability);
    check_all_probability_functions<T>(bad.data(), y.data(), 4, 3, m, calibration_status::bad_probability,
                                       calibration_status::bad_probability);
  }

  // non_finite_data: a logit NaN or +-inf (labels checked first).
  for (T logit : {nan, inf, -inf}) {
    std::vector<T> x = {T(-3), T(0.5), T(7), T(1)};
    x[1] = logit;
    check_failure(logistic::log_loss_from_logits(x.data(), y.data(), 4), calibration_status::non_finite_data);
    std::vector<T> bad = y;
    bad[0] = T(3);
    check_failure(logistic::log_loss_from_logits(x.data(), bad.data(), 4), calibration_status::bad_label);
  }

  // bad_binning: a value that is neither enumerator, checked last.
  check_all_probability_functions<T>(p.data(), y.data(), 4, 15, bogus, calibration_status::bad_binning,
                                     calibration_status::ok);
  {
    std::vector<T> bad = p;
    bad[0] = T(2);
    check_all_probability_functions<T>(bad.data(), y.data(), 4, 15, bogus,
                                       calibration_status::bad_probability,
                                       calibration_status::bad_probability);
  }

  // And the same data with good arguments are fine.
  CHECK(logistic::expected_calibration_error(p.data(), y.data(), 4).status == calibration_status::ok);
  CHECK(logistic::log_loss_from_logits(p.data(), y.data(), 4).status == calibration_status::ok);
}

}  // namespace

TEST_CASE("metrics: every bad argument returns its status, message and NaN", "[metrics][status]") {
  SECTION("float") { check_bad_arguments<float>(); }
  SECTION("double") { check_bad_arguments<double>(); }
}
