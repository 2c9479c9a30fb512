package org.tessexo.common.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tessexo.common.fits.DecodeResult;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.image.Preprocessor;

import java.io.IOException;
import java.io.InputStream;

/**
 * Scores FITS images with a saved model, decoding and preprocessing them exactly as training did (the settings come
 * from the model's metadata, not from the caller).
 */
public final class ImageScorer {
    private final MultiLayerNetwork network;
    private final ModelMetadata metadata;
    private final FitsImageDecoder decoder;
    private final Preprocessor preprocessor;

    public ImageScorer(ModelPackage.Loaded model) {
        this.network = model.network();
        this.metadata = model.metadata();
        this.decoder = new FitsImageDecoder(metadata.decoder());
        this.preprocessor = new Preprocessor(metadata.preprocess());
    }

    /**
     * Class probabilities for one file (in the order of the metadata's classes), or the reason it has none
     * ({@code reason} "reason: detail", null when scored); and what the decoder made of it: the outcome, the HDU
     * used (-1 when none) and its size.
     */
    public record Score(float[] probabilities, String reason, Outcome outcome, int hdu, int height, int width) {
    }

    /** Class probabilities for a FITS file in memory, or the reason it has none. */
    public Score score(byte[] file) {
        return score(decoder.decode(file));
    }

    /**
     * Class probabilities for a FITS stream (read up to its image HDU, not closed), or the reason it has none.
     *
     * @param length the file's size when known, else -1
     */
    public Score score(InputStream fitsStream, long length) throws IOException {
        return score(decoder.decode(fitsStream, length));
    }

    private Score score(DecodeResult d) {
        if (d.outcome() != Outcome.IMAGE) {
            return new Score(null, d.fullReason(), d.outcome(), d.hdu(), d.height(), d.width());
        }
        Preprocessor.Result p = preprocessor.apply(d.image());
        if (!p.ok()) {
            return new Score(null, p.reason(), Outcome.SKIPPED, d.hdu(), d.height(), d.width());
        }
        return new Score(probabilities(p.values()), null, Outcome.IMAGE, d.hdu(), d.height(), d.width());
    }

    /** Class probabilities for an already preprocessed input. */
    public float[] probabilities(float[] input) {
        int h = metadata.preprocess().height();
        int w = metadata.preprocess().width();
        INDArray x = Nd4j.create(input, new long[] {1, 1, h, w}, 'c');
        return network.output(x, false).toFloatVector();
    }

    public ModelMetadata metadata() {
        return metadata;
    }
}
