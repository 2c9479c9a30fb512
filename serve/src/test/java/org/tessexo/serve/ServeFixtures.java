package org.tessexo.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.tessexo.common.config.SettingsLoader;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.image.PreprocessSettings;
import org.tessexo.common.model.CnnFactory;
import org.tessexo.common.model.ModelMetadata;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.common.model.ModelSettings;
import org.tessexo.common.testing.FitsFixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Models, files and a client for the server's tests: everything on 127.0.0.1. */
final class ServeFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServeFixtures() {
    }

    /** An untrained image CNN (its probabilities still sum to 1) reading the CAL image HDU, 16 x 16 input. */
    static void model(Path file, long seed) throws IOException {
        ModelSettings m = new ModelSettings(3, new int[] {4}, 8, 1e-2, seed, List.of("clean", "scattered-light"));
        PreprocessSettings pre = new PreprocessSettings(PreprocessSettings.Trim.AUTO, 16, 16, 5);
        MultiLayerNetwork net = CnnFactory.build(m, 16, 16);
        ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, "table", m.classes(),
                new int[] {1, 1, 16, 16}, new DecoderSettings("CAL", 32, 1L << 30, 0), pre, m, "test seed " + seed,
                "2026-12-02T00:00:00Z");
        ModelPackage.save(net, meta, file);
    }

    /** An image file whose CAL HDU the model scores. */
    static byte[] image() {
        return FitsFixtures.bytes(FitsFixtures.emptyPrimary(),
                FitsFixtures.image(FitsFixtures.ramp(60, 50), "CAL", null));
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    static ServeSettings settings(Path model, String... overrides) {
        List<String> o = new ArrayList<>(List.of("serve.port=0", "serve.host=127.0.0.1", "serve.reload-check-s=0",
                "serve.model=" + (model == null ? "" : model.toUri())));
        o.addAll(List.of(overrides)); // the test's own, which win
        return ServeSettings.from(SettingsLoader.tree(null, null, o).getConfig("serve"));
    }

    static org.tessexo.common.config.PipelineSettings pipeline(String... overrides) {
        return SettingsLoader.settings(SettingsLoader.tree(null, null, List.of(overrides)));
    }

    record Reply(int status, String contentType, byte[] body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static Reply post(int port, String path, String contentType, byte[] body) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    static Reply get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }
}
