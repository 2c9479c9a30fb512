package org.tessexo.spark.transforms;

import java.io.Serializable;

/**
 * One star at one moment, as a frame's photometry gives it: the record the corner turn moves from frames to light
 * curves. A plain class of primitives (Kryo writes it field by field, about 40 bytes).
 */
public final class Cadence implements Serializable {
    private static final long serialVersionUID = 1L;

    public double time;
    public float flux;
    public float error;
    public float background;
    public float centroidX;
    public float centroidY;
    public int quality;
    /** The frame's pointing offset (pixels), the same for every star of the frame. */
    public float pointingX;
    public float pointingY;

    public Cadence() {
    }

    public Cadence(double time, float flux, float error, float background, float centroidX, float centroidY,
                   int quality, float pointingX, float pointingY) {
        this.time = time;
        this.flux = flux;
        this.error = error;
        this.background = background;
        this.centroidX = centroidX;
        this.centroidY = centroidY;
        this.quality = quality;
        this.pointingX = pointingX;
        this.pointingY = pointingY;
    }
}
