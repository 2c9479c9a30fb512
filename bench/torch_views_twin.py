#!/usr/bin/python3
"""PyTorch twin of the AstroNet-kind views network (ViewsCnnFactory.Settings.astroNet(), after Shallue and
Vanderburg 2018), for the training benchmark:

  global view (2001 bins): 5 blocks of [conv1d k5 "same" + ReLU, conv1d k5 "same" + ReLU, max-pool 5 stride 2],
      filters 16, 32, 64, 128, 256;
  local view (201 bins): 2 blocks, filters 16, 32, max-pool 7 stride 2;
  both flattened and joined, 4 x dense 512 + ReLU, dense 3 (softmax), Adam(lr 1e-5).

"same" pooling with stride 2 keeps ceil(n / 2) bins, as DL4J's ConvolutionMode.Same (padding k // 2 here; padded
positions never win a max after a ReLU). He-normal init, Xavier for the output layer, zero biases (as DL4J).
It trains on the very samples TrainingBench wrote, in the same batch size and order, and prints samples per second
after warm-up.

Usage: torch_views_twin.py GLOBAL.f32 LOCAL.f32 Y.i8 --batch 32 --threads 2 --epochs 3
Needs Debian's python3-torch (run with /usr/bin/python3).
"""
import argparse
import time

import numpy as np
import torch
from torch import nn

ap = argparse.ArgumentParser()
ap.add_argument("glob")
ap.add_argument("loc")
ap.add_argument("y")
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--epochs", type=int, default=3)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(42)
G, L = 2001, 201
gx = torch.from_numpy(np.fromfile(a.glob, dtype="<f4").reshape(-1, 1, G).copy())
lx = torch.from_numpy(np.fromfile(a.loc, dtype="<f4").reshape(-1, 1, L).copy())
y = torch.from_numpy(np.fromfile(a.y, dtype=np.int8).astype(np.int64))
assert len(gx) == len(lx) == len(y)


def column(filters, pool, bins):
    layers, ch = [], 1
    for f in filters:
        layers += [nn.Conv1d(ch, f, 5, padding=2), nn.ReLU(), nn.Conv1d(f, f, 5, padding=2), nn.ReLU(),
                   nn.MaxPool1d(pool, stride=2, padding=pool // 2)]
        ch, bins = f, (bins + 1) // 2
    return nn.Sequential(*layers, nn.Flatten()), ch * bins


class Views(nn.Module):
    def __init__(self):
        super().__init__()
        self.g, gn = column([16, 32, 64, 128, 256], 5, G)
        self.l, ln = column([16, 32], 7, L)
        dense, n = [], gn + ln
        for _ in range(4):
            dense += [nn.Linear(n, 512), nn.ReLU()]
            n = 512
        self.out = nn.Linear(n, 3)
        self.dense = nn.Sequential(*dense)

    def forward(self, g, l):
        return self.out(self.dense(torch.cat([self.g(g), self.l(l)], 1)))


net = Views()
for m in net.modules():
    if isinstance(m, (nn.Conv1d, nn.Linear)):
        nn.init.zeros_(m.bias)
        if m is net.out:
            nn.init.xavier_normal_(m.weight)
        else:
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
opt = torch.optim.Adam(net.parameters(), 1e-5)
loss_fn = nn.CrossEntropyLoss()
batches = [(gx[i:i + a.batch], lx[i:i + a.batch], y[i:i + a.batch])
           for i in range(0, len(y) - a.batch + 1, a.batch)]


def step(bg, bl, by):
    opt.zero_grad()
    loss = loss_fn(net(bg, bl), by)
    loss.backward()
    opt.step()
    return loss.item()


for b in batches[:3]:  # warm-up
    step(*b)
t0 = time.perf_counter()
for _ in range(a.epochs):
    for b in batches:
        last = step(*b)
dt = time.perf_counter() - t0
n = a.epochs * len(batches) * a.batch
print(f"samples_per_s={n / dt:.1f} threads={a.threads} batch={a.batch} samples={n} last_loss={last:.4f}")
