"""The FashionMnist.Baselines models in PyTorch, for weights interchange with the .NET library.

Each class builds the same architecture as its C# counterpart (src/FashionMnist.Baselines/Models) with the same
state-dict keys, shapes and buffers (BatchNorm's running statistics and num_batches_tracked), so that

    model = create("resnet-20")
    model.load_state_dict(torch.load("resnet20.pt", weights_only=True), strict=True)

loads a file written by `fmb export ... --output FILE.pt` (or `StateDictFile.Save` / `SaveWeights` of the
FashionMnist.Baselines.PyTorch package), and `torch.save(model.state_dict())` writes one the library loads
(`fmb evaluate FILE.pt --model NAME`, `StateDictFile.LoadModel`). Put the repository's python/ folder on the path
(`PYTHONPATH=python`, or copy the fashion_mnist_baselines folder next to your script); safetensors files load with
the pip package `safetensors` (`safetensors.torch.load_file`). Inputs are [N, 1, 28, 28] float pixels scaled to [0, 1] and normalised as the model was
trained (the model card or ONNX metadata says how). Works with PyTorch 1.13 (Debian 12's python3-torch) and later.
"""
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

# (momentum, eps) in PyTorch terms: Keras' defaults (the seed CNN's and MobileNet's) and PyTorch's.
KERAS_BATCHNORM = (0.01, 1e-3)
PYTORCH_BATCHNORM = (0.1, 1e-5)

MODEL_NAMES = [
    "cnn", "cnn-torchbn",
    "mobilenet", "mobilenet-0.75", "mobilenet-0.5", "mobilenet-0.25",
    "mobilenet-28", "mobilenet-28-0.75", "mobilenet-28-0.5", "mobilenet-28-0.25",
    "wrn-16-4", "wrn-16-8", "wrn-28-10", "wrn-40-4",
    "resnet-20", "resnet-32", "resnet-44", "resnet-56", "resnet-110",
    "resnet9-32", "resnet9-64",
]


class SeedCnn(nn.Module):
    """The seed CNN: 4 conv 3x3 (32, 32, 64, 64), dense 128 + BatchNorm, dropout 0.25/0.25/0.5 (468,074 parameters)."""

    def __init__(self, channels=1, height=28, width=28, classes=10, batchnorm=KERAS_BATCHNORM):
        super().__init__()
        momentum, eps = batchnorm
        self.features = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(channels, 32, 3, padding=1)), ("relu1", nn.ReLU()),
            ("conv2", nn.Conv2d(32, 32, 3, padding=1)), ("relu2", nn.ReLU()),
            ("pool1", nn.MaxPool2d(2)), ("drop1", nn.Dropout(0.25)),
            ("conv3", nn.Conv2d(32, 64, 3, padding=1)), ("relu3", nn.ReLU()),
            ("conv4", nn.Conv2d(64, 64, 3, padding=1)), ("relu4", nn.ReLU()),
            ("pool2", nn.MaxPool2d(2)), ("drop2", nn.Dropout(0.25)),
        ]))
        self.classifier = nn.Sequential(OrderedDict([
            ("flatten", nn.Flatten()),
            ("dense1", nn.Linear(64 * (height // 4) * (width // 4), 128)), ("relu5", nn.ReLU()),
            ("bn", nn.BatchNorm1d(128, eps=eps, momentum=momentum)), ("drop3", nn.Dropout(0.5)),
            ("dense2", nn.Linear(128, classes)),
        ]))

    def forward(self, x):
        return self.classifier(self.features(x))


class ResNetBlock(nn.Module):
    """Post-activation residual block: basic (two 3x3) or bottleneck (1x1, 3x3, 1x1 with 4x expansion)."""

    def __init__(self, in_channels, planes, stride, bottleneck):
        super().__init__()
        out_channels = planes * (4 if bottleneck else 1)
        if bottleneck:
            self.body = nn.Sequential(OrderedDict([
                ("conv1", nn.Conv2d(in_channels, planes, 1, bias=False)), ("bn1", nn.BatchNorm2d(planes)), ("relu1", nn.ReLU()),
                ("conv2", nn.Conv2d(planes, planes, 3, stride, 1, bias=False)), ("bn2", nn.BatchNorm2d(planes)), ("relu2", nn.ReLU()),
                ("conv3", nn.Conv2d(planes, out_channels, 1, bias=False)), ("bn3", nn.BatchNorm2d(out_channels)),
            ]))
        else:
            self.body = nn.Sequential(OrderedDict([
                ("conv1", nn.Conv2d(in_channels, planes, 3, stride, 1, bias=False)), ("bn1", nn.BatchNorm2d(planes)), ("relu1", nn.ReLU()),
                ("conv2", nn.Conv2d(planes, planes, 3, 1, 1, bias=False)), ("bn2", nn.BatchNorm2d(planes)),
            ]))
        self.downsample = (nn.Sequential(OrderedDict([
            ("0", nn.Conv2d(in_channels, out_channels, 1, stride, bias=False)), ("1", nn.BatchNorm2d(out_channels)),
        ])) if stride != 1 or in_channels != out_channels else None)

    def forward(self, x):
        residual = x if self.downsample is None else self.downsample(x)
        return F.relu(self.body(x) + residual)


class CifarResNet(nn.Module):
    """CIFAR-style ResNet-depth (6n+2): 16/32/64 channels, bottleneck blocks from depth 44, as the Random Erasing reference."""

    def __init__(self, depth, channels=1, classes=10):
        super().__init__()
        if depth < 8 or (depth - 2) % 6:
            raise ValueError(f"A CIFAR ResNet's depth is 6n+2 with n >= 1; got {depth}")
        n, bottleneck = (depth - 2) // 6, depth >= 44
        expansion = 4 if bottleneck else 1
        self.stem = nn.Sequential(OrderedDict([
            ("conv1", nn.Conv2d(channels, 16, 3, 1, 1, bias=False)), ("bn1", nn.BatchNorm2d(16)), ("relu", nn.ReLU()),
        ]))
        width = 16

        def stage(planes, stride):
            nonlocal width
            blocks = []
            for i in range(n):
                blocks.append((str(i), ResNetBlock(width, planes, stride if i == 0 else 1, bottleneck)))
                width = planes * expansion
            return nn.Sequential(OrderedDict(blocks))

        self.layer1, self.layer2, self.layer3 = stage(16, 1), stage(32, 2), stage(64, 2)
        self.fc = nn.Linear(64 * expansion, classes)

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.stem(x))))
        return self.fc(x.mean((2, 3)))


