// Internal: the kernels of the derivative family (sigmoid_grad, sigmoid_backward)
// and the pieces they share with the SiLU kernels (silu_kernels.hpp).
//
// All of them start from e = e^-|x| = E (1 + Q) of the exponential core and
// from the faithful sigmoid's compensated reciprocal (sigmoid_kernels.hpp):
//     y0 = RN(1 / RN(1 + e)),   rho = 1 - y0 (1 + e),   1/(1 + e) = y0 (1 + rho)
// to 2^-48, with rho's absolute error below 2^-29 (see sigmoid_kernels.hpp).
//
// sigmoid_grad, faithful. sigma'(x) = e / (1 + e)^2 is even, so only z = |x|
// matters; with t + t_lo = E y0 exactly,
//     sigma' = E (1 + Q) y0^2 (1 + rho)^2 = t y0 + y0 (t_lo + t u),  u = Q + 2 rho,
// rounded once by a fused multiply-add (Dekker's product without one). The
// dropped terms (2 Q rho, rho^2, t_lo u) are below 2^-28 relative, the core's
// error 2^-28.5: the result is within 0.5 + 0.1 ULP. Float on AVX-512 takes
// sigmoid's reciprocal estimate (|rho| < 2^-14) and keeps 2 Q rho. No step
// forms 1 - sigma.
// Wide inputs (z > z_main) give sigma' = e (1 - 2e + ...) = RN(e) to within
// 2^-56 relative, computed in the scaled domain exactly as sigmoid's tail
// (unscale_exactly), so subnormal results are exact to 0.75 ULP and no
// subnormal ever enters an instruction (FTZ/DAZ-independent).
//
// sigmoid_backward(y, dy) = dy y (1 - y), see sigmoid_backward_main and
// sigmoid_backward_rare below.
#ifndef LOGISTIC_DETAIL_GRAD_KERNELS_HPP
#define LOGISTIC_DETAIL_GRAD_KERNELS_HPP

#include <limits>

#include "exp_core.hpp"
#include "fp_mode.hpp"
#include "sigmoid_kernels.hpp"
#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

// y0 = RN(1 / RN(1 + e)) and rho = 1 - y0 (1 + e), as in sigmoid_main: 1 - y0
// is exact because y0 lies in [0.5, 1] (e <= 1).
template <class T, class A>
struct reciprocal_parts {
  batch<T, A> y0;
  batch<T, A> rho;
};

template <class T, class A>
LOGISTIC_INLINE reciprocal_parts<T, A> reciprocal_one_plus(const exp_parts<T, A>& e) noexcept {
  using B = batch<T, A>;
  const B one(T(1));
  const B y0 = divide(one, one + mul_add(e.E, e.Q, e.E));
  const B rho = neg_mul_add(e.E * e.Q, y0, residual(e.E, y0, one - y0));
  return {y0, rho};
}

// a e^-z for a >= 0 and z in [0, z_clamp], rounded as RN(RN_scaled(a e^-z)):
// e^-z is formed scaled by 2^scale (normal), a E exactly, and the result
// brought back by unscale_exactly. Within 0.5 + 2^-20 ULP where the result is
// normal, 1 ULP where it is subnormal; never reads or writes a subnormal.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> scaled_exp_product(batch<T, A> a, batch<T, A> z) noexcept {
  const exp_parts<T, A> e = exp_neg<sigmoid_limits<T>::scale>(z);
  const product<T, A> p = two_prod(a, e.E);
  return unscale_exactly(p.hi + mul_add(p.hi, e.Q, p.lo));
}

// ---------------------------------------------------------------------------
// sigmoid_grad
// ---------------------------------------------------------------------------

// NaN lanes of a result computed from z = |x|. On NEON the sign of a NaN result is
// that of whichever NaN operand the compiler placed first in each instruction, and
// that placement differs between the inlined scalar, batch and array forms; there
// the result is z + z (z quieted, positive), as SSE2, AVX2 and AVX-512 give, so
// that the forms stay bit-identical. Elsewhere the result as it is.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> nan_as_quiet_input(batch<T, A> z, batch<T, A> result) noexcept {
#if defined(__aarch64__) || defined(__ARM_NEON)
  return xsimd::select(z != z, z + z, result);
#else
  (void)z;
  return result;
