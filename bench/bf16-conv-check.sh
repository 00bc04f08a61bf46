#!/usr/bin/env bash
# Whether bfloat16 convolutions are right on this CPU: `Bench bf16-conv` (LibTorch 2.10 through TorchSharp) as it is,
# with oneDNN limited to AVX-512 without BF16 instructions and to AVX2, then PyTorch 1.13 on the same shapes.
# Usage: bash bench/bf16-conv-check.sh > docs/benchmarks-raw/bf16-conv-check-<cpu>.txt
set -uo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Bench > /dev/null || exit 1
bench="dotnet bench/Bench/bin/Release/net10.0/Bench.dll bf16-conv"
echo "## $(date -u +%F) $(lscpu | grep 'Model name' | sed 's/  */ /g'), cpu family $(grep -m1 '^cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' ') (26: Zen 5); BF16 flags: $(grep -o -w 'avx512_bf16\|amx_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "## TorchSharp (LibTorch 2.10, oneDNN 3.7), default ISA"; $bench
echo; echo "## ONEDNN_MAX_CPU_ISA=AVX512_CORE"; ONEDNN_MAX_CPU_ISA=AVX512_CORE $bench | tail -n 1
echo; echo "## ONEDNN_MAX_CPU_ISA=AVX2"; ONEDNN_MAX_CPU_ISA=AVX2 $bench | tail -n 1
echo; echo "## PyTorch 1.13 (oneDNN 2.6), same shapes"; /usr/bin/python3 bench/bf16_conv_check.py
