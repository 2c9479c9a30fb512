#!/usr/bin/python3
"""PyTorch twin of the project's default CNN (CnnFactory with reference.conf's tess.model), for the training
benchmark. Adapted from ../shared/bench/torch_cnn.py to the project's network:

  3 x [conv 3x3 "same" (16, 32, 32 filters) + ReLU + max-pool 2x2] - dense 64 + ReLU - dense 2 (softmax),
  Adam(lr 1e-3) with L2 1e-4 on the weights (weight_decay; DL4J adds l2 * w to the gradient the same way),
  He-normal init for the convolutions and the hidden dense layer, Xavier for the output (as DL4J).

It trains on the very samples the Java benchmark trained on (written by TrainingBench as raw float32/int8 files),
in the same batch size and order, and prints samples per second after warm-up.

Usage: torch_twin.py X.f32 Y.i8 --size 128 --batch 32 --threads 2 --epochs 3
Needs Debian's python3-torch (run with /usr/bin/python3).
"""
import argparse
import time

import numpy as np
import torch
from torch import nn

ap = argparse.ArgumentParser()
ap.add_argument("x")
ap.add_argument("y")
ap.add_argument("--size", type=int, default=128)
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--filters", default="16,32,32")
ap.add_argument("--dense", type=int, default=64)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(42)
s = a.size
x = torch.from_numpy(np.fromfile(a.x, dtype="<f4").reshape(-1, 1, s, s).copy())
y = torch.from_numpy(np.fromfile(a.y, dtype=np.int8).astype(np.int64))
assert len(x) == len(y), (len(x), len(y))

layers, channels, side = [], 1, s
for f in [int(v) for v in a.filters.split(",")]:
    layers += [nn.Conv2d(channels, f, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    channels, side = f, side // 2
layers += [nn.Flatten(), nn.Linear(channels * side * side, a.dense), nn.ReLU(), nn.Linear(a.dense, 2)]
net = nn.Sequential(*layers)
for m in net:
    if isinstance(m, (nn.Conv2d, nn.Linear)):
        nn.init.zeros_(m.bias)
        if m is layers[-1]:
            nn.init.xavier_normal_(m.weight)
        else:
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
opt = torch.optim.Adam(net.parameters(), 1e-3, weight_decay=1e-4)
loss_fn = nn.CrossEntropyLoss()
batches = [(x[i:i + a.batch], y[i:i + a.batch]) for i in range(0, len(x) - a.batch + 1, a.batch)]

def epoch():
    for bx, by in batches:
        opt.zero_grad()
        loss = loss_fn(net(bx), by)
        loss.backward()
        opt.step()
    return loss.item()

for bx, by in batches[:5]:  # warm-up
    opt.zero_grad()
    loss_fn(net(bx), by).backward()
    opt.step()
t0 = time.perf_counter()
for _ in range(a.epochs):
    last = epoch()
dt = time.perf_counter() - t0
n = a.epochs * len(batches) * a.batch
print(f"samples_per_s={n / dt:.1f} threads={a.threads} size={s} batch={a.batch} samples={n} last_loss={last:.4f}")