#endif
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_grad_main(batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const exp_parts<T, A> e = exp_neg<0>(z);
  const sigmoid_parts<T, A> r = sigmoid_reciprocal(e);
  const product<T, A> t = two_prod(e.E, r.y0);
  // (1 + Q)(1 + rho)^2 - 1 = Q + 2 rho (1 + Q) + rho^2 (1 + Q): after an
  // estimate (|rho| < 2^-14) the product term is kept and rho^2 < 2^-28 is
  // dropped, as in sigmoid_main; after a division (2^-24) both are dropped.
  B u;
  if constexpr (reciprocal_is_estimate<T, A>::value) {
    u = mul_add(r.rho + r.rho, B(T(1)) + e.Q, e.Q);
  } else {
    u = mul_add(B(T(2)), r.rho, e.Q);
  }
  return nan_as_quiet_input(z, mul_add_corrected(t.hi, r.y0, r.y0 * mul_add(t.hi, u, t.lo)));
}

// Batches with some |x| > z_main: there sigma' = RN(e) in the scaled domain
// (+0 from z_zero on, and for +-inf).
template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> sigmoid_grad_wide(batch<T, A> z) noexcept {
  using B = batch<T, A>;
  using L = sigmoid_limits<T>;
  const B main = sigmoid_grad_main(clamp_above(z, L::z_main));
  const exp_parts<T, A> e = exp_neg<L::scale>(clamp_above(z, L::z_zero));
  const B tail = unscale_exactly(mul_add(e.E, e.Q, e.E));
  return xsimd::select(z > B(L::z_main), tail, main);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_grad_faithful(batch<T, A> x) noexcept {
  const batch<T, A> z = xsimd::abs(x);
  if (xsimd::any(sigmoid_rare(x))) return sigmoid_grad_wide(z);
  return sigmoid_grad_main(z);
}

// Fast tier: e rounded once (as in sigmoid_fast_main), (1 + e)^2 by one fused
// step and one division; clamped to 1/4, which the exact value never exceeds.
// About 3 ULP. Wide inputs (|x| > z_normal) take the faithful scaled tail, so
// nothing is flushed.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_grad_fast_main(batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const exp_parts<T, A> p = exp_neg_fast(z);
  const B one(T(1));
  B e;
  if constexpr (has_fused_fma<A>::value) {
    e = mul_add(p.E, p.Q, p.E);
  } else {
    e = p.E * (one + p.Q);  // see sigmoid_fast_main: no subnormal E q
  }
  const B square = mul_add(e, e + B(T(2)), one);  // (1 + e)^2
  return nan_as_quiet_input(z, clamp_above(divide(e, square), T(0.25)));
}

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> sigmoid_grad_fast_wide(batch<T, A> z) noexcept {
  using B = batch<T, A>;
  using L = sigmoid_limits<T>;
  const B main = sigmoid_grad_fast_main(clamp_above(z, L::z_normal));
  const exp_parts<T, A> e = exp_neg<L::scale>(clamp_above(z, L::z_zero));
  const B tail = unscale_exactly(mul_add(e.E, e.Q, e.E));
  return xsimd::select(z > B(L::z_normal), tail, main);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_grad_fast(batch<T, A> x) noexcept {
  const batch<T, A> z = xsimd::abs(x);
  if (xsimd::any(sigmoid_fast_rare(x))) return sigmoid_grad_fast_wide(z);
  return sigmoid_grad_fast_main(z);
}

// ---------------------------------------------------------------------------
// sigmoid_backward(y, dy) = dy y (1 - y)
//
// Main path, two forms. With a fused multiply-add (sigmoid_backward_fused):
// dx = RN(dy RN(y - y^2)), two instructions, below 1.5 ULP. Without one
// (sigmoid_backward_compensated; |y| <= 1 and not tiny, dy y in a safe range,
// or a zero factor): c = 1 - y rounded, c_lo = (1 - c) - y its exact error
// (Fast2Sum, |y| <= 1), y c = p_hi + p_lo exactly, then
//     dy y (1 - y) = dy p_hi + dy (p_lo + y c_lo)
// rounded once: within 0.5 + 2^-40 ULP. Either way the main path's results do
// not depend on FTZ/DAZ (see each form), and zero results take the sign of the
// plain formula (dy y) (1 - y).
//
// Rare path (anything else, per batch, out of line): the factors are split
// into sign * [1, 2) * 2^k from their encodings (subnormal inputs included,
// without any arithmetic on them), multiplied with the same compensation and
// scaled back by 2^(k_y + k_dy + k_c) with one rounding where the result is
// normal or overflows and two where it is subnormal (within 1 ULP there).
// Lanes with a zero, infinite or NaN factor, or y = 1, use the plain formula
// (IEEE semantics: NaN propagates, 0 * inf is NaN, signs multiply).
// ---------------------------------------------------------------------------

template <class T>
struct backward_limits;

template <>
struct backward_limits<float> {
  static constexpr float y_min = 0x1p-50f;   // |y| below (but not 0): rare
  static constexpr float dy_max = 0x1p64f;   // |dy| above: rare
  static constexpr float product_min = 0x1p-40f;  // |dy y| below (but not 0): rare
  static constexpr float y_small = 0x1p-60f;  // 1 - y taken as 1 below
  static constexpr float y_large = 0x1p30f;   // the error of 1 - y dropped above
  static constexpr int exponent_bias = 127;
  static constexpr int min_exponent = -126;
  // The range of K (result = P 2^K, |P| in [0.5, 8)) for the scaled path: from
  // k_low on, P 2^(K + scale) is normal; below it the result is 0 anyway.
  static constexpr float k_low = -187.0f;
  static constexpr float k_split = 60.0f;   // above: P 2^K is normal or overflows
  static constexpr float k_high = 254.0f;   // clamp: overflow anyway
};

template <>
struct backward_limits<double> {
  static constexpr double y_min = 0x1p-400;
  static constexpr double dy_max = 0x1p500;
  static constexpr double product_min = 0x1p-400;
  static constexpr double y_small = 0x1p-120;
  static constexpr double y_large = 0x1p60;
  static constexpr int exponent_bias = 1023;
  static constexpr int min_exponent = -1022;
  static constexpr double k_low = -1147.0;
  static constexpr double k_split = 892.0;
  static constexpr double k_high = 2046.0;
};

// An integer lane mask as the mask of the floating-point type of the same width.
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> float_mask(
    xsimd::batch_bool<typename bits_of<T>::type, A> m) noexcept {
#if XSIMD_VERSION_MAJOR >= 9
  return xsimd::batch_bool_cast<T>(m);
#else
  return xsimd::bool_cast(m);
#endif
}

// v is +-0, tested on the encoding: under DAZ a floating-point compare would
// also see the subnormals as 0.
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> is_zero_encoding(batch<T, A> v) noexcept {
  using I = typename bits_of<T>::type;
  return float_mask<T, A>(to_bits(xsimd::abs(v)) == int_batch<T, A>(I(0)));
}

// Main path with a fused multiply-add: t = RN(y - y^2) is y (1 - y) rounded
// once for every finite y, and dx = RN(dy t): within 0.5 ULP plus t's relative
// error 2^-24 (2^-53), below 1.5 ULP. t is subnormal only where y is, and then
// t = y exactly. Where this path is taken the result is normal, or the zero of
// a zero factor or of y = 1, and a subnormal y gives RN(dy y) as the wide path
// does: FTZ/DAZ (which send such lanes to the wide path) cannot change it.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_backward_fused(batch<T, A> y, batch<T, A> dy) noexcept {
  return dy * neg_mul_add(y, y, y);
}

