package org.tessexo.common.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.image.PreprocessSettings;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Everything scoring needs to reproduce training's input: which HDU to decode, how to preprocess, the input shape
 * and what each output class means. Stored as {@code tess-model.json} inside {@code model.zip}.
 *
 * @param labels "table" (trained on a labels table) or "dummy" (a pipeline check: the model means nothing)
 */
public record ModelMetadata(int formatVersion, String labels, List<String> classes, int[] inputShape,
                            DecoderSettings decoder, PreprocessSettings preprocess, ModelSettings model,
                            String trainedOn, String createdAt) implements Serializable {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelMetadata fromJson(String json) {
        try {
            return JSON.readValue(json, ModelMetadata.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Bad model metadata: " + e.getMessage(), e);
        }
    }
}
