// Internal: the shared exponential core, e^-z for z >= 0, returned unrounded as
//
//     e^-z = E * (1 + Q),   E = 2^(scale - k) * T_hi[j] exactly,   |Q| < 0.023,
//
// so that callers can carry the rounding error of e^-z into their own
// compensated steps (sigmoid, log-sigmoid, softplus, SiLU, BCE all start here).
//
// Method. n = round(z * N / ln2), n = N*k + j; r = z - n * ln2/N (Cody-Waite,
// two constants) lies in [-ln2/(2N), ln2/(2N)]; then
//     e^-z = 2^-k * 2^(-j/N) * e^-r,   2^(-j/N) = T_hi[j] * (1 + tau[j]),
//     e^-r = 1 + q(r),   q(r) = -r + r^2 * P(r),
// and Q = q + tau[j] (the product q * tau, below 2^-29, is dropped). Float with a
// fused multiply-add evaluates Q as r (r P(r) - 1) + tau[j]: one rounding
// of r P - 1 (within 2^-25 of it, so within 2^-25 |r| <= 2^-29.5 of r's
// coefficient after the product), then one of Q, and no separate r^2 or
// addition of tau. Float only: double keeps r^2 P - r + tau, with which its
// soft-label BCE gradient (it cancels up to 16-fold) measures 1.55 ULP against
// 1.80 with the short form (bound 2), and double's speed is not the point.
//
// Constants. The tables and reduction constants are printed by
// tools/gen_exp_tables.py (200-bit arithmetic, rounded to nearest); the
// polynomials are fpminimax fits by tools/fit_exp_poly.sollya of e^-r - 1 + r
// on the monomials r^2..r^d over |r| <= 1.001 * ln2/(2N), with these absolute
// errors (= relative error of 1 + q):
//     float,  N = 16, d = 3:  2^-29.2
//     float,  N = 8,  d = 4:  2^-31.5
//     double, N = 8,  d = 7:  2^-58.3
// The reduction error is below 2^-30 (float) and 2^-59 (double) in r, so Q is
// within about 2^-28 (float) and 2^-57 (double) of the exact e^-z / E - 1.
//
// N is what one register permutation can read: 16 floats on AVX-512, else 8.
// Float on AVX-512 spells the same method in fewer instructions
// (exp_neg_avx512): the same E, and Q from the same polynomial.
//
// Range. E must stay a normal number: 2^(scale - k) >= 2^-125 (float) or
// 2^-1021 (double), i.e. z <= (126 + scale) * ln2 (float) / (1022 + scale) * ln2
// (double). Callers clamp z and choose scale accordingly. A negative z works
// the same way as long as E stays finite (fast SiLU uses z = x, |x| <= 64).
#ifndef LOGISTIC_DETAIL_EXP_CORE_HPP
#define LOGISTIC_DETAIL_EXP_CORE_HPP

#include <cstddef>
#include <cstdint>

#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T, std::size_t N>
struct exp_constants;

// AVX-512 (see exp_neg_avx512 below): the reduction works on m = -n/16,
// so its constants are ln2 itself; the table holds 2^(j/16) in [1, 2).
template <>
struct exp_constants<float, 16> {
  static constexpr float shifter = 0x1.8p23f;  // adding it rounds to an integer
  static constexpr float minus_inv_ln2 = -0x1.715476p+0f;
  static constexpr float m_shifter = 0x1.8p19f;  // adding it rounds to a multiple of 1/16
  static constexpr float ln2_hi = 0x1.62e43p-1f, ln2_lo = -0x1.05c61p-29f;
  static constexpr std::size_t degree = 3;
  static constexpr float poly[degree - 1] = {0x1.00022p-1f, -0x1.555764p-3f};  // c2, c3
  alignas(64) static constexpr float up[16] = {
      0x1.000000p+0f, 0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f,
      0x1.306fe0p+0f, 0x1.3dea64p+0f, 0x1.4bfdaep+0f, 0x1.5ab07ep+0f,
      0x1.6a09e6p+0f, 0x1.7a1148p+0f, 0x1.8ace54p+0f, 0x1.9c4918p+0f,
      0x1.ae89fap+0f, 0x1.c199bep+0f, 0x1.d5818ep+0f, 0x1.ea4afap+0f};
  alignas(64) static constexpr float tau_up[16] = {
      0x0.0p+0f,         0x1.8d96d4p-25f,  -0x1.9c0c22p-27f, 0x1.964904p-25f,
      0x1.125002p-25f,   0x1.370be4p-25f,  -0x1.0a355p-25f,  -0x1.00d8acp-27f,
      0x1.26055cp-26f,   -0x1.05cb44p-25f, 0x1.67a1cap-28f,  0x1.a3b5e4p-28f,
      -0x1.f9c304p-27f,  -0x1.6961b4p-28f, -0x1.a5217cp-28f, 0x1.61428ep-28f};
};

