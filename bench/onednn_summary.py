"""Usage: python3 bench/onednn_summary.py <log> <training steps in the log>

Summarises a oneDNN verbose log (ONEDNN_VERBOSE=1 / DNNL_VERBOSE=1): executions and milliseconds per
(primitive, implementation, propagation kind), per measured step."""
import collections, sys
path, steps = sys.argv[1], float(sys.argv[2])
rows = collections.defaultdict(lambda: [0, 0.0])
for line in open(path, errors="replace"):
    if not (line.startswith("onednn_verbose") or line.startswith("dnnl_verbose")):
        continue
    f = line.strip().split(",")
    if "exec" not in f:
        continue
    i = f.index("exec")
    kind, impl, prop = f[i + 2], f[i + 3], f[i + 4]
    try:
        ms = float(f[-1])
    except ValueError:
        continue
    r = rows[(kind, impl, prop)]
    r[0] += 1
    r[1] += ms
total = sum(r[1] for r in rows.values())
print(f"{path}: {total / steps:.1f} ms of oneDNN per step")
for (kind, impl, prop), (n, ms) in sorted(rows.items(), key=lambda kv: -kv[1][1]):
    print(f"  {kind:14s} {impl:28s} {prop:18s} calls/step {n / steps:6.1f}  ms/step {ms / steps:7.2f}")
