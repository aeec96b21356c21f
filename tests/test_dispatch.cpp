// Runtime dispatch (include/logistic/dispatch.hpp, issue 6). This executable is built ONCE,
// for the baseline (no -m flags), and links logistic::dispatch plus, for each architecture
// flavor, a reference unit (dispatch_reference.cpp) compiled with that flavor's flags. It
// checks:
//   - the selected architecture is the best one compiled into the library that this CPU
//     supports, as the compiler's own CPU check (__builtin_cpu_supports) sees it — on an
//     AVX-512 machine "avx512" — never a hard-coded name;
//   - every dispatched entry point (every elementwise function of both tiers, all four BCE
//     forms, float and double) gives results bit-identical to the header-only function
//     compiled for the selected architecture: the library's promise within one
//     architecture. Across architectures the promise is each function's documented bound,
//     which the flavored tests check; how many results differ between the architectures'
//     references is printed, and must be nonzero, so that these comparisons can tell the
//     architectures apart;
//   - set_max_arch() selects each lower architecture the CPU supports, bit-identical to its
//     reference (when the build made one: LOGISTIC_DISPATCH_TEST_REFERENCES); an unknown
//     name is refused; no cap gives the best again;
//   - [.env] (run by CTest as test_dispatch_env, with LOGISTIC_DISPATCH_MAX_ARCH=sse2 or the
//     lowest flavor): the environment variable caps the first selection.
// Inputs: specials, tails and random bit patterns, n = 4099 (not a multiple of any vector
// width, so every form's tail runs) and read from misaligned addresses.
#include <logistic/dispatch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "dispatch_cases.hpp"

namespace {
namespace api = ::logistic::dispatch;
#include "dispatch_calls.inc"
}  // namespace

using logistic::dispatch::compiled_archs;
using logistic::dispatch::selected_arch;
using logistic::dispatch::set_max_arch;

// The reference units of the flavors this build compiled (LOGISTIC_DISPATCH_TEST_<FLAVOR>).
#define LOGISTIC_DISPATCH_DECLARE_REFERENCE(flavor)                                          \
  void dispatch_reference_##flavor##_float(const dispatch_test::inputs<float>&, float*,     \
                                           float*);                                         \
  void dispatch_reference_##flavor##_double(const dispatch_test::inputs<double>&, double*, \
                                            double*);
#if defined(LOGISTIC_DISPATCH_TEST_AVX512)
LOGISTIC_DISPATCH_DECLARE_REFERENCE(avx512)
#endif
#if defined(LOGISTIC_DISPATCH_TEST_AVX2)
LOGISTIC_DISPATCH_DECLARE_REFERENCE(avx2)
#endif
#if defined(LOGISTIC_DISPATCH_TEST_SSE2)
LOGISTIC_DISPATCH_DECLARE_REFERENCE(sse2)
#endif
#if defined(LOGISTIC_DISPATCH_TEST_NATIVE)
LOGISTIC_DISPATCH_DECLARE_REFERENCE(native)
#endif

