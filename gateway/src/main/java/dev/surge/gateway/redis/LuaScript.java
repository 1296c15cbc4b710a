package dev.surge.gateway.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Surge's Lua scripts, for every package that runs one: loaded from the classpath at once, and their answers read.
 * {@code RedisScript.of(Resource)} reads the file lazily, the first time the script runs, which is on an event loop;
 * reading it here, while beans are created, keeps file I/O off the request path. Scripts answer lists.
 */
public final class LuaScript {

    private LuaScript() {
    }

    @SuppressWarnings("rawtypes")
    public static RedisScript<List> load(String location) {
        try (InputStream in = new ClassPathResource(location).getInputStream()) {
            RedisScript<List> script = RedisScript.of(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    List.class);
            script.getSha1(); // computed now, not on the first call
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location, e);
        }
    }

    /**
     * Element {@code i} of a script's answer as a number: Lua integers arrive as Long, or as text (a String or bytes)
     * once the template's serializer has had them; a sorted-set score is text with a fraction. 0 when the answer is
     * shorter or the element is not a number.
     */
    public static long number(List<?> answer, int i) {
        Object value = answer.size() > i ? answer.get(i) : null;
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof ByteBuffer buffer) {
            value = StandardCharsets.US_ASCII.decode(buffer.duplicate()).toString();
        }
        if (value == null) {
            return 0;
        }
        String text = value.toString().trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notAnInteger) {
            try {
                return (long) Double.parseDouble(text);
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
    }
}
