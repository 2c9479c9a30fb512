package org.tessexo.common.lightcurve;

import java.util.Arrays;

/**
 * One star's brightness over time: {@code time} in BTJD (BJD - 2457000, days), {@code flux} and {@code fluxErr}
 * in the file's units (e-/s) or normalized, {@code quality} the SPOC QUALITY flags per cadence (0 when the file has
 * none). All arrays have the same length; time increases.
 */
public record LightCurve(double[] time, double[] flux, double[] fluxErr, int[] quality, Target target) {

    /**
     * Who and where: the TIC ID (0 when unknown), sector, camera, CCD (-1 when unknown), the flux used, the target's
     * name as its catalog writes it ("TIC 261136679", "KIC 11446443", "EPIC 228735255", or the file's name when no
     * catalog number is known), and the time system of the file's own times ("BTJD", "BKJD", "BJD"); the light
     * curve's {@code time} is BTJD whatever the file had.
     */
    public record Target(long tic, int sector, int camera, int ccd, String fluxColumn, String name,
                         String timeSystem) implements java.io.Serializable {
        private static final long serialVersionUID = 2L;

        /** A TESS target: named by its TIC (unnamed when 0), times in BTJD. */
        public Target(long tic, int sector, int camera, int ccd, String fluxColumn) {
            this(tic, sector, camera, ccd, fluxColumn, tic > 0 ? "TIC " + tic : "", TimeSystem.BTJD);
        }

        public Target withName(String newName) {
            return new Target(tic, sector, camera, ccd, fluxColumn, newName, timeSystem);
        }

        public Target withTimeSystem(String system) {
            return new Target(tic, sector, camera, ccd, fluxColumn, name, system);
        }
    }

    public LightCurve {
        int n = time.length;
        if (flux.length != n || fluxErr.length != n || quality.length != n) {
            throw new IllegalArgumentException("arrays of " + n + ", " + flux.length + ", " + fluxErr.length + ", "
                    + quality.length + " cadences");
        }
    }

    public int size() {
        return time.length;
    }

    /** Days from the first to the last cadence. */
    public double baseline() {
        return time.length == 0 ? 0 : time[time.length - 1] - time[0];
    }

    /** Whether time never decreases (NaN times aside). */
    public boolean isSorted() {
        double last = Double.NEGATIVE_INFINITY;
        for (double t : time) {
            if (t < last) {
                return false;
            }
            if (!Double.isNaN(t)) {
                last = t;
            }
        }
        return true;
    }

    /** The same cadences in time order (stable: equal times keep their order); itself when already sorted. */
    public LightCurve sortedByTime() {
        if (isSorted()) {
            return this;
        }
        Integer[] order = new Integer[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(time[a], time[b]));
        double[] t = new double[order.length];
        double[] f = new double[order.length];
        double[] e = new double[order.length];
        int[] q = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            t[i] = time[order[i]];
            f[i] = flux[order[i]];
            e[i] = fluxErr[order[i]];
            q[i] = quality[order[i]];
        }
        return new LightCurve(t, f, e, q, target);
    }

    /** The cadences where {@code keep} is true, in order. */
    public LightCurve select(boolean[] keep) {
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        double[] t = new double[n];
        double[] f = new double[n];
        double[] e = new double[n];
        int[] q = new int[n];
        for (int i = 0, j = 0; i < keep.length; i++) {
            if (keep[i]) {
                t[j] = time[i];
                f[j] = flux[i];
                e[j] = fluxErr[i];
                q[j] = quality[i];
                j++;
            }
        }
        return new LightCurve(t, f, e, q, target);
    }

    /** The same cadences with other flux values (and errors). */
    public LightCurve withFlux(double[] newFlux, double[] newErr) {
        return new LightCurve(time, newFlux, newErr, quality, target);
    }

    @Override
    public String toString() {
        return "LightCurve[TIC " + target.tic() + ", sector " + target.sector() + ", " + size() + " cadences, "
                + (size() == 0 ? "" : String.format(java.util.Locale.ROOT, "BTJD %.3f-%.3f", time[0],
                time[size() - 1])) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LightCurve l && Arrays.equals(time, l.time) && Arrays.equals(flux, l.flux)
                && Arrays.equals(fluxErr, l.fluxErr) && Arrays.equals(quality, l.quality) && target.equals(l.target);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(time) * 31 + Arrays.hashCode(flux);
    }
}
