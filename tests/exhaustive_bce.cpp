// Exhaustive test of binary cross-entropy with logits (issue 4), for every instruction-set
// flavor at once, on all cores. Three parts:
//
//   sweep       every float x (or every N-th with --stride N), labels y = 0 and y = 1: the
//               elementwise loss (softplus(x) and softplus(-x)) and gradient (sigma(x) and
//               -sigma(-x)) within 2 ULP of the exact value; NaN exactly for NaN x; the
//               loss >= 0 and the gradient finite for every other x (+-inf included); the
//               scalar form equal to the array form on every 509th input;
//   reductions  n = 2^24 (and 2^26 with --large) random logits, with +-100 and +-1e30 among
//               them, hard labels with the default options, and soft labels with
//               pos_weight, smoothing and weights: the mean (reduced form, and the fused
//               form's loss) within 4 2^-24 relative of the exact mean (a __float128 sum
//               of double per-element losses); the fused form's gradient within 2 ULP of
//               the exact (sigma(x) - y') w / n per element;
//   double      --double N random double inputs (x over many binades, y in {0, 1} or
//               soft, several pos_weight, smoothing and weights), loss and gradient within
//               2 ULP of MPFR at 128 bits.
//
// Cost (g++ 12, 2-core AMD EPYC VM shared with another job): the CTest `exhaustive_bce` run
// (all 2^32 floats for AVX2 and AVX-512, every 4th block of 4096 for SSE2, --baseline-every
// 4; n = 2^24 twice and 2^26; 10^7 double inputs) took 196 s wall: the sweep 159 s (thread
// time: references 95 s, library calls 146 s, of which SSE2 54, AVX2 61, AVX-512 24, checks
// 78 s), the reductions 13 s, MPFR 23 s. Sweeping all of SSE2 would add ~160 s of thread
// time.
//
// Why one binary: the references are the expensive part (an exp and a log1p per float x,
// MPFR for double), so they are computed once and compared with every flavor's results.
// This file is compiled in two roles: with LOGISTIC_BCE_EVAL_ENTRY it is one flavor's
// library unit (tests/CMakeLists.txt builds it once per flavor with that flavor's flags),
// defining a table of plain function pointers; without it, the harness (baseline
// instruction set, no library template instantiated), which calls through the tables of the
// flavors the CPU has.
//
// The gradient of a soft label cancels near its zero x = log(b / a). include/logistic/bce.hpp
// bounds it in ULPs only where it is at least 2^-32 (float) / 2^-4 (double) of its larger
// term (a sigma(x) or b sigma(-x)); closer to its zero the bound is absolute: 2^-56 (float)
// / 2^-55 (double) of that term. Both are checked here, each where it applies.
#include <cstddef>

namespace bce_eval {

using loss_array = void (*)(const float* x, const float* y, float* out, std::size_t n);
using loss_scalar = float (*)(float x, float y);
using reduced_fn = float (*)(const float* x, const float* y, const float* w, std::size_t n,
                             float pos_weight, float smoothing);
using fused_fn = float (*)(const float* x, const float* y, const float* w, float* grad,
                           std::size_t n, float pos_weight, float smoothing);
using double_fn = void (*)(const double* x, const double* y, const double* w, double* out,
                           std::size_t n, double pos_weight, double smoothing);

struct table {
  const char* arch_namespace;
  loss_array loss;        // default options
  loss_array grad;        // default options, reduction none
  loss_scalar loss_one;   // the scalar forms
  loss_scalar grad_one;
  reduced_fn reduced;     // mean
  fused_fn fused;         // mean
  double_fn loss_double;  // elementwise, given options
  double_fn grad_double;  // reduction none, given options
};

}  // namespace bce_eval

extern const bce_eval::table bce_eval_sse2;
extern const bce_eval::table bce_eval_avx2;
extern const bce_eval::table bce_eval_avx512;
extern const bce_eval::table bce_eval_native;

#if defined(LOGISTIC_BCE_EVAL_ENTRY)
// =======================================================================================
// One flavor's library unit.
#include <logistic/bce.hpp>

#define LOGISTIC_BCE_STRING2(x) #x
#define LOGISTIC_BCE_STRING(x) LOGISTIC_BCE_STRING2(x)

namespace {

void loss(const float* x, const float* y, float* out, std::size_t n) {
  logistic::bce_with_logits(x, y, out, n);
}
void grad(const float* x, const float* y, float* out, std::size_t n) {
  logistic::bce_with_logits_grad(x, y, out, n, {}, logistic::reduction::none);
}
float loss_one(float x, float y) { return logistic::bce_with_logits(x, y); }
float grad_one(float x, float y) { return logistic::bce_with_logits_grad(x, y); }
float reduced(const float* x, const float* y, const float* w, std::size_t n, float pw, float a) {
  return logistic::bce_with_logits(x, y, n, {w, pw, a}, logistic::reduction::mean);
}
float fused(const float* x, const float* y, const float* w, float* g, std::size_t n, float pw,
            float a) {
  return logistic::bce_with_logits_fused(x, y, g, n, {w, pw, a}, logistic::reduction::mean);
}
void loss_double(const double* x, const double* y, const double* w, double* out, std::size_t n,
                 double pw, double a) {
  logistic::bce_with_logits(x, y, out, n, {w, pw, a});
}
void grad_double(const double* x, const double* y, const double* w, double* out, std::size_t n,
                 double pw, double a) {
  logistic::bce_with_logits_grad(x, y, out, n, {w, pw, a}, logistic::reduction::none);
}

}  // namespace

