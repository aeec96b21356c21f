# logistic_target_warnings(<target>)
#
# The warning set of every target this repository builds (tests, examples, benchmarks):
# -Wall -Wextra -Wpedantic -Wconversion -Wshadow, turned into errors when LOGISTIC_WERROR is
# ON (the CI presets set it). Target-scoped: never applied to logistic::logistic, so users'
# builds get no flags from us.

function(logistic_target_warnings target)
  if(MSVC AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE /W4 /permissive- $<$<BOOL:${LOGISTIC_WERROR}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wconversion -Wshadow
      $<$<BOOL:${LOGISTIC_WERROR}>:-Werror>)
  endif()
endfunction()
