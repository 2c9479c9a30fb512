package org.tessexo.serve;

import com.typesafe.config.Config;
import org.tessexo.common.errors.UserException;

/**
 * {@code tess.serve}: where to listen and the server's limits (reference.conf explains each).
 *
 * @param maxConcurrent requests scored at once, already resolved (0 in the file: the processors)
 */
public record ServeSettings(String model, String host, int port, long maxBodyBytes, int maxConcurrent, int queue,
                            long requestTimeoutMs, long idleTimeoutMs, long reloadCheckMs, long shutdownGraceMs) {

    public static ServeSettings from(Config serve) {
        int concurrent = serve.getInt("max-concurrent");
        ServeSettings s = new ServeSettings(serve.getString("model").trim(), serve.getString("host"),
                serve.getInt("port"), serve.getLong("max-body-bytes"),
                concurrent > 0 ? concurrent : Runtime.getRuntime().availableProcessors(), serve.getInt("queue"),
                Math.round(serve.getDouble("request-timeout-s") * 1000), Math.round(serve.getDouble("idle-timeout-s")
                * 1000), Math.round(serve.getDouble("reload-check-s") * 1000),
                Math.round(serve.getDouble("shutdown-grace-s") * 1000));
        s.validate();
        return s;
    }

    private void validate() {
        require(port >= 0 && port <= 65535, "tess.serve.port must be in 0..65535 (0: any free port)");
        require(maxBodyBytes >= 2880, "tess.serve.max-body-bytes must be at least one FITS block (2880)");
        require(maxConcurrent >= 1 && maxConcurrent <= 256, "tess.serve.max-concurrent must be in 0..256");
        require(queue >= 0 && queue <= 10_000, "tess.serve.queue must be in 0..10000");
        require(requestTimeoutMs > 0, "tess.serve.request-timeout-s must be > 0");
        require(idleTimeoutMs > 0, "tess.serve.idle-timeout-s must be > 0");
        require(reloadCheckMs >= 0, "tess.serve.reload-check-s must be >= 0 (0: reload on request only)");
        require(shutdownGraceMs >= 0, "tess.serve.shutdown-grace-s must be >= 0");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserException("Bad configuration: " + message);
        }
    }
}
