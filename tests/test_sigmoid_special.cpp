// Special values, saturation, underflow and FTZ/DAZ independence of logistic::sigmoid and
// logistic::fast::sigmoid (the contract block of include/logistic/sigmoid.hpp; design §3).
//
// Each rule is checked for float and double, for both tiers, and at every level: the
// scalar form, the batch form (the value in every lane, or in one lane among ordinary
// values) and the array form (in the two-batch loop, the one-batch loop and the tail).
// Sweeps count their failures and report the first few inputs, as hex floats.
#include <logistic/logistic.hpp>

#include <algorithm>
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
#include "reference.hpp"
#include "sample_divisor.hpp"
#include "failure_log.hpp"
#include "ftz_daz.hpp"
#include "tiers.hpp"


namespace {

using logistic_test::bits;
using logistic_test::float_from_bits;
using logistic_test::sigmoid_reference;
using logistic_test::ulp_error;

using logistic_test::A;
using logistic_test::batch;
using logistic_test::fast;
using logistic_test::faithful;
using logistic_test::type_name;

std::string show(float x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a (%.9g)", static_cast<double>(x), static_cast<double>(x));
  return buf;
}
std::string show(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a (%.17g)", x, x);
  return buf;
}

double double_from_bits(std::uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// Floats in increasing order: ordinal 0 is +0, ordinal k > 0 the k-th float above it and
// ordinal -k the negated one, so neighbouring ordinals are neighbouring floats.
float float_at(std::int64_t ordinal) {
  const float magnitude =
      float_from_bits(static_cast<std::uint32_t>(ordinal < 0 ? -ordinal : ordinal));
  return ordinal < 0 ? -magnitude : magnitude;
}
std::int64_t ordinal_of(float x) {
  const std::int64_t magnitude = static_cast<std::int64_t>(bits(std::fabs(x)));
  return std::signbit(x) ? -magnitude : magnitude;
}
double double_at(std::int64_t ordinal) {
  const double magnitude =
      double_from_bits(static_cast<std::uint64_t>(ordinal < 0 ? -ordinal : ordinal));
  return ordinal < 0 ? -magnitude : magnitude;
}
std::int64_t ordinal_of(double x) {
  const std::int64_t magnitude = static_cast<std::int64_t>(bits(std::fabs(x)));
  return std::signbit(x) ? -magnitude : magnitude;
}

// All floats from lo to hi, both included.
std::vector<float> floats_between(float lo, float hi) {
  std::vector<float> v;
  for (std::int64_t o = ordinal_of(lo); o <= ordinal_of(hi); ++o) v.push_back(float_at(o));
  return v;
}

using logistic_test::failure_log;

// sigma(x) of one tier at every level, each result labelled with where it came from.
template <class T>
struct level_result {
  const char* level;
  T y;
};

template <class Tier, class T>
std::vector<level_result<T>> at_every_level(T x) {
  constexpr std::size_t w = batch<T>::size;
  std::vector<level_result<T>> results;
  results.push_back({"scalar", Tier::scalar(x)});

  alignas(A::alignment()) T lanes[w];
  Tier::simd(batch<T>(x)).store_aligned(lanes);
  results.push_back({"batch, every lane: first", lanes[0]});
  results.push_back({"batch, every lane: last", lanes[w - 1]});
  for (const std::size_t k : {std::size_t{0}, w - 1}) {
    for (std::size_t i = 0; i < w; ++i) lanes[i] = T(0.25) * static_cast<T>(i) - T(1);
    lanes[k] = x;
    Tier::simd(batch<T>::load_aligned(lanes)).store_aligned(lanes);
    results.push_back({k == 0 ? "batch, first lane among ordinary values"
                              : "batch, last lane among ordinary values",
                       lanes[k]});
  }

  const T one_in[1] = {x};
  T one_out[1] = {T(-42)};
  Tier::array(one_in, one_out, 1);
  results.push_back({"array, n = 1 (tail only)", one_out[0]});
  const std::vector<T> in(3 * w + 1, x);
  std::vector<T> out(in.size(), T(-42));
  Tier::array(in.data(), out.data(), in.size());
  results.push_back({"array, two-batch loop", out[0]});
  results.push_back({"array, one-batch loop", out[2 * w]});
  results.push_back({"array, tail", out[3 * w]});
  return results;
}

template <class Tier, class T, class Pred>
void check_every_level(T x, const char* expected, Pred pred) {
  for (const level_result<T>& r : at_every_level<Tier>(x)) {
    INFO(Tier::name << "<" << type_name<T>() << ">, " << r.level << ": sigmoid(" << show(x)
                    << ") = " << show(r.y) << ", expected " << expected);
    CHECK(pred(r.y));
  }
}

// Runs f(tier, T{}) for both tiers and both types.
template <class F>
void for_each_tier_and_type(F f) {
  f(faithful{}, 0.0f);
  f(faithful{}, 0.0);
  f(fast{}, 0.0f);
  f(fast{}, 0.0);
}

// A quiet NaN with a payload (low bits 0x1234).
template <class T>
T nan_with_payload();
template <>
float nan_with_payload<float>() {
  return float_from_bits(0x7FC01234u);
}
template <>
double nan_with_payload<double>() {
  return double_from_bits(0x7FF8000000001234u);
}

bool is_positive_zero(float y) { return y == 0.0f && !std::signbit(y); }
bool is_positive_zero(double y) { return y == 0.0 && !std::signbit(y); }

// sigma(x) for double x, in long double: e^x / (1 + e^x) without cancellation.
long double sigmoid_long(double x) {
  const long double xl = x;
  if (xl >= 0) return 1.0L / (1.0L + std::exp(-xl));
  const long double e = std::exp(xl);
  return e / (1.0L + e);
}

// Error of a double result in ULPs (subnormal ULP below 2^-1022), in long double.
long double ulp_error_long(double y, long double exact) {
  const long double a = std::fabs(exact);
  int e = 0;
  std::frexp(a, &e);
  const long double ulp =
      a < std::ldexp(1.0L, -1022) ? std::ldexp(1.0L, -1074) : std::ldexp(1.0L, e - 53);
  return std::fabs(static_cast<long double>(y) - exact) / ulp;
}

bool long_double_is_wider() { return std::numeric_limits<long double>::digits >= 64; }

}  // namespace

// ---------------------------------------------------------------------------------------
// Special values

TEST_CASE("sigmoid(NaN) is NaN for quiet, negative, signaling and payload NaNs", "[special]") {
  for_each_tier_and_type([](auto tier, auto zero) {
    using Tier = decltype(tier);
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    const T payload = nan_with_payload<T>();
    for (const T x : {L::quiet_NaN(), std::copysign(L::quiet_NaN(), T(-1)), L::signaling_NaN(),
                      payload, -payload}) {
      check_every_level<Tier>(x, "NaN", [](T y) { return std::isnan(y); });
    }
  });
}

TEST_CASE("sigmoid(+inf) is exactly 1 and sigmoid(-inf) is +0", "[special]") {
  for_each_tier_and_type([](auto tier, auto zero) {
    using Tier = decltype(tier);
    using T = decltype(zero);
    const T inf = std::numeric_limits<T>::infinity();
    check_every_level<Tier>(inf, "1", [](T y) { return y == T(1); });
    check_every_level<Tier>(-inf, "+0", [](T y) { return is_positive_zero(y); });
  });
}

TEST_CASE("sigmoid(+0) and sigmoid(-0) are exactly 0.5", "[special]") {
  for_each_tier_and_type([](auto tier, auto zero) {
    using Tier = decltype(tier);
    using T = decltype(zero);
    check_every_level<Tier>(T(0), "0.5", [](T y) { return y == T(0.5); });
    check_every_level<Tier>(-T(0), "0.5", [](T y) { return y == T(0.5); });
  });
}

TEST_CASE("sigmoid of the largest finite values is exactly 1 and +0", "[special]") {
  for_each_tier_and_type([](auto tier, auto zero) {
    using Tier = decltype(tier);
    using T = decltype(zero);
    const T max = std::numeric_limits<T>::max();
    check_every_level<Tier>(max, "1", [](T y) { return y == T(1); });
    check_every_level<Tier>(-max, "+0", [](T y) { return is_positive_zero(y); });
  });
}

TEST_CASE("sigmoid of the smallest subnormals and normals is exactly 0.5", "[special]") {
  for_each_tier_and_type([](auto tier, auto zero) {
    using Tier = decltype(tier);
    using T = decltype(zero);
    using L = std::numeric_limits<T>;
    for (const T x : {L::denorm_min(), -L::denorm_min(), T(3) * L::denorm_min(), L::min(),
                      -L::min(), std::nextafter(L::min(), T(0))}) {
      check_every_level<Tier>(x, "0.5", [](T y) { return y == T(0.5); });
    }
  });
}

// ---------------------------------------------------------------------------------------
// Range over the whole bit space

namespace {

template <class Tier, class T>
void check_range(const std::vector<T>& in) {
  std::vector<T> out(in.size(), T(-42));
  Tier::array(in.data(), out.data(), in.size());
  failure_log failures;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const T x = in[i];
    for (const T y : {out[i], Tier::scalar(x)}) {
      const bool ok = std::isnan(x) ? std::isnan(y) : (y >= T(0) && y <= T(1));
      if (!ok && failures.record()) failures.describe("sigmoid(" + show(x) + ") = " + show(y));
    }
  }
  INFO(Tier::name << "<" << type_name<T>() << "> over " << in.size() << " inputs; "
                  << failures.count() << " outside [0, 1] or NaN mismatch:\n"
                  << failures.first());
  CHECK(failures.count() == 0);
}

}  // namespace

