#!/usr/bin/python3
"""PyTorch reference for bench/run.sh: the same models, batches and optimizers as the .NET benchmark.

Uses Debian's python3-torch (PyTorch 1.13) and the real Fashion-MNIST from /usr/share/datasets/fashion-mnist.
Prints one 'RESULT pytorch ...' line per run, in the format of bench/Bench, after a 'PEER ...' line with PyTorch's
configuration (bench/peer_config.py; the script refuses to run on Debian's reference BLAS).

    /usr/bin/python3 bench/pytorch_reference.py cnn --batch 100 --optimizer sgd [--images 3000] [--keep-freed-memory]
        [--channels-last]
"""
import argparse
import ctypes
import gzip
import math
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import peer_config

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from fashion_mnist_baselines import create  # noqa: E402


def load_train(directory="/usr/share/datasets/fashion-mnist"):
    with gzip.open(f"{directory}/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(f"{directory}/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.from_numpy(images.copy()), torch.from_numpy(labels.astype(np.int64))


# The models are the library's own PyTorch definitions (python/fashion_mnist_baselines, the same key names and
# BatchNorm settings as the C# models), so the benchmarks compare the same networks users exchange weights with.
MODELS = {name: (lambda name=name: create(name)) for name in ["cnn", "wrn-16-4", "mobilenet", "mobilenet-28", "resnet-20"]}


def ResNet20():
    return create("resnet-20")



def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", choices=sorted(MODELS))
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--optimizer", choices=["sgd", "adam", "adadelta"], default="sgd")
    parser.add_argument("--images", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep-freed-memory", action="store_true",
                        help="the same glibc mallopt tuning that FashionMnist.Baselines' NativeAllocator applies")
    parser.add_argument("--channels-last", action="store_true",
                        help="model (and so every activation) in torch.channels_last, as TrainerOptions.ChannelsLast")
    parser.add_argument("--autocast", choices=["fp32", "bf16"], default="fp32",
                        help="bf16: forward and loss under torch.autocast('cpu', dtype=torch.bfloat16), as a PyTorch user "
                             "gets bfloat16 on a CPU (training and the inference pass)")
    parser.add_argument("--batch-times", metavar="FILE",
                        help="write the time.monotonic() second at which each measured training batch ended, one per "
                             "line (for bench/lockstep.py)")
    args = parser.parse_args()
    if args.images < 3 * args.batch:
        parser.error(f"--images {args.images} is fewer than the three batches of the warm-up ({3 * args.batch})")
    peer_config.require_fast_blas()  # exits 3 on the reference BLAS: the peer's Linear layers would be far too slow
    if args.keep_freed_memory:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 2**31 - 1)
        libc.mallopt(-1, 2**31 - 1)
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    images, labels = load_train()
    images, labels = images[:args.images], labels[:args.images]
    mean, std = 0.2860, 0.3530
    model = MODELS[args.model]()
    layout = torch.channels_last if args.channels_last else torch.contiguous_format
    model = model.to(memory_format=layout)
    optimizer = {"sgd": lambda p: torch.optim.SGD(p, 0.01, momentum=0.9),
                 "adam": lambda p: torch.optim.Adam(p, 1e-3),
                 "adadelta": lambda p: torch.optim.Adadelta(p, 1.0, rho=0.95, eps=1e-7)}[args.optimizer](model.parameters())

    batch_ends = []
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.autocast == "bf16")

    def epoch(count):
        batch_ends.clear()
        model.train()
        order = torch.randperm(count)
        batches = count // args.batch
        start = time.perf_counter()
        for b in range(batches):
            index = order[b * args.batch:(b + 1) * args.batch]
            x = ((images[index].float() / 255 - mean) / std).contiguous(memory_format=layout)
            y = labels[index]
            optimizer.zero_grad()
            with autocast:
                loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            loss.item()
            batch_ends.append(time.monotonic())
        return batches * args.batch / (time.perf_counter() - start)

    epoch(args.batch * 3)  # warm-up, as bench/Bench does
    train_speed = epoch(args.images)
    if args.batch_times:
        with open(args.batch_times, "w") as f:
            f.writelines(f"{t:.6f}\n" for t in batch_ends)

    model.eval()
    start = time.perf_counter()
    with torch.no_grad():
        for b in range(math.ceil(args.images / 250)):
            x = ((images[b * 250:(b + 1) * 250].float() / 255 - mean) / std).contiguous(memory_format=layout)
            with autocast:
                model(x).argmax(1)
    infer_speed = args.images / (time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(peer_config.config_line(memory_format=str(layout).replace("torch.", "")))
    print(f"RESULT pytorch model={args.model} batch={args.batch} optimizer={args.optimizer} train_img_s={train_speed:.1f} "
          f"infer_img_s={infer_speed:.1f} peak_rss_mb={peak:.0f} threads={torch.get_num_threads()} "
          f"torch={torch.__version__} keep_freed_memory={args.keep_freed_memory} channels_last={args.channels_last} "
          f"precision={args.autocast}")


if __name__ == "__main__":
    main()
