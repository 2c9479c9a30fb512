package org.tessexo.common.vetting;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tessexo.common.model.ModelPackage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A trained vetter: the {@link VetterNetwork} and what scoring needs ({@link Info}), in one {@code vetter.zip}
 * (DL4J's model zip plus a {@code tess-vetter.json} entry). Scores a signal's {@link SignalViews} with the
 * probability of each {@link Kind}; the disposition is a planet candidate when the planet probability reaches the
 * threshold, else the likelier of the other two. One instance per thread (DL4J networks are not thread-safe).
 */
public final class Vetter {
    public static final String ENTRY = "tess-vetter.json";
    /** tess.vetter.model's value for no vetting ("" is the shipped vetter, anything else a vetter.zip URI). */
    public static final String NONE = "none";
    /** The vetter shipped in the jar, trained by {@code train-vetter} on ../shared/data (README: Vetting). */
    public static final String SHIPPED = "/org/tessexo/vetting/vetter.zip";

    /** The classes, in the network's output order. */
    public enum Kind {
        PLANET("planet candidate"), ECLIPSING_BINARY("eclipsing binary"), FALSE_ALARM("false alarm");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What a vetter file says about itself.
     *
     * @param threshold   planet probability from which a signal is a planet candidate
     * @param trainedOn   the input it was trained on, and the examples by kind
     * @param heldOutAuc  ROC AUC of planet against not planet on the held-out stars
     */
    public record Info(int globalBins, int localBins, List<String> scalars, double threshold, String trainedOn,
                       long examples, double heldOutAuc, String created) {
        private static final ObjectMapper JSON = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        public String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public static Info fromJson(String json) throws IOException {
            return JSON.readValue(json, Info.class);
        }
    }

    /** A signal's scores: the probability of each kind, and the disposition. */
    public record Score(double planet, double binary, double falseAlarm, Kind disposition) {
    }

    private final ComputationGraph network;
    private final Info info;

    public Vetter(ComputationGraph network, Info info) {
        this.network = network;
        this.info = info;
        if (info.globalBins() != SignalViews.GLOBAL_BINS || info.localBins() != SignalViews.LOCAL_BINS
                || !info.scalars().equals(List.of(SignalViews.SCALARS))) {
            throw new IllegalArgumentException("the vetter was trained on views of " + info.globalBins() + " and "
                    + info.localBins() + " bins and features " + info.scalars() + "; this version makes "
                    + SignalViews.GLOBAL_BINS + ", " + SignalViews.LOCAL_BINS + " and " + List.of(SignalViews.SCALARS)
                    + ": train it again (train-vetter)");
        }
    }

    public static Info info(double threshold, String trainedOn, long examples, double auc) {
        return new Info(SignalViews.GLOBAL_BINS, SignalViews.LOCAL_BINS, List.of(SignalViews.SCALARS), threshold,
                trainedOn, examples, auc, java.time.Instant.now().toString());
    }

    public Info info() {
        return info;
    }

    public ComputationGraph network() {
        return network;
    }

    public List<Score> score(List<SignalViews.Views> views) {
        List<Score> out = new ArrayList<>();
        if (views.isEmpty()) {
            return out;
        }
        INDArray p = network.outputSingle(false, VetterNetwork.features(views));
        for (int i = 0; i < views.size(); i++) {
            double planet = p.getDouble(i, Kind.PLANET.ordinal());
            double binary = p.getDouble(i, Kind.ECLIPSING_BINARY.ordinal());
            double falseAlarm = p.getDouble(i, Kind.FALSE_ALARM.ordinal());
            Kind d = planet >= info.threshold() ? Kind.PLANET
                    : binary >= falseAlarm ? Kind.ECLIPSING_BINARY : Kind.FALSE_ALARM;
            out.add(new Score(planet, binary, falseAlarm, d));
        }
        return out;
    }

    public void save(Path target, boolean withUpdater) throws IOException {
        ModelPackage.save(network, ENTRY, info.toJson(), target, withUpdater);
    }

    /** A vetter from a file's bytes (as read from any Hadoop URI, or the shipped resource). */
    public static Vetter load(byte[] zip, boolean withUpdater) throws IOException {
        String json = null;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(ENTRY)) {
                    json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        if (json == null) {
            throw new IOException("no " + ENTRY + " in it: not a vetter written by train-vetter");
        }
        Path tmp = Files.createTempFile("tess-vetter-", ".zip");
        try {
            Files.write(tmp, zip);
            ComputationGraph net = ModelSerializer.restoreComputationGraph(tmp.toFile(), withUpdater);
            return new Vetter(net, Info.fromJson(json));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The shipped vetter's bytes, or null when this build has none. */
    public static byte[] shippedBytes() throws IOException {
        try (InputStream in = Vetter.class.getResourceAsStream(SHIPPED)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "vetter (threshold %.2f, held-out AUC %.3f, %d examples of %s)",
                info.threshold(), info.heldOutAuc(), info.examples(), info.trainedOn());
    }
}