TEST_CASE("float results lie in [0, 1] and are NaN only for NaN, over all of bit space",
          "[special][sweep]") {
  std::vector<float> in;
  const std::uint64_t step = logistic_test::sparser<std::uint64_t>(1021);
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFu; b += step) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(b)));
  }
  REQUIRE(in.size() > 4000000 / logistic_test::sample_divisor());
  check_range<faithful>(in);
  check_range<fast>(in);
}

TEST_CASE("double results lie in [0, 1] and are NaN only for NaN, over random bit patterns",
          "[special][sweep]") {
  std::mt19937_64 rng(0x5157u);
  std::vector<double> in(logistic_test::fewer<std::size_t>(2000000));
  for (double& x : in) x = double_from_bits(rng());
  check_range<faithful>(in);
  check_range<fast>(in);
}

// ---------------------------------------------------------------------------------------
// Monotonicity

TEST_CASE("faithful float sigmoid steps down by at most one ULP over a dense sweep of [-110, 110]",
          "[special][sweep][monotonic]") {
  // A faithful (not correctly rounded) result may round up at x and down at the next float
  // when both exact values sit near a rounding midpoint, so neighbouring results can step
  // down by one ULP (the contract says so); never by more. Runs of 2^16 neighbouring
  // floats, one run in every 64, over all floats in order: each result is compared with
  // the one of the next float (and across runs, of the next run).
  const std::int64_t last = ordinal_of(110.0f);
  constexpr std::int64_t run = 1 << 16;
  std::vector<float> in(static_cast<std::size_t>(run)), out(in.size());
  failure_log failures;
  std::size_t compared = 0, steps_down = 0;
  float previous_x = -110.0f, previous_y = 0.0f;
  bool first = true;
  const std::int64_t every = logistic_test::sparser<std::int64_t>(64);
  for (std::int64_t start = -last; start <= last; start += every * run) {
    const std::size_t n = static_cast<std::size_t>(std::min(run, last - start + 1));
    for (std::size_t i = 0; i < n; ++i) in[i] = float_at(start + static_cast<std::int64_t>(i));
    faithful::array(in.data(), out.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!first) {
        ++compared;
        if (out[i] < previous_y) ++steps_down;
        if (std::nextafter(out[i], 2.0f) < previous_y) {
          if (failures.record())
            failures.describe("sigmoid(" + show(previous_x) + ") = " + show(previous_y) +
                              " > sigmoid(" + show(in[i]) + ") = " + show(out[i]));
        }
      }
      first = false;
      previous_x = in[i];
      previous_y = out[i];
    }
  }
  INFO(compared << " neighbouring pairs, " << steps_down << " one-ULP steps down, "
                << failures.count() << " larger decreases:\n"
                << failures.first());
  CHECK(compared > 30000000 / static_cast<std::size_t>(logistic_test::sample_divisor()));
  CHECK(failures.count() == 0);
}

