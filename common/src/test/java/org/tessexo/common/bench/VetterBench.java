package org.tessexo.common.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.model.OneDnn;
import org.tessexo.common.vetting.SignalViews;
import org.tessexo.common.vetting.Vetter;
import org.tessexo.common.vetting.VetterNetwork;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The vetter's costs, for bench/run.sh --only vetter:
 * <ol>
 *   <li>{@code fit}: samples/s of {@code VetterNetwork} fitted in one JVM (DL4J, oneDNN helpers on) on seeded
 *   random views, batch 32; the views are written as {@code vetter-*.f32} for {@code bench/torch_vetter_twin.py}
 *   (the same network in PyTorch, same samples, batch and threads);</li>
 *   <li>{@code cost LC}: the search of one light curve against vetting one of its signals (views + forward).</li>
 * </ol>
 * <pre>VetterBench fit OUT_DIR [samples] [epochs] | VetterBench cost LIGHTCURVE</pre>
 */
public final class VetterBench {
    private VetterBench() {
    }

    public static void main(String[] args) throws Exception {
        OneDnn.enable();
        if (args[0].equals("fit")) {
            int samples = args.length > 2 ? Integer.parseInt(args[2]) : 1024;
            int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
            fit(Path.of(args[1]), samples, epochs);
        } else {
            cost(Path.of(args[1]));
        }
    }

    static void fit(Path out, int samples, int epochs) throws IOException {
        Files.createDirectories(out);
        Random rnd = new Random(7);
        int[] widths = {SignalViews.GLOBAL_BINS, SignalViews.LOCAL_BINS, SignalViews.LOCAL_BINS,
            SignalViews.LOCAL_BINS, SignalViews.LOCAL_BINS, SignalViews.SCALARS.length};
        float[][][] x = new float[widths.length][samples][];
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = rnd.nextInt(3);
            for (int k = 0; k < widths.length; k++) {
                x[k][i] = new float[widths[k]];
                for (int j = 0; j < widths[k]; j++) {
                    x[k][i][j] = (float) rnd.nextGaussian() - (k < 5 && Math.abs(j - widths[k] / 2) < 3 ? y[i] : 0);
                }
            }
        }
        for (int k = 0; k < widths.length; k++) {
            ByteBuffer b = ByteBuffer.allocate(samples * widths[k] * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : x[k]) {
                for (float v : row) {
                    b.putFloat(v);
                }
            }
            Files.write(out.resolve("vetter-" + VetterNetwork.INPUTS.get(k) + ".f32"), b.array());
        }
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(out.resolve("vetter-y.i8")))) {
            for (int v : y) {
                o.writeByte(v);
            }
        }
        ComputationGraph net = VetterNetwork.build(VetterNetwork.Settings.defaults());
        int batch = 32;
        List<MultiDataSet> batches = new ArrayList<>();
        for (int i = 0; i < samples; i += batch) {
            int n = Math.min(batch, samples - i);
            INDArray[] f = new INDArray[widths.length];
            for (int k = 0; k < widths.length; k++) {
                float[][] rows = java.util.Arrays.copyOfRange(x[k], i, i + n);
                f[k] = k < 5 ? Nd4j.create(rows).reshape(n, 1, 1, widths[k]) : Nd4j.create(rows);
            }
            INDArray labels = Nd4j.zeros(n, 3);
            for (int j = 0; j < n; j++) {
                labels.putScalar(j, y[i + j], 1);
            }
            batches.add(new MultiDataSet(f, new INDArray[] {labels}));
        }
        batches.forEach(net::fit); // warm-up epoch
        long t = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            batches.forEach(net::fit);
        }
        double s = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "samples_per_s=%.1f samples=%d epochs=%d batch=%d params=%d onednn=%s%n",
                samples * epochs / s, samples, epochs, batch, net.numParams(), OneDnn.check());
    }

    static void cost(Path file) throws IOException {
        LightCurve lc = new LightCurveReader("PDCSAP_FLUX").read(Files.readAllBytes(file), file.toString())
                .lightCurve();
        TransitSearch search = new TransitSearch(TransitSearch.Settings.defaults());
        search.search(lc);
        long t = System.nanoTime();
        TransitSearch.Result r = search.search(lc);
        double searchS = (System.nanoTime() - t) / 1e9;
        Vetter v = new Vetter(VetterNetwork.build(VetterNetwork.Settings.defaults()), Vetter.info(0.5, "bench", 0,
                0));
        TransitSearch.Signal g = r.signals().get(0);
        for (int i = 0; i < 20; i++) {
            v.score(List.of(SignalViews.of(r.detrended(), g)));
        }
        int n = 200;
        t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            SignalViews.of(r.detrended(), g);
        }
        double viewsS = (System.nanoTime() - t) / 1e9 / n;
        SignalViews.Views views = SignalViews.of(r.detrended(), g);
        t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            v.score(List.of(views));
        }
        double forwardS = (System.nanoTime() - t) / 1e9 / n;
        System.out.printf(Locale.ROOT, "search_s=%.3f views_ms=%.2f forward_ms=%.2f vetting_fraction=%.4f"
                + " cadences=%d signals=%d%n", searchS, viewsS * 1e3, forwardS * 1e3,
                (viewsS + forwardS) * r.signals().size() / searchS, r.detrended().size(), r.signals().size());
    }
}
