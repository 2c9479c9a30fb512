package org.tessexo.spark.transforms;

import org.tessexo.common.fits.Outcome;

import java.io.Serializable;

/**
 * One listed file after decoding: its outcome and, for images, the preprocessed model input. {@code label} is -1
 * until the labels join sets it. Small apart from {@code features} (height x width floats). A plain class, not a
 * record: Spark's Kryo 4 cannot serialize records.
 */
public final class SampleRow implements Serializable, FileOutcome {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final Outcome outcome;
    private final String reason;
    private final String detail;
    private final int hdu;
    private final int height;
    private final int width;
    private final long bytesRead;
    private final float[] features;
    private final int label;

    public SampleRow(String path, Outcome outcome, String reason, String detail, int hdu, int height, int width,
                     long bytesRead, float[] features, int label) {
        this.path = path;
        this.outcome = outcome;
        this.reason = reason;
        this.detail = detail;
        this.hdu = hdu;
        this.height = height;
        this.width = width;
        this.bytesRead = bytesRead;
        this.features = features;
        this.label = label;
    }

    public String path() {
        return path;
    }

    @Override
    public Outcome outcome() {
        return outcome;
    }

    public String reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    public int hdu() {
        return hdu;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public long bytesRead() {
        return bytesRead;
    }

    /** A decoded image (its features may have been dropped, as {@code inspect} does). */
    public boolean isImage() {
        return outcome == Outcome.IMAGE;
    }

    public float[] features() {
        return features;
    }

    public int label() {
        return label;
    }

    /** The same row without the model input (for runs that only count and report). */
    public SampleRow withoutFeatures() {
        return features == null ? this
                : new SampleRow(path, outcome, reason, detail, hdu, height, width, bytesRead, null, label);
    }

    public SampleRow withLabel(int newLabel, String newReason) {
        return new SampleRow(path, outcome, newReason, detail, hdu, height, width, bytesRead, features, newLabel);
    }

    public SampleRow withLabel(int newLabel, String newReason, String newDetail) {
        return new SampleRow(path, outcome, newReason, newDetail, hdu, height, width, bytesRead, features, newLabel);
    }

    @Override
    public String toString() {
        return "SampleRow[" + path + ", " + outcome + ", " + reason + ", label " + label + "]";
    }
}