// ---------------------------------------------------------------------------------------
// Saturation at 1

TEST_CASE("float sigmoid is exactly 1 from the point where the exact value rounds to 1",
          "[special][saturation]") {
  // 1 - sigma(x) < 2^-25 (half an ULP below 1) from x = 25 ln 2 = 17.3287 on. Both tiers
  // give exactly 1 from there on; the faithful tier gives 1 nowhere before it.
  const std::vector<float> near = floats_between(16.0f, 18.0f);
  std::vector<float> out(near.size());
  failure_log faithful_failures, fast_failures;
  std::size_t near_ties = 0;
  faithful::array(near.data(), out.data(), near.size());
  for (std::size_t i = 0; i < near.size(); ++i) {
    const double exact = sigmoid_reference(near[i]);
    // Rounding the double reference to float decides as the exact value would unless it
    // lies within the reference's error of the midpoint 1 - 2^-25.
    if (std::fabs((1.0 - exact) - 0x1p-25) < 0x1p-50) ++near_ties;
    const bool exact_rounds_to_one = static_cast<float>(exact) == 1.0f;
    if ((out[i] == 1.0f) != exact_rounds_to_one) {
      if (faithful_failures.record())
        faithful_failures.describe("sigmoid(" + show(near[i]) + ") = " + show(out[i]));
    }
  }
  // The fast tier: 1 for x > 16.64 (contract).
  fast::array(near.data(), out.data(), near.size());
  for (std::size_t i = 0; i < near.size(); ++i) {
    if (near[i] > 16.64f && out[i] != 1.0f) {
      if (fast_failures.record())
        fast_failures.describe("fast::sigmoid(" + show(near[i]) + ") = " + show(out[i]));
    }
  }
  REQUIRE(near_ties == 0);
  {
    INFO("faithful, x in [16, 18]:\n" << faithful_failures.first());
    CHECK(faithful_failures.count() == 0);
  }
  {
    INFO("fast, x in (16.64, 18]:\n" << fast_failures.first());
    CHECK(fast_failures.count() == 0);
  }
  CHECK(faithful::scalar(16.0f) < 1.0f);
  // 1 - sigma(15) = 5.1 ULPs of 2^-24: even 4 ULP of error stays below 1.
  CHECK(fast::scalar(15.0f) < 1.0f);

  // Floats from 18 up to the largest finite one (every 499th).
  std::vector<float> high;
  for (std::uint32_t b = bits(18.0f); b <= bits(std::numeric_limits<float>::max()); b += 499) {
    high.push_back(float_from_bits(b));
  }
  high.push_back(std::numeric_limits<float>::max());
  out.resize(high.size());
  for (const bool use_fast : {false, true}) {
    INFO((use_fast ? fast::name : faithful::name));
    if (use_fast) {
      fast::array(high.data(), out.data(), high.size());
    } else {
      faithful::array(high.data(), out.data(), high.size());
    }
    CHECK(std::count(out.begin(), out.end(), 1.0f) == static_cast<std::ptrdiff_t>(high.size()));
  }
}

