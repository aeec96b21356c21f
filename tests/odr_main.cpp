// Two-translation-unit ODR test.
//
// odr_a.cpp and odr_b.cpp call the same logistic functions; on x86-64 odr_a.cpp is compiled
// for AVX2 + FMA and odr_b.cpp for baseline x86-64 (LOGISTIC_ODR_DISTINCT_ARCHES). Inline
// functions and templates are emitted in both objects and the linker keeps ONE copy of each
// mangled name: if the library's code did not carry the target architecture in its names
// (its per-architecture inline namespace), the SSE2 translation unit could end up running
// the AVX2 copy -- a crash on a CPU without AVX2, silently wrong results elsewhere.
//
// Checked here:
//   1. each translation unit sees a different xsimd::default_arch;
//   2. the scalar and array functions of logistic:: and logistic::fast:: that each unit
//      links against are distinct definitions (different addresses);
//   3. within each unit, scalar and array forms agree bit for bit (design §1);
//   4. across the units, logistic::sigmoid agrees to within kMaxCrossArchUlp (1 ulp, the
//      contract's allowance between instruction sets) on special values and on a sweep
//      over the whole bit space of float and double.
// tests/CMakeLists.txt adds a static check of the objects' weak symbols (odr_symbols.cmake).
// This file includes no logistic header: it sees only the two units' results.
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

namespace odr_test {

using scalar_f = float (*)(float);
using scalar_d = double (*)(double);
using array_f = void (*)(const float*, float*, std::size_t);
using array_d = void (*)(const double*, double*, std::size_t);

const char* arch_a();
const char* arch_b();
scalar_f sigmoid_scalar_f_a();
scalar_f sigmoid_scalar_f_b();
scalar_d sigmoid_scalar_d_a();
scalar_d sigmoid_scalar_d_b();
array_f sigmoid_array_f_a();
array_f sigmoid_array_f_b();
array_d sigmoid_array_d_a();
array_d sigmoid_array_d_b();
scalar_f fast_sigmoid_scalar_f_a();
scalar_f fast_sigmoid_scalar_f_b();
scalar_d fast_sigmoid_scalar_d_a();
scalar_d fast_sigmoid_scalar_d_b();
array_f fast_sigmoid_array_f_a();
array_f fast_sigmoid_array_f_b();
array_d fast_sigmoid_array_d_a();
array_d fast_sigmoid_array_d_b();
void run_f_a(const float* in, float* scalar, float* array, std::size_t n);
void run_f_b(const float* in, float* scalar, float* array, std::size_t n);
void run_d_a(const double* in, double* scalar, double* array, std::size_t n);
void run_d_b(const double* in, double* scalar, double* array, std::size_t n);

}  // namespace odr_test

namespace {

// The faithful tier is bit-identical within one build but, by its contract (sigmoid.hpp),
// "different instruction sets may differ in the last bit, each within the bound": with and
// without FMA the roundings differ. A larger difference between the units means they do
// not run the same algorithm. (The planned exact tier would allow 0.)
constexpr std::uint64_t kMaxCrossArchUlp = 1;

#if defined(LOGISTIC_ODR_DISTINCT_ARCHES)
constexpr bool kDistinctArches = true;
#else
constexpr bool kDistinctArches = false;
#endif

int failures = 0;

void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}

template <class Fn>
void check_distinct(Fn a, Fn b, const char* what) {
  if (kDistinctArches) {
    check(a != b, what);
  } else {
    std::printf("skip: %s (both units have the same target)\n", what);
  }
}

// Distance in representable values; 0 for equal bits, and for two NaNs of any payload.
template <class T, class Bits>
std::uint64_t ulp_distance(T x, T y) {
  if (std::isnan(x) && std::isnan(y)) return 0;
  if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<std::uint64_t>::max();
  Bits bx = 0;
  Bits by = 0;
  std::memcpy(&bx, &x, sizeof x);
  std::memcpy(&by, &y, sizeof y);
  constexpr Bits sign = Bits{1} << (sizeof(Bits) * 8 - 1);
  // Map the sign-magnitude encoding onto a monotonic unsigned scale (-0 and +0 meet).
  const Bits ox =
      (bx & sign) ? static_cast<Bits>(sign - (bx & ~sign)) : static_cast<Bits>(bx + sign);
  const Bits oy =
      (by & sign) ? static_cast<Bits>(sign - (by & ~sign)) : static_cast<Bits>(by + sign);
  return ox > oy ? ox - oy : oy - ox;
}

template <class T>
bool same_bits(T x, T y) {
  return std::memcmp(&x, &y, sizeof x) == 0;
}