class WideBasicBlock(nn.Module):
    """Pre-activation Wide ResNet block: BN-ReLU, conv (stride s), BN-ReLU, dropout, conv, plus a 1x1 projection when the width changes."""

    def __init__(self, in_channels, out_channels, stride, dropout):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.shortcut = nn.Conv2d(in_channels, out_channels, 1, stride, bias=False) if in_channels != out_channels else None
        self.dropout = dropout

    def forward(self, x):
        activated = F.relu(self.bn1(x))
        out = F.relu(self.bn2(self.conv1(activated)))
        if self.dropout > 0:
            out = F.dropout(out, self.dropout, self.training)
        out = self.conv2(out)
        return out + (x if self.shortcut is None else self.shortcut(activated))


class WideResNet(nn.Module):
    """WRN-depth-widen (6n+4) as in the Random Erasing reference."""

    def __init__(self, depth, widen, dropout=0.0, channels=1, classes=10):
        super().__init__()
        if depth < 10 or (depth - 4) % 6:
            raise ValueError(f"A Wide ResNet's depth is 6n+4 with n >= 1; got {depth}")
        n, widths = (depth - 4) // 6, [16, 16 * widen, 32 * widen, 64 * widen]
        self.conv1 = nn.Conv2d(channels, widths[0], 3, 1, 1, bias=False)

        def stage(in_channels, out_channels, stride):
            return nn.Sequential(OrderedDict(
                (str(i), WideBasicBlock(in_channels if i == 0 else out_channels, out_channels, stride if i == 0 else 1, dropout))
                for i in range(n)))

        self.block1 = stage(widths[0], widths[1], 1)
        self.block2 = stage(widths[1], widths[2], 2)
        self.block3 = stage(widths[2], widths[3], 2)
        self.bn = nn.BatchNorm2d(widths[3])
        self.fc = nn.Linear(widths[3], classes)

    def forward(self, x):
        x = self.block3(self.block2(self.block1(self.conv1(x))))
        return self.fc(F.relu(self.bn(x)).mean((2, 3)))


BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
          (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]


