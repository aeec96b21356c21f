#!/usr/bin/env bash
# CI step (issue 6): cross-compile the test suite for aarch64 (NEON) with Debian's
# g++-aarch64-linux-gnu and run it under qemu-user through CTest
# (CMAKE_CROSSCOMPILING_EMULATOR, cmake/toolchain-aarch64.cmake).
#
#   bash .ci/aarch64.sh        from the repository root (or anywhere: it cds there)
#
# Installs what is missing (g++-aarch64-linux-gnu, qemu-user; cmake, make, libxsimd-dev,
# catch2) with apt-get, configures build/aarch64 from scratch, builds with -j2 and runs
# CTest with -j2. Exits non-zero when the build or a test fails. Measured in .ci/run on
# 2 cores that another build was also using: build 387 s; tests 796 s, of which 751 s is
# test_bce_native alone (228 s before commit 1866589 added its reduction-term and
# extreme-argument sweeps) while the other 24 tests shared about 90 s: test_bce, which does
# not take the sample divisor below yet, bounds the step.
#
# What runs, and what does not (the CI time budget; everything runs under emulation,
# where each instruction costs some 10 to 100 times what it costs natively):
#   - every test of the default label set (the `native` flavor of each architecture-
#     sensitive test, test_ulp, the ODR test, dispatch, calibration, examples), with
#     LOGISTIC_TEST_SAMPLE_DIVISOR=${LOGISTIC_AARCH64_SAMPLE_DIVISOR} (default 8): the dense
#     tests (CTest label sample_divisor_8; tests/sample_divisor.hpp) draw 1/8 of their
#     random samples and take every 8th point of their strided sweeps. Every assertion and
#     bound is the one of the x86 runs, which check all the samples;
#   - the exhaustive label with a stride: exhaustive_family (sigmoid and the family) takes
#     every ${LOGISTIC_AARCH64_FAMILY_STRIDE}-th float (default 1024);
#   - not run: the MPFR tests (no libmpfr-dev:arm64: the toolchain file finds libraries in
#     the aarch64 sysroot only, so they are not built), the compile_fail and consumer
#     labels (they check CMake and the compiler's front end, the same as on x86; both
#     passed under this toolchain by hand; LOGISTIC_INSTALL is off, so the install rules
#     that only the consumer test uses are not generated), example_calibrate_svg (CMake
#     runs the imported Python3::Interpreter through the emulator; the example itself runs).
# Override the knobs in the environment; 1 means every sample / every float.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec </dev/null
export DEBIAN_FRONTEND=noninteractive

start=$SECONDS
build_dir=build/aarch64
family_stride=${LOGISTIC_AARCH64_FAMILY_STRIDE:-1024}
sample_divisor=${LOGISTIC_AARCH64_SAMPLE_DIVISOR:-8}

# --- packages (apt-get only when something is missing) --------------------------------
needed=(cmake make g++-aarch64-linux-gnu qemu-user libxsimd-dev catch2)
missing=()
for pkg in "${needed[@]}"; do
  dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qx installed ||
    missing+=("$pkg")
done
if (( ${#missing[@]} > 0 )); then
  sudo=()
  if (( EUID != 0 )); then sudo=(sudo); fi
  echo "aarch64.sh: installing ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
fi

# xsimd is header-only, but Debian puts its package config under the build machine's
# multiarch directory, which a cross build does not search.
xsimd_config=$(dpkg-query -L libxsimd-dev | grep -m1 '/cmake/xsimd/xsimdConfig.cmake$')
xsimd_dir=$(dirname "$xsimd_config")

echo "aarch64.sh: $(aarch64-linux-gnu-g++ --version | head -n 1)"
echo "aarch64.sh: $(qemu-aarch64 --version | head -n 1)"
echo "aarch64.sh: xsimd package config in ${xsimd_dir}"

# --- configure and build ---------------------------------------------------------------
# No build type: the test targets add -O2 themselves (tests/CMakeLists.txt), and nothing
# is compiled with -g (a third of the cross build's time).
rm -rf "${build_dir}"
cmake -S . -B "${build_dir}" \
  --toolchain cmake/toolchain-aarch64.cmake \
  -D CMAKE_BUILD_TYPE= \
  -D "xsimd_DIR=${xsimd_dir}" \
  -D LOGISTIC_BUILD_TESTS=ON \
  -D LOGISTIC_BUILD_EXAMPLES=ON \
  -D LOGISTIC_BUILD_BENCH=OFF \
  -D LOGISTIC_INSTALL=OFF \
  -D LOGISTIC_WERROR=ON \
  -D LOGISTIC_REQUIRE_MPFR=OFF \
  -D "LOGISTIC_EXHAUSTIVE_FAMILY_STRIDE=${family_stride}" \
  -D "LOGISTIC_TEST_SAMPLE_DIVISOR=${sample_divisor}"
build_start=$SECONDS
cmake --build "${build_dir}" -j2
echo "aarch64.sh: build took $((SECONDS - build_start)) s"

# --- run under qemu-user -----------------------------------------------------------------
test_start=$SECONDS
status=0
ctest --test-dir "${build_dir}" -j2 --output-on-failure --no-tests=error --timeout 900 \
    -LE 'compile_fail|consumer' || status=$?
echo "aarch64.sh: tests took $((SECONDS - test_start)) s (exhaustive_family every" \
     "${family_stride}th float; LOGISTIC_TEST_SAMPLE_DIVISOR=${sample_divisor}: the dense" \
     "tests (label sample_divisor_${sample_divisor}) checked 1/${sample_divisor} of their samples)"
echo "aarch64.sh: total $((SECONDS - start)) s"
exit "${status}"