TEST_CASE("double sigmoid is exactly 1 from the point where the exact value rounds to 1",
          "[special][saturation]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  // 1 - sigma(x) < 2^-54 from x = 54 ln 2 = 37.43 on: 2^16 neighbouring doubles on either
  // side of it, and doubles above it up to the largest.
  const double threshold = static_cast<double>(54 * std::log(2.0L));
  std::vector<double> near;
  for (std::int64_t o = ordinal_of(threshold) - (1 << 16); o <= ordinal_of(threshold) + (1 << 16);
       ++o) {
    near.push_back(double_at(o));
  }
  std::vector<double> out(near.size());
  failure_log faithful_failures, fast_failures;
  faithful::array(near.data(), out.data(), near.size());
  for (std::size_t i = 0; i < near.size(); ++i) {
    const long double below_one = std::exp(-static_cast<long double>(near[i])) /
                                  (1.0L + std::exp(-static_cast<long double>(near[i])));
    const bool exact_rounds_to_one = below_one < std::ldexp(1.0L, -54);
    if ((out[i] == 1.0) != exact_rounds_to_one) {
      if (faithful_failures.record())
        faithful_failures.describe("sigmoid(" + show(near[i]) + ") = " + show(out[i]));
    }
  }
  fast::array(near.data(), out.data(), near.size());
  for (std::size_t i = 0; i < near.size(); ++i) {
    if (near[i] >= threshold && out[i] != 1.0) {
      if (fast_failures.record())
        fast_failures.describe("fast::sigmoid(" + show(near[i]) + ") = " + show(out[i]));
    }
  }
  {
    INFO("faithful, x near 54 ln 2:\n" << faithful_failures.first());
    CHECK(faithful_failures.count() == 0);
  }
  {
    INFO("fast, x >= 54 ln 2:\n" << fast_failures.first());
    CHECK(fast_failures.count() == 0);
  }
  // 1 - sigma(30) = 850 ULPs of 2^-53.
  CHECK(faithful::scalar(30.0) < 1.0);
  CHECK(fast::scalar(30.0) < 1.0);

  std::mt19937_64 rng(54);
  std::uniform_int_distribution<std::uint64_t> pattern(bits(38.0),
                                                       bits(std::numeric_limits<double>::max()));
  std::vector<double> high(logistic_test::fewer<std::size_t>(1000000));
  for (double& x : high) x = double_from_bits(pattern(rng));
  out.resize(high.size());
  faithful::array(high.data(), out.data(), high.size());
  CHECK(std::count(out.begin(), out.end(), 1.0) == static_cast<std::ptrdiff_t>(high.size()));
  fast::array(high.data(), out.data(), high.size());
  CHECK(std::count(out.begin(), out.end(), 1.0) == static_cast<std::ptrdiff_t>(high.size()));
}

