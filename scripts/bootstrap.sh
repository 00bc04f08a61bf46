#!/usr/bin/env bash
# Installs what a fresh Debian or Ubuntu machine lacks to build, test and train: Debian's Fashion-MNIST package
# (skipped when FASHION_MNIST_DIR names a copy or the package is already there). The .NET SDK must be installed.
set -euo pipefail

if [ -z "${FASHION_MNIST_DIR:-}" ] && [ ! -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing dataset-fashion-mnist (the real Fashion-MNIST, into /usr/share/datasets/fashion-mnist)..."
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist
  else
    echo "No apt-get here: put the four Fashion-MNIST files in a folder and set FASHION_MNIST_DIR to it." >&2
    echo "(The library can also download them itself when the machine has internet.)" >&2
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK (10, or 8 for the library alone) is needed: https://dotnet.microsoft.com/download" >&2
  exit 1
fi
