package org.tessexo.common.fits;

import java.util.ArrayList;
import java.util.List;

/**
 * Which HDU of a file is its image, by fits.hdu: {@code auto} takes the first image HDU at least
 * fits.min-image-size on both sides; an index or an EXTNAME takes that HDU, which must be an image. HDUs are
 * considered in file order, one at a time (the decoder streams); when none is taken, {@link #noneTaken} says why.
 */
final class HduSelection {
    enum Choice {
        /** Decode this HDU. */
        TAKE,
        /** Skip its data and look at the next. */
        PASS,
        /** The requested HDU, but no image: the file is skipped ({@link #refusal}). */
        REFUSE
    }

    private final DecoderSettings settings;
    private final boolean byName;
    private final List<String> passed = new ArrayList<>();
    private boolean sawTable;
    private boolean sawSmallImage;
    private boolean sawOneD;

    HduSelection(DecoderSettings settings) {
        this.settings = settings;
        this.byName = !settings.isAuto() && settings.hduIndex() < 0;
    }

    Choice consider(HduHeader hdu) {
        if (!settings.isAuto()) {
            boolean requested = byName ? settings.hdu().trim().equalsIgnoreCase(hdu.extname)
                    : hdu.index == settings.hduIndex();
            if (requested) {
                return refusal(hdu) == null ? Choice.TAKE : Choice.REFUSE;
            }
        } else if (hdu.isImage() && hdu.axes != null) {
            if (hdu.axes.length >= 2 && hdu.height() >= settings.minImageSize()
                    && hdu.width() >= settings.minImageSize()) {
                return Choice.TAKE;
            }
            if (hdu.axes.length == 1) {
                sawOneD = true;
            } else {
                sawSmallImage = true;
            }
        }
        sawTable |= hdu.kind == HduHeader.Kind.TABLE;
        passed.add(hdu.describe());
        return Choice.PASS;
    }

    /** Why the requested HDU is not an image, or null when it is one. */
    static DecodeResult refusal(HduHeader hdu) {
        if (hdu.kind == HduHeader.Kind.TABLE || hdu.kind == HduHeader.Kind.OTHER) {
            return DecodeResult.skipped(FitsImageDecoder.HDU_NOT_IMAGE, "HDU " + hdu.describe() + " is a "
                    + hdu.kind.word, hdu.index, 0, 0);
        }
        if (hdu.axes == null || hdu.axes.length < 2) {
            return DecodeResult.skipped(hdu.axes == null ? FitsImageDecoder.NO_DATA : FitsImageDecoder.ONE_D,
                    "HDU " + hdu.describe(), hdu.index, 0, 0);
        }
        return null;
    }

    /** The file's result when every HDU was passed: what was there instead of a usable image. */
    DecodeResult noneTaken() {
        String seen = String.join("; ", passed);
        if (!settings.isAuto()) {
            return DecodeResult.skipped(FitsImageDecoder.HDU_MISSING, "no HDU " + (byName ? "with EXTNAME '"
                    + settings.hdu().trim() + "'" : "with index " + settings.hduIndex()) + " (HDUs: " + seen + ")",
                    -1, 0, 0);
        }
        if (sawTable) {
            return DecodeResult.skipped(FitsImageDecoder.TABLES_ONLY, seen, -1, 0, 0);
        }
        if (sawSmallImage) {
            return DecodeResult.skipped(FitsImageDecoder.TOO_SMALL, seen + " (min " + settings.minImageSize() + ")",
                    -1, 0, 0);
        }
        if (sawOneD) {
            return DecodeResult.skipped(FitsImageDecoder.ONE_D, seen, -1, 0, 0);
        }
        return DecodeResult.skipped(FitsImageDecoder.NO_DATA, seen, -1, 0, 0);
    }
}
