#!/usr/bin/env python3
"""Trainer.Fit against the PyTorch reference in lockstep: both processes live at once, but only one runs at a time.

Why: on this project's 2-core VMs the speed of the whole machine drifts by 25% or more within minutes (other tenants),
and the two contenders of a comparison take tens of seconds each, so one-after-the-other runs (bench/paired.sh) compare
different machines as often as different programs. Here a coordinator starts `Bench speed` and
`bench/pytorch_reference.py`, then stops one with SIGSTOP and continues the other every few seconds, so both see the
same drift. Each process writes the CLOCK_MONOTONIC time at which every measured training batch ended
(`--batch-times`); a batch's duration counts only when it started and ended inside one window in which that process ran
without interruption. The figure compared is the median batch duration (steady state: the median ignores the first
batches' page faults and lazy initialisation), both overall and window pair by window pair (disjoint pairs: each
window of the first side with the window of the second side that follows it).

Usage (needs python3-torch, libopenblas0-pthread and dataset-fashion-mnist; refuses the reference BLAS, see
bench/peer_config.py; builds bench/Bench):
    python3 bench/lockstep.py resnet-20 --batch 128 --optimizer sgd --images 25600 --channels-last
    python3 bench/lockstep.py mobilenet-28 --batch 100 --optimizer adam --images 12000 --fit-layout cl --pytorch-layout nchw
Any two commands that accept `--batch-times FILE` (an A/B of two builds, or an A/A check of the method):
    python3 bench/lockstep.py --compare "dotnet old/Bench.dll speed resnet-20 --batch 128 --images 19200" \
                                        "dotnet bench/Bench/bin/Release/net10.0/Bench.dll speed resnet-20 --batch 128 --images 19200"
"""
import argparse
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAYOUTS = {"nchw": "contiguous_format", "cl": "channels_last"}  # PyTorch's names, for the PEER line


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", nargs="?")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--optimizer", choices=["sgd", "adam", "adadelta"], default="sgd")
    parser.add_argument("--images", type=int, default=12800, help="training images of the measured epoch (each side)")
    parser.add_argument("--channels-last", action="store_true", help="both sides channels-last (same as the two below)")
    parser.add_argument("--fit-layout", choices=["nchw", "cl"], default="nchw")
    parser.add_argument("--pytorch-layout", choices=["nchw", "cl"], default="nchw")
    parser.add_argument("--fit-precision", choices=["fp32", "bf16"], default="fp32",
                        help="bf16: TrainerOptions.Precision = BFloat16 (bfloat16 compute, float32 master weights)")
    parser.add_argument("--pytorch-precision", choices=["fp32", "bf16"], default="fp32",
                        help="bf16: the PyTorch side under torch.autocast('cpu', dtype=torch.bfloat16)")
    parser.add_argument("--compare", nargs=2, metavar=("COMMAND_A", "COMMAND_B"),
                        help="instead of Fit against PyTorch: two commands, each given --batch-times FILE")
    parser.add_argument("--window", type=float, default=3.0, help="seconds each side runs before the other takes over")
    parser.add_argument("--no-build", action="store_true", help="use bench/Bench as already built")
    parser.add_argument("--show-windows", action="store_true", help="print every window's batch durations (ms)")
    args = parser.parse_args()
    if args.channels_last:
        args.fit_layout = args.pytorch_layout = "cl"
    if (args.model is None) == (args.compare is None):
        parser.error("give either a model (Fit against PyTorch) or --compare COMMAND_A COMMAND_B")

    peer = None
    if args.compare is None:
        # Before anything starts: refuse Debian's reference BLAS (exit 3, bench/peer_config.py says why and the fix)
        # and keep the PyTorch side's configuration for the report. /usr/bin/python3, as for the PyTorch run below.
        check = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "peer_config.py"), "--threads", "2",
                                "--memory-format", LAYOUTS[args.pytorch_layout]], stdout=subprocess.PIPE, text=True)
        if check.returncode != 0:
            sys.exit(check.returncode)
        peer = check.stdout.splitlines()[0]
    if not args.no_build and args.compare is None:
        build = subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "bench", "Bench")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if build.returncode != 0:
            sys.exit(f"bench/lockstep.py: building bench/Bench failed:\n{build.stdout[-4000:]}")
    with tempfile.TemporaryDirectory() as work:
        if args.compare:
            names = ("a", "b")
            commands = {name: shlex.split(command) + ["--batch-times", os.path.join(work, f"{name}.txt")]
                        for name, command in zip(names, args.compare)}
        else:
            names = ("fit", "pytorch")
            common = [args.model, "--batch", str(args.batch), "--optimizer", args.optimizer, "--images", str(args.images)]
            commands = {
                "fit": ["dotnet", os.path.join(ROOT, "bench/Bench/bin/Release/net10.0/Bench.dll"), "speed", *common,
                        "--batch-times", os.path.join(work, "fit.txt"), "--precision", args.fit_precision]
                       + (["--channels-last"] if args.fit_layout == "cl" else []),
                "pytorch": ["/usr/bin/python3", os.path.join(ROOT, "bench/pytorch_reference.py"), *common,
                            "--keep-freed-memory", "--batch-times", os.path.join(work, "pytorch.txt"),
                            "--autocast", args.pytorch_precision]
                           + (["--channels-last"] if args.pytorch_layout == "cl" else []),
            }
        windows = run_in_lockstep(commands, args.window, work)
        ends = {}
        for name in names:
            with open(os.path.join(work, f"{name}.txt")) as f:
                ends[name] = [float(line) for line in f]
    report(args, names, windows, ends, peer)


