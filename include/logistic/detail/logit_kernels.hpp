// Internal: the logit kernel, logit(p) = log(p / (1 - p)).
//
// Symmetry first: for p > 1/2, q = 1 - p is exact (Sterbenz) and
// logit(p) = -logit(q), so only q in [0, 1/2] is evaluated. There v = q / (1 -
// q) in [0, 1] is v_hi = RN(q / RN(1 - q)) plus
//     v_lo = (q - v_hi (1 - q)) / (1 - q) = rho (1 + v_hi) (1 + O(2^-24)),
// using 1 / (1 - q) = 1 + v and rho = RN(q v_hi + (q - v_hi)), where q - v_hi
// is exact (Sterbenz, v_hi in [q, 2q]) and the sum, a residual, is rounded
// once (fused multiply-add, or Dekker's product whose high part cancels
// exactly). Then logit(q) = log(v_hi + v_lo) by the log core (log1p_core.hpp),
// which keeps its relative accuracy as v -> 1 (p -> 1/2): there r_hi = v_hi - 1
// is exact and r_lo = v_lo, whose own error is below 2^-23 |v_lo| and |v_lo| <
// 2^-12 |log v| (a v_hi close to 1 has few significant bits below 1, so the
// quotient's tail is then small). The result H + L is rounded once: below
// 0.6 ULP.
//
// Main path q >= q_min (2^-60 float, 2^-500 double): q^2 and every residual
// stay normal. Out of line: q < q_min (0, subnormals, negative p, p > 1,
// +-inf). There log1p(-q) < q is below 2^-40 ULP of |log q| and is dropped:
// logit(q) = log(q), with q scaled exactly to q 2^S (S = 64, 500) from its
// encoding (a subnormal through the integer mantissa, which no instruction
// reads as a float), and k offset by -S. Zero gives -inf, a negative q (sign
// bit set, nonzero) NaN; NaN p propagates through the main path.
#ifndef LOGISTIC_DETAIL_LOGIT_KERNELS_HPP
#define LOGISTIC_DETAIL_LOGIT_KERNELS_HPP

#include <limits>

#include "log1p_core.hpp"
#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T>
struct logit_limits;

template <>
struct logit_limits<float> {
  static constexpr float q_min = 0x1p-60f;
  static constexpr int scale = 64;
  static constexpr float scale_up = 0x1p64f;
  static constexpr float subnormal_unit = 0x1p-85f;  // 2^-149 2^64: the subnormal step, scaled
};

template <>
struct logit_limits<double> {
  static constexpr double q_min = 0x1p-500;
  static constexpr int scale = 500;
  static constexpr double scale_up = 0x1p500;
  static constexpr double subnormal_unit = 0x1p-574;  // 2^-1074 2^500
};

// min(p, 1 - p), exact, and whether it is 1 - p.
template <class T, class A>
struct logit_half {
  batch<T, A> q;
  xsimd::batch_bool<T, A> upper;
};

