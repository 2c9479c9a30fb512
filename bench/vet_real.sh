#!/usr/bin/env bash
# The vetter on real known signals: `search` (with the shipped vetter, or VETTER=uri) over every light curve of
# ../shared/data/real except the TESSellator set (those are the vetter's training data: see train-vetter's held-out
# stars for them) and the light curves of ../shared/data/tess, then one line per known planet, binary or false
# positive of the MANIFESTs: the candidate at its period (within 1%, or half / twice it), its planet score and
# disposition, and the file's strongest candidate. Nothing here is a test: it measures (about 10 minutes on 2 cores).
#
#   bench/vet_real.sh [output folder, default out/vet-real]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${1:-out/vet-real}
REAL=${TESS_REAL_DIR:-$ROOT/../shared/data/real}
TESS=${TESS_DATA_DIR:-$ROOT/../shared/data/tess}
IN=$(mktemp -d)
trap 'rm -rf "$IN"' EXIT
for f in "$REAL"/*.csv "$REAL"/*.txt "$REAL"/*.dat "$REAL"/kepler/*.fits "$REAL"/tglc/*.fits \
         "$TESS"/hlsp_tess-data-alerts*_lc.fits; do
  ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$IN/$(basename "$f")"
done
./submit.sh search --input "$IN" --output "$OUT" --overwrite ${VETTER:+--vetter "$VETTER"} search.figures=0 \
  search.time-budget-s=60
/usr/bin/python3 - "$OUT/candidates.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
known = [  # (file contains, name, period in days, what it is)
    ("PiMensae", "pi Men c", 6.267832, "planet"),
    ("TIC_200322593", "TOI-540 b", 1.2391534, "planet"),
    ("toi_2000_table_02", "TOI-2000 c (30-min)", 9.1270425, "planet"),
    ("toi_2000_table_02", "TOI-2000 b (30-min)", 3.098367, "planet"),
    ("toi_2000_table_03", "TOI-2000 c (2-min)", 9.1270425, "planet"),
    ("toi_2000_table_03", "TOI-2000 b (2-min)", 3.098367, "planet"),
    ("K2-140", "K2-140 b", 6.5693, "planet"),
    ("K2-32", "K2-32 b", 8.992, "planet"),
    ("kplr011446443", "TrES-2 b", 2.47061, "planet"),
    ("kplr010666592", "HAT-P-7 b", 2.204735, "planet"),
    ("00025155310", "WASP-126 b", 3.28879, "planet"),
    ("s0007-cam2", "TOI-519 b (S7)", 1.2652338, "planet"),
    ("s0008-cam2", "TOI-519 b (S8)", 1.2652338, "planet"),
    ("10797460", "KIC 10797460 (Kepler-227 b)", 9.48, "planet"),
    ("10854555", "KIC 10854555", 2.52, "planet"),
    ("10872983", "KIC 10872983", 11.09, "planet"),
    ("KOI-1003", "KOI-1003 (eclipsing binary)", 8.35992, "binary"),
    ("10848459", "KIC 10848459 (KOI FP)", 1.73, "false positive"),
    ("6721123", "KIC 6721123 (KOI FP)", 7.36, "false positive"),
    ("10419211", "KIC 10419211 (KOI FP)", 11.52, "false positive"),
]
print("| signal | what | found at | rank | planet score | disposition | strongest in the file |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for key, name, period, what in known:
    mine = [r for r in rows if key in r["file"]]
    match = [r for r in mine if any(abs(float(r["period_days"]) - period * k) < 0.01 * period * k
                                    for k in (1, 0.5, 2))]
    best = max(mine, key=lambda r: float(r["planet_score"] or 0), default=None)
    top = ("%s d, %s, %s" % (best["period_days"], best["planet_score"], best["disposition"])) if best else "no signal"
    if match:
        m = match[0]
        print("| %s | %s | %s d | %s | %s | %s | %s |" % (name, what, m["period_days"], m["rank"],
                                                        m["planet_score"], m["disposition"], top))
    else:
        print("| %s | %s | not found | | | | %s |" % (name, what, top))
PY
