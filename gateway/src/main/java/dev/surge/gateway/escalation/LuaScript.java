package dev.surge.gateway.escalation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads a Lua script from the classpath at once. {@code RedisScript.of(Resource)} reads the file lazily, the first
 * time the script runs, which is on an event loop; reading it here, while beans are created, keeps file I/O off the
 * request path. Scripts answer lists of strings.
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
}
