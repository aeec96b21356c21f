// Internal: log1p(a) for a in [0, 1], given unrounded as a = a_hi + a_lo, and
// returned unrounded as H + L (callers round once). This is the logarithm of
// softplus, log-sigmoid and the BCE loss, where a = e^-|x|; knowing that
// 1 + a lies in [1, 2] saves the general core's exponent (log1p_core.hpp).
//
// Method. Piece j = round(lambda a_hi), lambda = N - 1 + 7/16 (a = 1 gives
// N - 1, so j < N), read from the low bits of RN(lambda a_hi + 1.5 2^p). Its
// centre is c = 1 + j / lambda, invc[j] = RN(1 / c), logc[j] = -log(invc[j]):
//     1 + a = invc^-1 (1 + r),   r = a invc + (invc - 1),
//     log1p(a) = logc[j] + log1p(r),   |r| <= 0.0324 (N = 16), 0.0673 (N = 8).
// a_hi invc = P_hi + P_lo exactly (fused multiply-add, else Dekker), and
// r_hi = P_hi + (invc - 1) is exact: invc - 1 is (invc in (1/2, 1]), and for
// j >= 1 P_hi lies within [1/2, 3/2] of 1 - invc (Sterbenz), so
//     r_hi + r_lo = r,   r_lo = P_lo + a_lo invc.
// Without a fused multiply-add lambda a_hi is rounded before the shifter is
// added, which can put an a within 2^-24 of a piece boundary into the next
// piece: |r| then exceeds the bound by that much (inside the polynomial's
// fitted range), and the ratio by as little; the exhaustive SSE2 sweep covers
// these inputs.
// Piece 0 has invc = 1 and logc = 0: there r = a_hi + a_lo as given, so a
// tiny a keeps its relative accuracy with no special case. Then
//     log1p(r) = r_hi + r_hi^2 P(r_hi) + r_lo (1 - r_hi) + O(r_lo r_hi^2),
// H = logc_hi + r_hi by Fast2Sum (|logc_hi| >= log(1 + 1/lambda) > |r_hi|, or
// logc_hi = 0), L = err(H) + (r_hi (r_hi P(r_hi) - r_lo) + (r_lo + logc_lo)).
//
// Constants. invc, logc_hi, logc_lo: tools/gen_log1p_unit_tables.py (200-bit
// mpmath, rounded to nearest; it prints the range of r). P:
// tools/fit_log1p_poly.sollya over that range, error relative to log1p(r):
//     float,  N = 16, r in [-0.0305, 0.0325], degree 5:   2^-30.7
//     float,  N = 8,  r in [-0.0595, 0.0674], degree 6:   2^-30.5
//     double, N = 8,  r in [-0.0595, 0.0674], degree 12:  2^-61.3
// With the dropped r_lo r_hi^2 (below 2^-33 / 2^-62 relative) and the
// roundings inside L, H + L is within about 2^-29 (float) / 2^-58 (double)
// of log1p(a) relative.
//
// Range. a_hi = 0 or a_hi >= 2^-58 (float) / 2^-65 (double), and a_lo = 0 or
// above 2^-108 / 2^-1000 in magnitude: then no intermediate is subnormal.
//
// N is what one register permutation reads: 16 floats on AVX-512, else 8.
#ifndef LOGISTIC_DETAIL_LOG1P_UNIT_CORE_HPP
#define LOGISTIC_DETAIL_LOG1P_UNIT_CORE_HPP

#include <cstddef>

#include "log1p_core.hpp"
#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T, std::size_t N>
struct log1p_unit_constants;

