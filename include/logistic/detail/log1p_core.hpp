// Internal: the shared logarithm core, log(v) for a positive v given unrounded
// as v = v_hi + v_lo, returned unrounded as log(v) = H + L (|L| well below
// |H|, H = 0 only when log(v) is within |L| of 0), so that callers round once
// at the end (logit: log(p / (1 - p))). log1p(a) for a in [0, 1] (softplus,
// log-sigmoid, BCE) has a core of its own without the exponent: log1p_unit_core.hpp.
//
// Method. v_hi = 2^k z with z in [OFF, 2 OFF), OFF about 0.7, read from the
// encoding (no instruction sees a subnormal). The interval [OFF, 2 OFF) is cut
// into N pieces by the leading mantissa bits of bits(v_hi) - bits(OFF); piece j
// has a reciprocal invc[j] of its midpoint, and then
//     v = 2^k invc[j]^-1 (1 + r),   r = z invc[j] - 1 + v_lo 2^-k invc[j],
//     log(v) = k ln2 + logc[j] + log1p(r),   logc[j] = -log(invc[j]),
// with |r| <= 1/32 (N = 16) or 1/16 (N = 8). z invc[j] = P_hi + P_lo exactly
// (fused multiply-add, else Dekker), P_hi - 1 is exact (Sterbenz), so
//     r = r_hi + r_lo,  r_hi = P_hi - 1,  r_lo = P_lo + v_lo 2^-k invc[j].
// The piece that holds 1 is centred on 1 and has invc = 1: there r_hi = v_hi - 1
// and r_lo = v_lo exactly, so log(v) keeps its relative accuracy as v -> 1.
//     log1p(r) = r_hi + r_hi^2 P(r_hi) + r_lo (1 - r_hi) + O(r_lo r_hi^2),
// and k ln2 + logc[j] = T_hi + T_lo with T_hi exact (ln2_hi and logc_hi lie on
// a grid of 2^-16 / 2^-42, so k ln2_hi + logc_hi is exact for |k| < 2^8 float,
// 2^11 double); H = T_hi + r_hi by Fast2Sum (|T_hi| >= |r_hi| or T_hi = 0),
//     L = err(H) + (r_hi (r_hi P(r_hi) - r_lo) + (r_lo + T_lo)),
// two multiply-adds for the polynomial's tail and r_lo's terms.
//
// Constants. invc, logc_hi, logc_lo, ln2_hi, ln2_lo: tools/gen_log_tables.py
// (200-bit mpmath, rounded to nearest). P: tools/fit_log1p_poly.sollya,
// fpminimax of (log1p(r) - r) / r^2 with the error relative to log1p(r):
//     float,  N = 16, |r| <= 0.0325, degree 5:   2^-30.4
//     float,  N = 8,  |r| <= 0.0645, degree 6:   2^-30.5
//     double, N = 8,  |r| <= 0.0645, degree 12:  2^-61.1
// The other dropped terms (r_lo r_hi^2 < 2^-33 / 2^-62 relative, the roundings
// inside L, a few units of 2^-24 |L| / 2^-53 |L|) keep H + L within about
// 2^-29 (float) / 2^-58 (double) of log(v) relative, so one final rounding
// stays near 0.5 ULP (0.56 measured, logit over all floats).
//
// Range. v_hi normal with 2^-k representable (v_hi in [2^-125, 2^126] float,
// [2^-1021, 2^1022] double); KOffset adds an exact integer to k (callers
// that scaled v by 2^-KOffset), |k + KOffset| < 2^8 (float) / 2^11 (double).
// No intermediate is subnormal while |r_hi| >= 2^-58 (float) / 2^-65
// (double) or r_hi = 0, and v_lo is 0 or above 2^-108 (float) / 2^-1000
// (double) in magnitude.
//
// N is what one register permutation can read: 16 floats on AVX-512, else 8.
#ifndef LOGISTIC_DETAIL_LOG1P_CORE_HPP
#define LOGISTIC_DETAIL_LOG1P_CORE_HPP

