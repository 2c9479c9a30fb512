package org.tessexo.spark.transforms;

import org.tessexo.common.photometry.FrameInfo;
import org.tessexo.common.photometry.Star;

import java.io.Serializable;
import java.util.List;

/**
 * One CCD's stars, as its reference image gave them: what every frame of the group is measured with.
 *
 * @param index      the group's number in this run (the high half of a light curve's key)
 * @param reference  the first reference frame's information (WCS, science region, exposure)
 * @param frames     frames combined into the reference
 * @param frameNoise the single-frame noise per pixel (e-/s)
 * @param readVariance a pixel's variance beyond the sky's shot noise, e^2 per exposure
 *                   ({@link org.tessexo.common.photometry.FramePhotometry#readVariance})
 * @param figure     the reference with its stars, PNG ({@link org.tessexo.common.photometry.ReferenceFigure}); empty
 *                   when the group has no stars
 * @param problem    why the group has no stars ("" when it has them)
 */
public record StarField(int index, String group, FrameInfo reference, List<Star> stars, int frames,
                        double frameNoise, double readVariance, byte[] figure, String problem)
        implements Serializable {
    static StarField failed(int index, String group, String problem) {
        return new StarField(index, group, null, List.of(), 0, Double.NaN, Double.NaN, new byte[0], problem);
    }

    /** The same without its figure: what the executors are sent. */
    public StarField withoutFigure() {
        return new StarField(index, group, reference, stars, frames, frameNoise, readVariance, new byte[0], problem);
    }
}
