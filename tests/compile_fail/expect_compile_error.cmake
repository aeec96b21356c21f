# Builds one target of this build tree and checks how the build ends.
#
#   cmake -D BUILD_DIR=<dir> -D TARGET=<target> -D CONFIG=<config>
#         -D EXPECT=ERROR|SUCCESS -D MESSAGE=<text> -P expect_compile_error.cmake
#
# EXPECT=ERROR passes only if the build fails AND the first `error:` line of its output
# contains MESSAGE (the text of the library's static_assert): failing for another reason,
# or burying the message under other errors, is a failure of the test.
# EXPECT=SUCCESS (the control) passes only if the build succeeds.
#
# (CTest's WILL_FAIL combined with PASS_REGULAR_EXPRESSION would invert the regex verdict,
# and PASS_REGULAR_EXPRESSION alone ignores the exit code; hence this script.)

cmake_minimum_required(VERSION 3.22)

foreach(var IN ITEMS BUILD_DIR TARGET EXPECT)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "expect_compile_error.cmake: -D ${var}=... is required")
  endif()
endforeach()

set(config_args "")
if(CONFIG)
  set(config_args --config "${CONFIG}")
endif()

# A failed compilation leaves no object behind, so an ERROR case is compiled afresh on every
# run; the control is rebuilt whenever a header it includes changes.
execute_process(
  COMMAND "${CMAKE_COMMAND}" --build "${BUILD_DIR}" --target "${TARGET}" ${config_args}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)

if(EXPECT STREQUAL "SUCCESS")
  if(NOT result EQUAL 0)
    message("${output}")
    message(FATAL_ERROR "FAIL: ${TARGET} should compile but the build failed (${result})")
  endif()
  message(STATUS "PASS: ${TARGET} compiles")
  return()
endif()

if(result EQUAL 0)
  message("${output}")
  message(FATAL_ERROR "FAIL: ${TARGET} compiled, but it must not")
endif()
string(FIND "${output}" "${MESSAGE}" found)
if(found EQUAL -1)
  message("${output}")
  message(FATAL_ERROR
    "FAIL: ${TARGET} failed to compile, but without the message \"${MESSAGE}\"")
endif()

# Readable means the user meets our message first: it must be on the first `error:` line
# (follow-on errors from the instantiation may come after it; they are counted).
string(REGEX REPLACE "([][+.*()^$?|\\{}])" "\\\\\\1" message_regex "${MESSAGE}")
string(REGEX MATCH "[^\n]*error:[^\n]*" first_error "${output}")
string(REGEX MATCHALL "error:" all_errors "${output}")
list(LENGTH all_errors error_count)
if(NOT first_error MATCHES "${message_regex}")
  message("${output}")
  message(FATAL_ERROR "FAIL: ${TARGET}: the first error is not the static_assert:\n"
                      "  ${first_error}")
endif()
message(STATUS "PASS: ${TARGET} is rejected (${error_count} error lines, ours first): "
               "${first_error}")
