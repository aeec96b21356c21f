// The affine form sigma(scale * x + bias) and temperature(t) (logistic/affine.hpp):
//   - its argument is scale * x + bias rounded once where the target has a fused
//     multiply-add, twice (product, then sum) where it has none, and the result is then
//     exactly sigmoid of that argument, in both tiers;
//   - float: within 1 ULP of the double reference of sigma at that argument (faithful),
//     within 4 ULP where the result is normal (fast);
//   - scalar, batch and array forms agree bit for bit over every tail length, misaligned
//     and in place;
//   - IEEE edges (NaN, infinities, scale 0) and temperature's refusal of bad t.
#include <logistic/logistic.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"
#include "failure_log.hpp"
#include "reference.hpp"
#include "tiers.hpp"

namespace {

using logistic_test::A;
using logistic_test::batch;
using logistic_test::bits;
using logistic_test::failure_log;
using logistic_test::type_name;

constexpr bool target_has_fma =
#if defined(__FMA__) || defined(__AVX512F__) || defined(__aarch64__)
    true;
#else
    false;
#endif

// The documented argument, computed here without the library: std::fma is correctly
// rounded; without FMA the product is stored (rounded) before the sum.
template <class T>
T documented_argument(T x, logistic::affine<T> a) {
  if (target_has_fma) return std::fma(a.scale, x, a.bias);
  volatile T product = a.scale * x;
  return product + a.bias;
}

template <class T>
std::string show(T x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", static_cast<double>(x));
  return buf;
}

// Transforms a user would apply: temperatures above and below 1, Platt-like fits with
// negative scale, biases that push most results into the tails.
template <class T>
std::vector<logistic::affine<T>> transforms() {
  return {logistic::temperature(T(2)),      logistic::temperature(T(0.37)),
          logistic::temperature(T(1.5)),    {T(1), T(0)},
          {T(-1.7), T(0.25)},               {T(3.1), T(-7)},
          {T(0.013), T(40)},                {T(1e-30), T(-0.5)},
          {T(25), T(-100)},                 {T(-0.75), T(-30)}};
}

template <class T>
std::vector<T> inputs() {
  std::vector<T> xs = {T(0), -T(0), T(1), T(-1), T(30), T(-30), T(88), T(-88), T(1e30),
                       T(-1e30), std::numeric_limits<T>::denorm_min(),
                       std::numeric_limits<T>::max(), -std::numeric_limits<T>::max()};
  std::mt19937_64 rng(20261126);
  std::uniform_real_distribution<double> wide(-120.0, 120.0);
  for (int i = 0; i < 20000; ++i) xs.push_back(static_cast<T>(wide(rng)));
  return xs;
}

template <class T>
void check_equals_sigmoid_of_argument() {
  failure_log log;
  for (const logistic::affine<T> a : transforms<T>()) {
    for (const T x : inputs<T>()) {
      const T z = documented_argument(x, a);
      const T faithful = logistic::sigmoid(x, a), fast = logistic::fast::sigmoid(x, a);
      if (bits(faithful) != bits(logistic::sigmoid(z)) ||
          bits(fast) != bits(logistic::fast::sigmoid(z))) {
        if (log.record()) {
          log.describe("x = " + show(x) + ", scale = " + show(a.scale) + ", bias = " +
                       show(a.bias) + ": argument " + show(z) + ", got " + show(faithful) +
                       " / " + show(fast));
        }
      }
    }
  }
  INFO(type_name<T>() << ", target has FMA: " << target_has_fma << "\n" << log.first());
  CHECK(log.count() == 0);
}

TEST_CASE("affine sigmoid is sigmoid of scale * x + bias, rounded as documented", "[affine]") {
  check_equals_sigmoid_of_argument<float>();
  check_equals_sigmoid_of_argument<double>();
}

TEST_CASE("affine sigmoid (float) is within 1 ULP of sigma at its argument", "[affine]") {
  failure_log faithful_log, fast_log;
  double worst_faithful = 0, worst_fast = 0;
  for (const logistic::affine<float> a : transforms<float>()) {
    for (const float x : inputs<float>()) {
      const float z = documented_argument(x, a);
      const double exact = logistic_test::sigmoid_reference(z);
      const double e1 = logistic_test::sigmoid_ulp_error(logistic::sigmoid(x, a), exact);
      worst_faithful = std::max(worst_faithful, e1);
      if (!(e1 < 1.0) && faithful_log.record()) {
        faithful_log.describe("x = " + show(x) + ", z = " + show(z) + ": " + std::to_string(e1));
      }
      if (std::fabs(exact) >= static_cast<double>(std::numeric_limits<float>::min())) {
        const double e2 = logistic_test::sigmoid_ulp_error(logistic::fast::sigmoid(x, a), exact);
        worst_fast = std::max(worst_fast, e2);
        if (!(e2 <= 4.0) && fast_log.record()) {
          fast_log.describe("x = " + show(x) + ", z = " + show(z) + ": " + std::to_string(e2));
        }
      }
    }
  }
  INFO("worst faithful " << worst_faithful << " ULP, fast " << worst_fast << " ULP\n"
                         << faithful_log.first() << fast_log.first());
  CHECK(faithful_log.count() == 0);
  CHECK(fast_log.count() == 0);
}

template <class T>
void check_levels_agree() {
  using B = batch<T>;
  constexpr std::size_t W = B::size;
  const logistic::affine<T> a{T(-1.3), T(0.7)};
  std::vector<T> pool = inputs<T>();
  failure_log log;
  for (std::size_t n = 0; n <= 3 * W + 1; ++n) {
    for (std::size_t offset = 0; offset < 3; ++offset) {
      std::vector<T> in(pool.begin() + static_cast<std::ptrdiff_t>(n * 7),
                        pool.begin() + static_cast<std::ptrdiff_t>(n * 7 + n + offset));
      std::vector<T> out(n + offset, T(-7)), inplace = in;
      logistic::sigmoid(in.data() + offset, out.data() + offset, n, a);
      logistic::sigmoid(inplace.data() + offset, inplace.data() + offset, n, a);
      for (std::size_t i = 0; i < n; ++i) {
        const T x = in[offset + i];
        const T scalar = logistic::sigmoid(x, a);
        const T lane = logistic::sigmoid(B(x), a).get(0);
        if (bits(out[offset + i]) != bits(scalar) || bits(inplace[offset + i]) != bits(scalar) ||
            bits(lane) != bits(scalar)) {
          if (log.record()) log.describe("n = " + std::to_string(n) + ", x = " + show(x));
        }
      }
      for (std::size_t i = 0; i < offset; ++i) {
        if (out[i] != T(-7) && log.record()) log.describe("wrote before out at n = " + std::to_string(n));
      }
    }
  }
  INFO(type_name<T>() << "\n" << log.first());
  CHECK(log.count() == 0);
}

TEST_CASE("affine sigmoid: scalar, batch and array forms agree bit for bit", "[affine]") {
  check_levels_agree<float>();
  check_levels_agree<double>();
}

template <class T>
void check_edges() {
  const T inf = std::numeric_limits<T>::infinity();
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const logistic::affine<T> a{T(2), T(-1)};
  CHECK(std::isnan(logistic::sigmoid(nan, a)));
  CHECK(logistic::sigmoid(inf, a) == T(1));
  CHECK(logistic::sigmoid(-inf, a) == T(0));
  CHECK(!std::signbit(logistic::sigmoid(-inf, a)));
  // A negative scale flips the direction.
  CHECK(logistic::sigmoid(inf, logistic::affine<T>{T(-2), T(0)}) == T(0));
  // Scale 0: every finite x gives sigma(bias); 0 * inf is NaN (IEEE, documented).
  CHECK(logistic::sigmoid(T(123), logistic::affine<T>{T(0), T(0)}) == T(0.5));
  CHECK(std::isnan(logistic::sigmoid(inf, logistic::affine<T>{T(0), T(0)})));
  // An infinite bias saturates.
  CHECK(logistic::sigmoid(T(5), logistic::affine<T>{T(1), inf}) == T(1));
  CHECK(logistic::sigmoid(T(5), logistic::affine<T>{T(1), -inf}) == T(0));
  CHECK(logistic::fast::sigmoid(-inf, a) == T(0));
  CHECK(std::isnan(logistic::fast::sigmoid(nan, a)));
}

TEST_CASE("affine sigmoid at the IEEE edges", "[affine]") {
  check_edges<float>();
  check_edges<double>();
}

template <class T>
void check_temperature() {
  const logistic::affine<T> t2 = logistic::temperature(T(2));
  CHECK(t2.scale == T(0.5));
  CHECK(t2.bias == T(0));
  // sigma(x / t) with t a power of two is exact to form: same bits as sigmoid(x / t).
  CHECK(bits(logistic::sigmoid(T(3), logistic::temperature(T(4)))) ==
        bits(logistic::sigmoid(T(0.75))));
  const T bad[] = {T(0), -T(0), T(-1), std::numeric_limits<T>::infinity(),
                   std::numeric_limits<T>::quiet_NaN()};
  for (const T t : bad) {
    const logistic::affine<T> a = logistic::temperature(t);
    INFO("t = " << t);
    CHECK(std::isnan(a.scale));
    CHECK(std::isnan(a.bias));
    CHECK(std::isnan(logistic::sigmoid(T(1), a)));
  }
}

TEST_CASE("temperature(t) is {1/t, 0} for t > 0 finite, and NaN otherwise", "[affine]") {
  check_temperature<float>();
  check_temperature<double>();
}

}  // namespace
