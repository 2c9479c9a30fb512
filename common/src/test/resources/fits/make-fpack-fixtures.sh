#!/usr/bin/env bash
# Regenerates the fpack'd test files with the real fpack (cfitsio), so the decoder is tested against what users
# download, not only against what nom-tam-fits writes. Needs: apt-get install -y libcfitsio-bin python3-astropy
# (then /usr/bin/python3). The outputs are committed; this script documents how they were made.
set -euo pipefail
cd "$(dirname "$0")"
/usr/bin/python3 - <<'PY'
import numpy as np
from astropy.io import fits
y, x = np.mgrid[0:64, 0:48]
# int16 ramp: pixel (row y, column x) = 100 y + x, non-negative so that PLIO can hold it
fits.PrimaryHDU((100 * y + x).astype('>i2')).writeto('ramp-i16.fits', overwrite=True)
rng = np.random.default_rng(2018)
sky = 1000 + 3.0 * x + 2.0 * y + rng.normal(0, 10, size=(64, 48))
fits.PrimaryHDU(sky.astype('>f4')).writeto('sky-f32.fits', overwrite=True)
PY
for algo in r g h p; do
  fpack -$algo -O "ramp-i16.$algo.fits.fz" ramp-i16.fits
done
fpack -r -O sky-f32.rice.fits.fz sky-f32.fits          # lossy: quantized with q = 4 (noise / 4), dithered
fpack -g -q 0 -O sky-f32.gzip-lossless.fits.fz sky-f32.fits
gzip -9 -n -c sky-f32.fits > sky-f32.fits.gz
ls -l
