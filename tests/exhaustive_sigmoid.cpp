// Exhaustive test: logistic::sigmoid and logistic::fast::sigmoid on all 2^32
// float inputs, against the double reference of tests/reference.hpp.
//
// Checks, per input:
//   - faithful: error < 1 ULP (subnormal results included: ULP = 2^-149);
//   - fast: error <= 4 ULP where the exact result is normal; below that, +0 or
//     within 4 ULP;
//   - both: NaN exactly for NaN input, result in [0, 1];
//   - both: the same bits with FTZ and DAZ set (x86) as without;
//   - both: the scalar form equals the array form (on every 61st input).
// Prints the worst error of each tier and where it occurs; exits 1 on failure.
#include <logistic/logistic.hpp>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "reference.hpp"

#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

namespace {

using logistic_test::bits;
using logistic_test::float_from_bits;

struct worst {
  double ulp = 0;
  float x = 0;
  float y = 0;
  double exact = 0;
  void note(double u, float xi, float yi, double e) {
    if (u > ulp) *this = {u, xi, yi, e};
  }
  void merge(const worst& o) {
    if (o.ulp > ulp) *this = o;
  }
};

struct tally {
  worst faithful, faithful_subnormal, fast;
  std::uint64_t failures = 0;
  std::uint64_t faithful_subnormal_results = 0;  // computed, not flushed
  void merge(const tally& o) {
    faithful.merge(o.faithful);
    faithful_subnormal.merge(o.faithful_subnormal);
    fast.merge(o.fast);
    failures += o.failures;
    faithful_subnormal_results += o.faithful_subnormal_results;
  }
};

std::mutex report_mutex;
constexpr int max_reports = 20;
std::atomic<int> reports{0};

void fail(const char* what, float x, float y, double exact) {
  if (reports.fetch_add(1) >= max_reports) return;
  std::lock_guard<std::mutex> lock(report_mutex);
  std::printf("FAIL %s: x = %a (%.9g) -> %a (%.9g), exact %.17g\n", what, x, x, y, y, exact);
}

#if defined(__SSE2__)
struct flush_denormals {  // FTZ and DAZ on for this thread while in scope
  unsigned saved = _mm_getcsr();
  flush_denormals() { _mm_setcsr(saved | 0x8040u); }
  ~flush_denormals() { _mm_setcsr(saved); }
};
#endif

// Every block of 4096 consecutive floats, or every K-th block when the environment sets
// LOGISTIC_EXHAUSTIVE_SIGMOID_BLOCK_STRIDE=K (.ci/run samples with it under its second
// compiler to stay within the CI time budget; the report says which it was).
std::uint64_t block_stride() {
  const char* s = std::getenv("LOGISTIC_EXHAUSTIVE_SIGMOID_BLOCK_STRIDE");
  const unsigned long long k = s != nullptr ? std::strtoull(s, nullptr, 10) : 0;
  return k > 0 ? k : 1;
}

void sweep(std::uint64_t begin, std::uint64_t end, std::uint64_t stride, tally& t) {
  constexpr std::size_t chunk = 4096;
  std::vector<float> in(chunk), faithful(chunk), fast(chunk), again(chunk);
  const double min_normal = static_cast<double>(std::numeric_limits<float>::min());
  for (std::uint64_t base = begin; base < end; base += chunk) {
    if ((base / chunk) % stride != 0) continue;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, end - base));
    for (std::size_t i = 0; i < n; ++i) in[i] = float_from_bits(static_cast<std::uint32_t>(base + i));
    logistic::sigmoid(in.data(), faithful.data(), n);
    logistic::fast::sigmoid(in.data(), fast.data(), n);