extern const bce_eval::table LOGISTIC_BCE_EVAL_ENTRY = {
    LOGISTIC_BCE_STRING(LOGISTIC_ARCH_NAMESPACE), loss, grad, loss_one, grad_one, reduced, fused,
    loss_double, grad_double};

#else
// =======================================================================================
// The harness.
#include <mpfr.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "family_reference.hpp"

namespace {

using logistic_test::bits;
using logistic_test::exact_value;
using logistic_test::float_from_bits;

struct flavor {
  const char* name;
  const bce_eval::table* table;
  const char* missing;  // the CPU feature it lacks, or nullptr
};

std::vector<flavor> flavors() {
#if defined(LOGISTIC_BCE_EVAL_X86)
  __builtin_cpu_init();
  const char* avx2 = !__builtin_cpu_supports("avx2") ? "avx2" : !__builtin_cpu_supports("fma") ? "fma" : nullptr;
  const char* avx512 = avx2                                   ? avx2
                       : !__builtin_cpu_supports("avx512f")  ? "avx512f"
                       : !__builtin_cpu_supports("avx512cd") ? "avx512cd"
                       : !__builtin_cpu_supports("avx512dq") ? "avx512dq"
                       : !__builtin_cpu_supports("avx512bw") ? "avx512bw"
                       : !__builtin_cpu_supports("avx512vl") ? "avx512vl"
                                                             : nullptr;
  return {{"sse2", &bce_eval_sse2, nullptr}, {"avx2", &bce_eval_avx2, avx2}, {"avx512", &bce_eval_avx512, avx512}};
#else
  return {{"native", &bce_eval_native, nullptr}};
#endif
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

unsigned thread_count() { return std::max(1u, std::thread::hardware_concurrency()); }

// Runs body(k) for k = 0 .. count-1 on all cores.
template <class Body>
void parallel_for(std::uint64_t count, Body body) {
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < thread_count(); ++t) {
    pool.emplace_back([&] {
      for (std::uint64_t k = next.fetch_add(1); k < count; k = next.fetch_add(1)) body(k);
    });
  }
  for (auto& th : pool) th.join();
}

std::mutex report_mutex;
std::atomic<int> reports{0};
constexpr int max_reports = 40;

template <class... Args>
void report(const char* format, Args... args) {
  if (reports.fetch_add(1) >= max_reports) return;
  std::lock_guard<std::mutex> lock(report_mutex);
  std::printf(format, args...);
}

// A maximum and where it occurred, merged across threads.
struct worst {
  double err = 0;
  double x = 0, y = 0;
  void note(double e, double xi, double yi) {
    if (e > err) *this = {e, xi, yi};
  }
  void merge(const worst& o) {
    if (o.err > err) *this = o;
  }
};

// =======================================================================================
// Part 1: the sweep over all floats.

// The exact loss and gradient of x for y = 0 and y = 1, from one exp and one log1p in
// double (relative error a few 2^-53, far below 2^-24; no step cancels).
struct sweep_reference {
  exact_value loss[2];
  exact_value grad[2];
  double inverse_ulp[2][2];  // [function][label]: 1 / the float ULP of the exact value
};

sweep_reference sweep_reference_of(float xf) {
  const double x = xf;
  const double z = std::fabs(x);
  const double e = std::exp(-z);
  const double l = std::log1p(e);
  const double sp_pos = (x > 0 ? x : 0.0) + l;   // softplus(x)
  const double sp_neg = (x < 0 ? -x : 0.0) + l;  // softplus(-x)
  const double big = 1.0 / (1.0 + e), small = e / (1.0 + e);
  const double sig_pos = x >= 0 ? big : small;  // sigma(x)
  const double sig_neg = x >= 0 ? small : big;  // sigma(-x)
  sweep_reference r;
  r.loss[0] = {sp_pos};
  r.loss[1] = {sp_neg};
  // sigma < 1 always: a double rounded up to exactly 1 stands for a value below it.
  r.grad[0] = {sig_pos, sig_pos == 1.0 ? -1 : 0};
  r.grad[1] = {-sig_neg, sig_neg == 1.0 ? 1 : 0};
  if (std::isnan(x)) r.loss[0] = r.loss[1] = r.grad[0] = r.grad[1] = {x};
  for (int label = 0; label < 2; ++label) {
    r.inverse_ulp[0][label] = logistic_test::inverse_float_ulp_of_exact(r.loss[label]);
    r.inverse_ulp[1][label] = logistic_test::inverse_float_ulp_of_exact(r.grad[label]);
  }
  return r;
}

struct sweep_stats {
  worst ulp;
  std::uint64_t checked = 0, failures = 0, subnormal = 0;
  void merge(const sweep_stats& o) {
    ulp.merge(o.ulp);
    checked += o.checked;
    failures += o.failures;
    subnormal += o.subnormal;
  }
};

const char* const function_names[2] = {"loss", "grad"};

// Every rule for one result; returns its ULP error (0 where not measured).
double check_sweep_one(const char* fl, int f, int label, float x, float got, const exact_value& e,
                       sweep_stats& s) {
  const double yd = got;
  if (std::isnan(e.value)) {
    ++s.checked;
    if (!std::isnan(got)) {
      ++s.failures;
      report("FAIL %s %s y=%d: x = %a: NaN expected, got %a\n", fl, function_names[f], label,
             static_cast<double>(x), yd);
    }
    return 0;
  }
  const bool range_ok = f == 0 ? got >= 0 : std::isfinite(got);
  double err;
  if (yd == e.value) {
    err = 0;
  } else if (std::isinf(got) || std::isinf(e.value) || std::isnan(got)) {
    err = std::isinf(got) && logistic_test::rounds_to_float_infinity(e.value) && (got > 0) == (e.value > 0)
              ? 0
              : std::numeric_limits<double>::infinity();
  } else {
    err = std::fabs(yd - e.value) * logistic_test::inverse_float_ulp_of_exact(e);
  }
  ++s.checked;
  if (got != 0 && std::fabs(got) < std::numeric_limits<float>::min()) ++s.subnormal;
  s.ulp.note(err, x, label);
  if (!(err <= 2.0) || !range_ok) {
    ++s.failures;
    report("FAIL %s %s y=%d: x = %a (%.9g) -> %a, exact %.17g (%.3f ULP)%s\n", fl, function_names[f],
           label, static_cast<double>(x), static_cast<double>(x), yd, e.value, err,
           range_ok ? "" : ", outside its range");
  }
  return err;
}

constexpr std::size_t chunk = 4096;
constexpr std::size_t scalar_step = 509;

int run_sweep(std::uint64_t stride, std::uint64_t chunk_stride, std::uint64_t baseline_every,
              const std::vector<flavor>& fls) {
  const std::uint64_t all_inputs = ((std::uint64_t(1) << 32) + stride - 1) / stride;
  const std::uint64_t all_chunks = (all_inputs + chunk - 1) / chunk;
  const std::uint64_t chunks = (all_chunks + chunk_stride - 1) / chunk_stride;
  std::uint64_t inputs = 0;  // in the swept blocks
  for (std::uint64_t c = 0; c < chunks; ++c) inputs += std::min<std::uint64_t>(chunk, all_inputs - c * chunk * chunk_stride);
  std::printf("sweep: %" PRIu64 " float x (stride %" PRIu64 "), y = 0 and 1, loss and gradient, %u threads\n",
              inputs, stride, thread_count());
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t slots = fls.size() * 2 * 2;  // flavor, function, label
  std::vector<std::vector<sweep_stats>> per_thread_stats;
  std::mutex merge_mutex;
  std::vector<sweep_stats> total(slots);
  double phases[6] = {};
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < thread_count(); ++t) {
    pool.emplace_back([&] {
      std::vector<sweep_stats> mine(slots);
      std::vector<float> x(chunk), zeros(chunk, 0.0f), ones(chunk, 1.0f), out(chunk);
      std::vector<sweep_reference> ref(chunk);
      double phase[6] = {};  // references, checks, library calls, then library calls per flavor
      for (std::uint64_t c = next.fetch_add(1); c < chunks; c = next.fetch_add(1)) {
        const std::uint64_t first = c * chunk * chunk_stride;
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, all_inputs - first));
        auto t_phase = std::chrono::steady_clock::now();
        const auto lap = [&](int k) {
          const auto now = std::chrono::steady_clock::now();
          phase[k] += std::chrono::duration<double>(now - t_phase).count();
          t_phase = now;
        };
        for (std::size_t i = 0; i < n; ++i) {
          x[i] = float_from_bits(static_cast<std::uint32_t>((first + i) * stride));
          ref[i] = sweep_reference_of(x[i]);
        }
        lap(0);
        for (std::size_t fl = 0; fl < fls.size(); ++fl) {
          if (fls[fl].missing) continue;
          if (fl == 0 && fls.size() > 1 && c % baseline_every != 0) continue;
          const bce_eval::table& tb = *fls[fl].table;
          for (int f = 0; f < 2; ++f) {
            for (int label = 0; label < 2; ++label) {
              sweep_stats& s = mine[(fl * 2 + static_cast<std::size_t>(f)) * 2 + static_cast<std::size_t>(label)];
              const float* y = label ? ones.data() : zeros.data();
              {
                const auto t_lib = std::chrono::steady_clock::now();
                (f == 0 ? tb.loss : tb.grad)(x.data(), y, out.data(), n);
                phase[3 + std::min<std::size_t>(fl, 2)] += seconds_since(t_lib);
              }
              lap(2);
              // Fast pass: the chunk's maximum; the slow pass only when something is off.
              bool regular = true;
              double max_err = 0;
              for (std::size_t i = 0; i < n; ++i) {
                const exact_value& e = f == 0 ? ref[i].loss[label] : ref[i].grad[label];
                const double d = static_cast<double>(out[i]) - e.value;
                const double err = std::fabs(d) * ref[i].inverse_ulp[f][label];
                regular &= std::isfinite(e.value) && std::isfinite(out[i]) &&
                           (f != 0 || out[i] >= 0) && !(out[i] != 0 && std::fabs(out[i]) < std::numeric_limits<float>::min());
                max_err = std::max(max_err, err);
              }
              if (regular && max_err <= 2.0 && !(max_err > s.ulp.err)) {
                s.checked += n;
              } else {
                for (std::size_t i = 0; i < n; ++i) {
                  check_sweep_one(fls[fl].name, f, label, x[i], out[i],
                                  f == 0 ? ref[i].loss[label] : ref[i].grad[label], s);
                }
              }
              lap(1);
              for (std::size_t i = 0; i < n; i += scalar_step) {
                const float one = (f == 0 ? tb.loss_one : tb.grad_one)(x[i], static_cast<float>(label));
                if (bits(one) != bits(out[i])) {
                  ++s.failures;
                  report("FAIL %s %s y=%d: x = %a: scalar %a != array %a\n", fls[fl].name,
                         function_names[f], label, static_cast<double>(x[i]),
                         static_cast<double>(one), static_cast<double>(out[i]));
                }
              }
              lap(2);
            }
          }
        }
      }
      std::lock_guard<std::mutex> lock(merge_mutex);
      for (std::size_t k = 0; k < slots; ++k) total[k].merge(mine[k]);
      for (int k = 0; k < 6; ++k) phases[k] += phase[k];
    });
  }
  for (auto& th : pool) th.join();
  std::uint64_t failures = 0;
  if (baseline_every > 1 && fls.size() > 1) {
    std::printf("the %s flavor: every %" PRIu64 "-th block of %zu inputs\n", fls[0].name, baseline_every, chunk);
  }
  std::printf("%-8s %-5s %-3s %10s %12s %12s %10s  %s\n", "flavor", "fn", "y", "max ULP", "inputs", "subnormal",
              "failures", "worst x");
  for (std::size_t fl = 0; fl < fls.size(); ++fl) {
    if (fls[fl].missing) continue;
    for (int f = 0; f < 2; ++f) {
      for (int label = 0; label < 2; ++label) {
        const sweep_stats& s = total[(fl * 2 + static_cast<std::size_t>(f)) * 2 + static_cast<std::size_t>(label)];
        failures += s.failures;
        std::printf("%-8s %-5s %-3d %10.4f %12" PRIu64 " %12" PRIu64 " %10" PRIu64 "  %a\n", fls[fl].name,
                    function_names[f], label, s.ulp.err, s.checked, s.subnormal, s.failures, s.ulp.x);
        const std::uint64_t expected_inputs =
            fl == 0 && fls.size() > 1 && baseline_every > 1 ? s.checked : inputs;  // sampled: reported below
        if (s.checked < expected_inputs) {
          std::printf("FAIL: only %" PRIu64 " of %" PRIu64 " inputs checked\n", s.checked, inputs);
          ++failures;
        }
      }
    }
  }
  std::printf("sweep: %.1f s (thread time: references %.1f s, library %.1f s, checks %.1f s), %" PRIu64
              " failures\n\n",
              seconds_since(t0), phases[0], phases[2], phases[1], failures);
  std::printf("library time per flavor: %.1f s, %.1f s, %.1f s\n", phases[3], phases[4], phases[5]);
  return failures ? 1 : 0;
}

