// Internal: the SiLU kernels, silu(x) = x sigma(x) and
// silu_grad(x) = sigma(x) (1 + x sigma(-x)), faithful and fast tiers.
//
// Both use e = e^-|x| = E (1 + Q) and the compensated reciprocal
// 1/(1 + e) = y0 (1 + rho) of the faithful sigmoid (sigmoid_reciprocal; an
// estimate with |rho| < 2^-14 for float on AVX-512, else a division);
// silu_grad forms rho's term E Q y0 from RN(E y0), which it needs anyway.
//
// silu, faithful. sigma(x) = num y0 + y0 (num u) as in sigmoid_main (num = 1,
// num u = rho for x >= 0; num = E, num u = E ((1 + Q)(1 + rho) - 1) for
// x < 0); then with w = RN(x num) (exact for x >= 0)
//     silu = RN(w y0 + z y0 (sign(x) num u)),
// sigmoid's operations plus one multiplication (w replaces num, a masked
// multiplication instead of a blend). The rounding of w (x < 0) adds up to
// 1 ULP to sigmoid's 0.6: below 2 ULP.
// Rare lanes (out of line):
//   - x > z_main: silu = x (x sigma(x) = x (1 - e) and e < 2^-57);
//   - x < -z_main: silu = -(|x| e) (1 - e) = -RN(|x| e) to 2^-56, formed in
//     sigmoid's scaled domain (scaled_exp_product), so subnormal results are
//     exact to 1 ULP and FTZ/DAZ-independent; |x| is clamped at silu_zero,
//     from where the result rounds to -0 (so silu(-inf) = -0: the limit from
//     below, and the sign every negative x gives; +0 would break the sign
//     pattern and 0 * inf = NaN is no limit);
//   - |x| < tiny: silu = x/2 + x^2/4, i.e. x/2 rounded with the tie broken by
//     the sign of x (a tie only arises for subnormal x/2): done on the
//     encoding, so that subnormal inputs and results never meet FTZ/DAZ.
//
// silu_grad, faithful. With m = 1 + x sigma(-x), sigma(x) = num y0 (1 + u_a)
// and x sigma(-x) = h (1 + u_b), where h = x y0 for x < 0 (x exact) and
// h = z RN(E y0) for x >= 0 (there x sigma(-x) <= 0.28, so that rounding moves
// m by at most 0.22 of it): m_hi = RN(1 + h) by one fused operation, and with
// v = (1 + u_a)(1 + u_b) - 1 (the same for both signs) and g = num y0 exactly
// (g_hi + g_lo),
//     silu_grad = RN(g_hi m_hi + [g_hi (u_a + h v) + g_lo m_hi]),
// since (1 + u_a) m - m_hi = u_a (m_hi - h) + h v and m_hi - h = 1 + O(2^-24 m).
// The rounding of m_hi is not carried (up to 0.8 ULP of the result where m is
// near 1.3 and the result just below 1), which keeps the bound below 1.5 ULP.
// Near its zero x0 = -1.27846 the cancellation in 1 + x sigma(-x) happens
// inside the fused m_hi, so the error there is that of a tiny m_hi plus the
// absolute error of v (the core's 2^-28.5, rho's) times |h| ~ 1: the
// result's absolute error near x0 is below 2^-26 (measured bound in the public
// contract), and where the relative condition number |x f'(x) / f(x)| is below
// 4 (outside (-1.5836, -0.9893)) the result is within 1.5 ULP. Without a fused
// multiply-add, h is formed exactly (Dekker) and m = 1 + h by Fast2Sum.
// Rare lanes: x > z_main gives 1; x < -z_main gives
// sigma(x)(1 + x sigma(-x)) = -(z - 1) e (1 + O(z e)) = -RN((z - 1) e), by
// scaled_exp_product as for silu (silu_grad(-inf) = -0, for the same reasons).
//
// Fast tiers: e = e^-z rounded once (see exp_neg_rounded), then
//     silu = x / (1 + e^-x)   (the core on the signed x; on AVX-512 fast
//            sigmoid's 4 e^-x, with 1 + e^-x = RN(4 e^-x / 4 + 1)),
//     silu_grad = num (1 + x nb + e) / (1 + e)^2,
// with 1 + x nb rounded once (exact for x <= -1/2, so the cancellation near
// x0 costs little), the numerator and (1 + e)^2 each rounded about once.
// Beyond |x| = fast_main (64, 600) they use the faithful scaled tails, so they
// flush nothing except as the caller's FTZ/DAZ does in the main path
// (subnormal x for silu).
#ifndef LOGISTIC_DETAIL_SILU_KERNELS_HPP
#define LOGISTIC_DETAIL_SILU_KERNELS_HPP

