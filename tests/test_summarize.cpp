// The monitoring summary (include/logistic/summarize.hpp, issue 5): counts, min / max /
// mean and the histogram against a straightforward long double pass written here, on
// probabilities and logits with NaN, infinities, saturated values, values outside the
// range and values exactly at the bin edges; float and double; every bad argument.
#include <logistic/summarize.hpp>

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

// k / B rounded to the nearest T, ties to even (as in test_calibration_metrics.cpp): the
// candidates around the long double quotient compared by |c B - k|, exact in long double.
template <class T>
T reference_unit_edge(std::size_t k, std::size_t bins) {
  REQUIRE(bins <= 2048);
  const T c = static_cast<T>(static_cast<long double>(k) / static_cast<long double>(bins));
  T best = c;
  long double best_error = -1;
  for (T candidate : {std::nextafter(c, T(-1)), c, std::nextafter(c, T(2))}) {
    const long double error = std::fabs(static_cast<long double>(candidate) * static_cast<long double>(bins) -
                                        static_cast<long double>(k));
    bool better = best_error < 0 || error < best_error;
    if (error == best_error) {
      int e = 0;
      const long double m = std::frexp(static_cast<long double>(candidate), &e);
      better = std::fmod(std::ldexp(m, std::numeric_limits<T>::digits), 2.0L) == 0;
    }
    if (better) {
      best = candidate;
      best_error = error;
    }
  }
  return best;
}

// The edges as summarize.hpp defines them: on [0, 1], k / B correctly rounded; elsewhere
// lower + (upper - lower) * (k / B) in double, rounded to T, clamped.
template <class T>
std::vector<long double> reference_edges(T lower, T upper, std::size_t bins) {
  std::vector<long double> edges;
  for (std::size_t k = 0; k <= bins; ++k) {
    if (lower == T(0) && upper == T(1)) {
      edges.push_back(reference_unit_edge<T>(k, bins));
      continue;
    }
    const double lo = lower, hi = upper;
    double e = static_cast<double>(static_cast<T>(lo + (hi - lo) * (static_cast<double>(k) / static_cast<double>(bins))));
    e = std::min(std::max(e, lo), hi);
    edges.push_back(k == 0 ? lo : k == bins ? hi : e);
  }
  return edges;
}

struct reference_summary {
  std::size_t nan = 0, pos_inf = 0, neg_inf = 0, zero = 0, one = 0, finite = 0, below = 0, above = 0;
  long double min = 0, max = 0, sum = 0;
  std::vector<std::size_t> histogram;
};

template <class T>
reference_summary reference_of(const std::vector<T>& v, std::size_t bins, T lower, T upper) {
  const std::vector<long double> edges = reference_edges(lower, upper, bins);
  reference_summary r;
  r.histogram.assign(bins, 0);
  for (T x : v) {
    if (std::isnan(x)) {
      ++r.nan;
      continue;
    }
    if (std::isinf(x)) {
      ++(x > 0 ? r.pos_inf : r.neg_inf);
    } else {
      if (r.finite == 0) r.min = r.max = x;
      r.min = std::min<long double>(r.min, x);
      r.max = std::max<long double>(r.max, x);
      r.sum += x;
      ++r.finite;
    }
    if (x == 0) ++r.zero;
    if (x == 1) ++r.one;
    if (x < lower) {
      ++r.below;
    } else if (x > upper) {
      ++r.above;
    } else {
      std::size_t k = 0;
      while (!(x <= edges[k + 1])) ++k;  // x = lower: bin 0
      ++r.histogram[k];
    }
  }
  return r;
}

template <class T>
void check_summary(const std::vector<T>& v, std::size_t bins, T lower, T upper) {
  INFO("n = " << v.size() << ", bins = " << bins << ", range [" << lower << ", " << upper << "]");
  const logistic::output_summary s = logistic::summarize(v.data(), v.size(), bins, lower, upper);
  const reference_summary r = reference_of(v, bins, lower, upper);
  REQUIRE(s.status == calibration_status::ok);
  CHECK(std::string(s.message) == "ok");
  CHECK(s.count == v.size());
  CHECK(s.nan_count == r.nan);
  CHECK(s.pos_inf_count == r.pos_inf);
  CHECK(s.neg_inf_count == r.neg_inf);
  CHECK(s.zero_count == r.zero);
  CHECK(s.one_count == r.one);
  CHECK(s.below == r.below);
  CHECK(s.above == r.above);
  CHECK(s.lower == static_cast<double>(lower));
  CHECK(s.upper == static_cast<double>(upper));
  CHECK(s.histogram == r.histogram);
  std::size_t total = s.nan_count + s.below + s.above;
  for (std::size_t c : s.histogram) total += c;
  CHECK(total == s.count);  // every value counted once
  if (r.finite == 0) {
    CHECK(std::isnan(s.min));
    CHECK(std::isnan(s.max));
    CHECK(std::isnan(s.mean));
  } else {
    CHECK(static_cast<long double>(s.min) == r.min);
    CHECK(static_cast<long double>(s.max) == r.max);
    long double magnitude = 0;
    for (T x : v) {
      if (std::isfinite(x)) magnitude += std::fabs(static_cast<long double>(x));
    }
    const long double mean = r.sum / static_cast<long double>(r.finite);
    INFO("mean " << s.mean << ", want " << static_cast<double>(mean));
    CHECK(std::fabs(static_cast<long double>(s.mean) - mean) <=
          0x1p-51L * std::fabs(mean) + 0x1p-80L * magnitude / static_cast<long double>(r.finite));
  }
}