template <class T, class A>
LOGISTIC_INLINE logit_half<T, A> logit_fold(batch<T, A> p) noexcept {
  const auto upper = p > batch<T, A>(T(0.5));
  return {xsimd::select(upper, batch<T, A>(T(1)) - p, p), upper};
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> logit_unfold(logit_half<T, A> h, batch<T, A> y) noexcept {
  return xsimd::select(h.upper, -y, y);
}

// logit(q) for q in [q_min, 1/2] (or NaN).
template <class T, class A>
LOGISTIC_INLINE batch<T, A> logit_lower(batch<T, A> q) noexcept {
  using B = batch<T, A>;
  const B v_hi = divide(q, B(T(1)) - q);
  // rho = q - v_hi (1 - q) with the exact 1 - q, as q v_hi + (q - v_hi): the
  // difference is exact (Sterbenz: v_hi in [q, 2q]) and the sum a residual.
  // Fused, q itself enters (not -q, a second NaN of the other sign for NaN p).
  const B d = q - v_hi;
  B rho;
  if constexpr (has_fused_fma<A>::value) {
    rho = mul_add(q, v_hi, d);
  } else {
    rho = residual(-q, v_hi, d);
  }
  // v_lo = rho / (1 - q) = rho (1 + v), and the core takes v_lo 2^-k as rho
  // times 2^-k (1 + v_hi) = 2^-k + z (known before rho).
  const log_reduction<T, A> red = log_reduce<0>(v_hi);
  const log_sum<T, A> l = log_core_reduced(red, rho, red.scale + red.z);
  return l.hi + l.lo;
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> logit_main(batch<T, A> p) noexcept {
  const logit_half<T, A> h = logit_fold(p);
  return logit_unfold(h, logit_lower(h.q));
}

// Lanes that the main path cannot take: q < q_min, p >= 1 (NaN is not).
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> logit_rare(batch<T, A> p) noexcept {
  using B = batch<T, A>;
  return (p < B(logit_limits<T>::q_min)) | (p >= B(T(1)));
}

// logit(q) = log(q) for q < q_min, from the encoding of q (see the top).
template <class T, class A>
LOGISTIC_INLINE batch<T, A> logit_tiny(batch<T, A> q) noexcept {
  using B = batch<T, A>;
  using I = typename bits_of<T>::type;
  using IB = int_batch<T, A>;
  using L = logit_limits<T>;
  constexpr I sign_bit = static_cast<I>(I(1) << (sizeof(T) * 8 - 1));
  const IB bits = to_bits(q);
  const IB magnitude_bits = bits & IB(static_cast<I>(~sign_bit));
  // 2^mantissa + m - 2^mantissa = m: the subnormal's integer mantissa, as a
  // normal number (scaled by 2^(S - 1074) or 2^(S - 149) to q 2^S).
  const B mantissa_unit(T(I(1) << bits_of<T>::mantissa));
  const B subnormal_scaled =
      (from_bits<T, A>(magnitude_bits | to_bits(mantissa_unit)) - mantissa_unit) *
      B(L::subnormal_unit);
  const B magnitude = from_bits<T, A>(magnitude_bits);
  const auto is_subnormal = magnitude < B(std::numeric_limits<T>::min());  // DAZ: 0, also true
  const B scaled = xsimd::select(is_subnormal, subnormal_scaled, magnitude * B(L::scale_up));
  const log_sum<T, A> l = log_core<-L::scale>(scaled, B(T(0)));
  // The sign bit on 1: -1 for negative q (and -0, which is caught as zero first).
  const B sign = from_bits<T, A>((bits & IB(sign_bit)) | to_bits(B(T(1))));
  const B y = xsimd::select(sign < B(T(0)), B(std::numeric_limits<T>::quiet_NaN()), l.hi + l.lo);
  return xsimd::select(scaled == B(T(0)), B(-std::numeric_limits<T>::infinity()), y);
}

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> logit_wide(batch<T, A> p) noexcept {
  using B = batch<T, A>;
  const logit_half<T, A> h = logit_fold(p);
  const B q_main = xsimd::select(h.q < B(logit_limits<T>::q_min), B(T(0.25)), h.q);
  const B y = xsimd::select(h.q < B(logit_limits<T>::q_min), logit_tiny(h.q), logit_lower(q_main));
  return logit_unfold(h, y);
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> logit_faithful(batch<T, A> p) noexcept {
  if (xsimd::any(logit_rare(p))) return logit_wide(p);
  return logit_main(p);
}

// clamp(p, lo, hi) keeping NaN; lo = +inf, hi = -inf turns every p into NaN
// through logit(-inf) (logit with an invalid eps).
template <class T, class A>
LOGISTIC_INLINE batch<T, A> logit_clamp(batch<T, A> p, batch<T, A> lo, batch<T, A> hi) noexcept {
  const batch<T, A> c = xsimd::select(p < lo, lo, p);
  return xsimd::select(c > hi, hi, c);
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