// =======================================================================================
// Part 2: reductions.

double uniform(std::uint64_t& state) {  // splitmix64, in [0, 1)
  std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1p-53;
}

// Random logits: mostly logistic (scale 2), some uniform in [-50, 50], and +-100, +-1e30.
float random_logit(std::uint64_t& state) {
  const double kind = uniform(state);
  if (kind < 0.005) return 100.0f;
  if (kind < 0.010) return -100.0f;
  if (kind < 0.012) return 1e30f;
  if (kind < 0.014) return -1e30f;
  if (kind < 0.064) return static_cast<float>(-50.0 + 100.0 * uniform(state));
  // Logistic with scale 2 (standard deviation 3.6): one logarithm per logit.
  const double u = uniform(state);
  return static_cast<float>(2.0 * std::log((u + 0x1p-60) / (1.0 - u)));
}

struct problem {
  std::vector<float> x, y, w;  // w empty: no weights
  float pos_weight = 1, smoothing = 0;
};

// The exact per-element loss and gradient of the mean, in long double (64-bit significand):
// (1 - y') softplus(x) + pw y' softplus(-x) and ((1 - y') sigma(x) - pw y' sigma(-x)) / n,
// times w. The coefficients are exact for float inputs; the gradient's two terms carry
// 2^-63 of their size, which is 2^-31 of the gradient where it is 2^-32 of its larger term
// (the ULP-checked region): a double reference would not do there.
struct element_reference {
  double loss, grad, grad_scale;  // grad_scale: the larger term, for the cancellation rule
};

