// logistic/fit_platt.hpp — Platt scaling: p = 1 / (1 + exp(a f + b)) fitted to
// scores f and binary labels by the robust Newton method of Lin, Lin & Weng
// (2007), LIBSVM's sigmoid_train.
//
// Declarations (T is float or double):
//
//   template <class T> struct logistic::platt_fit {
//     double a, b;                 // p = 1 / (1 + exp(a f + b)) (LIBSVM's signs);
//                                  // a = -1, b = 0 (the identity) when status != ok
//     double nll, start_nll;       // mean smoothed-target NLL at (a, b) and at the
//                                  // start point (0, b0); NaN when status != ok
//     int iterations;              // Newton steps taken
//     calibration_status status;
//     const char* message;         // calibration_status_message(status)
//     affine<T> transform() const noexcept;  // {-a, -b}: sigmoid(x, transform()) = p
//   };
//   template <class T> struct logistic::platt_fit_options {
//     int max_iterations = 100;    // Newton iterations
//     double min_step = 1e-10;     // the line search gives up below this step
//     double sigma = 1e-12;        // ridge added to the Hessian's diagonal
//     double epsilon = 1e-5;       // stop when |dF/da| and |dF/db| are below it
//   };
//   platt_fit<T> logistic::fit_platt(const T* scores, const T* labels, std::size_t n,
//                                    const platt_fit_options<T>& = {}) noexcept;
//
// Meaning. The algorithm of Lin, Lin & Weng, "A note on Platt's probabilistic
// outputs for support vector machines" (Machine Learning 68, 2007), appendix,
// as LIBSVM's sigmoid_train implements it. With N+ positives and N- negatives:
//   - targets t_i = (N+ + 1) / (N+ + 2) for a positive, 1 / (N- + 2) for a
//     negative (Platt's smoothing, which keeps the optimum finite even for
//     separable data or a single class);
//   - F(a, b) = sum_i [t_i (a f_i + b) + log(1 + exp(-(a f_i + b)))], the
//     cross-entropy of p_i against t_i, evaluated without overflow;
//   - start a = 0, b = log((N- + 1) / (N+ + 1));
//   - Newton direction from the Hessian plus sigma on its diagonal; a
//     backtracking line search from step 1, halving, accepting the first step
//     s with F(new) < F + 1e-4 s (g . d); it fails below min_step;
//   - stop when |dF/da| < epsilon and |dF/db| < epsilon (F is a sum over the
//     samples, as in LIBSVM: the tolerance does not scale with n), or after
//     max_iterations iterations.
// nll and start_nll are F / n at the result and at the start point.
//
// Labels. Values in [0, 1]; a sample is positive when its label is > 0.5 and
// negative otherwise (LIBSVM counts labels > 0 as positive among its -1/+1;
// here 0.5 is the midpoint of 0/1). Soft labels are therefore thresholded: the
// fit uses only the class counts and which samples are positive, exactly as
// for the 0/1 labels they round to (0.5 itself counts as negative).
//
// Method. Each Newton iteration is one vectorized pass over the data for the
// gradient and Hessian, and each line search trial one pass for F
// (detail/nll_pass.hpp: double arithmetic for float input too, the library's
// faithful softplus / sigma / sigma' kernels, compensated double sums).
//
// Contract:
//   - status ok: the stopping rule held (tested: (a, b) within 1e-6 relative
//     of a long-double implementation of the published pseudo-code on fixed
//     datasets); nll <= start_nll (every accepted step decreased F);
//   - labels all of one class are fitted, as by LIBSVM: the start point is
//     then already the optimum (a = 0, b = log(1 / (N + 1)) for N positives,
//     p = (N + 1) / (N + 2) for every score), status ok with 0 iterations;
//     separable data likewise give a finite fit (no status of their own);
//   - statuses, checked in this order before any fitting:
//       null_pointer      n > 0 and scores or labels is null;
//       empty_input       n == 0;
//       bad_label         a label NaN or outside [0, 1];
//       non_finite_data   a score NaN or infinite;
//     and after it:
//       not_converged     max_iterations iterations without the stopping rule, or
//                         the line search failed (no step >= min_step decreased
//                         F enough: F cannot be decreased at this precision
//                         although the gradient is above epsilon), or options
//                         that make the rule unreachable (epsilon <= 0 or NaN);
//   - when status != ok: a = -1, b = 0 (transform() is the identity), nll =
//     start_nll = NaN; iterations is still the count made;
//   - float input is fitted in double; transform() rounds -a and -b to T;
//   - no allocation, no exceptions; thread-safe (reads its inputs only).
#ifndef LOGISTIC_FIT_PLATT_HPP
#define LOGISTIC_FIT_PLATT_HPP

