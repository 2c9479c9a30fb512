package org.tessexo.spark.transforms;

import org.tessexo.common.fits.Outcome;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.SingleEvents;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.vetting.Verdict;

import java.io.Serializable;
import java.util.List;

/**
 * What the search made of one listed file: its outcome and, for a light curve, its signals, the vetting of each
 * (same order; empty when nothing was vetted) and single dips.
 */
public record SearchRow(String path, Outcome outcome, String reason, String detail, LightCurve.Target target,
                        int cadences, long bytesRead, List<TransitSearch.Signal> signals,
                        List<Verdict> verdicts, List<SingleEvents.Event> events) implements Serializable, FileOutcome {

    /** The vetting of the signal at this index, or null. */
    public Verdict verdict(int i) {
        return i < verdicts.size() ? verdicts.get(i) : null;
    }
}