// (Hard labels without smoothing: the gradient has a single term and never cancels, and
// double is enough; it is also twice as fast as the x87 long double functions.)
template <class L>
element_reference element_reference_of(const problem& p, std::size_t i, double n) {
  const L x = p.x[i];
  const L alpha = p.smoothing;
  const L ys = static_cast<L>(p.y[i]) * (1 - alpha) + alpha / 2;
  const L a = (1 - static_cast<L>(p.y[i])) * (1 - alpha) + alpha / 2;
  const L b = static_cast<L>(p.pos_weight) * ys;
  const L w = p.w.empty() ? 1 : static_cast<L>(p.w[i]);
  const L z = std::fabs(x);
  const L e = std::exp(-z);
  const L l = std::log1p(e);
  const L sp_pos = (x > 0 ? x : 0) + l, sp_neg = (x < 0 ? -x : 0) + l;
  const L big = 1 / (1 + e), small = e / (1 + e);
  const L sig_pos = x >= 0 ? big : small, sig_neg = x >= 0 ? small : big;
  // a sp_pos with a = 0 and sp_pos = inf is 0 (the limit), likewise b sp_neg.
  const L loss = w * ((a == 0 ? 0 : a * sp_pos) + (b == 0 ? 0 : b * sp_neg));
  const L t1 = a * sig_pos, t2 = b * sig_neg;
  return {static_cast<double>(loss), static_cast<double>(w * (t1 - t2) / n),
          static_cast<double>(std::fabs(w) * std::max(t1, t2) / n)};
}

