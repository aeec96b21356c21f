// logistic/bce.hpp — binary cross-entropy with logits: the elementwise loss, the
// reduced loss, the gradient and a fused loss + gradient pass, with PyTorch's
// binary_cross_entropy_with_logits semantics.
//
// Declarations (T is float or double):
//
//   template <class T> struct bce_options {
//     const T* weight = nullptr;  // per-element weights w[i] (nullptr: all 1)
//     T pos_weight = 1;           // pw, the weight of the positive term
//     T label_smoothing = 0;      // alpha: y' = y (1 - alpha) + alpha / 2
//   };
//   enum class reduction { none, sum, mean };
//   enum class bce_status { ok, null_pointer, bad_pos_weight, bad_label_smoothing,
//                           bad_reduction };
//
//   bce_status logistic::bce_with_logits(const T* x, const T* y, T* loss, std::size_t n,
//                                        const bce_options<T>& = {}) noexcept;
//   T          logistic::bce_with_logits(const T* x, const T* y, std::size_t n,
//                                        const bce_options<T>& = {},
//                                        reduction r = reduction::mean) noexcept;
//   bce_status logistic::bce_with_logits_grad(const T* x, const T* y, T* grad,
//                                             std::size_t n, const bce_options<T>& = {},
//                                             reduction r = reduction::mean) noexcept;
//   T          logistic::bce_with_logits_fused(const T* x, const T* y, T* grad,
//                                              std::size_t n, const bce_options<T>& = {},
//                                              reduction r = reduction::mean) noexcept;
//   T          logistic::bce_with_logits(T x, T y, const bce_options<T>& = {}) noexcept;
//   T          logistic::bce_with_logits_grad(T x, T y, const bce_options<T>& = {}) noexcept;
//   const char* logistic::bce_status_message(bce_status) noexcept;
//
// Meaning. With y' = y (1 - alpha) + alpha/2, the loss of element i is
//     l_i = w_i [ (1 - y') x + (1 + (pw - 1) y') softplus(-x) ]
//         = w_i [ (1 - y') softplus(x) + pw y' softplus(-x) ],
// and its derivative d l_i / d x_i = w_i ((pw y' + 1 - y') sigma(x) - pw y').
// reduction::sum is the sum of the l_i; reduction::mean divides that sum by n,
// PyTorch's rule: weights do NOT change the divisor (mean = sum / n, not
// sum / sum(w)). The gradient of reduction::mean is the per-element
// derivative times 1/n; of reduction::sum and reduction::none the
// per-element derivative itself. Labels may be soft (any y in [0, 1]).
//
// Contract:
//   - elementwise loss and gradient (the array forms, reduction none or sum, and the
//     scalar forms): within 2 ULP of the exact value for the given inputs.
//     Measured, float, all 2^32 x for y = 0 and y = 1 (AVX2+FMA and AVX-512; SSE2 on
//     every 4th block of 4096 floats): max 0.78 ULP (AVX2) / 0.77 (AVX-512, SSE2), loss
//     and gradient, at subnormal results (sigmoid's tail, rounded twice); dense sweeps
//     over soft labels, pos_weight 0..100, smoothing 0, 0.1, 1 and weights: loss 0.82 ULP
//     (1.0 SSE2), gradient 0.69 (0.94 SSE2). Double, 10^7 random inputs against MPFR:
//     loss 0.74 ULP (1.07 SSE2, which has no fused multiply-add for the tails), gradient
//     1.55 ULP;
//   - the gradient of a soft label (or with smoothing) cancels near its zero
//     x = log(b / a), b / a = pw y' / (1 - y'): there the ULP bound holds only while
//     |grad| >= 2^-32 (float) / 2^-4 (double) of its larger term t = max((1 - y')
//     sigma(x), pw y' sigma(-x)) w; closer to the zero the error is below 2^-56 (float)
//     / 2^-55 (double) of t (measured 0.54 2^-55 for double). Float computes such lanes
//     in double (its own exponential is good to 2^-28 only); double has no wider type;
//     hard labels (y in {0, 1}, no smoothing) never cancel;
//   - with reduction::mean the gradient carries the factor 1/n inside its rounding, same
//     bounds (float: 1/n as an unevaluated sum); weights likewise;
//   - reduced loss: float terms are computed in float from a cheaper evaluation (on
//     AVX-512, piecewise polynomials for |x| < 15.75; elsewhere the fast tier's exp and
//     log; the faithful loss beyond |x| = 40) as (1 - y') |x| or pw y' |x|, plus
//     (1 - y' + pw y') log1p(e^-|x|), non-negative parts that never cancel: each term
//     within 6 ULP (measured over soft labels, pos_weight 1e-10..1e4, smoothing 1e-6..1
//     and weights: 3.9 ULP AVX-512, 4.8 AVX2, 5.4 SSE2), errors of
//     both signs, summed in double (detail/reduce.hpp: below 2^-23 + 2^-27 relative for
//     n <= 2^31, round-to-nearest partial sums); double terms are the faithful ones,
//     summed with compensation (below 2^-50). Measured relative error of the float mean
//     against an exact (__float128) mean, n = 2^24 and 2^26 random logits with +-100 and
//     +-1e30, hard labels: 0.49 and 0.34 x 2^-24; soft labels with pos_weight,
//     smoothing and weights: 0.60 x 2^-24; dense sweeps: at most 1.9 x 2^-24;
//   - the fused form returns a reduced loss with the same bound, reading x, y (and w)
//     once, and writes the gradient within the bounds above. Its double terms are
//     bce_with_logits's; its float terms may differ from them in the last bits where they
//     come from the gradient's exponential (|x| >= 15.75 on AVX-512, all |x| <= 40
//     elsewhere), within the same 6 ULP. Float on AVX-512 with pos_weight 1, no smoothing
//     and no weights takes piecewise polynomials for hard labels and |x| < 15.75 for the
//     gradient too (measured 1.29 ULP over 2^26 elements, 1.56 in the dense sweeps, with
//     mean's 1/n); otherwise the faithful gradient. Its bits may therefore differ from
//     bce_with_logits_grad's, but an element's result never depends on its neighbours;
//   - extreme arguments: a weight or pos_weight beyond 2^32 (double 2^256), a label beyond
//     2^16 (2^128), or a weight, pos_weight, label or smoothing factor below 2^-40
//     (2^-300) but not 0, would let an intermediate overflow or fall among the
//     subnormals; such elements (or, for the options, every element) are computed in
//     long double, one at a time (slower; x86's 64-bit significand, aarch64's binary128):
//     within the bounds above, +-inf only where the exact value is beyond T's range;
//   - special values: x = +inf gives loss (1 - y') inf, i.e. 0 for y' = 1 and +inf
//     otherwise; x = -inf gives pw y' inf, i.e. 0 for y' = 0 (any pw) and +inf
//     otherwise; never NaN from non-NaN inputs in range. NaN in x, y or w gives NaN. The
//     gradient is finite for every finite input and for +-inf (x = +inf: w (1 - y');
//     x = -inf: -w pw y'), except where the exact gradient is beyond T's range (then
//     +-inf); results that are subnormal are computed, not flushed; the loss is >= 0 for
//     valid inputs; a loss beyond T's range (|x| near FLT_MAX with pw or w > 1, or huge
//     weights) is +inf, never NaN, and so is then the reduced loss;
//   - FTZ / DAZ: unlike the elementwise family, BCE is a sum of terms, and a term below
//     the smallest normal number m (e^-|x| beyond |x| = 87 for float, 708 for double,
//     times a label, weight or pw) flushes under FTZ. With normal (or zero) labels and
//     weights, any logits, a result then stays within 1 ULP + 8 m of its default-mode
//     value (tested with w (1 + pw) <= 5.25; the bound scales with it), a reduction over
//     k elements within 1 ULP + 8 k m; NaN stays NaN. Under DAZ a subnormal label or
//     weight reads as 0 (no bound);
//   - bad arguments (design §4): n > 0 with x, y or the output null; pos_weight
//     negative, NaN or infinite; label_smoothing NaN or outside [0, 1];
//     reduction::none where a reduced value is returned. The forms returning
//     bce_status report them (with a null pointer nothing is written; with bad
//     options the outputs are filled with NaN); the forms returning T return
//     NaN (and the fused form fills grad with NaN when it can). Never a crash,
//     never an exception. The mean of n = 0 elements is NaN (0/0, as PyTorch),
//     their sum 0. Labels outside [0, 1] and negative weights are data, not
//     options: computed by the formula, unchecked;
//   - scalar and array forms return bit-identical results in one build;
//   - any n, any alignment; loss (grad) may equal x or y (in place); other
//     overlaps are undefined. No allocation, no exceptions, thread-safe.
// Speed (float, AVX-512, g++ 12, AMD EPYC (Zen 4), logits ~ N(0, 4^2), labels 0/1,
// bench/bce.cpp, medians of 5): at 64 Ki elements the reduced loss 0.29 ns/element and the
// fused pass 0.62, against 0.95 for the naive loss loop (-O3 -march=native -ffast-math):
// 3.3x and 1.5x; at 16 Mi the reduced loss 0.41 ns/element, as fast as summing x and y
// (0.41). Logits spread uniformly over [-40, 40] take the slower paths: 1.1 and 2.2.
#ifndef LOGISTIC_BCE_HPP
#define LOGISTIC_BCE_HPP

