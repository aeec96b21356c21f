// Internal: the passes over the data of the calibration fits (fit_temperature,
// fit_platt). Both minimize a binary NLL of an affine transform of the scores,
//
//     L = sum_i w_i [softplus(u_i) - t_i u_i],   u_i = scale x_i + bias,
//
// (t_i the label, or Platt's smoothed target), with Newton's method, so each
// step needs L and its derivatives in scale and bias:
//
//     dL/dscale  = sum w (sigma(u) - t) x        d2L/dscale2 = sum w sigma'(u) x^2
//     dL/dbias   = sum w (sigma(u) - t)          d2L/dbias2  = sum w sigma'(u)
//                                                d2L/dscale dbias = sum w sigma'(u) x
//
// One pass computes them all: x, t, w are read once per batch, converted to
// double (float input: exactly, by widening), u formed by one multiply-add,
// and softplus, sigma and sigma' taken from the library's faithful double
// kernels (below 1 ULP each). Every sum is kept in double lanes with Knuth's
// TwoSum per addition and folded at the end: the sums are within a few
// units of 2^-53 of the exact sums of the (faithfully rounded) terms, so the
// fits converge to the minimum of the exact objective, not of a float one.
//
// The scan is the first pass: it validates the data (labels, weights, finite
// scores) and computes what the fits decide their special cases and starting
// points from, without evaluating a transcendental function.
//
// Both loops take batches of the input type T straight from memory, and the
// tail from zero-padded copies with weight 0: padding lanes add exactly 0 to
// every weighted sum and are excluded from the scan's per-sample tests.
#ifndef LOGISTIC_DETAIL_NLL_PASS_HPP
#define LOGISTIC_DETAIL_NLL_PASS_HPP

#include <cstddef>
#include <cstring>
#include <limits>
#include <type_traits>

#include <xsimd/xsimd.hpp>

#include "../sigmoid.hpp"
#include "../sigmoid_grad.hpp"
#include "../softplus.hpp"
#include "array_driver.hpp"
#include "config.hpp"
#include "reduce.hpp"
#include "simd.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// Compensated lane sums of double terms (TwoSum per addition, one set of
// lanes: the kernels around each addition are long enough to hide its latency).
template <class A>
class compensated_lanes {
 public:
  LOGISTIC_INLINE void add(batch<double, A> t) noexcept {
    const sum_pair<double, A> s = knuth_two_sum(sum_, t);
    sum_ = s.hi;
    err_ = err_ + s.lo;
  }
  double total() const noexcept {
    constexpr std::size_t H = batch<double, A>::size;
    alignas(A::alignment()) double sums[H];
    alignas(A::alignment()) double errs[H];
    sum_.store_aligned(sums);
    err_.store_aligned(errs);
    double hi = 0, lo = 0;
    for (std::size_t i = 0; i < H; ++i) {
      const double s = hi + sums[i];
      const double b_part = s - hi;
      lo += ((hi - (s - b_part)) + (sums[i] - b_part)) + errs[i];
      hi = s;
    }
    return hi + lo;
  }

 private:
  batch<double, A> sum_ = batch<double, A>(0.0);
  batch<double, A> err_ = batch<double, A>(0.0);
};

// body(x, y, w) on every batch of the data (w = 1 without weights); the tail
// zero-padded, with weight 0 in the padding lanes.
template <class T, class Body>
void for_each_batch(const T* x, const T* y, const T* weight, std::size_t n, Body& body) noexcept {
  using A = default_arch;
  using B = batch<T, A>;
  constexpr std::size_t W = B::size;
  std::size_t i = 0;
  if (weight) {
    for (; i + W <= n; i += W) {
      body(B::load_unaligned(x + i), B::load_unaligned(y + i), B::load_unaligned(weight + i));
    }
  } else {
    const B one(T(1));
    for (; i + W <= n; i += W) body(B::load_unaligned(x + i), B::load_unaligned(y + i), one);
  }
  if (i < n) {
    const std::size_t m = n - i;
    alignas(A::alignment()) T tx[W] = {};
    alignas(A::alignment()) T ty[W] = {};
    alignas(A::alignment()) T tw[W] = {};
    std::memcpy(tx, x + i, m * sizeof(T));
    std::memcpy(ty, y + i, m * sizeof(T));
    if (weight) {
      std::memcpy(tw, weight + i, m * sizeof(T));
    } else {
      for (std::size_t k = 0; k < m; ++k) tw[k] = T(1);
    }
    body(B::load_aligned(tx), B::load_aligned(ty), B::load_aligned(tw));
  }
}