template <>
struct exp_constants<float, 8> {
  static constexpr float n_over_ln2 = 0x1.715476p+3f;
  static constexpr float shifter = 0x1.8p23f;
  static constexpr float ln2_hi_fused = 0x1.62e43p-4f, ln2_lo_fused = -0x1.05c61p-32f;
  static constexpr float ln2_hi_split = 0x1.62ep-4f, ln2_lo_split = 0x1.0bfbe8p-18f;
  static constexpr std::size_t degree = 4;
  static constexpr float poly[degree - 1] = {0x1.00000ep-1f, -0x1.555c7ap-3f, 0x1.5343p-5f};
  alignas(32) static constexpr std::int32_t entries[8] = {
      0x3F800000, 0x3F7AC0C7, 0x3F7744FD, 0x3F75672A,
      0x3F7504F3, 0x3F75FED7, 0x3F7837F0, 0x3F7B95C2};
  alignas(32) static constexpr float tau[8] = {
      0x0.0p+0f,         -0x1.a5217cp-28f, -0x1.f9c304p-27f, 0x1.67a1cap-28f,
      0x1.26055cp-26f,   -0x1.0a355p-25f,  0x1.125002p-25f,  -0x1.9c0c22p-27f};
};

template <>
struct exp_constants<double, 8> {
  static constexpr double n_over_ln2 = 0x1.71547652b82fep+3;
  static constexpr double shifter = 0x1.8p52;
  static constexpr double ln2_hi_fused = 0x1.62e42fefa39efp-4, ln2_lo_fused = 0x1.abc9e3b39803fp-59;
  static constexpr double ln2_hi_split = 0x1.62e42fefa4000p-4, ln2_lo_split = -0x1.8432a1b0e2634p-46;
  static constexpr std::size_t degree = 7;
  static constexpr double poly[degree - 1] = {
      0x1.000000000011p-1,  -0x1.5555555555662p-3, 0x1.55555547ec8b1p-5,
      -0x1.11111107c5f2dp-7, 0x1.6c1cc402539a9p-10, -0x1.a0207b8cae3ddp-13};
  alignas(64) static constexpr std::int64_t entries[8] = {
      0x3FF0000000000000, 0x3FEF5818DCFBA487, 0x3FEEE89F995AD3AD, 0x3FEEACE5422AA0DB,
      0x3FEEA09E667F3BCD, 0x3FEEBFDAD5362A27, 0x3FEF06FE0A31B715, 0x3FEF72B83C7D517B};
  alignas(64) static constexpr double tau[8] = {
      0x0.0p+0,              0x1.4a385a63d07a7p-56,  0x1.c1a7792cb3387p-55,
      0x1.db72fc1f0eab4p-55, -0x1.3b3efbf5e2228p-54, 0x1.690cebb7aafb0p-56,
      0x1.34d754db0abb6p-55, -0x1.01b15eaa59348p-55};
};

template <class T, class A>
struct exp_parts {
  batch<T, A> E;  // 2^(scale - k) * T_hi[j], exact
  batch<T, A> Q;  // e^-z = E * (1 + Q)
};

// P(r) = c2 + c3 r + ... by Horner.
template <class T, class A, std::size_t M>
LOGISTIC_INLINE batch<T, A> horner(batch<T, A> r, const T (&c)[M]) noexcept {
  batch<T, A> p(c[M - 1]);
  for (std::size_t i = M - 1; i-- > 0;) {
    p = mul_add(p, r, batch<T, A>(c[i]));
  }
  return p;
}

// Shared first half: r (reduced argument) and the integer bits of n.
template <class T, class A>
struct exp_reduction {
  batch<T, A> r;
  int_batch<T, A> n_bits;  // bits of n + shifter: n sits in the low bits
};

template <class T, class A>
LOGISTIC_INLINE exp_reduction<T, A> exp_reduce(batch<T, A> z) noexcept {
  using C = exp_constants<T, table_size<T, A>::value>;
  const batch<T, A> shifter(C::shifter);
  const batch<T, A> n_shifted = mul_add(z, batch<T, A>(C::n_over_ln2), shifter);
  const batch<T, A> n = n_shifted - shifter;
  batch<T, A> r;
  if constexpr (has_fused_fma<A>::value) {
    r = neg_mul_add(n, batch<T, A>(C::ln2_hi_fused), z);  // exact
    r = neg_mul_add(n, batch<T, A>(C::ln2_lo_fused), r);
  } else {
    r = z - n * batch<T, A>(C::ln2_hi_split);  // n * hi exact, then Sterbenz
    r = r - n * batch<T, A>(C::ln2_lo_split);
  }
  return {r, to_bits(n_shifted)};
}

// 2^(scale - k) * T_hi[j] from the bits of n + shifter: the table entries carry
// bits(T_hi[j]) + (j << shift), so subtracting (bits << shift) removes j and
// subtracts k from the exponent; the shifter's own bits shift out entirely.
template <int Scale, class T, class A>
LOGISTIC_INLINE batch<T, A> exp_scale(int_batch<T, A> n_bits) noexcept {
  using C = exp_constants<T, table_size<T, A>::value>;
  using I = typename bits_of<T>::type;
  constexpr int table_bits = table_size<T, A>::value == 16 ? 4 : 3;
  constexpr int shift = bits_of<T>::mantissa - table_bits;
  const int_batch<T, A> entry = lookup<I, T, A>(C::entries, n_bits);
  int_batch<T, A> e_bits = entry - shift_left<shift, T, A>(n_bits);
  if constexpr (Scale != 0) {
    e_bits = e_bits + int_batch<T, A>(static_cast<I>(I(Scale) << bits_of<T>::mantissa));
  }
  return from_bits<T, A>(e_bits);
}

