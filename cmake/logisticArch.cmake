# Instruction-set "flavors" for the targets of this repository that must be compiled for a
# given architecture (architecture-sensitive tests, the ODR test, benchmarks). The flags are
# explicit, never -march=native, so that a build means the same on every machine. Nothing
# here touches the INTERFACE target `logistic::logistic`: users choose their own -m flags.
#
#   logistic_arch_flavors(<out-var>)
#       The flavors for the processor being targeted: `sse2;avx2;avx512` on x86-64 with
#       a GCC-compatible compiler, `native` (no extra flags) everywhere else.
#   logistic_arch_flavor_flags(<flavor> <out-var>)
#       The compile options of a flavor. Every x86 flavor starts from -march=x86-64, so
#       flags from CMAKE_CXX_FLAGS (say -march=native) cannot turn the SSE2 build into an
#       AVX-512 one.
#   logistic_arch_flavor_definition(<flavor> <out-var>)
#       The LOGISTIC_TEST_FLAVOR_* macro that tests/arch_guard.cpp checks at start-up
#       (empty when the flavor needs no run-time check).

function(logistic_arch_flavors out_var)
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^([xX]86_64|AMD64|amd64|x64)$"
     AND CMAKE_SIZEOF_VOID_P EQUAL 8
     AND CMAKE_CXX_COMPILER_ID MATCHES "^(GNU|Clang|AppleClang|IntelLLVM)$"
     AND NOT CMAKE_CXX_SIMULATE_ID STREQUAL "MSVC")
    set(${out_var} sse2 avx2 avx512 PARENT_SCOPE)
  else()
    set(${out_var} native PARENT_SCOPE)
  endif()
endfunction()

function(logistic_arch_flavor_flags flavor out_var)
  if(flavor STREQUAL "sse2")
    set(flags -march=x86-64)
  elseif(flavor STREQUAL "avx2")
    set(flags -march=x86-64 -mavx2 -mfma)
  elseif(flavor STREQUAL "avx512")
    set(flags -march=x86-64 -mavx512f -mavx512cd -mavx512dq -mavx512bw -mavx512vl -mavx2 -mfma)
  elseif(flavor STREQUAL "native")
    set(flags "")
  else()
    message(FATAL_ERROR "logistic_arch_flavor_flags: unknown flavor '${flavor}'")
  endif()
  set(${out_var} "${flags}" PARENT_SCOPE)
endfunction()

function(logistic_arch_flavor_definition flavor out_var)
  if(flavor STREQUAL "avx2")
    set(${out_var} LOGISTIC_TEST_FLAVOR_AVX2 PARENT_SCOPE)
  elseif(flavor STREQUAL "avx512")
    set(${out_var} LOGISTIC_TEST_FLAVOR_AVX512 PARENT_SCOPE)
  else()
    set(${out_var} "" PARENT_SCOPE)
  endif()
endfunction()