#include <type_traits>

#include "exp_core.hpp"
#include "grad_kernels.hpp"
#include "sigmoid_kernels.hpp"
#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T>
struct silu_limits;

template <>
struct silu_limits<float> {
  // Below: silu(x) = RN(x/2 + x^2/4) on the encoding. Above it every
  // correction term of the main path is normal (>= 2^-122).
  static constexpr float tiny = 0x1p-60f;
  // z e^-z < 2^-151 from here on: silu and silu_grad round to -0. The scaled
  // e^-z (2^64 e^-110 = 2^-94.7) is still normal.
  static constexpr float zero = 110.0f;
  // The fast forms' main path: up to here E >= 2^-93, so an unfused E Q is
  // normal unless |Q| < 2^-33, where dropping it is harmless; beyond, the
  // faithful scaled tails (silu = x, silu_grad = 1 for x > fast_main).
  static constexpr float fast_main = 64.0f;
};

template <>
struct silu_limits<double> {
  static constexpr double tiny = 0x1p-500;
  static constexpr double zero = 760.0;  // z e^-z < 2^-1087; 2^128 e^-760 normal
  static constexpr double fast_main = 600.0;  // E >= 2^-866
};

template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> silu_fast_rare(batch<T, A> x) noexcept {
  return abs_above(x, silu_limits<T>::fast_main);
}

// -v by flipping the sign bit: xsimd's negation subtracts from 0, which DAZ
// and FTZ turn into +-0 for a subnormal v.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> negate_bits(batch<T, A> v) noexcept {
  return v ^ batch<T, A>(T(-0.0));
}

// ---------------------------------------------------------------------------
// silu
// ---------------------------------------------------------------------------

template <class T, class A>
LOGISTIC_INLINE batch<T, A> silu_main(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const exp_parts<T, A> e = exp_neg<0>(z);
  // Where NaN can reach this path inline (not on AVX-512, where it is rare and
  // always computed by the one out-of-line silu_wide), it has no sign, so
  // w = z and every NaN in flight is the same one (|x|): the result's NaN does
  // not depend on how the compiler orders the operands of commutative
  // instructions. (+-0 is rare.)
  const auto negative = sign_set(x);
  if constexpr (reciprocal_is_estimate<T, A>::value) {
    // Masked instructions: x (num u) = z (sign(x) num u), num u as in sigmoid_main.
    // z y0 first: it need not wait for rho, so that after rho the chain is as
    // long as sigmoid's (1-3 % less time than z (y0 (sign(x) num u)) in
    // same-process runs, within this machine's noise).
    const sigmoid_parts<T, A> s = sigmoid_reciprocal(e);
    const B w = mul_where_else(negative, x, e.E, z);
    const B signed_num_u = negated_mul_add_where(negative, s.rho, s.e_hi, s.EQ);
    return mul_add_corrected(w, s.y0, (z * s.y0) * signed_num_u);
  } else {
    // After a division rho Q < 2^-29 is dropped: u = rho (+ Q for x < 0).
    const reciprocal_parts<T, A> r = reciprocal_one_plus(e);
    const B w = xsimd::select(negative, x * e.E, z);
    return mul_add_corrected(w, r.y0, (w * r.y0) * add_where(negative, r.rho, e.Q));
  }
}

