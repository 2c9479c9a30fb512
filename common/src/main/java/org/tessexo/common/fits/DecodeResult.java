package org.tessexo.common.fits;

/**
 * What the decoder made of one file: an image, or the reason there is none. Lives on one executor thread (an
 * image may still be reading from its file), so it is not serializable.
 *
 * @param reason a short category that reports count by ("table HDUs only", "truncated", ...); empty for images
 * @param detail the specifics (which HDUs, which sizes, the underlying error)
 * @param hdu    index of the chosen HDU, -1 when none
 */
public record DecodeResult(Outcome outcome, String reason, String detail, int hdu, int height, int width,
                           DecodedImage image) {

    public static DecodeResult image(DecodedImage image) {
        return new DecodeResult(Outcome.IMAGE, "", "", image.hdu(), image.height(), image.width(), image);
    }

    public static DecodeResult skipped(String reason, String detail, int hdu, int height, int width) {
        return new DecodeResult(Outcome.SKIPPED, reason, detail, hdu, height, width, null);
    }

    public static DecodeResult failed(String reason, String detail) {
        return new DecodeResult(Outcome.FAILED, reason, detail, -1, 0, 0, null);
    }

    /** The same result with another detail (an image that decoded with a warning, say). */
    public DecodeResult withDetail(String newDetail) {
        return new DecodeResult(outcome, reason, newDetail, hdu, height, width, image);
    }

    /** "reason: detail", or just the reason. */
    public String fullReason() {
        return detail.isEmpty() ? reason : reason + ": " + detail;
    }
}
