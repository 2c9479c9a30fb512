package org.tessexo.common.vetting;

import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.stats.RobustStats;

import java.util.Arrays;
import java.util.Random;

/**
 * Signals put into real light curves, to train and measure a vetter: planets (a {@link TransitModel} transit with a
 * realistic spread of periods, impact parameters, stellar densities and limb darkening), eclipsing binaries
 * (primary and secondary eclipses of two limb-darkened stars, grazing V-shaped ones, ellipsoidal variation,
 * diluted ones whose primary looks planetary but whose secondary shows), and nothing. Planets and binaries span the
 * same SNR range, so that depth and SNR alone separate nothing.
 *
 * <p>The host's own signals are first made harmless by inverting it ({@link #inverted}: {@code 2 median - flux}, as
 * the Kepler DR25 false-alarm sets did): its eclipses become brightenings, which the search clips, while its noise
 * and variability stay real. Depths are set from a target signal-to-noise, {@code depth / sigma x sqrt(cadences in
 * transit)}, sigma being the host's point-to-point scatter.
 */
public final class Injector {
    /** Periods are drawn log-uniform between these (days), the longest also at most a third of the baseline. */
    static final double MIN_PERIOD = 0.6;
    static final double MAX_PERIOD = 15;
    /** The share of binaries on eccentric orbits, their secondary eclipse off phase 0.5. */
    static final double ECCENTRIC_FRACTION = 1.0 / 3;

    private Injector() {
    }

    /** What was injected: its kind, ephemeris, duration (days), primary depth and target SNR. */
    public record Truth(Vetter.Kind kind, double period, double epoch, double duration, double depth, double snr,
                        String description) {
    }

    public record Injected(LightCurve lightCurve, Truth truth) {
    }

    /** The host turned over about its median: its dips become peaks; flux errors unchanged. */
    public static LightCurve inverted(LightCurve lc) {
        double[] finite = Arrays.stream(lc.flux()).filter(Double::isFinite).toArray();
        double median = finite.length == 0 ? 0 : RobustStats.median(finite, finite.length);
        double[] f = new double[lc.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = 2 * median - lc.flux()[i];
        }
        return lc.withFlux(f, lc.fluxErr());
    }

    /** Point-to-point scatter of the normalized flux: robust, blind to slow variability. */
    static double scatter(LightCurve lc) {
        double[] f = lc.flux();
        double[] finite = Arrays.stream(f).filter(Double::isFinite).toArray();
        if (finite.length < 3) {
            return Double.NaN;
        }
        double median = RobustStats.median(finite.clone(), finite.length);
        return RobustStats.pointToPointScatter(finite) / Math.abs(median);
    }

    static double cadence(double[] t) {
        double[] d = new double[Math.max(1, t.length - 1)];
        int n = 0;
        for (int i = 1; i < t.length; i++) {
            if (Double.isFinite(t[i]) && Double.isFinite(t[i - 1]) && t[i] > t[i - 1]) {
                d[n++] = t[i] - t[i - 1];
            }
        }
        return n == 0 ? 1.0 / 48 : RobustStats.median(d, n);
    }

