package dev.surge.gateway.deploy;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** Walks parsed YAML (maps, lists and scalars as SnakeYAML gives them) by key and index. */
final class Yamls {

    private Yamls() {
    }

    /**
     * The node at {@code path} under {@code root}: a {@code String} step is a map key, an {@code Integer} step a list
     * index; null when any step is missing.
     */
    static @Nullable Object at(@Nullable Object root, Object... path) {
        Object node = root;
        for (Object step : path) {
            if (step instanceof String key && node instanceof Map<?, ?> map) {
                node = map.get(key);
            } else if (step instanceof Integer index && node instanceof List<?> list && index < list.size()) {
                node = list.get(index);
            } else {
                return null;
            }
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(@Nullable Object node) {
        return node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(@Nullable Object node) {
        return node instanceof List<?> list ? (List<Object>) list : List.of();
    }

    /** A scalar as text ("8081" for 8081), or null. */
    static @Nullable String text(@Nullable Object node) {
        return node == null || node instanceof Map || node instanceof List ? null : String.valueOf(node);
    }
}
