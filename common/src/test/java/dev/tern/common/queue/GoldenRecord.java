package dev.tern.common.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A Kafka record as a queue topic holds it (key, headers in order, value), saved as text so that
 * records written by one version of {@link RecordCodec} can be read by every later one.
 *
 * <p>One line per part, each value base64 so any byte survives: {@code key <b64>},
 * {@code header <name> <b64>} (repeated, in record order), {@code value <b64>}.
 */
record GoldenRecord(String key, List<Map.Entry<String, byte[]>> headers, byte[] value) {

    static GoldenRecord of(String key, Headers headers, byte[] value) {
        var list = new ArrayList<Map.Entry<String, byte[]>>();
        for (Header h : headers) {
            list.add(Map.entry(h.key(), h.value()));
        }
        return new GoldenRecord(key, list, value);
    }

    Headers kafkaHeaders() {
        var h = new RecordHeaders();
        headers.forEach(e -> h.add(e.getKey(), e.getValue()));
        return h;
    }

    String toText() {
        var b64 = Base64.getEncoder();
        var out = new StringBuilder();
        out.append("key ").append(b64.encodeToString(key.getBytes(StandardCharsets.UTF_8))).append('\n');
        for (var e : headers) {
            out.append("header ").append(e.getKey()).append(' ').append(b64.encodeToString(e.getValue())).append('\n');
        }
        out.append("value ").append(b64.encodeToString(value)).append('\n');
        return out.toString();
    }

    static GoldenRecord parse(String text) {
        var b64 = Base64.getDecoder();
        String key = null;
        byte[] value = null;
        var headers = new ArrayList<Map.Entry<String, byte[]>>();
        for (String line : text.split("\n")) {
            String[] parts = line.split(" ", -1);
            switch (parts[0]) {
                case "key" -> key = new String(b64.decode(parts[1]), StandardCharsets.UTF_8);
                case "header" -> headers.add(Map.entry(parts[1], b64.decode(parts[2])));
                case "value" -> value = b64.decode(parts[1]);
                default -> throw new IllegalArgumentException("bad golden record line: " + line);
            }
        }
        return new GoldenRecord(key, headers, value);
    }

    static GoldenRecord read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Header values as text, for readable assertion failures. */
    List<String> headerLines() {
        return headers.stream().map(e -> e.getKey() + ": " + new String(e.getValue(), StandardCharsets.UTF_8)).toList();
    }
}
