package org.tessexo.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP answer: status, content type, body and extra headers. Errors have one JSON shape everywhere:
 * {@code {"error": {"status", "reason", "detail"}}}, the reason a short category (the batch jobs' where a file is
 * at fault), the detail what to do about it; never a stack trace.
 */
record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static Answer json(int status, Object value) {
        try {
            return new Answer(status, JSON_TYPE, JSON.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer error(int status, String reason, String detail) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("status", status);
        e.put("reason", reason);
        e.put("detail", detail);
        return json(status, Map.of("error", e));
    }

    static Answer text(int status, String contentType, String text) {
        return new Answer(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    Answer withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Answer(status, contentType, body, h);
    }
}
