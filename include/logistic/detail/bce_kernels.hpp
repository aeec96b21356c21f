// Internal: the per-element kernels of binary cross-entropy with logits
// (include/logistic/bce.hpp).
//
// With y' = y (1 - alpha) + alpha/2 (label smoothing), a = 1 - y' and
// b = pw y' (pos_weight), PyTorch's loss
//     (1 - y') x + (1 + (pw - 1) y') softplus(-x)
// equals a softplus(x) + b softplus(-x), a sum of two non-negative terms.
// With z = |x|, e = e^-z and L = log1p(e), softplus(+-x) = max(+-x, 0) + L,
// so
//     loss = c1 z + c2 L,   c1 = (x > 0 ? a : b),   c2 = a + b,
// again two non-negative terms: nothing cancels, whatever the label. The
// gradient (1 - y') sigma(x) - pw y' sigma(-x) is
//     x >= 0:  (a - b e) / (1 + e),      x < 0:  -(b - a e) / (1 + e),
// which does cancel for soft labels near its zero x = log(b / a): the
// numerator P - M e is formed from exact products, so its error is that of e
// (2^-28 relative in float, 2^-57 in double, from the exponential core) times
// M e. Float lanes with soft labels (or smoothing) are therefore computed in
// double; double has nothing wider, and bce.hpp states the resulting bound.
// Hard labels (y in {0, 1}, no smoothing) have P = 0 or M = 0: no cancellation.
//
// Coefficients. a and b are kept as unevaluated sums hi + lo: 1 - y is exact
// by TwoSum, pw y by an exact product, and with smoothing y' and a are each
// computed as (1 - y) (1 - alpha) + alpha/2 (resp. y (1 - alpha) + alpha/2)
// from exact pieces, so that a stays relatively accurate when y' is close to
// 1 (a large logit with y = 1 and a tiny alpha). The weight (and for the
// reduction `mean` the factor 1/n of the gradient) multiplies in at the end,
// inside the last rounding.
//
// Faithful path (elementwise loss and gradient), |x| <= z_main (40 float,
// 45 double; sigmoid's range): e = e_hi + e_lo from the exponential core,
// L = H + L_lo from the log core (as softplus), c1 z and c2 H as exact
// products, all summed with one final rounding; 1 / (1 + e) = y0 (1 + rho)
// with y0 from a division (or rcp14 for float on AVX-512) and its residual
// rho. The error before the last rounding is a few 2^-28 (float) / 2^-57
// (double) relative, so the results are within about 0.6 ULP (float and
// double, the gradient away from its zero; 0.78 at subnormal results).
// Out of line, |x| > z_main (and +-inf): L = e (to e^2 < 2^-80), the tiny
// term c2 e is formed scaled by 2^64 (2^128) and brought back by
// sigmoid.hpp's unscale_exactly (subnormal results computed, not flushed),
// then c1 z is added with a fused multiply-add: within about 1 ULP.
//
// Reduction path (float only: the reduced loss and the fused pass). The loss
// of each element only has to keep the MEAN accurate, so it is computed in
// float, from piecewise polynomials on AVX-512 (below) or the fast tier's exp
// and log elsewhere, errors of both signs, and summed in double
// (detail/reduce.hpp). Double reductions use the faithful terms.
//
// Contraction. GCC contracts a*b + c into a fused multiply-add wherever the
// target has one, across inlined functions and intrinsics, also with
// -std=c++17 (-ffp-contract=fast is its C++ default); products whose rounded
// value enters an exact sum therefore pass through opaque() below.
#ifndef LOGISTIC_DETAIL_BCE_KERNELS_HPP
#define LOGISTIC_DETAIL_BCE_KERNELS_HPP

#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "config.hpp"
#include "exp_core.hpp"
#include "log1p_unit_core.hpp"
#include "reduce.hpp"
#include "sigmoid_kernels.hpp"
#include "simd.hpp"
#include "softplus_kernels.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// The options of one call, checked and prepared once (bce.hpp).
template <class T>
struct bce_setup {
  T pos_weight = T(1);
  bool smoothing = false;   // alpha != 0
  bool unit = true;         // pos_weight 1 and no smoothing
  T alpha = T(0);           // label smoothing
  T keep_hi = T(1);         // 1 - alpha = keep_hi + keep_lo exactly
  T keep_lo = T(0);
  T half_alpha = T(0);      // alpha / 2
  T scale_hi = T(1);        // the gradient's factor (1/n for mean) as hi + lo
  T scale_lo = T(0);
  T scale_ratio = T(0);     // scale_lo / scale_hi
  bool unit_scale = true;   // scale 1 and no weights
  bool extreme = false;     // pos_weight or alpha beyond bce_extreme_limits: every lane
};

template <class T, class A>
using pair = sum_pair<T, A>;

// The value of v, hidden from the optimizer. GCC contracts a product and a
// later addition into one fused multiply-add (-ffp-contract=fast is its
// default in C++, even with -std=c++17, and on intrinsics too) wherever the
// target has one; a TwoSum of a rounded product is then no longer exact.
// Routing the product through an empty asm statement makes it an opaque
// value: no instruction is emitted.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> opaque(batch<T, A> v) noexcept {
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
  typename batch<T, A>::register_type r = v;
  __asm__("" : "+v"(r));
  return batch<T, A>(r);
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__aarch64__)
  typename batch<T, A>::register_type r = v;
  __asm__("" : "+w"(r));
  return batch<T, A>(r);
#else
  return v;
#endif
}

// x y = hi + lo exactly (simd.hpp's two_prod), with hi opaque (see above).
template <class T, class A>
LOGISTIC_INLINE product<T, A> exact_product(batch<T, A> x, batch<T, A> y) noexcept {
  const product<T, A> p = two_prod(x, y);
  return {opaque(p.hi), p.lo};
}

// 1 - y exactly (TwoSum of 1 and -y).
template <class T, class A>
LOGISTIC_INLINE pair<T, A> one_minus(batch<T, A> y) noexcept {
  const batch<T, A> one(T(1));
  const batch<T, A> s = one - y;
  const batch<T, A> b_part = s - one;
  return {s, (one - (s - b_part)) - (y + b_part)};
}

// a - b exactly (TwoSum of a and -b).
template <class T, class A>
LOGISTIC_INLINE pair<T, A> exact_difference(batch<T, A> a, batch<T, A> b) noexcept {
  const batch<T, A> s = a - b;
  const batch<T, A> b_part = s - a;
  return {s, (a - (s - b_part)) - (b + b_part)};
}

// (hi + lo) * w to about 2^-2p relative: an exact product plus lo w.
template <class T, class A>
LOGISTIC_INLINE pair<T, A> scaled(pair<T, A> v, batch<T, A> w) noexcept {
  const product<T, A> p = exact_product(v.hi, w);
  return {p.hi, mul_add(v.lo, w, p.lo)};
}

// (hi + lo) * (w_hi + w_lo), the same way.
template <class T, class A>
LOGISTIC_INLINE pair<T, A> scaled(pair<T, A> v, pair<T, A> w) noexcept {
  const product<T, A> p = exact_product(v.hi, w.hi);
  return {p.hi, mul_add(v.hi, w.lo, mul_add(v.lo, w.hi, p.lo))};
}

// x + y for two unevaluated sums of non-negative parts (no cancellation).
template <class T, class A>
LOGISTIC_INLINE pair<T, A> added(pair<T, A> v, pair<T, A> w) noexcept {
  const pair<T, A> s = knuth_two_sum(v.hi, w.hi);
  return {s.hi, s.lo + (v.lo + w.lo)};
}

