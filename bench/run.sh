#!/usr/bin/env bash
# Side-by-side speed benchmark: Trainer.Fit (bench/Bench) against PyTorch 1.13 (bench/pytorch_reference.py) on the
# same models, batches, optimizers and images, alternating the two so that machine noise hits both alike.
# Prints a Markdown table for docs/benchmarks.md, after the PyTorch side's PEER line. Needs: apt-get install python3-torch
# libopenblas0-pthread dataset-fashion-mnist (refuses the reference BLAS: exit 3, see bench/peer_config.py).
#   bash bench/run.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
# Before anything starts: PyTorch must not run on Debian's reference BLAS (bench/peer_config.py explains, exit 3).
peer=$(/usr/bin/python3 bench/peer_config.py --threads 2 --memory-format contiguous_format) || exit $?
dotnet build -c Release bench/Bench >/dev/null
bench="dotnet bench/Bench/bin/Release/net10.0/Bench.dll"
results=$(mktemp)

run() { "$@" 2>/dev/null | grep '^RESULT' >> "$results"; }
for round in $(seq "$rounds"); do
  while read -r model batch optimizer images; do
    run $bench speed "$model" --batch "$batch" --optimizer "$optimizer" --images "$images"
    run /usr/bin/python3 bench/pytorch_reference.py "$model" --batch "$batch" --optimizer "$optimizer" --images "$images"
    run /usr/bin/python3 bench/pytorch_reference.py "$model" --batch "$batch" --optimizer "$optimizer" --images "$images" --keep-freed-memory
  done <<LIST
cnn 100 adadelta 4000
resnet-20 128 sgd 2560
mobilenet 100 adam 2000
mobilenet-28 100 adam 2000
wrn-16-4 128 sgd 1280
LIST
done

head -n 1 <<<"$peer"
/usr/bin/python3 - "$results" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(re.findall(r"(\w+)=(\S+)", line))
    who = "torchsharp" if "torchsharp" in line else ("pytorch_tuned" if kv.get("keep_freed_memory") == "True" else "pytorch")
    rows.setdefault((kv["model"], kv["batch"], kv["optimizer"].lower()), {}).setdefault(who, []).append(kv)
med = lambda runs, key: statistics.median(float(r[key]) for r in runs)
print("| model | batch | optimizer | Trainer.Fit train img/s | PyTorch train img/s | ratio | PyTorch + same malloc tuning | ratio | Fit inference img/s | PyTorch inference img/s | pipeline ms/batch | peak RSS MB (.NET / PyTorch) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for (model, batch, opt), who in rows.items():
    ts, pt, pk = who.get("torchsharp", []), who.get("pytorch", []), who.get("pytorch_tuned", [])
    if not (ts and pt and pk): continue
    t, p, q = med(ts, "train_img_s"), med(pt, "train_img_s"), med(pk, "train_img_s")
    print(f"| {model} | {batch} | {opt} | {t:.0f} | {p:.0f} | {t/p:.2f}x | {q:.0f} | {t/q:.2f}x | {med(ts, 'infer_img_s'):.0f} | "
          f"{med(pt, 'infer_img_s'):.0f} | {med(ts, 'pipeline_ms_per_batch'):.2f} | {med(ts, 'peak_rss_mb'):.0f} / {med(pt, 'peak_rss_mb'):.0f} |")
PY