template <class T>
std::vector<T> special_values() {
  using lim = std::numeric_limits<T>;
  // clang-format off
  return {T(0), -T(0), T(1), -T(1), T(0.5),
          lim::infinity(), -lim::infinity(), lim::quiet_NaN(),
          lim::max(), -lim::max(), lim::min(), -lim::min(),
          lim::denorm_min(), -lim::denorm_min(), lim::epsilon(),
          T(20), -T(20), T(88), -T(88), T(104), -T(104),
          T(710), -T(710), T(745), -T(745)};
  // clang-format on
}

// Special values, then `count` bit patterns spread evenly over the whole encoding space.
template <class T, class Bits>
std::vector<T> inputs(std::size_t count) {
  std::vector<T> v = special_values<T>();
  const Bits step = static_cast<Bits>(std::numeric_limits<Bits>::max() / count);
  Bits bits = 0;
  for (std::size_t i = 0; i < count; ++i, bits = static_cast<Bits>(bits + step)) {
    T x;
    std::memcpy(&x, &bits, sizeof x);
    v.push_back(x);
  }
  return v;
}

template <class T, class Bits, class Run>
void compare(const char* type, Run run_a, Run run_b) {
  const std::vector<T> in = inputs<T, Bits>(1u << 16);
  const std::size_t n = in.size();
  std::vector<T> scalar_a(n), array_a(n), scalar_b(n), array_b(n);
  run_a(in.data(), scalar_a.data(), array_a.data(), n);
  run_b(in.data(), scalar_b.data(), array_b.data(), n);

  std::size_t in_unit_mismatches = 0;
  std::size_t cross_unit_differences = 0;
  std::uint64_t worst = 0;
  std::size_t worst_i = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!same_bits(scalar_a[i], array_a[i]) && !(std::isnan(scalar_a[i]) && std::isnan(array_a[i])))
      ++in_unit_mismatches;
    if (!same_bits(scalar_b[i], array_b[i]) && !(std::isnan(scalar_b[i]) && std::isnan(array_b[i])))
      ++in_unit_mismatches;
    const std::uint64_t d = ulp_distance<T, Bits>(array_a[i], array_b[i]);
    if (d != 0) ++cross_unit_differences;
    if (d > worst) {
      worst = d;
      worst_i = i;
    }
  }
  char what[300];
  std::snprintf(what, sizeof what,
                "%s: scalar and array forms agree bit for bit in each unit "
                "(%zu mismatches over %zu inputs)",
                type, in_unit_mismatches, n);
  check(in_unit_mismatches == 0, what);
  if (worst == 0) {
    std::snprintf(what, sizeof what, "%s: both units agree bit for bit on %zu inputs", type, n);
  } else {
    std::snprintf(what, sizeof what,
                  "%s: units differ on %zu of %zu inputs, by up to %" PRIu64
                  " ulp (allowed %" PRIu64 "); first worst at x = %.17g: %.17g vs %.17g",
                  type, cross_unit_differences, n, worst, kMaxCrossArchUlp,
                  static_cast<double>(in[worst_i]), static_cast<double>(array_a[worst_i]),
                  static_cast<double>(array_b[worst_i]));
  }
  check(worst <= kMaxCrossArchUlp, what);
}

}  // namespace

int main() {
  using namespace odr_test;
  std::printf("unit a targets %s, unit b targets %s\n", arch_a(), arch_b());
  if (kDistinctArches) {
    check(std::strcmp(arch_a(), arch_b()) != 0, "the two units target different architectures");
  }

  check_distinct(sigmoid_scalar_f_a(), sigmoid_scalar_f_b(), "sigmoid(float) is one per unit");
  check_distinct(sigmoid_scalar_d_a(), sigmoid_scalar_d_b(), "sigmoid(double) is one per unit");
  check_distinct(sigmoid_array_f_a(), sigmoid_array_f_b(),
                 "sigmoid(const float*, ...) is one per unit");
  check_distinct(sigmoid_array_d_a(), sigmoid_array_d_b(),
                 "sigmoid(const double*, ...) is one per unit");
  check_distinct(fast_sigmoid_scalar_f_a(), fast_sigmoid_scalar_f_b(),
                 "fast::sigmoid(float) is one per unit");
  check_distinct(fast_sigmoid_scalar_d_a(), fast_sigmoid_scalar_d_b(),
                 "fast::sigmoid(double) is one per unit");
  check_distinct(fast_sigmoid_array_f_a(), fast_sigmoid_array_f_b(),
                 "fast::sigmoid(const float*, ...) is one per unit");
  check_distinct(fast_sigmoid_array_d_a(), fast_sigmoid_array_d_b(),
                 "fast::sigmoid(const double*, ...) is one per unit");

  compare<float, std::uint32_t>("float", run_f_a, run_f_b);
  compare<double, std::uint64_t>("double", run_d_a, run_d_b);

  std::printf("%s\n", failures == 0 ? "ODR test passed" : "ODR test FAILED");
  return failures == 0 ? 0 : 1;
}
