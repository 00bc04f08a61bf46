#!/usr/bin/env bash
# CI check of bench/peer_config.py on Debian 12: it must see the BLAS that python3-torch really calls, both ways.
# (a) alternative libblas.so.3-x86_64-linux-gnu (and liblapack.so.3) on netlib's reference: exit 3 and "reference";
# (b) libblas.so.3 on the reference but liblapack.so.3 on OpenBLAS (libopenblas0-pthread installed, libblas set back by
#     hand): OpenBLAS is mapped too, but PyTorch's sgemm_ is the reference one, so again exit 3 and "reference";
# (c) libblas.so.3 on OpenBLAS: exit 0 and "openblas".
# Installs python3-torch, libblas3, liblapack3 and libopenblas0-pthread when missing, and leaves both alternatives on
# OpenBLAS, the setting the benchmarks need. Changes the system: run as root (or with sudo) on a CI or benchmark machine.
#   bash bench/test_peer_config.sh
set -uo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
blas=libblas.so.3-x86_64-linux-gnu lapack=liblapack.so.3-x86_64-linux-gnu
passed=0 failed=0

install() {  # only what is missing; apt-get update only when a plain install fails (stale package lists)
  local missing=()
  for package in "$@"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -q "${missing[@]}" >/dev/null ||
    { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; }
}

# check NAME WANTED_STATUS WORD: runs bench/peer_config.py (with Debian's python, which has python3-torch) and
# requires its exit status and WORD in its output.
check() {
  local output status
  output=$(env -u FMB_ALLOW_REFERENCE_BLAS /usr/bin/python3 bench/peer_config.py 2>&1)
  status=$?
  if [ "$status" -eq "$2" ] && grep -q "$3" <<<"$output"; then
    echo "PASS $1: exit $status"
    passed=$((passed + 1))
  else
    echo "FAIL $1: exit $status (wanted $2 and \"$3\"):"
    echo "$output"
    failed=$((failed + 1))
  fi
  head -n 1 <<<"$output"
}

install python3-torch libblas3 liblapack3 ||
  { echo "could not install python3-torch libblas3 liblapack3"; echo "0 passed, 3 failed"; exit 1; }
set_alternative() { $sudo update-alternatives --set "$1" "$2" >/dev/null; }
set_alternative "$blas" /usr/lib/x86_64-linux-gnu/blas/libblas.so.3
set_alternative "$lapack" /usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3
check "reference BLAS refused" 3 reference

install libopenblas0-pthread || echo "could not install libopenblas0-pthread"
# Debian 12: /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 and .../liblapack.so.3
openblas=$(update-alternatives --list "$blas" | grep openblas | head -n 1)
openblas_lapack=$(update-alternatives --list "$lapack" | grep openblas | head -n 1)
if [ -n "$openblas" ] && [ -n "$openblas_lapack" ]; then
  set_alternative "$lapack" "$openblas_lapack"
  check "reference BLAS refused with OpenBLAS's LAPACK loaded" 3 reference
  set_alternative "$blas" "$openblas"
  check "OpenBLAS accepted" 0 openblas
  $sudo update-alternatives --auto "$lapack" >/dev/null  # back to its default (OpenBLAS); libblas stays on OpenBLAS
else
  echo "FAIL: no OpenBLAS choice for $blas or $lapack:"
  update-alternatives --display "$blas"
  update-alternatives --display "$lapack"
  failed=$((failed + 2))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
