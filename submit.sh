#!/usr/bin/env bash
# Runs a pipeline command: ./submit.sh COMMAND [options] [key=value ...]   (./submit.sh --help)
#
# Builds the job jar when it is missing or older than the sources. Uses spark-submit when it is on PATH (a
# cluster, EMR); otherwise runs Spark's SparkSubmit class from the Maven-resolved Spark jars with the Java 17
# flags, so a laptop needs only Java 17 and Maven. Spark's options (--master, --deploy-mode, --executor-memory,
# --driver-memory, --num-executors, --executor-cores, --conf spark.x=y, ...) go to Spark; --conf FILE (no '=')
# is a HOCON file for the job; everything else goes to the job.
# Environment: MVN_PROFILES (e.g. cuda), TESS_DRIVER_MEMORY (local JVM heap, default 6g), SPARK_SUBMIT (path),
# TESS_SERVE_MEMORY (the HTTP server's heap, default 4g).
# ./submit.sh serve ... starts the HTTP server (serve/): a plain JVM, no Spark.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")" && pwd)
cd "$ROOT"
VERSION=0.1.0-SNAPSHOT
JAR="$ROOT/spark-job/target/tess-exo-spark-job-$VERSION-job.jar"
CP_FILE="$ROOT/spark-job/target/spark-classpath.txt"
MAIN=org.tessexo.spark.TessJob

if [ $# -eq 0 ]; then
  set -- --help
fi

# The build writes both the job jar and the Spark classpath file (spark-job/pom.xml), resolving the project's own
# modules from the reactor: nothing needs to be installed in ~/.m2, and any earlier build (verify, package) counts.
stale() {
  [ ! -f "$JAR" ] || [ ! -f "$CP_FILE" ] && return 0
  [ -n "$(find pom.xml common/pom.xml common/src spark-job/pom.xml spark-job/src -newer "$JAR" -type f -print -quit 2>/dev/null)" ]
}
SERVE_JAR="$ROOT/serve/target/tess-exo-serve-$VERSION.jar"
SERVE_CP="$ROOT/serve/target/serve-classpath.txt"
serve_stale() {
  [ ! -f "$SERVE_JAR" ] || [ ! -f "$SERVE_CP" ] && return 0
  [ -n "$(find pom.xml common/pom.xml common/src serve/pom.xml serve/src -newer "$SERVE_JAR" -type f -print -quit 2>/dev/null)" ]
}
if [ "${1:-}" = "serve" ]; then
  if serve_stale; then
    echo "[submit.sh] building the server (the first build downloads its dependencies)..." >&2
    mvn -B -q -DskipTests ${MVN_PROFILES:+-P$MVN_PROFILES} package -pl serve -am >&2
  fi
  exec java "-Xmx${TESS_SERVE_MEMORY:-4g}" -Dorg.slf4j.simpleLogger.showDateTime=true \
    -Dorg.slf4j.simpleLogger.log.org.apache.hadoop=warn -Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=warn \
    -cp "$SERVE_JAR:$(cat "$SERVE_CP")" org.tessexo.serve.ServeMain "$@"
fi
if stale; then
  echo "[submit.sh] building the job jar (the first build downloads about 1 GB of dependencies)..." >&2
  mvn -B -q -DskipTests ${MVN_PROFILES:+-P$MVN_PROFILES} package >&2
fi

SPARK_ARGS=()
APP_ARGS=()
MASTER="local[*]"
DRIVER_MEMORY="${TESS_DRIVER_MEMORY:-6g}"
while [ $# -gt 0 ]; do
  case "$1" in
    --master) MASTER="$2"; shift 2 ;;
    --master=*) MASTER="${1#*=}"; shift ;;
    --driver-memory) DRIVER_MEMORY="$2"; SPARK_ARGS+=("$1" "$2"); shift 2 ;;
    --deploy-mode|--executor-memory|--num-executors|--executor-cores|--total-executor-cores|--driver-cores|\
    --jars|--packages|--repositories|--files|--py-files|--archives|--queue|--name|--properties-file|--principal|--keytab)
      SPARK_ARGS+=("$1" "$2"); shift 2 ;;
    --conf)
      if [[ "${2:-}" == *=* ]]; then SPARK_ARGS+=(--conf "$2"); else APP_ARGS+=(--conf "$2"); fi
      shift 2 ;;
    --conf=*)
      v="${1#*=}"
      if [[ "$v" == *=* ]]; then SPARK_ARGS+=(--conf "$v"); else APP_ARGS+=(--conf "$v"); fi
      shift ;;
    *) APP_ARGS+=("$1"); shift ;;
  esac
done

# Help is printed at once, without starting Spark: ./submit.sh search --help
for a in "${APP_ARGS[@]+"${APP_ARGS[@]}"}"; do
  if [ "$a" = "--help" ] || [ "$a" = "-h" ] || [ "${APP_ARGS[0]}" = "help" ]; then
    exec java -cp "$JAR" org.tessexo.common.config.Help "${APP_ARGS[@]}"
  fi
done

LOG_CONF="-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties"
TIME_SOURCE="-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"
# conf/jvm-options.txt: the JIT's C2 thresholds at 10x (executors get the same from SparkSetup): a short job's cores
# go to its tasks, not to compiling Spark's lukewarm methods
mapfile -t JIT < "$ROOT/conf/jvm-options.txt"

SUBMIT="${SPARK_SUBMIT:-$(command -v spark-submit || true)}"
if [ -n "$SUBMIT" ]; then
  exec "$SUBMIT" --master "$MASTER" --class "$MAIN" \
    --driver-java-options "$LOG_CONF $TIME_SOURCE ${JIT[*]}" \
    "${SPARK_ARGS[@]+"${SPARK_ARGS[@]}"}" "$JAR" "${APP_ARGS[@]+"${APP_ARGS[@]}"}"
fi

# No spark-submit: Spark's own launcher class from the Maven-resolved (provided-scope) jars the build listed.
# conf/java17-opens.txt = org.apache.spark.launcher.JavaModuleOptions: what spark-submit adds on Java 17
mapfile -t OPENS < "$ROOT/conf/java17-opens.txt"
exec java "${OPENS[@]}" "${JIT[@]}" "-Xmx$DRIVER_MEMORY" "$LOG_CONF" "$TIME_SOURCE" -cp "$(cat "$CP_FILE")" \
  org.apache.spark.deploy.SparkSubmit --master "$MASTER" --class "$MAIN" \
  "${SPARK_ARGS[@]+"${SPARK_ARGS[@]}"}" "$JAR" "${APP_ARGS[@]+"${APP_ARGS[@]}"}"
