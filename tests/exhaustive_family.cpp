// Exhaustive float test of sigmoid (issue 2) and the functions of issue 3: logit, log_sigmoid,
// softplus, sigmoid_grad, silu, silu_grad (faithful and fast tiers) and sigmoid_backward, on all 2^32
// float inputs (or every N-th with --stride N), for every instruction-set flavor at once.
// --ftz-stride F reruns the faithful kernels under FTZ/DAZ on every F-th block of 4096 inputs
// only (default 1: all; a CI pass short of time samples that rule, the rest stays whole).
// --chunk-stride K sweeps every K-th block of 4096 consecutive floats instead: a sample with
// the full sweep's cost per input, to time it (a strided sample costs more per input, since
// each block then mixes the library's common and rare paths). --function NAME (repeatable)
// sweeps only the functions named, e.g. all 2^32 inputs of one kernel after a change to it.
//
// Why one binary: a separate sweep per function and flavor would compute the double
// reference of each input 42 times and take well over the CI budget. Here
// exhaustive_family_eval.cpp is compiled once per flavor (sse2, avx2, avx512 on x86-64;
// `native` elsewhere) into tables of plain function pointers; this file, built for the
// baseline instruction set and free of library templates, computes the references of each
// input once (tests/family_reference.hpp: one exp and one log1p shared by all functions) and
// compares every flavor's results with them, on all cores. Flavors the CPU lacks are skipped
// at run time, and said so.
//
// Cost (g++ 12, 2-core AMD EPYC VM, 1/8 of all inputs by --chunk-stride 8, 12 function-tier
// pairs x 3 flavors): ~1900 CPU seconds for the full sweep, i.e. ~16 minutes on two idle
// cores. Of the CPU time, the library calls take ~54% (a third of it the FTZ/DAZ rerun, and
// the SSE2 flavor's out-of-line paths for huge, infinite and NaN inputs the most), the
// references ~21%, the checks ~21%, the scalar forms ~4%.
//
// Checks, per function, tier, flavor and input:
//   - accuracy in ULPs of the exact result (subnormal results: ULP = 2^-149):
//     faithful sigmoid, logit, log_sigmoid, softplus, sigmoid_grad < 1; silu < 2; silu_grad < 2 where
//     its relative condition number |x f'(x) / f(x)| is below 4 (elsewhere, near its zero
//     x0 = -1.2785 and for x < -5.5, the absolute error in units of 2^-24 is reported
//     instead, and checked against the bound include/logistic/silu.hpp documents);
//     sigmoid_backward(y, dy) < 2 against the exact dy y (1 - y), y over all floats and dy
//     derived from y's bits (family_reference.hpp's backward_dy_of: any float, |dy| near 1,
//     |dy| in [2^-20, 2^20), +-1);
//     fast tier <= 4 where the exact result is normal; below it +0 (either zero) or <= 4;
//   - NaN exactly for NaN input (logit: and p outside [0, 1]; sigmoid_backward: where the
//     exact product is NaN, 0 * inf), never NaN otherwise;
//   - ranges: sigmoid in [0, 1]; logit has the sign of p - 1/2; log_sigmoid <= 0; softplus >= 0; sigmoid_grad
//     in [0, 1/4]; silu has the sign of x (or is zero); silu_grad in [-0.1, 1.1];
//   - faithful tier: the same bits with FTZ and DAZ set (x86 MXCSR) as without;
//   - the scalar form equals the array form, on every 61st input.
// Prints a table of the worst error per function, tier and flavor, where it occurs, the
// number of subnormal results computed (not flushed) and of failures; exits 1 on a failure.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exhaustive_family_eval.hpp"
#include "family_reference.hpp"

#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