template <>
struct log1p_unit_constants<float, 16> {
  static constexpr float lambda = 0x1.eep+3f;  // 15 + 7/16
  static constexpr std::size_t degree = 5;
  static constexpr float poly[degree - 1] = {-0x1.fffffep-2f, 0x1.555566p-2f, -0x1.002e74p-2f,
                                             0x1.98c0fap-3f};  // c2..c5
  alignas(64) static constexpr float invc[16] = {
      0x1p+0f,        0x1.e0da0ap-1f, 0x1.c546a6p-1f, 0x1.acb108p-1f,
      0x1.96a2fcp-1f, 0x1.82bd74p-1f, 0x1.70b32p-1f,  0x1.604474p-1f,
      0x1.513cc2p-1f, 0x1.436ff6p-1f, 0x1.36b8ecp-1f, 0x1.2af822p-1f,
      0x1.2012aap-1f, 0x1.15f16p-1f,  0x1.0c8046p-1f, 0x1.03adfep-1f};
  alignas(64) static constexpr float logc_hi[16] = {
      0x0p+0f,        0x1.011698p-4f, 0x1.f2fd2ep-4f, 0x1.6bb2bep-3f,
      0x1.d7de5ap-3f, 0x1.1f4e3ap-2f, 0x1.5038eap-2f, 0x1.7ee894p-2f,
      0x1.ab8fp-2f,   0x1.d657c6p-2f, 0x1.ff693cp-2f, 0x1.13729ep-1f,
      0x1.2674f4p-1f, 0x1.38c912p-1f, 0x1.4a7b02p-1f, 0x1.5b959ep-1f};
  alignas(64) static constexpr float logc_lo[16] = {
      0x0p+0f,          -0x1.4a04e2p-31f, -0x1.de31b6p-29f, -0x1.329ecep-28f,
      0x1.17bfcp-31f,   0x1.91d22cp-27f,  0x1.33e3fep-28f,  0x1.797174p-29f,
      -0x1.743d04p-28f, -0x1.b4a03cp-29f, -0x1.7426dcp-30f, 0x1.23ffb2p-29f,
      -0x1.264f7ep-29f, -0x1.b16114p-27f, 0x1.0ee1c8p-27f,  -0x1.6edb4ap-26f};
};

template <>
struct log1p_unit_constants<float, 8> {
  static constexpr float lambda = 0x1.dcp+2f;  // 7 + 7/16
  static constexpr std::size_t degree = 6;
  static constexpr float poly[degree - 1] = {-0x1p-1f, 0x1.555526p-2f, -0x1.000144p-2f,
                                             0x1.9b0a4ep-3f, -0x1.521a62p-3f};  // c2..c6
  alignas(32) static constexpr float invc[8] = {0x1p+0f,        0x1.c3518ap-1f, 0x1.937f26p-1f,
                                                0x1.6cd69cp-1f, 0x1.4cf09cp-1f, 0x1.322bbep-1f,
                                                0x1.1b62d4p-1f, 0x1.07c1fp-1f};
  alignas(32) static constexpr float logc_hi[8] = {0x0p+0f,        0x1.025b9cp-3f, 0x1.e7be88p-3f,
                                                   0x1.5b00d4p-2f, 0x1.b8b1p-2f,   0x1.0742c6p-1f,
                                                   0x1.2edafep-1f, 0x1.539b4ep-1f};
  alignas(32) static constexpr float logc_lo[8] = {
      0x0p+0f,          0x1.b36c5cp-28f,  0x1.9c567ep-29f, -0x1.a3b076p-27f,
      -0x1.6d4c92p-27f, -0x1.efe212p-26f, 0x1.2186aap-28f, -0x1.6102e4p-27f};
};

