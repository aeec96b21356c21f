// Test support: LOGISTIC_TEST_SAMPLE_DIVISOR, the one knob that makes the dense tests
// lighter where every instruction is expensive (the aarch64 suite under qemu-user,
// .ci/aarch64.sh). It divides random-sample counts and multiplies the steps of strided
// sweeps by N; which inputs are checked shrinks, every assertion and bound stays the same.
//
// Read from the environment at the first use; unset, empty or 1 means every sample (the
// default, and what the x86 CI passes run). CTest sets it for each test from the CMake
// cache variable of the same name (tests/CMakeLists.txt), so a stray variable in the
// caller's shell cannot thin out a CTest run; the tests that honour it carry the label
// `sample_divisor_<N>` when N > 1, and print a note on stderr.
#ifndef LOGISTIC_TESTS_SAMPLE_DIVISOR_HPP
#define LOGISTIC_TESTS_SAMPLE_DIVISOR_HPP

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace logistic_test {

// N >= 1: LOGISTIC_TEST_SAMPLE_DIVISOR, or 1. A value that is not a positive integer
// stops the program rather than silently testing everything or nothing.
inline std::uint64_t sample_divisor() {
  static const std::uint64_t divisor = [] {
    const char* s = std::getenv("LOGISTIC_TEST_SAMPLE_DIVISOR");
    if (s == nullptr || *s == '\0') return std::uint64_t{1};
    char* end = nullptr;
    const unsigned long long n = std::strtoull(s, &end, 10);
    if (*end != '\0' || n == 0 || s[0] == '-') {
      std::fprintf(stderr, "LOGISTIC_TEST_SAMPLE_DIVISOR must be a positive integer, not '%s'\n",
                   s);
      std::exit(2);
    }
    if (n > 1) {
      std::fprintf(stderr,
                   "note: LOGISTIC_TEST_SAMPLE_DIVISOR=%llu: random-sample counts divided and "
                   "sweep steps multiplied by %llu (the bounds are unchanged)\n",
                   n, n);
    }
    return static_cast<std::uint64_t>(n);
  }();
  return divisor;
}

// A random-sample count: count / N, at least 1.
template <class Int>
Int fewer(Int count) {
  const auto n = static_cast<std::uint64_t>(count) / sample_divisor();
  return static_cast<Int>(n > 0 ? n : 1);
}

// The step of a strided sweep: step * N.
template <class Int>
Int sparser(Int step) {
  return static_cast<Int>(static_cast<std::uint64_t>(step) * sample_divisor());
}

}  // namespace logistic_test

#endif
