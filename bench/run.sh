#!/usr/bin/env bash
# Benchmarks, side by side in one run on this machine's cores. Prints four tables:
#   1. ingest: the project's `inspect` against the Python proof of concept's loader (../shared/bench/seed_loader.py)
#      on the same full-size TESS-like FFIs, from local disk and through the same loopback S3 server (files/s, MB/s,
#      bytes read per file, ratio; for S3 also the CPU seconds of the server and of the job per file);
#   2. decode: JMH, decode+trim+downsample of one FFI against a plain read of its image bytes (common's
#      DecodeBenchmark);
#   3. training: the default CNN, one JVM with plain DL4J fit (oneDNN helpers off, then on), local[2] with
#      parameter averaging, and its PyTorch twin (bench/torch_twin.py) on the same samples and batch size; the
#      AstroNet-kind views network (helpers off, then on) and its twin (bench/torch_views_twin.py);
#   4. memory: peak heap and resident memory of the (local-mode) job JVM with 1 and 10 FFIs per partition;
#   5. bls: the transit search's BLS against astropy's BoxLeastSquares on the same grid, one core each, a 2-minute
#      and a 30-minute full-sector light curve; recovery: transits injected into many real hosts (ActiveStarRecovery),
#      recovery by SNR and star activity, spurious signals, light curves per second per core;
#   6. injection: transits injected into the real WASP-126 and TOI-216 light curves (their signals masked), the
#      recovery rate against the injected signal-to-noise (40 trials per light curve, about 3 minutes);
#   7. vetter: the vetting network's fit (one JVM, DL4J with oneDNN) against its PyTorch twin
#      (bench/torch_vetter_twin.py) on the same views, batch and threads; and the cost of vetting one candidate
#      (views + forward) against the search of its light curve;
#   8. photometry: the photometry command on full-size generated frames (SectorGenerator: 2078 x 2136, 10,000
#      stars, F 30-minute cadences, default 384: 336 frames after the mid-sector gap, 11 GB under bench/work/, a
#      quarter of a sector, where the fixed costs of a run no longer hide the frames' own) against inspect on the
#      same frames (the read-and-decode bound) and against the Python reference (../shared/bench/
#      ffi_photometry_ref.py, astropy + numpy + a thread pool) on the same stars and cores (its first 48 frames);
#      from Spark's event logs the per-frame stages' core-ms (measuring, the corner turn; inspect's decode), the
#      shuffle's bytes; where the time goes, the peak resident memory, and a real sector's cost from these numbers;
#      then the same frames with the brightest 200, 1,000 and 3,000 stars against inspect and the Python reference on
#      those stars (bench/spark_stages.py reads the event logs); then the per-star parts alone (JMH: one frame's
#      photometry, one light curve's pointing decorrelation).
#  8b. photometry-200s (only when asked for: about 10 minutes, 14 GB under bench/work/ once): a whole 200-second
#      sector of a 384 x 384 cut with 400 stars (11,408 frames) against the same cut at 30 minutes, the corner
#      turn's cost per star and cadence; detect on it, scored by bench/score_detect.py.
#  8c. photometry-warmup (only when asked for, after photometry: about 12 minutes): inspect and the photometry
#      (2,000, 3,000 and 10,000 stars) on the first half of the sector's frames and on all of them: each run's per-frame
#      core-ms against what a further frame costs once the run is warm (their difference), against inspect and the
#      Python reference.
#   9. detect: photometry, search and vetting end to end on a whole generated sector (1,344 30-minute cadences of a
#      512 x 512 cut, 1,000 stars): time per frame and per light curve, planets found, binaries called planets.
#  12. independent (only when asked for: about 4 minutes): detect on three sectors written by another generator
#      (bench/independent_sector.py: other PSFs, sky, crowding, flags), scored by bench/score_detect.py.
#  11. serve (only when asked for: about 6 minutes): the HTTP server (./submit.sh serve, its own JVM) under 1, 4 and
#      16 concurrent clients on loopback, images (the demo model on a demo FFI) and light curves (WASP-126's alert
#      light curve): throughput, p50 and p99 latency; its heap after collection and resident memory over 10,000
#      image requests; and the batch search's cost per light curve on the same file (8 copies, local[2]).
#  10. vetter-cv (only when asked for: about 27 minutes): train-vetter's star-level 5-fold cross-validation on the
#      TESSellator light curves, pooled AUC, by fold, recall, precision, real binaries called planet.
#
#   bench/run.sh [--files N] [--links K] [--skip-s3] [--frames F] [--phot-runs R]
#                [--only ingest,decode,training,memory,bls,recovery,injection,vetter,photometry,detect,vetter-cv,serve,
#                        independent,photometry-200s,photometry-warmup]
#
# N distinct full-size FFIs (default 48, 35.5 MB each: 1.7 GB under bench/work/) are written once; the local runs
# read them under K names each (hard links, default 20: 960 names), so that both readers see enough files for
# start-up costs to fade while the bytes stay in the page cache. The S3 server (S3Proxy, filesystem store, as its
# own process) gets the N files by upload and the same K names each by hard links in its store (they share the
# uploaded objects' extended attributes, where it keeps the ETags).
#
# Needs: the build (./submit.sh builds it), Debian's python3-astropy, python3-skimage, python3-boto3 and python3-torch
# (installed with apt-get when missing and run as root), curl. Nothing here is a test: it measures. About two hours
# with the defaults on a 2-core machine: tables 1-5 about 16 minutes, the injection-recovery bench (5b) about 75,
# photometry 5 (and 2 more, once, to write its frames); --only picks tables.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
FILES=48
LINKS=20
S3=1
ONLY=ingest,decode,training,memory,bls,recovery,injection,vetter,photometry,detect
FRAMES=384
PHOT_RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --files) FILES="$2"; shift 2 ;;
    --links) LINKS="$2"; shift 2 ;;
    --skip-s3) S3=0; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    --frames) FRAMES="$2"; shift 2 ;;
    --phot-runs) PHOT_RUNS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
SHARED="${TESS_SHARED_DIR:-$ROOT/../shared}"
[ -d "$SHARED/bench" ] || SHARED=/work/shared
PY=/usr/bin/python3
if ! $PY -c "import astropy, skimage, boto3, torch" 2>/dev/null; then
  echo "== installing Debian's python3-astropy python3-skimage python3-boto3 python3-torch" >&2
  apt-get install -y -qq python3-astropy python3-skimage python3-boto3 python3-torch >&2