#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>

#include <xsimd/xsimd.hpp>

#include "detail/array_driver.hpp"
#include "detail/bce_kernels.hpp"
#include "detail/config.hpp"
#include "detail/reduce.hpp"

namespace logistic {

template <class T>
struct bce_options {
  const T* weight = nullptr;
  T pos_weight = T(1);
  T label_smoothing = T(0);
};

enum class reduction { none, sum, mean };

enum class bce_status { ok, null_pointer, bad_pos_weight, bad_label_smoothing, bad_reduction };

inline const char* bce_status_message(bce_status s) noexcept {
  switch (s) {
    case bce_status::ok: return "ok";
    case bce_status::null_pointer: return "n > 0 with a null input or output pointer";
    case bce_status::bad_pos_weight: return "pos_weight must be finite and >= 0";
    case bce_status::bad_label_smoothing: return "label_smoothing must lie in [0, 1]";
    case bce_status::bad_reduction: return "this form needs reduction::sum or reduction::mean";
  }
  return "unknown bce_status";
}

inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// What each public form computes per batch, stores and sums. Each mode has
// rare(x, y): the lanes its inline path cannot take; common(...): that
// inline path; full(...): any batch, with the same result as common() in
// every lane that is not rare, so that an element's result never depends on
// its neighbours.
struct bce_loss_mode {
  static constexpr bool store = true, accumulate = false;
  template <class T, class A>
  static LOGISTIC_INLINE batch<T, A> output(const bce_values<T, A>& v) noexcept { return v.loss; }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                      const bce_setup<T>& s) noexcept {
    return bce_rare(x) | bce_extreme<Weighted, Unit>(y, w, s);
  }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE bce_values<T, A> common(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                 const bce_setup<T>& s) noexcept {
    return bce_main<true, false, Weighted, Unit>(x, xsimd::abs(x), y, w, s);
  }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE bce_values<T, A> full(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                               const bce_setup<T>& s) noexcept {
    return bce_faithful<true, false, Weighted, Unit>(x, y, w, s);
  }
};

