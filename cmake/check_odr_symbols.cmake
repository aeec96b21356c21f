# Static half of the ODR test (tests/CMakeLists.txt, test_odr_symbols).
#
#   cmake -D NM=<nm> -D OBJECT_A=<odr_a.o> -D OBJECT_B=<odr_b.o> -P check_odr_symbols.cmake
#
# The two objects were compiled for different architectures. Every weak function symbol
# (nm type W: inline functions, template instantiations) that both define is folded into
# one copy by the linker, so one of the two units would run code built for the other's
# instruction set. Passes when no such symbol from namespace `logistic` exists in both.
# Symbols of other libraries (std::, xsimd:: with non-logistic arguments) are not ours to
# fix and are not checked.

cmake_minimum_required(VERSION 3.22)

foreach(var IN ITEMS NM OBJECT_A OBJECT_B)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_odr_symbols.cmake: -D ${var}=... is required")
  endif()
endforeach()

function(weak_logistic_functions object out_var)
  execute_process(COMMAND "${NM}" --defined-only --demangle "${object}"
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE error)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${object}: ${error}")
  endif()
  string(REPLACE ";" "," output "${output}")
  string(REPLACE "\n" ";" lines "${output}")
  set(names "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^[0-9a-fA-F]* *W (.*logistic::.*)$")
      list(APPEND names "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  list(LENGTH names count)
  message(STATUS "${object}: ${count} weak logistic:: functions")
  set(${out_var} "${names}" PARENT_SCOPE)
endfunction()

weak_logistic_functions("${OBJECT_A}" names_a)
weak_logistic_functions("${OBJECT_B}" names_b)

set(shared "")
foreach(name IN LISTS names_a)
  if(name IN_LIST names_b)
    list(APPEND shared "${name}")
  endif()
endforeach()

if(shared)
  list(LENGTH shared count)
  list(JOIN shared "\n  " shared_text)
  message(FATAL_ERROR
    "FAIL: ${count} weak logistic:: functions are defined by both units, compiled for "
    "different architectures; the linker keeps one copy for both:\n  ${shared_text}\n"
    "Put them in the library's per-architecture inline namespace, or make them templates "
    "of the architecture.")
endif()
message(STATUS "PASS: no logistic:: function is shared between the two architectures")
