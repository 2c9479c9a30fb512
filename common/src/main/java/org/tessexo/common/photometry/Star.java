package org.tessexo.common.photometry;

import java.io.Serializable;

/**
 * A star measured on one CCD: where it sits (zero-based pixel of the reference image, and the sky), its catalog
 * magnitude when given (NaN otherwise), its flux on the reference image (e-/s), the radius of its aperture and how
 * much of that aperture's light is its own.
 *
 * @param tic      the TIC number when the star came from a catalog with numeric ids, else 0
 * @param crowding the share of the aperture's light on the reference that is the star's own, other stars' modelled
 *                 light taken out ({@link Crowding}; SPOC's CROWDSAP): 1 for an isolated star, NaN where not known
 */
public record Star(String id, long tic, double ra, double dec, double x, double y, double mag, double flux,
                   double radius, double crowding) implements Serializable {
    /** A star whose crowding is not known (yet). */
    public Star(String id, long tic, double ra, double dec, double x, double y, double mag, double flux,
                double radius) {
        this(id, tic, ra, dec, x, y, mag, flux, radius, Double.NaN);
    }

    public Star withAperture(double newFlux, double newRadius) {
        return new Star(id, tic, ra, dec, x, y, mag, newFlux, newRadius, crowding);
    }

    public Star withCrowding(double share) {
        return new Star(id, tic, ra, dec, x, y, mag, flux, radius, share);
    }
}
