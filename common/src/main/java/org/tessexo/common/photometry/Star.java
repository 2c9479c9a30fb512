package org.tessexo.common.photometry;

import java.io.Serializable;

/**
 * A star measured on one CCD: where it sits (zero-based pixel of the reference image, and the sky), its catalog
 * magnitude when given (NaN otherwise), its flux on the reference image (e-/s) and the radius of its aperture.
 *
 * @param tic the TIC number when the star came from a catalog with numeric ids, else 0
 */
public record Star(String id, long tic, double ra, double dec, double x, double y, double mag, double flux,
                   double radius) implements Serializable {
    public Star withAperture(double newFlux, double newRadius) {
        return new Star(id, tic, ra, dec, x, y, mag, newFlux, newRadius);
    }
}
