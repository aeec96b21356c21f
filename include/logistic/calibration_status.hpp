// logistic/calibration_status.hpp — how the calibration functions (the fits,
// the metrics, the monitoring summary) report what went wrong.
//
// Declarations:
//
//   enum class logistic::calibration_status { ok, ... };
//   const char* logistic::calibration_status_message(calibration_status) noexcept;
//
// Contract:
//   - These functions never throw and never return a silently wrong number:
//     every result struct carries `status` and `message`
//     (= calibration_status_message(status)). When status is not `ok`, the
//     result's numbers are NaN (or the documented neutral value: the identity
//     transform for a fit) and must not be used as if fitted or measured.
//   - Each function's header lists the statuses it can return, in the order it
//     checks them (the first failing check is reported), and when. Argument
//     checks come first, then data checks, then the outcome of a fit; this enum
//     lists them in that spirit.
//   - The messages are static strings; the function is pure and thread-safe.
#ifndef LOGISTIC_CALIBRATION_STATUS_HPP
#define LOGISTIC_CALIBRATION_STATUS_HPP

namespace logistic {

enum class calibration_status {
  ok,
  null_pointer,          // n > 0 with a null input (or output) pointer
  empty_input,           // n == 0: nothing to fit or measure
  bad_bin_count,         // a bin count of 0
  bad_binning,           // a binning value other than binning::equal_width or equal_mass
  bad_range,             // a histogram range [lower, upper] that is empty, reversed or not finite
  bad_label,             // a label that is NaN or outside [0, 1]
  bad_weight,            // a sample weight that is negative, infinite or NaN, or all zero
  bad_probability,       // a probability that is NaN or outside [0, 1]
  non_finite_data,       // a logit or score that is NaN or infinite
  constant_labels,       // every label equal: no calibration can be fitted
  all_zero_logits,       // every logit 0: the temperature has no effect
  separable,             // the fit's loss keeps falling toward a limit (t -> 0, |A| -> inf)
  anti_correlated,       // the logits do not rise with the labels: the best scale 1/t is <= 0
  not_converged,         // the iteration limit was reached before the stopping rule held
};

inline const char* calibration_status_message(calibration_status s) noexcept {
  switch (s) {
    case calibration_status::ok: return "ok";
    case calibration_status::null_pointer: return "n > 0 with a null pointer";
    case calibration_status::empty_input: return "empty input (n == 0)";
    case calibration_status::bad_bin_count: return "the bin count must be at least 1";
    case calibration_status::bad_label: return "a label is NaN or outside [0, 1]";
    case calibration_status::bad_weight:
      return "a weight is negative, infinite or NaN, or every weight is 0";
    case calibration_status::bad_probability: return "a probability is NaN or outside [0, 1]";
    case calibration_status::non_finite_data: return "a logit or score is NaN or infinite";
    case calibration_status::constant_labels:
      return "every label has the same value: nothing to calibrate against";
    case calibration_status::all_zero_logits:
      return "every logit is 0: a temperature has no effect";
    case calibration_status::separable:
      return "the data are separable: the loss keeps decreasing as the scale grows without bound";
    case calibration_status::not_converged:
      return "the iteration limit was reached before convergence";
    case calibration_status::anti_correlated:
      return "the logits are not positively correlated with the labels: the loss is lowest "
             "at a scale 1/t <= 0, which no temperature t > 0 gives";
    case calibration_status::bad_binning:
      return "the binning is neither binning::equal_width nor binning::equal_mass";
    case calibration_status::bad_range:
      return "the range needs finite lower < upper (and a finite upper - lower)";
  }
  return "unknown calibration_status";
}

}  // namespace logistic

#endif
