package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The configuration reaches executors through both of Spark's serializers (a real cluster serializes broadcasts). */
class SerializableHadoopConfTest {

    private static SerializableHadoopConf roundTrip(SerializerInstance s, SerializableHadoopConf c) {
        ByteBuffer bytes = s.serialize(c, ClassTag$.MODULE$.apply(SerializableHadoopConf.class));
        return s.deserialize(bytes, ClassTag$.MODULE$.apply(SerializableHadoopConf.class));
    }

    @Test
    void survivesKryoAndJavaSerialization() {
        Configuration conf = new Configuration(false);
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:9000");
        conf.set("fs.s3a.attempts.maximum", "3");
        SparkConf spark = new SparkConf().set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        for (SerializerInstance s : new SerializerInstance[] {new KryoSerializer(spark).newInstance(),
                new JavaSerializer(spark).newInstance()}) {
            Configuration back = roundTrip(s, new SerializableHadoopConf(conf)).get();
            assertEquals("http://127.0.0.1:9000", back.get("fs.s3a.endpoint"), s.getClass().getSimpleName());
            assertEquals(3, back.getInt("fs.s3a.attempts.maximum", 0));
        }
    }
}
