/**
 * One class per command ({@code InspectJob}, {@code TrainJob}, {@code SearchJob}) over the shared steps;
 * {@code JobRunner} claims the output folder, runs the command's job and writes its report.
 */
package org.tessexo.spark.jobs;
