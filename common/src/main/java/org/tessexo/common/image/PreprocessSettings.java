package org.tessexo.common.image;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a decoded image becomes a model input. Stored with the model so scoring reproduces training's input exactly.
 *
 * @param trim   science-region trim rule
 * @param height model input rows
 * @param width  model input columns
 * @param clip   normalized values are clipped to [-clip, clip]
 */
public record PreprocessSettings(Trim trim, int height, int width, double clip) implements Serializable {

    public enum Trim {
        /** The header's science-region cards, else the TESS FFI layout for FFI-sized images, else none. */
        AUTO,
        NONE;

        public static Trim parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tess.preprocess.trim must be auto or none, not '" + s + "'");
            }
        }
    }

    public static PreprocessSettings defaults() {
        return new PreprocessSettings(Trim.AUTO, 128, 128, 10.0);
    }

    public void validate() {
        if (height < 8 || width < 8) {
            throw new IllegalArgumentException("tess.preprocess.height and width must be >= 8");
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException("tess.preprocess.clip must be > 0");
        }
    }
}
