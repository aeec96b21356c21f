// logistic/calibration_metrics.hpp — how well probabilities are calibrated: expected
// and maximum calibration error, the Brier score, the log loss (from probabilities or
// from logits), and the bins of a reliability diagram.
//
// Declarations (T is float or double; every result is computed in double):
//
//   enum class logistic::binning { equal_width, equal_mass };
//   struct logistic::calibration_metric { double value; calibration_status status;
//                                         const char* message; };
//   struct logistic::reliability_bin { double lower, upper; std::size_t count;
//                                      double mean_confidence, observed_frequency; };
//   struct logistic::reliability_diagram { std::vector<reliability_bin> bins;
//                                          double ece, mce; calibration_status status;
//                                          const char* message; };
//
//   calibration_metric logistic::expected_calibration_error(const T* probs, const T* labels,
//       std::size_t n, std::size_t bins = 15, binning b = binning::equal_width) noexcept;
//   calibration_metric logistic::maximum_calibration_error(const T* probs, const T* labels,
//       std::size_t n, std::size_t bins = 15, binning b = binning::equal_width) noexcept;
//   calibration_metric logistic::brier_score(const T* probs, const T* labels,
//                                            std::size_t n) noexcept;
//   calibration_metric logistic::log_loss(const T* probs, const T* labels,
//                                         std::size_t n) noexcept;
//   calibration_metric logistic::log_loss_from_logits(const T* logits, const T* labels,
//                                                     std::size_t n) noexcept;
//   reliability_diagram logistic::reliability_bins(const T* probs, const T* labels,
//       std::size_t n, std::size_t bins = 15, binning b = binning::equal_width) noexcept;
//
// Meaning. probs[i] is the predicted probability of class 1 and labels[i] the outcome,
// 0 or 1, or a soft label in [0, 1] (the observed frequency is then the mean label).
// The confidence of a sample is p itself, the probability of the positive class: the
// binary reliability diagram of scikit-learn's calibration_curve and torchmetrics'
// BinaryCalibrationError. (The top-label convention of Guo et al. 2017, confidence
// max(p, 1 - p) and outcome "the thresholded prediction was right", is these functions
// applied to those two transformed arrays.) With B bins and n samples,
//     ECE = sum over bins of (count / n) |mean confidence - observed frequency|
//         = sum over bins of |sum of p - sum of y| / n,
//     MCE = max over the non-empty bins of |mean confidence - observed frequency|,
//     Brier = mean (p - y)^2,
//     log loss = mean -[y log p + (1 - y) log(1 - p)]   (a term whose factor y or 1 - y
//                is 0 counts as 0: 0 log 0 = 0),
//     log_loss_from_logits = mean -[y log sigma(x) + (1 - y) log sigma(-x)]
//                          = mean of bce_with_logits (bce.hpp) in double.
//
// Bins:
//   - binning::equal_width: bin k (0-based) holds the p with e_k < p <= e_(k+1), where
//     e_k is k / B correctly rounded to T (for float: the double quotient rounded to
//     float, the same number for B < 2^29); p = 0 is in bin 0. A probability equal to an
//     edge is in the bin BELOW it: 0.2f and 0.2 (each the T nearest 1/5) are in bin 0
//     of 5, the next T above them in bin 1. scikit-learn's calibration_curve
//     (searchsorted on linspace edges) follows the same (lower, upper] rule, with edges
//     k * fl(1/B) that can differ from ours by an ulp; torchmetrics' bucketize(right=True)
//     uses [lower, upper). A bin's lower and upper are e_k and e_(k+1) as doubles.
//   - binning::equal_mass: the samples sorted by probability, then label (so the result
//     does not depend on their order), are cut into B runs of consecutive samples, the
//     first n mod B runs of ceil(n / B) samples and the rest of floor(n / B) (the split of
//     numpy.array_split). Ties are cut by rank: equal probabilities can fall on both sides
//     of a cut. A bin's lower and upper are its smallest and largest probability. With
//     n < B the last B - n bins are empty.
//   - empty bins are listed by reliability_bins with count 0, mean_confidence and
//     observed_frequency NaN (and, equal mass, lower and upper NaN); they add nothing to
//     the ECE and are left out of the MCE.
//
// Contract:
//   - Accuracy: sums are compensated (Neumaier) in double; each bin's |sum p - sum y|
//     is formed from the unrounded sums, so the ECE and MCE carry a relative error of
//     a few units of 2^-52 (plus B 2^-53 for the ECE's sum over bins), the Brier score
//     and log loss likewise per term plus the logarithm's error (log, log1p: under an ulp);
//     log_loss_from_logits within bce_with_logits' double bound (terms under 2 ulp,
//     summed with compensation); float data are converted to double exactly first.
//   - log_loss does not clip: a term with p = 0 and y > 0, or p = 1 and y < 1, is +inf
//     and so is the result (status ok: the loss really is infinite). log_loss_from_logits
//     is finite for finite logits.
//   - Statuses, checked in this order before any work (design §4; the value is NaN, the
//     diagram's bins empty and its ece and mce NaN, whenever status is not ok):
//       null_pointer     n > 0 with probs (logits) or labels null;
//       empty_input      n == 0;
//       bad_bin_count    bins == 0 (binned functions);
//       bad_label        a label NaN or outside [0, 1];
//       bad_probability  a probability NaN or outside [0, 1] (functions of probs);
//       non_finite_data  a logit NaN or +-inf (log_loss_from_logits);
//       bad_binning      b is not one of binning's two values (binned functions).
//   - Allocation: brier_score, log_loss and log_loss_from_logits never allocate; the ECE
//     and MCE with equal-width bins allocate only for bins > 128 (56 bytes per bin);
//     equal-mass binning allocates a sorted copy (2 n sizeof(T) bytes); reliability_bins
//     returns a vector. Nothing throws (every function is noexcept): an allocation
//     failure terminates (std::terminate, or abort under -fno-exceptions).
//   - Equal-width ECE, MCE and the metrics are O(n) (the bin of p: one multiplication and
//     at most a couple of edge comparisons); equal mass is O(n log n). Pure, thread-safe.
#ifndef LOGISTIC_CALIBRATION_METRICS_HPP
#define LOGISTIC_CALIBRATION_METRICS_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include "bce.hpp"
#include "calibration_status.hpp"
#include "detail/calibration_bins.hpp"
#include "detail/config.hpp"