template <class T, class A>
LOGISTIC_INLINE pair<T, A> select_pair(xsimd::batch_bool<T, A> m, pair<T, A> v, pair<T, A> w) noexcept {
  return {xsimd::select(m, v.hi, w.hi), xsimd::select(m, v.lo, w.lo)};
}

// a = 1 - y' and b = pw y' for a batch of labels.
template <class T, class A>
struct bce_coefficients {
  pair<T, A> a;
  pair<T, A> b;
};

// Unit: pos_weight 1 and no smoothing, known at compile time (b = y).
template <bool Unit = false, class T, class A>
LOGISTIC_INLINE bce_coefficients<T, A> bce_coefficients_of(batch<T, A> y,
                                                           const bce_setup<T>& s) noexcept {
  using B = batch<T, A>;
  const B pw(s.pos_weight);
  const pair<T, A> not_y = one_minus(y);
  if constexpr (Unit) return {not_y, {y, B(T(0))}};
  if (!s.smoothing) {
    const product<T, A> b = exact_product(pw, y);
    return {not_y, {b.hi, b.lo}};
  }
  // y' = y (1 - alpha) + alpha/2 and a = (1 - y)(1 - alpha) + alpha/2, from
  // exact products and sums of non-negative parts (for y in [0, 1]).
  const pair<T, A> keep{B(s.keep_hi), B(s.keep_lo)};
  const pair<T, A> half{B(s.half_alpha), B(T(0))};
  const pair<T, A> y_smooth = added(scaled(keep, y), half);
  const pair<T, A> a = added(scaled(not_y, keep), half);
  return {a, scaled(y_smooth, pw)};
}

// e^-z = e_hi + e_lo and 1 + e^-z = v_hi + v_lo, for the main path.
template <class T, class A>
struct bce_exp {
  log_argument<T, A> e;
  batch<T, A> v_hi;
  batch<T, A> v_lo;
};

template <class T, class A>
LOGISTIC_INLINE bce_exp<T, A> bce_exp_of(batch<T, A> z) noexcept {
  const batch<T, A> one(T(1));
  const log_argument<T, A> e = exp_neg_split(exp_neg<0>(z));
  const batch<T, A> v_hi = one + e.hi;
  return {e, v_hi, ((one - v_hi) + e.hi) + e.lo};  // Fast2Sum: e <= 1
}

// The loss c1 z + c2 L before weighting, unrounded (main path). Unit: c2 = a + b
// = (1 - y) + y is exactly 1.
template <bool Unit, class T, class A>
LOGISTIC_INLINE pair<T, A> bce_loss_unrounded(batch<T, A> z, const bce_exp<T, A>& ex,
                                              pair<T, A> c1, pair<T, A> c2) noexcept {
  const log_sum<T, A> l = log1p_unit(ex.e.hi, ex.e.lo);
  const product<T, A> p1 = exact_product(c1.hi, z);
  const batch<T, A> t1 = mul_add(c1.lo, z, p1.lo);
  if constexpr (Unit) {
    (void)c2;
    const pair<T, A> s = knuth_two_sum(p1.hi, l.hi);
    return {s.hi, s.lo + (t1 + l.lo)};
  }
  const product<T, A> p2 = exact_product(c2.hi, l.hi);
  const batch<T, A> t2 = mul_add(c2.lo, l.hi, mul_add(c2.hi, l.lo, p2.lo));
  const pair<T, A> s = knuth_two_sum(p1.hi, p2.hi);
  return {s.hi, s.lo + (t1 + t2)};
}

// w (hi + lo), rounded once (w = 1: hi + lo rounded), with or without a
// fused multiply-add.
template <class T, class A>
LOGISTIC_INLINE batch<T, A> weighted(pair<T, A> v, batch<T, A> w) noexcept {
  const product<T, A> p = exact_product(w, v.hi);
  return p.hi + mul_add(w, v.lo, p.lo);
}

// The gradient's numerator: P - M e (x >= 0: P = a, M = b; x < 0: P = b,
// M = a, and the result changes sign).
template <class T, class A>
LOGISTIC_INLINE pair<T, A> bce_grad_numerator(xsimd::batch_bool<T, A> negative,
                                              const bce_coefficients<T, A>& c,
                                              log_argument<T, A> e) noexcept {
  const pair<T, A> p = select_pair(negative, c.b, c.a);
  const pair<T, A> m = select_pair(negative, c.a, c.b);
  const product<T, A> q = exact_product(m.hi, e.hi);
  const batch<T, A> q_lo = mul_add(m.hi, e.lo, mul_add(m.lo, e.hi, q.lo));
  const pair<T, A> d = exact_difference(p.hi, q.hi);
  return {d.hi, d.lo + (p.lo - q_lo)};
}

// The gradient's factor: w times the reduction's scale (1/n for mean).
template <bool Weighted, class T, class A>
LOGISTIC_INLINE pair<T, A> bce_grad_scale(batch<T, A> w, const bce_setup<T>& s) noexcept {
  const pair<T, A> scale{batch<T, A>(s.scale_hi), batch<T, A>(s.scale_lo)};
  if constexpr (Weighted) return scaled(scale, w);
  else return scale;
}

// scale (P - M e) / (1 + e), rounded once, before the sign (main path).
template <class T, class A>
LOGISTIC_INLINE batch<T, A> bce_grad_magnitude(const bce_exp<T, A>& ex, pair<T, A> numerator,
                                               pair<T, A> scale, const bce_setup<T>& s) noexcept {
  using B = batch<T, A>;
  const B one(T(1));
  const B y0 = reciprocal_estimate(ex.v_hi);
  B rho = neg_mul_add(ex.v_lo, y0, residual(ex.v_hi, y0, one));
  if constexpr (reciprocal_is_estimate<T, A>::value) {
    rho = mul_add(rho, rho, rho);  // |rho| < 2^-14: 1/v = y0 (1 + rho + rho^2) to 2^-42
  }
  // An exact product with a scale of 1 costs 17 operations without a fused
  // multiply-add: skipped when it is 1 (reductions none and sum, no weights).
  const pair<T, A> n = s.unit_scale ? numerator : scaled(numerator, scale);
  return mul_add_corrected(n.hi, y0, y0 * mul_add(n.hi, rho, n.lo));
}

// Loss and gradient of one batch; Loss / Grad say which are wanted (the
// other is not computed: the compiler drops what nothing reads).
template <class T, class A>
struct bce_values {
  batch<T, A> loss;
  batch<T, A> grad;
};

// Lanes whose label is neither 0 nor 1 (NaN included).
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> bce_soft_label(batch<T, A> y) noexcept {
  return !((y == batch<T, A>(T(0))) | (y == batch<T, A>(T(1))));
}

// The options of a float call for its double evaluation.
inline bce_setup<double> bce_setup_double(const bce_setup<float>& s) noexcept {
  bce_setup<double> d;
  d.pos_weight = s.pos_weight;
  d.smoothing = s.smoothing;
  d.unit = s.unit;
  d.alpha = s.alpha;
  d.keep_hi = 1.0 - static_cast<double>(s.alpha);
  d.keep_lo = (1.0 - d.keep_hi) - static_cast<double>(s.alpha);  // Fast2Sum: exact
  d.half_alpha = static_cast<double>(s.alpha) / 2;
  d.scale_hi = static_cast<double>(s.scale_hi) + static_cast<double>(s.scale_lo);  // exact
  d.scale_lo = 0.0;
  d.scale_ratio = 0.0;
  d.unit_scale = s.unit_scale;
  d.extreme = false;  // no float is extreme for double (and extreme float lanes are redone)
  return d;
}

