package org.tessexo.spark.transforms;

import org.tessexo.common.fits.Outcome;
import org.tessexo.common.vetting.TrainingExamples;

import java.io.Serializable;
import java.util.List;

/** What {@code train-vetter} made of one listed file: its outcome and the training examples it gave. */
public record ExampleRow(String path, Outcome outcome, String reason, String detail, long bytesRead,
                         List<TrainingExamples.Example> examples) implements Serializable, FileOutcome {
}
