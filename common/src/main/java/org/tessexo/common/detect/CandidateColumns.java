package org.tessexo.common.detect;

import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.TimeSystem;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.vetting.Verdict;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The candidates table's columns, one row per signal, wherever candidates are written: the batch {@code search}'s
 * Parquet and CSV, and the HTTP server's JSON. CONTRACT's columns first, in its order (tic, sector, camera, ccd,
 * file, rank, period, epoch in BTJD, duration, depth, SNR, SDE, transits, flux), then the vetting (planet score,
 * disposition), the catalog name, whether the signal passed search.min-sde, the epoch in BJD and the file's own time
 * system, edge transits, flags, the vetting's other scores and features, and the SNR against the measured noise on
 * the transit's time scale. Numbers are rounded to their precision; a number that is not finite is null (an empty
 * cell).
 */
public final class CandidateColumns {
    /** A column's type, which the Spark schema and JSON follow. */
    public enum Type { LONG, INT, DOUBLE, STRING, BOOLEAN }

    public record Column(String name, Type type) {
    }

    public static final List<Column> COLUMNS = List.of(
            new Column("tic", Type.LONG), new Column("sector", Type.INT), new Column("camera", Type.INT),
            new Column("ccd", Type.INT), new Column("file", Type.STRING), new Column("rank", Type.INT),
            new Column("period_days", Type.DOUBLE), new Column("epoch_btjd", Type.DOUBLE),
            new Column("duration_hours", Type.DOUBLE), new Column("depth_ppm", Type.DOUBLE),
            new Column("snr", Type.DOUBLE), new Column("sde", Type.DOUBLE), new Column("transits", Type.INT),
            new Column("flux", Type.STRING), new Column("planet_score", Type.DOUBLE),
            new Column("disposition", Type.STRING), new Column("target", Type.STRING),
            new Column("passed_min_sde", Type.BOOLEAN), new Column("epoch_bjd", Type.DOUBLE),
            new Column("time_system", Type.STRING), new Column("edge_transits", Type.INT),
            new Column("flags", Type.STRING), new Column("binary_score", Type.DOUBLE),
            new Column("false_alarm_score", Type.DOUBLE), new Column("fold_depth_ppm", Type.DOUBLE),
            new Column("odd_even_sigma", Type.DOUBLE), new Column("secondary_ppm", Type.DOUBLE),
            new Column("secondary_sigma", Type.DOUBLE), new Column("any_secondary_ppm", Type.DOUBLE),
            new Column("any_secondary_sigma", Type.DOUBLE), new Column("any_secondary_phase", Type.DOUBLE),
            new Column("snr_red", Type.DOUBLE));

    private CandidateColumns() {
    }

    /** One signal's row, in {@link #COLUMNS}' order. @param v its vetting, or null */
    public static Object[] values(String file, LightCurve.Target t, TransitSearch.Signal g, Verdict v) {
        double nan = Double.NaN;
        return new Object[] {t.tic(), t.sector(), t.camera(), t.ccd(), file, g.rank(),
            round(g.period(), 6), round(g.epoch(), 5), round(g.duration() * 24, 3), round(g.depth() * 1e6, 0),
            round(g.snr(), 2), round(g.sde(), 2), g.transitsObserved(), t.fluxColumn(),
            round(v == null ? nan : v.planetScore(), 4), v == null ? "" : v.disposition(), t.name(), g.passed(),
            round(g.epoch() + TimeSystem.BTJD_ZERO, 5), t.timeSystem(), g.edgeTransits(),
            Verdict.flags(g, v, ","), round(v == null ? nan : v.binaryScore(), 4),
            round(v == null ? nan : v.falseAlarmScore(), 4), round(v == null ? nan : v.depthPpm(), 0),
            round(v == null ? nan : v.oddEvenSigma(), 2), round(v == null ? nan : v.secondaryPpm(), 0),
            round(v == null ? nan : v.secondarySigma(), 2),
            round(v == null ? nan : v.anySecondary().depth() * 1e6, 0),
            round(v == null ? nan : v.anySecondary().sigma(), 2),
            round(v == null ? nan : v.anySecondary().phase(), 4), round(g.redSnr(), 2)};
    }

    /** One signal's row by column name, in {@link #COLUMNS}' order. */
    public static Map<String, Object> asMap(String file, LightCurve.Target t, TransitSearch.Signal g, Verdict v) {
        Object[] values = values(file, t, g, v);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            m.put(COLUMNS.get(i).name(), values[i]);
        }
        return m;
    }

    /** {@code x} rounded to {@code digits} decimals; null for NaN or infinity (an empty cell). */
    public static Double round(double x, int digits) {
        if (!Double.isFinite(x)) {
            return null;
        }
        return BigDecimal.valueOf(x).setScale(digits, RoundingMode.HALF_EVEN).doubleValue();
    }
}