namespace {

using logistic_test::bits;
using logistic_test::exact_value;
using logistic_test::float_from_bits;

constexpr int function_count = family_eval::function_count;
constexpr int tier_count = family_eval::tier_count;

const char* const function_names[function_count] = {
    "sigmoid", "logit", "log_sigmoid", "softplus", "sigmoid_grad", "silu", "silu_grad", "sigmoid_backward"};
const char* const tier_names[tier_count] = {"faithful", "fast"};
const char* const header_of[function_count] = {"sigmoid.hpp",      "logit.hpp",        "softplus.hpp",
                                               "softplus.hpp",     "sigmoid_grad.hpp",
                                               "silu.hpp",         "silu.hpp",
                                               "sigmoid_grad.hpp"};

// The absolute error bound of faithful silu_grad where it is ill-conditioned, in units of
// 2^-24, as include/logistic/silu.hpp documents it ("below 2^-26", near its zero); 0 would
// mean that the header states none, and the error is then only reported.
constexpr double silu_grad_documented_absolute_bound = 0.25;

// ---------------------------------------------------------------------------------------
// Limits.

struct ulp_limit {
  double ulp;
  bool inclusive;  // <= (fast tier) or < (faithful)
  constexpr bool passes(double err) const { return inclusive ? err <= ulp : err < ulp; }
};

constexpr ulp_limit limit_of(int f, int t) {
  if (t == family_eval::fast) return {4.0, true};
  if (f == family_eval::silu || f == family_eval::silu_grad || f == family_eval::sigmoid_backward) {
    return {2.0, false};
  }
  return {1.0, false};
}

// ---------------------------------------------------------------------------------------
// Flavors.

struct flavor {
  const char* name;
  const family_eval::table* table;
  const char* missing;  // the CPU feature it lacks, or nullptr
};

std::vector<flavor> flavors() {
#if defined(LOGISTIC_FAMILY_EVAL_X86)
  __builtin_cpu_init();
  // __builtin_cpu_supports takes string literals only.
  const char* avx2 = !__builtin_cpu_supports("avx2") ? "avx2" : !__builtin_cpu_supports("fma") ? "fma" : nullptr;
  const char* avx512 = avx2                                   ? avx2
                       : !__builtin_cpu_supports("avx512f")  ? "avx512f"
                       : !__builtin_cpu_supports("avx512cd") ? "avx512cd"
                       : !__builtin_cpu_supports("avx512dq") ? "avx512dq"
                       : !__builtin_cpu_supports("avx512bw") ? "avx512bw"
                       : !__builtin_cpu_supports("avx512vl") ? "avx512vl"
                                                             : nullptr;
  return {{"sse2", &family_eval_sse2, nullptr},
          {"avx2", &family_eval_avx2, avx2},
          {"avx512", &family_eval_avx512, avx512}};
#else
  return {{"native", &family_eval_native, nullptr}};
#endif
}

// ---------------------------------------------------------------------------------------
// The expected result of one function for one input, computed once and shared by both
// tiers and all flavors.

struct expected {
  double value;        // the exact result, rounded to double
  double inverse_ulp;  // 1 / its float ULP (family_reference.hpp)
  unsigned flags;      // why the plain ULP comparison does not apply, if it does not
};

// The flags: NaN expected; exact result infinite; rounds to +-inf as a float; silu_grad's
// condition number >= 4 (absolute error instead); below the normal range (fast tier: 0 or
// <= 4 ULP).
enum : unsigned { nan_result = 1, infinite = 2, overflows = 4, ill_conditioned = 8, below_normal = 16 };
// The flags that send a result of each tier off the plain comparison.
constexpr unsigned special_flags[family_eval::tier_count] = {
    nan_result | infinite | overflows | ill_conditioned,
    nan_result | infinite | overflows | ill_conditioned | below_normal};

expected expect(const exact_value& e, bool conditioned = true) {
  expected r{e.value, 0.0, 0u};
  if (std::isnan(e.value)) r.flags |= nan_result;
  if (std::isinf(e.value)) r.flags |= infinite;
  if (!std::isnan(e.value) && logistic_test::rounds_to_float_infinity(e.value)) r.flags |= overflows;
  if (!conditioned) r.flags |= ill_conditioned;
  if (!(std::fabs(e.value) >= static_cast<double>(std::numeric_limits<float>::min()))) {
    r.flags |= below_normal;
  }
  if (!(r.flags & (nan_result | infinite))) r.inverse_ulp = logistic_test::inverse_float_ulp_of_exact(e);
  return r;
}

// The error of y in ULPs; a result of +-inf where the exact value rounds to it is exact.
double error_of(float y, const expected& e) {
  const double yd = static_cast<double>(y);
  if (yd == e.value) return 0.0;
  if (std::isinf(y)) {
    return (e.flags & overflows) && (y > 0) == (e.value > 0) ? 0.0
                                                             : std::numeric_limits<double>::infinity();
  }
  if (std::isinf(e.value)) return std::numeric_limits<double>::infinity();
  return std::fabs(yd - e.value) * e.inverse_ulp;
}

// ---------------------------------------------------------------------------------------
// Range rules (for results of non-NaN inputs).

template <int F>
bool in_range(float x, float y) {
  switch (F) {
    case family_eval::sigmoid:
      return y >= 0 && y <= 1;
    case family_eval::logit:
      return x < 0.5f ? y < 0 : x > 0.5f ? y > 0 : y == 0;
    case family_eval::log_sigmoid:
      return y <= 0;
    case family_eval::softplus:
      return y >= 0;
    case family_eval::sigmoid_grad:
      return y >= 0 && y <= 0.25f;
    case family_eval::silu:
      return x > 0 ? y >= 0 : x < 0 ? y <= 0 : y == 0;
    case family_eval::silu_grad:
      return y >= -0.1f && y <= 1.1f;
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------
// Tallies.

enum rule : int {
  rule_nan_expected,
  rule_nan_produced,
  rule_range,
  rule_ulp,
  rule_fast_subnormal,
  rule_absolute_bound,
  rule_ftz_daz,
  rule_scalar_array,
  rule_count
};
const char* const rule_names[rule_count] = {
    "NaN input (or outside the domain) did not give NaN",
    "NaN from a non-NaN input",
    "result outside the function's range",
    "error above the ULP limit",
    "fast: result below the normal range neither 0 nor within 4 ULP",
    "silu_grad: absolute error above the documented bound",
    "faithful: result differs under FTZ/DAZ",
    "scalar form differs from array form"};

struct worst {
  double err = -1;
  float x = 0, dy = 0, y = 0;
  double exact = 0;
  void note(double e, float xi, float dyi, float yi, double ex) {
    if (e > err) *this = {e, xi, dyi, yi, ex};
  }
  void merge(const worst& o) {
    if (o.err > err) *this = o;
  }
};

struct stats {
  worst ulp;                         // where the ULP limit applies, exact value >= FLT_MIN
  worst below_normal_ulp;            // the same, where the exact value is below FLT_MIN
  worst absolute;                    // silu_grad where it does not (units of 2^-24)...
  worst ill_near_zero_ulp;           // ...and its ULP error there, for the record: near the
  worst ill_far_left_ulp;            // zero x0 = -1.28 (x > -3), and far left (x <= -3)
  worst first_failure[rule_count];   // an example of each rule broken (err = 1)
  std::uint64_t checked = 0;         // inputs measured in ULP
  std::uint64_t absolute_checked = 0;
  std::uint64_t subnormal_results = 0;  // computed, not flushed
  std::uint64_t failures[rule_count] = {};
  std::uint64_t total_failures() const {
    std::uint64_t n = 0;
    for (std::uint64_t k : failures) n += k;
    return n;
  }
  void merge(const stats& o) {
    ulp.merge(o.ulp);
    below_normal_ulp.merge(o.below_normal_ulp);
    absolute.merge(o.absolute);
    ill_near_zero_ulp.merge(o.ill_near_zero_ulp);
    ill_far_left_ulp.merge(o.ill_far_left_ulp);
    for (int k = 0; k < rule_count; ++k) first_failure[k].merge(o.first_failure[k]);
    checked += o.checked;
    absolute_checked += o.absolute_checked;
    subnormal_results += o.subnormal_results;
    for (int k = 0; k < rule_count; ++k) failures[k] += o.failures[k];
  }
};

struct where {
  const char* flavor;
  int function;
  int tier;
};

std::mutex report_mutex;
constexpr int max_reports = 30;
std::atomic<int> reports{0};

void fail(stats& s, rule r, const where& w, float x, float dy, float y, double exact) {
  if (s.failures[r]++ == 0) s.first_failure[r].note(1.0, x, dy, y, exact);
  // Millions of failures must not serialize the threads on one cache line.
  if (reports.load(std::memory_order_relaxed) >= max_reports || reports.fetch_add(1) >= max_reports) {
    return;
  }
  std::lock_guard<std::mutex> lock(report_mutex);
  std::printf("FAIL %s %s %s: %s: x = %a (%.9g)", w.flavor, function_names[w.function],
              tier_names[w.tier], rule_names[r], static_cast<double>(x), static_cast<double>(x));
  if (w.function == family_eval::sigmoid_backward) std::printf(", dy = %a", static_cast<double>(dy));
  std::printf(" -> %a (%.9g), exact %.17g\n", static_cast<double>(y), static_cast<double>(y), exact);
}

bool is_subnormal(float y) { return y != 0 && std::fabs(y) < std::numeric_limits<float>::min(); }

// Every rule for one result, the slow way.
template <int F, int T>
void check_one(const where& w, float x, float dy, float y, const expected& e, stats& s) {
  constexpr ulp_limit limit = limit_of(F, T);
  if (e.flags & nan_result) {
    if (!std::isnan(y)) fail(s, rule_nan_expected, w, x, dy, y, e.value);
    return;
  }
  if (std::isnan(y)) {
    fail(s, rule_nan_produced, w, x, dy, y, e.value);
    return;
  }
  if (!in_range<F>(x, y)) fail(s, rule_range, w, x, dy, y, e.value);
  if (is_subnormal(y)) ++s.subnormal_results;
  const double err = error_of(y, e);
  if (e.flags & ill_conditioned) {
    // silu_grad near its zero and far left: the absolute error, in units of 2^-24 (and the
    // ULP error, for the record).
    const double absolute = std::isinf(err) ? err : std::fabs(static_cast<double>(y) - e.value) * 0x1p24;
    ++s.absolute_checked;
    s.absolute.note(absolute, x, dy, y, e.value);
    (x > -3 ? s.ill_near_zero_ulp : s.ill_far_left_ulp).note(err, x, dy, y, e.value);
    if (std::isinf(absolute)) {
      fail(s, rule_ulp, w, x, dy, y, e.value);
    } else if (T == family_eval::faithful && silu_grad_documented_absolute_bound > 0 &&
               !(absolute < silu_grad_documented_absolute_bound)) {
      fail(s, rule_absolute_bound, w, x, dy, y, e.value);
    }
    return;
  }
  if (T == family_eval::fast && (e.flags & below_normal)) {
    if (y != 0 && !(err <= 4.0)) fail(s, rule_fast_subnormal, w, x, dy, y, e.value);
    return;
  }
  ++s.checked;
  // The worst error of the normal range and of results below it, apart (the subnormal
  // results' error is relative to the smallest subnormal, and usually the larger).
  (e.flags & below_normal ? s.below_normal_ulp : s.ulp).note(err, x, dy, y, e.value);
  if (!limit.passes(err)) fail(s, rule_ulp, w, x, dy, y, e.value);
}

// The accuracy, NaN and range rules for one function F, tier T and flavor over one chunk.
// A first pass, without branches, only asks whether every result of the chunk is regular
// (passes, and does not beat the worst error seen so far); that is the common case, and
// the chunk's counts are then added as they are. Otherwise a second pass goes through
// check_one() for every result: it reports the failures and records where the worst occur.
template <int F, int T>
void check_results(const where& w, const float* x, const float* dy, const float* y,
                   const expected* ex, std::size_t n, unsigned chunk_flags, stats& s) {
  constexpr ulp_limit limit = limit_of(F, T);
  constexpr bool fast = T == family_eval::fast;
  if (!fast && (chunk_flags & below_normal)) {
    // The few chunks with results below the normal range: one by one, for the worst error
    // among those results alone (the subnormal results' own column of the report).
    for (std::size_t i = 0; i < n; ++i) check_one<F, T>(w, x[i], dy[i], y[i], ex[i], s);
    return;
  }
  if (!(chunk_flags & special_flags[T])) {
    // Most chunks: every exact value finite, measured in ULPs.
    // Counts and a maximum only, no branch: the chunk is regular when the maximum passes
    // and no result is NaN (which max() would drop) or out of range.
    double max_ulp = 0;
    unsigned subnormal = 0, irregular = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const float yi = y[i];
      const double err = std::fabs(static_cast<double>(yi) - ex[i].value) * ex[i].inverse_ulp;
      max_ulp = std::max(max_ulp, err);
      irregular += static_cast<unsigned>(std::isnan(yi)) + static_cast<unsigned>(!in_range<F>(x[i], yi));
      subnormal += static_cast<unsigned>(std::fabs(yi) < std::numeric_limits<float>::min()) &
                   static_cast<unsigned>(yi != 0.0f);
    }
    if (irregular == 0 && limit.passes(max_ulp) && !(max_ulp > s.ulp.err)) {
      s.checked += n;
      s.subnormal_results += subnormal;
      return;
    }
    for (std::size_t i = 0; i < n; ++i) check_one<F, T>(w, x[i], dy[i], y[i], ex[i], s);
    return;
  }
  constexpr bool bounded = !fast && silu_grad_documented_absolute_bound > 0;
  double max_ulp = 0, max_absolute = 0, max_near_zero_ulp = 0, max_far_left_ulp = 0;
  std::uint64_t checked = 0, absolute_checked = 0, subnormal = 0, irregular = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const expected& e = ex[i];
    const float yi = y[i];
    const double yd = static_cast<double>(yi);
    // error_of(), spelled without branches: 0 for the exact value (the same infinity
    // included) and for +-inf where the exact value overflows; NaN or infinite when y is
    // NaN or infinite and the exact value is not (then not passing).
    const bool same = yd == e.value || ((e.flags & overflows) != 0 && std::isinf(yi) &&
                                        (yi > 0) == (e.value > 0));
    const double difference = same ? 0.0 : std::fabs(yd - e.value);
    const double err = difference * e.inverse_ulp;
    const double absolute = difference * 0x1p24;
    const bool nan_expected = (e.flags & nan_result) != 0;
    const bool ill = (e.flags & ill_conditioned) != 0;
    const bool flushable = fast && (e.flags & below_normal) != 0;
    const bool measured = !nan_expected & !ill & !flushable;
    const bool passes = ill ? (!bounded || absolute < silu_grad_documented_absolute_bound) & (absolute < HUGE_VAL)
                            : flushable ? (yi == 0.0f) | (err <= 4.0) : limit.passes(err);
    const bool y_nan = std::isnan(yi);
    const bool in = in_range<F>(x[i], yi);
    irregular += !(nan_expected ? y_nan : !y_nan && passes && in);
    checked += measured;
    absolute_checked += ill & !nan_expected;
    subnormal += is_subnormal(yi);
    max_ulp = std::max(max_ulp, measured ? err : 0.0);
    max_absolute = std::max(max_absolute, ill ? absolute : 0.0);
    max_near_zero_ulp = std::max(max_near_zero_ulp, ill && x[i] > -3 ? err : 0.0);
    max_far_left_ulp = std::max(max_far_left_ulp, ill && !(x[i] > -3) ? err : 0.0);
  }
  const bool new_worst = (checked && max_ulp > s.ulp.err) ||
                         (absolute_checked && (max_absolute > s.absolute.err ||
                                               max_near_zero_ulp > s.ill_near_zero_ulp.err ||
                                               max_far_left_ulp > s.ill_far_left_ulp.err));
  if (irregular == 0 && !new_worst) {
    s.checked += checked;
    s.absolute_checked += absolute_checked;
    s.subnormal_results += subnormal;
    return;
  }
  for (std::size_t i = 0; i < n; ++i) check_one<F, T>(w, x[i], dy[i], y[i], ex[i], s);
}

using checker = void (*)(const where&, const float*, const float*, const float*, const expected*,
                         std::size_t, unsigned, stats&);

template <int F>
constexpr checker checkers_of_function[family_eval::tier_count] = {
    check_results<F, family_eval::faithful>, check_results<F, family_eval::fast>};

checker checker_of(int f, int t) {
  switch (f) {
    case family_eval::sigmoid: return checkers_of_function<family_eval::sigmoid>[t];
    case family_eval::logit: return checkers_of_function<family_eval::logit>[t];
    case family_eval::log_sigmoid: return checkers_of_function<family_eval::log_sigmoid>[t];
    case family_eval::softplus: return checkers_of_function<family_eval::softplus>[t];
    case family_eval::sigmoid_grad: return checkers_of_function<family_eval::sigmoid_grad>[t];
    case family_eval::silu: return checkers_of_function<family_eval::silu>[t];
    case family_eval::silu_grad: return checkers_of_function<family_eval::silu_grad>[t];
    default: return checkers_of_function<family_eval::sigmoid_backward>[t];
  }
}

#if defined(__SSE2__)
struct flush_denormals {  // FTZ and DAZ on for this thread while in scope
  unsigned saved = _mm_getcsr();
  flush_denormals() { _mm_setcsr(saved | 0x8040u); }
  ~flush_denormals() { _mm_setcsr(saved); }
  flush_denormals(const flush_denormals&) = delete;
  flush_denormals& operator=(const flush_denormals&) = delete;
};
#endif

// ---------------------------------------------------------------------------------------
// The sweep.

constexpr std::size_t chunk = 4096;
constexpr std::size_t scalar_step = 61;

struct sweep_plan {
  std::uint64_t stride;
  std::uint64_t inputs;  // ceil(2^32 / stride)
  std::uint64_t chunk_stride;  // every chunk_stride-th block of `chunk` inputs
  std::uint64_t ftz_stride;    // the FTZ/DAZ rerun on every ftz_stride-th swept block
  std::chrono::steady_clock::time_point start;
  std::vector<flavor> flavors;
  bool present[function_count][tier_count];  // in at least one runnable flavor
  bool selected[function_count];               // --function, or all
  bool shared_references;  // a function selected whose reference is family_references_of's
};

// The index of a (flavor, function, tier) in the tallies.
std::size_t slot(std::size_t fl, int f, int t) {
  return (fl * function_count + static_cast<std::size_t>(f)) * tier_count + static_cast<std::size_t>(t);
}

struct thread_state {
  std::vector<stats> tallies;  // [flavor][function][tier]
  double seconds[5] = {};  // phase_names
  stats& at(std::size_t fl, int f, int t) { return tallies[slot(fl, f, t)]; }
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Where the time goes, summed over threads (for the report's breakdown).
enum phase : int { phase_reference, phase_library, phase_ftz_daz, phase_checks, phase_scalar };
const char* const phase_names[] = {"references", "library calls", "library calls under FTZ/DAZ",
                                   "checks", "scalar forms"};

// Adds the time since *t0 to a phase and restarts the clock.
void lap(thread_state& ts, phase p, std::chrono::steady_clock::time_point& t0) {
  const auto now = std::chrono::steady_clock::now();
  ts.seconds[p] += std::chrono::duration<double>(now - t0).count();
  t0 = now;
}

void run_function(const sweep_plan& plan, std::size_t fl, int f, int t, const float* x,
                  const float* dy, const expected* ex, std::size_t n, unsigned chunk_flags,
                  bool rerun_flushed, std::vector<float>& out, std::vector<float>& again,
                  thread_state& ts) {
  const family_eval::entry& fn = plan.flavors[fl].table->functions[f][t];
  const bool backward = f == family_eval::sigmoid_backward;
  const where w{plan.flavors[fl].name, f, t};
  stats& s = ts.at(fl, f, t);

  auto t0 = std::chrono::steady_clock::now();
  if (backward) fn.backward_array(x, dy, out.data(), n);
  else fn.array(x, out.data(), n);
  lap(ts, phase_library, t0);

  checker_of(f, t)(w, x, dy, out.data(), ex, n, chunk_flags, s);
  lap(ts, phase_checks, t0);

#if defined(__SSE2__)
  if (t == family_eval::faithful && rerun_flushed) {
    {
      flush_denormals ftz_daz;
      if (backward) fn.backward_array(x, dy, again.data(), n);
      else fn.array(x, again.data(), n);
    }
    if (std::memcmp(out.data(), again.data(), n * sizeof(float)) != 0) {
      for (std::size_t i = 0; i < n; ++i) {
        if (bits(again[i]) != bits(out[i])) fail(s, rule_ftz_daz, w, x[i], dy[i], again[i], ex[i].value);
      }
    }
    lap(ts, phase_ftz_daz, t0);
  }
#else
  (void)again;
  (void)rerun_flushed;
#endif

  for (std::size_t i = 0; i < n; i += scalar_step) {
    const float scalar = backward ? fn.backward_scalar(x[i], dy[i]) : fn.scalar(x[i]);
    if (bits(scalar) != bits(out[i])) fail(s, rule_scalar_array, w, x[i], dy[i], scalar, ex[i].value);
  }
  lap(ts, phase_scalar, t0);
}

void sweep(const sweep_plan& plan, std::atomic<std::uint64_t>& next_chunk, thread_state& ts) {
  std::vector<float> x(chunk), dy(chunk), out(chunk), again(chunk);
  std::vector<expected> ex[function_count];
  for (auto& v : ex) v.resize(chunk);
  const std::uint64_t chunks = (plan.inputs + chunk - 1) / chunk;
  const std::uint64_t swept = (chunks + plan.chunk_stride - 1) / plan.chunk_stride;
  const std::uint64_t tenth = std::max<std::uint64_t>(1, swept / 10);
  for (std::uint64_t c = next_chunk.fetch_add(1); c < swept; c = next_chunk.fetch_add(1)) {
    if (c % tenth == 0 && c > 0 && swept >= 1000) {  // progress, for the logs of long sweeps
      std::fprintf(stderr, "%3.0f%% after %.0f s\n", 100.0 * static_cast<double>(c) / static_cast<double>(swept),
                   seconds_since(plan.start));
    }
    const std::uint64_t first = c * plan.chunk_stride * chunk;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, plan.inputs - first));

    auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = float_from_bits(static_cast<std::uint32_t>((first + i) * plan.stride));
      dy[i] = logistic_test::backward_dy_of(x[i]);
      if (plan.shared_references) {
        const logistic_test::family_references r = logistic_test::family_references_of(x[i]);
        ex[family_eval::sigmoid][i] = expect(r.sigmoid);
        ex[family_eval::log_sigmoid][i] = expect(r.log_sigmoid);
        ex[family_eval::softplus][i] = expect(r.softplus);
        ex[family_eval::sigmoid_grad][i] = expect(r.sigmoid_grad);
        ex[family_eval::silu][i] = expect(r.silu);
        ex[family_eval::silu_grad][i] = expect(r.silu_grad, r.silu_grad_condition < 4);
      }
      if (plan.selected[family_eval::logit]) {
        ex[family_eval::logit][i] = expect(logistic_test::logit_reference(x[i]));
      }
      if (plan.selected[family_eval::sigmoid_backward]) {
        ex[family_eval::sigmoid_backward][i] =
            expect(logistic_test::sigmoid_backward_reference(x[i], dy[i]));
      }
    }
    unsigned chunk_flags[function_count] = {};  // what the chunk's exact values hold
    for (int f = 0; f < function_count; ++f) {
      for (std::size_t i = 0; i < n; ++i) chunk_flags[f] |= ex[f][i].flags;
    }
    lap(ts, phase_reference, t0);

