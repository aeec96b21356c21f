#!/usr/bin/env bash
# Hardening checks of issue 6, runnable alone from the repository root on a fresh Debian 12:
#
#     bash .ci/hardening.sh
#
# Steps (each in its own build directory, -j2; a failing step does not stop the others, the
# exit code is non-zero if any failed):
#
#   modes  build/modes/<cxx>, for g++ and clang++: tests/modes/public_api.cpp (every public
#          function, float and double, special values, scalar = array) built and run
#          -fno-exceptions -fno-rtti, as C++20, linked with -ffast-math (FTZ/DAZ on) and
#          compiled with the safe -ffast-math sub-flags (CTest label `modes`); then the same
#          file compiled with the full -ffast-math, run as a REPORT only (what breaks is
#          listed; README "Hardening" says it is unsupported).
#   asan   build/asan, clang++ -fsanitize=address,undefined -fno-sanitize-recover=all
#          (-O2 -gline-tables-only: reports keep file:line, and it compiles faster than -g): the
#          quick test suite (no `exhaustive`, `consumer`, `compile_fail` label) for the
#          flavors in LOGISTIC_ASAN_FLAVORS (default: sse2 avx512, the baseline and the
#          widest) plus the flavor-independent tests.
#   fuzz   build/fuzz, clang++ libFuzzer + ASan + UBSan: fuzz/fuzz_logistic.cpp, every
#          public array entry point, once per flavor in LOGISTIC_FUZZ_FLAVORS (default:
#          sse2 avx512), each for LOGISTIC_FUZZ_SECONDS (default 30) from a seed corpus of
#          one long random input per entry point and type. A crash input is kept under
#          build/fuzz/artifacts/ and printed in base64.
#
# Knobs (environment): LOGISTIC_HARDENING_STEPS (default "modes asan fuzz"),
# LOGISTIC_ASAN_FLAVORS, LOGISTIC_ASAN_EXCLUDE (a CTest regex of tests left out; default
# leaves out the *_odr_symbols scripts, the exhaustive_* harnesses whose strided runs need
# the whole multi-flavor build, and test_dispatch*), LOGISTIC_FUZZ_FLAVORS,
# LOGISTIC_FUZZ_SECONDS.
#
# Installs what is missing with apt-get (tools/install-deps.sh --required, and the clang
# runtime libraries for the sanitizers and libFuzzer, libclang-rt-<N>-dev).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec </dev/null
export DEBIAN_FRONTEND=noninteractive

steps=${LOGISTIC_HARDENING_STEPS:-modes asan fuzz}
asan_flavors=${LOGISTIC_ASAN_FLAVORS:-sse2 avx512}
asan_exclude=${LOGISTIC_ASAN_EXCLUDE:-_odr_symbols$|^exhaustive_|^test_dispatch}
fuzz_flavors=${LOGISTIC_FUZZ_FLAVORS:-sse2 avx512}
fuzz_seconds=${LOGISTIC_FUZZ_SECONDS:-30}

start=$SECONDS
failed=()

header() {
  printf '\n== %s (%s, %d s into hardening)\n' "$1" "$(date -u '+%H:%M:%S UTC')" \
    "$((SECONDS - start))"
}

run() {
  local name=$1
  shift
  local t0=$SECONDS
  if "$@"; then
    echo "-- ${name}: ok ($((SECONDS - t0)) s)"
  else
    local rc=$?
    echo "-- ${name}: FAILED with exit code ${rc} ($((SECONDS - t0)) s)"
    failed+=("$name")
  fi
}

# ---------------------------------------------------------------------------------------
header "dependencies"
bash tools/install-deps.sh --required
clang_major=$(clang++ -dumpversion 2>/dev/null | cut -d. -f1)
if [[ -n ${clang_major} ]] && command -v dpkg-query >/dev/null 2>&1; then
  rt=libclang-rt-${clang_major}-dev
  if ! dpkg-query -W -f='${db:Status-Status}' "$rt" 2>/dev/null | grep -qx installed; then
    # Debian 12's clang only recommends it; without it -fsanitize=... does not link.
    sudo=()
    (( EUID != 0 )) && sudo=(sudo)
    echo "hardening.sh: installing ${rt}"
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends "$rt"
  fi
fi
g++ --version | head -n 1
clang++ --version | head -n 1

common_cache=(-D CMAKE_BUILD_TYPE=RelWithDebInfo -D LOGISTIC_BUILD_EXAMPLES=OFF
              -D LOGISTIC_BUILD_BENCH=OFF -D LOGISTIC_INSTALL=OFF -D LOGISTIC_WERROR=ON)

# ---------------------------------------------------------------------------------------
modes() {
  local cxx=$1 dir=build/modes/$1
  rm -rf "$dir"
  # Release: no -g, the units are large (every public function, twice).
  CXX=$cxx cmake -S . -B "$dir" "${common_cache[@]}" -D CMAKE_BUILD_TYPE=Release \
    -D LOGISTIC_BUILD_TESTS=ON -D LOGISTIC_TEST_BUILD_MODES=ON >"$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; return 1; }
  cmake --build "$dir" -j2 --target logistic_modes || return 1
  ctest --test-dir "$dir" -L modes -j2 --output-on-failure || return 1
  echo "-- report only: the caller's unit compiled with -ffast-math (${cxx}):"
  "$dir/tests/test_mode_fast_math_report" | grep -Ev '^ok ' || true
}

