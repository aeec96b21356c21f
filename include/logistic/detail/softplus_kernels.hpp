// Internal: the softplus kernels of the faithful and fast tiers (log-sigmoid
// is -softplus(-x) and runs the same kernels).
//
//     softplus(x) = max(x, 0) + log1p(e),   e = e^-|x| = E (1 + Q) in (0, 1],
// so no step overflows or cancels. Faithful tier: e = e_hi + e_lo from the
// exponential core (e_lo = RN(E + E Q - e_hi), 2^-48 relative), and
// log1p(e) = H + L from log1p_unit_core, which takes e_hi + e_lo as it is in
// its first piece (e < 0.0324 or 0.0673), so tiny e keep their relative accuracy.
// For x > 0 the sum x + H is exact by Knuth's TwoSum, and the result is
// rounded once: RN(s + (err + L)). The errors before that last rounding (core
// 2^-28.5, log core 2^-29, the sums inside L) stay below 0.1 ULP, so the
// total is below 0.6 ULP.
//
// Main path |x| <= z_main (40 float, 45 double; sigmoid's range, e >= 2^-58 /
// 2^-65): no intermediate is subnormal (see exp_core.hpp and log1p_unit_core.hpp).
// Out of line: x > z_main gives x (log1p(e) < 2^-57 x is below half an ULP of
// x), x < -z_main gives log1p(e) = e (1 - e/2 + ...), i.e. RN(e) to within
// e < 2^-57 (2^-65) relative, which is sigmoid's tail (sigmoid_wide, with its
// FTZ/DAZ-proof subnormal results), so the same bounds hold there.
//
// Fast tier: e rounded once, log1p_unit_fast (one-word logc, r rounded once),
// max(x, 0) + that; a few ULP. x < -z_main is sigmoid's fast tail: e rounded,
// +0 where e would be subnormal (x < -87.34 float, -708.40 double).
#ifndef LOGISTIC_DETAIL_SOFTPLUS_KERNELS_HPP
#define LOGISTIC_DETAIL_SOFTPLUS_KERNELS_HPP

#include <limits>

#include "exp_core.hpp"
#include "log1p_unit_core.hpp"
#include "sigmoid_kernels.hpp"
#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// -x by flipping the sign bit: xsimd may negate by subtracting from 0, which
// reads a subnormal x as 0 under DAZ (log_sigmoid's results can be subnormal).
template <class T, class A>
LOGISTIC_INLINE batch<T, A> flip_sign(batch<T, A> x) noexcept {
  using I = typename bits_of<T>::type;
  return from_bits<T, A>(to_bits(x) ^ int_batch<T, A>(std::numeric_limits<I>::min()));
}

// e = E (1 + Q) as e_hi + e_lo.
template <class T, class A>
LOGISTIC_INLINE log_argument<T, A> exp_neg_split(exp_parts<T, A> e) noexcept {
  if constexpr (has_fused_fma<A>::value) {
    const batch<T, A> hi = mul_add(e.E, e.Q, e.E);
    return {hi, mul_add(e.E, e.Q, e.E - hi)};  // E - hi is exact
  }
  const product<T, A> eq = two_prod(e.E, e.Q);
  const batch<T, A> hi = e.E + eq.hi;
  return {hi, ((e.E - hi) + eq.hi) + eq.lo};  // Fast2Sum: |E| >= |E Q|
}

// The faithful softplus for |x| = z <= z_main (or NaN).
template <class T, class A>
LOGISTIC_INLINE batch<T, A> softplus_main(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  // A NaN x leaves the cores on z_main: the only NaN in flight is then x's,
  // through x+, so the result is x quieted whatever the order the compiler
  // gave the operands of each addition (a NaN from the cores could differ).
  const B zf = clamp_above_or_limit(z, sigmoid_limits<T>::z_main);
  const log_argument<T, A> e = exp_neg_split(exp_neg<0>(zf));
  const log_sum<T, A> l = log1p_unit(e.hi, e.lo);
  // x+ + H exactly as s + err (TwoSum), then one rounding. x+ is x for NaN.
  const B xp = clamp_below(x, T(0));
  const B s = xp + l.hi;
  const B h_part = s - xp;
  const B err = (xp - (s - h_part)) + (l.hi - h_part);
  return s + (err + l.lo);
}

// Batches with some |x| > z_main: x for x > z_main, sigmoid's tail (RN(e^x))
// for x < -z_main.
template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> softplus_wide(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  using L = sigmoid_limits<T>;
  const B main = softplus_main(x, clamp_above(z, L::z_main));
  const B tail = sigmoid_wide(x, z);
  return xsimd::select(x > B(L::z_main), x, xsimd::select(x < B(-L::z_main), tail, main));
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> softplus_rare(batch<T, A> x) noexcept {
  return abs_above(x, sigmoid_limits<T>::z_main);  // NaN as well on AVX-512: both paths give x
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> softplus_faithful(batch<T, A> x) noexcept {
  if (xsimd::any(softplus_rare(x))) return softplus_wide(x, xsimd::abs(x));
  return softplus_main(x, xsimd::abs(x));
}

// Fast tier, |x| <= z_main.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> softplus_fast_main(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  const exp_parts<T, A> p = exp_neg_fast(clamp_above_or_limit(z, sigmoid_limits<T>::z_main));
  const B e = mul_add(p.E, p.Q, p.E);  // E >= 2^-58: E Q is normal even unfused
  // NaN reaches the result through x+ only (see softplus_main).
  return clamp_below(x, T(0)) + log1p_unit_fast(e);
}

template <class T, class A>
LOGISTIC_NOINLINE batch<T, A> softplus_fast_wide(batch<T, A> x, batch<T, A> z) noexcept {
  using B = batch<T, A>;
  using L = sigmoid_limits<T>;
  const B main = softplus_fast_main(x, clamp_above(z, L::z_main));
  const B tail = sigmoid_fast_wide(x, z);
  return xsimd::select(x > B(L::z_main), x, xsimd::select(x < B(-L::z_main), tail, main));
}

template <class T, class A>
LOGISTIC_INLINE batch<T, A> softplus_fast(batch<T, A> x) noexcept {
  if (xsimd::any(softplus_rare(x))) return softplus_fast_wide(x, xsimd::abs(x));
  return softplus_fast_main(x, xsimd::abs(x));
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
