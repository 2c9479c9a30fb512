"""Scores a detect run against a sector's truth table: each planet found at its period (within 0.5%) and called a
planet candidate, no binary called one, and the planet candidates on stars without a planet (each listed).

score_detect.py SECTOR_DIR DETECT_OUTPUT [--quiet]
  SECTOR_DIR/truth.csv: id, x, y (zero-based), tmag, kind, period (or period_days, as SectorGenerator writes),
  depth; DETECT_OUTPUT/candidates.csv.
The last line: "planets N of M, binaries called planet B of K, false planet candidates F, candidates C".
"""
import csv
import math
import sys

truth = list(csv.DictReader(open(sys.argv[1] + "/truth.csv")))
cands = list(csv.DictReader(open(sys.argv[2] + "/candidates.csv")))
quiet = "--quiet" in sys.argv


def near(t, c, r=1.0):
    return c["x"] and math.hypot(float(c["x"]) - float(t["x"]), float(c["y"]) - float(t["y"])) < r


def describe(c):
    return f"P={float(c['period_days']):.4f} {c['disposition']} {float(c['planet_score']):.2f} snr={c['snr']}"


planets = found = binaries = binaries_pc = 0
for t in truth:
    if t["kind"] not in ("planet", "binary"):
        continue
    mine = [c for c in cands if near(t, c)]
    p = float(t.get("period") or t["period_days"])
    pc = [c for c in mine if c["disposition"] == "planet candidate"]
    if t["kind"] == "planet":
        planets += 1
        ok = any(abs(float(c["period_days"]) - p) < 0.005 * p for c in pc)
        found += ok
    else:
        binaries += 1
        ok = not pc
        binaries_pc += not ok
    if not quiet or not ok:
        print(f"{'ok ' if ok else 'BAD'} {t['kind']:7s} {t['id']:5s} Tmag {t['tmag']} P={p:.4f}"
              f" depth={float(t['depth']) * 1e6:.0f} ppm | {'; '.join(map(describe, mine)) or 'no candidate'}")
false_pc = 0
for c in cands:
    if c["disposition"] != "planet candidate":
        continue
    here = [t for t in truth if near(t, c)]
    if not any(t["kind"] == "planet" for t in here):
        false_pc += 1
        print(f"false planet candidate at x={c['x']} y={c['y']} ({[t['kind'] + ' Tmag ' + t['tmag'] for t in here]}):"
              f" {describe(c)}, sde {c['sde']}, flags {c['flags'] or '-'}")
print(f"planets {found} of {planets}, binaries called planet {binaries_pc} of {binaries},"
      f" false planet candidates {false_pc}, candidates {len(cands)}")
