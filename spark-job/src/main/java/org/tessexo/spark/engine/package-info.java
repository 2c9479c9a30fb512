/**
 * Spark itself: configuration ({@code SparkSetup}, Kryo), progress lines, DL4J parameter-averaging training and
 * the Ctrl-C flag.
 */
package org.tessexo.spark.engine;
