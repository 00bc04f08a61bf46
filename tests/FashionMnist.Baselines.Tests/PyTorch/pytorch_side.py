#!/usr/bin/python3
"""The PyTorch side of the interchange tests (StateDictInterchangeTests), with the definitions users get in
python/fashion_mnist_baselines. Debian 12's python3-torch (PyTorch 1.13).

    pytorch_side.py logits MODEL WEIGHTS pytorch|safetensors IMAGES OUT
        loads WEIGHTS with torch.load(weights_only=True) (or reads the safetensors file by its documented layout:
        an 8-byte little-endian header size, a JSON header, raw little-endian data), load_state_dict(strict=True),
        and saves {"logits": model(images)} of IMAGES ({"images": float tensor}) to OUT
    pytorch_side.py keys MODEL...
        prints, as JSON, each model's state-dict keys with their shapes and dtypes
    pytorch_side.py train MODEL DATA_DIR WEIGHTS PREDICTIONS
        trains MODEL one epoch on the first 2,000 training images (seed 0, Adam), saves torch.save(model.state_dict())
        to WEIGHTS and {"predicted": labels} for the 10,000 test images to PREDICTIONS; prints the test accuracy
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

from fashion_mnist_baselines import create

# The library's recipe normalisation per model: none for the seed CNN, Fashion-MNIST's statistics for ResNet-20.
NORMALIZATION = {"cnn": (0.0, 1.0), "resnet-20": (0.2860, 0.3530)}


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    dtypes = {"F32": np.float32, "I64": np.int64, "F64": np.float64, "I32": np.int32}
    state = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=dtypes[entry["dtype"]]).reshape(entry["shape"])
        state[name] = torch.from_numpy(array.copy())
    return state


def load_part(directory, part):
    prefix = "train" if part == "train" else "t10k"
    with gzip.open(f"{directory}/{prefix}-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    with gzip.open(f"{directory}/{prefix}-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return torch.from_numpy(images.copy()), torch.from_numpy(labels.astype(np.int64))


def normalize(name, images):
    mean, std = NORMALIZATION[name]
    return (images.float() / 255 - mean) / std


def logits(name, weights, file_format, images_path, out):
    model = create(name)
    state = torch.load(weights, weights_only=True) if file_format == "pytorch" else read_safetensors(weights)
    model.load_state_dict(state, strict=True)
    model.eval()
    images = torch.load(images_path, weights_only=True)["images"]
    with torch.no_grad():
        torch.save({"logits": model(images)}, out)


def train(name, directory, weights, predictions):
    torch.manual_seed(0)
    torch.set_num_threads(2)
    images, labels = load_part(directory, "train")
    images, labels = normalize(name, images[:2000]), labels[:2000]
    model = create(name)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for start in range(0, 2000, 64):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images[start:start + 64]), labels[start:start + 64])
        loss.backward()
        optimizer.step()
    torch.save(model.state_dict(), weights)
    test_images, test_labels = load_part(directory, "test")
    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(normalize(name, test_images[i:i + 500])).argmax(1) for i in range(0, 10000, 500)])
    torch.save({"predicted": predicted}, predictions)
    print(f"accuracy {(predicted == test_labels).float().mean().item():.4f}")


def keys(*names):
    print(json.dumps({name: [[key, list(value.shape), str(value.dtype).replace("torch.", "")]
                             for key, value in create(name).state_dict().items()] for name in names}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "logits":
        logits(*args)
    elif command == "keys":
        keys(*args)
    elif command == "train":
        train(*args)
    else:
        sys.exit(f"unknown command {command}")