struct bce_grad_mode {
  static constexpr bool store = true, accumulate = false;
  template <class T, class A>
  static LOGISTIC_INLINE batch<T, A> output(const bce_values<T, A>& v) noexcept { return v.grad; }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                      const bce_setup<T>& s) noexcept {
    return bce_rare(x) | bce_extreme<Weighted, Unit>(y, w, s);
  }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE bce_values<T, A> common(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                 const bce_setup<T>& s) noexcept {
    return bce_main<false, true, Weighted, Unit>(x, xsimd::abs(x), y, w, s);
  }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE bce_values<T, A> full(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                               const bce_setup<T>& s) noexcept {
    return bce_faithful<false, true, Weighted, Unit>(x, y, w, s);
  }
};

// The reduced loss. Float: the cheaper term (piecewise polynomial on AVX-512
// for |x| <= 15.75, else exp + log; the faithful loss beyond z_main).
// Double: the faithful loss.
struct bce_reduce_mode {
  static constexpr bool store = false, accumulate = true;
  template <class T, class A>
  static LOGISTIC_INLINE batch<T, A> output(const bce_values<T, A>& v) noexcept { return v.loss; }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                      const bce_setup<T>& s) noexcept {
    if constexpr (bce_uses_piecewise<T, A>::value) {
      return (!(xsimd::abs(x) < batch<T, A>(bce_piecewise_limit))) | bce_extreme<Weighted, Unit>(y, w, s);
    } else {
      return bce_rare(x) | bce_extreme<Weighted, Unit>(y, w, s);
    }
  }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE bce_values<T, A> common(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                 const bce_setup<T>& s) noexcept {
    if constexpr (std::is_same<T, float>::value) {
      return {bce_term_piecewise<Weighted, Unit>(x, y, w, s), batch<T, A>(T(0))};
    } else {
      return bce_main<true, false, Weighted, Unit>(x, xsimd::abs(x), y, w, s);
    }
  }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_NOINLINE bce_values<T, A> full(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                 const bce_setup<T>& s) noexcept {
    if constexpr (std::is_same<T, float>::value) {
      using B = batch<T, A>;
      const B z = xsimd::abs(x);
      B term = bce_term_exp_log<Weighted, Unit>(x, y, w, s);
      if (xsimd::any(bce_rare(x))) {
        term = xsimd::select(bce_rare(x), bce_faithful<true, false, Weighted, Unit>(x, y, w, s).loss, term);
      }
      if constexpr (bce_uses_piecewise<T, A>::value) {
        term = xsimd::select(z < B(bce_piecewise_limit), bce_term_piecewise<Weighted, Unit>(x, y, w, s), term);
      }
      return bce_fix_extreme<Weighted, Unit>(bce_values<T, A>{term, B(T(0))}, x, y, w, s);
    } else {
      return bce_faithful<true, false, Weighted, Unit>(x, y, w, s);
    }
  }
};

