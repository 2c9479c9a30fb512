#!/usr/bin/python3
"""A TESS-like sector written independently of the project's SectorGenerator (astropy + numpy), to check that
photometry, search and vetting do not lean on one generator's habits: its own PSF (elongated Gaussian), sky level,
star counts (7 <= Tmag <= 16, more faint than bright), flags (momentum dumps 32, scattered light 4096 at each
orbit's start, with a sky ramp and a gradient across the CCD), a slow pointing drift, its own transit shape
(rounded trapezoid), binaries with secondaries, sinusoidal variables, NaN pixels. FFI layout: header-only primary
(SECTOR, CAMERA, CCD), calibrated IMAGE (e-/s, TSTART, TSTOP, EXPOSURE, DQUALITY, TAN WCS), uncertainty IMAGE.

independent_sector.py OUT [--seed S] [--size 200] [--frames 1250] [--stars 300] [--psf 1.1] [--sky 250]
                          [--cadence 30] [--planets 6] [--binaries 4] [--variables 6]
Writes OUT/ffi/*.fits and OUT/truth.csv (id, ra, dec, x, y (zero-based), tmag, kind, period, epoch, depth, dur_h).
Planets (on isolated stars of Tmag 8.5-12.5) get a depth for an SNR of 20-60 over the sector (at least 0.2%).
Run with Debian's python: /usr/bin/python3.
"""
import argparse, os, csv
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS

ap = argparse.ArgumentParser()
ap.add_argument("out"); ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--size", type=int, default=200); ap.add_argument("--frames", type=int, default=1250)
ap.add_argument("--stars", type=int, default=300); ap.add_argument("--psf", type=float, default=1.1)
ap.add_argument("--sky", type=float, default=250.0); ap.add_argument("--cadence", type=float, default=30.0)
ap.add_argument("--planets", type=int, default=6); ap.add_argument("--binaries", type=int, default=4)
ap.add_argument("--variables", type=int, default=6)
a = ap.parse_args()
rng = np.random.default_rng(a.seed)
n = a.size
os.makedirs(a.out + "/ffi", exist_ok=True)

w = WCS(naxis=2)
w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
w.wcs.crpix = [n / 2 + 0.5, n / 2 + 0.5]
w.wcs.crval = [rng.uniform(0, 360), rng.uniform(-80, -20)]
rot = np.deg2rad(rng.uniform(0, 360))
s = 21.0 / 3600
w.wcs.cd = [[-s * np.cos(rot), s * np.sin(rot)], [s * np.sin(rot), s * np.cos(rot)]]

# stars: power law in brightness, keep them off the edges
m = a.stars
tmag = 7 + 9 * rng.power(2.5, m)          # more faint than bright, 7..16
x = rng.uniform(6, n - 7, m); y = rng.uniform(6, n - 7, m)
flux = 15000 * 10 ** (-0.4 * (tmag - 10))  # e-/s
kind = np.array(["constant"] * m, dtype=object)
period = np.zeros(m); epoch = np.zeros(m); depth = np.zeros(m); dur = np.zeros(m); amp2 = np.zeros(m)
# planets and binaries on isolated stars of Tmag 8.5-12.5
order = rng.permutation(m)
def isolated(i):
    d = np.hypot(x - x[i], y - y[i]); d[i] = 1e9
    bright = flux > 0.05 * flux[i]
    return d[bright].min() > 5
pick = [i for i in order if 8.5 < tmag[i] < 12.5 and isolated(i)]
t0 = 1600.0
span = a.frames * a.cadence / 1440
for j, i in enumerate(pick[:a.planets + a.binaries]):
    if j < a.planets:
        kind[i] = "planet"; period[i] = np.exp(rng.uniform(np.log(1.2), np.log(9)))
        dur[i] = 2.5 * (period[i] / 3) ** (1 / 3)
        # depth for an SNR of about 20-60 at this star's photon noise
        sig = np.sqrt(flux[i] * 1425 + 9 * np.pi * (a.sky * 1425 + 12 ** 2 * 712)) / (flux[i] * 1425)
        nin = span / period[i] * dur[i] * 60 / a.cadence
        depth[i] = rng.uniform(20, 60) * sig / np.sqrt(nin)
        depth[i] = min(max(depth[i], 0.002), 0.03)
    else:
        kind[i] = "binary"; period[i] = np.exp(rng.uniform(np.log(0.8), np.log(7)))
        dur[i] = 3.0 * (period[i] / 3) ** (1 / 3); depth[i] = rng.uniform(0.08, 0.4)
        amp2[i] = depth[i] * rng.uniform(0.1, 0.6)
    epoch[i] = t0 + rng.uniform(0, period[i])
var = [i for i in order if kind[i] == "constant" and tmag[i] < 13][:a.variables]
for i in var:
    kind[i] = "variable"; period[i] = np.exp(rng.uniform(np.log(0.3), np.log(10)))
    depth[i] = rng.uniform(0.003, 0.05); epoch[i] = t0 + rng.uniform(0, period[i])

