package org.tessexo.common.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;

import java.util.Locale;
import java.util.Map;

/**
 * What to tell a user whose run used little of its input: the commonest reason files were skipped or failed, and
 * what may help (another command, a setting). One place, so that every command says the same thing.
 */
public final class InputAdvice {
    private static final Logger LOG = LoggerFactory.getLogger(InputAdvice.class);

    private InputAdvice() {
    }

    /**
     * A run that used less than half of what it listed warns loudly (log, and the report's warnings) with the
     * commonest reason and what may help; with {@code strict} (failures.strict, --strict) it is an error (exit 3).
     *
     * @return the warning for the report, or none
     */
    public static java.util.List<String> checkMostUsed(Tally tally, String input, String command, String usedWord,
                                                       boolean strict) {
        String unused = mostUnused(tally, command, usedWord);
        if (unused == null) {
            return java.util.List.of();
        }
        if (strict) {
            throw new NoValidDataException("No valid data loaded from " + input + " (failures.strict): " + unused);
        }
        LOG.warn("*** {} ***", unused);
        return java.util.List.of(unused);
    }

    /** The advice for one reason, or "" when there is none beyond the reason itself. */
    public static String advice(String reason, String command) {
        boolean search = "search".equals(command);
        if (reason.equals(FitsImageDecoder.TABLES_ONLY)) {
            return "these files hold tables, not images: light curves, target pixel files and cutouts are tables,"
                    + " and `./submit.sh search` reads them (fits.hdu picks another HDU of an image file)";
        }
        if (reason.equals(LightCurveReader.NO_TABLE)) {
            return "these files hold no light curve or pixel table" + (search
                    ? ": images (FFIs) are read by `./submit.sh inspect` and `train`" : "");
        }
        if (reason.equals(LightCurveReader.NO_FLUX)) {
            return "search.flux-column names the flux column to read (PDCSAP_FLUX, SAP_FLUX or any other)";
        }
        if (reason.equals(FitsImageDecoder.TOO_SMALL)) {
            return "fits.min-image-size is the smallest image side used";
        }
        if (reason.equals(FitsImageDecoder.TOO_LARGE)) {
            return "fits.max-image-bytes bounds an image's float32 size; the executor memory bounds a decode";
        }
        if (reason.equals(FitsImageDecoder.HEADER_TOO_LARGE)) {
            return "fits.max-header-blocks bounds a header's length";
        }
        if (reason.equals(TransitSearch.TOO_SHORT)) {
            return "search.period.min-days is the shortest period sought (two transits must fit)";
        }
        if (reason.equals(TransitSearch.TOO_FEW)) {
            return "search.quality-mask drops flagged cadences; fewer bits keep more";
        }
        if (reason.equals(FitsImageDecoder.HDU_MISSING) || reason.equals(FitsImageDecoder.HDU_NOT_IMAGE)) {
            return "fits.hdu = auto picks the first image HDU";
        }
        return "";
    }

    /** "commonest reason: 'x' (n files): advice", for messages; "" when no file had a reason. */
    public static String commonestLine(Tally t, String command) {
        Map.Entry<String, Long> c = t.commonest();
        if (c == null) {
            return "";
        }
        // Among reasons as common as the commonest, the first one there is advice for.
        for (Map.Entry<String, Long> e : t.reasons().entrySet()) {
            if (e.getValue().longValue() != c.getValue().longValue()) {
                break;
            }
            if (!advice(e.getKey(), command).isEmpty()) {
                c = e;
                break;
            }
        }
        String advice = advice(c.getKey(), command);
        return String.format(Locale.ROOT, "commonest reason: '%s' (%d files)%s", c.getKey(), c.getValue(),
                advice.isEmpty() ? "" : ": " + advice);
    }

    /**
     * A warning when fewer than half of the listed files were used, else null.
     *
     * @param usedWord what a used file is ("images", "light curves searched")
     */
    public static String mostUnused(Tally t, String command, String usedWord) {
        if (t.listed() == 0 || t.used() * 2 >= t.listed()) {
            return null;
        }
        return String.format(Locale.ROOT, "Most of the input was not used: %d of %d listed files gave %s (%d"
                        + " skipped, %d failed); %s. Each file's reason is in outcomes/.", t.used(), t.listed(),
                usedWord, t.skipped(), t.failed(), commonestLine(t, command));
    }
}