// The fused pass: the gradient stored, the loss terms (the reduce mode's)
// summed. Float on AVX-512 with pos_weight 1 and no smoothing: hard labels
// and |x| <= 15.75 take the piecewise polynomials for both; otherwise the
// faithful gradient (bce_fused_main, or bce_faithful beyond z_main).
struct bce_fused_mode {
  static constexpr bool store = true, accumulate = true;
  template <class T, class A>
  static LOGISTIC_INLINE batch<T, A> output(const bce_values<T, A>& v) noexcept { return v.grad; }
  template <bool Weighted, bool Unit, class T, class A>
  static constexpr bool piecewise() noexcept {
    return !Weighted && Unit && bce_uses_piecewise<T, A>::value;
  }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE xsimd::batch_bool<T, A> rare(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                      const bce_setup<T>& s) noexcept {
    // (The piecewise case has hard labels, pos_weight 1 and no weights: never extreme.)
    if constexpr (piecewise<Weighted, Unit, T, A>()) return bce_not_hard(x, y);
    else return bce_rare(x) | bce_extreme<Weighted, Unit>(y, w, s);
  }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_INLINE bce_values<T, A> common(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                 const bce_setup<T>& s) noexcept {
    if constexpr (piecewise<Weighted, Unit, T, A>()) {
      return {bce_term_piecewise<Weighted, Unit>(x, y, w, s),
              bce_grad_piecewise_hard<Weighted>(x, y, w, s)};
    } else {
      return bce_fused_main<Weighted, Unit>(x, y, w, s);
    }
  }
  template <bool Weighted, bool Unit, class T, class A>
  static LOGISTIC_NOINLINE bce_values<T, A> full(batch<T, A> x, batch<T, A> y, batch<T, A> w,
                                                 const bce_setup<T>& s) noexcept {
    using B = batch<T, A>;
    bce_values<T, A> v = bce_fused_main<Weighted, Unit>(x, y, w, s);
    if (xsimd::any(bce_rare(x))) {
      const bce_values<T, A> wide = bce_faithful<true, true, Weighted, Unit>(x, y, w, s);
      v.loss = xsimd::select(bce_rare(x), wide.loss, v.loss);
      v.grad = xsimd::select(bce_rare(x), wide.grad, v.grad);
    }
    if constexpr (bce_uses_piecewise<T, A>::value) {
      // The common path's results, lane by lane.
      v.loss = xsimd::select(xsimd::abs(x) < B(bce_piecewise_limit),
                             bce_term_piecewise<Weighted, Unit>(x, y, w, s), v.loss);
      if constexpr (piecewise<Weighted, Unit, T, A>()) {
        v.grad = xsimd::select(!bce_not_hard(x, y), bce_grad_piecewise_hard<Weighted>(x, y, w, s),
                               v.grad);
      }
    }
    return bce_fix_extreme<Weighted, Unit>(v, x, y, w, s);
  }
};

