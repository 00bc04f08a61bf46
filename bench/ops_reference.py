#!/usr/bin/python3
"""PyTorch side of `Bench ops`: BatchNorm (training mode) + residual add + ReLU, forward and backward, on a
128x16x28x28 activation (a ResNet-20 block's non-convolution work), NCHW and channels-last; 5 warm-up and 50 timed
repetitions, with the same malloc tuning as FashionMnist.Baselines' NativeAllocator; then one SGD step (momentum 0.9)
over ResNet-20's parameters.

    /usr/bin/python3 bench/ops_reference.py
Refuses to run on Debian's reference BLAS and prints a 'PEER ...' line with PyTorch's configuration
(bench/peer_config.py) before the RESULT lines.
"""
import ctypes
import os
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_config  # noqa: E402

libc = ctypes.CDLL("libc.so.6")
libc.mallopt(-3, 2**31 - 1)
libc.mallopt(-1, 2**31 - 1)
torch.set_num_threads(2)
peer_config.require_fast_blas()  # exits 3 on the reference BLAS, as every benchmark of the PyTorch peer
# Both layouts are measured below (NCHW first); each RESULT line says which by channels_last=.
print(peer_config.config_line(memory_format="contiguous_format,channels_last"))

for channels_last in (False, True):
    layout = torch.channels_last if channels_last else torch.contiguous_format
    x = torch.randn(128, 16, 28, 28).contiguous(memory_format=layout).requires_grad_()
    g = torch.randn(128, 16, 28, 28).contiguous(memory_format=layout)
    bn = nn.BatchNorm2d(16).to(memory_format=layout)

    def step():
        torch.relu(bn(x) + x).backward(g)

    for _ in range(5):
        step()
    start = time.perf_counter()
    for _ in range(50):
        step()
    ms = (time.perf_counter() - start) / 50 * 1000
    print(f"RESULT ops pytorch bn_add_relu_fwd_bwd shape=128x16x28x28 channels_last={channels_last} ms={ms:.2f}")

# The optimizer step alone: SGD with momentum 0.9 (as bench/pytorch_reference.py) over ResNet-20's parameters.
from pytorch_reference import ResNet20  # noqa: E402

model = ResNet20()
sgd = torch.optim.SGD(model.parameters(), 0.01, momentum=0.9)
torch.nn.functional.cross_entropy(model(torch.randn(128, 1, 28, 28)), torch.randint(0, 10, (128,))).backward()
for _ in range(5):
    sgd.step()
start = time.perf_counter()
for _ in range(50):
    sgd.step()
ms = (time.perf_counter() - start) / 50 * 1000
print(f"RESULT ops pytorch sgd_step model=resnet-20 tensors={len(list(model.parameters()))} ms={ms:.2f}")