    for (std::size_t i = 0; i < n; ++i) {
      const float x = in[i];
      const double exact = logistic_test::sigmoid_reference(x);
      const float y = faithful[i], f = fast[i];
      const bool x_nan = std::isnan(x);
      for (const float r : {y, f}) {
        if (std::isnan(r) != x_nan || (!x_nan && !(r >= 0.0f && r <= 1.0f))) {
          ++t.failures;
          fail("NaN or range", x, r, exact);
        }
      }
      if (x_nan) continue;
      const double uy = logistic_test::sigmoid_ulp_error(y, exact);
      (exact >= min_normal ? t.faithful : t.faithful_subnormal).note(uy, x, y, exact);
      if (!(uy < 1.0)) {
        ++t.failures;
        fail("faithful >= 1 ULP", x, y, exact);
      }
      if (y != 0.0f && y < std::numeric_limits<float>::min()) ++t.faithful_subnormal_results;
      const double uf = logistic_test::sigmoid_ulp_error(f, exact);
      if (exact >= min_normal) {
        t.fast.note(uf, x, f, exact);
        if (!(uf <= 4.0)) {
          ++t.failures;
          fail("fast > 4 ULP", x, f, exact);
        }
      } else if (f != 0.0f && !(uf <= 4.0)) {
        ++t.failures;
        fail("fast: subnormal result neither 0 nor within 4 ULP", x, f, exact);
      }
    }

    // Scalar forms on a stride: bit-identical to the array forms.
    for (std::size_t i = 0; i < n; i += 61) {
      if (bits(logistic::sigmoid(in[i])) != bits(faithful[i]) ||
          bits(logistic::fast::sigmoid(in[i])) != bits(fast[i])) {
        ++t.failures;
        fail("scalar differs from array", in[i], logistic::sigmoid(in[i]), 0);
      }
    }

#if defined(__SSE2__)
    // The caller's FTZ/DAZ mode must not change a single bit.
    {
      flush_denormals ftz_daz;
      logistic::sigmoid(in.data(), again.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        if (bits(again[i]) != bits(faithful[i])) {
          ++t.failures;
          fail("faithful differs under FTZ/DAZ", in[i], again[i], 0);
        }
      }
      logistic::fast::sigmoid(in.data(), again.data(), n);
      for (std::size_t i = 0; i < n; ++i) {
        if (bits(again[i]) != bits(fast[i])) {
          ++t.failures;
          fail("fast differs under FTZ/DAZ", in[i], again[i], 0);
        }
      }
    }
#endif
  }
}

void print_worst(const char* name, const worst& w) {
  std::printf("%-28s max %.4f ULP at x = %a (%.9g): got %a, exact %.17g\n", name, w.ulp, w.x, w.x,
              w.y, w.exact);
}

}  // namespace

int main() {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t total = std::uint64_t(1) << 32;
  const std::uint64_t slice = total / threads;
  const std::uint64_t stride = block_stride();
  std::vector<tally> tallies(threads);
  std::vector<std::thread> pool;
  for (unsigned k = 0; k < threads; ++k) {
    const std::uint64_t b = k * slice, e = (k + 1 == threads) ? total : b + slice;
    pool.emplace_back([b, e, stride, &tallies, k] { sweep(b, e, stride, tallies[k]); });
  }
  for (auto& th : pool) th.join();
  tally all;
  for (const auto& t : tallies) all.merge(t);

  if (stride == 1) {
    std::printf("exhaustive float sigmoid, %" PRIu64 " inputs, arch %s\n", total,
                xsimd::default_arch::name());
  } else {
    std::printf("SAMPLED float sigmoid: every %" PRIu64 "th block of 4096 of the %" PRIu64
                " inputs, arch %s\n", stride, total, xsimd::default_arch::name());
  }
  print_worst("logistic::sigmoid", all.faithful);
  print_worst("  (subnormal results)", all.faithful_subnormal);
  print_worst("logistic::fast::sigmoid", all.fast);
  std::printf("faithful subnormal results (not flushed): %" PRIu64 "\n",
              all.faithful_subnormal_results);
  std::printf("%s: %" PRIu64 " failures\n", all.failures ? "FAILED" : "PASSED", all.failures);
  return all.failures == 0 && all.faithful_subnormal_results > 0 ? 0 : 1;
}
