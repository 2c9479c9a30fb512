package org.tessexo.spark.engine;

import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.model.OneDnn;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Whether DL4J's oneDNN helpers run the convolutions where training runs: the driver, and each executor JVM (a
 * helper is chosen when a layer is built there). Logged, and one line for the report.
 */
public final class NativeCheck {
    private static final Logger LOG = LoggerFactory.getLogger(NativeCheck.class);

    private NativeCheck() {
    }

    /** One small task per worker; each reports its JVM's {@link OneDnn#check()}. */
    public static String oneDnn(JavaSparkContext sc, int workers) {
        OneDnn.Status driver = OneDnn.enableAndReport();
        int n = Math.max(1, workers);
        List<String> executors = sc.parallelize(IntStream.range(0, n).boxed().toList(), n)
                .map(i -> {
                    OneDnn.Status s = OneDnn.check();
                    return (s.engaged() ? "engaged: " : "NOT engaged: ") + s.detail();
                })
                .distinct().collect();
        boolean all = driver.engaged() && executors.stream().allMatch(e -> e.startsWith("engaged"));
        String line = (all ? "engaged" : "NOT engaged") + " (driver: " + driver.detail() + "; executors: "
                + executors.stream().sorted().collect(Collectors.joining(" | ")) + ")";
        if (all) {
            LOG.info("oneDNN {}", line);
        } else {
            LOG.warn("oneDNN {}: training runs at about a third of its speed", line);
        }
        return line;
    }
}
