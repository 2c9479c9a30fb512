package org.tessexo.spark.engine;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of the files of one step (decode, search), logged at most every {@code interval} seconds and at the end:
 * files done of listed, the rate, the time left. It listens to Spark's scheduler on the driver: the step's action
 * runs under a job group of its own, and each finished task of the stage that reads the key RDD adds the files of
 * its partition (parallelize slices {@code n} keys into {@code p} partitions of {@code n*(i+1)/p - n*i/p}).
 */
public final class Progress extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final SparkContext sc;
    private final String step;
    private final String group;
    private final long files;
    private final int partitions;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile int stage = -1;
    private volatile long lastPrint = start;

    private Progress(SparkContext sc, String step, long files, int partitions, double intervalSeconds) {
        this.sc = sc;
        this.step = step;
        this.group = "tess-" + step + "-" + Long.toHexString(System.nanoTime());
        this.files = files;
        this.partitions = partitions;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    /** Tracks the next action run on this thread until closed. */
    public static Progress start(SparkContext sc, String step, long files, int partitions, double intervalSeconds) {
        Progress p = new Progress(sc, step, files, partitions, intervalSeconds);
        sc.addSparkListener(p);
        sc.setJobGroup(p.group, step + " of " + files + " files", false);
        return p;
    }

    /**
     * Partitions for {@code files} keys: the configured number, else about 4 per core and at most
     * {@code filesPerTask} files each (so that slow files spread over the cores and progress moves), capped by the
     * number of files and 10,000.
     */
    public static int partitions(int files, int configured, int parallelism, int filesPerTask) {
        if (configured > 0) {
            return Math.max(1, Math.min(configured, files));
        }
        long wanted = Math.max(4L * Math.max(1, parallelism), (files + filesPerTask - 1L) / filesPerTask);
        return (int) Math.max(1, Math.min(Math.min(wanted, files), 10_000));
    }

    static long filesIn(long n, int p, int index) {
        return n * (index + 1) / p - n * index / p;
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        java.util.Properties props = job.properties();
        if (props == null || !group.equals(props.getProperty("spark.jobGroup.id"))) {
            return;
        }
        int first = Integer.MAX_VALUE;
        scala.collection.Iterator<StageInfo> stages = job.stageInfos().iterator();
        while (stages.hasNext()) {
            StageInfo s = stages.next();
            if (s.numTasks() == partitions) {
                first = Math.min(first, s.stageId());
            }
        }
        if (first != Integer.MAX_VALUE && stage < 0) {
            stage = first;
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.stageId() != stage || !end.taskInfo().successful() || end.taskInfo().speculative()) {
            return;
        }
        long now = System.nanoTime();
        long d = done.addAndGet(filesIn(files, partitions, end.taskInfo().index()));
        if (now - lastPrint >= intervalNanos && d < files) {
            lastPrint = now;
            LOG.info(line(d, now));
        }
    }

    String line(long d, long now) {
        double seconds = (now - start) / 1e9;
        double rate = d / Math.max(1e-9, seconds);
        String left = d == 0 ? "" : ", about " + duration((files - d) / rate) + " left";
        return String.format(Locale.ROOT, "%s: %d of %d files (%.0f%%), %.1f files/s%s", step, d, files,
                100.0 * d / files, rate, left);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d h %02d min", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }

    /** Files counted so far. */
    long done() {
        return done.get();
    }

    /** Stops tracking; logs the step's total. */
    public void close() {
        sc.clearJobGroup();
        sc.removeSparkListener(this);
        long now = System.nanoTime();
        if (done.get() > 0) {
            LOG.info("{} in {}", line(done.get(), now).replaceFirst(", about .* left$", ""),
                    duration((now - start) / 1e9));
        }
    }
}
