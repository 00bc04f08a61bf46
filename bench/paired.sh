#!/usr/bin/env bash
# Paired speed rounds for one model: Trainer.Fit (NCHW and channels-last) against PyTorch 1.13 (with the same malloc
# tuning, NCHW and channels-last), same batch, optimizer and real images. Inside a round the four runs follow each
# other (in reverse order every second round) so that the machine's drift hits all of them alike; the ratios are taken
# inside each round and their median is the figure to quote. Prints a Markdown table for docs/benchmarks.md.
# Needs: apt-get install python3-torch libopenblas0-pthread dataset-fashion-mnist (refuses the reference BLAS: exit 3,
# see bench/peer_config.py).
#   bash bench/paired.sh <rounds> <model> <batch> <optimizer> <images>
#   e.g. bash bench/paired.sh 7 resnet-20 128 sgd 2560
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 5 ]; then
  echo "usage: bash bench/paired.sh <rounds> <model> <batch> <optimizer> <images>" >&2
  exit 2
fi
rounds=$1 model=$2 batch=$3 optimizer=$4 images=$5
# Before anything starts: PyTorch must not run on Debian's reference BLAS (bench/peer_config.py explains, exit 3).
peer=$(/usr/bin/python3 bench/peer_config.py --threads 2 --memory-format contiguous_format,channels_last) || exit $?
peer=$(head -n 1 <<<"$peer")
dotnet build -c Release bench/Bench >/dev/null
bench="dotnet bench/Bench/bin/Release/net10.0/Bench.dll speed $model --batch $batch --optimizer $optimizer --images $images"
pytorch="/usr/bin/python3 bench/pytorch_reference.py $model --batch $batch --optimizer $optimizer --images $images --keep-freed-memory"
contenders=("fit_nchw:$bench" "fit_cl:$bench --channels-last" "pt_nchw:$pytorch" "pt_cl:$pytorch --channels-last")
results=$(mktemp)
trap 'rm -f "$results"' EXIT

for round in $(seq "$rounds"); do
  order=(0 1 2 3)
  if [ $((round % 2)) -eq 0 ]; then order=(3 2 1 0); fi
  for i in "${order[@]}"; do
    name=${contenders[$i]%%:*}
    command=${contenders[$i]#*:}
    speed=$($command 2>/dev/null | grep '^RESULT' | grep -o 'train_img_s=[0-9.]*' | cut -d= -f2)
    if [ -z "$speed" ]; then
      echo "bench/paired.sh: no RESULT line from: $command" >&2
      exit 1
    fi
    echo "$round $name $speed" >> "$results"
  done
done

/usr/bin/python3 - "$results" "$model" "$batch" "$optimizer" "$peer" <<'PY'
import statistics, sys
path, model, batch, optimizer, peer = sys.argv[1:]
rounds = {}
for line in open(path):
    r, name, speed = line.split()
    rounds.setdefault(int(r), {})[name] = float(speed)
print(f"{model}, batch {batch}, {optimizer}: training images per second")
print(peer)
print()
print("| round | Fit NCHW | Fit channels-last | PyTorch NCHW | PyTorch channels-last | Fit best / PyTorch best | Fit CL / PyTorch NCHW | Fit CL / PyTorch CL |")
print("|---|---|---|---|---|---|---|---|")
ratios = {"best": [], "cl_nchw": [], "cl_cl": []}
for r, s in sorted(rounds.items()):
    best = max(s["fit_nchw"], s["fit_cl"]) / max(s["pt_nchw"], s["pt_cl"])
    cl_nchw, cl_cl = s["fit_cl"] / s["pt_nchw"], s["fit_cl"] / s["pt_cl"]
    for key, value in (("best", best), ("cl_nchw", cl_nchw), ("cl_cl", cl_cl)):
        ratios[key].append(value)
    print(f"| {r} | {s['fit_nchw']:.0f} | {s['fit_cl']:.0f} | {s['pt_nchw']:.0f} | {s['pt_cl']:.0f} | {best:.2f}x | {cl_nchw:.2f}x | {cl_cl:.2f}x |")
med = {k: statistics.median(v) for k, v in ratios.items()}
low = {k: min(v) for k, v in ratios.items()}
high = {k: max(v) for k, v in ratios.items()}
print(f"| median (min-max) | | | | | {med['best']:.2f}x ({low['best']:.2f}-{high['best']:.2f}) | "
      f"{med['cl_nchw']:.2f}x ({low['cl_nchw']:.2f}-{high['cl_nchw']:.2f}) | {med['cl_cl']:.2f}x ({low['cl_cl']:.2f}-{high['cl_cl']:.2f}) |")
PY