// body.add(x, y, w) on double batches: a double batch as it is, a float batch
// as its two halves widened (exactly) to double.
template <class Body, class A>
LOGISTIC_INLINE void add_as_double(Body& body, batch<double, A> x, batch<double, A> y,
                                   batch<double, A> w) noexcept {
  body.add(x, y, w);
}
template <class Body, class A>
LOGISTIC_INLINE void add_as_double(Body& body, batch<float, A> x, batch<float, A> y,
                                   batch<float, A> w) noexcept {
  const widened<A> xd = widen(x), yd = widen(y), wd = widen(w);
  body.add(xd.low, yd.low, wd.low);
  body.add(xd.high, yd.high, wd.high);
}

// ---------------------------------------------------------------------------
// The scan.
// ---------------------------------------------------------------------------
struct nll_scan {
  bool bad_label = false;    // a label NaN or outside [0, 1]
  bool bad_weight = false;   // a weight negative, infinite or NaN
  bool non_finite = false;   // a score NaN or infinite
  // Over the samples with weight > 0 (the others are absent from every sum):
  double weight_sum = 0;       // sum w
  double label_min = 0, label_max = 0;
  bool nonzero_score = false;  // some x != 0
  bool separable = true;       // x > 0 only with y = 1, x < 0 only with y = 0
  double slope_at_zero = 0;    // sum w (y - 1/2) x
  double curvature_at_zero = 0;  // sum w x^2 / 4
  double positives = 0;        // how many samples have y > 0.5 (any weight)
};

template <class T, class A>
class nll_scanner {
 public:
  using B = batch<T, A>;
  using M = xsimd::batch_bool<T, A>;

  LOGISTIC_INLINE void operator()(B x, B y, B w) noexcept {
    const B zero(T(0)), one(T(1)), largest(std::numeric_limits<T>::max());
    bad_label_ = bad_label_ | !((y >= zero) & (y <= one));  // NaN fails both
    bad_weight_ = bad_weight_ | !((w >= zero) & (w <= largest));
    non_finite_ = non_finite_ | !(xsimd::abs(x) <= largest);
    const M live = w > zero;
    nonzero_ = nonzero_ | (live & (x != zero));
    violation_ = violation_ | (live & (((x > zero) & (y < one)) | ((x < zero) & (y > zero))));
    const B inf(std::numeric_limits<T>::infinity());
    label_min_ = xsimd::min(label_min_, xsimd::select(live, y, inf));
    label_max_ = xsimd::max(label_max_, xsimd::select(live, y, -inf));
    positives_count_ = positives_count_ + xsimd::select(y > B(T(0.5)), one, zero);
    if (++since_flush_ == flush_every) flush_positives();
    add_as_double(*this, x, y, w);
  }

  // The double sums (add_as_double's callback).
  LOGISTIC_INLINE void add(batch<double, A> x, batch<double, A> y, batch<double, A> w) noexcept {
    using D = batch<double, A>;
    weight_sum_.add(w);
    const D wx = w * x;
    slope_.add(wx * (y - D(0.5)));
    curvature_.add(wx * x);
  }

  nll_scan result() noexcept {
    flush_positives();
    nll_scan s;
    s.bad_label = xsimd::any(bad_label_);
    s.bad_weight = xsimd::any(bad_weight_);
    s.non_finite = xsimd::any(non_finite_);
    s.weight_sum = weight_sum_.total();
    alignas(A::alignment()) T lanes_min[B::size];
    alignas(A::alignment()) T lanes_max[B::size];
    label_min_.store_aligned(lanes_min);
    label_max_.store_aligned(lanes_max);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t i = 0; i < B::size; ++i) {
      lo = lanes_min[i] < lo ? static_cast<double>(lanes_min[i]) : lo;
      hi = lanes_max[i] > hi ? static_cast<double>(lanes_max[i]) : hi;
    }
    s.label_min = lo;
    s.label_max = hi;
    s.nonzero_score = xsimd::any(nonzero_);
    s.separable = !xsimd::any(violation_);
    s.slope_at_zero = slope_.total();
    s.curvature_at_zero = curvature_.total() / 4;
    s.positives = positives_;
    return s;
  }

 private:
  // The per-lane counts in T are exact up to 2^24 (float): they are moved to
  // a double total well before that.
  static constexpr int flush_every = 1 << 20;
  void flush_positives() noexcept {
    alignas(A::alignment()) T lanes[B::size];
    positives_count_.store_aligned(lanes);
    for (std::size_t i = 0; i < B::size; ++i) positives_ += static_cast<double>(lanes[i]);
    positives_count_ = B(T(0));
    since_flush_ = 0;
  }

  M bad_label_ = B(T(0)) != B(T(0));
  M bad_weight_ = bad_label_, non_finite_ = bad_label_, nonzero_ = bad_label_,
    violation_ = bad_label_;
  B label_min_ = B(std::numeric_limits<T>::infinity());
  B label_max_ = B(-std::numeric_limits<T>::infinity());
  B positives_count_ = B(T(0));
  int since_flush_ = 0;
  double positives_ = 0;
  compensated_lanes<A> weight_sum_, slope_, curvature_;
};