// The one loop of every form: three inputs (x, y and the weights) instead of
// the array driver's one or two, and an optional sum. Like the driver: four
// batches per step with one test for the out-of-line path, the tail through
// the same kernel on zero-padded copies (padding lanes get weight 0, so they
// add 0 to the sum), and every input of a step read before its outputs are
// written (in place allowed). Unweighted calls run the weighted code with
// w = 1, which multiplies exactly: the same bits as a weight array of ones.
template <class Mode, bool Weighted, bool Unit, class T>
double bce_drive(const T* x, const T* y, const T* weight, T* out, std::size_t n,
                 const bce_setup<T>& s) noexcept {
  using A = default_arch;
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  lane_sum<T, A> sum;
  std::size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    // Four named batches, not arrays: they must stay in registers.
    const B x0 = B::load_unaligned(x + i), x1 = B::load_unaligned(x + i + W);
    const B x2 = B::load_unaligned(x + i + 2 * W), x3 = B::load_unaligned(x + i + 3 * W);
    const B y0 = B::load_unaligned(y + i), y1 = B::load_unaligned(y + i + W);
    const B y2 = B::load_unaligned(y + i + 2 * W), y3 = B::load_unaligned(y + i + 3 * W);
    const B w0 = Weighted ? B::load_unaligned(weight + i) : B(T(1));
    const B w1 = Weighted ? B::load_unaligned(weight + i + W) : B(T(1));
    const B w2 = Weighted ? B::load_unaligned(weight + i + 2 * W) : B(T(1));
    const B w3 = Weighted ? B::load_unaligned(weight + i + 3 * W) : B(T(1));
    bce_values<T, A> v0, v1, v2, v3;
    if (!xsimd::any(Mode::template rare<Weighted, Unit>(x0, y0, w0, s) |
                    Mode::template rare<Weighted, Unit>(x1, y1, w1, s) |
                    Mode::template rare<Weighted, Unit>(x2, y2, w2, s) |
                    Mode::template rare<Weighted, Unit>(x3, y3, w3, s))) {
      v0 = Mode::template common<Weighted, Unit>(x0, y0, w0, s);
      v1 = Mode::template common<Weighted, Unit>(x1, y1, w1, s);
      v2 = Mode::template common<Weighted, Unit>(x2, y2, w2, s);
      v3 = Mode::template common<Weighted, Unit>(x3, y3, w3, s);
    } else {
      v0 = Mode::template full<Weighted, Unit>(x0, y0, w0, s);
      v1 = Mode::template full<Weighted, Unit>(x1, y1, w1, s);
      v2 = Mode::template full<Weighted, Unit>(x2, y2, w2, s);
      v3 = Mode::template full<Weighted, Unit>(x3, y3, w3, s);
    }
    if constexpr (Mode::store) {
      Mode::output(v0).store_unaligned(out + i);
      Mode::output(v1).store_unaligned(out + i + W);
      Mode::output(v2).store_unaligned(out + i + 2 * W);
      Mode::output(v3).store_unaligned(out + i + 3 * W);
    }
    if constexpr (Mode::accumulate) sum.add4(v0.loss, v1.loss, v2.loss, v3.loss);
  }
  for (; i + W <= n; i += W) {
    const B wb = Weighted ? B::load_unaligned(weight + i) : B(T(1));
    const B xb = B::load_unaligned(x + i), yb = B::load_unaligned(y + i);
    const bce_values<T, A> v = xsimd::any(Mode::template rare<Weighted, Unit>(xb, yb, wb, s))
                                   ? Mode::template full<Weighted, Unit>(xb, yb, wb, s)
                                   : Mode::template common<Weighted, Unit>(xb, yb, wb, s);
    if constexpr (Mode::store) Mode::output(v).store_unaligned(out + i);
    if constexpr (Mode::accumulate) sum.add(v.loss);
  }
  if (i < n) {
    const std::size_t m = n - i;
    alignas(A::alignment()) T tx[W] = {};
    alignas(A::alignment()) T ty[W] = {};
    alignas(A::alignment()) T tw[W] = {};
    std::memcpy(tx, x + i, m * sizeof(T));
    std::memcpy(ty, y + i, m * sizeof(T));
    if (Weighted) {
      std::memcpy(tw, weight + i, m * sizeof(T));
    } else {
      for (std::size_t k = 0; k < m; ++k) tw[k] = T(1);
    }
    // The same kernel as the body; the padding lanes are kept out of the sum.
    alignas(A::alignment()) T lane[W];
    for (std::size_t k = 0; k < W; ++k) lane[k] = static_cast<T>(k);
    bce_values<T, A> v = Mode::template full<Weighted, Unit>(B::load_aligned(tx), B::load_aligned(ty),
                                                            B::load_aligned(tw), s);
    v.loss = xsimd::select(B::load_aligned(lane) < B(static_cast<T>(m)), v.loss, B(T(0)));
    if constexpr (Mode::store) {
      Mode::output(v).store_aligned(tx);
      std::memcpy(out + i, tx, m * sizeof(T));
    }
    if constexpr (Mode::accumulate) sum.add(v.loss);
  }
  if constexpr (Mode::accumulate) return sum.total();
  return 0.0;
}