#include <cmath>
#include <cstddef>
#include <limits>

#include "affine.hpp"
#include "calibration_status.hpp"
#include "detail/config.hpp"
#include "detail/nll_pass.hpp"

namespace logistic {

template <class T>
struct platt_fit {
  double a;
  double b;
  double nll;
  double start_nll;
  int iterations;
  calibration_status status;
  const char* message;

  affine<T> transform() const noexcept { return {static_cast<T>(-a), static_cast<T>(-b)}; }
};

template <class T>
struct platt_fit_options {
  int max_iterations = 100;
  double min_step = 1e-10;
  double sigma = 1e-12;
  double epsilon = 1e-5;
};

inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T>
platt_fit<T> platt_result(calibration_status s, int iterations, double a = -1, double b = 0,
                          double nll = 0, double start_nll = 0) noexcept {
  if (s != calibration_status::ok) {
    a = -1;
    b = 0;
    nll = start_nll = std::numeric_limits<double>::quiet_NaN();
  }
  return {a, b, nll, start_nll, iterations, s, calibration_status_message(s)};
}

// F(a, b) for p = 1 / (1 + exp(a f + b)): the NLL pass at u = -(a f + b).
template <class T>
double platt_objective(const T* f, const T* y, std::size_t n, double a, double b,
                       smoothed_targets targets) noexcept {
  return nll_pass<nll_terms::loss>(f, y, static_cast<const T*>(nullptr), n, -a, -b, targets).loss;
}

}  // namespace detail

template <class T>
platt_fit<T> fit_platt(const T* scores, const T* labels, std::size_t n,
                       const platt_fit_options<T>& options = {}) noexcept {
  detail::check_type<T>();
  using detail::platt_result;
  if (n > 0 && (!scores || !labels)) return platt_result<T>(calibration_status::null_pointer, 0);
  if (n == 0) return platt_result<T>(calibration_status::empty_input, 0);
  if constexpr (detail::is_supported_type<T>::value) {
    const T* no_weight = nullptr;
    const detail::nll_scan scan = detail::scan_nll_data(scores, labels, no_weight, n);
    if (scan.bad_label) return platt_result<T>(calibration_status::bad_label, 0);
    if (scan.non_finite) return platt_result<T>(calibration_status::non_finite_data, 0);

    const double count = static_cast<double>(n);
    const double prior1 = scan.positives, prior0 = count - prior1;
    const detail::smoothed_targets targets{(prior1 + 1) / (prior1 + 2), 1 / (prior0 + 2)};
    double a = 0, b = std::log((prior0 + 1) / (prior1 + 1));
    double fval = detail::platt_objective(scores, labels, n, a, b, targets);
    const double start = fval;
    int iteration = 0;
    for (; iteration < options.max_iterations; ++iteration) {
      // In u = -(a f + b): dF/da = -sum (sigma(u) - t) f, dF/db = -sum (sigma(u) - t);
      // the Hessian's entries are sum sigma'(u) (f^2, f, 1).
      const detail::nll_sums s = detail::nll_pass<detail::nll_terms::all>(
          scores, labels, no_weight, n, -a, -b, targets);
      const double g1 = -s.slope_x, g2 = -s.slope;
      if (std::fabs(g1) < options.epsilon && std::fabs(g2) < options.epsilon) {
        return platt_result<T>(calibration_status::ok, iteration, a, b, fval / count,
                               start / count);
      }
      const double h11 = s.curvature_xx + options.sigma, h22 = s.curvature + options.sigma;
      const double h21 = s.curvature_x;
      const double det = h11 * h22 - h21 * h21;
      const double da = -(h22 * g1 - h21 * g2) / det;
      const double db = -(-h21 * g1 + h11 * g2) / det;
      const double gd = g1 * da + g2 * db;
      double step = 1;
      // step > 0 too: a min_step of 0 must not halve 1074 times down to 0.
      while (step >= options.min_step && step > 0) {
        const double new_a = a + step * da, new_b = b + step * db;
        const double new_f = detail::platt_objective(scores, labels, n, new_a, new_b, targets);
        if (new_f < fval + 0.0001 * step * gd) {
          a = new_a;
          b = new_b;
          fval = new_f;
          break;
        }
        step /= 2;
      }
      if (!(step >= options.min_step && step > 0)) break;  // the line search failed
    }
    return platt_result<T>(calibration_status::not_converged, iteration);
  } else {
    return platt_result<T>(calibration_status::null_pointer, 0);  // unreachable
  }
}

}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
