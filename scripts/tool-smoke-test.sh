#!/usr/bin/env bash
# Packs the CLI as the .NET tool FashionMnist.Baselines.Cli, installs it from the local folder into a tool path (as
# `dotnet tool install` does for a user) and runs it: `fmb models`, then one short epoch of `fmb train` on a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}

dotnet pack samples/Baselines -c Release -o "$work/feed"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
ls -l "$work/feed"
dotnet tool install FashionMnist.Baselines.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/feed"

"$work/tools/fmb" models cnn resnet-20
"$work/tools/fmb" train cnn --epochs 1 --train-subset 1200 --data-dir "$data" --output "$work/run"
test -f "$work/run/report.md" && test -f "$work/run/weights-best.bin" && test -f "$work/run/weights-best.bin.json"
echo "tool smoke test: fmb $version installed from its package, listed models and trained one epoch"
