// Internal: what the calibration metrics (calibration_metrics.hpp) and the monitoring
// summary (summarize.hpp) share: a compensated scalar sum, the equal-width grid with its
// exact bin rule, and per-bin accumulators that live on the stack for small bin counts.
#ifndef LOGISTIC_DETAIL_CALIBRATION_BINS_HPP
#define LOGISTIC_DETAIL_CALIBRATION_BINS_HPP

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "config.hpp"

namespace logistic {
inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

// Neumaier's variant of Kahan's sum (TwoSum of each addition, errors summed apart):
// for finite terms the total is within 2^-52 |s| + n 2^-104 sum |x_i| of the exact
// sum s (Higham, "Accuracy and Stability of Numerical Algorithms", 4.3). Only finite
// terms may be added: an infinite one makes the error term NaN (callers count them).
class compensated_sum {
 public:
  void add(double x) noexcept {
    const double s = hi_ + x;
    if (std::fabs(hi_) >= std::fabs(x)) {
      lo_ += (hi_ - s) + x;
    } else {
      lo_ += (x - s) + hi_;
    }
    hi_ = s;
  }
  double total() const noexcept { return hi_ + lo_; }
  // The exact sum's leading part and error: hi_ + lo_ unrounded, for differences of
  // two sums that cancel.
  double high() const noexcept { return hi_; }
  double low() const noexcept { return lo_; }

 private:
  double hi_ = 0;
  double lo_ = 0;
};

// (a's sum) - (b's sum), the leading parts subtracted first: when the two sums nearly
// cancel, hi_a - hi_b is exact (Sterbenz) and the result keeps the errors' bits.
inline double compensated_difference(const compensated_sum& a, const compensated_sum& b) noexcept {
  return (a.high() - b.high()) + (a.low() - b.low());
}

// `bins` equal-width bins on [lower, upper] (finite, lower < upper, upper - lower
// finite). Edge k is lower + (upper - lower) * (k / bins) evaluated in double, rounded
// to T and clamped to [lower, upper]; edge 0 is lower and edge `bins` is upper. On
// [0, 1] that is k / bins correctly rounded to T (double: one division; float: the
// double quotient rounded to float, which is the correctly rounded float quotient for
// bins < 2^29, no double-rounding case being that close to a float midpoint).
// Bin k holds edge_k < x <= edge_(k+1); x = lower is in bin 0. The edges never
// decrease with k, so the rule gives every x in [lower, upper] exactly one bin.
template <class T>
class equal_width_grid {
 public:
  equal_width_grid(double lower, double upper, std::size_t bins) noexcept
      : lower_(lower), upper_(upper), width_(upper - lower), bins_(bins),
        scale_(static_cast<double>(bins) / (upper - lower)) {}

  // The definition above; callers evaluate it once per edge and keep the table (it
  // costs a division).
  double edge(std::size_t k) const noexcept {
    if (k == 0) return lower_;
    if (k >= bins_) return upper_;
    const double q = static_cast<double>(k) / static_cast<double>(bins_);
    const double e = static_cast<double>(static_cast<T>(lower_ + width_ * q));
    return std::min(std::max(e, lower_), upper_);
  }

  // The bin of x, for lower <= x <= upper, given the table edges(k) = edge(k): a guess
  // floor((x - lower) * bins / width), off by at most one bin from the roundings and
  // the (lower, upper] rule, then moved until the rule holds.
  template <class Edges>
  std::size_t index(double x, const Edges& edges) const noexcept {
    const double t = (x - lower_) * scale_;
    std::size_t k = 0;  // also for a NaN t (a subnormal width): the walk finds the bin
    if (t >= 1) k = t < static_cast<double>(bins_) ? static_cast<std::size_t>(t) : bins_ - 1;
    while (k > 0 && x <= edges(k)) --k;
    while (k + 1 < bins_ && x > edges(k + 1)) ++k;
    return k;
  }

  std::size_t bins() const noexcept { return bins_; }

 private:
  double lower_, upper_, width_;
  std::size_t bins_;
  double scale_;
};

// One bin of the metrics: its sample count, the sums of the probabilities and of the
// labels, and its range (equal width: the edges; equal mass: the smallest and largest
// probability in it).
struct bin_sum {
  std::size_t count = 0;
  compensated_sum confidence;
  compensated_sum label;
  double lower = std::numeric_limits<double>::quiet_NaN();
  double upper = std::numeric_limits<double>::quiet_NaN();
};

// The bins of one metric evaluation: on the stack up to inline_bins (no allocation for
// the usual 10 to 100 bins), on the heap beyond.
class bin_sums {
 public:
  static constexpr std::size_t inline_bins = 128;

  explicit bin_sums(std::size_t bins) : size_(bins) {
    if (bins > inline_bins) heap_.resize(bins);
  }
  bin_sum& operator[](std::size_t k) noexcept { return size_ > inline_bins ? heap_[k] : local_[k]; }
  const bin_sum& operator[](std::size_t k) const noexcept {
    return size_ > inline_bins ? heap_[k] : local_[k];
  }
  std::size_t size() const noexcept { return size_; }

 private:
  std::size_t size_;
  std::array<bin_sum, inline_bins> local_{};
  std::vector<bin_sum> heap_;
};

}  // namespace detail
}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