    static double baseline(double[] t) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : t) {
            if (Double.isFinite(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        return hi - lo;
    }

    static double first(double[] t) {
        return Arrays.stream(t).filter(Double::isFinite).min().orElse(0);
    }

    static double period(Random rnd, double baseline) {
        double hi = Math.max(MIN_PERIOD * 1.5, Math.min(MAX_PERIOD, baseline / 3));
        return Math.exp(Math.log(MIN_PERIOD) + rnd.nextDouble() * (Math.log(hi) - Math.log(MIN_PERIOD)));
    }

    /**
     * An SNR drawn log-uniformly in [min, max]: as many examples near the threshold as far above it, and hot
     * Jupiters (SNR in the hundreds) as well as small planets, so that depth alone tells no class.
     */
    static double snr(Random rnd, double min, double max) {
        return Math.exp(Math.log(min) + rnd.nextDouble() * (Math.log(max) - Math.log(min)));
    }

    /** The depth that gives {@code snr} for a dip of this duration and period on this host. */
    static double depthFor(double snr, double sigma, double duration, double period, double baseline,
                           double cadence) {
        double inTransit = Math.max(1, baseline / period * duration / cadence);
        return snr * sigma / Math.sqrt(inTransit);
    }

    /**
     * The largest planet-to-star radius ratio injected: 2 Jupiter radii on the Sun, 1 on an M dwarf of 0.5 solar
     * radii. Deeper dips are a binary's domain (fewer than 1% of the known transiting planets have a larger ratio);
     * a planet whose drawn SNR asks for more is injected at this ratio, its SNR what that depth gives.
     */
    static final double MAX_PLANET_RATIO = 0.2;

    /** A planet transit, its SNR drawn log-uniformly in [minSnr, maxSnr] (less when the ratio is capped). */
    public static Injected planet(LightCurve host, Random rnd, double minSnr, double maxSnr) {
        double[] t = host.time();
        double base = baseline(t);
        double period = period(rnd, base);
        double density = Math.exp(Math.log(0.3) + rnd.nextDouble() * Math.log(3 / 0.3)); // g/cm^3: K to F dwarfs
        double a = Math.max(2, TransitModel.aOverR(period, density));
        double b = rnd.nextDouble() * 0.9;
        double u1 = 0.2 + 0.4 * rnd.nextDouble();
        double u2 = 0.1 + 0.25 * rnd.nextDouble();
        double snr = snr(rnd, minSnr, maxSnr);
        double sigma = scatter(host);
        double p0 = 0.05;
        double duration = TransitModel.duration(period, a, p0, b);
        double depth = depthFor(snr, sigma, duration, period, base, cadence(t));
        // depth ~ p^2 x the centre's brightness over the mean (1 / (1 - u1/3 - u2/6)), somewhat less off centre
        double wantedP = Math.sqrt(depth * (1 - u1 / 3 - u2 / 6) / centre(b, u1, u2));
        double p = Math.min(MAX_PLANET_RATIO, wantedP);
        snr *= Math.min(1, p * p / (wantedP * wantedP)); // a capped planet is as deep as it can be, no deeper
        duration = TransitModel.duration(period, a, p, b);
        double epoch = first(t) + rnd.nextDouble() * period;
        double[] model = TransitModel.planet(t, period, epoch, a, p, b, u1, u2);
        double trueDepth = TransitModel.blocked(b, p, u1, u2);
        return new Injected(times(host, model), new Truth(Vetter.Kind.PLANET, period, epoch, duration, trueDepth, snr,
                String.format(java.util.Locale.ROOT, "planet Rp/R*=%.4f b=%.2f a/R*=%.1f", p, b, a)));
    }

    private static double centre(double b, double u1, double u2) {
        double mu = Math.sqrt(Math.max(0, 1 - Math.min(b, 0.99) * Math.min(b, 0.99)));
        return 1 - u1 * (1 - mu) - u2 * (1 - mu) * (1 - mu);
    }

    /**
     * An eclipsing binary: detached with a secondary eclipse, grazing (V-shaped), eccentric (the secondary
     * off phase 0.5), with ellipsoidal variation, and
     * diluted by a third light so that its primary eclipse is as shallow as a planet's (SNR drawn in
     * [minSnr, maxSnr]) while its secondary keeps its ratio to the primary.
     */
    public static Injected binary(LightCurve host, Random rnd, double minSnr, double maxSnr) {
        double[] t = host.time();
        double base = baseline(t);
        double period = period(rnd, base);
        double k = 0.3 + 0.7 * rnd.nextDouble();             // R2 / R1
        double j = 0.05 + 0.95 * rnd.nextDouble();            // surface brightness ratio
        double density = Math.exp(Math.log(0.3) + rnd.nextDouble() * Math.log(2 / 0.3));
        double a = Math.max(2.5, TransitModel.aOverR(period, density) * Math.cbrt(1 + k * k * k));
        boolean grazing = rnd.nextDouble() < 0.35;
        double b = grazing ? 1 - k * 0.2 + rnd.nextDouble() * k * 0.9 : rnd.nextDouble() * Math.max(0, 1 - k);
        double u1 = 0.3 + 0.3 * rnd.nextDouble();
        double u2 = 0.15 + 0.2 * rnd.nextDouble();
        double l2 = k * k * j;                                  // L2 / L1
        double ellipsoidal = rnd.nextDouble() < 0.4 ? 0.5 / (a * a * a) * k * k * k : 0;
        double epoch = first(t) + rnd.nextDouble() * period;
        // An eccentric orbit moves the secondary eclipse off phase 0.5 by about (2 / pi) e cos(omega) (Winn 2010,
        // eq. 33): a third of the binaries have it anywhere in phase 0.35-0.65.
        boolean eccentric = rnd.nextDouble() < ECCENTRIC_FRACTION;
        double shift = eccentric ? (rnd.nextDouble() - 0.5) * 0.3 * period : 0;
        double[] signal = new double[t.length];                 // light lost, as a fraction of L1 + L2
        for (int i = 0; i < t.length; i++) {
            double z = TransitModel.separation(t[i], period, epoch, a, b);
            double zBehind = TransitModel.separation(t[i] - shift, period, epoch, a, b);
            double lost = (z >= 0 ? TransitModel.blocked(z, k, u1, u2) : 0)
                    + (zBehind < 0 ? l2 * TransitModel.blocked(-zBehind / k, 1 / k, u1, u2) : 0);
            double phi = 2 * Math.PI * (t[i] - epoch) / period;
            signal[i] = lost / (1 + l2) + ellipsoidal * (1 + Math.cos(2 * phi)) / 2;
        }
        double primary = TransitModel.blocked(b, k, u1, u2) / (1 + l2);
        double duration = TransitModel.duration(period, a, k, b);
        double snr = snr(rnd, minSnr, maxSnr);
        double wanted = depthFor(snr, scatter(host), duration, period, base, cadence(t));
        // Diluted (a third light) when the eclipse is deeper than the SNR asks for; an undiluted binary keeps its
        // depth (most of them are far above any threshold).
        boolean diluted = rnd.nextDouble() < 0.7 && wanted < primary;
        double dilution = diluted ? wanted / primary : 1;
        double[] model = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            model[i] = 1 - dilution * signal[i];
        }
        return new Injected(times(host, model), new Truth(Vetter.Kind.ECLIPSING_BINARY, period, epoch, duration,
                primary * dilution, snr, String.format(java.util.Locale.ROOT, "binary k=%.2f J=%.2f b=%.2f%s%s%s%s",
                k, j, b, grazing ? " grazing" : "", ellipsoidal > 0 ? " ellipsoidal" : "",
                eccentric ? String.format(java.util.Locale.ROOT, " secondary at phase %.3f", 0.5 + shift / period) : "",
                diluted ? String.format(java.util.Locale.ROOT, " diluted x%.3g", dilution) : "")));
    }

    /** The host's flux times the model (errors scaled alike). */
    static LightCurve times(LightCurve host, double[] model) {
        double[] f = new double[host.size()];
        double[] e = new double[host.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = host.flux()[i] * model[i];
            e[i] = host.fluxErr()[i] * model[i];
        }
        return host.withFlux(f, e);
    }
}
