# Cross build for 64-bit ARM (aarch64, NEON) with Debian's cross compiler, the tests run
# under qemu-user. Used by .ci/aarch64.sh:
#
#   apt-get install g++-aarch64-linux-gnu qemu-user
#   cmake -S . -B build/aarch64 --toolchain cmake/toolchain-aarch64.cmake \
#         -D xsimd_DIR=/usr/lib/x86_64-linux-gnu/cmake/xsimd
#   cmake --build build/aarch64 -j2 && ctest --test-dir build/aarch64
#
# xsimd and Catch2 2 are header-only: the cross compiler reads their headers from
# /usr/include like the native one. Debian installs xsimd's package config under the
# build machine's multiarch directory (/usr/lib/x86_64-linux-gnu/cmake/xsimd), which a cross
# build does not search: pass xsimd_DIR (or CMAKE_PREFIX_PATH) as above. Libraries (MPFR,
# GMP) are looked for in the target's sysroot only, so that an x86-64 libmpfr is never
# linked into an aarch64 program; without libmpfr-dev:arm64 the MPFR tests are not built.
#
# Cache variables (set them on the command line to override):
#   LOGISTIC_AARCH64_TRIPLE   the toolchain prefix (aarch64-linux-gnu)
#   LOGISTIC_AARCH64_SYSROOT  the target's libraries for qemu -L and find_library
#                             (/usr/aarch64-linux-gnu)

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(LOGISTIC_AARCH64_TRIPLE "aarch64-linux-gnu" CACHE STRING
    "Prefix of the aarch64 cross compiler (<prefix>-g++)")
set(LOGISTIC_AARCH64_SYSROOT "/usr/${LOGISTIC_AARCH64_TRIPLE}" CACHE PATH
    "Root of the aarch64 libraries (qemu-aarch64 -L, find_library)")

if(NOT CMAKE_C_COMPILER)
  set(CMAKE_C_COMPILER "${LOGISTIC_AARCH64_TRIPLE}-gcc")
endif()
if(NOT CMAKE_CXX_COMPILER)
  set(CMAKE_CXX_COMPILER "${LOGISTIC_AARCH64_TRIPLE}-g++")
endif()

# CTest (and add_custom_command with a target's executable) run the tests through it.
find_program(LOGISTIC_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(LOGISTIC_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${LOGISTIC_QEMU_AARCH64};-L;${LOGISTIC_AARCH64_SYSROOT}")
endif()

# Programs from the build machine; libraries and headers from the target only; packages
# from both (header-only CMake packages such as xsimd and Catch2 2 live outside the sysroot).
set(CMAKE_FIND_ROOT_PATH "${LOGISTIC_AARCH64_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
