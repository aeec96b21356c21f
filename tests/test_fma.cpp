// The compensated steps of the faithful tier are exact only with a fused
// multiply-add (or, where there is none, with Dekker's exact product). These
// tests fail if a build that has the fused instruction does not reach it, as
// with xsimd 8.1's fma on AVX-512 batches (design §3).
#include <logistic/logistic.hpp>

#include <cmath>
#include <cstdint>
#include <random>

#include "catch.hpp"

namespace {

using A = xsimd::default_arch;
template <class T>
using B = xsimd::batch<T, A>;

template <class T>
T lane0(B<T> b) {
  alignas(A::alignment()) T lanes[B<T>::size];
  b.store_aligned(lanes);
  return lanes[0];
}

// (1 + u)(1 - u) - 1 = -u^2 exactly; with two roundings it is 0.
template <class T>
T fused_probe() {
  const T u = std::numeric_limits<T>::epsilon();
  return lane0(logistic::detail::mul_add(B<T>(T(1) + u), B<T>(T(1) - u), B<T>(T(-1))));
}

}  // namespace

TEST_CASE("builds with an FMA instruction report it and reach it", "[fma]") {
#if defined(__FMA__) || defined(__AVX512F__) || defined(__aarch64__)
  REQUIRE(logistic::detail::has_fused_fma<A>::value);
#endif
  if (logistic::detail::has_fused_fma<A>::value) {
    const float ef = std::numeric_limits<float>::epsilon();
    const double ed = std::numeric_limits<double>::epsilon();
    CHECK(fused_probe<float>() == -ef * ef);
    CHECK(fused_probe<double>() == -ed * ed);
    // mul_sub and neg_mul_add are fused too.
    const float u = ef;
    CHECK(lane0(logistic::detail::mul_sub(B<float>(1 + u), B<float>(1 - u), B<float>(1))) ==
          -u * u);
    CHECK(lane0(logistic::detail::neg_mul_add(B<float>(1 + u), B<float>(1 - u), B<float>(1))) ==
          u * u);
  } else {
    // Without the instruction mul_add is the plain, twice-rounded x*y + z.
    CHECK(fused_probe<float>() == 0.0f);
  }
}

TEST_CASE("two_prod gives the exact product on every architecture (float)", "[fma]") {
  std::mt19937 rng(12345);
  std::uniform_real_distribution<float> mant(1.0f, 2.0f);
  std::uniform_int_distribution<int> ex(-40, 40);
  for (int i = 0; i < 100000; ++i) {
    const float x = std::ldexp(mant(rng), ex(rng)) * (i % 2 ? -1.0f : 1.0f);
    const float y = std::ldexp(mant(rng), ex(rng));
    const auto p = logistic::detail::two_prod(B<float>(x), B<float>(y));
    // A float product has at most 48 significant bits: exact in double.
    const double exact = static_cast<double>(x) * static_cast<double>(y);
    const float hi = lane0(p.hi), lo = lane0(p.lo);
    REQUIRE(static_cast<double>(hi) + static_cast<double>(lo) == exact);
    REQUIRE(hi == static_cast<float>(exact));
  }
}

TEST_CASE("two_prod gives the exact product on every architecture (double)", "[fma]") {
  // (1 + 2^-52)(1 - 2^-52) = 1 - 2^-104.
  const double u = std::numeric_limits<double>::epsilon();
  const auto p = logistic::detail::two_prod(B<double>(1 + u), B<double>(1 - u));
  CHECK(lane0(p.hi) == 1.0);
  CHECK(lane0(p.lo) == -u * u);
#if defined(__SIZEOF_FLOAT128__)
  std::mt19937_64 rng(777);
  std::uniform_real_distribution<double> mant(1.0, 2.0);
  for (int i = 0; i < 100000; ++i) {
    const double x = mant(rng) * 0x1p-20, y = -mant(rng) * 0x1p30;
    const auto q = logistic::detail::two_prod(B<double>(x), B<double>(y));
    // A double product has at most 106 significant bits: exact in binary128.
    const __float128 exact = static_cast<__float128>(x) * static_cast<__float128>(y);
    REQUIRE(static_cast<__float128>(lane0(q.hi)) + static_cast<__float128>(lane0(q.lo)) == exact);
  }
#endif
}