template <>
struct log1p_unit_constants<double, 8> {
  static constexpr double lambda = 0x1.dcp+2;  // 7 + 7/16
  static constexpr std::size_t degree = 12;
  static constexpr double poly[degree - 1] = {  // c2..c12
      -0x1p-1,
      0x1.5555555555562p-2,
      -0x1.ffffffffffbaep-3,
      0x1.999999997aaabp-3,
      -0x1.555555583fa4dp-3,
      0x1.249249d1a3a47p-3,
      -0x1.ffffeccf33fb1p-4,
      0x1.c7194d02ca566p-4,
      -0x1.99b1a94d532f3p-4,
      0x1.779c02b1ab419p-4,
      -0x1.4c26870bf9e78p-4};
  alignas(64) static constexpr double invc[8] = {
      0x1p+0,               0x1.c3518a6dfc352p-1, 0x1.937f26fe4dfcap-1, 0x1.6cd69c5bf9de4p-1,
      0x1.4cf09cad76e83p-1, 0x1.322bbd1b03dcp-1,  0x1.1b62d3f1b62d4p-1, 0x1.07c1f07c1f07cp-1};
  alignas(64) static constexpr double logc_hi[8] = {
      0x0p+0,               0x1.025b9ae69e84p-3,  0x1.e7be835c54009p-3, 0x1.5b00d22c010bfp-2,
      0x1.b8b0fd33d67cep-2, 0x1.0742c686fb99bp-1, 0x1.2edafe3e01815p-1, 0x1.539b4cb6ce55dp-1};
  alignas(64) static constexpr double logc_lo[8] = {
      0x0p+0,                 -0x1.f0b9bfdec044cp-59, -0x1.7915fa29e5586p-57,
      0x1.8070590abd613p-56,  0x1.b42a389977dacp-57,  -0x1.f2fa4d54462a7p-56,
      0x1.862225a4b62f3p-56,  0x1.c0ae7f86d17d8p-58};
};

template <class T, class A>
using log1p_unit_table = log1p_unit_constants<T, table_size<T, A>::value>;

// The piece of a: round(lambda a) in the low bits of the result's encoding.
template <class T, class A>
LOGISTIC_INLINE int_batch<T, A> log1p_unit_index(batch<T, A> a) noexcept {
  using I = typename bits_of<T>::type;
  constexpr T shifter = T(3) * T(I(1) << (bits_of<T>::mantissa - 1));
  return to_bits(mul_add(a, batch<T, A>(log1p_unit_table<T, A>::lambda), batch<T, A>(shifter)));
}

// log1p(a_hi + a_lo) = H + L, unrounded.
template <class T, class A>
LOGISTIC_INLINE log_sum<T, A> log1p_unit(batch<T, A> a_hi, batch<T, A> a_lo) noexcept {
  using B = batch<T, A>;
  using C = log1p_unit_table<T, A>;
  const int_batch<T, A> j = log1p_unit_index(a_hi);
  const B invc = lookup<T, T, A>(C::invc, j);
  const product<T, A> p = two_prod(a_hi, invc);
  const B r_hi = p.hi + (invc - B(T(1)));  // exact (see the top)
  const B r_lo = mul_add(a_lo, invc, p.lo);
  const B logc_hi = lookup<T, T, A>(C::logc_hi, j);
  const B h = logc_hi + r_hi;
  const B h_err = (logc_hi - h) + r_hi;  // Fast2Sum
  return {h, h_err + log1p_tail<T, A>(r_hi, r_lo, C::poly, lookup<T, T, A>(C::logc_lo, j))};
}

// Fast tier: log1p(a) for a in [0, 1] given rounded, itself rounded a few
// times: r once (by a fused multiply-add where there is one), logc to one
// word, the polynomial's terms and the final addition.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> log1p_unit_fast(batch<T, A> a) noexcept {
  using B = batch<T, A>;
  using C = log1p_unit_table<T, A>;
  const int_batch<T, A> j = log1p_unit_index(a);
  const B invc = lookup<T, T, A>(C::invc, j);
  B r;
  if constexpr (has_fused_fma<A>::value) {
    r = mul_add(a, invc, invc - B(T(1)));
  } else {
    // An unfused a invc would lose 2^-24 of a next to r, up to 30 times smaller.
    const product<T, A> p = two_prod(a, invc);
    r = (p.hi + (invc - B(T(1)))) + p.lo;
  }
  const B log1p_r = mul_add(r * r, log_poly<T, A>(r, C::poly), r);
  return lookup<T, T, A>(C::logc_hi, j) + log1p_r;
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
