#!/usr/bin/python3
"""Real 2-minute light curves of ../shared as one-sector hosts for ActiveStarRecovery (bench/run.sh --only recovery).

Issue 14's own measurement injects into 2-minute SPOC light curves, and the bench's TESSellator hosts are 30-minute:
this writes what shared/ holds at 2 minutes, cut into sectors (at gaps over 3 days, or past 24 days at a gap over
half a day; pieces under 20 days dropped), each host's known planets masked (a duration either side of each transit):
  pi Men, allesfitter's spline-detrended year 1 (pi Men c, P 6.267832 d);
  TOI-540, SPOC PDCSAP, sectors 4-6 (b, P 1.2391534 d; an M dwarf rotating in 0.72 d, with flares);
  TOI-2000, 20-second data binned to 2 minutes, sectors 36-38 (b 3.098367 d, c 9.1270425 d);
  WASP-126 and TOI-216, the sector-1 data-alert light curves (WASP-126 b 3.2887898 d; TOI-216's two dips, whose
  transit times wander, masked as windows).
Usage: two_minute_hosts.py SHARED OUT_FOLDER. Writes OUT_FOLDER/<host>-<piece>.csv (time in BTJD, flux, flux_err).
"""
import os
import sys

import numpy as np
from astropy.io import fits

SHARED, OUT = sys.argv[1], sys.argv[2]
REAL = os.path.join(SHARED, 'data', 'real')
TESS = os.path.join(SHARED, 'data', 'tess')


def text(name, skip):
    a = np.genfromtxt(os.path.join(REAL, name), delimiter=',', skip_header=skip, usecols=(0, 1, 2))
    return a[:, 0], a[:, 1], a[:, 2]


def alert(name):
    with fits.open(os.path.join(TESS, name)) as h:
        d = h['LIGHTCURVE'].data
        t, f, e, q = (np.asarray(d[c], float) for c in ('TIME', 'PDCSAP_FLUX', 'PDCSAP_FLUX_ERR', 'QUALITY'))
    ok = np.isfinite(t) & np.isfinite(f) & (q == 0)
    m = np.nanmedian(f[ok])
    return t[ok], f[ok] / m, e[ok] / m


def write(name, t, f, e, planets=(), windows=()):
    if t[0] > 2400000:
        t = t - 2457000
    keep = np.ones(len(t), bool)
    for period, epoch, hours in planets:
        epoch = epoch - 2457000 if epoch > 2400000 else epoch
        phase = ((t - epoch) / period + 0.5) % 1 - 0.5
        keep &= np.abs(phase * period) > hours / 24
    for a, b in windows:
        keep &= (t < a) | (t > b)
    t, f, e = t[keep], f[keep], e[keep]
    start, pieces = 0, []
    for i in range(len(t)):
        last = i == len(t) - 1
        gap = 0 if last else t[i + 1] - t[i]
        if last or gap > 3 or (gap > 0.5 and t[i] - t[start] > 24):
            pieces.append((start, i + 1))
            start = i + 1
    for k, (a, b) in enumerate(pieces):
        if t[b - 1] - t[a] < 20:
            continue
        path = os.path.join(OUT, '%s-%02d.csv' % (name, k))
        with open(path, 'w') as out:
            out.write('time,flux,flux_err\n')
            for x, y, z in zip(t[a:b], f[a:b], e[a:b]):
                out.write('%.7f,%.8f,%.8f\n' % (x, y, z))
        print('%s: %d cadences, BTJD %.2f-%.2f' % (os.path.basename(path), b - a, t[a], t[b - 1]))


os.makedirs(OUT, exist_ok=True)
t, f, _ = text('allesfitter_PiMensae_TESS_year1_detrended.csv', 0)  # its error column is a placeholder (1.0)
write('pimen', t, f, np.full_like(f, np.nan), [(6.267832, 2460011.550653, 2.79)])
write('toi540', *text('TIC_200322593_spoc_pdcsap.csv', 1), [(1.2391534, 2459175.141647, 0.49)])
write('toi2000', *text('toi_2000_table_03_binned_to_2_min.csv', 1),
      [(9.1270425, 2460031.897125, 3.62), (3.098367, 2460038.819877, 3.0)])
write('wasp126', *alert('hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits'),
      [(3.2887898269345, 2458327.519958, 3.44)])
write('toi216', *alert('hlsp_tess-data-alerts_tess_phot_00055652896-s01_tess_v1_lc.fits'),
      windows=[(1331.0, 1331.6), (1342.2, 1342.7)])
