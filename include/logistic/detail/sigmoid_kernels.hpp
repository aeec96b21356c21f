// Internal: the sigmoid kernels of the faithful and fast tiers.
//
// Both write sigma(x) = num / (1 + e) with e = e^-|x| = E (1 + Q) from the
// exponential core, num = 1 for x >= 0 and num = e for x < 0, so no step
// cancels and 1 - sigma is never formed.
//
// Faithful tier. With d = RN(1 + RN(E + RN(E Q))), one or two ULP from 1 + e,
// and y0 = RN(1 / d), the residual
//     rho = 1 - y0 (1 + e) = (1 - y0) - E y0 - (E Q) y0
// comes from exact or fused steps (1 - y0 is exact for y0 in [0.5, 1]); its
// absolute error is below 2^-29. Then 1/(1 + e) = y0 (1 + rho + O(2^-46)) and
//     sigma = num y0 (1 + u),   u = rho (x >= 0),  u = rho + Q (x < 0),
// rounded once by a fused multiply-add: RN(num y0 + (num y0) u). Dropped
// terms: Q rho < 2^-28.5, rho^2 < 2^-46. With the core's 2^-28.5 the error
// before the last rounding stays below 0.1 ULP, so the total is below 0.6 ULP.
// Without a fused multiply-add, the exact steps use Dekker's product.
// Float on AVX-512 takes y0 from the 2^-14 estimate rcp14 instead of a
// division: then |rho| < 2^-14 and for x < 0 the product term Q rho is kept
// (u = (1 + Q)(1 + rho) - 1); the same steps stay exact, as rho is only
// larger, not less precise. Its square, below 2^-28 (1/16 ULP), is dropped:
// one multiply-add less, and the exhaustive maximum stays 0.586 ULP.
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

// 1/d for d in [1, 2]: rounded by a division, or, for float on AVX-512,
// the 2^-14 estimate rcp14 (a division there costs more than the one
// operation that absorbs the estimate's larger residual).
template <class T, class A>
struct reciprocal_is_estimate : is_avx512_float<T, A> {};

template <class T, class A>
LOGISTIC_INLINE batch<T, A> reciprocal_estimate(batch<T, A> d) noexcept {
#if defined(__AVX512F__)
  // Zero-masked with a full mask: see clamp_above.
  if constexpr (reciprocal_is_estimate<T, A>::value) return _mm512_maskz_rcp14_ps(0xFFFF, d);
#endif
  return divide(batch<T, A>(T(1)), d);
}

// 1/(1 + e) = y0 (1 + rho) for e = E (1 + Q), with the two terms of e that
// the callers reuse.
template <class T, class A>
struct sigmoid_parts {
  batch<T, A> y0;
  batch<T, A> rho;
  batch<T, A> EQ;    // E Q
  batch<T, A> e_hi;  // RN(E + E Q)
};

template <class T, class A>
LOGISTIC_INLINE sigmoid_parts<T, A> sigmoid_reciprocal(const exp_parts<T, A>& e) noexcept {
  using B = batch<T, A>;
  const B one(T(1));
  const B EQ = e.E * e.Q;
  const B e_hi = e.E + EQ;
  const B y0 = reciprocal_estimate(one + e_hi);
  return {y0, neg_mul_add(EQ, y0, residual(e.E, y0, one - y0)), EQ, e_hi};
}