#include <cstddef>
#include <cstdint>

#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T, std::size_t N>
struct log_constants;

template <>
struct log_constants<float, 16> {
  static constexpr std::int32_t off_bits = 0x3F340000;  // OFF = 0.703125 = 1 - 9.5/32
  static constexpr float ln2_hi = 0x1.62e4p-1f, ln2_lo = 0x1.7f7d1cp-20f;
  static constexpr std::size_t degree = 5;
  static constexpr float poly[degree - 1] = {-0x1.fffffep-2f, 0x1.555552p-2f, -0x1.003058p-2f,
                                             0x1.99fbeap-3f};  // c2..c5
  alignas(64) static constexpr float invc[16] = {
      0x1.642c86p+0f, 0x1.555556p+0f, 0x1.47ae14p+0f, 0x1.3b13b2p+0f,
      0x1.2f684cp+0f, 0x1.24924ap+0f, 0x1.1a7b96p+0f, 0x1.111112p+0f,
      0x1.08421p+0f,  0x1p+0f,        0x1.e1e1e2p-1f, 0x1.c71c72p-1f,
      0x1.af286cp-1f, 0x1.99999ap-1f, 0x1.861862p-1f, 0x1.745d18p-1f};
  alignas(64) static constexpr float logc_hi[16] = {
      -0x1.522cp-2f, -0x1.2698p-2f, -0x1.f99p-3f,  -0x1.a94p-3f,
      -0x1.5bf8p-3f, -0x1.1178p-3f, -0x1.933p-4f,  -0x1.086p-4f,
      -0x1.042p-5f,  0x0p+0f,       0x1.f0ap-5f,   0x1.e27p-4f,
      0x1.5ffp-3f,   0x1.c9p-3f,    0x1.1674p-2f,  0x1.4618p-2f};
  alignas(64) static constexpr float logc_lo[16] = {
      0x1.1e4c76p-18f,  0x1.dcecb2p-18f, -0x1.c3cb3cp-19f, 0x1.273752p-19f,
      0x1.fc255ep-18f,  -0x1.dc44fcp-20f, -0x1.793566p-18f, 0x1.99a988p-18f,
      0x1.46ec32p-18f,  0x0p+0f,          0x1.85008cp-20f,  0x1.d38abcp-22f,
      0x1.83053cp-18f,  -0x1.0b0cacp-20f, 0x1.c97abap-18f,  0x1.74438cp-19f};
};

template <>
struct log_constants<float, 8> {
  static constexpr std::int32_t off_bits = 0x3F380000;  // OFF = 0.71875 = 1 - 4.5/16
  static constexpr float ln2_hi = 0x1.62e4p-1f, ln2_lo = 0x1.7f7d1cp-20f;
  static constexpr std::size_t degree = 6;
  static constexpr float poly[degree - 1] = {-0x1p-1f, 0x1.555522p-2f, -0x1.ffff96p-3f,
                                             0x1.9b1eb8p-3f, -0x1.56bc14p-3f};  // c2..c6
  alignas(32) static constexpr float invc[8] = {0x1.555556p+0f, 0x1.3b13b2p+0f, 0x1.24924ap+0f,
                                                0x1.111112p+0f, 0x1p+0f,        0x1.c71c72p-1f,
                                                0x1.99999ap-1f, 0x1.745d18p-1f};
  alignas(32) static constexpr float logc_hi[8] = {-0x1.2698p-2f, -0x1.a94p-3f, -0x1.1178p-3f,
                                                   -0x1.086p-4f,  0x0p+0f,      0x1.e27p-4f,
                                                   0x1.c9p-3f,    0x1.4618p-2f};
  alignas(32) static constexpr float logc_lo[8] = {
      0x1.dcecb2p-18f, 0x1.273752p-19f, -0x1.dc44fcp-20f, 0x1.99a988p-18f,
      0x0p+0f,         0x1.d38abcp-22f, -0x1.0b0cacp-20f, 0x1.74438cp-19f};
};