    for (std::size_t fl = 0; fl < plan.flavors.size(); ++fl) {
      if (plan.flavors[fl].missing) continue;
      for (int f = 0; f < function_count; ++f) {
        if (!plan.selected[f]) continue;
        for (int t = 0; t < tier_count; ++t) {
          const family_eval::entry& fn = plan.flavors[fl].table->functions[f][t];
          if (!fn.array && !fn.backward_array) continue;
          run_function(plan, fl, f, t, x.data(), dy.data(), ex[f].data(), n, chunk_flags[f],
                       c % plan.ftz_stride == 0, out, again, ts);
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Report.

void print_worst(const worst& w, int f) {
  std::printf("x = %a", static_cast<double>(w.x));
  if (f == family_eval::sigmoid_backward) std::printf(" dy = %a", static_cast<double>(w.dy));
  std::printf(" -> %a, exact %.10g", static_cast<double>(w.y), w.exact);
}

std::uint64_t report(const sweep_plan& plan, const std::vector<stats>& all) {
  std::uint64_t failures = 0;
  std::printf("\n%-16s %-8s %-6s %-5s %9s %11s %9s %10s  %s\n", "function", "tier", "flavor",
              "limit", "max ULP", "subnormal", "sub. ULP", "failures", "worst input");
  for (int f = 0; f < function_count; ++f) {
    for (int t = 0; t < tier_count; ++t) {
      if (!plan.present[f][t]) continue;
      const ulp_limit limit = limit_of(f, t);
      for (std::size_t fl = 0; fl < plan.flavors.size(); ++fl) {
        const flavor& fv = plan.flavors[fl];
        const family_eval::entry& fn = fv.table->functions[f][t];
        if (fv.missing || (!fn.array && !fn.backward_array)) continue;
        const stats& s = all[slot(fl, f, t)];
        failures += s.total_failures();
        char lim[16];
        std::snprintf(lim, sizeof lim, "%s%g", limit.inclusive ? "<=" : "<", limit.ulp);
        // max ULP: the worst error where the exact value is normal (or above FLT_MAX);
        // sub. ULP: where it is below FLT_MIN (faithful tier; "-" where none was measured).
        char below[16] = "-";
        if (t == family_eval::faithful && s.below_normal_ulp.err >= 0) {
          std::snprintf(below, sizeof below, "%.4f", s.below_normal_ulp.err);
        }
        std::printf("%-16s %-8s %-6s %-5s %9.4f %11" PRIu64 " %9s %10" PRIu64 "  ",
                    function_names[f], tier_names[t], fv.name, lim, s.ulp.err,
                    s.subnormal_results, below, s.total_failures());
        print_worst(s.ulp, f);
        std::printf("\n");
        if (s.absolute_checked > 0) {
          const bool bounded = t == family_eval::faithful && silu_grad_documented_absolute_bound > 0;
          std::printf("%-23s condition >= 4 (%" PRIu64 " inputs): max |error| %.4f x 2^-24 (",
                      "", s.absolute_checked, s.absolute.err);
          if (bounded) std::printf("bound < %g", silu_grad_documented_absolute_bound);
          else std::printf("no bound documented");
          std::printf(") at ");
          print_worst(s.absolute, f);
          std::printf("\n%-23s condition >= 4, for the record: max %.4f ULP near x0 at ", "",
                      s.ill_near_zero_ulp.err);
          print_worst(s.ill_near_zero_ulp, f);
          std::printf("\n%-23s condition >= 4, for the record: max %.4f ULP for x <= -3 at ", "",
                      s.ill_far_left_ulp.err);
          print_worst(s.ill_far_left_ulp, f);
          std::printf("\n");
        }
        for (int r = 0; r < rule_count; ++r) {
          if (!s.failures[r]) continue;
          std::printf("%32s%" PRIu64 " x %s, e.g. ", "", s.failures[r], rule_names[r]);
          print_worst(s.first_failure[r], f);
          std::printf("\n");
        }
      }
    }
  }
  for (int f = 0; f < function_count; ++f) {
    if (plan.selected[f] && !plan.present[f][0] && !plan.present[f][1]) {
      std::printf("%-16s absent: include/logistic/%s was not there when the harness was built\n",
                  function_names[f], header_of[f]);
    }
  }
  return failures;
}

bool parse_count(const char* text, std::uint64_t& value) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (!end || *end != '\0' || v == 0 || v > 0xffffffffull) return false;
  value = v;
  return true;
}

// The function named `name`, or -1.
int function_named(const char* name) {
  for (int f = 0; f < function_count; ++f) {
    if (std::strcmp(name, function_names[f]) == 0) return f;
  }
  return -1;
}

bool parse_options(int argc, char** argv, sweep_plan& plan) {
  plan.stride = 1;
  plan.chunk_stride = 1;
  plan.ftz_stride = 1;
  bool any_named = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--function") == 0 && i + 1 < argc) {
      const int f = function_named(argv[++i]);
      if (f < 0) return false;
      if (!any_named) std::fill(std::begin(plan.selected), std::end(plan.selected), false);
      any_named = true;
      plan.selected[f] = true;
      continue;
    }
    if (std::strcmp(argv[i], "--stride") == 0 && i + 1 < argc) {
      if (!parse_count(argv[++i], plan.stride)) return false;
    } else if (std::strcmp(argv[i], "--chunk-stride") == 0 && i + 1 < argc) {
      if (!parse_count(argv[++i], plan.chunk_stride)) return false;
    } else if (std::strcmp(argv[i], "--ftz-stride") == 0 && i + 1 < argc) {
      if (!parse_count(argv[++i], plan.ftz_stride)) return false;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  sweep_plan plan{};
  std::fill(std::begin(plan.selected), std::end(plan.selected), true);
  if (!parse_options(argc, argv, plan)) {
    std::fprintf(stderr,
                 "usage: %s [--stride N] [--chunk-stride K] [--ftz-stride F] [--function NAME]...\n"
                 "  every N-th float (default 1: all 2^32), in blocks of %zu of which every K-th\n"
                 "  is swept (default 1: all) and every F-th rerun under FTZ/DAZ (default 1: all);\n"
                 "  only the functions named (default: all of",
                 argv[0], chunk);
    for (const char* name : function_names) std::fprintf(stderr, " %s", name);
    std::fprintf(stderr, ")\n");
    return 2;
  }
  for (int f = 0; f < function_count; ++f) {
    const bool own_reference = f == family_eval::logit || f == family_eval::sigmoid_backward;
    plan.shared_references = plan.shared_references || (plan.selected[f] && !own_reference);
  }
  plan.inputs = ((std::uint64_t(1) << 32) + plan.stride - 1) / plan.stride;
  plan.flavors = flavors();
  for (const flavor& fv : plan.flavors) {
    if (fv.missing) {
      std::printf("SKIPPED flavor %s: this CPU lacks %s\n", fv.name, fv.missing);
      continue;
    }
    for (int f = 0; f < function_count; ++f) {
      for (int t = 0; t < tier_count; ++t) {
        const family_eval::entry& fn = fv.table->functions[f][t];
        plan.present[f][t] = plan.present[f][t] || (plan.selected[f] && (fn.array || fn.backward_array));
      }
    }
  }

  bool anything = false;
  for (const auto& function : plan.present) anything = anything || function[0] || function[1];
  if (!anything) {
    // Not a pass: nothing was tested (CTest reports exit code 77 as skipped).
    std::printf("SKIPPED: none of the functions' headers was there when the harness was built\n");
    return 77;
  }

  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t chunks = (plan.inputs + chunk - 1) / chunk;
  const std::uint64_t swept_inputs =
      plan.chunk_stride == 1 ? plan.inputs
                             : std::min(plan.inputs, (chunks + plan.chunk_stride - 1) / plan.chunk_stride * chunk);
  std::printf("exhaustive float sweep of the logistic family: %" PRIu64 " inputs (stride %" PRIu64
              ", chunk stride %" PRIu64 ", FTZ/DAZ rerun on 1 block of %zu in %" PRIu64
              "), %u threads\nflavors:",
              swept_inputs, plan.stride, plan.chunk_stride, chunk, plan.ftz_stride, threads);
  for (const flavor& fv : plan.flavors) {
    std::printf(" %s (%s)%s", fv.name, fv.table->arch_namespace, fv.missing ? " [skipped]" : "");
  }
  std::printf("\n");
  std::fflush(stdout);

  plan.start = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> next_chunk{0};
  std::vector<thread_state> states(threads);
  for (auto& ts : states) ts.tallies.resize(plan.flavors.size() * function_count * tier_count);
  std::vector<std::thread> pool;
  for (unsigned k = 0; k < threads; ++k) {
    pool.emplace_back([&plan, &next_chunk, &states, k] { sweep(plan, next_chunk, states[k]); });
  }
  for (auto& th : pool) th.join();
  const double elapsed = seconds_since(plan.start);

  std::vector<stats> all(plan.flavors.size() * function_count * tier_count);
  double seconds[5] = {};
  for (const auto& ts : states) {
    for (std::size_t k = 0; k < all.size(); ++k) all[k].merge(ts.tallies[k]);
    for (int p = 0; p < 5; ++p) seconds[p] += ts.seconds[p];
  }
  std::uint64_t failures = report(plan, all);

  // A harness that saw no subnormal result would not be testing that they are kept: every
  // faithful function but logit has some among all 2^32 inputs.
  if (plan.stride == 1 && plan.chunk_stride == 1) {
    for (int f = 0; f < function_count; ++f) {
      if (f == family_eval::logit || !plan.selected[f]) continue;  // logit: never that small
      for (std::size_t fl = 0; fl < plan.flavors.size(); ++fl) {
        const flavor& fv = plan.flavors[fl];
        const family_eval::entry& fn = fv.table->functions[f][family_eval::faithful];
        if (fv.missing || (!fn.array && !fn.backward_array)) continue;
        if (all[slot(fl, f, family_eval::faithful)].subnormal_results == 0) {
          std::printf("FAIL %s %s faithful: no subnormal result among all inputs\n", fv.name,
                      function_names[f]);
          ++failures;
        }
      }
    }
  }

  std::printf("\nelapsed %.1f s; thread time:", elapsed);
  for (int p = 0; p < 5; ++p) std::printf("%s %s %.1f s", p ? "," : "", phase_names[p], seconds[p]);
  std::printf("\n");
  std::printf("%s: %" PRIu64 " failures\n", failures ? "FAILED" : "PASSED", failures);
  return failures == 0 ? 0 : 1;
}