template <class Mode, class T>
double bce_run(const T* x, const T* y, T* out, std::size_t n, const bce_options<T>& o,
               const bce_setup<T>& s) noexcept {
  if (o.weight) {
    if (s.unit) return bce_drive<Mode, true, true>(x, y, o.weight, out, n, s);
    return bce_drive<Mode, true, false>(x, y, o.weight, out, n, s);
  }
  if (s.unit) return bce_drive<Mode, false, true>(x, y, o.weight, out, n, s);
  return bce_drive<Mode, false, false>(x, y, o.weight, out, n, s);
}

template <class T>
bce_status bce_check_options(const bce_options<T>& o) noexcept {
  if (!(o.pos_weight >= T(0)) || std::isinf(o.pos_weight)) return bce_status::bad_pos_weight;
  if (!(o.label_smoothing >= T(0) && o.label_smoothing <= T(1))) {
    return bce_status::bad_label_smoothing;
  }
  return bce_status::ok;
}

template <class T>
bce_status bce_check(const T* x, const T* y, const T* out, bool needs_out, std::size_t n,
                     const bce_options<T>& o) noexcept {
  if (n > 0 && (!x || !y || (needs_out && !out))) return bce_status::null_pointer;
  return bce_check_options(o);
}

// The kernels' constants for valid options; 1/n for the gradient of mean.
template <class T>
bce_setup<T> bce_setup_of(const bce_options<T>& o, reduction r, std::size_t n) noexcept {
  bce_setup<T> s;
  s.pos_weight = o.pos_weight;
  const T alpha = o.label_smoothing;
  s.smoothing = alpha != T(0);
  s.keep_hi = T(1) - alpha;
  s.keep_lo = (T(1) - s.keep_hi) - alpha;  // Fast2Sum: exact, 1 >= alpha
  s.half_alpha = alpha / T(2);
  s.alpha = alpha;
  s.unit = o.pos_weight == T(1) && !s.smoothing;
  s.extreme = bce_extreme_options(o.pos_weight, alpha);
  s.unit_scale = !o.weight && r != reduction::mean;
  if (r == reduction::mean && n > 0) {
    const long double inverse = 1.0L / static_cast<long double>(n);
    s.scale_hi = static_cast<T>(inverse);
    s.scale_lo = static_cast<T>(inverse - static_cast<long double>(s.scale_hi));
    s.scale_ratio = static_cast<T>((inverse - static_cast<long double>(s.scale_hi)) /
                                   static_cast<long double>(s.scale_hi));
  }
  return s;
}

template <class T>
void bce_fill_nan(T* out, std::size_t n) noexcept {
  if (!out) return;
  for (std::size_t i = 0; i < n; ++i) out[i] = std::numeric_limits<T>::quiet_NaN();
}

template <class T>
bool is_reduced(reduction r) noexcept {
  return r == reduction::sum || r == reduction::mean;
}

