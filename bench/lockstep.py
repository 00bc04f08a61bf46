#!/usr/bin/env python3
"""Trainer.Fit against the PyTorch reference in lockstep: both processes live at once, but only one runs at a time.

Why: on this project's 2-core VMs the speed of the whole machine drifts by 25% or more within minutes (other tenants),
and the two contenders of a comparison take tens of seconds each, so one-after-the-other runs (bench/paired.sh) compare
different machines as often as different programs. Here a coordinator starts `Bench speed` and
`bench/pytorch_reference.py`, then stops one with SIGSTOP and continues the other every few seconds, so both see the
same drift. Each process writes the CLOCK_MONOTONIC time at which every measured training batch ended
(`--batch-times`); a batch's duration counts only when it started and ended inside one window in which that process ran
without interruption. The figure compared is the median batch duration (steady state: the median ignores the first
batches' page faults and lazy initialisation), both overall and window pair by window pair.

Usage (needs python3-torch and dataset-fashion-mnist; builds bench/Bench):
    python3 bench/lockstep.py resnet-20 --batch 128 --optimizer sgd --images 25600 --channels-last
    python3 bench/lockstep.py mobilenet-28 --batch 100 --optimizer adam --images 12000 --fit-layout cl --pytorch-layout nchw
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--optimizer", choices=["sgd", "adam", "adadelta"], default="sgd")
    parser.add_argument("--images", type=int, default=12800, help="training images of the measured epoch (each side)")
    parser.add_argument("--channels-last", action="store_true", help="both sides channels-last (same as the two below)")
    parser.add_argument("--fit-layout", choices=["nchw", "cl"], default="nchw")
    parser.add_argument("--pytorch-layout", choices=["nchw", "cl"], default="nchw")
    parser.add_argument("--window", type=float, default=3.0, help="seconds each side runs before the other takes over")
    parser.add_argument("--no-build", action="store_true", help="use bench/Bench as already built")
    parser.add_argument("--show-windows", action="store_true", help="print every window's batch durations (ms)")
    args = parser.parse_args()
    if args.channels_last:
        args.fit_layout = args.pytorch_layout = "cl"

    if not args.no_build:
        subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "bench", "Bench")], check=True,
                       stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as work:
        times = {"fit": os.path.join(work, "fit.txt"), "pytorch": os.path.join(work, "pytorch.txt")}
        common = [args.model, "--batch", str(args.batch), "--optimizer", args.optimizer, "--images", str(args.images)]
        commands = {
            "fit": ["dotnet", os.path.join(ROOT, "bench/Bench/bin/Release/net10.0/Bench.dll"), "speed", *common,
                    "--batch-times", times["fit"]] + (["--channels-last"] if args.fit_layout == "cl" else []),
            "pytorch": ["/usr/bin/python3", os.path.join(ROOT, "bench/pytorch_reference.py"), *common,
                        "--keep-freed-memory", "--batch-times", times["pytorch"]]
                       + (["--channels-last"] if args.pytorch_layout == "cl" else []),
        }
        windows = run_in_lockstep(commands, args.window)
        ends = {name: [float(line) for line in open(path)] for name, path in times.items()}
    report(args, windows, ends)


def run_in_lockstep(commands, window):
    """Runs the commands one window at a time, alternating, until the first exits; returns the windows
    as (name, start, end) on the monotonic clock."""
    processes = {name: subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for name, command in commands.items()}
    names = list(processes)
    for name in names[1:]:
        processes[name].send_signal(signal.SIGSTOP)
    windows = []
    current = 0
    try:
        while True:
            name = names[current]
            start = time.monotonic()
            while time.monotonic() - start < window and processes[name].poll() is None:
                time.sleep(0.01)
            if processes[name].poll() is not None:
                windows.append((name, start, time.monotonic()))
                break
            processes[name].send_signal(signal.SIGSTOP)
            windows.append((name, start, time.monotonic()))
            current = (current + 1) % len(names)
            processes[names[current]].send_signal(signal.SIGCONT)
        # The rest run alone to their end; their batches after this point are not compared.
        for process in processes.values():
            process.send_signal(signal.SIGCONT)
        for name, process in processes.items():
            output = process.communicate()[0]
            if process.returncode != 0:
                sys.exit(f"bench/lockstep.py: {' '.join(commands[name])} failed ({process.returncode}):\n{output[-2000:]}")
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.kill()
    return windows


def durations_in(window, batch_ends):
    """Durations of the batches that started and ended inside one window (a batch starts when the previous ends)."""
    _, start, end = window
    inside = [t for t in batch_ends if start <= t <= end]
    return [b - a for a, b in zip(inside, inside[1:])]


def report(args, windows, ends):
    per_window = [(name, durations_in(w, ends[name])) for w in windows for name in [w[0]]]
    if args.show_windows:
        for name, ds in per_window:
            print(f"{name:8} {' '.join(f'{d * 1000:.0f}' for d in ds)}", file=sys.stderr)
    all_durations = {name: [d for n, ds in per_window if n == name for d in ds] for name in ends}
    for name, ds in all_durations.items():
        if len(ds) < 10:
            sys.exit(f"bench/lockstep.py: only {len(ds)} uninterrupted {name} batches; raise --images or --window")
    # Pair each window with the next one of the other side; a pair needs at least two durations on each side.
    ratios = []
    for (a_name, a), (b_name, b) in zip(per_window, per_window[1:]):
        if a_name != b_name and len(a) >= 2 and len(b) >= 2:
            fit_window, pytorch_window = (a, b) if a_name == "fit" else (b, a)
            ratios.append(statistics.median(pytorch_window) / statistics.median(fit_window))
    if not ratios:
        sys.exit("bench/lockstep.py: no window pair with two uninterrupted batches on each side; raise --window")
    fit, pytorch = all_durations["fit"], all_durations["pytorch"]
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) >= 2 else [float("nan")] * 3
    print(f"{args.model}, batch {args.batch}, {args.optimizer}: Fit {args.fit_layout} against PyTorch 1.13 "
          f"{args.pytorch_layout}, {len(windows)} windows of {args.window:g} s, "
          f"{len(fit)} + {len(pytorch)} uninterrupted batches; ms per batch as median / mean")
    print("| model | batch, optimizer | layout (Fit / PyTorch) | Fit ms/batch | PyTorch ms/batch | Fit img/s (median) "
          "| PyTorch img/s (median) | Fit / PyTorch: by median, by mean | window pairs: median (quartiles; min-max), pairs |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| {args.model} | {args.batch}, {args.optimizer} | {args.fit_layout} / {args.pytorch_layout} "
          f"| {ms(statistics.median(fit))} / {ms(statistics.mean(fit))} "
          f"| {ms(statistics.median(pytorch))} / {ms(statistics.mean(pytorch))} "
          f"| {args.batch / statistics.median(fit):.0f} | {args.batch / statistics.median(pytorch):.0f} "
          f"| {statistics.median(pytorch) / statistics.median(fit):.2f}x, {statistics.mean(pytorch) / statistics.mean(fit):.2f}x "
          f"| {statistics.median(ratios):.2f}x ({quartiles[0]:.2f}-{quartiles[2]:.2f}; {min(ratios):.2f}-{max(ratios):.2f}), "
          f"{len(ratios)} |")


def ms(seconds):
    return f"{seconds * 1000:.1f}"


if __name__ == "__main__":
    main()