class MobileNetV1(nn.Module):
    """MobileNet v1 with width multiplier alpha, Keras BatchNorm; resized=True is the seed's 28x28 -> 3x56x56 inside the model."""

    def __init__(self, alpha=1.0, resized=True, channels=1, classes=10, batchnorm=KERAS_BATCHNORM):
        super().__init__()
        if not 0 < alpha <= 1:
            raise ValueError(f"The width multiplier alpha must be in (0, 1]; got {alpha}")
        momentum, eps = batchnorm
        self.resized = resized

        def width(c):
            return int(c * alpha)

        def bn(c):
            return nn.BatchNorm2d(c, eps=eps, momentum=momentum)

        layers = [
            ("conv", nn.Conv2d(3 if resized else channels, width(32), 3, 2 if resized else 1, 1, bias=False)),
            ("conv_bn", bn(width(32))), ("conv_relu", nn.ReLU6()),
        ]
        c = width(32)
        for i, (out, stride) in enumerate(BLOCKS, start=1):
            out = width(out)
            layers += [
                (f"block{i}_dw", nn.Conv2d(c, c, 3, stride, 1, groups=c, bias=False)), (f"block{i}_dw_bn", bn(c)),
                (f"block{i}_dw_relu", nn.ReLU6()),
                (f"block{i}_pw", nn.Conv2d(c, out, 1, bias=False)), (f"block{i}_pw_bn", bn(out)), (f"block{i}_pw_relu", nn.ReLU6()),
            ]
            c = out
        layers += [("pool", nn.AdaptiveAvgPool2d(1)), ("flatten", nn.Flatten())]
        self.features = nn.Sequential(OrderedDict(layers))
        self.dropout = nn.Dropout(0.25)
        self.classifier = nn.Linear(c, classes)

    def forward(self, x):
        if self.resized:
            x = F.interpolate(x, size=(56, 56), mode="bilinear", align_corners=False)
            if x.shape[1] == 1:
                x = x.expand(-1, 3, -1, -1)
        return self.classifier(self.dropout(self.features(x)))


def _conv_unit(in_channels, out_channels, pool):
    modules = [("conv", nn.Conv2d(in_channels, out_channels, 3, 1, 1, bias=False))]
    if pool:
        modules.append(("pool", nn.MaxPool2d(2, ceil_mode=True)))
    modules += [("bn", nn.BatchNorm2d(out_channels)), ("relu", nn.ReLU())]
    return nn.Sequential(OrderedDict(modules))


class ResNet9(nn.Module):
    """Page's DAWNBench ResNet-9 sized for 28x28 (widths w, 2w, 4w, 8w; pools before BatchNorm, rounding up: 7 -> 4)."""

    def __init__(self, width, channels=1, classes=10):
        super().__init__()
        self.prep = _conv_unit(channels, width, False)
        self.layer1 = _conv_unit(width, 2 * width, True)
        self.residual1 = nn.Sequential(OrderedDict([("res1", _conv_unit(2 * width, 2 * width, False)), ("res2", _conv_unit(2 * width, 2 * width, False))]))
        self.layer2 = _conv_unit(2 * width, 4 * width, True)
        self.layer3 = _conv_unit(4 * width, 8 * width, True)
        self.residual3 = nn.Sequential(OrderedDict([("res1", _conv_unit(8 * width, 8 * width, False)), ("res2", _conv_unit(8 * width, 8 * width, False))]))
        self.fc = nn.Linear(8 * width, classes, bias=False)

    def forward(self, x):
        x = self.layer1(self.prep(x))
        x = x + self.residual1(x)
        x = self.layer3(self.layer2(x))
        x = x + self.residual3(x)
        return self.fc(x.amax((2, 3))) * 0.125


def create(name, classes=10):
    """The model a registry name denotes (the names of `fmb models`, and mobilenet[-28]-<alpha>, wrn-d-k, resnet-d, resnet9-w)."""
    if name in ("cnn", "cnn-torchbn"):
        return SeedCnn(classes=classes, batchnorm=KERAS_BATCHNORM if name == "cnn" else PYTORCH_BATCHNORM)
    if name.startswith("mobilenet"):
        rest = name[len("mobilenet"):]
        resized = not rest.startswith("-28")
        rest = rest[3:] if not resized else rest
        alpha = float(rest[1:]) if rest else 1.0
        return MobileNetV1(alpha=alpha, resized=resized, classes=classes)
    if name.startswith("wrn-"):
        depth, widen = (int(p) for p in name[4:].split("-"))
        return WideResNet(depth, widen, classes=classes)
    if name.startswith("resnet-"):
        return CifarResNet(int(name[7:]), classes=classes)
    if name.startswith("resnet9-") and name[8:].isdigit() and int(name[8:]) >= 1:
        return ResNet9(int(name[8:]), classes=classes)
    raise ValueError(f"Unknown model '{name}'. Valid names: {', '.join(MODEL_NAMES)}")


if __name__ == "__main__":
    for model_name in MODEL_NAMES:
        model = create(model_name)
        print(model_name, sum(p.numel() for p in model.parameters() if p.requires_grad))
