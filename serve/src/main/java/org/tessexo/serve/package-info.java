/**
 * The HTTP server ({@code ./submit.sh serve}): FITS images scored with a model.zip, light curves searched and
 * vetted, with the batch jobs' domain code (common/). Jetty 12's core handlers, no servlet container, no Spark.
 */
package org.tessexo.serve;