asan() {
  local dir=build/asan
  rm -rf "$dir"
  local flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
  # -gline-tables-only instead of -g: the sanitizers' reports keep their file:line frames,
  # at a fraction of the compile time of full debug information.
  CXX=clang++ cmake -S . -B "$dir" "${common_cache[@]}" -D LOGISTIC_BUILD_TESTS=ON \
    -D LOGISTIC_REQUIRE_MPFR=ON -D "CMAKE_CXX_FLAGS=${flags}" \
    -D "CMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only -DNDEBUG" \
    -D "CMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined" >"$dir.configure.log" 2>&1 \
    || { cat "$dir.configure.log"; return 1; }
  # The quick tests whose executable is the test's own name, minus the flavors not asked for.
  local all_flavors
  all_flavors=$(sed -n 's/^-- logistic: test flavors: //p' "$dir.configure.log" | tr ';' ' ')
  local tests=() name flavor keep
  while read -r name; do
    [[ -z $name ]] && continue
    [[ $name =~ $asan_exclude ]] && continue
    keep=1
    for flavor in $all_flavors; do
      if [[ $name == *_"$flavor" && " $asan_flavors " != *" $flavor "* ]]; then keep=0; fi
    done
    (( keep )) && tests+=("$name")
  done < <(ctest --test-dir "$dir" -N -LE 'exhaustive|consumer|compile_fail' \
             | sed -n 's/^ *Test *#[0-9]*: //p')
  echo "ASan+UBSan tests (${#tests[@]}): ${tests[*]}"
  # One parallel build of them all (see LOGISTIC_TEST_BUILD_SET in tests/CMakeLists.txt).
  cmake "$dir" -D "LOGISTIC_TEST_BUILD_SET=$(IFS=';'; echo "${tests[*]}")" >/dev/null || return 1
  cmake --build "$dir" -j2 --target logistic_test_build_set || return 1
  local regex
  regex="^($(IFS='|'; echo "${tests[*]}"))\$"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$dir" -R "$regex" -j2 --output-on-failure
}

fuzz() {
  local dir=build/fuzz
  rm -rf "$dir"
  CXX=clang++ cmake -S . -B "$dir" "${common_cache[@]}" -D LOGISTIC_BUILD_TESTS=OFF \
    -D "CMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only -DNDEBUG" \
    -D LOGISTIC_BUILD_FUZZ=ON -D "LOGISTIC_FUZZ_FLAVORS=${fuzz_flavors// /;}" \
    >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; return 1; }
  local flavor
  cmake --build "$dir" -j2 --target logistic_fuzz || return 1
  # Seeds: one long random input per entry point and type (selector byte, random flags and
  # offsets, the largest length field), so that long arrays are tried from the start.
  mkdir -p "$dir/seeds" "$dir/artifacts"
  local selector
  for selector in $(seq 0 41); do
    {
      printf "\\$(printf '%03o' "$selector")"
      head -c 2 /dev/urandom
      printf '\377\377'
      head -c 4096 /dev/urandom
    } >"$dir/seeds/seed-${selector}"
  done
  local status=0 rc
  for flavor in $fuzz_flavors; do
    mkdir -p "$dir/corpus-${flavor}"
    echo "fuzz_logistic_${flavor}: ${fuzz_seconds} s"
    "$dir/fuzz/fuzz_logistic_${flavor}" -max_total_time="${fuzz_seconds}" -max_len=8192 \
      -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$dir/artifacts/${flavor}-" "$dir/corpus-${flavor}" "$dir/seeds" \
      >"$dir/fuzz-${flavor}.log" 2>&1
    rc=$?
    if (( rc == 77 )); then
      echo "fuzz_logistic_${flavor}: skipped (the CPU lacks the flavor's instructions)"
    elif (( rc != 0 )); then
      grep -E 'FUZZ FAILURE|runtime error|ERROR: AddressSanitizer' -A6 "$dir/fuzz-${flavor}.log"
      tail -n 5 "$dir/fuzz-${flavor}.log"
      status=1
    else
      grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$dir/fuzz-${flavor}.log"
    fi
  done
  return "$status"
}

for step in $steps; do
  case "$step" in
    modes)
      for cxx in g++ clang++; do
        header "build modes (${cxx})"
        mkdir -p build/modes
        run "modes (${cxx})" modes "$cxx"
      done
      ;;
    asan)
      header "ASan + UBSan test suite (clang++; flavors: ${asan_flavors})"
      run "asan" asan
      ;;
    fuzz)
      header "libFuzzer (clang++; flavors: ${fuzz_flavors}; ${fuzz_seconds} s each)"
      run "fuzz" fuzz
      ;;
    *)
      echo "hardening.sh: unknown step '${step}'" >&2
      failed+=("$step")
      ;;
  esac
done

if (( ${#failed[@]} > 0 )); then
  header "HARDENING FAILED after $((SECONDS - start)) s: ${failed[*]}"
  exit 1
fi
header "hardening passed in $((SECONDS - start)) s"