// Rare for the fused path: y outside [0, 1] (there |y - y^2| > 1 could lift
// a subnormal dy, which DAZ reads as 0, to a normal result), and a result
// below the smallest normal (or NaN) that is not the zero of a zero factor or
// of y = 1, tested on the encodings: under DAZ a subnormal factor reads as 0.
#if defined(__AVX512F__)
// The same test with two mask instructions (on Zen 4 they, not the arithmetic,
// bound this kernel's speed). y in [+0, 1] is an unsigned compare of the
// encodings (-0 and NaN fall outside, to the wide path, which gives them the
// plain formula's result). The zero factors (dy = +-0, y = +0, y = 1) are
// found from the encodings in integer arithmetic, as sign bits of
//     y - 1,  (1 - ulp) - y,  |dy| - 1,
// ORed into the sign bit of |dx|: one unsigned compare then finds the lanes
// whose |dx| is below the smallest normal (zero included) without such a
// factor. A NaN dx inside the domain is the right result (from a NaN or
// infinite dy) and stays on the fused path.
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_backward_fused_rare_avx512(
    batch<T, A> y, batch<T, A> dy, batch<T, A> dx) noexcept {
  constexpr int or3 = 0xFE;              // a | b | c
  constexpr int magnitude_or_sign = 0xE4;  // (a & c) | (b & ~c)
  if constexpr (std::is_same<T, float>::value) {
    const __m512i yb = _mm512_castps_si512(y);
    const __m512i one = _mm512_set1_epi32(0x3f800000);
    const __m512i magnitude = _mm512_set1_epi32(0x7fffffff);
    const __m512i ones = _mm512_set1_epi32(1);
    const __m512i below_one = _mm512_sub_epi32(_mm512_sub_epi32(one, ones), yb);
    const __m512i not_zero_y = _mm512_sub_epi32(yb, ones);
    const __m512i not_zero_dy =
        _mm512_sub_epi32(_mm512_and_si512(_mm512_castps_si512(dy), magnitude), ones);
    const __m512i zero_factor = _mm512_ternarylogic_epi32(below_one, not_zero_y, not_zero_dy, or3);
    const __m512i key =
        _mm512_ternarylogic_epi32(_mm512_castps_si512(dx), zero_factor, magnitude, magnitude_or_sign);
    const __mmask16 in_domain = _mm512_cmp_epu32_mask(yb, one, _MM_CMPINT_LE);
    const __mmask16 tiny = _mm512_cmp_epu32_mask(key, _mm512_set1_epi32(0x00800000), _MM_CMPINT_LT);
    return xsimd::batch_bool<T, A>(static_cast<__mmask16>(tiny | static_cast<__mmask16>(~in_domain)));
  } else {
    const __m512i yb = _mm512_castpd_si512(y);
    const __m512i one = _mm512_set1_epi64(0x3ff0000000000000LL);
    const __m512i magnitude = _mm512_set1_epi64(0x7fffffffffffffffLL);
    const __m512i ones = _mm512_set1_epi64(1);
    const __m512i below_one = _mm512_sub_epi64(_mm512_sub_epi64(one, ones), yb);
    const __m512i not_zero_y = _mm512_sub_epi64(yb, ones);
    const __m512i not_zero_dy =
        _mm512_sub_epi64(_mm512_and_si512(_mm512_castpd_si512(dy), magnitude), ones);
    const __m512i zero_factor = _mm512_ternarylogic_epi64(below_one, not_zero_y, not_zero_dy, or3);
    const __m512i key =
        _mm512_ternarylogic_epi64(_mm512_castpd_si512(dx), zero_factor, magnitude, magnitude_or_sign);
    const __mmask8 in_domain = _mm512_cmp_epu64_mask(yb, one, _MM_CMPINT_LE);
    const __mmask8 tiny =
        _mm512_cmp_epu64_mask(key, _mm512_set1_epi64(0x0010000000000000LL), _MM_CMPINT_LT);
    return xsimd::batch_bool<T, A>(static_cast<__mmask8>(tiny | static_cast<__mmask8>(~in_domain)));
  }
}
#endif

