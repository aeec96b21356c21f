// Lane versus scalar (after libdivide): the array and batch forms of logistic::sigmoid and
// logistic::fast::sigmoid return the scalar form's bits for every element (design §1), for
// every length from 0 to 3 batches, every misalignment of input and output, in place and
// out of place, with inputs that send some batches down the out-of-line wide path and
// others not; and they write nothing outside [out, out + n).
//
// Results are compared as bit patterns (NaN included), never with ==.
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
#include "failure_log.hpp"
#include "tiers.hpp"

namespace {

using logistic_test::bits;

using logistic_test::A;
using logistic_test::batch;
using logistic_test::fast;
using logistic_test::faithful;
using logistic_test::type_name;

std::string show(float x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", static_cast<double>(x));
  return buf;
}
std::string show(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", x);
  return buf;
}

template <class T>
bool same_bits(T a, T b) {
  return bits(a) == bits(b);
}

using logistic_test::failure_log;

// Inputs that take the rare paths: beyond the faithful tier's main range (|x| > 40 for
// float, 45 for double) and the fast tier's (|x| > 87.34, 708.40), subnormal results,
// the saturation points, and special values.
template <class T>
std::vector<T> rare_values();

template <>
std::vector<float> rare_values<float>() {
  using L = std::numeric_limits<float>;
  const float just_wide = std::nextafter(40.0f, 100.0f);
  std::vector<float> v = {0.0f,      L::infinity(), L::quiet_NaN(), L::denorm_min(), 1e-40f,
                          L::min(),  L::max(),      40.0f,          just_wide,       87.3365f,
                          87.33655f, 90.0f,         103.97f,        103.98f,         104.0f,
                          200.0f,    1e30f,         16.64f,         17.33f};
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) v.push_back(-v[i]);
  return v;
}

template <>
std::vector<double> rare_values<double>() {
  using L = std::numeric_limits<double>;
  const double just_wide = std::nextafter(45.0, 1000.0);
  std::vector<double> v = {
      0.0,   L::infinity(), L::quiet_NaN(), L::denorm_min(), 1e-310, L::min(), L::max(),
      45.0,  just_wide,     708.396,        708.4,           720.0,  745.13,   745.14,
      746.0, 1000.0,        1e300,          36.74,           37.43};
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) v.push_back(-v[i]);
  return v;
}

// Ordinary logits: the main path of both tiers, up to just inside the wide threshold.
template <class T>
T ordinary_value(std::mt19937& rng) {
  const T reach = sizeof(T) == sizeof(float) ? T(39.9) : T(44.9);
  std::uniform_real_distribution<T> common(T(-20), T(20)), wide(-reach, reach);
  return std::uniform_int_distribution<int>(0, 7)(rng) == 0 ? wide(rng) : common(rng);
}

// Input patterns: 0 ordinary only; 1 one rare value every 2W + 1 elements (so some
// batches hold one and the others none); 2 about one rare value in four.
constexpr int pattern_count = 3;

template <class T>
void fill_inputs(std::vector<T>& v, std::size_t n, int pattern, std::mt19937& rng) {
  static const std::vector<T> rare = rare_values<T>();
  constexpr std::size_t w = batch<T>::size;
  std::uniform_int_distribution<std::size_t> pick(0, rare.size() - 1);
  const std::size_t phase = std::uniform_int_distribution<std::size_t>(0, 2 * w)(rng);
  v.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    bool rare_here = false;
    if (pattern == 1) rare_here = (i + phase) % (2 * w + 1) == 0;
    if (pattern == 2) rare_here = std::uniform_int_distribution<int>(0, 3)(rng) == 0;
    v[i] = rare_here ? rare[pick(rng)] : ordinary_value<T>(rng);
  }
}

// A buffer with `guard` elements on either side of the area under test, whose element
// `guard` sits on an A::alignment() boundary; the area starts `offset` elements later.
template <class T>
class guarded_buffer {
 public:
  static constexpr std::size_t guard = 2 * batch<T>::size;
  static constexpr T sentinel = T(-42);  // not a sigmoid result

  explicit guarded_buffer(std::size_t capacity)
      : storage_(capacity + 3 * guard + A::alignment() / sizeof(T)) {
    const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(storage_.data());
    const std::size_t to_boundary = (A::alignment() - address % A::alignment()) % A::alignment();
    base_ = to_boundary / sizeof(T) + guard;
  }

  void fill_sentinel() { std::fill(storage_.begin(), storage_.end(), sentinel); }
  T* at(std::size_t offset) { return storage_.data() + base_ + offset; }

  // Elements outside [at(offset), at(offset) + n) that are not the sentinel.
  std::size_t touched_outside(std::size_t offset, std::size_t n) const {
    std::size_t touched = 0;
    for (std::size_t i = 0; i < storage_.size(); ++i) {
      const bool inside = i >= base_ + offset && i < base_ + offset + n;
      if (!inside && !same_bits(storage_[i], sentinel)) ++touched;
    }
    return touched;
  }