// e^-r - 1 on the reduced argument.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> expm1_neg_reduced(batch<T, A> r) noexcept {
  using C = exp_constants<T, table_size<T, A>::value>;
  return mul_sub(r * r, horner<T, A>(r, C::poly), r);
}

#if defined(__AVX512F__)
// Float on AVX-512, the same E and Q in three instructions fewer (each one
// counts: this core is most of every kernel's work). Rounding z/ln2 to a
// multiple of 1/16 gives m = -n/16 itself (the shifter's ULP is 1/16), so
// r = z + m ln2 needs no n; the low four bits of m + shifter are
// j' = (-n) mod 16, and scalef multiplies up[j'] = RN(2^(j'/16)) by
// 2^floor(m) exactly: E = 2^floor(m) up[j'] = 2^-k T_hi[j] (RN commutes with
// powers of two). Q = RN(r RN(r p1 - 1) + tau), p1 = RN(c3 r + c2), as on
// the other fused paths: three multiply-adds, and Q stays within about 2^-28
// of e^-z / E - 1.
template <int Scale, bool WithTableLow, class A>
LOGISTIC_INLINE exp_parts<float, A> exp_neg_avx512(batch<float, A> z) noexcept {
  using B = batch<float, A>;
  using C = exp_constants<float, 16>;
  const B m_shifted = mul_add(z, B(C::minus_inv_ln2), B(C::m_shifter));
  const B m = m_shifted - B(C::m_shifter);
  const B r = mul_add(m, B(C::ln2_lo), mul_add(m, B(C::ln2_hi), z));  // exact, then 2^-30
  const __m512i j = _mm512_castps_si512(m_shifted);
  const B p1 = mul_add(B(C::poly[1]), r, B(C::poly[0]));
  B Q;
  if constexpr (WithTableLow) {
    Q = mul_add(r, mul_sub(r, p1, B(1.0f)), lookup<float, float, A>(C::tau_up, int_batch<float, A>(j)));
  } else {
    Q = mul_sub(r * r, p1, r);
  }
  const B scale = Scale == 0 ? m : m + B(float(Scale));  // exact: m is a multiple of 1/16
  // Zero-masked with a full mask: see clamp_above.
  const B E = _mm512_maskz_scalef_ps(0xFFFF, lookup<float, float, A>(C::up, int_batch<float, A>(j)), scale);
  return {E, Q};
}
#endif

// e^-z = E * (1 + Q), E scaled by 2^Scale, on the table-and-shift path.
template <int Scale, bool WithTableLow, class T, class A>
LOGISTIC_INLINE exp_parts<T, A> exp_neg_generic(batch<T, A> z) noexcept {
  using C = exp_constants<T, table_size<T, A>::value>;
  using B = batch<T, A>;
  const exp_reduction<T, A> red = exp_reduce(z);
  const B E = exp_scale<Scale, T, A>(red.n_bits);
  if constexpr (!WithTableLow) {
    return {E, expm1_neg_reduced(red.r)};
  } else if constexpr (has_fused_fma<A>::value && sizeof(T) == 4) {
    const B r_p_minus_1 = mul_sub(red.r, horner<T, A>(red.r, C::poly), B(T(1)));
    return {E, mul_add(red.r, r_p_minus_1, lookup<T, T, A>(C::tau, red.n_bits))};
  } else {
    return {E, expm1_neg_reduced(red.r) + lookup<T, T, A>(C::tau, red.n_bits)};
  }
}

template <int Scale, bool WithTableLow, class T, class A>
LOGISTIC_INLINE exp_parts<T, A> exp_neg_parts(batch<T, A> z) noexcept {
#if defined(__AVX512F__)
  if constexpr (is_avx512_float<T, A>::value) {
    return exp_neg_avx512<Scale, WithTableLow, A>(z);
  } else
#endif
  {
    return exp_neg_generic<Scale, WithTableLow, T, A>(z);
  }
}

// e^-z = E * (1 + Q) with E scaled by 2^Scale; z >= 0 or NaN.
template <int Scale, class T, class A>
LOGISTIC_INLINE exp_parts<T, A> exp_neg(batch<T, A> z) noexcept {
  return exp_neg_parts<Scale, true, T, A>(z);
}

// e^-z = E * (1 + q) without the table's low part: for the fast tier, where
// the dropped 2^-25 relative error is within budget.
template <class T, class A>
LOGISTIC_INLINE exp_parts<T, A> exp_neg_fast(batch<T, A> z) noexcept {
  return exp_neg_parts<0, false, T, A>(z);
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
