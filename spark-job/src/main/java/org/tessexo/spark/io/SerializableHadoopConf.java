package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Ships the driver's Hadoop configuration (with every {@code spark.hadoop.fs.s3a.*} setting) to executors. A
 * {@code new Configuration()} on an executor would silently drop them.
 *
 * <p>The settings travel as a plain map, so that both Java serialization and Spark's Kryo (which ignores
 * {@code writeObject} hooks and transient fields) carry them: with a transient {@code Configuration} and custom
 * hooks, executors of a real cluster received null while local mode, which never serializes broadcasts, worked.
 */
public final class SerializableHadoopConf implements Serializable {
    private static final long serialVersionUID = 2L;
    private final HashMap<String, String> entries = new HashMap<>();
    private transient Configuration conf;

    public SerializableHadoopConf(Configuration conf) {
        for (Map.Entry<String, String> e : conf) {
            entries.put(e.getKey(), e.getValue());
        }
        this.conf = conf;
    }

    public Configuration get() {
        if (conf == null) {
            Configuration c = new Configuration(false);
            entries.forEach(c::set);
            conf = c;
        }
        return conf;
    }
}