problem make_problem(std::size_t n, bool soft, std::uint64_t seed) {
  problem p;
  p.x.resize(n);
  p.y.resize(n);
  std::uint64_t state = seed;
  for (std::size_t i = 0; i < n; ++i) {
    p.x[i] = random_logit(state);
    p.y[i] = soft ? static_cast<float>(uniform(state)) : (uniform(state) < 0.5 ? 0.0f : 1.0f);
  }
  if (soft) {
    p.w.resize(n);
    for (std::size_t i = 0; i < n; ++i) p.w[i] = static_cast<float>(2.0 * uniform(state));
    p.pos_weight = 2.5f;
    p.smoothing = 0.1f;
  }
  return p;
}

int run_reduction(std::size_t n, bool soft, const std::vector<flavor>& fls) {
  const auto t0 = std::chrono::steady_clock::now();
  const problem p = make_problem(n, soft, soft ? 7 : 3);
  // The exact mean: double per-element losses summed in __float128 (113 bits: the sum
  // of 2^26 terms loses at most 26 bits of them, far below 2^-24), per thread block.
  std::vector<element_reference> ref(n);
  const std::uint64_t blocks = (n + 65535) / 65536;
  std::vector<__float128> partial(blocks);
  parallel_for(blocks, [&](std::uint64_t k) {
    __float128 s = 0;
    const std::size_t end = std::min<std::size_t>(n, (k + 1) * 65536);
    for (std::size_t i = k * 65536; i < end; ++i) {
      ref[i] = soft ? element_reference_of<long double>(p, i, static_cast<double>(n))
                    : element_reference_of<double>(p, i, static_cast<double>(n));
      s += ref[i].loss;
    }
    partial[k] = s;
  });
  __float128 sum = 0;
  for (__float128 s : partial) sum += s;
  const double exact = static_cast<double>(sum / n);
  std::printf("reduction: n = 2^%d, %s labels%s: exact mean %.17g\n", static_cast<int>(std::log2(n)),
              soft ? "soft" : "hard",
              soft ? " (pos_weight 2.5, smoothing 0.1, weights in [0, 2))" : " (default options)", exact);
  int failures = 0;
  std::vector<float> grad(n);
  const float* w = p.w.empty() ? nullptr : p.w.data();
  for (const flavor& fv : fls) {
    if (fv.missing) continue;
    const float reduced = fv.table->reduced(p.x.data(), p.y.data(), w, n, p.pos_weight, p.smoothing);
    const float fused = fv.table->fused(p.x.data(), p.y.data(), w, grad.data(), n, p.pos_weight, p.smoothing);
    const double err_reduced = std::fabs(static_cast<double>(reduced) - exact) / exact * 0x1p24;
    const double err_fused = std::fabs(static_cast<double>(fused) - exact) / exact * 0x1p24;
    // The fused gradient, element by element: in ULPs, or near its zero (below 2^-32 of
    // its larger term) within 2^-56 of that term (bce.hpp), checked to the reference's own
    // 2^-63 of it. On all cores, in blocks.
    std::vector<worst> block_worst(blocks);
    std::vector<std::uint64_t> block_skipped(blocks), block_bad(blocks);
    parallel_for(blocks, [&](std::uint64_t k) {
      const std::size_t end = std::min<std::size_t>(n, (k + 1) * 65536);
      for (std::size_t i = k * 65536; i < end; ++i) {
        const element_reference& r = ref[i];
        if (std::fabs(r.grad) < 0x1p-32 * r.grad_scale) {
          ++block_skipped[k];
          if (!(std::fabs(static_cast<double>(grad[i]) - r.grad) <= 0x1p-56 * r.grad_scale + 0x1p-149)) {
            ++block_bad[k];
            report("FAIL %s fused gradient near its zero: x = %a y = %a -> %a, exact %.17g\n", fv.name,
                   static_cast<double>(p.x[i]), static_cast<double>(p.y[i]), static_cast<double>(grad[i]), r.grad);
          }
          continue;
        }
        const double e = static_cast<double>(grad[i]) == r.grad
                             ? 0.0
                             : std::fabs(static_cast<double>(grad[i]) - r.grad) *
                                   logistic_test::inverse_float_ulp_of_exact(exact_value{r.grad});
        block_worst[k].note(e, p.x[i], p.y[i]);
        if (!(e <= 2.0)) {
          ++block_bad[k];
          report("FAIL %s fused gradient: x = %a y = %a -> %a, exact %.17g (%.3f ULP)\n", fv.name,
                 static_cast<double>(p.x[i]), static_cast<double>(p.y[i]), static_cast<double>(grad[i]), r.grad, e);
        }
      }
    });
    worst g;
    std::uint64_t skipped = 0, bad = 0;
    for (std::uint64_t k = 0; k < blocks; ++k) {
      g.merge(block_worst[k]);
      skipped += block_skipped[k];
      bad += block_bad[k];
    }
    const bool ok = err_reduced <= 4.0 && err_fused <= 4.0 && bad == 0;
    std::printf("  %-7s reduced %.9g (%.3f x 2^-24 rel.)  fused %.9g (%.3f x 2^-24)  fused gradient max %.3f ULP "
                "(at x = %a, y = %a; %" PRIu64 " near its zero, absolute bound)  %s\n",
                fv.name, static_cast<double>(reduced), err_reduced, static_cast<double>(fused), err_fused,
                g.err, g.x, g.y, skipped, ok ? "ok" : "FAIL");
    if (!ok) ++failures;
  }
  std::printf("  %.1f s\n", seconds_since(t0));
  return failures;
}

