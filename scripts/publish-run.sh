#!/usr/bin/env bash
# Copies the parts of a run folder that docs/results/<name>/ keeps: the exact command and options (run.json), the
# history, the report with its pictures, the metrics JSON, the test predictions of both the selected and the final model
# (so that every figure of the report can be recomputed) and, when under 5 MB or with --weights (weights that a
# published catalogue entry needs, src/FashionMnist.Baselines.Pretrained), the best weights with their model card.
#   bash scripts/publish-run.sh [--weights] <run folder> <name> [console log]
set -euo pipefail
always_weights=false
if [ "${1:-}" = "--weights" ]; then always_weights=true; shift; fi
run=$1
name=$2
target="$(dirname "$0")/../docs/results/$name"
mkdir -p "$target"
for file in run.json history.csv history.json report.md metrics.json predictions-test.csv predictions-test-final.csv accuracy.png loss.png \
            confusion-matrix.png misclassified.png augmented.png; do
  [ -f "$run/$file" ] && cp "$run/$file" "$target/"
done
if [ -f "$run/weights-best.bin" ] && { $always_weights || [ "$(stat -c %s "$run/weights-best.bin")" -lt 5000000 ]; }; then
  cp "$run/weights-best.bin" "$target/"
  [ -f "$run/weights-best.bin.json" ] && cp "$run/weights-best.bin.json" "$target/"
fi
[ $# -ge 3 ] && cp "$3" "$target/console.log"
echo "Published $run to $target"