namespace logistic {

enum class binning { equal_width, equal_mass };

// A metric's value, NaN unless status is ok.
struct calibration_metric {
  double value;
  calibration_status status;
  const char* message;
};

struct reliability_bin {
  double lower;               // equal width: the bin's edges; equal mass: its min and max p
  double upper;
  std::size_t count;          // samples in the bin
  double mean_confidence;     // mean p of the bin (NaN when empty)
  double observed_frequency;  // mean label of the bin (NaN when empty)
};

struct reliability_diagram {
  std::vector<reliability_bin> bins;  // all B bins in order, the empty ones included
  double ece;
  double mce;
  calibration_status status;
  const char* message;
};

inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

inline calibration_metric metric_result(double value, calibration_status s) noexcept {
  if (s != calibration_status::ok) value = std::numeric_limits<double>::quiet_NaN();
  return {value, s, calibration_status_message(s)};
}

template <class T>
bool in_unit_interval(T v) noexcept {
  return v >= T(0) && v <= T(1);  // false for NaN
}

template <class T>
calibration_status check_pointers(const T* data, const T* labels, std::size_t n) noexcept {
  if (n > 0 && (!data || !labels)) return calibration_status::null_pointer;
  if (n == 0) return calibration_status::empty_input;
  return calibration_status::ok;
}

// Labels first, then probabilities: the order of calibration_status.
template <class T>
calibration_status check_probabilities(const T* probs, const T* labels, std::size_t n) noexcept {
  bool labels_ok = true, probs_ok = true;
  for (std::size_t i = 0; i < n; ++i) {
    labels_ok = labels_ok && in_unit_interval(labels[i]);
    probs_ok = probs_ok && in_unit_interval(probs[i]);
  }
  if (!labels_ok) return calibration_status::bad_label;
  if (!probs_ok) return calibration_status::bad_probability;
  return calibration_status::ok;
}

template <class T>
calibration_status check_metric(const T* probs, const T* labels, std::size_t n) noexcept {
  const calibration_status s = check_pointers(probs, labels, n);
  if (s != calibration_status::ok) return s;
  return check_probabilities(probs, labels, n);
}

template <class T>
calibration_status check_binned(const T* probs, const T* labels, std::size_t n, std::size_t bins,
                                binning b) noexcept {
  calibration_status s = check_pointers(probs, labels, n);
  if (s != calibration_status::ok) return s;
  if (bins == 0) return calibration_status::bad_bin_count;
  s = check_probabilities(probs, labels, n);
  if (s != calibration_status::ok) return s;
  if (b != binning::equal_width && b != binning::equal_mass) return calibration_status::bad_binning;
  return calibration_status::ok;
}

template <class T>
void add_to_bin(bin_sum& bin, T p, T y) noexcept {
  ++bin.count;
  bin.confidence.add(static_cast<double>(p));
  bin.label.add(static_cast<double>(y));
}

template <class T>
void fill_equal_width(const T* probs, const T* labels, std::size_t n, bin_sums& sums) noexcept {
  const equal_width_grid<T> grid(0.0, 1.0, sums.size());
  for (std::size_t k = 0; k < sums.size(); ++k) {
    sums[k].lower = grid.edge(k);
    sums[k].upper = grid.edge(k + 1);
  }
  const std::size_t last = sums.size() - 1;
  const auto edges = [&sums, last](std::size_t k) { return k > last ? sums[last].upper : sums[k].lower; };
  for (std::size_t i = 0; i < n; ++i) {
    add_to_bin(sums[grid.index(static_cast<double>(probs[i]), edges)], probs[i], labels[i]);
  }
}

template <class T>
void fill_equal_mass(const T* probs, const T* labels, std::size_t n, bin_sums& sums) {
  std::vector<std::pair<T, T>> sorted(n);
  for (std::size_t i = 0; i < n; ++i) sorted[i] = {probs[i], labels[i]};
  std::sort(sorted.begin(), sorted.end());
  const std::size_t bins = sums.size(), base = n / bins, longer = n % bins;
  std::size_t i = 0;
  for (std::size_t k = 0; k < bins; ++k) {
    const std::size_t size = base + (k < longer ? 1 : 0);
    if (size == 0) continue;  // n < B: this bin and the rest stay empty
    sums[k].lower = static_cast<double>(sorted[i].first);
    sums[k].upper = static_cast<double>(sorted[i + size - 1].first);
    for (std::size_t j = i; j < i + size; ++j) add_to_bin(sums[k], sorted[j].first, sorted[j].second);
    i += size;
  }
}

template <class T>
void fill_bins(const T* probs, const T* labels, std::size_t n, binning b, bin_sums& sums) {
  if (b == binning::equal_mass) {
    fill_equal_mass(probs, labels, n, sums);
  } else {
    fill_equal_width(probs, labels, n, sums);
  }
}

// |sum p - sum y| of a bin, from the unrounded compensated sums.
inline double bin_gap(const bin_sum& bin) noexcept {
  return std::fabs(compensated_difference(bin.confidence, bin.label));
}

struct calibration_errors {
  double ece;
  double mce;
};

inline calibration_errors errors_of(const bin_sums& sums, std::size_t n) noexcept {
  compensated_sum total;
  double worst = 0;
  for (std::size_t k = 0; k < sums.size(); ++k) {
    if (sums[k].count == 0) continue;
    const double gap = bin_gap(sums[k]);
    total.add(gap);
    worst = std::max(worst, gap / static_cast<double>(sums[k].count));
  }
  return {total.total() / static_cast<double>(n), worst};
}

template <class T>
calibration_errors binned_errors(const T* probs, const T* labels, std::size_t n, std::size_t bins,
                                 binning b) {
  bin_sums sums(bins);
  fill_bins(probs, labels, n, b, sums);
  return errors_of(sums, n);
}

// -[y log p + (1 - y) log(1 - p)], a factor 0 dropping its logarithm (0 log 0 = 0);
// log1p(-p) keeps 1 - p exact for small p.
template <class T>
double log_loss_term(T p, T y) noexcept {
  const double pd = static_cast<double>(p), yd = static_cast<double>(y);
  double term = 0;
  if (yd != 0) term -= yd * std::log(pd);
  if (yd != 1) term -= (1 - yd) * std::log1p(-pd);
  return term;
}

// The sum of the BCE losses of float logits, in double: the double kernels on chunks
// converted exactly, the chunks' sums added with compensation.
inline double bce_sum_in_double(const float* logits, const float* labels, std::size_t n) noexcept {
  constexpr std::size_t chunk = 256;
  double x[chunk], y[chunk];
  compensated_sum total;
  for (std::size_t i = 0; i < n; i += chunk) {
    const std::size_t m = std::min(chunk, n - i);
    for (std::size_t k = 0; k < m; ++k) {
      x[k] = static_cast<double>(logits[i + k]);
      y[k] = static_cast<double>(labels[i + k]);
    }
    total.add(bce_with_logits(x, y, m, bce_options<double>{}, reduction::sum));
  }
  return total.total();
}

inline double bce_sum_in_double(const double* logits, const double* labels, std::size_t n) noexcept {
  return bce_with_logits(logits, labels, n, bce_options<double>{}, reduction::sum);
}

}  // namespace detail

