// logistic/fit_temperature.hpp — temperature scaling (Guo et al. 2017): the
// t > 0 that minimizes the mean binary NLL of sigma(x / t) over a held-out set.
//
// Declarations (T is float or double):
//
//   template <class T> struct logistic::temperature_fit {
//     T temperature;               // t > 0; 1 (the identity) when status != ok
//     double nll;                  // mean NLL at t; NaN when status != ok
//     int passes;                  // passes over the data, the validation pass included
//     calibration_status status;
//     const char* message;         // calibration_status_message(status)
//     affine<T> transform() const noexcept;  // temperature(t): use with sigmoid(in, out, n, a)
//   };
//   template <class T> struct logistic::temperature_fit_options {
//     const T* weight = nullptr;   // per-sample weights w_i >= 0 (nullptr: all 1)
//     int max_passes = 20;         // passes over the data allowed, validation included
//     double tolerance = 1e-9;     // stop when the Newton step in 1/t is <= tolerance / t
//   };
//   temperature_fit<T> logistic::fit_temperature(const T* logits, const T* labels,
//       std::size_t n, const temperature_fit_options<T>& = {}) noexcept;
//
// Meaning. With beta = 1/t, the fit minimizes the weighted mean NLL
//     L(beta) = sum_i w_i [softplus(beta x_i) - y_i beta x_i] / sum_i w_i,
// labels y_i in [0, 1] (soft labels allowed). Weights act as repetition
// counts: weight 2 is the sample twice, weight 0 the sample absent (the mean
// divides by sum w, not n). L is convex in beta, and for beta > 0 its
// derivative L' = mean w (sigma(beta x) - y) x is concave (sigma' falls with
// |beta x|).
//
// Method. A validation pass (the first pass) also yields L'(0) and L''(0)
// without a transcendental function; the Newton step from 0, beta_1 =
// -L'(0) / L''(0), is a lower bound of the minimizer (L'' is largest at 0).
// Then safeguarded Newton in beta: each pass computes L, L', L'' in one
// vectorized pass over the data (detail/nll_pass.hpp: double arithmetic for
// float input too, the library's faithful softplus / sigma / sigma' kernels,
// compensated double sums); a bracket [lo, hi] with L'(lo) < 0 < L'(hi) is
// kept, and a Newton step that leaves it is replaced by bisection (or, with no
// upper end yet, by doubling beta). From beta_1 Newton approaches from below
// (L' concave) and converges quadratically: 10^6 samples of a miscalibrated
// model (logits 2.5 x the true ones) need 6 to 7 passes in all.
//
// Contract:
//   - status ok: t = 1/beta is the minimizer of L to within about `tolerance`
//     relative (the last Newton step was below tolerance * beta; near the
//     minimum the error is of the order of that step squared), and nll = L(beta)
//     within a few units of 2^-53 relative. Tested on 10^6 samples against a
//     long-double golden-section search: t to 1e-6 and the NLL to 1e-10
//     relative, in at most 20 passes;
//   - float input is fitted in double (exact conversion), t rounded to T once;
//     transform() is temperature(t) = {1/t, 0} (affine.hpp);
//   - statuses, checked in this order (each before any fitting; the first that
//     holds is returned):
//       null_pointer      n > 0 and logits or labels is null (weight may be null);
//       empty_input       n == 0;
//       bad_label         a label NaN or outside [0, 1];
//       bad_weight        a weight negative, infinite or NaN, or sum w == 0 (or +inf);
//       non_finite_data   a logit NaN or infinite;
//       constant_labels   every label (of weight > 0) equal: all 0, all 1, or all
//                         the same soft value — nothing to calibrate against;
//       all_zero_logits   every logit (of weight > 0) is 0: t has no effect;
//       separable         x > 0 only with y = 1 and x < 0 only with y = 0 (weight
//                         > 0): L falls all the way as t -> 0 (L' < 0 for every
//                         beta), no minimizer;
//       anti_correlated   L'(0) >= 0, i.e. sum w (y - 1/2) x <= 0: the logits do
//                         not rise with the labels, L is lowest at beta <= 0. A
//                         negative t is no temperature (it flips the classes) and
//                         t -> inf (all probabilities 1/2) is no fit either, so
//                         neither is returned: the model's sign is the problem;
//       not_converged     max_passes passes were made before the stopping rule
//                         held (e.g. max_passes < 2, or data so nearly separable
//                         that t is tiny), or the sums overflowed (logits near
//                         the largest double);
//   - when status != ok: temperature = 1 (transform() is the identity), nll =
//     NaN; passes is still the count of passes made (0 before the validation);
//   - no allocation, no exceptions; thread-safe (reads its inputs only).
#ifndef LOGISTIC_FIT_TEMPERATURE_HPP
#define LOGISTIC_FIT_TEMPERATURE_HPP

