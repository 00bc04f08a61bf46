#!/usr/bin/env bash
# Installs what a fresh Debian or Ubuntu machine lacks to build, test and train: Debian's Fashion-MNIST package
# (skipped when FASHION_MNIST_DIR names a copy or the package is already there), python3-onnx (ONNX's model
# checker, which the export tests run on every exported file) and python3-torch (PyTorch 1.13, the other side of the
# weights interchange tests). The .NET SDK must be installed.
set -euo pipefail

# The data set is needed; the Python packages only for the tests that compare with ONNX's checker and PyTorch, so a
# failure to install them is a warning (those tests then skip, except under CI=true, where they fail).
data=()
if [ -z "${FASHION_MNIST_DIR:-}" ] && [ ! -f /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz ]; then
  data+=(dataset-fashion-mnist)
fi
python=()
if ! /usr/bin/python3 -c "import onnx" >/dev/null 2>&1; then
  python+=(python3-onnx)
fi
if ! /usr/bin/python3 -c "import torch" >/dev/null 2>&1; then
  python+=(python3-torch)
fi

if [ $((${#data[@]} + ${#python[@]})) -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
    if [ ${#data[@]} -gt 0 ]; then
      echo "Installing dataset-fashion-mnist (the real Fashion-MNIST, into /usr/share/datasets/fashion-mnist)..."
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${data[@]}"
    fi
    if [ ${#python[@]} -gt 0 ]; then
      echo "Installing ${python[*]} (for the export and interchange tests)..."
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${python[@]}" \
        || echo "warning: could not install ${python[*]}; the tests that need them will be skipped (failed under CI=true)." >&2
    fi
  else
    echo "No apt-get here: put the four Fashion-MNIST files in a folder and set FASHION_MNIST_DIR to it," >&2
    echo "and install Python's onnx and torch packages for the export and interchange checks (tests that need them" >&2
    echo "are skipped outside CI)." >&2
    echo "(The library can also download the data set itself when the machine has internet.)" >&2
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK (10, or 8 for the library alone) is needed: https://dotnet.microsoft.com/download" >&2
  exit 1
fi
