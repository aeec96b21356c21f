# Driver of the consumer tests (tests/CMakeLists.txt): runs its steps in order and stops at
# the first failure.
#
#   cmake -D MODE=find_package|subproject -D LOGISTIC_SOURCE_DIR=... -D LOGISTIC_BINARY_DIR=...
#         -D LOGISTIC_VERSION=x.y.z -D WORK_DIR=... [-D PREFIX=...] [-D CONFIG=...]
#         [-D GENERATOR=...] [-D MAKE_PROGRAM=...] [-D CXX_COMPILER=...] [-D WERROR=ON]
#         [-D XSIMD_DIR=...] [-D TOOLCHAIN_FILE=...] [-D EMULATOR=cmd|arg|...] -P run.cmake
#
# MODE=find_package
#   1. cmake --install of logistic's build tree into PREFIX;
#   2. the consumer (tests/consumer) finds it with find_package(logistic <version> CONFIG
#      REQUIRED) through CMAKE_PREFIX_PATH=PREFIX, builds and runs;
#   3. the same from the build tree (logistic_DIR=<build dir>, the export() files);
#   4. find_package(logistic <major+1>.0) must be refused (SameMajorVersion).
# MODE=subproject
#   the consumer embeds the source tree with add_subdirectory(), then with FetchContent
#   (local SOURCE_DIR, nothing downloaded); it checks that logistic adds no tests,
#   benchmarks, examples or install rules and leaves the parent's flags alone; builds; runs.

cmake_minimum_required(VERSION 3.22)

foreach(var IN ITEMS MODE LOGISTIC_SOURCE_DIR LOGISTIC_BINARY_DIR LOGISTIC_VERSION WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run.cmake: -D ${var}=... is required")
  endif()
endforeach()

set(consumer_source "${LOGISTIC_SOURCE_DIR}/tests/consumer")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# The consumer is configured like the build that runs this test: same generator and
# compiler. Its own build type is fixed: it is a user's project, not ours.
set(common_args -DCMAKE_BUILD_TYPE=Release)
if(GENERATOR)
  list(APPEND common_args -G "${GENERATOR}")
endif()
if(MAKE_PROGRAM AND GENERATOR MATCHES "Ninja|Makefiles")
  list(APPEND common_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND common_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
if(TOOLCHAIN_FILE)
  list(APPEND common_args "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN_FILE}")
endif()
if(XSIMD_DIR)
  list(APPEND common_args "-Dxsimd_DIR=${XSIMD_DIR}")
endif()
string(REPLACE "|" ";" emulator "${EMULATOR}")
if(WERROR)
  list(APPEND common_args -DLOGISTIC_CONSUMER_WERROR=ON)
else()
  list(APPEND common_args -DLOGISTIC_CONSUMER_WERROR=OFF)
endif()

set(exe_suffix "")
if(CMAKE_HOST_WIN32)
  set(exe_suffix ".exe")
endif()

function(step name)
  message(STATUS "---- ${name}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "FAIL: ${name} (exit ${result})\n  command: ${ARGN}")
  endif()
endfunction()

# Configures, builds and runs the consumer in WORK_DIR/<name> with extra -D arguments.
function(consumer name)
  set(build "${WORK_DIR}/${name}")
  step("${name}: configure" "${CMAKE_COMMAND}" -S "${consumer_source}" -B "${build}"
       ${common_args} ${ARGN})
  step("${name}: build" "${CMAKE_COMMAND}" --build "${build}" --config Release)
  step("${name}: run" ${emulator} "${build}/bin/consumer${exe_suffix}")
endfunction()

if(MODE STREQUAL "find_package")
  if(NOT PREFIX)
    message(FATAL_ERROR "run.cmake: MODE=find_package needs -D PREFIX=...")
  endif()
  file(REMOVE_RECURSE "${PREFIX}")
  set(config_args "")
  if(CONFIG)
    set(config_args --config "${CONFIG}")
  endif()
  step("install into ${PREFIX}"
       "${CMAKE_COMMAND}" --install "${LOGISTIC_BINARY_DIR}" --prefix "${PREFIX}" ${config_args})

  file(GLOB_RECURSE package_config "${PREFIX}/*/logisticConfig.cmake")
  if(NOT EXISTS "${PREFIX}/include/logistic/logistic.hpp"
     OR NOT EXISTS "${PREFIX}/include/logistic/version.hpp" OR NOT package_config)
    message(FATAL_ERROR "FAIL: the install tree lacks the headers or logisticConfig.cmake")
  endif()
  get_filename_component(package_dir "${package_config}" DIRECTORY)
  message(STATUS "installed package: ${package_dir}")

  consumer(installed
           "-DCMAKE_PREFIX_PATH=${PREFIX}"
           -DLOGISTIC_CONSUMER_MODE=find_package
           "-DLOGISTIC_CONSUMER_VERSION=${LOGISTIC_VERSION}"
           "-DLOGISTIC_CONSUMER_EXPECT_DIR=${package_dir}")

  consumer(build_tree
           "-Dlogistic_DIR=${LOGISTIC_BINARY_DIR}"
           -DLOGISTIC_CONSUMER_MODE=find_package
           "-DLOGISTIC_CONSUMER_VERSION=${LOGISTIC_VERSION}"
           "-DLOGISTIC_CONSUMER_EXPECT_DIR=${LOGISTIC_BINARY_DIR}")

  string(REGEX MATCH "^[0-9]+" major "${LOGISTIC_VERSION}")
  math(EXPR next_major "${major} + 1")
  message(STATUS "---- find_package(logistic ${next_major}.0) must fail")
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -S "${consumer_source}" -B "${WORK_DIR}/wrong_version"
            ${common_args} "-DCMAKE_PREFIX_PATH=${PREFIX}" -DLOGISTIC_CONSUMER_MODE=find_package
            "-DLOGISTIC_CONSUMER_VERSION=${next_major}.0"
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(result EQUAL 0)
    message("${output}")
    message(FATAL_ERROR "FAIL: find_package(logistic ${next_major}.0) accepted version "
                        "${LOGISTIC_VERSION}")
  endif()
  if(NOT output MATCHES "logistic")
    message("${output}")
    message(FATAL_ERROR "FAIL: the version mismatch failed without naming logistic")
  endif()
elseif(MODE STREQUAL "subproject")
  consumer(add_subdirectory
           -DLOGISTIC_CONSUMER_MODE=add_subdirectory
           "-DLOGISTIC_SOURCE_DIR=${LOGISTIC_SOURCE_DIR}")
  consumer(fetchcontent
           -DLOGISTIC_CONSUMER_MODE=fetchcontent
           "-DLOGISTIC_SOURCE_DIR=${LOGISTIC_SOURCE_DIR}")
else()
  message(FATAL_ERROR "run.cmake: unknown MODE '${MODE}'")
endif()

message(STATUS "PASS: consumer ${MODE}")