// The faithful sigmoid for |x| = z <= z_main (or NaN).
template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_main(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const exp_parts<T, A> e = exp_neg<0>(z);
  const sigmoid_parts<T, A> s = sigmoid_reciprocal(e);
  const auto negative = sign_set(x);  // -0 gives 0.5 through either branch
  const B num = xsimd::select(negative, e.E, B(T(1)));
  // num u, where sigma = num y0 (1 + u): rho for x >= 0; for x < 0,
  // E ((1 + Q)(1 + rho) - 1) = e rho + E Q (e rho Q is kept: rho may be 2^-14).
  const B num_u = mul_add_where(negative, s.rho, s.e_hi, s.EQ);
  return mul_add_corrected(num, s.y0, s.y0 * num_u);
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

// Lanes outside the main path's range (and NaN on AVX-512, which both paths
// return as NaN).
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_rare(batch<T, A> x) noexcept {
  return abs_above(x, sigmoid_limits<T>::z_main);
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
  return divide(xsimd::select(x < B(T(0)), e, B(T(1))), B(T(1)) + e);
}

// Fast tier, float on AVX-512: sigma = 4 / (4 + 4 e^-x) on the signed x, in
// about 13 instructions and without an out-of-line path. With m = -n/32,
// r = x + m ln2 and j = (-n) mod 32 (the low bits of m + shifter),
//     4 e^-x = scalef(T4[j] (1 + q(r)), m) = 2^floor(m) T4[j] (1 + q(r)),
// T4[j] = 4 2^(j/32). The factor 4 makes 4 e^-x overflow to +inf exactly where
// sigma falls below 2^-126, so those results are +0, and every other quotient
// is at least 2^-126: no subnormal result, whatever FTZ says. For large x a
// subnormal or flushed 4 e^-x only ever meets 4 + it = 4. Clamping x to
// +-100 keeps the reduction finite and the limits exact.
struct sigmoid_fast_avx512_constants {
  static constexpr float x_limit = 100.0f;
  static constexpr float minus_inv_ln2 = -0x1.715476p+0f;
  static constexpr float shifter = 0x1.8p18f;  // adding it rounds to a multiple of 1/32
  static constexpr float ln2_hi = 0x1.62e43p-1f, ln2_lo = -0x1.05c61p-29f;
  // tools/fit_exp_poly.sollya: e^-r - 1 ~ c1 r + c2 r^2, |r| <= 1.001 ln2/64, 2^-24.16.
  static constexpr float c1 = -0x1.0000f6p0f, c2 = 0x1.0000a4p-1f;
  // tools/gen_exp_tables.py: 4 * 2^(j/32) rounded to nearest.
  alignas(64) static constexpr float t4[32] = {
      0x1.000000p+2f, 0x1.059b0ep+2f, 0x1.0b5586p+2f, 0x1.11301ep+2f, 0x1.172b84p+2f,
      0x1.1d4874p+2f, 0x1.2387a6p+2f, 0x1.29e9e0p+2f, 0x1.306fe0p+2f, 0x1.371a74p+2f,
      0x1.3dea64p+2f, 0x1.44e086p+2f, 0x1.4bfdaep+2f, 0x1.5342b6p+2f, 0x1.5ab07ep+2f,
      0x1.6247ecp+2f, 0x1.6a09e6p+2f, 0x1.71f75ep+2f, 0x1.7a1148p+2f, 0x1.82589ap+2f,
      0x1.8ace54p+2f, 0x1.93737cp+2f, 0x1.9c4918p+2f, 0x1.a5503cp+2f, 0x1.ae89fap+2f,
      0x1.b7f770p+2f, 0x1.c199bep+2f, 0x1.cb720ep+2f, 0x1.d5818ep+2f, 0x1.dfc974p+2f,
      0x1.ea4afap+2f, 0x1.f50766p+2f};
};

template <class T, class A>
struct sigmoid_fast_uses_scalef : is_avx512_float<T, A> {};

#if defined(__AVX512F__)
// 4 e^-x for x in [-x_limit, x_limit] or NaN.
template <class A>
LOGISTIC_INLINE batch<float, A> exp4_neg_avx512(batch<float, A> xc) noexcept {
  using C = sigmoid_fast_avx512_constants;
  using B = batch<float, A>;
  const B m_shifted = mul_add(xc, B(C::minus_inv_ln2), B(C::shifter));
  const B m = m_shifted - B(C::shifter);
  const B r = mul_add(m, B(C::ln2_lo), mul_add(m, B(C::ln2_hi), xc));
  const B t4 = _mm512_permutex2var_ps(_mm512_load_ps(C::t4), to_bits(m_shifted),
                                      _mm512_load_ps(C::t4 + 16));
  const B q = mul_add(B(C::c2), r, B(C::c1)) * r;
  return _mm512_maskz_scalef_ps(0xFFFF, mul_add(t4, q, t4), m);
}

template <class A>
LOGISTIC_INLINE batch<float, A> sigmoid_fast_avx512(batch<float, A> x) noexcept {
  using C = sigmoid_fast_avx512_constants;
  using B = batch<float, A>;
  // x in [-x_limit, x_limit]; NaN stays NaN (min and max return their second
  // operand when one is NaN). Zero-masked forms: see clamp_above.
  const B xc = _mm512_maskz_max_ps(0xFFFF, B(-C::x_limit), clamp_above(x, C::x_limit));
  return divide(B(4.0f), B(4.0f) + exp4_neg_avx512(xc));
}
#endif

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> sigmoid_fast_wide(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  using L = sigmoid_limits<T>;
  const B sigma = sigmoid_fast_main(x, clamp_above(z, L::z_normal));
  return xsimd::select(x < B(-L::z_normal), B(T(0)), sigma);
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_fast_rare(batch<T, A> x) noexcept {
  return abs_above(x, sigmoid_limits<T>::z_normal);
}

// The fast tier's inline path, and the lanes that need its out-of-line one.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_fast_common(batch<T, A> x) noexcept {
#if defined(__AVX512F__)
  if constexpr (sigmoid_fast_uses_scalef<T, A>::value) return sigmoid_fast_avx512(x);
#endif
  return sigmoid_fast_main(x, xsimd::abs(x));
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_fast_lanes_rare(batch<T, A> x) noexcept {
  if constexpr (sigmoid_fast_uses_scalef<T, A>::value) return xsimd::batch_bool<T, A>(false);
  else return sigmoid_fast_rare(x);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_fast(batch<T, A> x) noexcept {
  if (xsimd::any(sigmoid_fast_lanes_rare(x))) {
    return sigmoid_fast_wide(x, xsimd::abs(x));
  }
  return sigmoid_fast_common(x);
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