#include <cmath>
#include <cstddef>
#include <limits>

#include "affine.hpp"
#include "calibration_status.hpp"
#include "detail/config.hpp"
#include "detail/nll_pass.hpp"

namespace logistic {

template <class T>
struct temperature_fit {
  T temperature;
  double nll;
  int passes;
  calibration_status status;
  const char* message;

  affine<T> transform() const noexcept { return logistic::temperature(temperature); }
};

template <class T>
struct temperature_fit_options {
  const T* weight = nullptr;
  int max_passes = 20;
  double tolerance = 1e-9;
};

inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T>
temperature_fit<T> temperature_result(calibration_status s, int passes, double beta = 1,
                                      double nll = 0) noexcept {
  if (s != calibration_status::ok) {
    beta = 1;
    nll = std::numeric_limits<double>::quiet_NaN();
  }
  return {static_cast<T>(1 / beta), nll, passes, s, calibration_status_message(s)};
}

// The first status of the validation pass's findings (see the contract's order).
inline calibration_status temperature_data_status(const nll_scan& s) noexcept {
  if (s.bad_label) return calibration_status::bad_label;
  if (s.bad_weight || !(s.weight_sum > 0 && s.weight_sum < HUGE_VAL)) {
    return calibration_status::bad_weight;
  }
  if (s.non_finite) return calibration_status::non_finite_data;
  if (s.label_min == s.label_max) return calibration_status::constant_labels;
  if (!s.nonzero_score) return calibration_status::all_zero_logits;
  if (s.separable) return calibration_status::separable;
  if (!(s.slope_at_zero > 0)) return calibration_status::anti_correlated;
  return calibration_status::ok;
}

}  // namespace detail

template <class T>
temperature_fit<T> fit_temperature(const T* logits, const T* labels, std::size_t n,
                                   const temperature_fit_options<T>& options = {}) noexcept {
  detail::check_type<T>();
  using detail::temperature_result;
  if (n > 0 && (!logits || !labels)) return temperature_result<T>(calibration_status::null_pointer, 0);
  if (n == 0) return temperature_result<T>(calibration_status::empty_input, 0);
  if constexpr (detail::is_supported_type<T>::value) {
    const T* w = options.weight;
    const detail::nll_scan scan = detail::scan_nll_data(logits, labels, w, n);
    int passes = 1;
    const calibration_status data = detail::temperature_data_status(scan);
    if (data != calibration_status::ok) return temperature_result<T>(data, passes);

    // Newton's step from beta = 0: a lower bound of the minimizer (see the top).
    double beta = scan.slope_at_zero / scan.curvature_at_zero;
    double lo = 0, hi = HUGE_VAL;
    while (passes < options.max_passes) {
      const detail::nll_sums s = detail::nll_pass<detail::nll_terms::scale_derivatives>(
          logits, labels, w, n, beta, 0.0, detail::label_targets{});
      ++passes;
      if (!(std::isfinite(s.loss) && std::isfinite(s.slope_x) && std::isfinite(s.curvature_xx))) {
        break;
      }
      if (s.slope_x < 0) lo = beta;
      if (s.slope_x > 0) hi = beta;
      const double step = -s.slope_x / s.curvature_xx;
      const double resolution = options.tolerance * beta;
      if (s.slope_x == 0 || std::fabs(step) <= resolution || hi - lo <= resolution) {
        return temperature_result<T>(calibration_status::ok, passes, beta,
                                     s.loss / scan.weight_sum);
      }
      double next = beta + step;
      if (!(next > lo && next < hi)) next = hi < HUGE_VAL ? lo + (hi - lo) / 2 : 2 * beta;
      beta = next;
    }
    return temperature_result<T>(calibration_status::not_converged, passes);
  } else {
    return temperature_result<T>(calibration_status::null_pointer, 0);  // unreachable
  }
}

}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