template <bool Loss, bool Grad, bool Weighted, bool Unit, class T, class A>
LOGISTIC_INLINE bce_values<T, A> bce_faithful(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                              const bce_setup<T>& s) noexcept;

// The gradient of float inputs with soft labels (or smoothing), computed in
// double: near its zero x = log(b / a) the gradient cancels, and the float
// exponential's 2^-28 would count 2^k-fold in a result that cancels k bits.
// In double (exponential to 2^-57, coefficients exact) the float result stays
// within 2 ULP until |grad| falls below 2^-32 of its larger term, where the
// error is below 2^-56 of that term.
template <bool Weighted, bool Unit, class A>
LOGISTIC_NOINLINE batch<float, A> bce_grad_via_double(batch<float, A> x, batch<float, A> y,
                                                      batch<float, A> w,
                                                      const bce_setup<float>& s) noexcept {
  const bce_setup<double> d = bce_setup_double(s);
  const widened<A> xw = widen(x), yw = widen(y), ww = widen(w);
  const batch<double, A> low = bce_faithful<false, true, Weighted, Unit>(xw.low, yw.low, ww.low, d).grad;
  const batch<double, A> high = bce_faithful<false, true, Weighted, Unit>(xw.high, yw.high, ww.high, d).grad;
  return narrow(low, high);
}

// Whether a float batch's gradient goes through double.
template <class T, class A>
LOGISTIC_INLINE bool bce_grad_needs_double(batch<T, A> y, const bce_setup<T>& s) noexcept {
  if constexpr (std::is_same<T, float>::value) return s.smoothing || xsimd::any(bce_soft_label(y));
  else return false;
}

// The float gradient g, with the lanes that need double (soft labels, or all
// with smoothing) replaced by their double evaluation: lane by lane, so that
// an element's result never depends on its neighbours' labels.
template <bool Weighted, bool Unit, class T, class A>
LOGISTIC_INLINE batch<T, A> bce_grad_soft_lanes(batch<T, A> g, batch<T, A> x, batch<T, A> y,
                                                batch<T, A> w, const bce_setup<T>& s) noexcept {
  if constexpr (std::is_same<T, float>::value) {
    if (bce_grad_needs_double(y, s)) {
      const auto soft = s.smoothing ? xsimd::batch_bool<T, A>(true) : bce_soft_label(y);
      return xsimd::select(soft, bce_grad_via_double<Weighted, Unit>(x, y, w, s), g);
    }
  } else {
    (void)x, (void)y, (void)w, (void)s;
  }
  return g;
}

// Main path, |x| <= z_main or NaN.
template <bool Loss, bool Grad, bool Weighted, bool Unit, class T, class A>
LOGISTIC_INLINE bce_values<T, A> bce_main(batch<T, A> x, batch<T, A> z, batch<T, A> y,
                                          batch<T, A> w, const bce_setup<T>& s) noexcept {
  using B = batch<T, A>;
  const bce_coefficients<T, A> c = bce_coefficients_of<Unit>(y, s);
  const bce_exp<T, A> ex = bce_exp_of(z);
  const auto nan = xsimd::isnan(x);
  bce_values<T, A> r{B(T(0)), B(T(0))};
  if constexpr (Loss) {
    const pair<T, A> c1 = select_pair(x > B(T(0)), c.a, c.b);
    const pair<T, A> l = bce_loss_unrounded<Unit>(z, ex, c1, added(c.a, c.b));
    r.loss = xsimd::select(nan, x, Weighted ? weighted(l, w) : l.hi + l.lo);
  }
  if constexpr (Grad) {
    const auto negative = x < B(T(0));
    const B g = bce_grad_magnitude(ex, bce_grad_numerator(negative, c, ex.e), bce_grad_scale<Weighted>(w, s), s);
    r.grad = bce_grad_soft_lanes<Weighted, Unit>(xsimd::select(nan, x, xsimd::select(negative, flip_sign(g), g)),
                                                 x, y, w, s);
  }
  return r;
}

// The largest z whose e^-z the tail computes, scaled by 2^S: there E stays
// normal (z <= (126 + S) ln2 = 131.7 float, (1022 + S) ln2 = 797.1 double).
// Beyond it c2 e^-z is below half the smallest subnormal for any factor c2 up
// to 2^39 (float) / 2^75 (double) and the tail is 0. (sigma's own tail stops at
// z_zero, where e^-z alone rounds to 0: too early for a factor pw w > 1.)
template <class T>
constexpr T bce_tail_limit() noexcept {
  return std::is_same<T, float>::value ? T(131.0) : T(796.0);
}

// The loss and gradient of lanes with |x| > z_main, each weighted by its own
// factor (the gradient's includes 1/n for mean): the products are formed
// before the single rounding to a possibly subnormal result.
template <bool Loss, bool Grad, class T, class A>
LOGISTIC_INLINE batch<T, A> bce_wide_part(batch<T, A> x, batch<T, A> z,
                                          const bce_coefficients<T, A>& c, pair<T, A> factor,
                                          log_argument<T, A> e_scaled) noexcept {
  using B = batch<T, A>;
  const pair<T, A> a = scaled(c.a, factor), b = scaled(c.b, factor);
  const pair<T, A> c2 = added(a, b);
  // c2 e, scaled by 2^S, rounded once and brought back exactly.
  // (A negative weight makes it negative: unscale_exactly wants a magnitude.)
  const B t = mul_add(c2.hi, e_scaled.hi, mul_add(c2.hi, e_scaled.lo, c2.lo * e_scaled.hi));
  const B magnitude = unscale_exactly(xsimd::abs(t));
  const B tiny = xsimd::select(z > B(bce_tail_limit<T>()), B(T(0)),
                               xsimd::select(t < B(T(0)), flip_sign(magnitude), magnitude));
  const auto positive = x > B(T(0));
  if constexpr (Loss) {
    const pair<T, A> c1 = select_pair(positive, a, b);
    // c1 = 0 exactly: the loss is c2 e alone (also for infinite z, where c1 z is NaN).
    // The low part's product with z clamped to finite: 0 * inf would be NaN.
    const B z_finite = clamp_above(z, std::numeric_limits<T>::max());
    const B low = mul_add(c1.lo, z_finite, tiny);
    // c1.lo z overflows only where c1.hi z overflows by far more: then the result is
    // that infinity (an infinite low part would turn it into -inf or NaN).
    const B big = xsimd::select(xsimd::isinf(low), c1.hi * z, mul_add(c1.hi, z, low));
    return xsimd::select(c1.hi == B(T(0)), tiny, big);
  } else {
    static_assert(Grad, "one of the two");
    // (P - M e) / (1 + e) = P - (P + M) e + O(e^2) = P - c2 e.
    const pair<T, A> p = select_pair(positive, a, b);
    const B g = xsimd::select(p.hi == B(T(0)), flip_sign(tiny), p.hi + (p.lo - tiny));
    return xsimd::select(positive, g, flip_sign(g));
  }
}