template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_backward_fused_rare(batch<T, A> y,
                                                                   batch<T, A> dy) noexcept {
  using B = batch<T, A>;
  const B one(T(1));
  const B dx = sigmoid_backward_fused(y, dy);
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    return sigmoid_backward_fused_rare_avx512(y, dy, dx);
  }
#endif
  const auto in_domain = (y >= B(T(0))) & (y <= one);
  const auto tiny_or_nan = !(xsimd::abs(dx) >= B(std::numeric_limits<T>::min()));
  const auto nonzero_factors = !(is_zero_encoding(y) | is_zero_encoding(dy) | (y == one));
  return (!in_domain) | (tiny_or_nan & nonzero_factors);
}

// Rare without a fused multiply-add: anything outside the limits of
// sigmoid_backward_compensated.
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_backward_compensated_rare(batch<T, A> y,
                                                                         batch<T, A> dy) noexcept {
  using B = batch<T, A>;
  using L = backward_limits<T>;
  const B ay = xsimd::abs(y), ady = xsimd::abs(dy);
  const auto y_zero = is_zero_encoding(y);
  const auto y_ok = (ay <= B(T(1))) & ((ay >= B(L::y_min)) | y_zero);
  const auto dy_ok = (ady <= B(L::dy_max)) & ((ady * ay >= B(L::product_min)) | y_zero |
                                               is_zero_encoding(dy));
  return !(y_ok & dy_ok);
}

