#!/usr/bin/env bash
# The bfloat16 issue's other figures: inference images/s in bfloat16 against float32 (Bench speed's evaluation pass,
# batch 250, after its training epoch; two alternating rounds per model), and oneDNN's share of a ResNet-20 bfloat16
# training step in Fit and in PyTorch 1.13's autocast (ONEDNN_VERBOSE / DNNL_VERBOSE, summed per kernel by
# bench/onednn_summary.py over the 13 batches each side trains: 3 warm-up + 10).
# Usage: bash bench/bf16-inference-and-profile.sh > docs/benchmarks-raw/bf16-inference-and-profile.txt
set -uo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Bench > /dev/null || exit 1
bench="dotnet bench/Bench/bin/Release/net10.0/Bench.dll speed"
for model in resnet-20 wrn-16-4 mobilenet-28; do
  for round in 1 2; do
    for precision in fp32 bf16; do
      $bench "$model" --batch 128 --images 2560 --channels-last --precision "$precision" | grep RESULT
    done
  done
done
work=$(mktemp -d)
ONEDNN_VERBOSE=1 $bench resnet-20 --batch 128 --images 1280 --channels-last --precision bf16 > "$work/fit.log" 2>&1
echo "## Fit bf16, resnet-20, oneDNN time per batch (13 batches):"
grep RESULT "$work/fit.log"
python3 bench/onednn_summary.py "$work/fit.log" 13 | head -n 25
ONEDNN_VERBOSE=1 DNNL_VERBOSE=1 /usr/bin/python3 bench/pytorch_reference.py resnet-20 --batch 128 --images 1280 --channels-last --autocast bf16 > "$work/pytorch.log" 2>&1
echo "## PyTorch 1.13 autocast bf16, resnet-20, oneDNN time per batch (13 batches):"
grep RESULT "$work/pytorch.log"
python3 bench/onednn_summary.py "$work/pytorch.log" 13 | head -n 25
rm -rf "$work"
