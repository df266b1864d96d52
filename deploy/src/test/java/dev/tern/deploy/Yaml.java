package dev.tern.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads YAML and JSON files of the deploy module into plain maps and lists (Jackson). */
final class Yaml {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private Yaml() {
    }

    static Map<String, Object> read(Path file) {
        try {
            return (file.toString().endsWith(".json") ? JSON : YAML).readValue(file.toFile(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(file + " is not valid YAML/JSON", e);
        }
    }

    static Map<String, Object> parse(String yaml) {
        try {
            return YAML.readValue(yaml, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("not valid YAML: " + yaml, e);
        }
    }

    /** Follows a dotted path of map keys ("ingress.service.type"); null when absent. */
    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> root, String... path) {
        Object node = root;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return (List<Object>) node;
    }
}
