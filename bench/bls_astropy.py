#!/usr/bin/python3
"""astropy's BoxLeastSquares on a light curve and grid written by the Java side (BlsComparison), for the agreement
test and the speed benchmark. Run with OMP_NUM_THREADS=1 for one core (astropy's BLS may be built with OpenMP).

Usage: bls_astropy.py DIR [--repeat N]
DIR holds little-endian float64 files time, flux, err, periods, durations and a file `oversample` (an integer).
Writes DIR/astropy-power, DIR/astropy-depth, DIR/astropy-duration, DIR/astropy-epoch (float64) and prints one line
of JSON: seconds (best of N), the best period and its power. Needs Debian's python3-astropy.
"""
import json
import sys
import time

import numpy as np
from astropy.timeseries import BoxLeastSquares

d = sys.argv[1]
repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
load = lambda name: np.fromfile(f"{d}/{name}", dtype="<f8")
t, y, dy, periods, durations = (load(n) for n in ("time", "flux", "err", "periods", "durations"))
oversample = int(open(f"{d}/oversample").read())
model = BoxLeastSquares(t, y, dy)
best = None
for _ in range(repeat):
    t0 = time.perf_counter()
    r = model.power(periods, durations, oversample=oversample, objective="likelihood", method="fast")
    dt = time.perf_counter() - t0
    best = dt if best is None else min(best, dt)
for name, values in (("power", r.power), ("depth", r.depth), ("duration", r.duration), ("epoch", r.transit_time)):
    np.asarray(values, dtype="<f8").tofile(f"{d}/astropy-{name}")
i = int(np.argmax(r.power))
print(json.dumps({"seconds": best, "best_period": float(periods[i]), "best_power": float(r.power[i]),
                  "best_epoch": float(r.transit_time[i]), "best_duration": float(r.duration[i])}))
