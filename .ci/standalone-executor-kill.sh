#!/usr/bin/env bash
# Executors die: trains the demo on a real Spark standalone cluster on 127.0.0.1 (a master and a worker, each its
# own JVM, two executor JVMs of one core each), kills one executor JVM with SIGKILL in the middle of training, and
# checks that the job either finishes (Spark re-runs the lost tasks on a replacement executor) or fails cleanly,
# and that either way run-report.json tells the truth: exit 0 <=> status ok with a model; exit 1 <=> status
# failed with the error. Run from the project root after a build: .ci/standalone-executor-kill.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
WORK="$ROOT/spark-job/target/standalone"
rm -rf "$WORK" && mkdir -p "$WORK/spark-home/jars" "$WORK/tmp" "$WORK/work"
CP_FILE="$ROOT/spark-job/target/spark-classpath.txt"
if [ ! -f "$CP_FILE" ]; then
  mvn -B -q -DskipTests package   # the build writes it (spark-job/pom.xml)
fi
# A Spark "distribution" for the Worker: SPARK_HOME/jars with the Maven-resolved Spark jars (links).
tr ':' '\n' < "$CP_FILE" | while read -r jar; do ln -sf "$jar" "$WORK/spark-home/jars/"; done
export SPARK_HOME="$WORK/spark-home" SPARK_SCALA_VERSION=2.12
OPENS=$(tr '\n' ' ' < "$ROOT/conf/java17-opens.txt")   # what spark-submit adds on Java 17
LOG="-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties -Djava.io.tmpdir=$WORK/tmp"
# The master and the worker log at INFO: the script waits for their "registered" lines.
printf '%s\n' 'rootLogger.level = info' 'rootLogger.appenderRef.out.ref = out' 'appender.out.type = Console' \
  'appender.out.name = out' 'appender.out.layout.type = PatternLayout' 'appender.out.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n' \
  > "$WORK/log4j2-cluster.properties"
CLUSTER_LOG="-Dlog4j2.configurationFile=file:$WORK/log4j2-cluster.properties -Djava.io.tmpdir=$WORK/tmp"
MPORT=$((20000 + RANDOM % 20000))

PIDS=()
cleanup() { for p in "${PIDS[@]+"${PIDS[@]}"}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# shellcheck disable=SC2086
java $OPENS -Xmx512m $CLUSTER_LOG -cp "$(cat "$CP_FILE")" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
  --port "$MPORT" --webui-port 0 > "$WORK/master.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do grep -qs "I have been elected leader" "$WORK/master.log" && break; sleep 0.5; done
# shellcheck disable=SC2086
java $OPENS -Xmx512m $CLUSTER_LOG -cp "$(cat "$CP_FILE")" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
  --cores 2 --memory 6g --work-dir "$WORK/work" --webui-port 0 "spark://127.0.0.1:$MPORT" > "$WORK/worker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do grep -qs "Successfully registered with master" "$WORK/worker.log" && break; sleep 0.5; done
grep -q "Successfully registered with master" "$WORK/worker.log" || { echo "worker did not start"; cat "$WORK/worker.log"; exit 1; }

OUT="$WORK/out"
echo "== standalone: demo training on spark://127.0.0.1:$MPORT (2 executors x 1 core); one executor is killed mid-training"
set +e
TESS_DRIVER_MEMORY=2g ./submit.sh demo --master "spark://127.0.0.1:$MPORT" --output "$OUT" \
  --conf spark.driver.host=127.0.0.1 --conf spark.executor.cores=1 --conf spark.cores.max=2 \
  --conf spark.executor.memory=2g --conf spark.executorEnv.OMP_NUM_THREADS=1 \
  --conf spark.scheduler.minRegisteredResourcesRatio=1.0 --conf spark.scheduler.maxRegisteredResourcesWaitingTime=60s \
  --conf "spark.executor.extraJavaOptions=$LOG" --conf "spark.hadoop.hadoop.tmp.dir=$WORK/tmp/hadoop" \
  training.epochs=8 > "$WORK/submit.log" 2>&1 &
SUBMIT=$!
set -e
PIDS+=($SUBMIT)
KILLED=""
for _ in $(seq 600); do
  if ! kill -0 "$SUBMIT" 2>/dev/null; then break; fi
  if grep -q "Epoch 2/" "$WORK/submit.log"; then
    KILLED=$(pgrep -f CoarseGrainedExecutorBackend | head -1 || true)
    if [ -n "$KILLED" ]; then
      echo "== killing executor JVM $KILLED (SIGKILL) after: $(grep -o 'Epoch 2/[0-9]*: score [0-9.]*' "$WORK/submit.log" | head -1)"
      kill -9 "$KILLED"
      break
    fi
  fi
  sleep 0.5
done
set +e
wait "$SUBMIT"
RC=$?
set -e
tail -n 25 "$WORK/submit.log"
echo "== submit exit status: $RC; executors launched by the worker: $(grep -c 'Asked to launch executor' "$WORK/worker.log")"
[ -n "$KILLED" ] || { echo "FAIL: training ended before an executor could be killed"; exit 1; }
REPORT="$OUT/run-report.json"
[ -s "$REPORT" ] || { echo "FAIL: no run-report.json"; exit 1; }
STATUS=$(grep -o '"status" : "[a-z]*"' "$REPORT" | head -1 | cut -d'"' -f4)
echo "== report status: $STATUS"
# Executors are their own JVMs here: DL4J's oneDNN helpers must have engaged in them too (SparkSetup passes the
# flag on their command line); the report's training.onednn says so for the driver and each executor.
if [ "$RC" -eq 0 ] || grep -q '"onednn"' "$REPORT"; then
  ONEDNN=$(grep -o '"onednn" : "[^"]*"' "$REPORT" | head -1 || true)
  echo "== $ONEDNN"
  echo "$ONEDNN" | grep -q '"onednn" : "engaged' || { echo "FAIL: oneDNN did not engage on the cluster"; exit 1; }
fi
if [ "$RC" -eq 0 ]; then
  [ "$STATUS" = ok ] || { echo "FAIL: exit 0 but the report says $STATUS"; exit 1; }
  [ -s "$OUT/model.zip" ] || { echo "FAIL: exit 0 but no model.zip"; exit 1; }
  grep -q '"listed" : 240' "$REPORT" || { echo "FAIL: the report does not count the 240 files"; exit 1; }
  echo "PASS: the job finished after losing an executor; the report is ok and the model is saved"
elif [ "$RC" -eq 1 ]; then
  [ "$STATUS" = failed ] || { echo "FAIL: exit 1 but the report says $STATUS"; exit 1; }
  grep -q '"error" : "..*"' "$REPORT" || { echo "FAIL: a failed report without the error"; exit 1; }
  [ ! -e "$OUT/model.zip" ] || { echo "FAIL: a failed run left a model.zip"; exit 1; }
  echo "PASS: the job failed cleanly after losing an executor, and its report says why"
else
  echo "FAIL: unexpected exit status $RC"; exit 1
fi
