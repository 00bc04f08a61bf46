#!/usr/bin/env bash
# The training speed of the fast recipe's model against ResNet-20 in the same machine state (docs/results/README.md,
# "Against ResNet-20's one-cycle recipe"): Bench speed, batch 256, channels-last, bfloat16 (both recipes' settings),
# 2 threads, the two models alternating for three rounds.
# Usage: bash bench/fast-vs-resnet20-speed.sh > docs/benchmarks-raw/fast-vs-resnet20-speed-<cpu>.txt
set -uo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Bench > /dev/null || exit 1
echo "## $(date -u '+%F %H:%M') $(lscpu | grep 'Model name' | sed 's/  */ /g'), cpu family $(grep -m1 '^cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')"
for round in 1 2 3; do
  for model in resnet-20 resnet9-32; do
    dotnet bench/Bench/bin/Release/net10.0/Bench.dll speed "$model" --batch 256 --images 7680 --channels-last --precision bf16 --threads 2 2>&1 | grep RESULT
  done
done