namespace {

struct reference {
  std::string name;  // as selected_arch() names it
  dispatch_test::reference_float f32;
  dispatch_test::reference_double f64;
};

std::vector<reference> references() {
  std::vector<reference> refs;
#if defined(LOGISTIC_DISPATCH_TEST_AVX512)
  refs.push_back({"avx512", dispatch_reference_avx512_float, dispatch_reference_avx512_double});
#endif
#if defined(LOGISTIC_DISPATCH_TEST_AVX2)
  refs.push_back({"avx2", dispatch_reference_avx2_float, dispatch_reference_avx2_double});
#endif
#if defined(LOGISTIC_DISPATCH_TEST_SSE2)
  refs.push_back({"sse2", dispatch_reference_sse2_float, dispatch_reference_sse2_double});
#endif
#if defined(LOGISTIC_DISPATCH_TEST_NATIVE)
#if defined(__aarch64__)
  refs.push_back({"neon64", dispatch_reference_native_float, dispatch_reference_native_double});
#else
  refs.push_back({"native", dispatch_reference_native_float, dispatch_reference_native_double});
#endif
#endif
  return refs;
}

const reference* find_reference(const std::string& name) {
  static const std::vector<reference> refs = references();
  for (const reference& r : refs) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

// Does this CPU run the named architecture? Asked of the compiler's CPU check, which also
// asks the operating system whether it saves the registers; independent of xsimd.
bool cpu_runs(const std::string& name) {
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if (name == "avx512") {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl");
  }
  if (name == "avx2") return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (name == "sse2") return __builtin_cpu_supports("sse2");
#endif
  return name == "native" || name == "neon64" || name == "sse2";
}

int rank_of(const std::string& name) {
  if (name == "avx512") return 3;
  if (name == "avx2") return 2;
  return 1;
}

std::vector<std::string> compiled() {
  std::vector<std::string> names;
  std::istringstream words(compiled_archs());
  for (std::string w; words >> w;) names.push_back(w);
  return names;
}

// The best compiled architecture that the CPU runs, of rank at most max_rank.
std::string expected_arch(int max_rank) {
  for (const std::string& name : compiled()) {
    if (rank_of(name) <= max_rank && cpu_runs(name)) return name;
  }
  return compiled().empty() ? std::string() : compiled().back();
}

// ---------------------------------------------------------------------------------------
template <class T>
struct case_data {
  std::vector<T> x, p, y, yh, dy, w;
  dispatch_test::inputs<T> in{};
};

template <class T>
case_data<T> make_inputs() {
  using bits_t = typename std::conditional<sizeof(T) == 4, std::uint32_t, std::uint64_t>::type;
  constexpr std::size_t n = 4099;
  constexpr std::size_t offset = 1;  // read from misaligned addresses
  const T inf = std::numeric_limits<T>::infinity();
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T specials[] = {T(0), -T(0), inf, -inf, nan, std::numeric_limits<T>::max(),
                        -std::numeric_limits<T>::max(), std::numeric_limits<T>::denorm_min(),
                        -std::numeric_limits<T>::min(), T(1), T(-1), T(15.75), T(-15.75),
                        T(40), T(-40), T(-88), T(-104), T(-709), T(-746), T(17.33), T(37.43)};
  std::mt19937_64 rng(6);
  case_data<T> d;
  for (auto* v : {&d.x, &d.p, &d.y, &d.yh, &d.dy, &d.w}) v->assign(n + offset, T(0));
  std::uniform_real_distribution<T> unit(T(0), T(1));
  for (std::size_t i = 0; i < n; ++i) {
    T x;
    if (i < sizeof specials / sizeof specials[0]) {
      x = specials[i];
    } else if (i % 3 == 0) {
      // Random bit patterns: every binade, both signs (NaN kept as is).
      const bits_t b = static_cast<bits_t>(rng());
      std::memcpy(&x, &b, sizeof x);
    } else {
      x = T(120) * unit(rng) - T(100);
    }
    T p = unit(rng);
    if (i % 7 == 0) p = std::ldexp(p, -static_cast<int>(rng() % 140));
    if (i % 11 == 0) p = T(1) - std::ldexp(p, -static_cast<int>(rng() % 40));
    if (i < 8) {
      const T edges[] = {T(0), T(1), nan, T(-0.25), T(1.25), -T(0), inf, T(0.5)};
      p = edges[i];
    }
    d.x[offset + i] = x;
    d.p[offset + i] = p;
    d.y[offset + i] = (i % 4 == 0) ? T(rng() % 2) : unit(rng);
    d.yh[offset + i] = T(rng() % 2);
    d.dy[offset + i] = T(4) * unit(rng) - T(2);
    d.w[offset + i] = T(2) * unit(rng);
  }
  d.in = {d.x.data() + offset, d.p.data() + offset, d.y.data() + offset, d.yh.data() + offset,
          d.dy.data() + offset, d.w.data() + offset, n};
  return d;
}

template <class T>
struct results {
  std::vector<T> arrays;
  std::vector<T> scalars;
  explicit results(std::size_t n)
      : arrays(n * dispatch_test::array_count), scalars(dispatch_test::scalar_count) {}
};

template <class T>
bool same_bits(T a, T b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

template <class T>
results<T> run_dispatched(const case_data<T>& d) {
  results<T> r(d.in.n);
  run_calls(d.in, r.arrays.data(), r.scalars.data());
  return r;
}

template <class T>
results<T> run_reference(const reference& ref, const case_data<T>& d) {
  results<T> r(d.in.n);
  if constexpr (std::is_same<T, float>::value) {
    ref.f32(d.in, r.arrays.data(), r.scalars.data());
  } else {
    ref.f64(d.in, r.arrays.data(), r.scalars.data());
  }
  return r;
}

// Counts the results that differ in their bits; the first few are reported.
template <class T>
std::size_t count_differences(const results<T>& a, const results<T>& b, const case_data<T>& d,
                              bool report) {
  const std::size_t n = d.in.n;
  std::size_t count = 0;
  for (std::size_t k = 0; k < dispatch_test::array_count; ++k) {
    for (std::size_t i = 0; i < n; ++i) {
      const T u = a.arrays[k * n + i], v = b.arrays[k * n + i];
      if (!same_bits(u, v)) {
        if (report && count < 8) {
          std::printf("  %s [%zu] x = %.17g p = %.17g: %.17g vs %.17g\n",
                      dispatch_test::array_names[k], i, double(d.in.x[i]), double(d.in.p[i]),
                      double(u), double(v));
        }
        ++count;
      }
    }
  }
  for (std::size_t k = 0; k < dispatch_test::scalar_count; ++k) {
    if (!same_bits(a.scalars[k], b.scalars[k])) {
      if (report && count < 8) {
        std::printf("  %s: %.17g vs %.17g\n", dispatch_test::scalar_names[k],
                    double(a.scalars[k]), double(b.scalars[k]));
      }
      ++count;
    }
  }
  return count;
}

template <class T>
void check_identical_to_reference(const std::string& arch) {
  const reference* ref = find_reference(arch);
  INFO("architecture " << arch << ", " << (sizeof(T) == 4 ? "float" : "double"));
  REQUIRE(ref != nullptr);
  const case_data<T> d = make_inputs<T>();
  const std::size_t diff = count_differences(run_dispatched(d), run_reference(*ref, d), d, true);
  CHECK(diff == 0);
}

}  // namespace

TEST_CASE("dispatch: the selected architecture is the best the CPU supports", "[dispatch]") {
  REQUIRE(set_max_arch(nullptr));  // no cap, whatever the environment says
  const std::string selected = selected_arch();
  const std::string expected = expected_arch(3);
  std::printf("compiled: %s; selected: %s; this CPU runs:", compiled_archs(), selected.c_str());
  for (const std::string& name : compiled()) {
    if (cpu_runs(name)) std::printf(" %s", name.c_str());
  }
  std::printf("\n");
  REQUIRE_FALSE(compiled().empty());
  CHECK(selected == expected);
}

TEST_CASE("dispatch: every entry point is bit-identical to the header-only code of the "
          "selected architecture", "[dispatch]") {
  REQUIRE(set_max_arch(nullptr));
  const std::string selected = selected_arch();
  check_identical_to_reference<float>(selected);
  check_identical_to_reference<double>(selected);
}

TEST_CASE("dispatch: set_max_arch selects each lower architecture", "[dispatch]") {
  const std::vector<std::string> names = compiled();
  for (const std::string& name : names) {
    if (!cpu_runs(name)) continue;
    INFO("cap " << name);
    REQUIRE(set_max_arch(name.c_str()));
    CHECK(std::string(selected_arch()) == name);
    if (find_reference(name) == nullptr) {  // LOGISTIC_DISPATCH_TEST_REFERENCES left it out
      std::printf("%s: no reference unit in this build, selection checked only\n",
                  name.c_str());
      continue;
    }
    check_identical_to_reference<float>(name);
    check_identical_to_reference<double>(name);
  }
  const std::string before = selected_arch();
  CHECK_FALSE(set_max_arch("avx1024"));
  CHECK(std::string(selected_arch()) == before);
  REQUIRE(set_max_arch(""));
  CHECK(std::string(selected_arch()) == expected_arch(3));
}

TEST_CASE("dispatch: the references of different architectures differ", "[dispatch]") {
  // Bit-identity to the selected architecture's reference shows the dispatch ran that
  // architecture only if the architectures' results differ somewhere: count where.
  std::vector<std::string> runnable;
  for (const std::string& name : compiled()) {
    if (cpu_runs(name) && find_reference(name) != nullptr) runnable.push_back(name);
  }
  if (runnable.size() < 2) {
    std::printf("only one architecture runs here: nothing to compare\n");
    return;
  }
  const case_data<float> f = make_inputs<float>();
  const case_data<double> d = make_inputs<double>();
  for (std::size_t i = 0; i + 1 < runnable.size(); ++i) {
    for (std::size_t j = i + 1; j < runnable.size(); ++j) {
      const reference& a = *find_reference(runnable[i]);
      const reference& b = *find_reference(runnable[j]);
      const std::size_t nf = count_differences(run_reference(a, f), run_reference(b, f), f, false);
      const std::size_t nd = count_differences(run_reference(a, d), run_reference(b, d), d, false);
      std::printf("%s vs %s: %zu float and %zu double results differ (of %zu each)\n",
                  a.name.c_str(), b.name.c_str(), nf, nd,
                  f.in.n * dispatch_test::array_count + dispatch_test::scalar_count);
      CHECK(nf + nd > 0);
    }
  }
}

TEST_CASE("dispatch: LOGISTIC_DISPATCH_MAX_ARCH caps the first selection", "[.env]") {
  // Run on its own (test_dispatch_env): the first call of the process selects.
  const char* cap = std::getenv("LOGISTIC_DISPATCH_MAX_ARCH");
  REQUIRE(cap != nullptr);
  const std::string selected = selected_arch();
  std::printf("LOGISTIC_DISPATCH_MAX_ARCH=%s: selected %s\n", cap, selected.c_str());
  CHECK(selected == expected_arch(rank_of(cap)));
}
