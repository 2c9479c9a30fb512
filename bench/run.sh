#!/usr/bin/env bash
# Benchmarks, side by side in one run on this machine's cores: the project's ingest against the Python proof of
# concept's loader (../shared/bench/seed_loader.py) on the same full-size TESS-like FFIs, from local disk and through
# the same loopback S3 server. Prints a table of files/s, MB/s, bytes read per file and the ratios.
#
#   bench/run.sh [--files N] [--links K] [--skip-s3]
#
# N distinct full-size FFIs (default 48, 35.5 MB each: 1.7 GB under bench/work/) are written once; the local runs
# read them under K names each (hard links, default 5: 240 names), so that both readers see enough files for
# start-up costs to fade while the bytes stay in the page cache. The S3 server (S3Proxy, filesystem store, as its
# own process) gets the N files by upload and the same K names each by hard links in its store (they share the
# uploaded objects' extended attributes, where it keeps the ETags).
#
# Needs: the build (./submit.sh builds it), Debian's python3-astropy, python3-skimage, python3-boto3 (installed
# with apt-get when missing and run as root), curl. Nothing here is a test: it measures.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
FILES=48
LINKS=5
S3=1
while [ $# -gt 0 ]; do
  case "$1" in
    --files) FILES="$2"; shift 2 ;;
    --links) LINKS="$2"; shift 2 ;;
    --skip-s3) S3=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
SHARED="${TESS_SHARED_DIR:-$ROOT/../shared}"
[ -d "$SHARED/bench" ] || SHARED=/work/shared
PY=/usr/bin/python3
if ! $PY -c "import astropy, skimage, boto3" 2>/dev/null; then
  echo "== installing Debian's python3-astropy python3-skimage python3-boto3" >&2
  apt-get install -y -qq python3-astropy python3-skimage python3-boto3 >&2
fi
WORK="$ROOT/bench/work"
DATA="$WORK/ffi-$FILES"
mkdir -p "$WORK"
if [ ! -d "$DATA" ] || [ "$(ls "$DATA" | wc -l)" -ne "$FILES" ]; then
  rm -rf "$DATA"
  echo "== writing $FILES full-size FFIs to $DATA" >&2
  $PY "$SHARED/bench/make_ffi.py" "$DATA" --count "$FILES" >&2
fi
NAMES="$WORK/names-$FILES-x$LINKS"
if [ ! -d "$NAMES" ] || [ "$(ls "$NAMES" | wc -l)" -ne $((FILES * LINKS)) ]; then
  rm -rf "$NAMES" && mkdir -p "$NAMES"
  for r in $(seq "$LINKS"); do for f in "$DATA"/*.fits; do ln "$f" "$NAMES/r$r-$(basename "$f")"; done; done
fi
cat "$DATA"/*.fits > /dev/null   # both readers start from the page cache
CORES=2
MB_TOTAL=$(du -cb "$DATA"/*.fits | tail -1 | cut -f1)
IMAGE_BYTES=$((2136 * 2078 * 4))

seed() {   # source [endpoint] -> "files_per_s mb_per_s"
  local out
  out=$($PY "$SHARED/bench/seed_loader.py" "$@" --threads $CORES 2>/dev/null | tail -1)
  echo "$(sed -E 's/.*files_per_s=([0-9.]+).*/\1/' <<<"$out") $(sed -E 's/.*mb_per_s=([0-9.]+).*/\1/' <<<"$out")"
}

ours() {   # input [key=value ...] -> "files_per_s mb_per_s bytes_per_file"
  local input=$1; shift
  local out="$WORK/out-ingest"
  TESS_DRIVER_MEMORY=4g ./submit.sh inspect --master "local[$CORES]" --input "$input" --output "$out" --overwrite \
    "$@" > "$WORK/ingest.log" 2>&1 || { cat "$WORK/ingest.log" >&2; exit 1; }
  $PY - "$out/run-report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n = r["counts"]["listed"]; s = r["timings_s"]["decode"]; b = r["bytes_read"]
print(f"{n / s:.2f} {b / 1e6 / s:.1f} {b / n:.0f}")
PY
}