// =======================================================================================
// Part 3: double against MPFR.

class mpfr_bce {
 public:
  mpfr_bce() { mpfr_inits2(128, x_, e_, l_, t_, u_, a_, b_, ys_, loss_, grad_, big_, static_cast<mpfr_ptr>(nullptr)); }
  ~mpfr_bce() { mpfr_clears(x_, e_, l_, t_, u_, a_, b_, ys_, loss_, grad_, big_, static_cast<mpfr_ptr>(nullptr)); }
  mpfr_bce(const mpfr_bce&) = delete;
  mpfr_bce& operator=(const mpfr_bce&) = delete;

  // loss and gradient of (x, y, w) with pos_weight pw and smoothing alpha, at 128 bits.
  void compute(double x, double y, double w, double pw, double alpha) {
    // y' = y (1 - alpha) + alpha/2, a = 1 - y', b = pw y' (exact at 128 bits)
    mpfr_set_d(t_, alpha, MPFR_RNDN);
    mpfr_ui_sub(u_, 1, t_, MPFR_RNDN);
    mpfr_mul_d(ys_, u_, y, MPFR_RNDN);
    mpfr_div_2ui(t_, t_, 1, MPFR_RNDN);
    mpfr_add(ys_, ys_, t_, MPFR_RNDN);
    mpfr_ui_sub(a_, 1, ys_, MPFR_RNDN);
    mpfr_mul_d(b_, ys_, pw, MPFR_RNDN);
    // e = e^-|x|, l = log1p(e)
    mpfr_set_d(x_, std::fabs(x), MPFR_RNDN);
    mpfr_neg(e_, x_, MPFR_RNDN);
    mpfr_exp(e_, e_, MPFR_RNDN);
    mpfr_log1p(l_, e_, MPFR_RNDN);
    // loss = c1 |x| + (a + b) l, c1 = a (x > 0) or b (x < 0)
    mpfr_add(t_, a_, b_, MPFR_RNDN);
    mpfr_mul(loss_, t_, l_, MPFR_RNDN);
    mpfr_mul(t_, x > 0 ? a_ : b_, x_, MPFR_RNDN);
    mpfr_add(loss_, loss_, t_, MPFR_RNDN);
    mpfr_mul_d(loss_, loss_, w, MPFR_RNDN);
    // grad = ((a - b e) / (1 + e)) for x >= 0, ((a e - b) / (1 + e)) for x < 0, times w
    mpfr_add_ui(u_, e_, 1, MPFR_RNDN);
    if (x >= 0) {
      mpfr_mul(t_, b_, e_, MPFR_RNDN);
      mpfr_sub(grad_, a_, t_, MPFR_RNDN);
      mpfr_set(big_, mpfr_cmp(a_, t_) > 0 ? a_ : t_, MPFR_RNDN);
    } else {
      mpfr_mul(t_, a_, e_, MPFR_RNDN);
      mpfr_sub(grad_, t_, b_, MPFR_RNDN);
      mpfr_set(big_, mpfr_cmp(b_, t_) > 0 ? b_ : t_, MPFR_RNDN);
    }
    mpfr_div(grad_, grad_, u_, MPFR_RNDN);
    mpfr_mul_d(grad_, grad_, w, MPFR_RNDN);
    mpfr_div(big_, big_, u_, MPFR_RNDN);
    mpfr_mul_d(big_, big_, std::fabs(w), MPFR_RNDN);
  }
  double loss_ulp(double got) { return ulp_error(got, loss_); }
  double grad_ulp(double got) { return ulp_error(got, grad_); }
  double loss() const { return mpfr_get_d(loss_, MPFR_RNDN); }
  double grad() const { return mpfr_get_d(grad_, MPFR_RNDN); }
  // The gradient cancels to below 2^-4 of its larger term.
  bool grad_cancels() {
    mpfr_abs(t_, grad_, MPFR_RNDN);
    mpfr_mul_2si(u_, big_, -4, MPFR_RNDN);
    return mpfr_cmp(t_, u_) < 0;
  }
  // |got - grad| in units of 2^-55 of the larger term.
  double grad_absolute(double got) {
    mpfr_set_d(t_, got, MPFR_RNDN);
    mpfr_sub(t_, t_, grad_, MPFR_RNDN);
    mpfr_abs(t_, t_, MPFR_RNDN);
    mpfr_div(t_, t_, big_, MPFR_RNDN);
    mpfr_mul_2si(t_, t_, 55, MPFR_RNDN);
    return mpfr_get_d(t_, MPFR_RNDU);
  }