// Main path without a fused multiply-add (see the block comment above): the
// rounding error of 1 - y is carried, so the result is within 0.5 + 2^-40 ULP.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_backward_compensated(batch<T, A> y, batch<T, A> dy) noexcept {
  using B = batch<T, A>;
  const B one(T(1));
  const B c = one - y;
  const B c_lo = (one - c) - y;
  const product<T, A> p = two_prod(y, c);
  const B small = mul_add(y, c_lo, p.lo);
  const B r = mul_add_corrected(dy, p.hi, dy * small);
  // r is 0 only when dy p_hi is (a zero factor): then the formula's signed zero.
  return xsimd::select(r == B(T(0)), dy * p.hi, r);
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_backward_rare(batch<T, A> y, batch<T, A> dy) noexcept {
  if constexpr (has_fused_fma<A>::value) return sigmoid_backward_fused_rare(y, dy);
  else return sigmoid_backward_compensated_rare(y, dy);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_backward_main(batch<T, A> y, batch<T, A> dy) noexcept {
  if constexpr (has_fused_fma<A>::value) return sigmoid_backward_fused(y, dy);
  else return sigmoid_backward_compensated(y, dy);
}

// v = m 2^k with |m| in [1, 2) and m of v's sign, for finite nonzero v, read
// from the encoding (a subnormal v is rebuilt as the normal number
// (1 + f) - 1 = f 2^-p from its fraction f, then split): no arithmetic
// instruction sees a subnormal.
template <class T, class A>
struct binade_split {
  batch<T, A> m;
  batch<T, A> k;  // an integer, as T
};

template <class T, class A>
LOGISTIC_INLINE batch<T, A> small_int_to_float(int_batch<T, A> i) noexcept {
  // i in [0, 2^20): placed in the low bits of 1.5 2^p, read back by subtraction.
  using C = exp_constants<T, table_size<T, A>::value>;
  const batch<T, A> shifter(C::shifter);
  return from_bits<T, A>(i | to_bits(shifter)) - shifter;
}

template <class T, class A>
LOGISTIC_INLINE int_batch<T, A> small_float_to_int(batch<T, A> k) noexcept {
  // k integer-valued, |k| < 2^20; two's complement falls out of the subtraction.
  using C = exp_constants<T, table_size<T, A>::value>;
  const batch<T, A> shifter(C::shifter);
  return to_bits(k + shifter) - to_bits(shifter);
}

// 2^k for integer-valued k in the normal exponent range.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> power_of_two(batch<T, A> k) noexcept {
  using I = typename bits_of<T>::type;
  const int_batch<T, A> biased =
      small_float_to_int(k) + int_batch<T, A>(I(backward_limits<T>::exponent_bias));
  return from_bits<T, A>(shift_left<bits_of<T>::mantissa, T, A>(biased));
}

// A subnormal magnitude f = n 2^(min_exponent - p), given as its encoding n,
// rebuilt as the normal number (1 + n 2^-p) - 1 = f 2^-min_exponent (exact,
// Sterbenz): read from the bits, so FTZ/DAZ never see it.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> subnormal_lifted(int_batch<T, A> magnitude) noexcept {
  const batch<T, A> one(T(1));
  return from_bits<T, A>(magnitude | to_bits(one)) - one;
}

template <class T, class A>
LOGISTIC_INLINE binade_split<T, A> split_binade(batch<T, A> v) noexcept {
  using B = batch<T, A>;
  using I = typename bits_of<T>::type;
  using IB = int_batch<T, A>;
  constexpr int p = bits_of<T>::mantissa;
  const IB bits = to_bits(v);
  const IB magnitude = to_bits(xsimd::abs(v));
  const IB sign = bits ^ magnitude;
  const IB one_bits = to_bits(B(T(1)));
  const auto subnormal = magnitude < IB(static_cast<I>(I(1) << p));
  const IB rebuilt = to_bits(subnormal_lifted<T, A>(magnitude));
  const IB w = xsimd::select(subnormal, rebuilt, magnitude);
  const IB fraction_mask(static_cast<I>((I(1) << p) - 1));
  const B m = from_bits<T, A>((w & fraction_mask) | one_bits | sign);
  const B biased_exponent = small_int_to_float<T, A>(w >> p);
  const B offset = xsimd::select(float_mask<T, A>(subnormal),
                                 B(T(backward_limits<T>::min_exponent)), B(T(0)));
  return {m, biased_exponent - B(T(backward_limits<T>::exponent_bias)) + offset};
}