// x/2 + x^2/4 for |x| < tiny, on the encoding: for |x| >= 2^(emin+1) the
// exponent drops by one (exact); below, |x| = b 2^(emin - p) with b its
// encoding, and the half is b/2 in the same units, a tie rounded up for x > 0
// (x^2/4 > 0 adds to |x|/2) and down for x < 0 (it subtracts).
template <class T, class A>
LOGISTIC_INLINE batch<T, A> silu_tiny(batch<T, A> x) noexcept {
  using I = typename bits_of<T>::type;
  using IB = int_batch<T, A>;
  constexpr int p = bits_of<T>::mantissa;
  const IB bits = to_bits(x);
  const IB magnitude = to_bits(xsimd::abs(x));
  const IB sign = bits ^ magnitude;
  const IB up = xsimd::select(sign == IB(I(0)), IB(I(1)), IB(I(0)));
  const IB half_small = (magnitude + up) >> 1;
  const IB half_normal = magnitude - IB(static_cast<I>(I(1) << p));
  const auto small = magnitude < IB(static_cast<I>(I(2) << p));
  return from_bits<T, A>(xsimd::select(small, half_small, half_normal) | sign);
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> silu_rare(batch<T, A> x) noexcept {
  return abs_outside(x, silu_limits<T>::tiny, sigmoid_limits<T>::z_main);
}

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> silu_wide(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const B z_main(sigmoid_limits<T>::z_main);
  const B main = silu_main(x, clamp_above(z, sigmoid_limits<T>::z_main));
  const B zc = clamp_above(z, silu_limits<T>::zero);
  const B tail = negate_bits(scaled_exp_product(zc, zc));
  B r = xsimd::select(x > z_main, x, main);
  r = xsimd::select(x < -z_main, tail, r);
  return xsimd::select(z < B(silu_limits<T>::tiny), silu_tiny(x), r);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> silu_faithful(batch<T, A> x) noexcept {
  const batch<T, A> z = xsimd::abs(x);
  if (xsimd::any(silu_rare(x))) return silu_wide(x, z);
  return silu_main(x, z);
}

// ---------------------------------------------------------------------------
// silu_grad
// ---------------------------------------------------------------------------

template <class T, class A>
LOGISTIC_INLINE batch<T, A> silu_grad_main(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const B one(T(1));
  const exp_parts<T, A> e = exp_neg<0>(z);
  // 1/(1 + e) = y0 (1 + rho) as in sigmoid_reciprocal, except that rho's term
  // E Q y0 is G Q with G = RN(E y0), which is needed below anyway (E Q is never
  // formed): G's rounding moves rho by at most 2^-24 G |Q| < 2^-30, below
  // rho's own error (2^-29).
  const B y0 = reciprocal_estimate(one + mul_add(e.E, e.Q, e.E));
  const B G = e.E * y0;
  const B rho = neg_mul_add(G, e.Q, residual(e.E, y0, one - y0));
  const auto negative = sign_set(x);  // -0 gives 1/2 through either branch
  // sigma(x) = num y0 (1 + u_a), x sigma(-x) = h (1 + u_b) (h below): u is rho, or
  // (1 + Q)(1 + rho) - 1 for the sigma whose numerator is E (rho Q kept: rho
  // may be 2^-14). Only u_a and the symmetric
  //     v = (1 + u_a)(1 + u_b) - 1 = (1 + rho)^2 (1 + Q) - 1   (rho^2 dropped)
  // are needed below.
  const B one_q = one + e.Q;
  const B u_a = mul_add_where(negative, rho, one_q, e.Q);
  const B v = mul_add(rho, one_q + one_q, e.Q);  // 2 (1 + Q) is ready before rho
  // G = RN(E y0) ~ sigma(-|x|). x sigma(-x) = h (1 + u_b) with h = x y0 for
  // x < 0 (x exact) and h = z G for x >= 0 (G's rounding moves m = 1 + h (1 +
  // u_b) by at most 0.22 of it there, since h <= 0.28). The input is z for
  // x >= 0 and NaN (on AVX-512 NaN is rare and the input may be x itself).
  const B x_in = is_avx512_float<T, A>::value ? x : xsimd::select(negative, x, z);
  const B y_in = xsimd::select(negative, y0, G);
  // m_hi = RN(1 + h) by one fused step (near x0 the rounding is that of a tiny
  // m, so its absolute error stays tiny), and then
  //     (1 + u_a) m - m_hi = u_a (m_hi - h) + h v = u_a + h v
  // to within u_a times m_hi's rounding error, where h v may take m_hi - 1
  // for h (exact, or off by 2^-24 of m_hi, times v <= 2^-4).
  B m_hi, m_rest;
  if constexpr (has_fused_fma<A>::value) {
    m_hi = mul_add(x_in, y_in, one);
    m_rest = mul_add(m_hi - one, v, u_a);
  } else {
    const product<T, A> h = two_prod(x_in, y_in);
    m_hi = one + h.hi;  // exact for h <= -1/2, else Fast2Sum below
    m_rest = mul_add(h.hi, v, u_a) + (((one - m_hi) + h.hi) + h.lo);
  }
  // g = num y0 exactly: y0 itself for x >= 0, G + RN(E y0 - G) for x < 0.
  product<T, A> g;
  g.hi = xsimd::select(negative, G, y0);
  if constexpr (has_fused_fma<A>::value) {
    g.lo = mul_sub_where_else_zero(negative, e.E, y0, G);
  } else {
    g.lo = xsimd::select(negative, two_prod(e.E, y0).lo, B(T(0)));
  }
  // NaN: several NaNs are in flight here (the cores' tables see its bits), so
  // on NEON the result is made z + z (see nan_as_quiet_input).
  return nan_as_quiet_input(z, mul_add_corrected(g.hi, m_hi, mul_add(g.hi, m_rest, g.lo * m_hi)));
}

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> silu_grad_wide(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const B one(T(1));
  const B z_main(sigmoid_limits<T>::z_main);
  const B main = silu_grad_main(x, clamp_above(z, sigmoid_limits<T>::z_main));
  const B zc = clamp_above(z, silu_limits<T>::zero);
  const B tail = negate_bits(scaled_exp_product(zc - one, zc));
  const B r = xsimd::select(x > z_main, one, main);
  return xsimd::select(x < -z_main, tail, r);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> silu_grad_faithful(batch<T, A> x) noexcept {
  const batch<T, A> z = xsimd::abs(x);
  if (xsimd::any(sigmoid_rare(x))) return silu_grad_wide(x, z);
  return silu_grad_main(x, z);
}

// ---------------------------------------------------------------------------
// Fast tiers
// ---------------------------------------------------------------------------

// e = e^-z rounded once: RN(E (1 + Q)) with the table's low part when
// WithTableLow (fast silu_grad everywhere, fast silu without a fused
// multiply-add: without it they reach 4.3 and 3.9 ULP), else RN(E (1 + q)) as
// in sigmoid_fast_main (fast silu with a fused multiply-add outside AVX-512:
// 2.6 ULP on AVX2). z may be negative down to -fast_main (fast silu).
template <bool WithTableLow, class T, class A>
LOGISTIC_INLINE batch<T, A> exp_neg_rounded(batch<T, A> z) noexcept {
  const exp_parts<T, A> p = WithTableLow ? exp_neg<0>(z) : exp_neg_fast(z);
  // Unfused, E + E Q rounds once where E (1 + Q) would round twice (4.2 ULP for
  // fast silu_grad on SSE2); E Q stays normal or negligible because the fast
  // SiLU forms keep z <= fast_main (see silu_limits).
  return mul_add(p.E, p.Q, p.E);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> silu_fast_main(batch<T, A> x) noexcept {
  // x / (1 + e^-x) with e^-x of the signed x (|x| <= fast_main, so e^-x is
  // finite and E normal), no branch on the sign. For NaN x the dividend is x
  // itself, and a division keeps its dividend's NaN.
  using B = batch<T, A>;
#if defined(__AVX512F__)
  if constexpr (sigmoid_fast_uses_scalef<T, A>::value) {
    // Fast sigmoid's 4 e^-x, with 1 + e^-x = RN(e4/4 + 1): its operations.
    return divide(x, mul_add(B(0.25f), exp4_neg_avx512(x), B(1.0f)));
  } else
#endif
  {
    return divide(x, B(T(1)) + exp_neg_rounded<!has_fused_fma<A>::value>(x));
  }
}

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> silu_fast_wide(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const B limit(silu_limits<T>::fast_main);
  const T lim = silu_limits<T>::fast_main;
  const B main = silu_fast_main(clamp_above(clamp_below(x, -lim), lim));
  const B zc = clamp_above(z, silu_limits<T>::zero);
  const B tail = negate_bits(scaled_exp_product(zc, zc));
  const B r = xsimd::select(x > limit, x, main);
  return xsimd::select(x < -limit, tail, r);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> silu_fast(batch<T, A> x) noexcept {
  const batch<T, A> z = xsimd::abs(x);
  if (xsimd::any(silu_fast_rare(x))) return silu_fast_wide(x, z);
  return silu_fast_main(x);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> silu_grad_fast_main(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const B one(T(1));
  const B e = exp_neg_rounded<true>(z);
  const auto negative = x < B(T(0));
  const B num = xsimd::select(negative, e, one);
  // num (1 + x nb + e) with 1 + x nb rounded once (exact for x <= -1/2). |x|,
  // not x, where nb = e: for NaN x every NaN in flight is then z's, so the
  // result's NaN does not depend on the order the compiler gives operands.
  // On AVX-512 NaN is rare and always takes the one out-of-line
  // silu_grad_fast_wide, whatever the form (as in silu_grad_main).
  const B x_in = is_avx512_float<T, A>::value ? x : xsimd::select(negative, x, z);
  const B m1 = mul_add(x_in, xsimd::select(negative, one, e), one);
  const B numerator = mul_add_corrected(num, m1, num * e);
  const B two(T(2));
  if constexpr (has_fused_fma<A>::value) {
    // (1 + e)^2 = 1 + e (e + 2), as in fast sigmoid_grad: e + 2 rounds by at
    // most 2^-23, which moves the square by at most 2^-25 of it (e / (1 + e)^2
    // <= 1/4). Three instructions fewer than the form below, 0.1-0.2 ULP more.
    return divide(numerator, mul_add(e, e + two, one));
  } else {
    // Unfused, that form rounds e (e + 2) too and reaches 4.06 ULP (SSE2):
    // (1 + e)^2 = d^2 + d (2 d_lo) with d + d_lo = 1 + e exactly: 2 - 2 d is
    // exact (Sterbenz, d in [1, 2]), and so is 2 e + (2 - 2 d) = 2 d_lo.
    const B d = one + e;
    const B d_lo2 = mul_add(e, two, neg_mul_add(d, two, two));
    return divide(numerator, mul_add_corrected(d, d, d * d_lo2));
  }
}

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> silu_grad_fast_wide(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const B one(T(1));
  const B limit(silu_limits<T>::fast_main);
  const B main = silu_grad_fast_main(x, clamp_above(z, silu_limits<T>::fast_main));
  const B zc = clamp_above(z, silu_limits<T>::zero);
  const B tail = negate_bits(scaled_exp_product(zc - one, zc));
  const B r = xsimd::select(x > limit, one, main);
  return xsimd::select(x < -limit, tail, r);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> silu_grad_fast(batch<T, A> x) noexcept {
  const batch<T, A> z = xsimd::abs(x);
  if (xsimd::any(silu_fast_rare(x))) return silu_grad_fast_wide(x, z);
  return silu_grad_fast_main(x, z);
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
