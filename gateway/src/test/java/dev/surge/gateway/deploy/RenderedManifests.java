package dev.surge.gateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The objects an overlay under {@code k8s/overlays/} renders to, as {@code kubectl apply -k} would send them: rendered
 * by {@code kubectl kustomize} (or a standalone {@code kustomize build}) and parsed with SnakeYAML. When neither
 * renderer is installed, every test that needs one is aborted (skipped, with the reason), never passed.
 */
final class RenderedManifests {

    private static final List<List<String>> RENDERERS = List.of(
            List.of("kubectl", "kustomize"),
            List.of("kustomize", "build"));
    private static final long RENDER_TIMEOUT_SECONDS = 60;
    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();
    private static volatile Optional<List<String>> renderer;

    private RenderedManifests() {
    }

    /** The repository's {@code k8s/} folder (tests run in the gateway module's folder). */
    static Path k8sDir() {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path k8s = module.resolveSibling("k8s");
        if (!Files.isDirectory(k8s)) {
            throw new IllegalStateException("no k8s/ folder beside " + module);
        }
        return k8s;
    }

    /** Names of every overlay under {@code k8s/overlays/}. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(k8sDir().resolve("overlays"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Aborts the calling test, with the reason, when no renderer is installed. */
    static void assumeRenderer() {
        Assumptions.assumeTrue(renderer().isPresent(),
                "neither kubectl nor kustomize is installed: the manifests under k8s/ were NOT checked "
                        + "(install kubectl, which carries kustomize, to check them)");
    }

    /** Every object {@code overlay} renders to, in order. */
    static List<Map<String, Object>> render(String overlay) {
        assumeRenderer();
        return RENDERED.computeIfAbsent(overlay, RenderedManifests::renderNow);
    }

    private static List<Map<String, Object>> renderNow(String overlay) {
        List<String> command = new ArrayList<>(renderer().orElseThrow());
        command.add(k8sDir().resolve("overlays").resolve(overlay).toString());
        Run run = run(command);
        if (run.exitCode() != 0) {
            throw new AssertionError("`" + String.join(" ", command) + "` failed (" + run.exitCode() + "):\n"
                    + run.output());
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(run.output())) {
            if (document != null) {
                objects.add(Yamls.map(document));
            }
        }
        return objects;
    }

    private static Optional<List<String>> renderer() {
        Optional<List<String>> found = renderer;
        if (found == null) {
            found = RENDERERS.stream().filter(RenderedManifests::works).findFirst();
            renderer = found;
        }
        return found;
    }

    private static boolean works(List<String> candidate) {
        List<String> version = List.of(candidate.get(0), "version", "--client");
        if (candidate.get(0).equals("kustomize")) {
            version = List.of("kustomize", "version");
        }
        try {
            return run(version).exitCode() == 0;
        } catch (UncheckedIOException notInstalled) {
            return false;
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command) {
        Path output = null;
        try {
            // Output to a file, not a pipe: a renderer that hangs cannot hold the test past the timeout.
            output = Files.createTempFile("surge-kustomize", ".out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(RENDER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("`" + String.join(" ", command) + "` took over " + RENDER_TIMEOUT_SECONDS
                        + " s");
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
