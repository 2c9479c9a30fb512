package org.tessexo.common.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code checkpoints/state.json}: the newest checkpoint of a training run, the epochs done and their scores, and a
 * fingerprint of the data and settings it was trained with, so that {@code train --resume} continues only the same
 * run. Written after the checkpoint it names, so it never points at a missing or partial file.
 *
 * @param fingerprint SHA-256 of the listing (paths and sizes), the labels and every setting that shapes training
 *                    (not the epoch count: a run may be resumed with more epochs)
 */
public record CheckpointState(int epoch, List<Double> scores, String checkpoint, String fingerprint,
                              String createdAt) {
    public static final String DIR = "checkpoints";
    public static final String FILE = "state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static String checkpointName(int epoch) {
        return String.format("epoch-%04d.zip", epoch);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static CheckpointState fromJson(String json) {
        try {
            return JSON.readValue(json, CheckpointState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Bad checkpoint state: " + e.getMessage(), e);
        }
    }

    /** An incremental SHA-256 over strings (each followed by a separator, so "ab"+"c" differs from "a"+"bc"). */
    public static final class Fingerprint {
        private final MessageDigest digest;

        public Fingerprint() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public Fingerprint add(Object part) {
            digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            return this;
        }

        public String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
