#!/usr/bin/env bash
# Installs flopcast's build dependencies from Debian's packages; with --test,
# also what the test suite needs (clang for the fuzzers).
# Idempotent: packages already present are not downloaded again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libboost-random-dev libboost-math-dev
  libtbb-dev libhdf5-dev hdf5-tools
  libtomlplusplus-dev libcli11-dev libfmt-dev
  catch2 librandom123-dev
  python3 python3-h5py python3-numpy python3-scipy python3-matplotlib
)

# Tests also need clang's sanitizer and fuzzer runtimes, Open MPI for the
# MPI build's tests, and xarray with h5netcdf for the named-axes test
# (tests/cli/test_xarray.py).
if [ "${1:-}" = "--test" ]; then
  packages+=(clang libclang-rt-14-dev libopenmpi-dev openmpi-bin python3-xarray python3-h5netcdf)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