template <class T>
calibration_metric expected_calibration_error(const T* probs, const T* labels, std::size_t n,
                                              std::size_t bins = 15,
                                              binning b = binning::equal_width) noexcept {
  detail::check_type<T>();
  const calibration_status s = detail::check_binned(probs, labels, n, bins, b);
  if (s != calibration_status::ok) return detail::metric_result(0, s);
  return detail::metric_result(detail::binned_errors(probs, labels, n, bins, b).ece, s);
}

template <class T>
calibration_metric maximum_calibration_error(const T* probs, const T* labels, std::size_t n,
                                             std::size_t bins = 15,
                                             binning b = binning::equal_width) noexcept {
  detail::check_type<T>();
  const calibration_status s = detail::check_binned(probs, labels, n, bins, b);
  if (s != calibration_status::ok) return detail::metric_result(0, s);
  return detail::metric_result(detail::binned_errors(probs, labels, n, bins, b).mce, s);
}

template <class T>
calibration_metric brier_score(const T* probs, const T* labels, std::size_t n) noexcept {
  detail::check_type<T>();
  const calibration_status s = detail::check_metric(probs, labels, n);
  if (s != calibration_status::ok) return detail::metric_result(0, s);
  detail::compensated_sum total;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(probs[i]) - static_cast<double>(labels[i]);
    total.add(d * d);
  }
  return detail::metric_result(total.total() / static_cast<double>(n), s);
}

