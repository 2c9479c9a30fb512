#!/usr/bin/python3
"""Spark event logs, summed by stage name: the photometry benches' per-frame stages (bench/run.sh).

    spark_stages.py RUN_FOLDER EVENT_LOG_FOLDER [INSPECT_DECODE_CORE_MS [PYTHON_FRAMES_PER_S CORES]]

Prints one line for a photometry run: frames and stars measured (its run-report.json), the core-ms a frame of
measuring (the mapPartitionsToPair stage: read, decode, every star) and of the corner turn (the Parquet stage:
blocks into light curves, the pointing decorrelation, the write), the corner turn's microseconds per star and
cadence and bytes shuffled per star and frame; with inspect's decode core-ms a frame, the ratio to it in frames
per core-second; with the Python reference's frames/s on as many threads as CORES, the ratio to it.
"""
import glob
import json
import sys


def stages(folder):
    """Per stage name: the tasks' summed run time (core-ms); and the shuffle bytes written in all."""
    names, run_ms, shuffle = {}, {}, 0
    for f in glob.glob(folder + "/*"):
        for line in open(f):
            if '"Event":"SparkListenerStageSubmitted"' in line:
                si = json.loads(line)["Stage Info"]
                names[si["Stage ID"]] = si["Stage Name"]
            if '"Event":"SparkListenerTaskEnd"' in line:
                e = json.loads(line)
                m = e.get("Task Metrics", {})
                shuffle += m.get("Shuffle Write Metrics", {}).get("Shuffle Bytes Written", 0)
                run_ms[e["Stage ID"]] = run_ms.get(e["Stage ID"], 0) + m.get("Executor Run Time", 0)
    by = {}
    for k, v in run_ms.items():
        by[names.get(k, "")] = by.get(names.get(k, ""), 0) + v
    return by, shuffle


def starting(by, prefix):
    return sum(v for k, v in by.items() if k.startswith(prefix))


def per_frame(by, frames):
    """A photometry run's core-ms a frame: measuring (read, decode, every star) and the corner turn's reduce."""
    return starting(by, "mapPartitionsToPair at PhotometryJob") / frames, starting(by, "parquet at") / frames


def main(argv):
    report = json.load(open(argv[1] + "/run-report.json"))
    frames = report["photometry"]["frames_measured"]
    stars = report["photometry"]["stars"]
    by, shuffle = stages(argv[2])
    measuring, turning = per_frame(by, frames)
    line = (f"{frames} frames, {stars} stars: measuring {measuring:.1f} + corner turn {turning:.1f} core-ms a frame"
            f" ({1000 * turning / stars:.2f} us per star and cadence, {shuffle / (stars * frames):.0f} bytes shuffled"
            f" per star and frame)")
    if len(argv) > 3:
        line += f"; / inspect = {float(argv[3]) / (measuring + turning):.2f}"
    if len(argv) > 5:
        per_frame_ms = (measuring + turning) / int(argv[5])
        line += f"; / Python = {1000 / float(argv[4]) / per_frame_ms:.1f}x"
    print(line)


if __name__ == "__main__":
    main(sys.argv)