// ---------------------------------------------------------------------------------------
// Underflow: the faithful tier computes subnormal results

TEST_CASE("faithful float sigmoid computes subnormal results: sigmoid(-90) and sigmoid(-103)",
          "[special][subnormal]") {
  const float min_normal = std::numeric_limits<float>::min();
  for (const float x : {-90.0f, -100.0f, -103.0f}) {
    for (const level_result<float>& r : at_every_level<faithful>(x)) {
      INFO(r.level << ": sigmoid(" << show(x) << ") = " << show(r.y) << ", reference "
                   << show(sigmoid_reference(x)));
      CHECK(r.y > 0.0f);
      CHECK(r.y < min_normal);
      CHECK(ulp_error<float>(r.y, sigmoid_reference(x)) < 1.0);
    }
  }
  check_every_level<faithful>(-104.0f, "+0", [](float y) { return is_positive_zero(y); });
}

TEST_CASE("faithful float sigmoid is within 1 ULP for every x in [-104.5, -86], +0 below -150 ln 2",
          "[special][subnormal]") {
  // The smallest positive result 2^-149 stands for exact values above 2^-150, i.e. for
  // x > -150 ln 2 = -103.972; below that the result is +0 (contract: x < -103.97).
  const std::vector<float> in = floats_between(-104.5f, -86.0f);
  std::vector<float> out(in.size());
  faithful::array(in.data(), out.data(), in.size());
  failure_log failures;
  std::size_t subnormal_results = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const float x = in[i];
    const double exact = sigmoid_reference(x);
    for (const float y : {out[i], faithful::scalar(x)}) {
      const bool ok =
          ulp_error<float>(y, exact) < 1.0 && !std::signbit(y) && (y > 0.0f) == (exact > 0x1p-150);
      if (!ok) {
        if (failures.record())
          failures.describe("sigmoid(" + show(x) + ") = " + show(y) + ", reference " + show(exact));
      }
    }
    if (out[i] > 0.0f && out[i] < std::numeric_limits<float>::min()) ++subnormal_results;
  }
  INFO(in.size() << " inputs, " << failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
  CHECK(subnormal_results > 1000000);  // subnormal results are computed, not flushed
}