fi
want() { [[ ",$ONLY," == *",$1,"* ]]; }
VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' pom.xml | head -1)
if [ ! -f "spark-job/target/tess-exo-spark-job-$VERSION-job.jar" ] \
    || [ ! -f common/target/test-classes/META-INF/BenchmarkList ] \
    || [ ! -f spark-job/target/test-classes/org/tessexo/spark/bench/TrainingBench.class ]; then
  echo "== building (jar, benchmark classes)" >&2
  mvn -B -q -DskipTests install >&2
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
cat "$DATA"/*.fits > /dev/null   # every reader starts from the page cache
CORES=2
MB_TOTAL=$(du -cb "$DATA"/*.fits | tail -1 | cut -f1)
IMAGE_BYTES=$((2136 * 2078 * 4))
FFIS=("$DATA"/*.fits)
FIRST_FFI=${FFIS[0]}

seed() {   # source [endpoint] -> "files_per_s mb_per_s"
  local out
  out=$($PY "$SHARED/bench/seed_loader.py" "$@" --threads $CORES 2>/dev/null | tail -1)
  echo "$(sed -E 's/.*files_per_s=([0-9.]+).*/\1/' <<<"$out") $(sed -E 's/.*mb_per_s=([0-9.]+).*/\1/' <<<"$out")"
}

ours() {   # input [key=value ...] -> "files_per_s mb_per_s bytes_per_file cpu_s"  (the job's own CPU seconds)
  local input=$1; shift
  local out="$WORK/out-ingest"
  TESS_DRIVER_MEMORY=4g /usr/bin/time -f "%U %S" -o "$WORK/ingest.time" ./submit.sh inspect --master "local[$CORES]" \
    --input "$input" --output "$out" --overwrite "$@" > "$WORK/ingest.log" 2>&1 || { cat "$WORK/ingest.log" >&2; exit 1; }
  $PY - "$out/run-report.json" "$WORK/ingest.time" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
u, s_ = map(float, open(sys.argv[2]).read().split()[-2:])
n = r["counts"]["listed"]; s = r["timings_s"]["decode"]; b = r["bytes_read"]
print(f"{n / s:.2f} {b / 1e6 / s:.1f} {b / n:.0f} {u + s_:.1f}")
PY
}