// |P| 2^K with one rounding where the result is normal or overflows, and a
// second (to the subnormal grid, by unscale_exactly) where it is subnormal;
// |P| in [0.5, 8), K integer-valued. The sign is applied by the caller.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> scale_magnitude(batch<T, A> P, batch<T, A> K) noexcept {
  using B = batch<T, A>;
  using L = backward_limits<T>;
  const B k_small = xsimd::min(xsimd::max(K, B(L::k_low)), B(L::k_split));
  const B small = unscale_exactly(P * power_of_two(k_small + B(T(sigmoid_limits<T>::scale))));
  const B k_big = xsimd::min(xsimd::max(K, B(L::k_split)), B(L::k_high));
  const B k1 = xsimd::floor(k_big * B(T(0.5)));
  const B big = (P * power_of_two(k1)) * power_of_two(k_big - k1);
  return xsimd::select(K > B(L::k_split), big, small);
}

// The fused path's result RN(dy RN(y - y^2)) for y in (0, 1) and finite
// nonzero dy, with no subnormal entering or leaving an instruction: the lanes
// that FTZ/DAZ send out of line (a subnormal factor or result) get the bits
// that the fused path gives with gradual underflow. t = RN(y - y^2) is normal
// for normal y, and t = y for subnormal y (y^2 is far below half its ULP). A
// subnormal factor f is carried as f 2^126 (subnormal_lifted). With a = |dy|
// and b = t so scaled, by 2^s in all, the exact product goes onto the
// subnormal grid in one rounding as
//     RN(a b + 2^(s - 126)) - 2^(s - 126)   (in the encodings),
// the sum lying in [2^(s - 126), 2^(s - 125)], where the spacing is the
// grid's; where RN(a b) reaches 2^(s - 126) the result is normal, RN(a b) 2^-s.
// (Both factors subnormal, s = 252: the result is 0 and RN(a b) < 2^126.)
template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_backward_fused_exactly(batch<T, A> y, batch<T, A> dy) noexcept {
  using B = batch<T, A>;
  using IB = int_batch<T, A>;
  const B one(T(1)), min_normal(std::numeric_limits<T>::min());
  const IB min_normal_bits = to_bits(min_normal);
  const IB y_bits = to_bits(y), dy_magnitude = to_bits(xsimd::abs(dy));
  const auto y_sub = float_mask<T, A>(y_bits < min_normal_bits);
  const auto dy_sub = float_mask<T, A>(dy_magnitude < min_normal_bits);
  const B b = xsimd::select(y_sub, subnormal_lifted<T, A>(y_bits), neg_mul_add(y, y, y));
  const B a = xsimd::select(dy_sub, subnormal_lifted<T, A>(dy_magnitude), xsimd::abs(dy));
  const auto scaled_once = y_sub ^ dy_sub;
  const B rounder = xsimd::select(y_sub & dy_sub, B(T(1) / std::numeric_limits<T>::min()),
                                  xsimd::select(scaled_once, one, min_normal));
  const B unscale = xsimd::select(scaled_once, min_normal, one);
  const B hi = a * b;
  const B tiny = from_bits<T, A>(to_bits(mul_add(a, b, rounder)) - to_bits(rounder));
  return xsimd::copysign(xsimd::select(hi < rounder, tiny, hi * unscale), dy);
}

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> sigmoid_backward_wide(batch<T, A> y, batch<T, A> dy) noexcept {
  using B = batch<T, A>;
  using I = typename bits_of<T>::type;
  using L = backward_limits<T>;
  const B one(T(1));
  const B ay = xsimd::abs(y);
  // The lanes of the main path keep its bits.
  const auto rare = sigmoid_backward_rare(y, dy);
  const B main = sigmoid_backward_main(y, dy);

  // Special lanes: a zero, infinite or NaN factor, or 1 - y = 0. The plain
  // formula, with subnormal factors replaced by the smallest normal of their
  // sign (the result, 0, inf or NaN, depends only on signs there; the swap
  // keeps DAZ from turning inf * subnormal into NaN).
  const B inf(std::numeric_limits<T>::infinity());
  const auto finite = (ay < inf) & (xsimd::abs(dy) < inf);
  const auto special = (!finite) | is_zero_encoding(y) | is_zero_encoding(dy) | (y == one);
  const auto lift = [](B v) {
    const int_batch<T, A> magnitude = to_bits(xsimd::abs(v));
    const int_batch<T, A> min_normal = to_bits(B(std::numeric_limits<T>::min()));
    const auto sub = (magnitude < min_normal) & (magnitude != int_batch<T, A>(I(0)));
    return xsimd::select(float_mask<T, A>(sub),
                         xsimd::copysign(B(std::numeric_limits<T>::min()), v), v);
  };
  const B y_l = lift(y), dy_l = lift(dy);
  const B plain = (dy_l * y_l) * (one - y_l);

  // Scaled lanes. c + c_lo = 1 - y (TwoSum), c_lo dropped where it is below
  // 2^-50 of c, c = 1 exactly where y is below 2^-60 (2^-120).
  const auto y_small = ay < B(L::y_small);
  const B y_c = xsimd::select(y_small | !finite, B(T(0)), y);
  const B c = one - y_c;
  const B bb = c - one;
  B c_lo = (one - (c - bb)) + (-y_c - bb);
  c_lo = xsimd::select(ay > B(L::y_large), B(T(0)), c_lo);
  const binade_split<T, A> sy = split_binade(xsimd::select(special, one, y));
  const binade_split<T, A> sd = split_binade(xsimd::select(special, one, dy));
  const binade_split<T, A> sc = split_binade(xsimd::select(special, one, c));
  const B c_lo_scaled = c_lo * power_of_two(-xsimd::select(special, B(T(0)), sc.k));
  const product<T, A> a = two_prod(sy.m, sc.m);
  const B a_lo = mul_add(sy.m, c_lo_scaled, a.lo);
  const B P = mul_add_corrected(sd.m, a.hi, sd.m * a_lo);
  const B magnitude = scale_magnitude(xsimd::abs(P), sy.k + sd.k + sc.k);
  B scaled = xsimd::copysign(magnitude, P);
  if constexpr (has_fused_fma<A>::value) {
    // y in (0, 1): the fused path's bits, which it gives without FTZ/DAZ.
    const int_batch<T, A> y_bits = to_bits(y);
    const auto unit = float_mask<T, A>((y_bits > int_batch<T, A>(I(0))) & (y_bits < to_bits(one)));
    scaled = xsimd::select(unit & !special, sigmoid_backward_fused_exactly(y, dy), scaled);
  }

  return xsimd::select(rare, xsimd::select(special, plain, scaled), main);
}