def lc(i, t):
    k = kind[i]
    if k == "planet" or k == "binary":
        ph = ((t - epoch[i]) / period[i] + 0.5) % 1 - 0.5
        half = dur[i] / 24 / period[i] / 2
        # trapezoid with 20% ingress, limb-darkened-ish rounding
        z = np.abs(ph) / half
        f = np.where(z < 0.8, 1 - 0.3 * z ** 2 / 0.64, np.where(z < 1, (1 - z) / 0.2 * 0.7, 0))
        out = 1 - depth[i] * f / 1.0
        if k == "binary":
            ph2 = ((t - epoch[i]) / period[i]) % 1 - 0.5
            z2 = np.abs(ph2) / half
            out -= amp2[i] * np.clip(1 - z2, 0, 1)
        return out
    if k == "variable":
        return 1 + depth[i] * np.sin(2 * np.pi * (t - epoch[i]) / period[i])
    return np.ones_like(t)

cad = a.cadence / 1440
times = t0 + cad * np.arange(a.frames)
gap = (times > t0 + span / 2 - 0.5) & (times < t0 + span / 2 + 0.5)
times = times[~gap]
yy, xx = np.mgrid[0:n, 0:n]
exp_s = cad * 86400 * 0.8 * 0.99
drift = 0.15 * np.sin(2 * np.pi * (times - t0) / 13.7)
dump_every = 3.1
rel = np.array([lc(i, times) for i in range(m)])   # stars x frames
with open(a.out + "/truth.csv", "w", newline="") as f:
    wr = csv.writer(f); wr.writerow(["id", "ra", "dec", "x", "y", "tmag", "kind", "period", "epoch", "depth", "dur_h"])
    rd = w.wcs_pix2world(np.c_[x, y], 0)
    for i in range(m):
        wr.writerow([f"S{i}", rd[i, 0], rd[i, 1], x[i], y[i], round(tmag[i], 3), kind[i], period[i], epoch[i],
                     depth[i], dur[i]])
dumps = 0
for k, t in enumerate(times):
    q = 0
    dx = rng.normal(0, 0.03) + drift[k]; dy = rng.normal(0, 0.03) - 0.5 * drift[k]
    if (t - t0) % dump_every < cad:
        q |= 32; dx += 0.4; dumps += 1
    orbit_t = (t - t0) % (span / 2)
    sky = a.sky * (1 + (3 * np.exp(-orbit_t / 0.7) if orbit_t < 2 else 0))
    if orbit_t < 1.2:
        q |= 4096
    img = np.full((n, n), sky, dtype=np.float64)
    img += (sky - a.sky) * 0.5 * xx / n
    for i in range(m):
        cx, cy = x[i] + dx, y[i] + dy
        ix, iy = int(cx), int(cy)
        sl = (slice(max(iy - 6, 0), min(iy + 7, n)), slice(max(ix - 6, 0), min(ix + 7, n)))
        r2 = ((xx[sl] - cx) / (a.psf * 1.1)) ** 2 + ((yy[sl] - cy) / a.psf) ** 2
        img[sl] += flux[i] * rel[i, k] * np.exp(-r2 / 2) / (2 * np.pi * a.psf ** 2 * 1.1)
    e = rng.poisson(np.clip(img * exp_s, 0, None)) + rng.normal(0, 12 * np.sqrt(712), img.shape)
    cal = (e / exp_s).astype(np.float32)
    err = (np.sqrt(np.clip(img * exp_s, 0, None) + 144 * 712) / exp_s).astype(np.float32)
    bad = rng.integers(0, n, (3, 2)); cal[bad[:, 0], bad[:, 1]] = np.nan
    pri = fits.PrimaryHDU()
    pri.header["TELESCOP"] = "TESS"; pri.header["SECTOR"] = 40; pri.header["CAMERA"] = 3; pri.header["CCD"] = 2
    h = w.to_header()
    im = fits.ImageHDU(cal, header=h, name="CAMERA.CCD 3.2 cal")
    im.header["TSTART"] = t - cad / 2; im.header["TSTOP"] = t + cad / 2
    im.header["EXPOSURE"] = exp_s / 86400; im.header["DQUALITY"] = q; im.header["BUNIT"] = "electron/s"
    un = fits.ImageHDU(err, header=h, name="CAMERA.CCD 3.2 uncert")
    name = f"tess{2021200000000 + k * 3000:013d}-s0040-3-2-0213-s_ffic.fits"
    fits.HDUList([pri, im, un]).writeto(f"{a.out}/ffi/{name}", overwrite=True)
print(len(times), "frames,", m, "stars,", dumps, "dumps;", dict(zip(*np.unique(kind, return_counts=True))))