// Batches with some |x| > z_main (see the top).
template <bool Loss, bool Grad, bool Weighted, bool Unit, class T, class A>
LOGISTIC_NOINLINE bce_values<T, A> bce_wide(batch<T, A> x, batch<T, A> z, batch<T, A> y,
                                            batch<T, A> w, const bce_setup<T>& s) noexcept {
  using B = batch<T, A>;
  using L = sigmoid_limits<T>;
  // All lanes beyond z_main (half of all floats): the main path has nothing to do.
  const bce_values<T, A> main = xsimd::all(z > B(L::z_main))
                                    ? bce_values<T, A>{B(T(0)), B(T(0))}
                                    : bce_main<Loss, Grad, Weighted, Unit>(x, clamp_above(z, L::z_main), y, w, s);
  const bce_coefficients<T, A> c = bce_coefficients_of<Unit>(y, s);
  const log_argument<T, A> e = exp_neg_split(exp_neg<L::scale>(clamp_above(z, bce_tail_limit<T>())));
  const auto wide = z > B(L::z_main);
  bce_values<T, A> r = main;
  if constexpr (Loss) {
    const B loss = bce_wide_part<true, false>(x, z, c, pair<T, A>{Weighted ? w : B(T(1)), B(T(0))}, e);
    r.loss = xsimd::select(wide, loss, main.loss);
  }
  if constexpr (Grad) {
    const pair<T, A> factor = bce_grad_scale<Weighted>(w, s);
    r.grad = bce_grad_soft_lanes<Weighted, Unit>(
        xsimd::select(wide, bce_wide_part<false, true>(x, z, c, factor, e), main.grad), x, y, w, s);
  }
  return r;
}

// ---------------------------------------------------------------------------
// Extreme weights, pos_weight, labels or smoothing. The paths above form
// products of w, pw, y' and 1/n with terms up to z_main exactly, or by
// Dekker's split where there is no fused multiply-add, and carry them as
// unevaluated sums. Beyond the upper bounds below an intermediate could
// overflow (inf - inf in a compensation term: NaN) where the result does
// not, or the split itself could (above 2^115 in float, 2^996 in double);
// below the lower bounds a product such as pw y or w a could fall among the
// subnormals, losing bits, while the result is normal. Within them no
// intermediate exceeds 2^86 (float) / 2^646 (double) nor falls below the
// smallest normal unless the result does too. Lanes outside them (rare: a
// pos_weight or weight beyond 4e9 or a label or weight below 1e-12, in
// float) are computed one at a time in long double (x86: 64-bit
// significand, exponents to 2^16383; aarch64: binary128), where nothing
// overflows or underflows: the exact value within a few 2^-64, rounded
// once to T, +-inf only when the exact value is beyond T's range.
// With pos_weight 1, no smoothing and no weights there is no computed
// coefficient, and only huge labels count.
template <class T>
struct bce_extreme_limits {
  static constexpr bool is_float = std::is_same<T, float>::value;
  static constexpr T weight = is_float ? T(0x1p32) : T(0x1p256);  // and pos_weight
  static constexpr T label = is_float ? T(0x1p16) : T(0x1p128);
  static constexpr T small = is_float ? T(0x1p-40) : T(0x1p-300);  // any factor, nonzero
};

// Whether v is neither 0 nor within [small, large] in magnitude (NaN: no).
template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> bce_outside(batch<T, A> v, T large) noexcept {
  using B = batch<T, A>;
  const B a = xsimd::abs(v);
  return (a > B(large)) | ((a < B(bce_extreme_limits<T>::small)) & (a != B(T(0))));
}

// Per call: a pos_weight or smoothing factor outside its bounds (every lane
// is then extreme).
template <class T>
bool bce_extreme_options(T pos_weight, T alpha) noexcept {
  using L = bce_extreme_limits<T>;
  const bool pw_out = pos_weight > L::weight || (pos_weight < L::small && pos_weight != T(0));
  return pw_out || (alpha < L::small && alpha != T(0));
}

// The lanes that take the long double evaluation (NaN compares false: a NaN
// label or weight stays on the vector paths, which propagate it).
template <bool Weighted, bool Unit, class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> bce_extreme(batch<T, A> y, batch<T, A> w,
                                                    const bce_setup<T>& s) noexcept {
  using B = batch<T, A>;
  using L = bce_extreme_limits<T>;
  xsimd::batch_bool<T, A> m = (Unit && !Weighted) ? xsimd::abs(y) > B(L::label) : bce_outside(y, L::label);
  if constexpr (Weighted) m = m | bce_outside(w, L::weight);
  return m | xsimd::batch_bool<T, A>(s.extreme);
}

// c v, with 0 for c = 0 (also when v is infinite: a term whose coefficient
// is 0 is absent, as on the vector paths).
inline long double bce_term_of(long double c, long double v) noexcept {
  return c == 0 ? 0.0L : c * v;
}