template <>
struct log_constants<double, 8> {
  static constexpr std::int64_t off_bits = 0x3FE7000000000000;  // OFF = 0.71875
  static constexpr double ln2_hi = 0x1.62e42fefa38p-1, ln2_lo = 0x1.ef35793c7673p-45;
  static constexpr std::size_t degree = 12;
  static constexpr double poly[degree - 1] = {  // c2..c12
      -0x1p-1,
      0x1.5555555555568p-2,
      -0x1.000000000001fp-2,
      0x1.999999996db38p-3,
      -0x1.555555551d39p-3,
      0x1.24924a0b7a427p-3,
      -0x1.0000010191d24p-3,
      0x1.c718932787401p-4,
      -0x1.9995a1c501bdfp-4,
      0x1.77fd96687554fp-4,
      -0x1.58d85d14d1183p-4};
  alignas(64) static constexpr double invc[8] = {
      0x1.5555555555555p+0, 0x1.3b13b13b13b14p+0, 0x1.2492492492492p+0, 0x1.1111111111111p+0,
      0x1p+0,               0x1.c71c71c71c71cp-1, 0x1.999999999999ap-1, 0x1.745d1745d1746p-1};
  alignas(64) static constexpr double logc_hi[8] = {
      -0x1.269621134ep-2, -0x1.a93ed3c8aep-3, -0x1.1178e8227ep-3, -0x1.08598b59e4p-4,
      0x0p+0,             0x1.e27076e2bp-4,   0x1.c8ff7c79aap-3,  0x1.4618bc21c6p-2};
  alignas(64) static constexpr double logc_lo[8] = {
      0x1.1ba1f10522625p-44,  0x1.86a4350562169p-45,  -0x1.1e778ce2d07f2p-45,
      0x1.7e9dd7009902cp-46,  0x0p+0,                 -0x1.a2c2c2af0003cp-45,
      -0x1.7814f689f8434p-45, -0x1.3e02f484c84ccp-46};
};

template <class T, class A>
using log_table = log_constants<T, table_size<T, A>::value>;

// P(r) = c2 + c3 r + ... by Horner (own copy: exp_core.hpp's is an internal
// of that file).
template <class T, class A, std::size_t M>
LOGISTIC_INLINE batch<T, A> log_poly(batch<T, A> r, const T (&c)[M]) noexcept {
  batch<T, A> p(c[M - 1]);
  for (std::size_t i = M - 1; i-- > 0;) {
    p = mul_add(p, r, batch<T, A>(c[i]));
  }
  return p;
}

// log1p(r_hi + r_lo) - r_hi + t, unrounded: r^2 P(r) + r_lo / (1 + r_hi) to
// O(r_lo r_hi^2), as r_hi (r_hi P - r_lo) + (r_lo + t). Fused where possible,
// so that neither r^2 nor r_lo r_hi is rounded on its own, and no intermediate
// is smaller than r^2. Both log cores end with it (t: their table's low part).
template <class T, class A, std::size_t M>
LOGISTIC_INLINE batch<T, A> log1p_tail(batch<T, A> r_hi, batch<T, A> r_lo, const T (&poly)[M],
                                       batch<T, A> t) noexcept {
  return mul_add(r_hi, mul_sub(r_hi, log_poly<T, A>(r_hi, poly), r_lo), r_lo + t);
}

// log(v) = hi + lo, unrounded.
template <class T, class A>
struct log_sum {
  batch<T, A> hi;
  batch<T, A> lo;
};

// v_hi = 2^k z: z, 2^-k, k + KOffset (as T) and the table index.
template <class T, class A>
struct log_reduction {
  batch<T, A> z;
  batch<T, A> scale;  // 2^-k
  batch<T, A> k;      // k + KOffset, an integer
  int_batch<T, A> index;
};