template <class T>
std::vector<T> probabilities_with_specials(std::size_t n, std::uint64_t seed) {
  std::uint64_t state = seed;
  std::vector<T> v;
  for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<T>(uniform01(state)));
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  const std::vector<T> specials = {nan, nan, inf, -inf, -inf, T(0), -T(0), T(0), T(1), T(1), T(1),
                                   std::nextafter(T(0), T(-1)), std::nextafter(T(1), T(2)), T(-3), T(7),
                                   std::numeric_limits<T>::denorm_min(), std::nextafter(T(1), T(0))};
  for (std::size_t i = 0; i < specials.size(); ++i) v[(i * 7919) % n] = specials[i];
  // Every edge of 10 and 15 bins, and their neighbours.
  for (std::size_t bins : {std::size_t(10), std::size_t(15)}) {
    for (std::size_t k = 0; k <= bins; ++k) {
      const T e = reference_unit_edge<T>(k, bins);
      v.push_back(e);
      v.push_back(std::nextafter(e, T(2)));
      v.push_back(std::nextafter(e, T(-1)));
    }
  }
  return v;
}

template <class T>
void check_probabilities() {
  const std::vector<T> v = probabilities_with_specials<T>(100000, sizeof(T));
  for (std::size_t bins : {std::size_t(1), std::size_t(2), std::size_t(10), std::size_t(15), std::size_t(200)}) {
    check_summary<T>(v, bins, T(0), T(1));
  }
  // The defaults: 10 bins on [0, 1].
  const logistic::output_summary d = logistic::summarize(v.data(), v.size());
  const logistic::output_summary e = logistic::summarize(v.data(), v.size(), 10, T(0), T(1));
  CHECK(d.histogram == e.histogram);
  CHECK(d.histogram.size() == 10);
  // The spelled-out rule: an edge value is in the bin below it; 0 in bin 0, 1 in the last.
  const T at[] = {T(0), T(0.2), std::nextafter(T(0.2), T(1)), T(0.6), T(1)};
  const logistic::output_summary f = logistic::summarize(at, 5, 5);
  CHECK(f.histogram == std::vector<std::size_t>{2, 1, 1, 0, 1});
}

template <class T>
void check_logits() {
  std::uint64_t state = 77 + sizeof(T);
  std::vector<T> v;
  for (int i = 0; i < 100000; ++i) {
    // Roughly N(0, 4^2) from the sum of four uniforms, and a few far out.
    double x = 0;
    for (int k = 0; k < 4; ++k) x += uniform01(state) - 0.5;
    v.push_back(static_cast<T>(x * 14));
  }
  v.push_back(std::numeric_limits<T>::max());
  v.push_back(-std::numeric_limits<T>::max());
  v.push_back(std::numeric_limits<T>::infinity());
  v.push_back(std::numeric_limits<T>::quiet_NaN());
  check_summary<T>(v, 20, T(-10), T(10));
  check_summary<T>(v, 7, T(-3.3), T(12.1));
  check_summary<T>(v, 1, T(-1), T(1));
  // Integer edges, exact: -8 + k for 16 bins on [-8, 8]; the integers land on the edges.
  std::vector<T> integers;
  for (int k = -9; k <= 9; ++k) integers.push_back(static_cast<T>(k));
  check_summary<T>(integers, 16, T(-8), T(8));
  const logistic::output_summary s = logistic::summarize(integers.data(), integers.size(), 16, T(-8), T(8));
  CHECK(s.below == 1);
  CHECK(s.above == 1);
  CHECK(s.histogram[0] == 2);  // -8 and -7
  for (std::size_t k = 1; k < 16; ++k) CHECK(s.histogram[k] == 1);  // -8 + k + 1
  // The widest float range is fine: its width is finite in double.
  if (sizeof(T) == 4) {
    check_summary<T>(v, 10, -std::numeric_limits<T>::max(), std::numeric_limits<T>::max());
  }
}

}  // namespace