// One element's loss and gradient in long double, from the definitions:
// loss = w a softplus(x) + w b softplus(-x), grad = scale (w a sigma(x) -
// w b sigma(-x)), with softplus and sigma from e = e^-|x|.
template <class T>
LOGISTIC_NOINLINE void bce_extreme_element(T x, T y, T w, const bce_setup<T>& s, T& loss,
                                        T& grad) noexcept {
  using L = long double;
  if (std::isnan(x) || std::isnan(y) || std::isnan(w)) {
    loss = grad = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  const L lx = x, ly = y, lw = w;
  const L keep = 1 - L(s.alpha), half = L(s.alpha) / 2;
  const L a = lw * ((1 - ly) * keep + half);
  const L b = lw * (L(s.pos_weight) * (ly * keep + half));
  const L e = std::exp(-std::fabs(lx));
  const L log_term = std::log1p(e);
  const L softplus_pos = (lx > 0 ? lx : 0) + log_term, softplus_neg = (lx < 0 ? -lx : 0) + log_term;
  const L big = 1 / (1 + e), small = e / (1 + e);
  const L sigma_pos = lx >= 0 ? big : small, sigma_neg = lx >= 0 ? small : big;
  const L scale = L(s.scale_hi) + L(s.scale_lo);
  loss = static_cast<T>(bce_term_of(a, softplus_pos) + bce_term_of(b, softplus_neg));
  grad = static_cast<T>(scale * (bce_term_of(a, sigma_pos) - bce_term_of(b, sigma_neg)));
}

// v with its extreme lanes replaced by their long double values.
template <bool Weighted, class T, class A>
LOGISTIC_NOINLINE bce_values<T, A> bce_extreme_lanes(bce_values<T, A> v, xsimd::batch_bool<T, A> extreme,
                                                  batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                  const bce_setup<T>& s) noexcept {
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  alignas(A::alignment()) T xs[W], ys[W], ws[W], flags[W], loss[W], grad[W];
  x.store_aligned(xs);
  y.store_aligned(ys);
  (Weighted ? w : B(T(1))).store_aligned(ws);
  xsimd::select(extreme, B(T(1)), B(T(0))).store_aligned(flags);
  v.loss.store_aligned(loss);
  v.grad.store_aligned(grad);
  for (std::size_t k = 0; k < W; ++k) {
    if (flags[k] != T(0)) bce_extreme_element(xs[k], ys[k], ws[k], s, loss[k], grad[k]);
  }
  return {B::load_aligned(loss), B::load_aligned(grad)};
}

// The values of a batch, with the extreme lanes (if any) redone in long double.
template <bool Weighted, bool Unit, class T, class A>
LOGISTIC_INLINE bce_values<T, A> bce_fix_extreme(bce_values<T, A> v, batch<T, A> x, batch<T, A> y,
                                                 batch<T, A> w, const bce_setup<T>& s) noexcept {
  const xsimd::batch_bool<T, A> extreme = bce_extreme<Weighted, Unit>(y, w, s);
  if (xsimd::any(extreme)) return bce_extreme_lanes<Weighted>(v, extreme, x, y, w, s);
  return v;
}

template <class T, class A>
LOGISTIC_INLINE xsimd::batch_bool<T, A> bce_rare(batch<T, A> x) noexcept {
  return xsimd::abs(x) > batch<T, A>(sigmoid_limits<T>::z_main);
}

template <bool Loss, bool Grad, bool Weighted, bool Unit, class T, class A>
LOGISTIC_INLINE bce_values<T, A> bce_faithful(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                              const bce_setup<T>& s) noexcept {
  const batch<T, A> z = xsimd::abs(x);
  const bce_values<T, A> v = xsimd::any(bce_rare(x)) ? bce_wide<Loss, Grad, Weighted, Unit>(x, z, y, w, s)
                                                      : bce_main<Loss, Grad, Weighted, Unit>(x, z, y, w, s);
  return bce_fix_extreme<Weighted, Unit>(v, x, y, w, s);
}


// ---------------------------------------------------------------------------
// Reduction and fused paths, float on AVX-512: piecewise polynomials in z
// instead of an exponential and a logarithm. For z = |x| <= 15.75, piece
// k = round(2z) (k = 0..31, read by one two-register permutation per
// coefficient) and u = 2z - k in [-1/2, 1/2] (exact); on each piece
//     log1p(e^-z) ~ c0 + c1 u + ... + c5 u^5,  sigma(-z) likewise,
// interpolating at the Chebyshev nodes of the piece, c0 kept as two floats.
// The coefficients are printed by tools/gen_bce_tables.py (Python 3,
// standard library), which also emulates the float evaluation below and
// reports its maximum relative error over 4001 points per piece.
//
// Both stay within 2^-23.3 of the exact value relative (2^-25.1 before the
// final rounding), i.e. about 0.6 ULP, everywhere on [0, 15.75]; larger |x|
// take the exp + log path (or, beyond z_main, the faithful one).
// log1p(e^-z): max relative error of the float evaluation 2^-23.31
struct bce_piecewise_softplus_neg {
  alignas(64) static constexpr float c0_hi[32] = {
      0x1.62e43p-1f, 0x1.e5747p-2f, 0x1.40c7acp-2f, 0x1.9c7e9p-3f,
      0x1.03f2d6p-3f, 0x1.4321e2p-4f, 0x1.8e071p-5f, 0x1.e76e4cp-6f,
      0x1.295e5p-6f, 0x1.6a0334p-7f, 0x1.b818dap-8f, 0x1.0b48ecp-8f,
      0x1.447e36p-9f, 0x1.89d254p-10f, 0x1.dddef6p-11f, 0x1.21e536p-11f,
      0x1.5fb2f6p-12f, 0x1.aaa924p-13f, 0x1.02cb0cp-13f, 0x1.39f088p-14f,
      0x1.7cd566p-15f, 0x1.cdfa86p-16f, 0x1.1834aap-16f, 0x1.53e866p-17f,
      0x1.9c547p-18f, 0x1.f42e98p-19f, 0x1.2f603ep-19f, 0x1.700388p-20f,
      0x1.be6c64p-21f, 0x1.0ec5p-21f, 0x1.4875c8p-22f, 0x1.8e7136p-23f
  };
  alignas(64) static constexpr float c0_lo[32] = {
      -0x1.0b4ff4p-29f, -0x1.814c06p-31f, -0x1.a6607ap-31f, 0x1.8f7d94p-29f,
      -0x1.b926b4p-28f, -0x1.379158p-30f, -0x1.1cba24p-31f, 0x1.d5f0c8p-32f,
      0x1.9e8fcep-31f, -0x1.ae5d5ap-33f, 0x1.8b354cp-34f, 0x1.41abcap-33f,
      -0x1.8d8108p-35f, 0x1.1e203cp-36f, -0x1.96a576p-36f, -0x1.f2318ep-36f,
      0x1.5cdc78p-37f, -0x1.1f6756p-38f, -0x1.25cec8p-44f, 0x1.16aa0cp-39f,
      -0x1.e4cddcp-40f, -0x1.1dedeap-42f, -0x1.de010cp-41f, 0x1.9f2b2ep-42f,
      0x1.f33a64p-43f, -0x1.898f48p-44f, -0x1.1192eep-44f, -0x1.f06a62p-45f,
      0x1.10fc4p-54f, -0x1.dbbebap-47f, -0x1.dbbf9cp-47f, -0x1.dbefbcp-51f
  };
  alignas(64) static constexpr float c1[32] = {
      -0x1p-2f, -0x1.829a06p-3f, -0x1.136562p-3f, -0x1.759b84p-4f,
      -0x1.e84152p-5f, -0x1.36b712p-5f, -0x1.848344p-6f, -0x1.e04068p-7f,
      -0x1.26afa2p-7f, -0x1.680528p-8f, -0x1.b69f68p-9f, -0x1.0abd94p-9f,
      -0x1.441778p-10f, -0x1.8986a2p-11f, -0x1.dda738p-12f, -0x1.21d0b2p-12f,
      -0x1.5fa3dep-13f, -0x1.aa9e08p-14f, -0x1.02c6f6p-14f, -0x1.39ed86p-15f,
      -0x1.7cd32ep-16f, -0x1.cdf8e4p-17f, -0x1.18341p-17f, -0x1.53e7f6p-18f,
      -0x1.9c541ep-19f, -0x1.f42e5ap-20f, -0x1.2f6026p-20f, -0x1.700376p-21f,
      -0x1.be6c58p-22f, -0x1.0ec4fap-22f, -0x1.4875c4p-23f, -0x1.8e7134p-24f
  };
  alignas(64) static constexpr float c2[32] = {
      0x1.ffff6ep-6f, 0x1.e14932p-6f, 0x1.92a97p-6f, 0x1.317414p-6f,
      0x1.ae0e5p-7f, 0x1.1f254ep-7f, 0x1.721664p-8f, 0x1.d22c74p-9f,
      0x1.216288p-9f, 0x1.641028p-10f, 0x1.b3af56p-11f, 0x1.09a748p-11f,
      0x1.4349dap-12f, 0x1.88eedp-13f, 0x1.dd3718p-14f, 0x1.21a73cp-14f,
      0x1.5f8522p-15f, 0x1.aa8726p-16f, 0x1.02be62p-16f, 0x1.39e706p-17f,
      0x1.7cce28p-18f, 0x1.cdf4eap-19f, 0x1.18326cp-19f, 0x1.53e68cp-20f,
      0x1.9c52d2p-21f, 0x1.f42d18p-22f, 0x1.2f5f8p-22f, 0x1.7002c2p-23f,
      0x1.be6b8cp-24f, 0x1.0ec486p-24f, 0x1.48753ap-25f, 0x1.8e708ep-26f
  };
  alignas(64) static constexpr float c3[32] = {
      0x1.372e94p-20f, -0x1.3a54dp-10f, -0x1.f0334ep-10f, -0x1.02ad34p-9f,
      -0x1.b4b41p-10f, -0x1.44c66p-10f, -0x1.bea56cp-11f, -0x1.249052p-11f,
      -0x1.73f7cp-12f, -0x1.d051f8p-13f, -0x1.1e91dp-13f, -0x1.5f528cp-14f,
      -0x1.acebcep-15f, -0x1.052b7p-15f, -0x1.3d909cp-16f, -0x1.81c75ap-17f,
      -0x1.d46174p-18f, -0x1.1c3cbcp-18f, -0x1.58e85ap-19f, -0x1.a279b2p-20f,
      -0x1.fbb232p-21f, -0x1.33f48ap-21f, -0x1.7595b4p-22f, -0x1.c53174p-23f,
      -0x1.12e144p-23f, -0x1.4d730ep-24f, -0x1.947f3ap-25f, -0x1.eaae7p-26f,
      -0x1.299d2cp-26f, -0x1.690642p-27f, -0x1.b5f1f4p-28f, -0x1.09a096p-28f
  };
  alignas(64) static constexpr float c4[32] = {
      -0x1.5a09eep-12f, -0x1.05f6cap-12f, -0x1.83915ap-14f, 0x1.4e5758p-15f,
      0x1.a566f8p-14f, 0x1.ba6892p-14f, 0x1.678588p-14f, 0x1.01f626p-14f,
      0x1.599162p-15f, 0x1.bcd222p-16f, 0x1.179a98p-16f, 0x1.5a912p-17f,
      0x1.a9ec9p-18f, 0x1.04623cp-18f, 0x1.3d604ap-19f, 0x1.821d64p-20f,
      0x1.d53488p-21f, 0x1.1ce416p-21f, 0x1.59d05p-22f, 0x1.a3a866p-23f,
      0x1.fd3116p-24f, 0x1.34e28cp-24f, 0x1.76baacp-25f, 0x1.c697f6p-26f,
      0x1.13bbdcp-26f, 0x1.4e7d14p-27f, 0x1.95c28cp-28f, 0x1.ec371ap-29f,
      0x1.2a8b8p-29f, 0x1.6a277ep-30f, 0x1.b750e8p-31f, 0x1.0a757ap-31f
  };
  alignas(64) static constexpr float c5[32] = {
      0x1.0d6d64p-17f, 0x1.c5e6dcp-16f, 0x1.0c6dp-15f, 0x1.46cdeap-16f,
      0x1.6f5c2p-18f, -0x1.4351cap-19f, -0x1.45a7f6p-18f, -0x1.33d67p-18f,
      -0x1.d51292p-19f, -0x1.4357eap-19f, -0x1.a69086p-20f, -0x1.0bdd96p-20f,
      -0x1.4da2dp-21f, -0x1.9b34d2p-22f, -0x1.f7a0eep-23f, -0x1.333e9p-23f,
      -0x1.7604bap-24f, -0x1.c6acaep-25f, -0x1.142156p-25f, -0x1.4f39a4p-26f,
      -0x1.96d778p-27f, -0x1.edaa7cp-28f, -0x1.2b79cep-28f, -0x1.6b522cp-29f,
      -0x1.b8c24ap-30f, -0x1.0b581ep-30f, -0x1.445006p-31f, -0x1.896aacp-32f,
      -0x1.dd3e22p-33f, -0x1.2176cp-33f, -0x1.5f2378p-34f, -0x1.a9f412p-35f
  };
};

// sigma(-z): max relative error of the float evaluation 2^-23.28
struct bce_piecewise_sigmoid_neg {
  alignas(64) static constexpr float c0_hi[32] = {
      0x1p-1f, 0x1.829a06p-2f, 0x1.136562p-2f, 0x1.759b84p-3f,
      0x1.e84152p-4f, 0x1.36b71p-4f, 0x1.848344p-5f, 0x1.e04068p-6f,
      0x1.26afa2p-6f, 0x1.680528p-7f, 0x1.b69f68p-8f, 0x1.0abd94p-8f,
      0x1.441778p-9f, 0x1.8986a4p-10f, 0x1.dda738p-11f, 0x1.21d0b2p-11f,
      0x1.5fa3dep-12f, 0x1.aa9e08p-13f, 0x1.02c6f6p-13f, 0x1.39ed86p-14f,
      0x1.7cd32ep-15f, 0x1.cdf8e4p-16f, 0x1.18341p-16f, 0x1.53e7f6p-17f,
      0x1.9c541ep-18f, 0x1.f42e5ap-19f, 0x1.2f6026p-19f, 0x1.700376p-20f,
      0x1.be6c58p-21f, 0x1.0ec4fcp-21f, 0x1.4875c4p-22f, 0x1.8e7134p-23f
  };
  alignas(64) static constexpr float c0_lo[32] = {
      -0x1.45b1cp-36f, -0x1.504e58p-28f, -0x1.0e998cp-27f, -0x1.4fa7e4p-28f,
      0x1.b7a9bep-30f, 0x1.ce20dcp-29f, -0x1.c527a8p-31f, -0x1.fcd83p-37f,
      -0x1.95303cp-34f, -0x1.0faf72p-33f, 0x1.543884p-38f, 0x1.0a04cp-33f,
      -0x1.3ee81ep-34f, -0x1.eb6decp-35f, 0x1.fc45bap-36f, -0x1.dc795ap-37f,
      -0x1.1615eep-38f, -0x1.786936p-38f, -0x1.bc2352p-39f, 0x1.27fdbcp-39f,
      0x1.0af902p-40f, 0x1.c29fa4p-41f, -0x1.21b636p-42f, -0x1.2ac974p-47f,
      -0x1.4b065ep-47f, 0x1.36d1d8p-46f, 0x1.fdcea2p-44f, 0x1.fde5d2p-46f,
      -0x1.4b79cep-48f, -0x1.e100bcp-46f, -0x1.c5dfacp-49f, -0x1.13c694p-48f
  };
  alignas(64) static constexpr float c1[32] = {
      -0x1p-3f, -0x1.e149ap-4f, -0x1.92a948p-4f, -0x1.3173b2p-4f,
      -0x1.ae0dcp-5f, -0x1.1f2514p-5f, -0x1.721652p-6f, -0x1.d22ca2p-7f,
      -0x1.2162c2p-7f, -0x1.64108ap-8f, -0x1.b3afe2p-9f, -0x1.09a7a6p-9f,
      -0x1.434a52p-10f, -0x1.88ef68p-11f, -0x1.dd37d2p-12f, -0x1.21a7aep-12f,
      -0x1.5f85aep-13f, -0x1.aa87dp-14f, -0x1.02bec8p-14f, -0x1.39e782p-15f,
      -0x1.7ccec2p-16f, -0x1.cdf5a2p-17f, -0x1.1832dcp-17f, -0x1.53e714p-18f,
      -0x1.9c5378p-19f, -0x1.f42dep-20f, -0x1.2f5ffap-20f, -0x1.700356p-21f,
      -0x1.be6c4p-22f, -0x1.0ec4f2p-22f, -0x1.4875bcp-23f, -0x1.8e712ep-24f
  };
  alignas(64) static constexpr float c2[32] = {
      -0x1.03aba4p-24f, 0x1.d77c66p-8f, 0x1.742572p-7f, 0x1.8403c8p-7f,
      0x1.47877p-7f, 0x1.e72a2ep-8f, 0x1.4efc5cp-8f, 0x1.b6d8a4p-9f,
      0x1.16f9cep-9f, 0x1.5c3d5ap-10f, 0x1.adda7cp-11f, 0x1.077dbcp-11f,
      0x1.41b09cp-12f, 0x1.87c0d6p-13f, 0x1.dc5882p-14f, 0x1.215544p-14f,
      0x1.5f48c8p-15f, 0x1.aa5abap-16f, 0x1.02ae0ap-16f, 0x1.39dafep-17f,
      0x1.7cc55p-18f, 0x1.cdee66p-19f, 0x1.183008p-19f, 0x1.53e4c8p-20f,
      0x1.9c5186p-21f, 0x1.f42c22p-22f, 0x1.2f5f26p-22f, 0x1.70028p-23f,
      0x1.be6b5cp-24f, 0x1.0ec474p-24f, 0x1.48752cp-25f, 0x1.8e7086p-26f
  };
  alignas(64) static constexpr float c3[32] = {
      0x1.5565c6p-9f, 0x1.071db8p-9f, 0x1.81dd8ep-11f, -0x1.567a2p-12f,
      -0x1.a85cc6p-11f, -0x1.bba4b8p-11f, -0x1.67b288p-11f, -0x1.01ba4cp-11f,
      -0x1.58f53p-12f, -0x1.bbcce8p-13f, -0x1.16df38p-13f, -0x1.59975ap-14f,
      -0x1.a8ac7cp-15f, -0x1.0399acp-15f, -0x1.3c683ap-16f, -0x1.80eceep-17f,
      -0x1.d3c098p-18f, -0x1.1c0186p-18f, -0x1.58bcc6p-19f, -0x1.a259ap-20f,
      -0x1.fb9a98p-21f, -0x1.33ebdcp-21f, -0x1.758f5p-22f, -0x1.c52ccp-23f,
      -0x1.12df88p-23f, -0x1.4d71c8p-24f, -0x1.947e4ap-25f, -0x1.eaadcp-26f,
      -0x1.299cecp-26f, -0x1.690612p-27f, -0x1.b5f1d2p-28f, -0x1.09a088p-28f
  };
  alignas(64) static constexpr float c4[32] = {
      -0x1.c7e322p-20f, -0x1.1abf9p-12f, -0x1.4ed81ep-12f, -0x1.987866p-13f,
      -0x1.cd415ap-15f, 0x1.90d238p-16f, 0x1.9649ecp-15f, 0x1.8093c8p-15f,
      0x1.252fbep-15f, 0x1.945718p-16f, 0x1.0842bp-16f, 0x1.4f123cp-17f,
      0x1.a15f58p-18f, 0x1.013776p-18f, 0x1.3b0956p-19f, 0x1.80639ep-20f,
      0x1.d3ef04p-21f, 0x1.1c6c38p-21f, 0x1.597814p-22f, 0x1.a36774p-23f,
      0x1.fd014ap-24f, 0x1.34d0f8p-24f, 0x1.76adbcp-25f, 0x1.c68e7p-26f,
      0x1.13b85cp-26f, 0x1.4e7a8p-27f, 0x1.95c0a6p-28f, 0x1.ec35b4p-29f,
      0x1.2a8afep-29f, 0x1.6a271ep-30f, 0x1.b750ap-31f, 0x1.0a756p-31f
  };
  alignas(64) static constexpr float c5[32] = {
      -0x1.0779b6p-14f, -0x1.26d828p-15f, 0x1.b31e7cp-17f, 0x1.0437c2p-15f,
      0x1.7adf1cp-16f, 0x1.3c42bp-17f, 0x1.68c93cp-20f, -0x1.de79ap-20f,
      -0x1.38555p-19f, -0x1.05387cp-19f, -0x1.76c0b2p-20f, -0x1.f394f2p-21f,
      -0x1.401dcp-21f, -0x1.9128b8p-22f, -0x1.f030fap-23f, -0x1.307f9p-23f,
      -0x1.73fe56p-24f, -0x1.c52ecp-25f, -0x1.1394b8p-25f, -0x1.4ed22p-26f,
      -0x1.968b4ap-27f, -0x1.ed726cp-28f, -0x1.2b652ep-28f, -0x1.6b42fep-29f,
      -0x1.b8b71ep-30f, -0x1.0b5402p-30f, -0x1.444dp-31f, -0x1.896872p-32f,
      -0x1.dd3c8p-33f, -0x1.217626p-33f, -0x1.5f2306p-34f, -0x1.a9f3bep-35f
  };
};

template <class T, class A>
struct bce_uses_piecewise : is_avx512_float<T, A> {};

// The reach of the tables: round(2z) <= 31, i.e. z < 15.75 (15.75 itself
// rounds to 32).
constexpr float bce_piecewise_limit = 15.75f;

#if defined(__AVX512F__)
template <class A>
struct bce_piece {
  __m512i index;  // k in the low bits
  batch<float, A> u;
};

template <class A>
LOGISTIC_INLINE bce_piece<A> bce_piece_of(batch<float, A> z) noexcept {
  using B = batch<float, A>;
  const B shifter(0x1.8p23f);  // adding it rounds to an integer, kept in the low bits
  const B shifted = mul_add(z, B(2.0f), shifter);
  return {to_bits(shifted), mul_sub(z, B(2.0f), shifted - shifter)};  // exact
}

template <class Table, class A>
LOGISTIC_INLINE batch<float, A> bce_coefficient(const float (&c)[32], const bce_piece<A>& p) noexcept {
  return _mm512_permutex2var_ps(_mm512_load_ps(c), p.index, _mm512_load_ps(c + 16));
}

// The polynomial's value as c0_hi + rest, unrounded.
template <class A>
struct bce_piecewise_value {
  batch<float, A> c0_hi;
  batch<float, A> rest;
};

template <class Table, class A>
LOGISTIC_INLINE bce_piecewise_value<A> bce_piecewise_parts(const bce_piece<A>& p) noexcept {
  batch<float, A> q = bce_coefficient<Table>(Table::c5, p);
  q = mul_add(q, p.u, bce_coefficient<Table>(Table::c4, p));
  q = mul_add(q, p.u, bce_coefficient<Table>(Table::c3, p));
  q = mul_add(q, p.u, bce_coefficient<Table>(Table::c2, p));
  q = mul_add(q, p.u, bce_coefficient<Table>(Table::c1, p));
  return {bce_coefficient<Table>(Table::c0_hi, p), mul_add(q, p.u, bce_coefficient<Table>(Table::c0_lo, p))};
}

// Without c0_lo: one permutation and one addition fewer, for the reduction
// terms, whose errors only need to stay small on average: c0_hi's rounding
// adds at most 2^-25 relative (2^-23.1 in all).
template <class Table, class A>
LOGISTIC_INLINE batch<float, A> bce_piecewise_short(const bce_piece<A>& p) noexcept {
  batch<float, A> q = bce_coefficient<Table>(Table::c5, p);
  q = mul_add(q, p.u, bce_coefficient<Table>(Table::c4, p));
  q = mul_add(q, p.u, bce_coefficient<Table>(Table::c3, p));
  q = mul_add(q, p.u, bce_coefficient<Table>(Table::c2, p));
  q = mul_add(q, p.u, bce_coefficient<Table>(Table::c1, p));
  return mul_add(q, p.u, bce_coefficient<Table>(Table::c0_hi, p));
}
#endif

// w (c1 z + c2 f) for the reductions, given f = log1p(e^-|x|), from
// one-word coefficients a = 1 - y' and b = pw y': c1 = a (x > 0) or b, and
// c2 = a + b. Every term is non-negative (labels in [0, 1], pw >= 0), so
// nothing cancels: each coefficient is within an ULP or so (1 - y is exact
// for y >= 1/2; with smoothing a = (1 - y)(1 - alpha) + alpha/2 is formed
// from 1 - y, never as 1 - y', which would lose a when y' is close to 1),
// and the term within about 1 ULP, also without a fused multiply-add.
// Unit: pos_weight 1 and no smoothing (a = 1 - y, b = y, c2 = 1).
template <bool Weighted, bool Unit, class A>
LOGISTIC_INLINE batch<float, A> bce_reduction_term(batch<float, A> x, batch<float, A> y,
                                                   batch<float, A> w, batch<float, A> f,
                                                   const bce_setup<float>& s) noexcept {
  using B = batch<float, A>;
  const B z = xsimd::abs(x);  // a NaN x reaches the result through c1 z
  const auto positive = x > B(0.0f);
  B a = B(1.0f) - y;
  B t;
  if constexpr (Unit && has_fused_fma<A>::value) {
    // c1 z = max(x, 0) - x y, rounded once by the fused instruction: one operation
    // fewer on the reductions' hot path.
    t = neg_mul_add(x, y, xsimd::max(x, B(0.0f))) + f;
  } else if constexpr (Unit) {
    t = mul_add(xsimd::select(positive, a, y), z, f);
  } else {
    B ys = y;
    if (s.smoothing) {
      a = mul_add(a, B(s.keep_hi), B(s.half_alpha));
      ys = mul_add(y, B(s.keep_hi), B(s.half_alpha));
    }
    const B b = ys * B(s.pos_weight);
    t = mul_add(a + b, f, xsimd::select(positive, a, b) * z);
  }
  if constexpr (Weighted) t = t * w;
  return t;
}

// The reduction term through exp + log (any architecture), |x| <= z_main.
template <bool Weighted, bool Unit, class A>
LOGISTIC_INLINE batch<float, A> bce_term_exp_log(batch<float, A> x, batch<float, A> y,
                                                 batch<float, A> w,
                                                 const bce_setup<float>& s) noexcept {
  using B = batch<float, A>;
  const exp_parts<float, A> p = exp_neg_fast(xsimd::abs(x));
  const B e = mul_add(p.E, p.Q, p.E);
  return bce_reduction_term<Weighted, Unit>(x, y, w, log1p_unit_fast(e), s);
}

// The reduction term from the piecewise polynomial (AVX-512 float), z < 15.75.
template <bool Weighted, bool Unit, class A>
LOGISTIC_INLINE batch<float, A> bce_term_piecewise(batch<float, A> x, batch<float, A> y,
                                                   batch<float, A> w,
                                                   const bce_setup<float>& s) noexcept {
#if defined(__AVX512F__)
  if constexpr (bce_uses_piecewise<float, A>::value) {
    const bce_piece<A> p = bce_piece_of(xsimd::abs(x));
    return bce_reduction_term<Weighted, Unit>(x, y, w, bce_piecewise_short<bce_piecewise_softplus_neg>(p), s);
  }
#endif
  return bce_term_exp_log<Weighted, Unit>(x, y, w, s);
}

// The fused pass's gradient for hard labels (y in {0, 1}), pos_weight 1, no
// smoothing, z <= 15.75 (AVX-512 float). With sn = sigma(-z) = c0_hi + rest
// (unrounded) and S = w scale (scale = 1/n for mean, else 1):
//     x >= 0, y = 0:  S sigma(x)  = S - S sn      x < 0, y = 0:  S sigma(x)  = S sn
//     x >= 0, y = 1: -S sigma(-x) = -S sn         x < 0, y = 1: -S sigma(-x) = S sn - S
// i.e. A sn + C with A = -S (x >= 0) or S (x < 0), and C = +-S where the
// result is the complement of sn (x >= 0 differs from y = 1), else 0;
// evaluated as (A c0_hi + C) + A rest, two roundings of which the first is
// at most half an ULP of the result, and no cancellation (C and A sn have
// opposite signs only where |C| >= 2 |A sn|). With the piecewise error
// (2^-25.1) that is within about 1.1 ULP; for mean, 1/n = scale_hi (1 + q)
// is applied as r + r q, one more rounding (about 1.6 ULP in all). Unweighted
// calls only (the fused mode sends weighted ones to the faithful gradient).
template <bool Weighted, class A>
LOGISTIC_INLINE batch<float, A> bce_grad_piecewise_hard(batch<float, A> x, batch<float, A> y,
                                                        batch<float, A> w,
                                                        const bce_setup<float>& s) noexcept {
  using B = batch<float, A>;
#if defined(__AVX512F__)
  const bce_piece<A> p = bce_piece_of(xsimd::abs(x));
  const bce_piecewise_value<A> sn = bce_piecewise_parts<bce_piecewise_sigmoid_neg>(p);
  static_assert(!Weighted, "the fused mode sends weighted calls to the faithful gradient");
  (void)w;
  const B scale(s.scale_hi);
  const B minus_scale = flip_sign(scale);
  const auto nonnegative = x >= B(0.0f);
  const auto positive_label = y == B(1.0f);
  const B a = xsimd::select(nonnegative, minus_scale, scale);
  // x >= 0 differs from y = 1. (Not operator^: xsimd 8.1's AVX-512 batch_bool
  // xor is an or.)
  const xsimd::batch_bool<float, A> complement(_mm512_kxor(nonnegative, positive_label));
  const B c = xsimd::select(complement, xsimd::select(positive_label, minus_scale, scale), B(0.0f));
  const B r = mul_add(a, sn.rest, mul_add(a, sn.c0_hi, c));
  // S_lo: the exact scale is scale_hi (1 + q), q = scale_lo / scale_hi (0
  // unless mean): one more rounding instead of 1/n's own.
  return mul_add(r, B(s.scale_ratio), r);
#else
  (void)x, (void)y, (void)w, (void)s;
  return B(0.0f);
#endif
}

// Lanes the hard-label gradient cannot take: |x| >= 15.75 or NaN (one
// unordered comparison), or y not in {0, 1} (y == 1 is shared with the
// gradient's own test).
template <class A>
LOGISTIC_INLINE xsimd::batch_bool<float, A> bce_not_hard(batch<float, A> x, batch<float, A> y) noexcept {
  using B = batch<float, A>;
  const auto hard_label = (y == B(0.0f)) | (y == B(1.0f));
#if defined(__AVX512F__)
  if constexpr (std::is_base_of<xsimd::avx512f, A>::value) {
    const __mmask16 out_of_reach =
        _mm512_cmp_ps_mask(xsimd::abs(x), B(bce_piecewise_limit), _CMP_NLT_UQ);
    return xsimd::batch_bool<float, A>(_mm512_kor(out_of_reach, _mm512_knot(hard_label)));
  }
#endif
  return (!(xsimd::abs(x) < B(bce_piecewise_limit))) | (!hard_label);
}


// The fused pass's main path (|x| <= z_main or NaN), any architecture: the
// faithful gradient and the reduction's loss term, from one exponential. The
// term is bce_reduction_term's for float, the faithful loss for double.
template <bool Weighted, bool Unit, class T, class A>
LOGISTIC_INLINE bce_values<T, A> bce_fused_main(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                const bce_setup<T>& s) noexcept {
  using B = batch<T, A>;
  const B z = xsimd::abs(x);
  const bce_coefficients<T, A> c = bce_coefficients_of<Unit>(y, s);
  const bce_exp<T, A> ex = bce_exp_of(z);
  const auto negative = x < B(T(0));
  bce_values<T, A> r;
  const B g = bce_grad_magnitude(ex, bce_grad_numerator(negative, c, ex.e), bce_grad_scale<Weighted>(w, s), s);
  r.grad = bce_grad_soft_lanes<Weighted, Unit>(
      xsimd::select(xsimd::isnan(x), x, xsimd::select(negative, flip_sign(g), g)), x, y, w, s);
  if constexpr (std::is_same<T, float>::value) {
    r.loss = bce_reduction_term<Weighted, Unit>(x, y, w, log1p_unit_fast(ex.e.hi), s);
  } else {
    const pair<T, A> c1 = select_pair(x > B(T(0)), c.a, c.b);
    const pair<T, A> l = bce_loss_unrounded<Unit>(z, ex, c1, added(c.a, c.b));
    r.loss = xsimd::select(xsimd::isnan(x), x, Weighted ? weighted(l, w) : l.hi + l.lo);
  }
  return r;
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
