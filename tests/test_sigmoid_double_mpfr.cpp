// Accuracy of the double sigmoid against MPFR (160 bits), and a check of the
// double-precision reference that the float tests use.
//
// [exhaustive]-tagged cases run 10^7 random inputs (CTest label exhaustive);
// the others are the quick edge sweeps and 10^5 random inputs.
#include <logistic/logistic.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "catch.hpp"
#include "mpfr_reference.hpp"
#include "reference.hpp"

namespace {

struct worst {
  double ulp = 0;
  double x = 0;
};

// Runs both tiers over xs (array form) and returns their worst errors; fails on
// a faithful error >= 1 ULP or a fast error > 4 ULP where the exact result is
// normal (below it the fast tier returns +0).
void check_double(const std::vector<double>& xs, const char* what) {
  std::vector<double> faithful(xs.size()), fast(xs.size());
  logistic::sigmoid(xs.data(), faithful.data(), xs.size());
  logistic::fast::sigmoid(xs.data(), fast.data(), xs.size());
  logistic_test::mpfr_sigmoid ref;
  worst wf, wq;
  std::size_t bad = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (std::isnan(xs[i])) continue;
    ref.compute(xs[i]);
    const double uf = ref.ulp_error(faithful[i]);
    if (uf > wf.ulp) wf = {uf, xs[i]};
    if (!(uf < 1.0) && bad++ < 10) {
      std::printf("faithful: x = %a -> %a, exact %a, %.3f ULP\n", xs[i], faithful[i], ref.value(), uf);
    }
    if (std::fabs(ref.value()) >= std::numeric_limits<double>::min()) {
      const double uq = ref.ulp_error(fast[i]);
      if (uq > wq.ulp) wq = {uq, xs[i]};
      if (!(uq <= 4.0) && bad++ < 10) {
        std::printf("fast: x = %a -> %a, exact %a, %.3f ULP\n", xs[i], fast[i], ref.value(), uq);
      }
    } else if (fast[i] != 0.0) {
      ++bad;
    }
  }
  std::printf("double sigmoid, %s (%zu inputs, %s): faithful max %.4f ULP at x = %a; fast max %.4f ULP at x = %a\n",
              what, xs.size(), xsimd::default_arch::name(), wf.ulp, wf.x, wq.ulp, wq.x);
  CHECK(bad == 0);
  CHECK(wf.ulp < 1.0);
  CHECK(wq.ulp <= 4.0);
}

// Random doubles of both signs spread evenly over all binades (and the
// subnormals) up to |x| = 2^10, where sigma is already 0 or 1.
std::vector<double> random_over_binades(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> binade(-1075, 10);
  std::uniform_int_distribution<std::uint64_t> mantissa(0, (std::uint64_t(1) << 52) - 1);
  std::vector<double> xs(n);
  for (auto& x : xs) {
    const int b = binade(rng);
    std::uint64_t bits;
    if (b < -1022) {
      bits = mantissa(rng) >> (-1022 - b);  // subnormal
    } else {
      bits = (std::uint64_t(b + 1023) << 52) | mantissa(rng);
    }
    if (rng() & 1) bits |= std::uint64_t(1) << 63;
    std::memcpy(&x, &bits, sizeof x);
  }
  return xs;
}

// Dense sweeps around every threshold of the kernels and of the function.
std::vector<double> edge_sweeps() {
  std::vector<double> xs;
  const double centers[] = {0.0,    0.5,    1.0,    2.0,       16.0,     36.7,    37.5,
                            70.0,   670.0,  708.396, 708.3964185322641,   709.78, 744.44,
                            745.13, 745.2,  746.0,  1e3,       1e300};
  for (double c : centers) {
    for (double sign : {1.0, -1.0}) {
      double x = sign * c;
      for (int k = 0; k < 2000; ++k) x = std::nextafter(x, -HUGE_VAL);
      for (int k = 0; k < 4000; ++k) {
        xs.push_back(x);
        x = std::nextafter(x, HUGE_VAL);
      }
      // and a coarser sweep of +-1 around the center
      for (int k = -1000; k <= 1000; ++k) xs.push_back(sign * c + k * 1e-3);
    }
  }
  const double specials[] = {std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::infinity()};
  for (double s : specials) {
    xs.push_back(s);
    xs.push_back(-s);
  }
  return xs;
}

}  // namespace

TEST_CASE("double sigmoid is faithful at the edges (MPFR)", "[double]") {
  check_double(edge_sweeps(), "edge sweeps");
}

TEST_CASE("double sigmoid is faithful on 10^5 random inputs over all binades (MPFR)", "[double]") {
  check_double(random_over_binades(100000, 1), "random");
}

TEST_CASE("double sigmoid is faithful on 10^7 random inputs over all binades (MPFR)",
          "[double][exhaustive]") {
  check_double(random_over_binades(10000000, 2), "random 10^7");
}

TEST_CASE("the double reference for float results agrees with MPFR", "[reference]") {
  // Every 4099th float bit pattern: the double reference must be within a
  // tiny fraction of a float ULP, so that measured float errors are real.
  logistic_test::mpfr_sigmoid ref;
  double worst_ulp = 0;
  for (std::uint64_t b = 0; b < (std::uint64_t(1) << 32); b += 4099) {
    const float x = logistic_test::float_from_bits(static_cast<std::uint32_t>(b));
    if (std::isnan(x)) continue;
    ref.compute(static_cast<double>(x));
    const double d = logistic_test::sigmoid_reference(x);
    // error of the double reference, in float ULPs of the exact value
    const double u = ref.ulp_error(d) * std::ldexp(1.0, -29);  // double ULP = 2^-29 float ULP
    if (u > worst_ulp) worst_ulp = u;
  }
  std::printf("double reference for float sigmoid: max error %.3g float ULP\n", worst_ulp);
  CHECK(worst_ulp < 1e-6);
}
