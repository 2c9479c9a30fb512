package org.tessexo.common.photometry;

import nom.tam.fits.Header;
import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.fits.ScienceRegion;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the photometry needs to know of one full-frame image before reading its pixels: which CCD of which sector it
 * is, when it was taken (BTJD: TSTART and TSTOP of its header, the mid-time between them), its quality flags
 * (DQUALITY), exposure, size, science region and WCS.
 *
 * @param group the CCD's key, {@code s<sector>-<camera>-<ccd>}: frames of one group share one reference image and
 *              one star list
 */
public record FrameInfo(String group, int sector, int camera, int ccd, double tstart, double tstop, int quality,
                        double exposureSeconds, int height, int width, ScienceRegion region, Wcs wcs)
        implements Serializable {
    public static final String NO_CCD = "no sector, camera and CCD";
    public static final String NO_TIME = "no TSTART/TSTOP";
    public static final String NO_WCS = "no usable WCS";
    /** SPOC's FFI names: tess2018206192942-s0001-1-1-0120-s_ffic.fits is sector 1, camera 1, CCD 1. */
    private static final Pattern NAME = Pattern.compile("-s(\\d{4})-(\\d)-(\\d)-");

    public double midBtjd() {
        return (tstart + tstop) / 2;
    }

    /** The frame's information, or why it cannot be had (a reason above, then the specifics). */
    public record Parsed(FrameInfo info, String reason, String detail) {
    }

    /**
     * Reads the cards of the image's HDU, then the primary's: SECTOR, CAMERA, CCD (else the SPOC file name),
     * TSTART, TSTOP, DQUALITY, EXPOSURE (days; else 80% of the frame's span, TESS's duty cycle), the science region
     * (else the whole image) and the WCS.
     */
    public static Parsed of(DecodedImage image, String path) {
        Header h = image.header();
        Header p = image.primaryHeader();
        int sector = intCard(h, p, "SECTOR");
        int camera = intCard(h, p, "CAMERA");
        int ccd = intCard(h, p, "CCD");
        if (sector < 0 || camera < 0 || ccd < 0) {
            Matcher m = NAME.matcher(path == null ? "" : path);
            if (!m.find()) {
                return new Parsed(null, NO_CCD, "no SECTOR, CAMERA, CCD cards and not a SPOC FFI name"
                        + " (...-s0001-1-1-...)");
            }
            sector = Integer.parseInt(m.group(1));
            camera = Integer.parseInt(m.group(2));
            ccd = Integer.parseInt(m.group(3));
        }
        double tstart = doubleCard(h, p, "TSTART");
        double tstop = doubleCard(h, p, "TSTOP");
        if (!Double.isFinite(tstart) || !Double.isFinite(tstop) || tstop < tstart) {
            return new Parsed(null, NO_TIME, "TSTART " + tstart + ", TSTOP " + tstop);
        }
        double exposure = doubleCard(h, p, "EXPOSURE");
        exposure = Double.isFinite(exposure) && exposure > 0 ? exposure * 86400 : 0.8 * (tstop - tstart) * 86400;
        Wcs wcs;
        try {
            wcs = Wcs.of(h);
        } catch (IllegalArgumentException e) {
            return new Parsed(null, NO_WCS, e.getMessage());
        }
        ScienceRegion region = image.scienceRegion();
        if (region == null || !region.fits(image.height(), image.width())) {
            region = new ScienceRegion(1, image.width(), 1, image.height());
        }
        Integer q = image.quality();
        return new Parsed(new FrameInfo(group(sector, camera, ccd), sector, camera, ccd,
                tstart, tstop, q == null ? 0 : q, exposure, image.height(), image.width(), region, wcs), "", "");
    }

    /** A CCD's group name, {@code s0001-1-1}: its frames share a reference, stars and light curves. */
    public static String group(int sector, int camera, int ccd) {
        return String.format(java.util.Locale.ROOT, "s%04d-%d-%d", sector, camera, ccd);
    }

    private static int intCard(Header h, Header p, String key) {
        for (Header x : new Header[] {h, p}) {
            if (x != null && x.containsKey(key)) {
                return x.getIntValue(key, -1);
            }
        }
        return -1;
    }

    private static double doubleCard(Header h, Header p, String key) {
        for (Header x : new Header[] {h, p}) {
            if (x != null && x.containsKey(key)) {
                return x.getDoubleValue(key, Double.NaN);
            }
        }
        return Double.NaN;
    }
}