cpu_of() {   # pid -> CPU seconds so far (user + system)
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

common_cp() {   # the common module's test classpath (JMH, the BLS and injection benchmarks)
  local cp="$WORK/common-test.classpath"
  [ -f "$cp" ] && [ "$cp" -nt common/pom.xml ] || mvn -B -q -pl common -am dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >&2
  echo "common/target/test-classes:common/target/classes:$(cat "$cp")"
}
ratio() { $PY -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }
ms_per_file() { $PY -c "import sys; print(f'{(float(sys.argv[2]) - float(sys.argv[1])) * 1000 / int(sys.argv[3]):.0f}')" "$@"; }
row() { printf '| %-44s | %10s | %9s | %14s | %s\n' "$@"; }

if want ingest; then
  echo
  echo "1. Ingest of full-size FFIs (35.5 MB each, image HDU $IMAGE_BYTES bytes), $CORES cores, page cache warm;"
  echo "   $((FILES * LINKS)) names ($FILES files x $LINKS hard links), on local disk and on the loopback S3 server"
  row "reader" "files/s" "MB/s" "bytes/file" "ratio (files/s)"
  row "----" "----" "----" "----" "----"
  read -r SEED_FPS SEED_MBS <<<"$(seed "$NAMES")"
  row "seed_loader.py, local disk, $CORES threads" "$SEED_FPS" "$SEED_MBS" "$((MB_TOTAL / FILES))" "1.0"
  read -r OUR_FPS OUR_MBS OUR_BPF _ <<<"$(ours "$NAMES")"
  row "tess-exo inspect, local disk, local[$CORES]" "$OUR_FPS" "$OUR_MBS" "$OUR_BPF" \
    "$(ratio "$OUR_FPS" "$SEED_FPS")x (target 25x); bytes/image HDU $(ratio "$OUR_BPF" "$IMAGE_BYTES")"

  if [ "$S3" = 1 ]; then
    JAR="$WORK/s3proxy-2.9.0-jar-with-dependencies.jar"
    [ -f "$JAR" ] || mvn -B -q dependency:copy -Dartifact=org.gaul:s3proxy:2.9.0:jar:jar-with-dependencies \
      -DoutputDirectory="$WORK" >&2
    PORT=$((30000 + RANDOM % 20000))
    rm -rf "$WORK/s3data" && mkdir -p "$WORK/s3data"
    printf '%s\n' "s3proxy.endpoint=http://127.0.0.1:$PORT" "s3proxy.authorization=none" \
      "jclouds.provider=filesystem" "jclouds.filesystem.basedir=$WORK/s3data" > "$WORK/s3proxy.properties"
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
    N=$((FILES * LINKS))
    C0=$(cpu_of $S3PID)
    read -r SSEED_FPS SSEED_MBS <<<"$(seed s3://stpubdata/names/ --endpoint "http://127.0.0.1:$PORT")"
    C1=$(cpu_of $S3PID)
    row "seed_loader.py, loopback S3, $CORES threads" "$SSEED_FPS" "$SSEED_MBS" "$((MB_TOTAL / FILES))" "1.0"
    read -r SOUR_FPS SOUR_MBS SOUR_BPF SOUR_CPU <<<"$(ours s3a://stpubdata/names/ \
      s3a.endpoint="http://127.0.0.1:$PORT" s3a.path-style-access=true)"
    C2=$(cpu_of $S3PID)
    row "tess-exo inspect, loopback S3 (s3a)" "$SOUR_FPS" "$SOUR_MBS" "$SOUR_BPF" \
      "$(ratio "$SOUR_FPS" "$SSEED_FPS")x (target 10x); bytes/image HDU $(ratio "$SOUR_BPF" "$IMAGE_BYTES")"
    echo
    echo "   CPU per file on the loopback server: S3Proxy $(ms_per_file "$C0" "$C1" $N) ms serving seed_loader.py, $(ms_per_file "$C1" "$C2" $N) ms"
    echo "   serving s3a; the tess-exo JVM $(ms_per_file 0 "$SOUR_CPU" $N) ms (start-up included). Server and job share the $CORES cores."
    kill $S3PID 2>/dev/null || true
  fi
  echo
  echo "   files/s: files listed / seconds of the read+decode+preprocess step (seed_loader: its thread pool;"
  echo "   tess-exo: the report's timings_s.decode, the Spark job that decodes and caches every sample)."
fi

if want decode; then
  java -cp "$(common_cp)" org.openjdk.jmh.Main DecodeBenchmark \
    -p file="$FIRST_FFI" -rf json -rff "$WORK/jmh.json" > "$WORK/jmh.log" 2>&1 || { tail -30 "$WORK/jmh.log" >&2; exit 1; }
  echo
  echo "2. Decode against the limit (JMH, one thread, one FFI from the page cache; ms per FFI, mean +- 99.9% CI)"
  $PY - "$WORK/jmh.json" <<'PY'
import json, sys
r = {b["benchmark"].split(".")[-1]: b["primaryMetric"] for b in json.load(open(sys.argv[1]))}
plain = r["plainRead"]["score"]
rows = [("plain read of the image HDU's bytes (the limit)", "plainRead"),
        ("decode+trim+downsample+normalize, streamed", "streamedDecodePreprocess"),
        ("the same, whole plane read first (object stores)", "wholePlaneDecodePreprocess")]
print(f"| {'what':<50} | {'ms/FFI':>14} | ratio to the limit")
print(f"| {'----':<50} | {'----':>14} | ----")
for label, key in rows:
    m = r[key]
    target = " (target within 3x)" if key == "streamedDecodePreprocess" else ""
    print(f"| {label:<50} | {m['score']:6.2f} +- {m['scoreError']:4.2f} | {m['score'] / plain:.2f}x{target}")
PY
fi

if want training; then
  CP_SPARK="$WORK/spark-test.classpath"
  [ -f "$CP_SPARK" ] && [ "$CP_SPARK" -nt spark-job/pom.xml ] || mvn -B -q -pl spark-job -am dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$CP_SPARK" >&2
  mapfile -t OPENS < conf/java17-opens.txt
  TB=(java "${OPENS[@]}" -Xmx6g "-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties"
      -cp "spark-job/target/test-classes:spark-job/target/classes:common/target/classes:$(cat "$CP_SPARK")"
      org.tessexo.spark.bench.TrainingBench)
  T="$WORK/train"
  sps() { sed -nE 's/.*samples_per_s=([0-9.]+).*/\1/p' | tail -1; }
  BEFORE=$("${TB[@]}" plain "$T" --samples 256 --epochs 3 --onednn off 2>> "$WORK/training.log" | sps)
  PLAIN=$("${TB[@]}" plain "$T" --samples 256 --epochs 3 2>> "$WORK/training.log" | sps)
  SPARK=$("${TB[@]}" spark "$T" --samples 256 --epochs 3 --workers $CORES 2>> "$WORK/training.log" | sps)
  TORCH=$($PY bench/torch_twin.py "$T/train-x.f32" "$T/train-y.i8" --threads $CORES --epochs 3 | sps)
  VBEFORE=$("${TB[@]}" views "$T" --samples 256 --epochs 2 --batch 32 --onednn off 2>> "$WORK/training.log" | sps)
  VIEWS=$("${TB[@]}" views "$T" --samples 256 --epochs 2 --batch 32 2>> "$WORK/training.log" | sps)
  VTORCH=$($PY bench/torch_views_twin.py "$T/views-global.f32" "$T/views-local.f32" "$T/views-y.i8" \
    --batch 32 --threads $CORES --epochs 2 | sps)
  echo
  echo "3. Training, $CORES cores, batch 32, the same samples for DL4J and its PyTorch twin"
  echo "   image CNN: 128 x 128, conv 16-32-32, dense 64, Adam; 256 samples x 3 epochs"
  echo "   views CNN (AstroNet kind): 2001 + 201 bins, conv 16..256 and 16-32, 4 x dense 512, Adam; 256 samples x 2 epochs"
  row "trainer" "samples/s" "" "" "ratio"
  row "----" "----" "" "" "----"
  row "(a0) image, DL4J fit, one JVM, oneDNN helpers off" "$BEFORE" "" "" ""
  row "(a) image, DL4J fit, one JVM (oneDNN)" "$PLAIN" "" "" "a/a0 $(ratio "$PLAIN" "$BEFORE")"
  row "(b) image, DL4J parameter averaging, local[$CORES]" "$SPARK" "" "" "b/a $(ratio "$SPARK" "$PLAIN") (target 0.85)"
  row "(c) image, PyTorch twin" "$TORCH" "" "" "a/c $(ratio "$PLAIN" "$TORCH") (target 0.8)"
  row "(d0) views, DL4J fit, oneDNN helpers off" "$VBEFORE" "" "" ""
  row "(d) views, DL4J fit (oneDNN)" "$VIEWS" "" "" "d/d0 $(ratio "$VIEWS" "$VBEFORE")"
  row "(e) views, PyTorch twin" "$VTORCH" "" "" "d/e $(ratio "$VIEWS" "$VTORCH") (target 0.8)"
fi

if want memory; then
  # 20 FFIs, one local-mode JVM (driver and executors together): the heap before each GC pause, and the peak RSS.
  MEM_IN="$WORK/mem-20"
  if [ ! -d "$MEM_IN" ]; then mkdir -p "$MEM_IN"; for f in $(ls "$DATA"/*.fits | head -20); do ln "$f" "$MEM_IN/"; done; fi
  mem() {   # command partitions -> "peak_heap_mb peak_rss_mb"
    local gc="$WORK/gc-$1-$2.log"
    rm -f "$gc"
    JAVA_TOOL_OPTIONS="-Xlog:gc:file=$gc" /usr/bin/time -f "%M" -o "$WORK/mem.time" ./submit.sh "$1" \
      --master "local[$CORES]" --input "$MEM_IN" --output "$WORK/out-mem" --overwrite listing.partitions="$2" \
      training.epochs=1 > "$WORK/mem.log" 2>&1 || { tail -20 "$WORK/mem.log" >&2; exit 1; }
    $PY - "$gc" "$WORK/mem.time" <<'PY'
import re, sys
peak = max([int(m) for m in re.findall(r"(\d+)M->\d+M", open(sys.argv[1]).read())] or [0])
print(peak, int(open(sys.argv[2]).read().split()[-1]) // 1024)
PY
  }
  echo
  echo "4. Peak memory, 20 full-size FFIs, local[$CORES] (driver and executors in one JVM, -Xmx 6g)"
  row "run" "heap MB" "RSS MB" "" ""
  row "----" "----" "----" "" ""
  for cmd in inspect train; do
    for per in 1 10; do
      read -r HEAP RSS <<<"$(mem $cmd $((20 / per)))"
      row "$cmd, $per FFI(s) per partition" "$HEAP" "$RSS" "" ""
    done
  done
  echo
  echo "   heap: the most in use before a GC pause (-Xlog:gc); RSS: the process's peak resident set (/usr/bin/time)."
fi

if want bls; then
  echo
  echo "5. BLS against astropy's BoxLeastSquares, one core each (best of 3), the same grid: a full-sector 2-minute"
  echo "   light curve (WASP-126, sector 1) and a 30-minute one (TESSellator TIC 120317590), on the search's grid"
  echo "   (drift) and on a grid uniform in frequency (astropy's autoperiod)"
  for LC in "$SHARED/data/tess/hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits" \
            "$SHARED/data/real/tessellator/TIC120317590.fits"; do
    for SPACING in drift frequency; do
      OUTLINE=$(java -cp "$(common_cp)" \
        org.tessexo.common.lightcurve.BlsComparison "$LC" "$WORK/bls" 3 $SPACING 2> "$WORK/bls.log" | tail -1)
      echo "   $(basename "$LC") $SPACING: $OUTLINE"
    done
  done
fi

if want recovery; then
  echo
  echo "5b. Injection and recovery on real hosts (ActiveStarRecovery): every 3rd TESSellator light curve (30-minute,"
  echo "    mostly eclipsing binaries), trapezoid transits at SNR 5-15, every signal also scored by the shipped vetter:"
  echo "    the hosts inverted (real noise and variability without the eclipses) with the default search, without"
  echo "    prewhitening, and with a 0.75-day window; the limb-darkened template on limb-darkened injections against"
  echo "    the box on the same; the hosts as they are (binaries), the same three ways; the 2-minute hosts below;"
  echo "    both kinds of host without whitening (plain). Each run's second table counts the injections by their SNR"
  echo "    against the host's noise (bench/recovery_figure.py --noise draws both). About 75 minutes on 2 cores."
  CP="$(common_cp)"
  TESSELLATOR="$SHARED/data/real/tessellator"
  for variant in "inverted:-Dinvert=true -Dvet=true" "inverted-no-prewhitening:-Dinvert=true -Dvet=true -Dprewhiten=0" \
      "inverted-window:-Dinvert=true -Dvet=true -Dwindow=0.75" \
      "inverted-limb-box:-Dinvert=true -Dinject=limb-darkened" \
      "inverted-limb-template:-Dinvert=true -Dinject=limb-darkened -Dshape=limb_darkened" "binaries:-Dvet=true" \
      "binaries-no-prewhitening:-Dvet=true -Dprewhiten=0" "binaries-window:-Dvet=true -Dwindow=0.75" \
      "inverted-plain:-Dinvert=true -Dvet=true -Dwhiten=0" "binaries-plain:-Dvet=true -Dwhiten=0"; do
    name="${variant%%:*}"
    echo "   $name"
    # shellcheck disable=SC2086
    java ${variant#*:} -cp "$CP" org.tessexo.common.lightcurve.ActiveStarRecovery 14 3 "$(nproc)" \
      "$WORK/recovery-$name.tsv" "$TESSELLATOR" 2> "$WORK/recovery-$name.log"
  done
  echo "   2-minute hosts (bench/two_minute_hosts.py: 11 sectors of pi Men, TOI-540, TOI-2000, WASP-126 and TOI-216,"
  echo "   their planets masked), 5 seeds, today's search and the search before issue 14"
  "$PY" "$ROOT/bench/two_minute_hosts.py" "$SHARED" "$WORK/two-minute" > "$WORK/two-minute.log"
  java -Dvet=true -cp "$CP" org.tessexo.common.lightcurve.ActiveStarRecovery 1,2,3,4,5 1 "$(nproc)" \
    "$WORK/recovery-2min.tsv" "$WORK/two-minute" 2> "$WORK/recovery-2.log"
  java -Dvet=true -Dspacing=frequency -DbinsPerCadence=0 -Dprewhiten=0 -Dwindow=0.75 -DsdeKernel=0 -DminSde=7 \
    -Dwhiten=0 -cp "$CP" org.tessexo.common.lightcurve.ActiveStarRecovery 1,2,3 1 "$(nproc)" \
    "$WORK/recovery-2min-before.tsv" "$WORK/two-minute" 2> "$WORK/recovery-2-before.log"
fi

if want injection; then
  echo
  echo "6. Injection and recovery: box transits in the real WASP-126 and TOI-216 light curves (known dips masked),"
  echo "   periods 1-12 d, durations 2 h x (P / 1 d)^(1/3); recovered = the strongest signal at the period (1%) and epoch"
  java -cp "$(common_cp)" \
    org.tessexo.common.lightcurve.InjectionRecovery 40 2026 \
    "$SHARED/data/tess/hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits" \
    "$SHARED/data/tess/hlsp_tess-data-alerts_tess_phot_00055652896-s01_tess_v1_lc.fits" 2> "$WORK/injection.log"
fi

if want vetter; then
  echo
  echo "7. Vetter: fit samples/s, one JVM (DL4J, oneDNN) against the PyTorch twin, same views, batch 32, $(nproc) threads"
  VJ=$(java -cp "$(common_cp)" org.tessexo.common.bench.VetterBench fit "$WORK/vetter" 1024 3 2> "$WORK/vetter.log" \
    | grep samples_per_s)
  VT=$(OMP_NUM_THREADS=$(nproc) $PY bench/torch_vetter_twin.py "$WORK/vetter" --batch 32 --threads "$(nproc)" \
    --epochs 3 | grep samples_per_s)
  echo "   DL4J:    $VJ"
  echo "   PyTorch: $VT"
  echo "   ratio DL4J / PyTorch: $(ratio "$(echo "$VJ" | sed 's/samples_per_s=\([0-9.]*\).*/\1/')" \
    "$(echo "$VT" | sed 's/samples_per_s=\([0-9.]*\).*/\1/')")"
  echo "   vetting one candidate against the search of its light curve (WASP-126, sector 1, 2-min cadence):"
  echo "   $(java -cp "$(common_cp)" org.tessexo.common.bench.VetterBench cost \
    "$SHARED/data/tess/hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits" 2>> "$WORK/vetter.log" \
    | tail -1)"
fi

# Each command runs PHOT_RUNS times and the run of the shortest step is kept (on a shared machine single runs
# move by more than the changes measured). Both keep Spark's event log: the per-frame stages' core time.
EVENTS="$WORK/events"
# best_of NAME TIMING COMMAND INPUT [TIME_FILE [key=value ...]]: the run of the least TIMING kept as $WORK/NAME
best_of() {
  local name=$1 timing=$2 cmd=$3 input=$4 timefile=${5:-} best="" best_t="" t
  shift 4; [ $# -gt 0 ] && shift
  for run in $(seq 1 "$PHOT_RUNS"); do
    local out="$WORK/$name.run$run"
    rm -rf "$out" "$EVENTS-$name.run$run" && mkdir -p "$EVENTS-$name.run$run"
    TESS_DRIVER_MEMORY=6g /usr/bin/time -f "%U %S %M" -o "$out.time" ./submit.sh "$cmd" --master "local[$CORES]" \
      --input "$input" --output "$out" --overwrite --conf spark.eventLog.enabled=true \
      --conf "spark.eventLog.dir=file://$EVENTS-$name.run$run" "$@" > "$out.log" 2>&1 || { tail -30 "$out.log" >&2; exit 1; }
    t=$($PY -c "import json, sys; print(json.load(open(sys.argv[1]))['timings_s'][sys.argv[2]])" \
      "$out/run-report.json" "$timing")
    if [ -z "$best" ] || $PY -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$t" "$best_t"; then
      best=$run; best_t=$t
    fi
  done
  rm -rf "$WORK/$name" "$EVENTS-$name" && mv "$WORK/$name.run$best" "$WORK/$name"
  mv "$EVENTS-$name.run$best" "$EVENTS-$name"
  [ -n "$timefile" ] && mv "$WORK/$name.run$best.time" "$timefile"
  rm -rf "$WORK/$name".run* "$EVENTS-$name".run*
  echo "   $name: best of $PHOT_RUNS $timing = $best_t s" >&2
}

SECTOR="$WORK/sector-$FRAMES"
PYFRAMES="$WORK/python-frames"
# The sector's frames in order into $WORK/sector-frames.txt, and its first 48 linked into $PYFRAMES: the Python
# reference times its loop over the frames (no fixed cost to spread), so 48 tell its rate. Through a file: under
# pipefail, a head that stops reading early can take the writer down with SIGPIPE.
python_frames() {
  find "$SECTOR/ffi" -name '*.fits' | sort > "$WORK/sector-frames.txt"
  rm -rf "$PYFRAMES" && mkdir -p "$PYFRAMES"
  head -n 48 "$WORK/sector-frames.txt" | while read -r f; do ln -s "$f" "$PYFRAMES/"; done
}
if want photometry; then
  if [ ! -f "$SECTOR/truth.csv" ]; then
    rm -rf "$SECTOR"
    echo "== writing $FRAMES full-size 30-minute cadences with 10,000 stars to $SECTOR" >&2
    java -Xmx6g -cp "$(common_cp)" org.tessexo.common.demo.SectorGenerator "$SECTOR" 2078 2136 "$FRAMES" 10000 8 >&2
  fi
  cat "$SECTOR"/ffi/*.fits > /dev/null
  best_of out-phot photometry photometry "$SECTOR/ffi" "$WORK/phot.time"
  best_of out-phot-inspect decode inspect "$SECTOR/ffi"
  # the Python reference measures the same stars (our stars.csv: x, y zero-based) on the same cores
  python_frames
  PYREF=$($PY "$SHARED/bench/ffi_photometry_ref.py" "$PYFRAMES" --stars "$WORK/out-phot/stars.csv" \
    --threads $CORES --radius 2.5 | tail -1)
  $PY - "$WORK/out-phot/run-report.json" "$WORK/out-phot-inspect/run-report.json" "$WORK/phot.time" \
      "$EVENTS-out-phot" "$EVENTS-out-phot-inspect" "$PYREF" "$CORES" "$WORK/inspect-decode-ms" <<'PY'
import json, re, sys
sys.path.insert(0, "bench")
from spark_stages import per_frame, stages, starting
r = json.load(open(sys.argv[1])); i = json.load(open(sys.argv[2]))
u, s_, rss = open(sys.argv[3]).read().split()[-3:]
py = float(re.search(r"frames_per_s=([0-9.]+)", sys.argv[6]).group(1))
cores = int(sys.argv[7])

ps, shuffle = stages(sys.argv[4])
ins, _ = stages(sys.argv[5])
t = r["timings_s"]; ph = r["photometry"]
frames = ph["frames_measured"]; stars = ph["stars"]
# the per-frame stages: measuring (read, decode, every star: frames in, stars' blocks out) and the corner turn's
# reduce (blocks into light curves, the pointing decorrelation, the Parquet write); inspect's decode stage
measuring, turning = per_frame(ps, frames)
decode = starting(ins, "mapToPair at Ingest") / max(1, i["counts"]["images"])
open(sys.argv[8], "w").write(f"{decode}\n")  # the runs by stars below compare with it
steps = t["frame-headers"] + t["reference"] + t["photometry"]
ours = frames / steps
steady = frames / t["photometry"]
insp = frames / i["timings_s"]["decode"]
per_frame_ms = (measuring + turning) / cores          # wall ms a frame on these cores, fixed costs left out
per_star_frame_bytes = shuffle / max(1, stars * frames)
print()
print(f"8. Photometry of {frames} full-size generated frames (2078 x 2136, 30-minute cadences, 10,000 stars placed;"
      f" {stars} found and measured), local[{cores}], page cache warm, best of the runs")
print("| run | frames/s | ratio |")
print("| --- | --- | --- |")
print(f"| photometry, whole job (headers + reference + photometry + corner turn + Parquet) | {ours:.2f} | |")
print(f"| photometry, its per-frame step (photometry + corner turn + Parquet) | {steady:.2f} | |")
print(f"| inspect (read + decode + preprocess, the read bound) | {insp:.2f} | job / inspect = {ours / insp:.2f},"
      f" step / inspect = {steady / insp:.2f} |")
print(f"| Python reference (astropy + numpy, {cores} threads, the first 48 frames, its frames' loop) | {py:.2f} |"
      f" job / Python = {ours / py:.1f}, step / Python = {steady / py:.1f} |")
print()
print(f"   where the time goes (s): frame headers {t['frame-headers']}, reference + stars {t['reference']},"
      f" photometry + corner turn + write {t['photometry']}, total job {t['total']}")
print(f"   core-ms per frame of the per-frame stages (Spark's event log; start-up, headers and the reference left out):"
      f" measuring {measuring:.1f} (read, decode, {stars} stars), corner turn {turning:.1f} (light curves, pointing"
      f" decorrelation, Parquet), against inspect's read and decode {decode:.1f}: by these stages, photometry /"
      f" inspect = {decode / (measuring + turning):.2f} in frames per core-second, and {1000 / py / per_frame_ms:.0f}x"
      f" the Python reference ({1000 / py:.0f} ms a frame on {cores} threads against {per_frame_ms:.1f})")
per_star_us = 1000 * max(0.0, measuring + turning - decode) / stars
print(f"   a frame's cost, so: {decode:.1f} core-ms to read and decode plus {per_star_us:.2f} microseconds per star"
      f" (measuring, corner turn, decorrelation, Parquet)")
print(f"   corner turn: {shuffle / 1e6:.1f} MB shuffled ({per_star_frame_bytes:.0f} bytes per star and"
      f" frame); peak RSS {int(rss) // 1024} MB; CPU {float(u) + float(s_):.0f} s")
print("   cost model of a real sector from these numbers (core-hours; shuffle at the bytes per star and frame above):")
print("| sector | frames | stars per CCD | core-hours | shuffle |")
print("| --- | --- | --- | --- | --- |")
for label, n_frames in (("30-minute FFIs (sectors 1-26)", 1300), ("200-second FFIs (sectors 56 on)", 12000)):
    for n_stars in (10000, 100000):
        core_s = 16 * n_frames * (decode + per_star_us * n_stars / 1000) / 1000
        gb = 16 * n_frames * n_stars * per_star_frame_bytes / 1e9
        print(f"| {label} | 16 x {n_frames:,} | {n_stars:,} | {core_s / 3600:.1f} | {gb:.1f} GB |")
PY
  # both aims by the stars a frame holds: the same frames with the brightest 200, 1,000 and 3,000 stars (one run each),
  # against inspect's decode above and the Python reference on the same stars
  echo "   by the stars a frame holds (max-stars; one run each; the Python reference on the same stars, 48 frames):"
  DECODE=$(cat "$WORK/inspect-decode-ms")
  for n in 200 1000 3000; do
    rm -rf "$WORK/out-phot-$n" "$EVENTS-out-phot-$n" && mkdir -p "$EVENTS-out-phot-$n"
    TESS_DRIVER_MEMORY=6g ./submit.sh photometry --master "local[$CORES]" --input "$SECTOR/ffi" \
      --output "$WORK/out-phot-$n" --overwrite --conf spark.eventLog.enabled=true \
      --conf "spark.eventLog.dir=file://$EVENTS-out-phot-$n" tess.photometry.max-stars=$n > "$WORK/out-phot-$n.log" \
      2>&1 || { tail -30 "$WORK/out-phot-$n.log" >&2; exit 1; }
    PYN=$($PY "$SHARED/bench/ffi_photometry_ref.py" "$PYFRAMES" --stars "$WORK/out-phot-$n/stars.csv" \
      --threads $CORES --radius 2.5 | tail -1 | sed 's/.*frames_per_s=\([0-9.]*\).*/\1/')
    echo "   $($PY bench/spark_stages.py "$WORK/out-phot-$n" "$EVENTS-out-phot-$n" "$DECODE" "$PYN" "$CORES")"
  done
  # the per-star parts on their own (JMH, one thread, no Spark): a decoded frame's photometry, one light curve's
  # pointing decorrelation
  java -cp "$(common_cp)" org.openjdk.jmh.Main 'FramePhotometryBenchmark|PointingDecorrelationBenchmark' \
    -p stars=1000,3000,10000 -p cadences=336,1300 -rf json -rff "$WORK/jmh-phot.json" > "$WORK/jmh-phot.log" 2>&1 \
    || { tail -30 "$WORK/jmh-phot.log" >&2; exit 1; }
  $PY - "$WORK/jmh-phot.json" <<'PY'
import json, sys
print("   the per-star parts alone (JMH, one thread; mean +- 99.9% CI):")
for b in json.load(open(sys.argv[1])):
    name = b["benchmark"].split(".")[-2]
    m = b["primaryMetric"]
    what = (f"one frame's photometry of {b['params']['stars']} stars (a 17.7 MB frame in memory)"
            if name.startswith("Frame") else f"one light curve's pointing decorrelation, {b['params']['cadences']}"
            " cadences")
    print(f"   {what}: {float(m['score']):.2f} +- {float(m['scoreError']):.2f} {m['scoreUnit']}")
PY
fi

if want photometry-200s; then
  # a whole 200-second sector (11,408 frames after the gap) of a 384 x 384 cut with 400 stars, beside the same cut
  # at 30 minutes: the corner turn's cost per star and cadence on long light curves; then detect on it, scored
  CUT200="$WORK/sector-200s"
  CUT30="$WORK/sector-30m-384"
  [ -f "$CUT200/truth.csv" ] || java -Xmx4g -cp "$(common_cp)" org.tessexo.common.demo.SectorGenerator "$CUT200" \
    384 384 11840 400 9 3.3333 >&2
  [ -f "$CUT30/truth.csv" ] || java -Xmx4g -cp "$(common_cp)" org.tessexo.common.demo.SectorGenerator "$CUT30" \
    384 384 1344 400 9 >&2
  echo
  echo "8b. A 200-second sector (384 x 384, 400 stars) against the same cut at 30 minutes, photometry, local[$CORES]:"
  for cut in "$CUT30" "$CUT200"; do
    name=out-$(basename "$cut")
    cat "$cut"/ffi/*.fits > /dev/null
    rm -rf "$WORK/$name" "$WORK/events-$name" && mkdir -p "$WORK/events-$name"
    TESS_DRIVER_MEMORY=6g ./submit.sh photometry --master "local[$CORES]" --input "$cut/ffi" --output "$WORK/$name" \
      --overwrite --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file://$WORK/events-$name" \
      > "$WORK/$name.log" 2>&1 || { tail -30 "$WORK/$name.log" >&2; exit 1; }
    echo "   $(basename "$cut"): $($PY bench/spark_stages.py "$WORK/$name" "$WORK/events-$name")"
  done
  ./submit.sh detect --master "local[$CORES]" --input "$CUT200/ffi" --output "$WORK/out-detect-200s" --overwrite \
    search.figures=0 > "$WORK/detect-200s.log" 2>&1 || { tail -30 "$WORK/detect-200s.log" >&2; exit 1; }
  echo "   detect on it: $($PY -c "import json, sys; print(json.load(open(sys.argv[1]))['timings_s'])" \
    "$WORK/out-detect-200s/run-report.json"); $($PY bench/score_detect.py "$CUT200" "$WORK/out-detect-200s" \
    --quiet | tail -1)"
fi

if want photometry-warmup; then
  # A run's fixed costs, which a sector's 1,300 or 12,000 frames spread thin: start-up, the JIT compiling every hot
  # path (inspect's few, the photometry's many), a first wave of tasks in cold code. The same commands on the
  # sector's first half and on all of it: the frames' difference is what each further frame costs once warm.
  [ -f "$SECTOR/truth.csv" ] || { echo "photometry-warmup needs the photometry section's sector: run it first" >&2
    exit 1; }
  python_frames
  HALF="$WORK/ffi-half"
  rm -rf "$HALF" && mkdir -p "$HALF"
  head -n $(( $(wc -l < "$WORK/sector-frames.txt") / 2 )) "$WORK/sector-frames.txt" | while read -r f; do
    ln -s "$f" "$HALF/"; done
  cat "$SECTOR"/ffi/*.fits > /dev/null
  echo
  echo "8c. Warm-up: the per-frame stages on the first half of the frames and on all of them (best of $PHOT_RUNS each),"
  echo "    and what a further frame costs (their difference); the Python reference on the same stars, 48 frames"
  for input in "$HALF" "$SECTOR/ffi"; do
    tag=$(basename "$input")
    best_of "warm-inspect-$tag" decode inspect "$input"
    for n in 2000 3000 10000; do
      best_of "warm-phot-$n-$tag" photometry photometry "$input" "" tess.photometry.max-stars=$n
    done
  done
  for n in 2000 3000 10000; do
    $PY "$SHARED/bench/ffi_photometry_ref.py" "$PYFRAMES" --stars "$WORK/warm-phot-$n-ffi/stars.csv" \
      --threads $CORES --radius 2.5 | tail -1 | sed 's/.*frames_per_s=\([0-9.]*\).*/\1/' > "$WORK/warm-python-$n"
  done
  $PY - "$WORK" "$EVENTS" "$CORES" <<'PY'
import json, sys
sys.path.insert(0, "bench")
from spark_stages import per_frame, stages, starting
work, events, cores = sys.argv[1], sys.argv[2], int(sys.argv[3])


def run(name):
    """(frames, stars, the per-frame stages' core-ms summed over the run)"""
    r = json.load(open(f"{work}/{name}/run-report.json"))
    by, _ = stages(f"{events}-{name}")
    if "photometry" in r:
        frames = r["photometry"]["frames_measured"]
        m, t = per_frame(by, frames)
        return frames, r["photometry"]["stars"], (m + t) * frames
    return r["counts"]["images"], 0, starting(by, "mapToPair at Ingest")


inspect = [run(f"warm-inspect-{tag}") for tag in ("ffi-half", "ffi")]
decode_avg = inspect[1][2] / inspect[1][0]
decode_marginal = (inspect[1][2] - inspect[0][2]) / (inspect[1][0] - inspect[0][0])
print(f"   inspect's decode: {decode_avg:.1f} core-ms a frame over {inspect[1][0]} frames, {decode_marginal:.1f} a"
      f" further frame")
print("| stars/frame | core-ms a frame, whole run (vs inspect, vs Python) | a further frame (vs inspect, vs Python) |")
print("| --- | --- | --- |")
further = {}
for n in (2000, 3000, 10000):
    half, full = run(f"warm-phot-{n}-ffi-half"), run(f"warm-phot-{n}-ffi")
    avg = full[2] / full[0]
    marginal = (full[2] - half[2]) / (full[0] - half[0])
    further[n] = (marginal, full[1])
    py_ms = cores * 1000 / float(open(f"{work}/warm-python-{n}").read())  # core-ms a frame
    print(f"| {full[1]:,} ({half[1]:,} on the half) | {avg:.1f} ({decode_avg / avg:.2f}x, {py_ms / avg:.1f}x) |"
          f" {marginal:.1f} ({decode_marginal / marginal:.2f}x, {py_ms / marginal:.1f}x) |")
# a real sector's cost from what a further frame costs at 10,000 stars (a CCD's 1,300 or 12,000 frames are spread
# over executors that each warm up once): inspect's decode plus the rest per star
marginal, stars = further[10000]
per_star_us = 1000 * max(0.0, marginal - decode_marginal) / stars
print(f"   once warm: {decode_marginal:.1f} core-ms to read and decode a frame plus {per_star_us:.2f} microseconds a"
      " star; a real sector's core-hours from these:")
print("| sector | frames | 10,000 stars per CCD | 100,000 |")
print("| --- | --- | --- | --- |")
for label, n_frames in (("30-minute FFIs (sectors 1-26)", 1300), ("200-second FFIs (sectors 56 on)", 12000)):
    hours = [16 * n_frames * (decode_marginal + per_star_us * n / 1000) / 1000 / 3600 for n in (10000, 100000)]
    print(f"| {label} | 16 x {n_frames:,} | {hours[0]:.1f} | {hours[1]:.1f} |")
PY
fi

if want detect; then
  # the whole path, photometry, search and vetting of every star in one job (detect), on a whole sector: 1,300
  # 30-minute frames (27 days, the mid-sector gap) of a 512 x 512 cut of a CCD with 1,000 stars
  LONG="$WORK/sector-long"
  if [ ! -f "$LONG/truth.csv" ]; then
    rm -rf "$LONG"
    echo "== writing a whole sector (1,344 cadences of 512 x 512 pixels, 1,000 stars) to $LONG" >&2
    java -Xmx4g -cp "$(common_cp)" org.tessexo.common.demo.SectorGenerator "$LONG" 512 512 1344 1000 9 >&2
  fi
  TESS_DRIVER_MEMORY=6g /usr/bin/time -f "%e %M" -o "$WORK/detect.time" ./submit.sh detect --master "local[$CORES]" \
    --input "$LONG/ffi" --output "$WORK/out-detect" --overwrite search.figures=0 > "$WORK/detect.log" 2>&1 \
    || { tail -30 "$WORK/detect.log" >&2; exit 1; }
  $PY - "$WORK/out-detect/run-report.json" "$WORK/detect.time" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
wall, rss = open(sys.argv[2]).read().split()[-2:]
t = r["timings_s"]; stars = r["photometry"]["stars"]; frames = r["photometry"]["frames_measured"]
phot = t["frame-headers"] + t["reference"] + t["photometry"]
print()
print(f"   detect, end to end on a whole generated sector ({frames} frames of 512 x 512, {stars} stars), local[2]:")
print(f"   {t['total']} s ({float(wall):.0f} s with the JVM's start): photometry {phot:.1f} s"
      f" ({phot / frames * 1000:.0f} ms per frame), search and vetting {t['search']:.1f} s"
      f" ({t['search'] / stars * 1000:.0f} ms per light curve); {r['search']['candidates']} candidates;"
      f" peak RSS {int(rss) // 1024} MB")
PY
  echo "   scored (bench/score_detect.py): $($PY bench/score_detect.py "$LONG" "$WORK/out-detect" --quiet | tail -1)"
fi

if want independent; then
  # detect on sectors written by another generator (bench/independent_sector.py, astropy: its own PSF, sky, crowding,
  # flags, transit shape, scattered light with a gradient), 1,203 30-minute frames each, scored against their truth
  echo
  echo "   detect on independently generated sectors (bench/independent_sector.py), local[$CORES]:"
  for spec in "1 --psf 1.1 --sky 250 --stars 300" "2 --psf 1.4 --sky 400 --stars 400" \
              "3 --psf 0.9 --sky 120 --stars 250 --size 256"; do
    set -- $spec
    seed=$1; shift
    SEC="$WORK/independent-$seed"
    [ -f "$SEC/truth.csv" ] || $PY bench/independent_sector.py "$SEC" --seed "$seed" "$@" > /dev/null
    ./submit.sh detect --master "local[$CORES]" --input "$SEC/ffi" --output "$WORK/out-independent-$seed" --overwrite \
      search.figures=0 > "$WORK/independent-$seed.log" 2>&1 || { tail -30 "$WORK/independent-$seed.log" >&2; exit 1; }
    echo "   seed $seed ($*): $($PY bench/score_detect.py "$SEC" "$WORK/out-independent-$seed" --quiet | tail -1)"
  done
fi

if want vetter-cv; then
  echo
  echo "10. Vetter, star-level 5-fold cross-validation on the 322 TESSellator light curves (train-vetter"
  echo "    vetter.folds=5; about 27 minutes on 2 cores; extra settings from VETTER_CV_SETTINGS)"
  # shellcheck disable=SC2086
  ./submit.sh train-vetter --input "$SHARED/data/real/tessellator" --labels "$SHARED/data/real/tessellator/INDEX.tsv" \
    --output "$WORK/vetter-cv" --overwrite vetter.folds=5 ${VETTER_CV_SETTINGS:-} > "$WORK/vetter-cv.log" 2>&1
  $PY - "$WORK/vetter-cv/run-report.json" <<'PY'
import json, sys
cv = json.load(open(sys.argv[1]))["vetting"]["cross_validation"]
p = cv["pooled"]
real = p.get("real", {}).get("eclipsing binary", {})
print(f"   pooled AUC {p['auc_planet_vs_not']:.4f} over {p['examples']} examples; by fold "
      + ", ".join(f"{a:.3f}" for a in cv["auc_by_fold"])
      + f"; recall {p['recall']:.2f}, precision {p['precision']:.2f} at {p['threshold']};"
      f" real binaries called planet {real.get('scored_planet', 0)} of {real.get('examples', 0)}")
PY
fi

if want serve; then
  echo
  echo "11. Serving: ./submit.sh serve on loopback, $CORES cores (tess.serve.max-concurrent = $CORES, queue 16)"
  [ -f out/demo/model.zip ] || ./submit.sh demo > "$WORK/serve-demo.log" 2>&1
  SERVE_CP="$WORK/serve-test.classpath"
  [ -f "$SERVE_CP" ] && [ "$SERVE_CP" -nt serve/pom.xml ] || mvn -B -q -pl serve -am dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$SERVE_CP" >&2
  mvn -B -q -pl serve -am test-compile -DskipTests >&2
  PORT=18093
  ./submit.sh serve --model out/demo/model.zip --port $PORT > "$WORK/serve.log" 2>&1 &
  SERVE_PID=$!
  trap 'kill $SERVE_PID 2>/dev/null || true' EXIT
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break; sleep 1; done
  JPID=$(pgrep -f "ServeMain.*--port $PORT" | head -1)
  IMG=$(ls data/demo/ffi/*.fits | head -1)
  LC="$SHARED/data/tess/hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits"
  java -cp "serve/target/test-classes:serve/target/classes:common/target/classes:$(cat "$SERVE_CP")" \
    org.tessexo.serve.ServeLoad $PORT "$JPID" "$IMG" "$LC" 10000
  kill $SERVE_PID; wait $SERVE_PID 2>/dev/null || true
  trap - EXIT
  rm -rf "$WORK/serve-lc" && mkdir -p "$WORK/serve-lc"
  for i in 1 2 3 4 5 6 7 8; do ln -f "$LC" "$WORK/serve-lc/copy-$i-$(basename "$LC")"; done
  ./submit.sh search --input "$WORK/serve-lc" --output "$WORK/serve-search" --overwrite > "$WORK/serve-search.log" 2>&1
  $PY - "$WORK/serve-search/run-report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r["timings_s"]
print(f"   batch search of the same light curve, 8 copies, local[2]: {t.get('search', float('nan'))} s searching"
      f" ({t.get('search', float('nan')) / 8 * 2:.2f} s per light curve per core), {t['total']} s in all; timings {t}")
PY
fi
