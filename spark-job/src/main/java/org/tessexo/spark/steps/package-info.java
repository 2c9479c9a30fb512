/**
 * The steps the commands share: the ingest step ({@code Ingest}: list, per-file function, persist, count, outcomes),
 * the failure policy, labels, checkpoints, model files, evaluation and table writing. Steps return typed results;
 * only jobs fill the report.
 */
package org.tessexo.spark.steps;
