// Internal: the sigmoid kernels of the faithful and fast tiers.
//
// Both write sigma(x) = num / (1 + e) with e = e^-|x| = E (1 + Q) from the
// exponential core, num = 1 for x >= 0 and num = e for x < 0, so no step
// cancels and 1 - sigma is never formed.
//
// Faithful tier. With y0 = RN(1 / RN(1 + e)), the residual
//     rho = 1 - y0 (1 + e) = (1 - y0) - E y0 - (E Q) y0
// comes from exact or fused steps (1 - y0 is exact for y0 in [0.5, 1]); its
// absolute error is below 2^-29. Then 1/(1 + e) = y0 (1 + rho + O(2^-48)) and
//     sigma = num y0 (1 + u),   u = rho (x >= 0),  u = rho + Q (x < 0),
// rounded once by a fused multiply-add: RN(num y0 + (num y0) u). Dropped
// terms: Q rho < 2^-29.5, rho^2 < 2^-48. With the core's 2^-28.5 the error
// before the last rounding stays below 0.1 ULP, so the total is below 0.6 ULP.
// Without a fused multiply-add, the exact steps use Dekker's product.
//
// FTZ/DAZ independence. In the main path (|x| <= 40 for float, 45 for
// double) no intermediate is subnormal: E >= 2^-58 (2^-65), and Q, rho and u
// are either 0 or above 2^-60 (2^-120) in magnitude, being sums and products
// of few numbers on coarse grids; the exhaustive float test checks every
// input under FTZ and DAZ. Wider inputs go out of line: there sigma is 1 for
// x > 0, and for x < 0 it is e (1 - e) = RN(e) to within e < 2^-57 (2^-65)
// relative, computed as e 2^S (S = 64, 128), which is normal, and brought back
// by an exact multiplication, or for a subnormal result by adding 2^(S-126)
// (2^(S-1022)), whose ULP is the scaled subnormal spacing, and subtracting the
// encodings: no instruction produces or reads a subnormal. That is a second
// rounding, so subnormal results are within 0.75 ULP of the exact value.
#ifndef LOGISTIC_DETAIL_SIGMOID_KERNELS_HPP
#define LOGISTIC_DETAIL_SIGMOID_KERNELS_HPP

#include "exp_core.hpp"
#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T>
struct sigmoid_limits;

template <>
struct sigmoid_limits<float> {
  // The main path's range (see the FTZ/DAZ note above).
  static constexpr float z_main = 40.0f;
  // The largest float z with e^-z >= 2^-126: up to it every result is normal.
  static constexpr float z_normal = 0x1.5d589ep+6f;  // 87.33654
  // From here on sigma(-z) < 2^-150 rounds to +0 (150 ln2 = 103.97).
  static constexpr float z_zero = 104.0f;
  static constexpr int scale = 64;
  static constexpr float unscale = 0x1p-64f;
  static constexpr float subnormal_rounder = 0x1p-62f;  // 2^(scale - 126)
};

template <>
struct sigmoid_limits<double> {
  static constexpr double z_main = 45.0;
  static constexpr double z_normal = 0x1.6232bdd7abcd2p+9;  // 708.39642
  static constexpr double z_zero = 745.2;                   // 1075 ln2 = 745.13
  static constexpr int scale = 128;
  static constexpr double unscale = 0x1p-128;
  static constexpr double subnormal_rounder = 0x1p-894;
};

// The faithful sigmoid for |x| = z <= z_main (or NaN).
template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_main(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const exp_parts<T, A> e = exp_neg<0>(z);
  const B one(T(1));
  const B y0 = one / (one + mul_add(e.E, e.Q, e.E));
  const B rho = neg_mul_add(e.E * e.Q, y0, residual(e.E, y0, one - y0));
  const auto negative = x < B(T(0));
  const B num = xsimd::select(negative, e.E, one);
  const B u = add_where(negative, rho, e.Q);
  return mul_add_corrected(num, y0, (num * y0) * u);
}

// RN(2^-S y) for y = 2^S e >= 0, subnormal results included, no subnormal
// ever entering or leaving an arithmetic instruction.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> unscale_exactly(batch<T, A> y) noexcept {
  using B = batch<T, A>;
  using L = sigmoid_limits<T>;
  const B rounder(L::subnormal_rounder);
  const B tiny = from_bits<T, A>(to_bits(y + rounder) - to_bits(rounder));
  return xsimd::select(y < rounder, tiny, y * B(L::unscale));
}

// Batches with some |x| > z_main: x > z_main gives 1 through the main path;
// x < -z_main gives sigma = e (1 - e) = RN(e).
template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> sigmoid_wide(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  using L = sigmoid_limits<T>;
  const B main = sigmoid_main(x, clamp_above(z, L::z_main));
  const exp_parts<T, A> e = exp_neg<L::scale>(clamp_above(z, L::z_zero));
  const B tail = unscale_exactly(mul_add(e.E, e.Q, e.E));
  return xsimd::select(x < B(-L::z_main), tail, main);
}

// Lanes outside the main path's range (NaN is not).
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_rare(batch<T, A> x) noexcept {
  return xsimd::abs(x) > batch<T, A>(sigmoid_limits<T>::z_main);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_faithful(batch<T, A> x) noexcept {
  if (xsimd::any(sigmoid_rare(x))) {
    return sigmoid_wide(x, xsimd::abs(x));
  }
  return sigmoid_main(x, xsimd::abs(x));
}

// Fast tier: e rounded once, one division; about 3 ULP. Results that would
// be subnormal (x < -z_normal) are +0, so no subnormal is ever produced.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_fast_main(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const exp_parts<T, A> p = exp_neg_fast(z);
  // Unfused, E q could be a subnormal product that FTZ would flush while it
  // still counts in E + E q; E (1 + q) rounds 1 + q instead (2^-25).
  B e;
  if constexpr (has_fused_fma<A>::value) {
    e = mul_add(p.E, p.Q, p.E);
  } else {
    e = p.E * (B(T(1)) + p.Q);
  }
  return xsimd::select(x < B(T(0)), e, B(T(1))) / (B(T(1)) + e);
}

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> sigmoid_fast_wide(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  using L = sigmoid_limits<T>;
  const B sigma = sigmoid_fast_main(x, clamp_above(z, L::z_normal));
  return xsimd::select(x < B(-L::z_normal), B(T(0)), sigma);
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_fast_rare(batch<T, A> x) noexcept {
  return xsimd::abs(x) > batch<T, A>(sigmoid_limits<T>::z_normal);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_fast(batch<T, A> x) noexcept {
  if (xsimd::any(sigmoid_fast_rare(x))) {
    return sigmoid_fast_wide(x, xsimd::abs(x));
  }
  return sigmoid_fast_main(x, xsimd::abs(x));
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