template <class T>
T bce_finish(double total, std::size_t n, reduction r) noexcept {
  if (r == reduction::sum) return static_cast<T>(total);
  if (n == 0) return std::numeric_limits<T>::quiet_NaN();
  return static_cast<T>(total / static_cast<double>(n));
}

}  // namespace detail

// Elementwise losses.
template <class T>
bce_status bce_with_logits(const T* x, const T* y, T* loss, std::size_t n,
                           const bce_options<T>& options = {}) noexcept {
  detail::check_type<T>();
  const bce_status st = detail::bce_check(x, y, loss, true, n, options);
  if (st == bce_status::null_pointer) return st;
  if (st != bce_status::ok) {
    detail::bce_fill_nan(loss, n);
    return st;
  }
  if constexpr (detail::is_supported_type<T>::value) {
    detail::bce_run<detail::bce_loss_mode>(x, y, loss, n, options,
                                           detail::bce_setup_of(options, reduction::none, n));
  }
  return bce_status::ok;
}

// The reduced loss (sum, or mean = sum / n); NaN for bad arguments.
template <class T>
T bce_with_logits(const T* x, const T* y, std::size_t n, const bce_options<T>& options = {},
                  reduction r = reduction::mean) noexcept {
  detail::check_type<T>();
  if (!detail::is_reduced<T>(r) || detail::bce_check(x, y, x, false, n, options) != bce_status::ok) {
    return std::numeric_limits<T>::quiet_NaN();
  }
  double total = 0;
  if constexpr (detail::is_supported_type<T>::value) {
    total = detail::bce_run<detail::bce_reduce_mode>(x, y, static_cast<T*>(nullptr), n, options,
                                                     detail::bce_setup_of(options, r, n));
  }
  return detail::bce_finish<T>(total, n, r);
}

// dL/dx: per element for none and sum, times 1/n for mean.
template <class T>
bce_status bce_with_logits_grad(const T* x, const T* y, T* grad, std::size_t n,
                                const bce_options<T>& options = {},
                                reduction r = reduction::mean) noexcept {
  detail::check_type<T>();
  const bce_status st = detail::bce_check(x, y, grad, true, n, options);
  if (st == bce_status::null_pointer) return st;
  const bool bad_reduction = !(r == reduction::none || detail::is_reduced<T>(r));
  if (st != bce_status::ok || bad_reduction) {
    detail::bce_fill_nan(grad, n);
    return st != bce_status::ok ? st : bce_status::bad_reduction;
  }
  if constexpr (detail::is_supported_type<T>::value) {
    detail::bce_run<detail::bce_grad_mode>(x, y, grad, n, options,
                                           detail::bce_setup_of(options, r, n));
  }
  return bce_status::ok;
}

// The reduced loss, returned, and its gradient, written, in one pass over x
// and y; NaN for bad arguments (grad then filled with NaN where possible).
template <class T>
T bce_with_logits_fused(const T* x, const T* y, T* grad, std::size_t n,
                        const bce_options<T>& options = {},
                        reduction r = reduction::mean) noexcept {
  detail::check_type<T>();
  const bce_status st = detail::bce_check(x, y, grad, true, n, options);
  if (st != bce_status::ok || !detail::is_reduced<T>(r)) {
    if (st != bce_status::null_pointer) detail::bce_fill_nan(grad, n);
    return std::numeric_limits<T>::quiet_NaN();
  }
  double total = 0;
  if constexpr (detail::is_supported_type<T>::value) {
    total = detail::bce_run<detail::bce_fused_mode>(x, y, grad, n, options,
                                                    detail::bce_setup_of(options, r, n));
  }
  return detail::bce_finish<T>(total, n, r);
}

// One element (options.weight, when given, is that element's weight): the
// array form with n = 1, hence the same bits. NaN for bad options.
template <class T>
T bce_with_logits(T x, T y, const bce_options<T>& options = {}) noexcept {
  T loss = T(0);
  bce_with_logits(&x, &y, &loss, 1, options);
  return loss;
}

template <class T>
T bce_with_logits_grad(T x, T y, const bce_options<T>& options = {}) noexcept {
  T grad = T(0);
  bce_with_logits_grad(&x, &y, &grad, 1, options, reduction::none);
  return grad;
}

}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