template <class T>
calibration_metric log_loss(const T* probs, const T* labels, std::size_t n) noexcept {
  detail::check_type<T>();
  const calibration_status s = detail::check_metric(probs, labels, n);
  if (s != calibration_status::ok) return detail::metric_result(0, s);
  detail::compensated_sum total;
  bool infinite = false;  // kept out of the compensated sum, whose error term it would poison
  for (std::size_t i = 0; i < n; ++i) {
    const double term = detail::log_loss_term(probs[i], labels[i]);
    if (std::isinf(term)) {
      infinite = true;
    } else {
      total.add(term);
    }
  }
  if (infinite) return detail::metric_result(std::numeric_limits<double>::infinity(), s);
  return detail::metric_result(total.total() / static_cast<double>(n), s);
}

template <class T>
calibration_metric log_loss_from_logits(const T* logits, const T* labels, std::size_t n) noexcept {
  detail::check_type<T>();
  calibration_status s = detail::check_pointers(logits, labels, n);
  if (s != calibration_status::ok) return detail::metric_result(0, s);
  bool labels_ok = true, logits_ok = true;
  for (std::size_t i = 0; i < n; ++i) {
    labels_ok = labels_ok && detail::in_unit_interval(labels[i]);
    logits_ok = logits_ok && std::isfinite(logits[i]);
  }
  if (!labels_ok) return detail::metric_result(0, calibration_status::bad_label);
  if (!logits_ok) return detail::metric_result(0, calibration_status::non_finite_data);
  return detail::metric_result(detail::bce_sum_in_double(logits, labels, n) / static_cast<double>(n), s);
}

template <class T>
reliability_diagram reliability_bins(const T* probs, const T* labels, std::size_t n,
                                     std::size_t bins = 15,
                                     binning b = binning::equal_width) noexcept {
  detail::check_type<T>();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const calibration_status s = detail::check_binned(probs, labels, n, bins, b);
  reliability_diagram diagram{{}, nan, nan, s, calibration_status_message(s)};
  if (s != calibration_status::ok) return diagram;
  detail::bin_sums sums(bins);
  detail::fill_bins(probs, labels, n, b, sums);
  const detail::calibration_errors errors = detail::errors_of(sums, n);
  diagram.ece = errors.ece;
  diagram.mce = errors.mce;
  diagram.bins.reserve(bins);
  for (std::size_t k = 0; k < bins; ++k) {
    const detail::bin_sum& bin = sums[k];
    const double count = static_cast<double>(bin.count);
    diagram.bins.push_back({bin.lower, bin.upper, bin.count,
                            bin.count ? bin.confidence.total() / count : nan,
                            bin.count ? bin.label.total() / count : nan});
  }
  return diagram;
}

}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