TEST_CASE("faithful float sigmoid: 2^-149 just above x = -150 ln 2, +0 just below",
          "[special][subnormal]") {
  // The float nearest -150 ln 2 = -103.97207708399179 and its neighbours, classified by
  // the reference (e^x is 3e-6 relative away from 2^-150 at either: no tie).
  float lowest_positive = -103.0f;
  while (sigmoid_reference(std::nextafter(lowest_positive, -200.0f)) > 0x1p-150) {
    lowest_positive = std::nextafter(lowest_positive, -200.0f);
  }
  const float highest_zero = std::nextafter(lowest_positive, -200.0f);
  REQUIRE(lowest_positive > -103.9721f);
  REQUIRE(highest_zero < -103.9720f);
  const float smallest = std::numeric_limits<float>::denorm_min();
  check_every_level<faithful>(lowest_positive, "2^-149", [=](float y) { return y == smallest; });
  check_every_level<faithful>(highest_zero, "+0", [](float y) { return is_positive_zero(y); });
}

TEST_CASE("faithful double sigmoid computes subnormal results: sigmoid(-720) within 1 ULP",
          "[special][subnormal]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  const long double exact = std::exp(-720.0L);  // sigma(-720) = e^-720 (1 - 1e-313)
  for (const level_result<double>& r : at_every_level<faithful>(-720.0)) {
    INFO(r.level << ": sigmoid(-720) = " << show(r.y));
    CHECK(r.y > 0.0);
    CHECK(r.y < std::numeric_limits<double>::min());
    CHECK(ulp_error_long(r.y, exact) < 1.0L);
  }
  check_every_level<faithful>(-746.0, "+0", [](double y) { return is_positive_zero(y); });
}

TEST_CASE("faithful double sigmoid is within 1 ULP over [-746, -700], +0 below -1075 ln 2",
          "[special][subnormal]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  std::mt19937_64 rng(745);
  std::uniform_real_distribution<double> tail(-746.0, -700.0);
  std::vector<double> in;
  for (double x = -746.0; x <= -700.0; x += 0x1p-10) in.push_back(x);
  const int count = logistic_test::fewer(200000);
  for (int i = 0; i < count; ++i) in.push_back(tail(rng));
  // 2^10 neighbouring doubles on either side of -1075 ln 2.
  const double boundary = static_cast<double>(-1075 * std::log(2.0L));
  for (std::int64_t o = ordinal_of(boundary) - 1024; o <= ordinal_of(boundary) + 1024; ++o) {
    in.push_back(double_at(o));
  }
  std::vector<double> out(in.size());
  faithful::array(in.data(), out.data(), in.size());
  failure_log failures;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double x = in[i];
    const long double exact = sigmoid_long(x);
    for (const double y : {out[i], faithful::scalar(x)}) {
      const bool ok = ulp_error_long(y, exact) < 1.0L && !std::signbit(y) &&
                      (y > 0.0) == (exact > std::ldexp(1.0L, -1075));
      if (!ok && failures.record()) failures.describe("sigmoid(" + show(x) + ") = " + show(y));
    }
  }
  INFO(in.size() << " inputs, " << failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
}

// ---------------------------------------------------------------------------------------
// Underflow: the fast tier flushes results below the smallest normal to +0

TEST_CASE("fast float sigmoid: +0 where the exact result is subnormal, 4 ULP where normal",
          "[special][subnormal]") {
  check_every_level<fast>(-90.0f, "+0", [](float y) { return is_positive_zero(y); });
  for (const level_result<float>& r : at_every_level<fast>(-87.0f)) {
    INFO(r.level << ": fast::sigmoid(-87) = " << show(r.y));
    CHECK(r.y >= std::numeric_limits<float>::min());
    CHECK(ulp_error<float>(r.y, sigmoid_reference(-87.0f)) <= 4.0);
  }
  const std::vector<float> in = floats_between(-88.0f, -86.0f);
  std::vector<float> out(in.size());
  fast::array(in.data(), out.data(), in.size());
  failure_log failures;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double exact = sigmoid_reference(in[i]);
    const bool normal = exact >= static_cast<double>(std::numeric_limits<float>::min());
    for (const float y : {out[i], fast::scalar(in[i])}) {
      const bool ok = normal ? ulp_error<float>(y, exact) <= 4.0 : is_positive_zero(y);
      if (!ok && failures.record())
        failures.describe("fast::sigmoid(" + show(in[i]) + ") = " + show(y));
    }
  }
  INFO(failures.count() << " failures:\n" << failures.first());
  CHECK(failures.count() == 0);
}