 private:
  double ulp_error(double got, mpfr_t exact) {
    if (std::isnan(got)) return std::numeric_limits<double>::infinity();
    if (mpfr_inf_p(exact)) return std::isinf(got) && (got > 0) == (mpfr_sgn(exact) > 0) ? 0 : HUGE_VAL;
    mpfr_set_d(t_, got, MPFR_RNDN);
    mpfr_sub(t_, t_, exact, MPFR_RNDN);
    mpfr_abs(t_, t_, MPFR_RNDN);
    long e = mpfr_get_exp(exact);  // exact = m 2^e, m in [1/2, 1)
    if (mpfr_zero_p(exact) || e < -1021) e = -1021;
    mpfr_mul_2si(t_, t_, 53 - e, MPFR_RNDN);
    return mpfr_get_d(t_, MPFR_RNDU);
  }
  mpfr_t x_, e_, l_, t_, u_, a_, b_, ys_, loss_, grad_, big_;
};

struct double_case {
  double pos_weight, smoothing;
  bool weighted;
  int labels;  // 0: y = 0, 1: y = 1, 2: soft
};
const double_case double_cases[] = {
    {1.0, 0.0, false, 0}, {1.0, 0.0, false, 1}, {1.0, 0.0, false, 2}, {3.0, 0.0, false, 1},
    {0.5, 0.0, true, 2},  {1.0, 0.1, false, 2}, {2.0, 0.05, true, 1}, {1.0, 0.2, false, 0}};

int run_double(std::uint64_t count, const std::vector<flavor>& fls) {
  const auto t0 = std::chrono::steady_clock::now();
  constexpr std::size_t block = 1024;
  const std::uint64_t blocks = (count + block - 1) / block;
  std::printf("double: %" PRIu64 " random inputs against MPFR (128 bits), %zu option sets\n", blocks * block,
              sizeof double_cases / sizeof double_cases[0]);
  std::mutex merge_mutex;
  std::vector<worst> loss_worst(fls.size()), grad_worst(fls.size()), near_zero_worst(fls.size());
  std::uint64_t failures = 0, skipped = 0;
  parallel_for(blocks, [&](std::uint64_t k) {
    thread_local mpfr_bce ref;
    const double_case& c = double_cases[k % (sizeof double_cases / sizeof double_cases[0])];
    std::uint64_t state = 0x1234567ull + k;
    std::vector<double> x(block), y(block), w(block);
    for (std::size_t i = 0; i < block; ++i) {
      // |x| = 2^u, u uniform in [-40, 10] (beyond 745 everything is the tails' path).
      const double mag = std::exp2(-40.0 + 50.0 * uniform(state));
      x[i] = uniform(state) < 0.5 ? -mag : mag;
      y[i] = c.labels == 2 ? uniform(state) : c.labels;
      w[i] = c.weighted ? 0.25 + 2.0 * uniform(state) : 1.0;
    }
    // Every flavor's results first, then one MPFR reference per input for all of them.
    const double* wp = c.weighted ? w.data() : nullptr;
    std::vector<std::vector<double>> loss(fls.size()), grad(fls.size());
    for (std::size_t fl = 0; fl < fls.size(); ++fl) {
      if (fls[fl].missing) continue;
      loss[fl].resize(block);
      grad[fl].resize(block);
      fls[fl].table->loss_double(x.data(), y.data(), wp, loss[fl].data(), block, c.pos_weight, c.smoothing);
      fls[fl].table->grad_double(x.data(), y.data(), wp, grad[fl].data(), block, c.pos_weight, c.smoothing);
    }
    std::vector<worst> lw(fls.size()), gw(fls.size()), aw(fls.size());
    std::uint64_t bad = 0, skip = 0;
    for (std::size_t i = 0; i < block; ++i) {
      ref.compute(x[i], y[i], w[i], c.pos_weight, c.smoothing);
      const bool cancels = ref.grad_cancels();
      skip += cancels;
      for (std::size_t fl = 0; fl < fls.size(); ++fl) {
        if (fls[fl].missing) continue;
        const double el = ref.loss_ulp(loss[fl][i]);
        lw[fl].note(el, x[i], y[i]);
        if (!(el <= 2.0)) {
          ++bad;
          report("FAIL %s double loss: x = %a y = %a w = %a pw %g alpha %g -> %a, exact %.17g (%.3f ULP)\n",
                 fls[fl].name, x[i], y[i], w[i], c.pos_weight, c.smoothing, loss[fl][i], ref.loss(), el);
        }
        if (cancels) {
          const double ea = ref.grad_absolute(grad[fl][i]);
          aw[fl].note(ea, x[i], y[i]);
          if (!(ea <= 1.0)) {
            ++bad;
            report("FAIL %s double grad near its zero: x = %a y = %a -> %a, exact %.17g (%.3f x 2^-55 of its larger term)\n",
                   fls[fl].name, x[i], y[i], grad[fl][i], ref.grad(), ea);
          }
          continue;
        }
        const double eg = ref.grad_ulp(grad[fl][i]);
        gw[fl].note(eg, x[i], y[i]);
        if (!(eg <= 2.0)) {
          ++bad;
          report("FAIL %s double grad: x = %a y = %a w = %a pw %g alpha %g -> %a, exact %.17g (%.3f ULP)\n",
                 fls[fl].name, x[i], y[i], w[i], c.pos_weight, c.smoothing, grad[fl][i], ref.grad(), eg);
        }
      }
    }
    std::lock_guard<std::mutex> lock(merge_mutex);
    for (std::size_t fl = 0; fl < fls.size(); ++fl) {
      loss_worst[fl].merge(lw[fl]);
      grad_worst[fl].merge(gw[fl]);
      near_zero_worst[fl].merge(aw[fl]);
    }
    failures += bad;
    skipped += skip;
  });
  for (std::size_t fl = 0; fl < fls.size(); ++fl) {
    if (fls[fl].missing) continue;
    std::printf("  %-7s loss max %.4f ULP (x = %a, y = %a)  grad max %.4f ULP (x = %a, y = %a); near its zero "
                "max %.4f x 2^-55 of the larger term\n",
                fls[fl].name, loss_worst[fl].err, loss_worst[fl].x, loss_worst[fl].y, grad_worst[fl].err,
                grad_worst[fl].x, grad_worst[fl].y, near_zero_worst[fl].err);
  }
  std::printf("  %" PRIu64 " gradients within 2^-4 of their zero (absolute bound); %" PRIu64 " failures; %.1f s\n\n", skipped, failures,
              seconds_since(t0));
  return failures ? 1 : 0;
}

