#!/usr/bin/env bash
# The bfloat16 issue's speed figures, each a lockstep run (bench/lockstep.py: both contenders alive, alternating
# windows): for ResNet-20, WRN-16-4 and MobileNet-28 (batch 128, SGD, channels-last for Fit),
#   1. Fit in bfloat16 against Fit in float32 (two Bench builds of the same code, --compare),
#   2. Fit in bfloat16 against PyTorch 1.13 autocast bfloat16, in both of PyTorch's layouts,
#   3. Fit in bfloat16 against PyTorch 1.13 float32 channels-last.
# PyTorch 1.13's autocast cannot train MobileNet (ReLU6's backward has no BFloat16 kernel): that run is tried once and
# its error kept. Usage: bash bench/bf16-lockstep.sh > docs/benchmarks-raw/bf16-lockstep-run1.txt
set -uo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Bench > /dev/null || exit 1
bench="dotnet bench/Bench/bin/Release/net10.0/Bench.dll speed"
run() { echo "## $*"; python3 bench/lockstep.py --no-build "$@"; echo; }
for spec in "resnet-20 12800 3" "wrn-16-4 3840 8" "mobilenet-28 6400 4"; do
  read -r model images window <<< "$spec"
  common="--batch 128 --optimizer sgd --images $images"
  run --window "$window" --compare "$bench $model $common --channels-last" "$bench $model $common --channels-last --precision bf16"
  if [ "$model" = mobilenet-28 ]; then
    echo "## PyTorch 1.13 autocast bfloat16, mobilenet-28:"
    /usr/bin/python3 bench/pytorch_reference.py mobilenet-28 $common --channels-last --autocast bf16 2>&1 | tail -n 2
    echo
  else
    run "$model" $common --window "$window" --fit-layout cl --pytorch-layout cl --fit-precision bf16 --pytorch-precision bf16
    run "$model" $common --window "$window" --fit-layout cl --pytorch-layout nchw --fit-precision bf16 --pytorch-precision bf16
  fi
  run "$model" $common --window "$window" --fit-layout cl --pytorch-layout cl --fit-precision bf16 --pytorch-precision fp32
done