TEST_CASE("fast double sigmoid: +0 where the exact result is subnormal, 4 ULP where normal",
          "[special][subnormal]") {
  if (!long_double_is_wider()) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  check_every_level<fast>(-720.0, "+0", [](double y) { return is_positive_zero(y); });
  check_every_level<fast>(-708.4, "+0", [](double y) { return is_positive_zero(y); });
  for (const level_result<double>& r : at_every_level<fast>(-708.39)) {
    INFO(r.level << ": fast::sigmoid(-708.39) = " << show(r.y));
    CHECK(r.y >= std::numeric_limits<double>::min());
    CHECK(ulp_error_long(r.y, sigmoid_long(-708.39)) <= 4.0L);
  }
  std::vector<double> in;
  for (double x = -712.0; x <= -704.0; x += 0x1p-12) in.push_back(x);
  const double boundary = static_cast<double>(-1022 * std::log(2.0L));  // e^x = 2^-1022
  for (std::int64_t o = ordinal_of(boundary) - 1024; o <= ordinal_of(boundary) + 1024; ++o) {
    in.push_back(double_at(o));
  }
  std::vector<double> out(in.size());
  fast::array(in.data(), out.data(), in.size());
  failure_log failures;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const long double exact = sigmoid_long(in[i]);
    const bool normal = exact >= std::ldexp(1.0L, -1022);
    for (const double y : {out[i], fast::scalar(in[i])}) {
      const bool ok = normal ? ulp_error_long(y, exact) <= 4.0L : is_positive_zero(y);
      if (!ok && failures.record())
        failures.describe("fast::sigmoid(" + show(in[i]) + ") = " + show(y));
    }
  }
  INFO(failures.count() << " failures:\n" << failures.first());
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

TEST_CASE("float results are bit-identical with FTZ and DAZ set (x86 MXCSR)", "[special][ftz]") {
  std::vector<float> in;
  // Subnormal inputs, both signs.
  for (std::uint32_t b = 1; b < 0x00800000u; b += 7) {
    in.push_back(float_from_bits(b));
    in.push_back(-float_from_bits(b));
  }
  // Inputs whose results are subnormal or near the smallest normal: every float there.
  const std::vector<float> tail = floats_between(-104.5f, -86.0f);
  in.insert(in.end(), tail.begin(), tail.end());
  // The whole bit space.
  for (std::uint64_t b = 0; b <= 0xFFFFFFFFu; b += 1021) {
    in.push_back(float_from_bits(static_cast<std::uint32_t>(b)));
  }
  check_ftz_daz_independence<faithful>(in);
  check_ftz_daz_independence<fast>(in);
}

TEST_CASE("double results are bit-identical with FTZ and DAZ set (x86 MXCSR)", "[special][ftz]") {
  std::mt19937_64 rng(0xF72);
  std::vector<double> in;
  std::uniform_int_distribution<std::uint64_t> subnormal(1, (std::uint64_t{1} << 52) - 1);
  for (int i = 0; i < 200000; ++i) {
    const double x = double_from_bits(subnormal(rng));
    in.push_back(x);
    in.push_back(-x);
  }
  for (double x = -746.0; x <= -700.0; x += 0x1p-12) in.push_back(x);
  std::uniform_real_distribution<double> tail(-746.0, -660.0);
  for (int i = 0; i < 500000; ++i) in.push_back(tail(rng));
  for (int i = 0; i < 2000000; ++i) in.push_back(double_from_bits(rng()));
  check_ftz_daz_independence<faithful>(in);
  check_ftz_daz_independence<fast>(in);
}
#endif  // __SSE2__
