// Start-up guard of the architecture-flavored test executables (see tests/CMakeLists.txt).
//
// A test built with -mavx2 or -mavx512* may execute those instructions anywhere, static
// initializers included, and would die of SIGILL on a CPU without them. This file is
// compiled WITHOUT the flavor's flags and runs before any other initializer of the
// executable (constructor priority 101, the earliest one available to programs): when the
// CPU lacks what the flavor needs it prints "SKIPPED: ..." and exits with 77, which CTest
// reports as a skipped test (SKIP_RETURN_CODE 77).
//
// The flavor is given by the build: LOGISTIC_TEST_FLAVOR_AVX2, LOGISTIC_TEST_FLAVOR_AVX512,
// or neither (SSE2 is part of x86-64; the `native` flavor of other processors is what the
// compiler targets by default). LOGISTIC_TEST_FLAVOR_NAME names it in the message.
#include <cstdio>
#include <cstdlib>

#ifndef LOGISTIC_TEST_FLAVOR_NAME
#define LOGISTIC_TEST_FLAVOR_NAME "unknown"
#endif

#if (defined(LOGISTIC_TEST_FLAVOR_AVX2) || defined(LOGISTIC_TEST_FLAVOR_AVX512)) && \
    !(defined(__x86_64__) || defined(__i386__))
#error "the avx2 and avx512 test flavors exist only on x86"
#endif

// GCC and Clang only; other compilers build only the `native` flavor, which needs no guard.
#if defined(__GNUC__)

namespace {

#if defined(__x86_64__) || defined(__i386__)

// Returns the first feature this flavor needs that the CPU lacks, or nullptr.
// __builtin_cpu_supports takes string literals only, hence the macro.
#define LOGISTIC_REQUIRE_CPU(feature) \
  if (!__builtin_cpu_supports(feature)) return feature

const char* missing_cpu_feature() {
  __builtin_cpu_init();  // required before the first use when running ahead of constructors
#if defined(LOGISTIC_TEST_FLAVOR_AVX2) || defined(LOGISTIC_TEST_FLAVOR_AVX512)
  LOGISTIC_REQUIRE_CPU("avx2");
  LOGISTIC_REQUIRE_CPU("fma");
#endif
#if defined(LOGISTIC_TEST_FLAVOR_AVX512)
  LOGISTIC_REQUIRE_CPU("avx512f");
  LOGISTIC_REQUIRE_CPU("avx512cd");
  LOGISTIC_REQUIRE_CPU("avx512dq");
  LOGISTIC_REQUIRE_CPU("avx512bw");
  LOGISTIC_REQUIRE_CPU("avx512vl");
#endif
  return nullptr;
}

#undef LOGISTIC_REQUIRE_CPU

#else

const char* missing_cpu_feature() { return nullptr; }

#endif

__attribute__((constructor(101))) void logistic_test_arch_guard() {
  if (const char* missing = missing_cpu_feature()) {
    std::printf("SKIPPED: this CPU lacks %s, needed by the '%s' flavor of this test\n", missing,
                LOGISTIC_TEST_FLAVOR_NAME);
    std::fflush(stdout);
    std::_Exit(77);
  }
}

}  // namespace

#endif  // defined(__GNUC__)
