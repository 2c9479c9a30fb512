#!/usr/bin/python3
"""PyTorch twin of the vetter network (VetterNetwork.Settings.defaults()), for the vetter benchmark:

  global view (201 bins): 3 blocks of [conv1d k5 "same" + ReLU, conv1d k5 "same" + ReLU, max-pool 3 stride 2],
      filters 8, 16, 32;
  local, secondary, odd, even views (61 bins each): 2 blocks, filters 8, 16;
  the five flattened and joined with the scalar features (SignalViews.SCALARS, as many as VetterBench wrote: the
      file's size over the samples'), dense 64 + ReLU, dense 32 + ReLU, dense 3 (softmax),
  Adam(lr 1e-3), L2 1e-4.

"same" pooling with stride 2 keeps ceil(n / 2) bins, as DL4J's ConvolutionMode.Same. It trains on the very
samples VetterBench wrote (vetter-<input>.f32, vetter-y.i8), in the same batch size and order, and prints samples
per second after a warm-up epoch.

Usage: torch_vetter_twin.py DIR --batch 32 --threads 2 --epochs 3
"""
import argparse
import math
import time

import numpy as np
import torch
from torch import nn

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--epochs", type=int, default=3)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(42)
y = torch.from_numpy(np.fromfile(f"{a.dir}/vetter-y.i8", dtype=np.int8).astype(np.int64))
# the scalars' count follows the Java side's feature list (it has grown since this twin was written)
SCALARS = np.fromfile(f"{a.dir}/vetter-scalars.f32", dtype="<f4").size // len(y)
INPUTS = [("global", 201), ("local", 61), ("secondary", 61), ("odd", 61), ("even", 61), ("scalars", SCALARS)]
xs = []
for name, width in INPUTS:
    x = np.fromfile(f"{a.dir}/vetter-{name}.f32", dtype="<f4").reshape(-1, width)
    xs.append(torch.from_numpy(x.reshape(-1, 1, width).copy() if name != "scalars" else x.copy()))


def column(filters, bins):
    layers, cin = [], 1
    for f in filters:
        layers += [nn.Conv1d(cin, f, 5, padding=2), nn.ReLU(), nn.Conv1d(f, f, 5, padding=2), nn.ReLU(),
                   nn.MaxPool1d(3, 2, padding=1)]
        cin = f
        bins = math.ceil(bins / 2)
    return nn.Sequential(*layers, nn.Flatten()), filters[-1] * bins


class Vetter(nn.Module):
    def __init__(self):
        super().__init__()
        cols = [column([8, 16, 32], 201)] + [column([8, 16], 61) for _ in range(4)]
        self.cols = nn.ModuleList(c for c, _ in cols)
        width = sum(w for _, w in cols) + SCALARS
        self.dense = nn.Sequential(nn.Linear(width, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 3))

    def forward(self, views):
        return self.dense(torch.cat([c(v) for c, v in zip(self.cols, views[:5])] + [views[5]], dim=1))


net = Vetter()
opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
loss = nn.CrossEntropyLoss()
n = len(y)


def epoch():
    for i in range(0, n, a.batch):
        opt.zero_grad()
        out = net([x[i:i + a.batch] for x in xs])
        loss(out, y[i:i + a.batch]).backward()
        opt.step()


epoch()
t = time.perf_counter()
for _ in range(a.epochs):
    epoch()
s = time.perf_counter() - t
params = sum(p.numel() for p in net.parameters())
print(f"samples_per_s={n * a.epochs / s:.1f} samples={n} epochs={a.epochs} batch={a.batch} params={params}")
