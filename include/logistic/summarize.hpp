// logistic/summarize.hpp — a one-pass monitoring summary of a buffer of model outputs
// (probabilities, or logits with a caller-chosen range): counts of NaN, +-inf and
// values saturated at exactly 0 and 1, min / max / mean, and an equal-width histogram.
//
// Declarations (T is float or double):
//
//   struct logistic::output_summary {
//     std::size_t count, nan_count, pos_inf_count, neg_inf_count, zero_count, one_count;
//     double min, max, mean;
//     double lower, upper; std::vector<std::size_t> histogram;
//     std::size_t below, above;
//     calibration_status status; const char* message;
//   };
//   output_summary logistic::summarize(const T* values, std::size_t n, std::size_t bins = 10,
//                                      T lower = 0, T upper = 1) noexcept;
//
// Meaning:
//   - count = n; nan_count, pos_inf_count, neg_inf_count count NaN, +inf and -inf;
//     zero_count counts the values == 0 (+0 and -0), one_count those == 1.
//   - min, max and mean are over the FINITE values only (NaN and +-inf are counted, not
//     averaged, so one bad output does not hide the rest); NaN when no value is finite.
//   - histogram: `bins` equal-width bins on [lower, upper]. Bin k holds e_k < x <= e_(k+1)
//     and x = lower is in bin 0, where e_k = lower + (upper - lower) * (k / bins) is
//     evaluated in double, rounded to T and clamped to [lower, upper] (e_0 = lower,
//     e_bins = upper). On the default [0, 1] e_k is k / bins correctly rounded to T, the
//     edges of expected_calibration_error (calibration_metrics.hpp), so a probability
//     equal to an edge is in the bin below it in both.
//   - below and above count the non-NaN values (+-inf included) < lower and > upper.
//     Every value is counted exactly once: count = nan_count + below + above + the sum
//     of the histogram.
//
// Contract:
//   - Counts are exact. The mean is the compensated (Neumaier) sum of the finite values,
//     in double, divided by their number: its error is below 2^-52 |sum| + n 2^-104
//     sum |x| before the division, one more rounding after. Double values so large that
//     the sum overflows (|x| near DBL_MAX) are summed again scaled by 2^-64: the only
//     case with a second pass over the data.
//   - One pass over the values, scalar (the bin of x: one multiplication and at most a
//     couple of comparisons with a table of the edges); the allocations are the
//     histogram and that table (bins + 1 doubles).
//   - Statuses, checked in this order before any work; when status is not ok the counts
//     are 0, min, max and mean NaN, and the histogram is `bins` zeros (empty if bins is 0):
//       null_pointer   n > 0 with values null;
//       empty_input    n == 0 (an empty batch is reported, not summarized as zeros);
//       bad_bin_count  bins == 0;
//       bad_range      lower or upper not finite, lower >= upper, or upper - lower not
//                      finite in double.
//   - Nothing throws (noexcept): the histogram is allocated, and an allocation failure
//     terminates (std::terminate, or abort under -fno-exceptions). Pure, thread-safe.
#ifndef LOGISTIC_SUMMARIZE_HPP
#define LOGISTIC_SUMMARIZE_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "calibration_status.hpp"
#include "detail/calibration_bins.hpp"
#include "detail/config.hpp"

namespace logistic {

struct output_summary {
  std::size_t count;          // n
  std::size_t nan_count;
  std::size_t pos_inf_count;
  std::size_t neg_inf_count;
  std::size_t zero_count;     // values == 0 (either sign)
  std::size_t one_count;      // values == 1
  double min;                 // over the finite values; NaN if there is none
  double max;
  double mean;
  double lower;               // the histogram's range, as given
  double upper;
  std::vector<std::size_t> histogram;  // `bins` equal-width bins on [lower, upper]
  std::size_t below;          // non-NaN values < lower (-inf included)
  std::size_t above;          // non-NaN values > upper (+inf included)
  calibration_status status;
  const char* message;
};

inline namespace LOGISTIC_ARCH_NAMESPACE {
namespace detail {

template <class T>
calibration_status check_summary(const T* values, std::size_t n, std::size_t bins, T lower,
                                 T upper) noexcept {
  if (n > 0 && !values) return calibration_status::null_pointer;
  if (n == 0) return calibration_status::empty_input;
  if (bins == 0) return calibration_status::bad_bin_count;
  const double lo = static_cast<double>(lower), hi = static_cast<double>(upper);
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi) || !std::isfinite(hi - lo)) {
    return calibration_status::bad_range;
  }
  return calibration_status::ok;
}

// The mean of the finite values when their plain sum overflowed (double only): the
// same compensated sum of x 2^-64, which cannot overflow for n < 2^63.
template <class T>
double scaled_mean(const T* values, std::size_t n, std::size_t finite) noexcept {
  compensated_sum sum;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(values[i]);
    if (std::isfinite(x)) sum.add(std::ldexp(x, -64));
  }
  return std::ldexp(sum.total() / static_cast<double>(finite), 64);
}

}  // namespace detail

template <class T>
output_summary summarize(const T* values, std::size_t n, std::size_t bins = 10, T lower = 0,
                         T upper = 1) noexcept {
  detail::check_type<T>();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const calibration_status s = detail::check_summary(values, n, bins, lower, upper);
  output_summary out{n, 0, 0, 0, 0, 0, nan, nan, nan,
                     static_cast<double>(lower), static_cast<double>(upper),
                     std::vector<std::size_t>(bins, 0), 0, 0,
                     s, calibration_status_message(s)};
  if (s != calibration_status::ok) {
    out.count = 0;
    return out;
  }
  const detail::equal_width_grid<T> grid(out.lower, out.upper, bins);
  std::vector<double> edge_table(bins + 1);
  for (std::size_t k = 0; k <= bins; ++k) edge_table[k] = grid.edge(k);
  const auto edges = [&edge_table](std::size_t k) { return edge_table[k]; };
  detail::compensated_sum sum;
  std::size_t finite = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < n; ++i) {
    const double x = static_cast<double>(values[i]);
    if (x != x) {
      ++out.nan_count;
      continue;
    }
    if (std::isinf(x)) {
      if (x > 0) {
        ++out.pos_inf_count;
        ++out.above;
      } else {
        ++out.neg_inf_count;
        ++out.below;
      }
      continue;
    }
    out.zero_count += x == 0 ? 1 : 0;
    out.one_count += x == 1 ? 1 : 0;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    sum.add(x);
    ++finite;
    if (x < out.lower) {
      ++out.below;
    } else if (x > out.upper) {
      ++out.above;
    } else {
      ++out.histogram[grid.index(x, edges)];
    }
  }
  if (finite > 0) {
    out.min = lo;
    out.max = hi;
    const double total = sum.total();
    out.mean = std::isfinite(total) ? total / static_cast<double>(finite)
                                    : detail::scaled_mean(values, n, finite);
  }
  return out;
}

}  // namespace LOGISTIC_ARCH_NAMESPACE
}  // namespace logistic

#endif
