// logistic/fit_isotonic.hpp — isotonic calibration: the non-decreasing step function
// of the scores that best fits the labels in weighted least squares, found by
// pool-adjacent-violators, and applied to new scores by linear interpolation.
//
// Declarations (T is float or double; fitting and evaluation in double):
//
//   template <class T> class logistic::isotonic_calibrator {   // a copyable value type
//    public:
//     isotonic_calibrator() = default;                          // empty: every output NaN
//     isotonic_calibrator(std::vector<double> thresholds, std::vector<double> values) noexcept;
//     T operator()(T score) const noexcept;
//     void apply(const T* in, T* out, std::size_t n) const noexcept;
//     const std::vector<double>& thresholds() const noexcept;
//     const std::vector<double>& values() const noexcept;
//     bool empty() const noexcept;
//   };
//   template <class T> struct logistic::isotonic_fit {
//     isotonic_calibrator<T> calibrator; calibration_status status; const char* message;
//   };
//   isotonic_fit<T> logistic::fit_isotonic(const T* scores, const T* labels, std::size_t n,
//                                          const T* weight = nullptr) noexcept;
//
// Meaning: scikit-learn's IsotonicRegression(increasing=True, out_of_bounds="clip").
//   1. Samples with weight 0 are dropped; the rest are sorted by score, and samples with
//      equal scores are pooled into one point: the weighted mean label at that score.
//   2. Pool-adjacent-violators on those points (weights: the pooled weights) merges
//      neighbouring blocks while the left one's weighted mean is >= the right one's
//      (sklearn's rule), leaving blocks whose values strictly increase.
//   3. thresholds() and values(): each block's smallest score with the block's value
//      and, when the block spans more than one score, its largest score with the same
//      value (sklearn's X_thresholds_ / y_thresholds_ after it drops interior points).
//   4. calibrator(s): s clipped to [first threshold, last threshold], then linear
//      interpolation between the two thresholds around it: exactly the fitted value at
//      every training score, constant across a block, linear between blocks. One
//      threshold: that value everywhere. NaN -> NaN; +-inf -> the end values.
//   Difference from sklearn: sklearn's _make_unique also pools scores closer than an
//   absolute 1e-15 (float64) / 1e-6 (float32); here only equal scores are pooled.
//
// Contract:
//   - Fitted values are weighted means in double (plain sums: relative error below
//     n 2^-53 for n samples in a block) and are non-decreasing; the calibrator's output
//     never decreases with the score (each segment's interpolation is clamped to its
//     right value) and stays within [first value, last value], so within [0, 1].
//   - O(n log n) (the sort) and O(n) memory (a 24-byte copy per sample). operator() is
//     a binary search over the thresholds, O(log m); apply() too, per element, in == out
//     allowed. Neither allocates nor throws.
//   - Statuses, checked in this order before any work; when status is not ok the
//     calibrator is empty and returns NaN for every score (never a silently wrong value):
//       null_pointer     n > 0 with scores or labels null (weight may be null: all 1);
//       empty_input      n == 0;
//       bad_label        a label NaN or outside [0, 1];
//       bad_weight       a weight negative, infinite or NaN, or every weight 0;
//       non_finite_data  a score NaN or +-inf.
//     Constant labels are fine: the calibrator is that constant.
//   - The constructor from (thresholds, values) rebuilds a fitted calibrator (say, read
//     back from a file). It checks what fitting guarantees: equal, non-zero sizes, finite
//     strictly increasing thresholds, finite non-decreasing values; anything else gives
//     an empty calibrator (empty() is true, every output NaN).
//   - Allocation: fit_isotonic allocates (the sorted copy, the blocks, the
//     thresholds) and is noexcept, so an allocation failure terminates
//     (std::terminate, or abort under -fno-exceptions). Nothing throws.
//   - isotonic_calibrator and isotonic_fit live in the library's per-architecture inline
//     namespace (detail/config.hpp), like every function, because the calibrator's member
//     functions are compiled for the translation unit's instruction set. Spelled
//     logistic::isotonic_calibrator<T> as usual; to hand a calibrator to code built with
//     other -m flags, pass thresholds() and values() and rebuild it there.
#ifndef LOGISTIC_FIT_ISOTONIC_HPP
#define LOGISTIC_FIT_ISOTONIC_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include "calibration_status.hpp"
#include "detail/config.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {

template <class T>
class isotonic_calibrator {
 public:
  isotonic_calibrator() = default;

  isotonic_calibrator(std::vector<double> thresholds, std::vector<double> values) noexcept
      : thresholds_(std::move(thresholds)), values_(std::move(values)) {
    if (!valid()) {
      thresholds_.clear();
      values_.clear();
    }
  }

  T operator()(T score) const noexcept { return static_cast<T>(evaluate(static_cast<double>(score))); }

  void apply(const T* in, T* out, std::size_t n) const noexcept {
    for (std::size_t i = 0; i < n; ++i) out[i] = (*this)(in[i]);
  }

  const std::vector<double>& thresholds() const noexcept { return thresholds_; }
  const std::vector<double>& values() const noexcept { return values_; }
  bool empty() const noexcept { return thresholds_.empty(); }

 private:
  bool valid() const noexcept {
    if (thresholds_.empty() || thresholds_.size() != values_.size()) return false;
    for (std::size_t i = 0; i < thresholds_.size(); ++i) {
      if (!std::isfinite(thresholds_[i]) || !std::isfinite(values_[i])) return false;
      if (i > 0 && !(thresholds_[i - 1] < thresholds_[i] && values_[i - 1] <= values_[i])) {
        return false;
      }
    }
    return true;
  }

