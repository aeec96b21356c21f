#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages that logistic needs to build, test and benchmark --
# only those that are missing, so that a machine that has them all does nothing (and
# runs no `apt-get update`).
#
#   tools/install-deps.sh              required packages + optional comparators
#   tools/install-deps.sh --required   required packages only
#
# Required: cmake, make, g++, clang, libxsimd-dev, catch2, libbenchmark-dev, libmpfr-dev,
# libgmp-dev. Optional (benchmark comparators; their rows are left out when absent):
# libeigen3-dev, libsleef-dev, libxnnpack-dev -- an optional package that cannot be
# installed is reported and skipped. Uses sudo when not run as root.
set -euo pipefail

required=(cmake make g++ clang libxsimd-dev catch2 libbenchmark-dev libmpfr-dev libgmp-dev)
optional=(libeigen3-dev libsleef-dev libxnnpack-dev)

with_optional=1
for arg in "$@"; do
  case "$arg" in
    --required) with_optional=0 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install-deps.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps.sh: not a Debian-based system; install by hand: ${required[*]}" >&2
  exit 0
fi

is_installed() {
  dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

missing_required=()
for pkg in "${required[@]}"; do
  is_installed "$pkg" || missing_required+=("$pkg")
done
missing_optional=()
if (( with_optional )); then
  for pkg in "${optional[@]}"; do
    is_installed "$pkg" || missing_optional+=("$pkg")
  done
fi

if (( ${#missing_required[@]} == 0 && ${#missing_optional[@]} == 0 )); then
  echo "install-deps.sh: all packages present"
  exit 0
fi

sudo=()
if (( EUID != 0 )); then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps.sh: need root or sudo to install:" \
      "${missing_required[*]} ${missing_optional[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
apt_install=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q
             --no-install-recommends)

echo "install-deps.sh: missing: ${missing_required[*]} ${missing_optional[*]}"
"${sudo[@]}" apt-get update -q

if (( ${#missing_required[@]} > 0 )); then
  "${apt_install[@]}" "${missing_required[@]}"
fi

if (( ${#missing_optional[@]} > 0 )); then
  # All at once first; if that fails (a package unknown on this release or architecture),
  # one by one so that the others still get installed.
  if ! "${apt_install[@]}" "${missing_optional[@]}"; then
    for pkg in "${missing_optional[@]}"; do
      "${apt_install[@]}" "$pkg" || echo "install-deps.sh: optional $pkg not installed" >&2
    done
  fi
fi
echo "install-deps.sh: done"