// =======================================================================================
TEST_CASE("summarize: probabilities with NaN, infinities, saturation and edge values", "[summarize]") {
  SECTION("float") { check_probabilities<float>(); }
  SECTION("double") { check_probabilities<double>(); }
}

TEST_CASE("summarize: logits with a caller-chosen range", "[summarize]") {
  SECTION("float") { check_logits<float>(); }
  SECTION("double") { check_logits<double>(); }
}

TEST_CASE("summarize: min, max and mean are over the finite values", "[summarize]") {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
  const double v[] = {nan, -inf, 0.25, inf, 0.75, -0.5};
  const logistic::output_summary s = logistic::summarize(v, 6);
  CHECK(s.min == -0.5);
  CHECK(s.max == 0.75);
  CHECK(s.mean == 0.5 / 3);
  CHECK(s.below == 2);  // -inf and -0.5
  CHECK(s.above == 1);  // +inf
  const double none[] = {nan, inf, -inf};
  const logistic::output_summary t = logistic::summarize(none, 3, 4);
  CHECK(t.status == calibration_status::ok);
  CHECK(std::isnan(t.min));
  CHECK(std::isnan(t.max));
  CHECK(std::isnan(t.mean));
  CHECK(t.histogram == std::vector<std::size_t>(4, 0));
  CHECK(t.nan_count == 1);
}

TEST_CASE("summarize: the mean is compensated and survives overflow of the sum", "[summarize]") {
  // 1 + 2^-60 repeated, then -1 repeated: a plain double sum loses every small part.
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(1e16);
  for (int i = 0; i < 1000; ++i) v.push_back(1.0);
  for (int i = 0; i < 1000; ++i) v.push_back(-1e16);
  check_summary<double>(v, 10, 0.0, 1.0);
  CHECK(logistic::summarize(v.data(), v.size()).mean == 1000.0 / 3000.0);

  const double big = std::numeric_limits<double>::max();
  const std::vector<double> huge = {big, big, big / 2, -big / 4};
  check_summary<double>(huge, 10, 0.0, 1.0);
  const logistic::output_summary s = logistic::summarize(huge.data(), huge.size());
  CHECK(std::isfinite(s.mean));
  CHECK(std::fabs(s.mean - big * (2.25 / 4)) <= 1e-15 * big);
}

namespace {

template <class T>
void check_failure(const logistic::output_summary& s, calibration_status want, std::size_t bins) {
  CHECK(s.status == want);
  CHECK(std::string(s.message) == logistic::calibration_status_message(want));
  CHECK(s.count == 0);
  CHECK(s.nan_count + s.pos_inf_count + s.neg_inf_count + s.zero_count + s.one_count + s.below + s.above == 0);
  CHECK(std::isnan(s.min));
  CHECK(std::isnan(s.max));
  CHECK(std::isnan(s.mean));
  CHECK(s.histogram == std::vector<std::size_t>(bins, 0));
}

template <class T>
void check_bad_arguments() {
  const T v[] = {T(0.1), T(0.9)};
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  check_failure<T>(logistic::summarize<T>(nullptr, 2), calibration_status::null_pointer, 10);
  check_failure<T>(logistic::summarize<T>(v, 0), calibration_status::empty_input, 10);
  check_failure<T>(logistic::summarize<T>(nullptr, 0, 0), calibration_status::empty_input, 0);
  check_failure<T>(logistic::summarize<T>(v, 2, 0), calibration_status::bad_bin_count, 0);
  check_failure<T>(logistic::summarize<T>(v, 2, 0, T(1), T(0)), calibration_status::bad_bin_count, 0);
  const T ranges[][2] = {{T(1), T(0)}, {T(0.5), T(0.5)}, {nan, T(1)}, {T(0), nan}, {-inf, T(1)}, {T(0), inf},
                         {-inf, inf}};
  for (const auto& r : ranges) {
    INFO("range [" << r[0] << ", " << r[1] << "]");
    check_failure<T>(logistic::summarize<T>(v, 2, 3, r[0], r[1]), calibration_status::bad_range, 3);
  }
  if (sizeof(T) == 8) {
    // The width overflows a double.
    const T big = std::numeric_limits<T>::max();
    check_failure<T>(logistic::summarize<T>(v, 2, 3, -big, big), calibration_status::bad_range, 3);
  }
  CHECK(logistic::summarize<T>(v, 2, 3, T(0), T(1)).status == calibration_status::ok);
}

}  // namespace

TEST_CASE("summarize: every bad argument returns its status and message", "[summarize][status]") {
  SECTION("float") { check_bad_arguments<float>(); }
  SECTION("double") { check_bad_arguments<double>(); }
}