  double evaluate(double x) const noexcept {
    if (thresholds_.empty() || x != x) return std::numeric_limits<double>::quiet_NaN();
    if (!(x > thresholds_.front())) return values_.front();  // clipped below
    if (!(x < thresholds_.back())) return values_.back();    // clipped above
    // The first threshold above x: x lies in [thresholds_[j - 1], thresholds_[j]).
    const std::size_t j = static_cast<std::size_t>(
        std::upper_bound(thresholds_.begin(), thresholds_.end(), x) - thresholds_.begin());
    const double x0 = thresholds_[j - 1], x1 = thresholds_[j];
    const double y0 = values_[j - 1], y1 = values_[j];
    double t = (x - x0) / (x1 - x0);
    if (!std::isfinite(x1 - x0)) t = (x / 2 - x0 / 2) / (x1 / 2 - x0 / 2);  // |x| near DBL_MAX
    // t in [0, 1) and y1 >= y0: the result rises with x; the clamp keeps a rounding
    // up of y0 + (y1 - y0) t from passing y1, the next segment's start.
    return std::min(y0 + (y1 - y0) * t, y1);
  }

  std::vector<double> thresholds_;
  std::vector<double> values_;
};

template <class T>
struct isotonic_fit {
  isotonic_calibrator<T> calibrator;
  calibration_status status;
  const char* message;
};

namespace detail {

struct isotonic_sample {
  double score, label, weight;
};

// One pooled point or PAV block: total weight, weighted label sum, and the range of
// distinct scores it covers.
struct isotonic_block {
  double weight, weighted_sum, value;
  double first_score, last_score;
};

template <class T>
calibration_status check_isotonic(const T* scores, const T* labels, std::size_t n,
                                  const T* weight) noexcept {
  if (n > 0 && (!scores || !labels)) return calibration_status::null_pointer;
  if (n == 0) return calibration_status::empty_input;
  bool labels_ok = true, weights_ok = true, any_weight = !weight, scores_ok = true;
  for (std::size_t i = 0; i < n; ++i) {
    labels_ok = labels_ok && labels[i] >= T(0) && labels[i] <= T(1);
    if (weight) {
      weights_ok = weights_ok && weight[i] >= T(0) && std::isfinite(weight[i]);
      any_weight = any_weight || weight[i] > T(0);
    }
    scores_ok = scores_ok && std::isfinite(scores[i]);
  }
  if (!labels_ok) return calibration_status::bad_label;
  if (!weights_ok || !any_weight) return calibration_status::bad_weight;
  if (!scores_ok) return calibration_status::non_finite_data;
  return calibration_status::ok;
}

// The samples with positive weight, sorted by (score, label, weight): fully ordered, so
// the sums below and hence the fit do not depend on the input order.
template <class T>
std::vector<isotonic_sample> sorted_samples(const T* scores, const T* labels, std::size_t n,
                                            const T* weight) {
  std::vector<isotonic_sample> samples;
  samples.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double w = weight ? static_cast<double>(weight[i]) : 1.0;
    if (w > 0) samples.push_back({static_cast<double>(scores[i]), static_cast<double>(labels[i]), w});
  }
  std::sort(samples.begin(), samples.end(), [](const isotonic_sample& a, const isotonic_sample& b) {
    if (a.score != b.score) return a.score < b.score;
    if (a.label != b.label) return a.label < b.label;
    return a.weight < b.weight;
  });
  return samples;
}

// Pool-adjacent-violators over the sorted samples, equal scores pooled first: a stack
// of blocks with strictly increasing values; each new point merges with the top while
// the top's value is >= its own. Each point is pushed and merged away at most once: O(n).
inline std::vector<isotonic_block> pool_adjacent_violators(const std::vector<isotonic_sample>& samples) {
  std::vector<isotonic_block> blocks;
  std::size_t i = 0;
  while (i < samples.size()) {
    isotonic_block point{0, 0, 0, samples[i].score, samples[i].score};
    for (; i < samples.size() && samples[i].score == point.first_score; ++i) {
      point.weight += samples[i].weight;
      point.weighted_sum += samples[i].weight * samples[i].label;
    }
    point.value = point.weighted_sum / point.weight;
    while (!blocks.empty() && blocks.back().value >= point.value) {
      const isotonic_block& left = blocks.back();
      point.weight += left.weight;
      point.weighted_sum += left.weighted_sum;
      point.value = point.weighted_sum / point.weight;
      point.first_score = left.first_score;
      blocks.pop_back();
    }
    blocks.push_back(point);
  }
  return blocks;
}

}  // namespace detail

template <class T>
isotonic_fit<T> fit_isotonic(const T* scores, const T* labels, std::size_t n,
                             const T* weight = nullptr) noexcept {
  detail::check_type<T>();
  const calibration_status s = detail::check_isotonic(scores, labels, n, weight);
  if (s != calibration_status::ok) return {isotonic_calibrator<T>(), s, calibration_status_message(s)};
  const std::vector<detail::isotonic_block> blocks =
      detail::pool_adjacent_violators(detail::sorted_samples(scores, labels, n, weight));
  std::vector<double> thresholds, values;
  thresholds.reserve(2 * blocks.size());
  values.reserve(2 * blocks.size());
  for (const detail::isotonic_block& block : blocks) {
    thresholds.push_back(block.first_score);
    values.push_back(block.value);
    if (block.last_score != block.first_score) {
      thresholds.push_back(block.last_score);
      values.push_back(block.value);
    }
  }
  return {isotonic_calibrator<T>(std::move(thresholds), std::move(values)), s,
          calibration_status_message(s)};
}

}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