def run_in_lockstep(commands, window, work):
    """Runs the commands one window at a time, alternating, until the first exits; returns the windows
    as (name, start, end) on the monotonic clock. Each command's output goes to a file in work (a pipe
    could fill up and block a stopped reader's child)."""
    logs = {name: open(os.path.join(work, f"{name}.log"), "w+") for name in commands}
    processes = {name: subprocess.Popen(command, stdout=logs[name], stderr=subprocess.STDOUT)
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
            if process.wait() != 0:
                logs[name].seek(0)
                sys.exit(f"bench/lockstep.py: {' '.join(commands[name])} failed ({process.returncode}):\n"
                         f"{logs[name].read()[-2000:]}")
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.kill()
        for log in logs.values():
            log.close()
    return windows


def durations_in(window, batch_ends):
    """Durations of the batches that started and ended inside one window (a batch starts when the previous ends)."""
    _, start, end = window
    inside = [t for t in batch_ends if start <= t <= end]
    return [b - a for a, b in zip(inside, inside[1:])]


def report(args, names, windows, ends, peer):
    first, second = names
    per_window = [(w[0], durations_in(w, ends[w[0]])) for w in windows]
    if args.show_windows:
        for name, ds in per_window:
            print(f"{name:8} {' '.join(f'{d * 1000:.0f}' for d in ds)}", file=sys.stderr)
    durations = {name: [d for n, ds in per_window if n == name for d in ds] for name in names}
    for name, ds in durations.items():
        if len(ds) < 10:
            sys.exit(f"bench/lockstep.py: only {len(ds)} uninterrupted {name} batches; raise --images or --window")
    # Disjoint pairs: each window of the first side with the second side's window right after it; a pair needs at
    # least two durations on each side.
    ratios = []
    for (a_name, a), (b_name, b) in zip(per_window, per_window[1:]):
        if a_name == first and b_name == second and len(a) >= 2 and len(b) >= 2:
            ratios.append(statistics.median(b) / statistics.median(a))
    if not ratios:
        sys.exit("bench/lockstep.py: no window pair with two uninterrupted batches on each side; raise --window")
    a, b = durations[first], durations[second]
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) >= 2 else [ratios[0]] * 3
    if args.compare:
        title = f"a = {args.compare[0]}\nb = {args.compare[1]}\n"
        header = "| a ms/batch (median / mean) | b ms/batch (median / mean) | a / b speed: by median, by mean | window pairs: median (quartiles; min-max), pairs |"
        row = ""
    else:
        title = (f"{args.model}, batch {args.batch}, {args.optimizer}: Fit {args.fit_layout} {args.fit_precision} against "
                 f"PyTorch 1.13 {args.pytorch_layout} {args.pytorch_precision}"
                 f"{' (autocast)' if args.pytorch_precision == 'bf16' else ''}, ")
        header = ("| model | batch, optimizer | layout, precision (Fit / PyTorch) | Fit ms/batch (median / mean) | PyTorch ms/batch "
                  "(median / mean) | Fit / PyTorch: by median, by mean | window pairs: median (quartiles; min-max), pairs |")
        row = (f"| {args.model} | {args.batch}, {args.optimizer} | {args.fit_layout} {args.fit_precision} / "
               f"{args.pytorch_layout} {args.pytorch_precision} ")
    print(f"{title}{len(windows)} windows of {args.window:g} s, {len(a)} + {len(b)} uninterrupted batches")
    if peer:
        print(peer)
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    print(f"{row}| {ms(statistics.median(a))} / {ms(statistics.mean(a))} | {ms(statistics.median(b))} / {ms(statistics.mean(b))} "
          f"| {statistics.median(b) / statistics.median(a):.2f}x, {statistics.mean(b) / statistics.mean(a):.2f}x "
          f"| {statistics.median(ratios):.2f}x ({quartiles[0]:.2f}-{quartiles[2]:.2f}; {min(ratios):.2f}-{max(ratios):.2f}), "
          f"{len(ratios)} |")


def ms(seconds):
    return f"{seconds * 1000:.1f}"


if __name__ == "__main__":
    main()