 private:
  std::vector<T> storage_;
  std::size_t base_ = 0;
};

std::string where(std::size_t n, std::size_t in_offset, std::size_t out_offset, int pattern) {
  return "n = " + std::to_string(n) + ", input offset " + std::to_string(in_offset) +
         ", output offset " + std::to_string(out_offset) + ", pattern " + std::to_string(pattern);
}

template <class Tier, class T>
void check_out_of_place() {
  constexpr std::size_t w = batch<T>::size;
  std::mt19937 rng(static_cast<unsigned>(w * sizeof(T)));
  guarded_buffer<T> in_buffer(3 * w), out_buffer(3 * w);
  std::vector<T> x;
  failure_log failures;
  std::size_t calls = 0, elements = 0;
  for (std::size_t n = 0; n <= 3 * w; ++n) {
    for (std::size_t in_offset = 0; in_offset < w; ++in_offset) {
      for (std::size_t out_offset = 0; out_offset < w; ++out_offset) {
        for (int pattern = 0; pattern < pattern_count; ++pattern) {
          fill_inputs(x, n, pattern, rng);
          in_buffer.fill_sentinel();
          out_buffer.fill_sentinel();
          T* in = in_buffer.at(in_offset);
          T* out = out_buffer.at(out_offset);
          REQUIRE(reinterpret_cast<std::uintptr_t>(out) % A::alignment() ==
                  out_offset * sizeof(T) % A::alignment());
          if (n > 0) std::memcpy(in, x.data(), n * sizeof(T));
          Tier::array(in, out, n);
          ++calls;
          for (std::size_t i = 0; i < n; ++i, ++elements) {
            const T expected = Tier::scalar(x[i]);
            if (!same_bits(out[i], expected)) {
              if (failures.record())
                failures.describe(where(n, in_offset, out_offset, pattern) + ", element " +
                                  std::to_string(i) + ": sigmoid(" + show(x[i]) + ") = " +
                                  show(out[i]) + " in the array, " + show(expected) + " scalar");
            }
            if (!same_bits(in[i], x[i])) {
              if (failures.record())
                failures.describe(where(n, in_offset, out_offset, pattern) + ": input element " +
                                  std::to_string(i) + " changed");
            }
          }
          const std::size_t touched =
              out_buffer.touched_outside(out_offset, n) + in_buffer.touched_outside(in_offset, n);
          if (touched != 0) {
            if (failures.record())
              failures.describe(where(n, in_offset, out_offset, pattern) + ": " +
                                std::to_string(touched) + " elements outside the range written");
          }
        }
      }
    }
  }
  INFO(Tier::name << "<" << type_name<T>() << ">, W = " << w << ": " << calls << " calls, "
                  << elements << " elements, " << failures.count() << " failures:\n"
                  << failures.first());
  CHECK(calls == (3 * w + 1) * w * w * pattern_count);
  CHECK(failures.count() == 0);
}

template <class Tier, class T>
void check_in_place() {
  constexpr std::size_t w = batch<T>::size;
  std::mt19937 rng(static_cast<unsigned>(w * sizeof(T) + 1));
  guarded_buffer<T> buffer(3 * w);
  std::vector<T> x;
  failure_log failures;
  std::size_t calls = 0;
  for (std::size_t n = 0; n <= 3 * w; ++n) {
    for (std::size_t offset = 0; offset < w; ++offset) {
      for (int pattern = 0; pattern < pattern_count; ++pattern) {
        fill_inputs(x, n, pattern, rng);
        buffer.fill_sentinel();
        T* data = buffer.at(offset);
        if (n > 0) std::memcpy(data, x.data(), n * sizeof(T));
        Tier::array(data, data, n);
        ++calls;
        for (std::size_t i = 0; i < n; ++i) {
          const T expected = Tier::scalar(x[i]);
          if (!same_bits(data[i], expected)) {
            if (failures.record())
              failures.describe(where(n, offset, offset, pattern) + ", element " +
                                std::to_string(i) + ": sigmoid(" + show(x[i]) + ") = " +
                                show(data[i]) + " in place, " + show(expected) + " scalar");
          }
        }
        const std::size_t touched = buffer.touched_outside(offset, n);
        if (touched != 0) {
          if (failures.record())
            failures.describe(where(n, offset, offset, pattern) + ": " + std::to_string(touched) +
                              " elements outside the range written");
        }
      }
    }
  }
  INFO(Tier::name << "<" << type_name<T>() << ">, W = " << w << ": " << calls << " calls, "
                  << failures.count() << " failures:\n"
                  << failures.first());
  CHECK(calls == (3 * w + 1) * w * pattern_count);
  CHECK(failures.count() == 0);
}

