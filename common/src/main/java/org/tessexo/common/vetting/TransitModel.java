package org.tessexo.common.vetting;

/**
 * The light of a limb-darkened star partly covered by a dark disk: Mandel and Agol (2002, ApJ 580, L171) with the
 * quadratic law {@code I(mu) / I(1) = 1 - u1 (1 - mu) - u2 (1 - mu)^2}. The blocked light is integrated over the
 * star's radius: at radius {@code r} the covered part of the ring is the arc of the circle of radius r inside the
 * planet's disk, {@code 2 r acos((r^2 + z^2 - p^2) / (2 r z))}. The integral is exact to about 1e-7 of the star's
 * light (a cosine-spaced rule on each piece between the kinks at |z - p|, z + p and the limb); the closed forms of
 * the paper (the uniform source, eq. 1; the small-planet limit, eq. 8) are what the tests check it against.
 *
 * <p>Orbits are circular: {@code z(t) = a/R* sqrt(sin^2 phi + cos^2 i cos^2 phi)} with {@code phi = 2 pi (t - t0)
 * / P}, the planet in front when {@code cos phi > 0}.
 */
public final class TransitModel {
    /** Gauss-Legendre points per piece of the radius integral. */
    static final int POINTS = 48;
    private static final double[][] GAUSS = gaussLegendre(POINTS);

    private TransitModel() {
    }

    /**
     * The fraction of the star's light that is blocked.
     *
     * @param z  centre-to-centre distance, in stellar radii
     * @param p  the occulter's radius over the star's
     * @param u1 linear limb-darkening coefficient
     * @param u2 quadratic coefficient
     */
    public static double blocked(double z, double p, double u1, double u2) {
        z = Math.abs(z);
        if (p <= 0 || z >= 1 + p) {
            return 0;
        }
        double hi = Math.min(1, z + p);
        double[] cuts = java.util.stream.DoubleStream.of(0, Math.abs(z - p), p - z, hi)
                .filter(c -> c >= 0 && c <= hi).sorted().distinct().toArray();
        double sum = 0;
        for (int k = 0; k + 1 < cuts.length; k++) {
            sum += piece(cuts[k], cuts[k + 1], z, p, u1, u2);
        }
        return Math.min(1, sum / norm(u1, u2));
    }

    /** The star's total light, {@code integral of I(r) 2 pi r dr = pi (1 - u1/3 - u2/6)}. */
    static double norm(double u1, double u2) {
        return Math.PI * (1 - u1 / 3 - u2 / 6);
    }

    static double intensity(double r, double u1, double u2) {
        double mu = Math.sqrt(Math.max(0, 1 - r * r));
        return 1 - u1 * (1 - mu) - u2 * (1 - mu) * (1 - mu);
    }

    /** The covered arc at radius r (radians times r). */
    static double arc(double r, double z, double p) {
        if (r <= 0) {
            return 0;
        }
        if (r <= p - z) {
            return 2 * Math.PI * r;
        }
        if (r >= z + p || r <= z - p) {
            return 0;
        }
        double c = (r * r + z * z - p * p) / (2 * r * z);
        return 2 * r * Math.acos(Math.max(-1, Math.min(1, c)));
    }

    /** The integral of I(r) x arc(r) over [a, b], in r = a + (b - a)(1 - cos(pi s))/2 (dense at both ends). */
    private static double piece(double a, double b, double z, double p, double u1, double u2) {
        double sum = 0;
        for (double[] node : GAUSS) {
            double s = (node[0] + 1) / 2;
            double r = a + (b - a) * (1 - Math.cos(Math.PI * s)) / 2;
            double dr = (b - a) * Math.PI / 2 * Math.sin(Math.PI * s) / 2;
            sum += node[1] * intensity(r, u1, u2) * arc(r, z, p) * dr;
        }
        return sum;
    }

    /** Nodes and weights of the n-point Gauss-Legendre rule on [-1, 1] (Newton on the Legendre polynomial). */
    static double[][] gaussLegendre(int n) {
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = x;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (x * p1 - p0) / (x * x - 1);
                double dx = p1 / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-15) {
                    break;
                }
            }
            out[i][0] = x;
            out[i][1] = 2 / ((1 - x * x) * dp * dp);
        }
        return out;
    }

    /**
     * A circular orbit's sky-projected separation (stellar radii) at time t; negative when the body is behind the
     * star (then it blocks nothing; for a binary the star behind is the one eclipsed at phase 0.5).
     *
     * @param aOverR semi-major axis over the star's radius
     * @param b      impact parameter, {@code a/R* cos i}
     */
    public static double separation(double t, double period, double t0, double aOverR, double b) {
        double phi = 2 * Math.PI * (t - t0) / period;
        double cosI = b / aOverR;
        double s = Math.sin(phi);
        double c = Math.cos(phi);
        double z = aOverR * Math.sqrt(s * s + cosI * cosI * c * c);
        return c >= 0 ? z : -z;
    }

    /** a/R* of a circular orbit of period P (days) around a star of mean density rho (g/cm^3): Kepler's third law. */
    public static double aOverR(double periodDays, double density) {
        double g = 6.674e-8; // cgs
        double p = periodDays * 86400;
        return Math.cbrt(g * density * p * p / (3 * Math.PI));
    }

    /** Total transit duration (first to fourth contact, days) of a circular orbit. */
    public static double duration(double period, double aOverR, double p, double b) {
        double x = ((1 + p) * (1 + p) - b * b);
        if (x <= 0) {
            return 0;
        }
        double sinI = Math.sqrt(1 - (b / aOverR) * (b / aOverR));
        return period / Math.PI * Math.asin(Math.min(1, Math.sqrt(x) / (aOverR * sinI)));
    }

    /** Relative flux of a planet transit at each time. */
    public static double[] planet(double[] time, double period, double t0, double aOverR, double p, double b,
                                  double u1, double u2) {
        double[] f = new double[time.length];
        for (int i = 0; i < time.length; i++) {
            double z = separation(time[i], period, t0, aOverR, b);
            f[i] = z < 0 ? 1 : 1 - blocked(z, p, u1, u2);
        }
        return f;
    }
}
