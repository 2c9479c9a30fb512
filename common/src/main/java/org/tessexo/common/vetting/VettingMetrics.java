package org.tessexo.common.vetting;

import org.tessexo.common.eval.BinaryMetrics;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a vetter does on held-out examples: the ROC AUC of planet against not planet, recall and precision at the
 * threshold (overall and by injected SNR band), the confusion of the three classes, and on real labelled signals
 * the fraction of each class scored a planet candidate.
 */
public final class VettingMetrics {
    /** Injected SNR bands of the recall/precision table. */
    static final double[][] BANDS = {{0, 10}, {10, 15}, {15, 20}, {20, 30}, {30, Double.POSITIVE_INFINITY}};

    /** One held-out example and its score. */
    public record Scored(String star, String source, Vetter.Kind label, double planetScore, Vetter.Kind disposition,
                         double period, double snr, double injectedSnr, String detail) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Examples scored per call of the network: enough to fill its batch, small enough to bound memory. */
    public static final int BATCH = 64;

    /** Each example scored by the vetter, in order, {@link #BATCH} at a time. */
    public static List<Scored> scored(Vetter vetter, List<TrainingExamples.Example> examples) {
        List<Scored> out = new ArrayList<>(examples.size());
        for (int j = 0; j < examples.size(); j += BATCH) {
            List<TrainingExamples.Example> batch = examples.subList(j, Math.min(examples.size(), j + BATCH));
            List<Vetter.Score> scores = vetter.score(batch.stream().map(TrainingExamples.Example::views).toList());
            for (int k = 0; k < batch.size(); k++) {
                TrainingExamples.Example e = batch.get(k);
                Vetter.Score s = scores.get(k);
                out.add(new Scored(e.star(), e.source(), e.label(), s.planet(), s.disposition(),
                        e.signal().period(), e.signal().snr(), e.truthSnr(), e.detail()));
            }
        }
        return out;
    }

    private final BinaryMetrics overall;
    private final Map<String, Object> map;

    private VettingMetrics(BinaryMetrics overall, Map<String, Object> map) {
        this.overall = overall;
        this.map = map;
    }

    public double auc() {
        return overall.auc() == null ? Double.NaN : overall.auc();
    }

    public BinaryMetrics overall() {
        return overall;
    }

    public Map<String, Object> toMap() {
        return map;
    }

    public static VettingMetrics of(List<Scored> examples, double threshold) {
        BinaryMetrics overall = binary(examples, threshold);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("examples", examples.size());
        m.put("auc_planet_vs_not", overall.auc());
        m.put("recall", overall.recall());
        m.put("precision", overall.precision());
        m.put("threshold", threshold);
        int correct = 0;
        Map<String, Map<String, Integer>> confusion = new LinkedHashMap<>();
        for (Vetter.Kind k : Vetter.Kind.values()) {
            Map<String, Integer> row = new LinkedHashMap<>();
            for (Vetter.Kind d : Vetter.Kind.values()) {
                row.put(d.label(), 0);
            }
            confusion.put(k.label(), row);
        }
        for (Scored e : examples) {
            correct += e.label() == e.disposition() ? 1 : 0;
            confusion.get(e.label().label()).merge(e.disposition().label(), 1, Integer::sum);
        }
        m.put("accuracy_3_classes", examples.isEmpty() ? null : (double) correct / examples.size());
        m.put("confusion_label_to_disposition", confusion);
        List<Map<String, Object>> bands = new java.util.ArrayList<>();
        for (double[] b : BANDS) {
            List<Scored> in = examples.stream().filter(e -> e.injectedSnr() >= b[0] && e.injectedSnr() < b[1])
                    .toList();
            if (in.isEmpty()) {
                continue;
            }
            BinaryMetrics bm = binary(in, threshold);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("snr", Double.isInfinite(b[1]) ? String.format(Locale.ROOT, ">= %.0f", b[0])
                    : String.format(Locale.ROOT, "%.0f-%.0f", b[0], b[1]));
            row.put("injected", in.size());
            row.put("planets", in.stream().filter(e -> e.label() == Vetter.Kind.PLANET).count());
            row.put("recall", bm.recall());
            row.put("precision", bm.precision());
            bands.add(row);
        }
        m.put("by_injected_snr", bands);
        Map<String, Object> real = new LinkedHashMap<>();
        for (Vetter.Kind k : Vetter.Kind.values()) {
            List<Scored> r = examples.stream().filter(e -> e.source().equals("real") && e.label() == k).toList();
            if (!r.isEmpty()) {
                long planet = r.stream().filter(e -> e.disposition() == Vetter.Kind.PLANET).count();
                real.put(k.label(), Map.of("examples", r.size(), "scored_planet", planet));
            }
        }
        m.put("real", real);
        return new VettingMetrics(overall, m);
    }

    /** Planet candidate against the rest: the planet probability's metrics (AUC, log loss, ...). */
    public static BinaryMetrics binary(List<Scored> examples, double threshold) {
        double[] scores = new double[examples.size()];
        int[] labels = new int[examples.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = examples.get(i).planetScore();
            labels[i] = examples.get(i).label() == Vetter.Kind.PLANET ? 1 : 0;
        }
        return BinaryMetrics.compute(scores, labels, threshold);
    }
}
