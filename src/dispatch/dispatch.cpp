// The selecting unit of logistic::dispatch, compiled for the baseline (no -m flags). It
// learns which per-architecture units were built from LOGISTIC_DISPATCH_WITH_{AVX512,AVX2,
// SSE2,NATIVE} (cmake/logisticDispatch.cmake), lets xsimd::dispatch pick the best one the
// CPU runs, and keeps that table for every later call.
#include <atomic>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "dispatch_arch.hpp"

#if !defined(LOGISTIC_DISPATCH_WITH_AVX512) && !defined(LOGISTIC_DISPATCH_WITH_AVX2) && \
    !defined(LOGISTIC_DISPATCH_WITH_SSE2) && !defined(LOGISTIC_DISPATCH_WITH_NATIVE)
#error "dispatch.cpp: no architecture compiled in (define LOGISTIC_DISPATCH_WITH_<ARCH>)"
#endif

namespace logistic {
namespace dispatch {
namespace detail {

std::atomic<const kernel_table*> active_table{nullptr};

namespace {

// The compiled architectures, best first (xsimd::arch_list's order).
template <bool With, class List, class Arch>
using add_if = typename std::conditional<With, typename List::template add<Arch>, List>::type;

#if defined(LOGISTIC_DISPATCH_WITH_AVX512)
constexpr bool with_avx512 = true;
#else
constexpr bool with_avx512 = false;
#endif
#if defined(LOGISTIC_DISPATCH_WITH_AVX2)
constexpr bool with_avx2 = true;
#else
constexpr bool with_avx2 = false;
#endif
#if defined(LOGISTIC_DISPATCH_WITH_SSE2)
constexpr bool with_sse2 = true;
#else
constexpr bool with_sse2 = false;
#endif
#if defined(LOGISTIC_DISPATCH_WITH_NATIVE)
constexpr bool with_native = true;
#else
constexpr bool with_native = false;
#endif

using compiled = add_if<
    with_native,
    add_if<with_sse2, add_if<with_avx2, add_if<with_avx512, xsimd::arch_list<>, tag_avx512>,
                             tag_avx2>,
           tag_sse2>,
    tag_native>;

// A second opinion on xsimd's choice, from the compiler's CPU check: xsimd 8.1 reads the
// CPUID feature bits only (not whether the operating system saves the wider registers,
// and not AVX-512 VL, which the avx512 unit's flags include). Where the compiler has no
// such check, xsimd's choice stands.
template <class Arch>
bool confirmed(Arch) noexcept {
#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if constexpr (std::is_same<Arch, tag_avx512>::value) {
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl");
  } else if constexpr (std::is_same<Arch, tag_avx2>::value) {
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }
#endif
  return true;
}

// The best table among the architectures of the list whose rank is at most max_rank. The
// last (lowest) architecture is taken when nothing better is available or allowed.
template <class Arch, class... Rest>
const kernel_table* pick(xsimd::arch_list<Arch, Rest...>, int max_rank) noexcept {
  const kernel_table* first = table_of{}(Arch{});
  if constexpr (sizeof...(Rest) == 0) {
    (void)max_rank;
    return first;
  } else {
    if (first->rank <= max_rank) {
      const kernel_table* t = xsimd::dispatch<xsimd::arch_list<Arch, Rest...>>(table_of{})();
      // xsimd chose a lower architecture: pick() from the rest reaches the same choice.
      if (t == first && confirmed(Arch{})) return t;
    }
    return pick(xsimd::arch_list<Rest...>{}, max_rank);
  }
}

// The rank of a set_max_arch() name; 0 for an unknown name, INT_MAX for none.
int rank_of(const char* name) noexcept {
  if (name == nullptr || *name == '\0') return INT_MAX;
  if (std::strcmp(name, "avx512") == 0) return 3;
  if (std::strcmp(name, "avx2") == 0) return 2;
  if (std::strcmp(name, "sse2") == 0 || std::strcmp(name, "native") == 0 ||
      std::strcmp(name, "neon64") == 0) {
    return 1;
  }
  return 0;
}

// -1: not set yet (the first selection reads LOGISTIC_DISPATCH_MAX_ARCH).
std::atomic<int> max_rank{-1};

}  // namespace

const kernel_table& select_table() noexcept {
  int cap = max_rank.load();
  if (cap < 0) {
    int from_env = rank_of(std::getenv("LOGISTIC_DISPATCH_MAX_ARCH"));
    if (from_env == 0) from_env = INT_MAX;  // an unknown name caps nothing
    // A concurrent set_max_arch() wins over the environment (cap then holds its value).
    if (max_rank.compare_exchange_strong(cap, from_env)) cap = from_env;
  }
  for (;;) {
    const kernel_table* t = pick(compiled{}, cap);
    active_table.store(t, std::memory_order_release);
    // Another thread may have changed the cap meanwhile: the last cap set wins.
    const int now = max_rank.load();
    if (now == cap) return *t;
    cap = now;
  }
}

}  // namespace detail

const char* selected_arch() noexcept {
  return detail::table().name;
}

const char* compiled_archs() noexcept {
  static const struct names {
    char text[64] = {};
    names() noexcept {
      detail::compiled::for_each([this](auto arch) {
        const char* name = detail::table_of{}(arch)->name;
        if (text[0] != '\0') std::strncat(text, " ", sizeof text - std::strlen(text) - 1);
        std::strncat(text, name, sizeof text - std::strlen(text) - 1);
      });
    }
  } all;
  return all.text;
}

bool set_max_arch(const char* name) noexcept {
  const int rank = detail::rank_of(name);
  if (rank == 0) return false;
  detail::max_rank.store(rank);
  detail::select_table();
  return true;
}

}  // namespace dispatch
}  // namespace logistic