// The lanes sent out of line in the caller's mode (fp_mode.hpp). With a fused
// multiply-add and gradual underflow the fused path is exact for every y in
// [0, 1] (sigmoid_backward_fused_exactly gives its bits out of line), so y
// alone decides: one test instead of the result's. -0 may go either way: both
// paths give the formula's signed zero.
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> sigmoid_backward_rare_in_mode(batch<T, A> y, batch<T, A> dy,
                                                                     bool flushes) noexcept {
  if constexpr (has_fused_fma<A>::value) {
    if (!flushes) return !((y >= batch<T, A>(T(0))) & (y <= batch<T, A>(T(1))));
  }
  return sigmoid_backward_rare(y, dy);
}

template <class T, class A>
LOGISTIC_INLINE bool sigmoid_backward_any_rare(batch<T, A> y0, batch<T, A> dy0, batch<T, A> y1,
                                               batch<T, A> dy1, batch<T, A> y2, batch<T, A> dy2,
                                               batch<T, A> y3, batch<T, A> dy3,
                                               bool flushes) noexcept {
  if constexpr (has_fused_fma<A>::value) {
    if (!flushes) return any_outside(y0, y1, y2, y3, T(0), T(1) + std::numeric_limits<T>::epsilon());
  }
  return xsimd::any(sigmoid_backward_rare(y0, dy0) | sigmoid_backward_rare(y1, dy1) |
                    sigmoid_backward_rare(y2, dy2) | sigmoid_backward_rare(y3, dy3));
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> sigmoid_backward_kernel_impl(batch<T, A> y, batch<T, A> dy,
                                                        bool flushes) noexcept {
  if (xsimd::any(sigmoid_backward_rare_in_mode(y, dy, flushes))) return sigmoid_backward_wide(y, dy);
  return sigmoid_backward_main(y, dy);
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
