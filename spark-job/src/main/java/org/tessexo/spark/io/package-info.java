/**
 * Reading and writing through Hadoop file systems: listing ({@code FitsLister}), reading files and what a failed
 * read means ({@code HadoopFiles}), several files in flight ({@code Prefetching}), the claimed output folder
 * ({@code OutputStore}), CSV.
 */
package org.tessexo.spark.io;
