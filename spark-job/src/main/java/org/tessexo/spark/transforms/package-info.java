/**
 * The functions executors run, one row per file ({@code DecodeFn}, {@code SearchFn}), the rows, and the labels join.
 */
package org.tessexo.spark.transforms;
