# Runtime dispatch (include/logistic/dispatch.hpp): a small static library that compiles
# the library's kernels once per instruction set and picks the best at run time.
#
#   logistic_add_dispatch_library(<target> [ARCHS <flavor>...])
#
# Creates the STATIC library <target>, linked PUBLIC to logistic::logistic, from
# src/dispatch/: dispatch_arch.cpp once per flavor (an OBJECT library <target>_<flavor>
# compiled with that flavor's flags, cmake/logisticArch.cmake) and dispatch.cpp for the
# baseline (<target>_select), which selects among them through xsimd::dispatch. ARCHS
# defaults to logistic_arch_flavors(): sse2, avx2 and avx512 on x86-64 with GCC or Clang,
# `native` (the compiler's default: NEON on aarch64) elsewhere. The flags are explicit
# (never -march=native) and stay inside these targets: a program that links <target> is
# compiled for whatever its own flags say, the x86-64 baseline included.
# Position-independent code, so that the library can go into a shared object.
# The target property LOGISTIC_DISPATCH_PARTS lists the object libraries (to add warnings).
#
# The top-level CMakeLists.txt makes `logistic::dispatch` with it (LOGISTIC_BUILD_DISPATCH);
# a project that uses logistic through find_package() calls it itself, after
# find_package(logistic): the sources are installed with the package.

include_guard(GLOBAL)
include("${CMAKE_CURRENT_LIST_DIR}/logisticArch.cmake")

# The sources: beside this file in an installed package, under src/ in the source tree.
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/dispatch/dispatch.cpp")
  set(LOGISTIC_DISPATCH_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/dispatch")
else()
  set(LOGISTIC_DISPATCH_SOURCE_DIR "${CMAKE_CURRENT_LIST_DIR}/../src/dispatch")
endif()
cmake_path(NORMAL_PATH LOGISTIC_DISPATCH_SOURCE_DIR)

function(logistic_add_dispatch_library target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "ARCHS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "logistic_add_dispatch_library: unknown arguments "
                        "${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET logistic::logistic)
    message(FATAL_ERROR "logistic_add_dispatch_library: logistic::logistic is not defined "
                        "(find_package(logistic) or add_subdirectory first)")
  endif()
  set(archs ${arg_ARCHS})
  if(NOT archs)
    logistic_arch_flavors(archs)
  endif()

  set(src "${LOGISTIC_DISPATCH_SOURCE_DIR}")
  set(parts "")
  set(with "")
  foreach(arch IN LISTS archs)
    if(NOT arch MATCHES "^(sse2|avx2|avx512|native)$")
      message(FATAL_ERROR "logistic_add_dispatch_library: unknown architecture '${arch}' "
                          "(sse2, avx2, avx512 or native)")
    endif()
    string(TOUPPER "${arch}" ARCH)
    set(part ${target}_${arch})
    add_library(${part} OBJECT "${src}/dispatch_arch.cpp")
    logistic_arch_flavor_flags(${arch} flags)
    target_compile_options(${part} PRIVATE ${flags})
    if(arch STREQUAL "avx512" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU"
       AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      # GCC < 13 warns about the deliberate `__m512 __Y = __Y;` of _mm512_undefined_ps()
      # once AVX-512 code inlines it (GCC bug 105593).
      target_compile_options(${part} PRIVATE -Wno-uninitialized -Wno-maybe-uninitialized)
    endif()
    target_compile_definitions(${part} PRIVATE LOGISTIC_DISPATCH_ARCH_${ARCH})
    list(APPEND parts ${part})
    list(APPEND with LOGISTIC_DISPATCH_WITH_${ARCH})
  endforeach()

  set(select ${target}_select)
  add_library(${select} OBJECT "${src}/dispatch.cpp")
  target_compile_definitions(${select} PRIVATE ${with})
  list(APPEND parts ${select})

  add_library(${target} STATIC)
  foreach(part IN LISTS parts)
    target_link_libraries(${part} PRIVATE logistic::logistic)
    target_include_directories(${part} PRIVATE "${src}")
    target_compile_features(${part} PRIVATE cxx_std_17)
    set_target_properties(${part} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:${part}>)
  endforeach()
  target_link_libraries(${target} PUBLIC logistic::logistic)
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    LINKER_LANGUAGE CXX
    LOGISTIC_DISPATCH_PARTS "${parts}")
endfunction()
