package org.tessexo.common.demo;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the generators' files whole or not at all: to a sibling {@code .tmp} first, then moved into place, so that
 * an interrupted generation never leaves a half-written file that a later run would take for a finished one.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    static void writeText(Path file, String text) throws IOException {
        Path tmp = tmp(file);
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void writeFits(Path file, BasicHDU<?>... hdus) throws IOException, FitsException {
        Path tmp = tmp(file);
        try (Fits fits = new Fits()) {
            for (BasicHDU<?> hdu : hdus) {
                fits.addHDU(hdu);
            }
            fits.write(tmp.toFile());
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path tmp(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }
}
