#!/usr/bin/env bash
# After a deliberate change of the public API: drops the entries of PublicAPI.Unshipped.txt that no longer exist
# (RS0017) and declares the new public members (RS0016), taking the symbols from the analyzer's own messages, for every
# package. Review the diff of the PublicAPI files: it is the change of the public API.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/FashionMnist.Baselines/FashionMnist.Baselines.csproj src/FashionMnist.Baselines.Plots/FashionMnist.Baselines.Plots.csproj \
    src/FashionMnist.Baselines.Onnx/FashionMnist.Baselines.Onnx.csproj src/FashionMnist.Baselines.PyTorch/FashionMnist.Baselines.PyTorch.csproj \
    src/FashionMnist.Baselines.Imaging/FashionMnist.Baselines.Imaging.csproj \
    src/FashionMnist.Baselines.Pretrained/FashionMnist.Baselines.Pretrained.csproj; do
  dir=$(dirname "$project")
  log=$(mktemp)
  dotnet build "$project" -c Release --no-incremental > "$log" 2>&1 || true
  python3 - "$dir/PublicAPI.Unshipped.txt" "$log" <<'PY'
import re, sys
path, log = sys.argv[1], open(sys.argv[2]).read()
removed = set(re.findall(r"error RS0017: Symbol '(.*?)' is part of the declared API", log))
added = set(re.findall(r"error RS0016: Symbol '(.*?)' is not part of the declared public API", log))
lines = [l for l in open(path).read().splitlines() if l and l not in removed and not l.startswith("#")]
body = sorted(set(lines) | added, key=str.casefold)
open(path, "w").write("#nullable enable\n" + "\n".join(body) + "\n")
print(f"{path}: {len(added)} declared, {len(removed)} removed")
PY
  rm -f "$log"
done
