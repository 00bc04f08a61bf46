"""PyTorch's side of `Bench bf16-conv`: bfloat16 convolutions against float64 for the same 108 shapes, standard
layout and channels-last; relative L2 error of the output and of the input gradient, "BAD" over 0.01.
Usage: /usr/bin/python3 bench/bf16_conv_check.py"""
import itertools

import torch


def error(actual, wanted):
    return ((actual.double() - wanted).norm() / wanted.norm()).item()


def main():
    torch.manual_seed(3)
    bad = {"standard": 0, "channels-last": 0}
    shapes = 0
    for inputs, outputs, kernel, stride in itertools.product([2, 3, 4, 6, 8, 12, 16, 24, 32], [8, 16, 32], [1, 3], [1, 2]):
        shapes += 1
        x = torch.randn(32, inputs, 28, 28)
        w = torch.randn(outputs, inputs, kernel, kernel) * 0.2

        def conv(i, k):
            return torch.nn.functional.conv2d(i, k, stride=stride, padding=kernel // 2)

        x64 = x.double().requires_grad_()
        y64 = conv(x64, w.double())
        g = torch.randn(y64.shape)
        y64.backward(g.double())
        line = []
        for name, layout in (("standard", torch.contiguous_format), ("channels-last", torch.channels_last)):
            xb = x.bfloat16().contiguous(memory_format=layout).requires_grad_()
            y = conv(xb, w.bfloat16().contiguous(memory_format=layout))
            y.backward(g.bfloat16().contiguous(memory_format=layout))
            out, grad = error(y, y64), error(xb.grad, x64.grad)
            is_bad = not (out < 0.01 and grad < 0.01)
            bad[name] += is_bad
            line.append(f"{name} output {out:.4f} input-gradient {grad:.4f}{' BAD' if is_bad else ''}")
        print(f"in={inputs} out={outputs} kernel={kernel} stride={stride}: " + "; ".join(line))
    print(f"RESULT pytorch {torch.__version__} bf16-conv shapes={shapes} bad_standard={bad['standard']} "
          f"bad_channels_last={bad['channels-last']} threads={torch.get_num_threads()}")


if __name__ == "__main__":
    main()
