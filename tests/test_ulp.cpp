// Tests of the test support in reference.hpp: every accuracy figure of the suite is
// measured with these helpers, so a helper that returned 0 or NaN where it should not
// would let any kernel pass. Each expectation below is computed independently of the
// helper under test (powers of two written out, std::nextafter, long double).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <random>

#include "catch.hpp"
#include "reference.hpp"

namespace {

using logistic_test::float_from_bits;
using logistic_test::sigmoid_reference;
using logistic_test::sigmoid_ulp_error;
using logistic_test::ulp_error;
using logistic_test::ulp_of;

double pow2(int e) { return std::ldexp(1.0, e); }

const double inf = std::numeric_limits<double>::infinity();
const double nan_d = std::numeric_limits<double>::quiet_NaN();
const float inf_f = std::numeric_limits<float>::infinity();
const float nan_f = std::numeric_limits<float>::quiet_NaN();

double double_from_bits(std::uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// sigma(x) in long double (64-bit significand on x86), from the textbook formula: an
// independent check of the double reference, not a second copy of it.
long double sigmoid_long(long double x) { return 1.0L / (1.0L + std::exp(-x)); }

}  // namespace

// ---------------------------------------------------------------------------------------
// ulp_of

TEST_CASE("ulp_of<float> is 2^-23 at 1 and 2^-24 just below 1", "[ulp]") {
  CHECK(ulp_of<float>(1.0) == pow2(-23));
  CHECK(ulp_of<float>(static_cast<double>(std::nextafter(1.0f, 0.0f))) == pow2(-24));
  CHECK(ulp_of<float>(1.0 - pow2(-40)) == pow2(-24));  // a double between floats
  CHECK(ulp_of<float>(0.75) == pow2(-24));
  CHECK(ulp_of<float>(0.5) == pow2(-24));
  CHECK(ulp_of<float>(1.5) == pow2(-23));
  CHECK(ulp_of<float>(2.0) == pow2(-22));
  CHECK(ulp_of<float>(1e6) == 0.0625);  // 2^19 <= 1e6 < 2^20
  // The sign does not matter.
  CHECK(ulp_of<float>(-1.0) == pow2(-23));
  CHECK(ulp_of<float>(-0.75) == pow2(-24));
}

TEST_CASE("ulp_of<float> is the smallest subnormal from 2^-125 down to 0", "[ulp]") {
  const double min_normal = pow2(-126);
  const double denorm_min = pow2(-149);
  CHECK(ulp_of<float>(pow2(-125)) == pow2(-148));
  CHECK(ulp_of<float>(min_normal) == denorm_min);
  CHECK(ulp_of<float>(min_normal * (1 - pow2(-40))) == denorm_min);  // just below, in double
  CHECK(ulp_of<float>(pow2(-140)) == denorm_min);
  CHECK(ulp_of<float>(3 * denorm_min) == denorm_min);
  CHECK(ulp_of<float>(denorm_min) == denorm_min);
  CHECK(ulp_of<float>(pow2(-160)) == denorm_min);  // below every float but 0
  CHECK(ulp_of<float>(0.0) == denorm_min);
  CHECK(ulp_of<float>(-0.0) == denorm_min);
  CHECK(ulp_of<float>(-pow2(-140)) == denorm_min);
}

TEST_CASE("ulp_of<double> is 2^-52 at 1, 2^-53 below, 2^-1074 for subnormals and 0", "[ulp]") {
  CHECK(ulp_of<double>(1.0) == pow2(-52));
  CHECK(ulp_of<double>(std::nextafter(1.0, 0.0)) == pow2(-53));
  CHECK(ulp_of<double>(0.75) == pow2(-53));
  CHECK(ulp_of<double>(-3.0) == pow2(-51));
  CHECK(ulp_of<double>(pow2(-1021)) == pow2(-1073));
  CHECK(ulp_of<double>(pow2(-1022)) == pow2(-1074));
  CHECK(ulp_of<double>(std::nextafter(pow2(-1022), 0.0)) == pow2(-1074));
  CHECK(ulp_of<double>(pow2(-1050)) == pow2(-1074));
  CHECK(ulp_of<double>(pow2(-1074)) == pow2(-1074));
  CHECK(ulp_of<double>(0.0) == pow2(-1074));
  CHECK(ulp_of<double>(-0.0) == pow2(-1074));
}

TEST_CASE("ulp_of<float> is the gap to the next float, for floats spread over bit space", "[ulp]") {
  // Above a float x the next float is x + ulp(x); below, x - ulp(x), except at a power
  // of two (normal), where the gap below is half as wide.
  std::size_t checked = 0, mismatches = 0;
  float first_bad = 0;
  for (std::uint32_t b = 0; b < 0x7F7FFFFFu; b += 251) {
    const float x = float_from_bits(b);
    const double xd = x;
    const double up = static_cast<double>(std::nextafter(x, inf_f)) - xd;
    bool ok = ulp_of<float>(xd) == up;
    if (b != 0) {
      const double down = xd - static_cast<double>(std::nextafter(x, 0.0f));
      const bool power_of_two_normal = (b & 0x7FFFFFu) == 0 && b >= 0x01000000u;
      ok = ok && (power_of_two_normal ? down == up / 2 : down == up);
    }
    ++checked;
    if (!ok && mismatches++ == 0) first_bad = x;
  }
  INFO("first mismatch at x = " << first_bad);
  CHECK(checked > 8000000);
  CHECK(mismatches == 0);
}

TEST_CASE("ulp_of<double> is the gap to the next double, for random doubles", "[ulp]") {
  std::mt19937_64 rng(20240601);
  std::size_t mismatches = 0;
  double first_bad = 0;
  for (int i = 0; i < 1000000; ++i) {
    const double x = std::fabs(double_from_bits(rng()));
    if (!std::isfinite(x) || x == std::numeric_limits<double>::max()) continue;
    if (ulp_of<double>(x) != std::nextafter(x, inf) - x && mismatches++ == 0) first_bad = x;
  }
  INFO("first mismatch at x = " << first_bad);
  CHECK(mismatches == 0);
}

// ---------------------------------------------------------------------------------------
// ulp_error

TEST_CASE("ulp_error is 0 for an exact result", "[ulp]") {
  CHECK(ulp_error<float>(1.0f, 1.0) == 0.0);
  CHECK(ulp_error<float>(0.5f, 0.5) == 0.0);
  CHECK(ulp_error<float>(0.0f, 0.0) == 0.0);
  CHECK(ulp_error<float>(-0.0f, 0.0) == 0.0);
  CHECK(ulp_error<float>(std::numeric_limits<float>::denorm_min(), pow2(-149)) == 0.0);
  CHECK(ulp_error<double>(0.1, 0.1) == 0.0);
  CHECK(ulp_error<double>(pow2(-1074), pow2(-1074)) == 0.0);
}

TEST_CASE("ulp_error counts neighbouring floats as one ULP apart", "[ulp]") {
  for (const float x : {1.5f, 0.3f, 0.75f, 1e-30f, 3e5f, -0.3f, -7.0f, 1e-40f, 1.5e-44f}) {
    INFO("x = " << x);
    const float up = std::nextafter(x, inf_f);
    const float down = std::nextafter(x, -inf_f);
    CHECK(ulp_error<float>(up, static_cast<double>(x)) == 1.0);
    CHECK(ulp_error<float>(down, static_cast<double>(x)) == 1.0);
    CHECK(ulp_error<float>(std::nextafter(up, inf_f), static_cast<double>(x)) == 2.0);
    // Halfway between two floats is half an ULP from either.
    const double mid = (static_cast<double>(x) + static_cast<double>(up)) / 2;
    CHECK(ulp_error<float>(x, mid) == 0.5);
    CHECK(ulp_error<float>(up, mid) == 0.5);
  }
  // At a power of two the ULP is that of the exact value: the float below 1 is half an
  // ULP of 1 away, 1 is one ULP (2^-24) of 1 - 2^-24 away.
  CHECK(ulp_error<float>(std::nextafter(1.0f, 0.0f), 1.0) == 0.5);
  CHECK(ulp_error<float>(1.0f, static_cast<double>(std::nextafter(1.0f, 0.0f))) == 1.0);
  CHECK(ulp_error<float>(2.0f, 1.0) == pow2(23));
  // Subnormal results are measured in units of the smallest subnormal.
  CHECK(ulp_error<float>(std::numeric_limits<float>::denorm_min(), 0.0) == 1.0);
  CHECK(ulp_error<float>(0.0f, pow2(-150)) == 0.5);
  CHECK(ulp_error<float>(0.0f, pow2(-140)) == pow2(9));
}

TEST_CASE("ulp_error<double> counts neighbouring doubles as one ULP apart", "[ulp]") {
  for (const double x : {1.5, 0.1, -2.5e-300, 1e300, 3.0 * pow2(-1074), pow2(-1030)}) {
    INFO("x = " << x);
    CHECK(ulp_error<double>(std::nextafter(x, inf), x) == 1.0);
    CHECK(ulp_error<double>(std::nextafter(x, -inf), x) == 1.0);
  }
  CHECK(ulp_error<double>(std::nextafter(1.0, 0.0), 1.0) == 0.5);
  CHECK(ulp_error<double>(pow2(-1074), 0.0) == 1.0);
}

TEST_CASE("ulp_error: NaN against NaN is 0, NaN against a number is infinite", "[ulp]") {
  CHECK(ulp_error<float>(nan_f, nan_d) == 0.0);
  CHECK(ulp_error<float>(-nan_f, nan_d) == 0.0);
  CHECK(ulp_error<double>(nan_d, nan_d) == 0.0);
  CHECK(ulp_error<float>(nan_f, 0.5) == inf);
  CHECK(ulp_error<float>(0.5f, nan_d) == inf);
  CHECK(ulp_error<float>(nan_f, 0.0) == inf);
  CHECK(ulp_error<float>(0.0f, nan_d) == inf);
  CHECK(ulp_error<float>(nan_f, inf) == inf);
  CHECK(ulp_error<float>(inf_f, nan_d) == inf);
  CHECK(ulp_error<double>(nan_d, 1.0) == inf);
  CHECK(ulp_error<double>(1.0, nan_d) == inf);
}

TEST_CASE("ulp_error: the same infinity is 0, any other value against infinity is infinite",
          "[ulp]") {
  CHECK(ulp_error<float>(inf_f, inf) == 0.0);
  CHECK(ulp_error<float>(-inf_f, -inf) == 0.0);
  CHECK(ulp_error<float>(inf_f, -inf) == inf);
  CHECK(ulp_error<float>(-inf_f, inf) == inf);
  CHECK(ulp_error<float>(std::numeric_limits<float>::max(), inf) == inf);
  CHECK(ulp_error<float>(inf_f, static_cast<double>(std::numeric_limits<float>::max())) == inf);
  CHECK(ulp_error<float>(0.0f, inf) == inf);
  CHECK(ulp_error<double>(inf, inf) == 0.0);
  CHECK(ulp_error<double>(std::numeric_limits<double>::max(), inf) == inf);
  CHECK(ulp_error<double>(inf, 1.0) == inf);
}

// ---------------------------------------------------------------------------------------
// sigmoid_ulp_error

TEST_CASE("sigmoid_ulp_error measures against an exact 1.0 in ULPs just below 1 (2^-24)", "[ulp]") {
  const float below_one = std::nextafter(1.0f, 0.0f);  // 1 - 2^-24
  CHECK(sigmoid_ulp_error(1.0f, 1.0) == 0.0);
  CHECK(sigmoid_ulp_error(below_one, 1.0) == 1.0);
  CHECK(sigmoid_ulp_error(std::nextafter(below_one, 0.0f), 1.0) == 2.0);
  CHECK(sigmoid_ulp_error(0.5f, 1.0) == pow2(23));
  // ulp_error itself would call the float below 1 half an ULP away: the rule is stricter.
  CHECK(ulp_error<float>(below_one, 1.0) == 0.5);
}

TEST_CASE("sigmoid_ulp_error equals ulp_error when the exact value is not 1", "[ulp]") {
  const float below_one = std::nextafter(1.0f, 0.0f);
  const double cases[][2] = {{static_cast<double>(std::nextafter(0.5f, 1.0f)), 0.5},
                             {static_cast<double>(below_one), 1.0 - pow2(-30)},
                             {1.0, 1.0 - pow2(-30)},
                             {0.0, pow2(-149)},
                             {pow2(-149), pow2(-151)}};
  for (const auto& c : cases) {
    const float y = static_cast<float>(c[0]);
    INFO("y = " << y << ", exact = " << c[1]);
    CHECK(sigmoid_ulp_error(y, c[1]) == ulp_error<float>(y, c[1]));
    CHECK(sigmoid_ulp_error(y, c[1]) > 0.0);
  }
  CHECK(sigmoid_ulp_error(1.0f, 1.0 - pow2(-30)) == pow2(-6));  // ulp of 1 - 2^-30 is 2^-24
  CHECK(sigmoid_ulp_error(0.5f, 0.5) == 0.0);
  CHECK(sigmoid_ulp_error(nan_f, nan_d) == 0.0);
  CHECK(sigmoid_ulp_error(nan_f, 0.5) == inf);
}

TEST_CASE("sigmoid_ulp_error calls a NaN result infinitely wrong, also where exact is 1", "[ulp]") {
  // A NaN error would slip through every `error > worst` comparison of a sweep.
  CHECK(sigmoid_ulp_error(nan_f, 1.0) == inf);
  CHECK(sigmoid_ulp_error(inf_f, 1.0) == inf);
}

// ---------------------------------------------------------------------------------------
// sigmoid_reference

TEST_CASE("sigmoid_reference is 0.5 at 0 and exact at the infinities", "[reference]") {
  CHECK(sigmoid_reference(0.0f) == 0.5);
  CHECK(sigmoid_reference(-0.0f) == 0.5);
  CHECK(sigmoid_reference(inf_f) == 1.0);
  CHECK(sigmoid_reference(-inf_f) == 0.0);
  CHECK(std::isnan(sigmoid_reference(nan_f)));
}

TEST_CASE("sigmoid_reference matches independently known values", "[reference]") {
  // Within the reference's own budget of 4 x 2^-53 relative (see the long double test).
  const double budget = 4 * pow2(-53);
  // sigma(1) = e / (1 + e), sigma(2) = e^2 / (1 + e^2), to 20 digits.
  CHECK(std::fabs(sigmoid_reference(1.0f) - 0.73105857863000487925) <= budget * 0.74);
  CHECK(std::fabs(sigmoid_reference(-1.0f) - 0.26894142136999512075) <= budget * 0.27);
  CHECK(std::fabs(sigmoid_reference(2.0f) - 0.88079707797788244406) <= budget * 0.89);
  CHECK(std::fabs(sigmoid_reference(-2.0f) - 0.11920292202211755594) <= budget * 0.12);
  // sigma(ln 3) = 3/4; ln 3 is not a float, and at the float x nearest to it
  // sigma(x) = 3 / (3 + e^(ln 3 - x)).
  const float ln3 = 1.0986123f;
  const double expected = 3.0 / (3.0 + std::exp(1.0986122886681098 - static_cast<double>(ln3)));
  CHECK(std::fabs(sigmoid_reference(ln3) - expected) <= budget * 0.75);
  CHECK(std::fabs(sigmoid_reference(ln3) - 0.75) < 1e-7);
}

TEST_CASE("sigmoid_reference satisfies sigma(x) + sigma(-x) = 1 to within its error budget",
          "[reference]") {
  // Each side is within 4 x 2^-53 of its exact value relative to itself (the long double
  // test below), so the two deviations add to at most 4 x 2^-53; the sum is formed in
  // long double so that its own rounding does not count.
  for (const float x : {1e-6f, 0.25f, 0.5f, 1.0f, 1.5f, 3.0f, 7.25f, 12.0f, 20.0f, 36.0f}) {
    INFO("x = " << x);
    const long double sum = static_cast<long double>(sigmoid_reference(x)) +
                            static_cast<long double>(sigmoid_reference(-x));
    CHECK(std::fabs(sum - 1.0L) <= 4 * static_cast<long double>(pow2(-53)));
  }
  CHECK(sigmoid_reference(0.0f) + sigmoid_reference(-0.0f) == 1.0);
}

TEST_CASE("sigmoid_reference keeps full relative precision in the far left tail", "[reference]") {
  // sigma(x) = e^x / (1 + e^x) = e^x (1 - e^x + ...): for x <= -40 it is e^x to 1e-17.
  for (const float x : {-40.0f, -100.0f, -700.0f, -745.0f}) {
    INFO("x = " << x);
    const double e = std::exp(static_cast<double>(x));
    REQUIRE(e > 0.0);
    CHECK(std::fabs(sigmoid_reference(x) - e) <= 1e-15 * e);
  }
  CHECK(sigmoid_reference(-100.0f) > 0.0);
  // 1 - sigma(40) = e^-40 is below half an ULP of 1 in double.
  CHECK(sigmoid_reference(40.0f) == 1.0);
}

TEST_CASE("sigmoid_reference is within 4 double ULPs of a long double evaluation", "[reference]") {
  if (std::numeric_limits<long double>::digits < 64) {
    WARN("long double has no more precision than double here: check skipped");
    return;
  }
  // Relative to the result: the reference's own error budget ("a few 2^-53"), far below
  // the 2^-27 float ULP that the float accuracy tests need.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> wide(-100.0f, 40.0f);
  std::size_t failures = 0;
  double worst = 0;
  float worst_x = 0;
  for (int i = 0; i < 200000; ++i) {
    const float x = i < 1000 ? static_cast<float>(i - 500) / 16 : wide(rng);
    const long double exact = sigmoid_long(static_cast<long double>(x));
    const double rel = static_cast<double>(
        std::fabs((static_cast<long double>(sigmoid_reference(x)) - exact) / exact));
    if (rel > worst) {
      worst = rel;
      worst_x = x;
    }
    if (rel > 4 * pow2(-53)) ++failures;
  }
  INFO("worst relative error " << worst / pow2(-53) << " x 2^-53 at x = " << worst_x);
  CHECK(failures == 0);
}
