package org.tessexo.spark.bench;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;
import org.tessexo.common.model.CnnFactory;
import org.tessexo.common.model.OneDnn;
import org.tessexo.common.model.ViewsCnnFactory;
import org.tessexo.spark.engine.Dl4jSparkTrainer;
import org.tessexo.spark.engine.SparkSetup;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training throughput of the default CNN (reference.conf's tess.model and tess.training) on the same samples:
 * <ul>
 *   <li>{@code plain}: one JVM, {@code MultiLayerNetwork.fit} on minibatches that are views of one array;</li>
 *   <li>{@code spark}: {@code local[W]} with the pipeline's trainer (DL4J parameter averaging, W workers), on an
 *   RDD of one-example DataSets cached once, as {@code train} does.</li>
 * </ul>
 * Both first write the samples (raw little-endian float32 and int8 labels) under the output folder, so that
 * {@code bench/torch_twin.py} trains on the very same data. Prints one line {@code samples_per_s=X ...}.
 *
 * <ul>
 *   <li>{@code views}: one JVM, the AstroNet-kind network ({@link ViewsCnnFactory.Settings#astroNet()}: a 2001-bin
 *   global and a 201-bin local view) with {@code ComputationGraph.fit}; its samples are written as
 *   {@code views-global.f32}, {@code views-local.f32} and {@code views-y.i8} for
 *   {@code bench/torch_views_twin.py}.</li>
 * </ul>
 * {@code --onednn off} builds the networks without DL4J's oneDNN helpers (the path before they were engaged).
 *
 * <pre>TrainingBench plain|spark|views OUT_DIR [--samples 512] [--epochs 3] [--workers 2] [--batch B]
 *     [--onednn on|off]</pre>
 * Run by bench/run.sh; a benchmark, not a test.
 */
public final class TrainingBench {
    private TrainingBench() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path out = Path.of(args[1]);
        int samples = 512;
        int epochs = 3;
        int workers = 2;
        int batchOption = 0;
        boolean oneDnn = true;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--samples" -> samples = Integer.parseInt(args[i + 1]);
                case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
                case "--workers" -> workers = Integer.parseInt(args[i + 1]);
                case "--batch" -> batchOption = Integer.parseInt(args[i + 1]);
                case "--onednn" -> oneDnn = !args[i + 1].equals("off");
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.setProperty(OneDnn.HELPERS_DISABLE, Boolean.toString(!oneDnn));
        PipelineSettings s = SettingsLoader.load("", "", List.of());
        int size = s.preprocess().height();
        int batch = batchOption > 0 ? batchOption : s.training().batchSizePerWorker();
        Files.createDirectories(out);
        if (mode.equals("views")) {
            double perSecond = views(out, samples, batch, epochs);
            System.out.printf(Locale.ROOT, "samples_per_s=%.1f mode=views samples=%d epochs=%d batch=%d onednn=%s"
                    + " omp=%s%n", perSecond, samples, epochs, batch, OneDnn.check().engaged(),
                    System.getenv().getOrDefault("OMP_NUM_THREADS", "default"));
            return;
        }
        float[][] x = new float[samples][];
        int[] y = new int[samples];
        samples(x, y, size, 2026);
        write(out, x, y);

        double perSecond = mode.equals("plain") ? plain(s, x, y, size, batch, epochs)
                : spark(s, x, y, size, epochs, workers);
        System.out.printf(Locale.ROOT, "samples_per_s=%.1f mode=%s samples=%d epochs=%d batch=%d%s onednn=%s"
                + " omp=%s%n", perSecond, mode, samples, epochs, batch, mode.equals("plain") ? "" : " workers="
                + workers, OneDnn.check().engaged(), System.getenv().getOrDefault("OMP_NUM_THREADS", "default"));
    }

    /** Normalized-looking noise; class 1 has a faint glow from one edge (the demo's task, made harder). */
    static void samples(float[][] x, int[] y, int size, long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            y[i] = i % 2;
            float[] v = new float[size * size];
            for (int p = 0; p < v.length; p++) {
                int col = p % size;
                v[p] = (float) rnd.nextGaussian() + (y[i] == 1 ? 1.5f * (size - col) / size : 0f);
            }
            x[i] = v;
        }
    }

    private static void write(Path out, float[][] x, int[] y) throws IOException {
        writeFloats(out.resolve("train-x.f32"), x);
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(out.resolve("train-y.i8")))) {
            for (int v : y) {
                o.writeByte(v);
            }
        }
    }

    private static double plain(PipelineSettings s, float[][] x, int[] y, int size, int batch, int epochs) {
        MultiLayerNetwork net = CnnFactory.build(s.model(), size, size);
        int n = x.length / batch * batch;
        INDArray features = Nd4j.create(n, 1, size, size);
        INDArray labels = Nd4j.zeros(n, s.model().numClasses());
        for (int i = 0; i < n; i++) {
            features.get(NDArrayIndex.point(i)).assign(Nd4j.create(x[i], new long[] {1, size, size}, 'c'));
            labels.putScalar(i, y[i], 1.0);
        }
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < n; i += batch) {
            // views of the two arrays: no copy per batch
            batches.add(new DataSet(features.get(NDArrayIndex.interval(i, i + batch)),
                    labels.get(NDArrayIndex.interval(i, i + batch))));
        }
        for (int i = 0; i < 5; i++) {
            net.fit(batches.get(i % batches.size()));
        }
        long t0 = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            for (DataSet d : batches) {
                net.fit(d);
            }
        }
        return (double) epochs * n / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * The views network on {@code samples} pairs of views: noise, and a box dip at the centre whose depth depends
     * on the class (what the vetting network will see, for throughput).
     */
    private static double views(Path out, int samples, int batch, int epochs) throws IOException {
        ViewsCnnFactory.Settings vs = ViewsCnnFactory.Settings.astroNet();
        int g = vs.globalBins();
        int l = vs.localBins();
        int classes = vs.numClasses();
        int n = samples / batch * batch;
        Random rnd = new Random(2026);
        float[][] gx = new float[n][g];
        float[][] lx = new float[n][l];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            float depth = 0.2f * (y[i] + 1);
            for (int p = 0; p < g; p++) {
                gx[i][p] = (float) (0.1 * rnd.nextGaussian()) - (Math.abs(p - g / 2) < 20 ? depth : 0);
            }
            for (int p = 0; p < l; p++) {
                lx[i][p] = (float) (0.1 * rnd.nextGaussian()) - (Math.abs(p - l / 2) < 25 ? depth : 0);
            }
        }
        writeFloats(out.resolve("views-global.f32"), gx);
        writeFloats(out.resolve("views-local.f32"), lx);
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(out.resolve("views-y.i8")))) {
            for (int v : y) {
                o.writeByte(v);
            }
        }
        ComputationGraph net = ViewsCnnFactory.build(vs);
        List<MultiDataSet> batches = new ArrayList<>();
        for (int i = 0; i < n; i += batch) {
            INDArray gb = Nd4j.create(batch, 1, 1, g);
            INDArray lb = Nd4j.create(batch, 1, 1, l);
            INDArray yb = Nd4j.zeros(batch, classes);
            for (int j = 0; j < batch; j++) {
                gb.get(NDArrayIndex.point(j)).assign(Nd4j.create(gx[i + j], new long[] {1, 1, g}, 'c'));
                lb.get(NDArrayIndex.point(j)).assign(Nd4j.create(lx[i + j], new long[] {1, 1, l}, 'c'));
                yb.putScalar(j, y[i + j], 1.0);
            }
            batches.add(new MultiDataSet(new INDArray[] {gb, lb}, new INDArray[] {yb}));
        }
        for (int i = 0; i < 3; i++) {
            net.fit(batches.get(i % batches.size()));
        }
        long t0 = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            for (MultiDataSet d : batches) {
                net.fit(d);
            }
        }
        return (double) epochs * n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void writeFloats(Path file, float[][] rows) throws IOException {
        try (OutputStream o = Files.newOutputStream(file)) {
            ByteBuffer b = ByteBuffer.allocate(rows[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] v : rows) {
                b.clear();
                b.asFloatBuffer().put(v);
                o.write(b.array());
            }
        }
    }

    private static double spark(PipelineSettings s, float[][] x, int[] y, int size, int epochs, int workers) {
        SparkConf conf = SparkSetup.configure(new SparkConf().setMaster("local[" + workers + "]")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"), s);
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            List<DataSet> one = new ArrayList<>();
            int classes = s.model().numClasses();
            for (int i = 0; i < x.length; i++) {
                INDArray l = Nd4j.zeros(1, classes);
                l.putScalar(0, y[i], 1.0);
                one.add(new DataSet(Nd4j.create(x[i], new long[] {1, 1, size, size}, 'c'), l));
            }
            JavaRDD<DataSet> data = sc.parallelize(one, workers * 4)
                    .persist(Dl4jSparkTrainer.storageLevel(s.training().storageLevel()));
            data.count();
            Dl4jSparkTrainer trainer = new Dl4jSparkTrainer(sc, CnnFactory.build(s.model(), size, size),
                    s.training());
            trainer.fit(data, 1, 1, (e, score, net) -> { }); // warm-up epoch
            long t0 = System.nanoTime();
            trainer.fit(data, 2, epochs + 1, (e, score, net) -> { });
            return (double) epochs * x.length / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
