/**
 * The functions executors run, one row per file and nothing thrown for one file ({@code DecodeFn},
 * {@code SearchFn}), the rows, the labels join, and the figures of a search's strongest candidates.
 */
package org.tessexo.spark.transforms;