row() { printf '| %-40s | %10s | %9s | %14s | %s\n' "$@"; }
echo
echo "Ingest of full-size FFIs (35.5 MB each, image HDU $IMAGE_BYTES bytes), $CORES cores, page cache warm;"
echo "$((FILES * LINKS)) names ($FILES files x $LINKS hard links), on local disk and on the loopback S3 server"
row "reader" "files/s" "MB/s" "bytes/file" "ratio (files/s)"
row "----" "----" "----" "----" "----"
read -r SEED_FPS SEED_MBS <<<"$(seed "$NAMES")"
row "seed_loader.py, local disk, $CORES threads" "$SEED_FPS" "$SEED_MBS" "$((MB_TOTAL / FILES))" "1.0"
read -r OUR_FPS OUR_MBS OUR_BPF <<<"$(ours "$NAMES")"
row "tess-exo inspect, local disk, local[$CORES]" "$OUR_FPS" "$OUR_MBS" "$OUR_BPF" \
  "$($PY -c "print(f'{$OUR_FPS / $SEED_FPS:.1f}x (target 25x); bytes/image HDU {$OUR_BPF / $IMAGE_BYTES:.3f}')")"

if [ "$S3" = 1 ]; then
  JAR="$WORK/s3proxy-2.9.0-jar-with-dependencies.jar"
  [ -f "$JAR" ] || mvn -B -q dependency:copy -Dartifact=org.gaul:s3proxy:2.9.0:jar:jar-with-dependencies \
    -DoutputDirectory="$WORK" >&2
  PORT=$((30000 + RANDOM % 20000))
  rm -rf "$WORK/s3data" && mkdir -p "$WORK/s3data"
  cat > "$WORK/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=none
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3data
EOF
  java -jar "$JAR" --properties "$WORK/s3proxy.properties" > "$WORK/s3proxy.log" 2>&1 &
  S3PID=$!
  trap 'kill $S3PID 2>/dev/null || true' EXIT
  for _ in $(seq 100); do curl -s "http://127.0.0.1:$PORT/" > /dev/null && break; sleep 0.2; done
  curl -s -X PUT "http://127.0.0.1:$PORT/stpubdata" > /dev/null
  for f in "$DATA"/*.fits; do
    curl -s -T "$f" "http://127.0.0.1:$PORT/stpubdata/tess/public/ffi/s0001/2018/206/1-1/$(basename "$f")" > /dev/null
  done
  STORE="$WORK/s3data/stpubdata"
  mkdir -p "$STORE/names"
  for r in $(seq "$LINKS"); do
    for f in "$STORE/tess/public/ffi/s0001/2018/206/1-1/"*.fits; do ln -f "$f" "$STORE/names/r$r-$(basename "$f")"; done
  done
  cat "$STORE/tess/public/ffi/s0001/2018/206/1-1/"* > /dev/null
  read -r SSEED_FPS SSEED_MBS <<<"$(seed s3://stpubdata/names/ --endpoint "http://127.0.0.1:$PORT")"
  row "seed_loader.py, loopback S3, $CORES threads" "$SSEED_FPS" "$SSEED_MBS" "$((MB_TOTAL / FILES))" "1.0"
  read -r SOUR_FPS SOUR_MBS SOUR_BPF <<<"$(ours s3a://stpubdata/names/ \
    s3a.endpoint="http://127.0.0.1:$PORT" s3a.path-style-access=true)"
  row "tess-exo inspect, loopback S3 (s3a)" "$SOUR_FPS" "$SOUR_MBS" "$SOUR_BPF" \
    "$($PY -c "print(f'{$SOUR_FPS / $SSEED_FPS:.1f}x (target 10x); bytes/image HDU {$SOUR_BPF / $IMAGE_BYTES:.3f}')")"
fi
echo
echo "files/s: files listed / seconds of the read+decode+preprocess step (seed_loader: its thread pool;"
echo "tess-exo: the report's timings_s.decode, the Spark job that decodes and caches every sample)."
