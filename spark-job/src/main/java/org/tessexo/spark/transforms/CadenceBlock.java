package org.tessexo.spark.transforms;

import java.io.Serializable;

/**
 * One star over a block of frames, as a task's photometry gives it: the record the corner turn moves from frames to
 * light curves. A task measures up to {@link PhotometryFn}'s block of frames before it hands each star its
 * measurements, so that the shuffle moves one record per star and block, not per star and frame (10,000 stars and
 * 1,300 frames are 13 million single cadences). Primitive arrays, which Kryo writes in bulk.
 */
public final class CadenceBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    public double[] time;
    public float[] flux;
    public float[] error;
    public float[] background;
    public float[] centroidX;
    public float[] centroidY;
    /** The frames' pointing offsets (pixels), the same for every star of a frame. */
    public float[] pointingX;
    public float[] pointingY;
    public int[] quality;

    public CadenceBlock() {
    }

    CadenceBlock(int n) {
        time = new double[n];
        flux = new float[n];
        error = new float[n];
        background = new float[n];
        centroidX = new float[n];
        centroidY = new float[n];
        pointingX = new float[n];
        pointingY = new float[n];
        quality = new int[n];
    }

    public int size() {
        return time.length;
    }
}
