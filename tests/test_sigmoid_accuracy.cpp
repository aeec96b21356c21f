// The accuracy table: one row per function, type and tier, each with its
// reference, its inputs and its promised bound. The worst error is printed
// for every row, passing or not. This is the quick version of the sweeps
// (every 257th float; the exhaustive label runs all 2^32).
#include <logistic/logistic.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <vector>

#include "catch.hpp"
#include "reference.hpp"
#include "sample_divisor.hpp"

namespace {

using array_fn = void (*)(const float*, float*, std::size_t);

struct accuracy_row {
  const char* name;
  array_fn fn;
  double max_ulp;        // the bound the contract promises
  bool strict;           // error must be < max_ulp (faithful) or <= max_ulp
  bool normal_only;      // bound applies where the exact result is normal
};

void faithful_fn(const float* in, float* out, std::size_t n) { logistic::sigmoid(in, out, n); }
void fast_fn(const float* in, float* out, std::size_t n) { logistic::fast::sigmoid(in, out, n); }

// Every stride-th float bit pattern, NaNs left out.
std::vector<float> strided_floats(std::uint32_t stride) {
  std::vector<float> xs;
  for (std::uint64_t b = 0; b < (std::uint64_t(1) << 32); b += stride) {
    const float x = logistic_test::float_from_bits(static_cast<std::uint32_t>(b));
    if (!std::isnan(x)) xs.push_back(x);
  }
  return xs;
}

}  // namespace

TEST_CASE("float sigmoid meets its ULP bound on a strided sweep of all floats", "[accuracy]") {
  const accuracy_row rows[] = {
      {"logistic::sigmoid<float>", faithful_fn, 1.0, true, false},
      {"logistic::fast::sigmoid<float>", fast_fn, 4.0, false, true},
  };
  const std::vector<float> xs = strided_floats(logistic_test::sparser<std::uint32_t>(257));
  std::vector<float> ys(xs.size());
  const double min_normal = static_cast<double>(std::numeric_limits<float>::min());
  for (const accuracy_row& row : rows) {
    row.fn(xs.data(), ys.data(), xs.size());
    double worst = 0;
    float worst_x = 0;
    std::size_t violations = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double exact = logistic_test::sigmoid_reference(xs[i]);
      if (row.normal_only && exact < min_normal) continue;
      const double u = logistic_test::sigmoid_ulp_error(ys[i], exact);
      if (u > worst) {
        worst = u;
        worst_x = xs[i];
      }
      if (row.strict ? !(u < row.max_ulp) : !(u <= row.max_ulp)) ++violations;
    }
    std::printf("%-34s %-12s max %.4f ULP at x = %a (bound %s %.1f)\n", row.name,
                xsimd::default_arch::name(), worst, static_cast<double>(worst_x),
                row.strict ? "<" : "<=", row.max_ulp);
    INFO(row.name << ": worst " << worst << " ULP at x = " << worst_x);
    CHECK(violations == 0);
  }
}

TEST_CASE("faithful float sigmoid computes subnormal results instead of flushing", "[accuracy]") {
  // Every float in [-103.9, -87.4]: sigma(x) is subnormal there, and nonzero.
  std::size_t subnormal = 0;
  for (float x = -103.9f; x < -87.4f; x = std::nextafter(x, 0.0f)) {
    const float y = logistic::sigmoid(x);
    REQUIRE(y > 0.0f);
    REQUIRE(logistic_test::sigmoid_ulp_error(y, logistic_test::sigmoid_reference(x)) < 1.0);
    if (y < std::numeric_limits<float>::min()) ++subnormal;
  }
  CHECK(subnormal > 1000000);
}
