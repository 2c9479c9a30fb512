package org.tessexo.common.photometry;

import nom.tam.fits.Header;

import java.io.Serializable;
import java.util.Locale;

/**
 * A celestial world coordinate system of the gnomonic (TAN) projection with optional SIP distortion, as SPOC
 * calibrated FFIs carry it (Greisen &amp; Calabretta 2002, Calabretta &amp; Greisen 2002; Shupe et al. 2005 for SIP).
 * Pixels are zero-based here (x = column, y = row, the centre of the first pixel at 0, 0), as astropy's
 * {@code origin=0}; the header's CRPIX is one-based.
 *
 * <p>Pixel to sky: SIP's forward polynomials A, B on the offsets from CRPIX, the CD matrix (or PC times CDELT),
 * the TAN deprojection, the spherical rotation to (CRVAL1, CRVAL2) with LONPOLE. Sky to pixel: the inverse
 * rotation and projection, CD's inverse, SIP's inverse polynomials AP, BP when present as a first guess, then
 * Newton steps on the forward polynomials until the pixel is exact to 1e-10 (astropy's {@code all_world2pix}).
 */
public final class Wcs implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double D2R = Math.PI / 180;

    private final double crpix1;
    private final double crpix2;
    private final double crval1;
    private final double crval2;
    private final double lonpole;
    /** CD matrix (degrees per pixel) and its inverse. */
    private final double cd11;
    private final double cd12;
    private final double cd21;
    private final double cd22;
    private final double inv11;
    private final double inv12;
    private final double inv21;
    private final double inv22;
    /** SIP coefficients [p][q] of u^p v^q; null without SIP. */
    private final double[][] a;
    private final double[][] b;
    private final double[][] ap;
    private final double[][] bp;

    private Wcs(double crpix1, double crpix2, double crval1, double crval2, double lonpole, double[] cd,
                double[][] a, double[][] b, double[][] ap, double[][] bp) {
        this.crpix1 = crpix1;
        this.crpix2 = crpix2;
        this.crval1 = crval1;
        this.crval2 = crval2;
        this.lonpole = lonpole;
        this.cd11 = cd[0];
        this.cd12 = cd[1];
        this.cd21 = cd[2];
        this.cd22 = cd[3];
        double det = cd11 * cd22 - cd12 * cd21;
        if (!(Math.abs(det) > 0) || !Double.isFinite(det)) {
            throw new IllegalArgumentException("singular CD matrix " + java.util.Arrays.toString(cd));
        }
        this.inv11 = cd22 / det;
        this.inv12 = -cd12 / det;
        this.inv21 = -cd21 / det;
        this.inv22 = cd11 / det;
        this.a = a;
        this.b = b;
        this.ap = ap;
        this.bp = bp;
    }

    /** A plain TAN projection: reference pixel (one-based, as in a header), sky position and CD matrix. */
    public static Wcs tan(double crpix1, double crpix2, double raDeg, double decDeg, double[] cd) {
        return new Wcs(crpix1, crpix2, raDeg, decDeg, 180, cd.clone(), null, null, null, null);
    }

    /**
     * The WCS of an image HDU's header, or an exception naming what is missing or unsupported.
     *
     * @throws IllegalArgumentException when the header has no celestial TAN WCS (the message says why)
     */
    public static Wcs of(Header h) {
        String c1 = h.getStringValue("CTYPE1");
        String c2 = h.getStringValue("CTYPE2");
        if (c1 == null || c2 == null) {
            throw new IllegalArgumentException("no WCS: CTYPE1/CTYPE2 missing");
        }
        c1 = c1.trim().toUpperCase(Locale.ROOT);
        c2 = c2.trim().toUpperCase(Locale.ROOT);
        if (!c1.startsWith("RA---TAN") || !c2.startsWith("DEC--TAN")) {
            throw new IllegalArgumentException("WCS " + c1 + " / " + c2 + " is not RA---TAN / DEC--TAN (TAN or"
                    + " TAN-SIP is read)");
        }
        for (String k : new String[] {"CRPIX1", "CRPIX2", "CRVAL1", "CRVAL2"}) {
            if (!h.containsKey(k)) {
                throw new IllegalArgumentException("WCS card " + k + " missing");
            }
        }
        double[] cd = new double[4];
        if (h.containsKey("CD1_1")) {
            cd[0] = h.getDoubleValue("CD1_1", 0);
            cd[1] = h.getDoubleValue("CD1_2", 0);
            cd[2] = h.getDoubleValue("CD2_1", 0);
            cd[3] = h.getDoubleValue("CD2_2", 0);
        } else {
            double s1 = h.getDoubleValue("CDELT1", 1);
            double s2 = h.getDoubleValue("CDELT2", 1);
            cd[0] = s1 * h.getDoubleValue("PC1_1", 1);
            cd[1] = s1 * h.getDoubleValue("PC1_2", 0);
            cd[2] = s2 * h.getDoubleValue("PC2_1", 0);
            cd[3] = s2 * h.getDoubleValue("PC2_2", 1);
        }
        boolean sip = c1.endsWith("-SIP");
        return new Wcs(h.getDoubleValue("CRPIX1"), h.getDoubleValue("CRPIX2"), h.getDoubleValue("CRVAL1"),
                h.getDoubleValue("CRVAL2"), h.getDoubleValue("LONPOLE", 180), cd,
                sip ? poly(h, "A") : null, sip ? poly(h, "B") : null, sip ? poly(h, "AP") : null,
                sip ? poly(h, "BP") : null);
    }

    private static double[][] poly(Header h, String name) {
        int order = h.getIntValue(name + "_ORDER", -1);
        if (order < 0) {
            return null;
        }
        double[][] c = new double[order + 1][order + 1];
        for (int p = 0; p <= order; p++) {
            for (int q = 0; p + q <= order; q++) {
                c[p][q] = h.getDoubleValue(name + "_" + p + "_" + q, 0);
            }
        }
        return c;
    }

    private static double eval(double[][] c, double u, double v) {
        if (c == null) {
            return 0;
        }
        double sum = 0;
        double up = 1;
        for (int p = 0; p < c.length; p++) {
            double vq = 1;
            for (int q = 0; p + q < c.length; q++) {
                sum += c[p][q] * up * vq;
                vq *= v;
            }
            up *= u;
        }
        return sum;
    }

    /** Right ascension and declination in degrees of zero-based pixel (x, y); RA in [0, 360). */
    public double[] pixelToSky(double x, double y) {
        double u = x + 1 - crpix1;
        double v = y + 1 - crpix2;
        double us = u + eval(a, u, v);
        double vs = v + eval(b, u, v);
        double xi = cd11 * us + cd12 * vs;
        double eta = cd21 * us + cd22 * vs;
        double phi = Math.atan2(xi, -eta);
        double r = Math.hypot(xi, eta) * D2R;
        double theta = Math.atan2(1, r);
        double dp = crval2 * D2R;
        double dphi = phi - lonpole * D2R;
        double ra = crval1 * D2R + Math.atan2(-Math.cos(theta) * Math.sin(dphi),
                Math.sin(theta) * Math.cos(dp) - Math.cos(theta) * Math.sin(dp) * Math.cos(dphi));
        double dec = Math.asin(Math.sin(theta) * Math.sin(dp) + Math.cos(theta) * Math.cos(dp) * Math.cos(dphi));
        double raDeg = ra / D2R % 360;
        return new double[] {raDeg < 0 ? raDeg + 360 : raDeg, dec / D2R};
    }

    /**
     * Zero-based pixel (x, y) of a sky position in degrees; NaN for a position on the far hemisphere of the
     * projection (no pixel shows it).
     */
    public double[] skyToPixel(double raDeg, double decDeg) {
        double ra = raDeg * D2R;
        double dec = decDeg * D2R;
        double ap0 = crval1 * D2R;
        double dp = crval2 * D2R;
        double da = ra - ap0;
        double phi = lonpole * D2R + Math.atan2(-Math.cos(dec) * Math.sin(da),
                Math.sin(dec) * Math.cos(dp) - Math.cos(dec) * Math.sin(dp) * Math.cos(da));
        double sinTheta = Math.sin(dec) * Math.sin(dp) + Math.cos(dec) * Math.cos(dp) * Math.cos(da);
        if (sinTheta <= 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double theta = Math.asin(Math.min(1, sinTheta));
        double r = Math.cos(theta) / Math.sin(theta) / D2R;
        double xi = r * Math.sin(phi);
        double eta = -r * Math.cos(phi);
        double us = inv11 * xi + inv12 * eta;
        double vs = inv21 * xi + inv22 * eta;
        double u = us + eval(ap, us, vs);
        double v = vs + eval(bp, us, vs);
        if (a != null || b != null) {
            // Newton on f(u, v) = (u + A(u, v) - us, v + B(u, v) - vs), derivatives by central differences.
            for (int it = 0; it < 20; it++) {
                double fu = u + eval(a, u, v) - us;
                double fv = v + eval(b, u, v) - vs;
                if (Math.abs(fu) < 1e-11 && Math.abs(fv) < 1e-11) {
                    break;
                }
                double h = 1e-3;
                double j11 = 1 + (eval(a, u + h, v) - eval(a, u - h, v)) / (2 * h);
                double j12 = (eval(a, u, v + h) - eval(a, u, v - h)) / (2 * h);
                double j21 = (eval(b, u + h, v) - eval(b, u - h, v)) / (2 * h);
                double j22 = 1 + (eval(b, u, v + h) - eval(b, u, v - h)) / (2 * h);
                double det = j11 * j22 - j12 * j21;
                u -= (j22 * fu - j12 * fv) / det;
                v -= (-j21 * fu + j11 * fv) / det;
            }
        }
        return new double[] {u + crpix1 - 1, v + crpix2 - 1};
    }

    /** The pixel scale at the reference pixel, arcseconds per pixel (the CD matrix's geometric mean). */
    public double pixelScaleArcsec() {
        return Math.sqrt(Math.abs(cd11 * cd22 - cd12 * cd21)) * 3600;
    }

    /** The cards of this WCS (without SIP), for writing a header. */
    public void writeTo(Header h) throws nom.tam.fits.HeaderCardException {
        h.addValue("WCSAXES", 2, "");
        h.addValue("CTYPE1", a == null ? "RA---TAN" : "RA---TAN-SIP", "");
        h.addValue("CTYPE2", a == null ? "DEC--TAN" : "DEC--TAN-SIP", "");
        h.addValue("CRPIX1", crpix1, "");
        h.addValue("CRPIX2", crpix2, "");
        h.addValue("CRVAL1", crval1, "");
        h.addValue("CRVAL2", crval2, "");
        h.addValue("CD1_1", cd11, "");
        h.addValue("CD1_2", cd12, "");
        h.addValue("CD2_1", cd21, "");
        h.addValue("CD2_2", cd22, "");
        h.addValue("CUNIT1", "deg", "");
        h.addValue("CUNIT2", "deg", "");
        if (a != null) {
            writePoly(h, "A", a);
            writePoly(h, "B", b);
        }
    }

    private static void writePoly(Header h, String name, double[][] c) throws nom.tam.fits.HeaderCardException {
        h.addValue(name + "_ORDER", c.length - 1, "");
        for (int p = 0; p < c.length; p++) {
            for (int q = 0; p + q < c.length; q++) {
                if (c[p][q] != 0) {
                    h.addValue(name + "_" + p + "_" + q, c[p][q], "");
                }
            }
        }
    }
}
