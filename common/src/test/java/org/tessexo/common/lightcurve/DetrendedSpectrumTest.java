package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;
import org.tessexo.common.vetting.Injector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDE measured on the periodogram less its running median (search.sde-kernel), as Transit Least Squares does:
 * BLS power rises towards long periods (more phase positions, fewer transits for red noise to line up), and a
 * short-period transit must outbid that rise on the raw periodogram.
 */
class DetrendedSpectrumTest {

    @Test
    void aShortPeriodPeakOutbidsALongPeriodRiseOnceTheRunningMedianIsTakenOut() {
        int n = 4000;
        double[] periods = new double[n];
        double[] power = new double[n];
        java.util.Random rnd = new java.util.Random(3);
        int peak = 0;
        for (int i = 0; i < n; i++) {
            periods[i] = 0.5 * Math.exp(i * Math.log(26) / (n - 1)); // log-spaced, as the drift grid
            power[i] = 10 * Math.pow(periods[i] / 13, 2) + 0.3 * rnd.nextDouble(); // the rise, and noise
            if (Math.abs(periods[i] - 1.3) < Math.abs(periods[peak] - 1.3)) {
                peak = i;
            }
        }
        for (int i = peak - 3; i <= peak + 3; i++) {
            power[i] += 5 - Math.abs(i - peak); // a peak 5 high and 7 periods wide
        }
        double[] zeros = new double[n];
        BoxLeastSquares.Periodogram raw = new BoxLeastSquares.Periodogram(periods, power, zeros, zeros, zeros, zeros);
        BoxLeastSquares.Periodogram detrended = raw.detrended(91);
        assertEquals(n - 1, raw.best(), "raw: the long-period end, 10 high, wins");
        assertEquals(peak, detrended.best(), "detrended: the 1.3-day peak");
        assertTrue(detrended.sde(peak) > 20 && raw.sde(peak) < 2,
                "SDE of the peak raw " + raw.sde(peak) + ", detrended " + detrended.sde(peak));
        assertEquals(power[peak], raw.power()[peak], 0.0, "the raw periodogram is not changed");
    }

    @Test
    void theKernelSpansTheSameFrequenciesOnACoarserGrid() {
        TransitSearch.Settings d = TransitSearch.Settings.defaults();
        assertEquals(91, d.sdeKernelPeriods());
        assertEquals(31, withKernel(d, 91, 3.0).sdeKernelPeriods()); // the training search's grid
        assertEquals(0, withKernel(d, 0, 1.0).sdeKernelPeriods());
    }

    /**
     * A real quiet star (TESSellator TIC 158491288, inverted as the recovery bench does, so that only its noise
     * stays), with a trapezoid transit of 1.32 days injected at SNR 12 by its point-to-point scatter (the recovery
     * bench's own injection of that host at SNR 12). On the raw periodogram a long-period box in the star's red
     * noise wins and the transit is not listed at all; on the detrended one it is the first signal. Both without
     * whitening (the kernel's own effect): whitened, the raw periodogram finds it too, and so does the default.
     */
    @Test
    void aRealQuietStarsShortPeriodTransitIsFoundOnlyOnTheDetrendedPeriodogram() throws IOException {
        Path file = FitsFixtures.realPhotometry().resolve("tessellator").resolve("TIC158491288.fits");
        TransitSearch.Settings d = TransitSearch.Settings.defaults().toBuilder().whitenHours(0).build();
        TransitSearch raw = new TransitSearch(withKernel(d, 0, d.frequencyFactor()));
        TransitSearch detrended = new TransitSearch(d);
        LightCurve clean = Injector.inverted(detrended.clean(new LightCurveReader("PDCSAP_FLUX").read(
                Files.readAllBytes(file), file.getFileName().toString()).lightCurve()));
        double period = 1.32447;
        double epoch = 1684.42768;
        double duration = 2.196 / 24;
        LightCurve injected = ActiveStarRecovery.injected(clean, ActiveStarRecovery.scatter(clean.flux()), 12,
                period, epoch, duration);
        TransitSearch.Result before = raw.search(injected);
        TransitSearch.Result after = detrended.search(injected);
        assertFalse(before.signals().stream().anyMatch(s -> ActiveStarRecovery.at(s, period, epoch, duration)),
                "raw periodogram: " + before.signals());
        TransitSearch.Signal first = after.signals().get(0);
        assertTrue(ActiveStarRecovery.at(first, period, epoch, duration) && first.passed(),
                "detrended: " + after.signals());
        TransitSearch.Result whitened = new TransitSearch(d.toBuilder()
                .whitenHours(TransitSearch.Settings.WHITEN_HOURS).build()).search(injected);
        TransitSearch.Signal top = whitened.signals().get(0);
        assertTrue(ActiveStarRecovery.at(top, period, epoch, duration) && top.passed(),
                "whitened: " + whitened.signals());
    }

    static TransitSearch.Settings withKernel(TransitSearch.Settings d, int kernel, double frequencyFactor) {
        return d.toBuilder().sdeKernel(kernel).frequencyFactor(frequencyFactor).build();
    }
}