template <class T>
nll_scan scan_nll_data(const T* x, const T* y, const T* weight, std::size_t n) noexcept {
  nll_scanner<T, default_arch> scanner;
  for_each_batch(x, y, weight, n, scanner);
  return scanner.result();
}

// ---------------------------------------------------------------------------
// The NLL pass.
// ---------------------------------------------------------------------------
// What a pass sums: the loss only (Platt's line search), the loss and its
// derivatives in scale (the temperature), or everything (Platt's Newton step).
enum class nll_terms { loss, scale_derivatives, all };

struct nll_sums {
  double loss = 0;          // sum w (softplus(u) - t u)
  double slope = 0;         // sum w (sigma(u) - t)
  double slope_x = 0;       // sum w (sigma(u) - t) x
  double curvature = 0;     // sum w sigma'(u)
  double curvature_x = 0;   // sum w sigma'(u) x
  double curvature_xx = 0;  // sum w sigma'(u) x^2
};

// The targets t: the labels themselves...
struct label_targets {
  template <class A>
  LOGISTIC_INLINE batch<double, A> operator()(batch<double, A> y) const noexcept {
    return y;
  }
};

// ...or Platt's smoothed targets: `high` for a positive (y > 0.5), `low` else.
struct smoothed_targets {
  double high, low;
  template <class A>
  LOGISTIC_INLINE batch<double, A> operator()(batch<double, A> y) const noexcept {
    using D = batch<double, A>;
    return xsimd::select(y > D(0.5), D(high), D(low));
  }
};

template <nll_terms Terms, class Targets, class A>
class nll_accumulator {
 public:
  using D = batch<double, A>;
  nll_accumulator(double scale, double bias, Targets targets) noexcept
      : scale_(scale), bias_(bias), targets_(targets) {}

  template <class T>
  LOGISTIC_INLINE void operator()(batch<T, A> x, batch<T, A> y, batch<T, A> w) noexcept {
    add_as_double(*this, x, y, w);
  }

  LOGISTIC_INLINE void add(D x, D y, D w) noexcept {
    const D u = mul_add(scale_, x, bias_);
    const D t = targets_(y);
    loss_.add(w * neg_mul_add(t, u, logistic::softplus(u)));
    if constexpr (Terms != nll_terms::loss) {
      const D residual = w * (logistic::sigmoid(u) - t);
      const D curvature = w * logistic::sigmoid_grad(u);
      const D curvature_x = curvature * x;
      slope_x_.add(residual * x);
      curvature_xx_.add(curvature_x * x);
      if constexpr (Terms == nll_terms::all) {
        slope_.add(residual);
        curvature_.add(curvature);
        curvature_x_.add(curvature_x);
      }
    }
  }

  nll_sums result() const noexcept {
    nll_sums s;
    s.loss = loss_.total();
    s.slope = slope_.total();
    s.slope_x = slope_x_.total();
    s.curvature = curvature_.total();
    s.curvature_x = curvature_x_.total();
    s.curvature_xx = curvature_xx_.total();
    return s;
  }

 private:
  D scale_, bias_;
  Targets targets_;
  compensated_lanes<A> loss_, slope_, slope_x_, curvature_, curvature_x_, curvature_xx_;
};

template <nll_terms Terms, class T, class Targets>
nll_sums nll_pass(const T* x, const T* y, const T* weight, std::size_t n, double scale,
                  double bias, Targets targets) noexcept {
  nll_accumulator<Terms, Targets, default_arch> accumulator(scale, bias, targets);
  for_each_batch(x, y, weight, n, accumulator);
  return accumulator.result();
}

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