// The batch form against the scalar form, lane by lane, for one batch of inputs.
template <class Tier, class T>
void compare_lanes(const T (&x)[batch<T>::size], const std::string& what, failure_log& failures) {
  constexpr std::size_t w = batch<T>::size;
  alignas(A::alignment()) T in[w];
  alignas(A::alignment()) T out[w];
  std::memcpy(in, x, sizeof in);
  Tier::simd(batch<T>::load_aligned(in)).store_aligned(out);
  for (std::size_t lane = 0; lane < w; ++lane) {
    const T expected = Tier::scalar(x[lane]);
    if (!same_bits(out[lane], expected)) {
      if (failures.record())
        failures.describe(what + ", lane " + std::to_string(lane) + ": sigmoid(" + show(x[lane]) +
                          ") = " + show(out[lane]) + " in the batch, " + show(expected) +
                          " scalar");
    }
  }
}

template <class Tier, class T>
void check_batches() {
  constexpr std::size_t w = batch<T>::size;
  std::mt19937 rng(static_cast<unsigned>(3 * w + sizeof(T)));
  const std::vector<T> rare = rare_values<T>();
  failure_log failures;
  std::size_t batches = 0;
  T x[w];
  // Ordinary batches: the main path in every lane.
  for (int round = 0; round < 1000; ++round, ++batches) {
    for (T& v : x) v = ordinary_value<T>(rng);
    compare_lanes<Tier>(x, "ordinary batch " + std::to_string(round), failures);
  }
  // One rare lane among ordinary ones: a huge logit sends the whole batch down the wide
  // path, where the ordinary lanes must still get the main path's bits.
  for (std::size_t lane = 0; lane < w; ++lane) {
    for (const T value : rare) {
      for (int round = 0; round < 4; ++round, ++batches) {
        for (T& v : x) v = ordinary_value<T>(rng);
        x[lane] = value;
        compare_lanes<Tier>(x, "rare " + show(value) + " in lane " + std::to_string(lane),
                            failures);
      }
    }
  }
  // Mixed batches.
  std::uniform_int_distribution<std::size_t> pick(0, rare.size() - 1);
  for (int round = 0; round < 1000; ++round, ++batches) {
    for (T& v : x) {
      v = std::uniform_int_distribution<int>(0, 2)(rng) == 0 ? rare[pick(rng)]
                                                             : ordinary_value<T>(rng);
    }
    compare_lanes<Tier>(x, "mixed batch " + std::to_string(round), failures);
  }
  INFO(Tier::name << "<" << type_name<T>() << ">, W = " << w << ": " << batches << " batches, "
                  << failures.count() << " failures:\n"
                  << failures.first());
  CHECK(batches == 2000 + w * rare.size() * 4);
  CHECK(failures.count() == 0);
}

}  // namespace

TEST_CASE(
    "array results equal scalar results bit for bit, for every length up to 3W and "
    "every misalignment of input and output",
    "[lanes]") {
  check_out_of_place<faithful, float>();
  check_out_of_place<faithful, double>();
  check_out_of_place<fast, float>();
  check_out_of_place<fast, double>();
}

TEST_CASE(
    "in-place array results equal scalar results bit for bit, for every length up to "
    "3W and every misalignment",
    "[lanes]") {
  check_in_place<faithful, float>();
  check_in_place<faithful, double>();
  check_in_place<fast, float>();
  check_in_place<fast, double>();
}

TEST_CASE(
    "batch results equal scalar results lane by lane, also when one lane takes the "
    "wide path",
    "[lanes]") {
  check_batches<faithful, float>();
  check_batches<faithful, double>();
  check_batches<fast, float>();
  check_batches<fast, double>();
}

TEST_CASE("array functions accept n == 0 with null pointers, and write nothing for n == 0",
          "[lanes]") {
  STATIC_REQUIRE(noexcept(
      logistic::sigmoid(static_cast<const float*>(nullptr), static_cast<float*>(nullptr), 0)));
  STATIC_REQUIRE(noexcept(logistic::fast::sigmoid(static_cast<const double*>(nullptr),
                                                  static_cast<double*>(nullptr), 0)));
  logistic::sigmoid(static_cast<const float*>(nullptr), static_cast<float*>(nullptr), 0);
  logistic::sigmoid(static_cast<const double*>(nullptr), static_cast<double*>(nullptr), 0);
  logistic::fast::sigmoid(static_cast<const float*>(nullptr), static_cast<float*>(nullptr), 0);
  logistic::fast::sigmoid(static_cast<const double*>(nullptr), static_cast<double*>(nullptr), 0);

  const float in_f[2] = {1.0f, 2.0f};
  float out_f[2] = {-42.0f, -42.0f};
  logistic::sigmoid(in_f, out_f, 0);
  logistic::fast::sigmoid(in_f, out_f, 0);
  CHECK(out_f[0] == -42.0f);
  CHECK(out_f[1] == -42.0f);
  const double in_d[2] = {1.0, 2.0};
  double out_d[2] = {-42.0, -42.0};
  logistic::sigmoid(in_d, out_d, 0);
  logistic::fast::sigmoid(in_d, out_d, 0);
  CHECK(out_d[0] == -42.0);
  CHECK(out_d[1] == -42.0);
}