bool parse_count(const char* text, std::uint64_t& value) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (!end || *end != '\0' || v == 0) return false;
  value = v;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t stride = 1, chunk_stride = 1, baseline_every = 1, reduction_log2 = 24, double_count = 10000000;
  bool large = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--stride") == 0 && i + 1 < argc) {
      if (!parse_count(argv[++i], stride)) return 2;
    } else if (std::strcmp(argv[i], "--baseline-every") == 0 && i + 1 < argc) {
      if (!parse_count(argv[++i], baseline_every)) return 2;
    } else if (std::strcmp(argv[i], "--chunk-stride") == 0 && i + 1 < argc) {
      if (!parse_count(argv[++i], chunk_stride)) return 2;
    } else if (std::strcmp(argv[i], "--reduction-log2") == 0 && i + 1 < argc) {
      if (!parse_count(argv[++i], reduction_log2) || reduction_log2 > 28) return 2;
    } else if (std::strcmp(argv[i], "--double") == 0 && i + 1 < argc) {
      if (!parse_count(argv[++i], double_count)) return 2;
    } else if (std::strcmp(argv[i], "--large") == 0) {
      large = true;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--stride N] [--chunk-stride K] [--baseline-every B] [--reduction-log2 K] [--large]\n"
                   "          [--double COUNT]\n"
                   "  the sweep takes every N-th float (default 1: all 2^32), in blocks of 4096 of which\n"
                   "  every K-th is swept (default 1: all; a sample with the full sweep's cost per input,\n"
                   "  to time it), and of those the baseline flavor (sse2 on x86-64, when there are\n"
                   "  several) every B-th (default 1); the reductions n = 2^K\n"
                   "  (default 24) and with --large also 2^26; COUNT random double inputs (default 10^7)\n",
                   argv[0]);
      return 2;
    }
  }
  const std::vector<flavor> fls = flavors();
  for (const flavor& fv : fls) {
    if (fv.missing) std::printf("SKIPPED flavor %s: this CPU lacks %s\n", fv.name, fv.missing);
    else std::printf("flavor %s (%s)\n", fv.name, fv.table->arch_namespace);
  }
  const auto t0 = std::chrono::steady_clock::now();
  int failures = run_sweep(stride, chunk_stride, baseline_every, fls);
  const std::size_t n = std::size_t(1) << reduction_log2;
  failures += run_reduction(n, false, fls);
  failures += run_reduction(n, true, fls);
  if (large) failures += run_reduction(std::size_t(1) << 26, false, fls);
  failures += run_double(double_count, fls);
  std::printf("elapsed %.1f s: %s\n", seconds_since(t0), failures ? "FAILED" : "PASSED");
  return failures ? 1 : 0;
}
#endif
