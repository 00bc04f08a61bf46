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
import resource
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import peer_config


def load_train(directory="/usr/share/datasets/fashion-mnist"):
    with gzip.open(f"{directory}/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(f"{directory}/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.from_numpy(images.copy()), torch.from_numpy(labels.astype(np.int64))


class SeedCnn(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(0.25),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
            nn.MaxPool2d(2), nn.Dropout(0.25))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.BatchNorm1d(128, eps=1e-3, momentum=0.01),
            nn.Dropout(0.5), nn.Linear(128, classes))

    def forward(self, x):
        return self.classifier(self.features(x))


class WideBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride, bias=False) if cin != cout else None

    def forward(self, x):
        a = F.relu(self.bn1(x))
        out = self.conv2(F.relu(self.bn2(self.conv1(a))))
        return out + (x if self.shortcut is None else self.shortcut(a))


class WideResNet(nn.Module):
    def __init__(self, depth, k, classes=10):
        super().__init__()
        n, w = (depth - 4) // 6, [16, 16 * k, 32 * k, 64 * k]
        self.conv1 = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        stages = []
        for i, stride in enumerate([1, 2, 2]):
            stages += [WideBlock(w[i] if j == 0 else w[i + 1], w[i + 1], stride if j == 0 else 1) for j in range(n)]
        self.blocks = nn.Sequential(*stages)
        self.bn, self.fc = nn.BatchNorm2d(w[3]), nn.Linear(w[3], classes)

    def forward(self, x):
        x = F.relu(self.bn(self.blocks(self.conv1(x))))
        return self.fc(x.mean((2, 3)))


class MobileNetV1(nn.Module):
    def __init__(self, classes=10, resized=True):
        super().__init__()
        self.resized = resized
        layers = [nn.Conv2d(3 if resized else 1, 32, 3, 2 if resized else 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU6()]
        c = 32
        for out, s in [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]:
            layers += [nn.Conv2d(c, c, 3, s, 1, groups=c, bias=False), nn.BatchNorm2d(c), nn.ReLU6(),
                       nn.Conv2d(c, out, 1, bias=False), nn.BatchNorm2d(out), nn.ReLU6()]
            c = out
        self.features = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.dropout, self.fc = nn.Dropout(0.25), nn.Linear(c, classes)

    def forward(self, x):
        if self.resized:
            x = F.interpolate(x, size=(56, 56), mode="bilinear", align_corners=False).expand(-1, 3, -1, -1)
        return self.fc(self.dropout(self.features(x)))


class ResBlock(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(cin, planes, 3, stride, 1, bias=False), nn.BatchNorm2d(planes), nn.ReLU(),
                                  nn.Conv2d(planes, planes, 3, 1, 1, bias=False), nn.BatchNorm2d(planes))
        self.down = (nn.Sequential(nn.Conv2d(cin, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))
                     if stride != 1 or cin != planes else None)

    def forward(self, x):
        return F.relu(self.body(x) + (x if self.down is None else self.down(x)))


class ResNet20(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        layers, c = [nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()], 16
        for planes, stride in [(16, 1), (32, 2), (64, 2)]:
            for j in range(3):
                layers.append(ResBlock(c, planes, stride if j == 0 else 1))
                c = planes
        self.body, self.fc = nn.Sequential(*layers), nn.Linear(64, classes)

    def forward(self, x):
        return self.fc(self.body(x).mean((2, 3)))


MODELS = {
    "cnn": SeedCnn, "wrn-16-4": lambda: WideResNet(16, 4), "mobilenet": MobileNetV1,
    "mobilenet-28": lambda: MobileNetV1(resized=False), "resnet-20": ResNet20,
}


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
            model(x).argmax(1)
    infer_speed = args.images / (time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
    print(peer_config.config_line(memory_format=str(layout).replace("torch.", "")))
    print(f"RESULT pytorch model={args.model} batch={args.batch} optimizer={args.optimizer} train_img_s={train_speed:.1f} "
          f"infer_img_s={infer_speed:.1f} peak_rss_mb={peak:.0f} threads={torch.get_num_threads()} "
          f"torch={torch.__version__} keep_freed_memory={args.keep_freed_memory} channels_last={args.channels_last}")


if __name__ == "__main__":
    main()