template <int KOffset, class T, class A>
LOGISTIC_INLINE log_reduction<T, A> log_reduce(batch<T, A> v_hi) noexcept {
  using B = batch<T, A>;
  using I = typename bits_of<T>::type;
  using IB = int_batch<T, A>;
  using C = log_table<T, A>;
  constexpr int mantissa = bits_of<T>::mantissa;
  constexpr int table_bits = table_size<T, A>::value == 16 ? 4 : 3;
  constexpr I exponent_field = static_cast<I>(~((I(1) << mantissa) - 1));
  // bits(shifter) + k is the encoding of shifter + k for |k| < 2^(mantissa - 1).
  constexpr T shifter = T(3) * T(I(1) << (mantissa - 1));
  const IB bits = to_bits(v_hi);
  const IB tmp = bits - IB(C::off_bits);
  const IB k_field = tmp & IB(exponent_field);  // k << mantissa
  const IB k = tmp >> mantissa;                  // arithmetic shift
  B k_real;
  if constexpr (sizeof(T) == 4) {
    k_real = xsimd::batch_cast<T>(k);  // one conversion instruction
    if constexpr (KOffset != 0) k_real = k_real + B(T(KOffset));
  } else {
    // No 64-bit integer conversion before AVX-512DQ: through the shifter.
    k_real = from_bits<T, A>(k + to_bits(B(shifter))) - B(shifter - T(KOffset));
  }
  return {from_bits<T, A>(bits - k_field), from_bits<T, A>(to_bits(B(T(1))) - k_field), k_real,
          tmp >> (mantissa - table_bits)};
}

// r_hi + r_lo = z invc - 1 + v_lo 2^-k invc, given v_lo 2^-k = a b, where b
// is known early (logit: 2^-k + z) and a late (the quotient's residual): b
// invc is formed while a is computed, so that a is one multiply-add from r_lo.
template <class T, class A>
struct log_argument {
  batch<T, A> hi;
  batch<T, A> lo;
};

template <class T, class A>
LOGISTIC_INLINE log_argument<T, A> log_reduced_argument(const log_reduction<T, A>& red,
                                                        batch<T, A> invc, batch<T, A> a,
                                                        batch<T, A> b) noexcept {
  const product<T, A> p = two_prod(red.z, invc);
  return {p.hi - batch<T, A>(T(1)), mul_add(a, b * invc, p.lo)};
}

// H + L from the reduced argument and the table's logc (see the top).
template <class T, class A>
LOGISTIC_INLINE log_sum<T, A> log_assemble(const log_reduction<T, A>& red,
                                           log_argument<T, A> r) noexcept {
  using B = batch<T, A>;
  using C = log_table<T, A>;
  const B logc_hi = lookup<T, T, A>(C::logc_hi, red.index);
  const B logc_lo = lookup<T, T, A>(C::logc_lo, red.index);
  const B t_hi = mul_add(red.k, B(C::ln2_hi), logc_hi);  // exact, fused or not
  const B t_lo = mul_add(red.k, B(C::ln2_lo), logc_lo);
  const B h = t_hi + r.hi;
  const B h_err = (t_hi - h) + r.hi;  // Fast2Sum
  return {h, h_err + log1p_tail<T, A>(r.hi, r.lo, C::poly, t_lo)};
}

// log(2^KOffset (v_hi + v_lo)) from v_hi's reduction and v_lo 2^-k = a b.
template <class T, class A>
LOGISTIC_INLINE log_sum<T, A> log_core_reduced(const log_reduction<T, A>& red, batch<T, A> a,
                                               batch<T, A> b) noexcept {
  const batch<T, A> invc = lookup<T, T, A>(log_table<T, A>::invc, red.index);
  return log_assemble(red, log_reduced_argument(red, invc, a, b));
}

// log(2^KOffset (v_hi + v_lo)).
template <int KOffset, class T, class A>
LOGISTIC_INLINE log_sum<T, A> log_core(batch<T, A> v_hi, batch<T, A> v_lo) noexcept {
  const log_reduction<T, A> red = log_reduce<KOffset>(v_hi);
  return log_core_reduced(red, v_lo, red.scale);
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
