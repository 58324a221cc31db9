package io.revops.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;

/**
 * The packaged application (target/quarkus-app, what the container image layers) holds no sandbox: no emulator, demo
 * traffic or broker launcher class, no emulated org. Runs after every package (pom.xml: failsafe execution
 * production-jar), so a sandbox class that slips into src/main fails the build.
 */
class ProductionJarIT {
    private static final Path APP = Path.of("target", "quarkus-app");
    private static final String SANDBOX_PACKAGE = "io/revops/bridge/sandbox/";
    private static final String SANDBOX_RESOURCES = "sandbox/";

    @Test
    void theApplicationHoldsNoSandboxClassOrResource() throws IOException {
        List<String> entries = entriesOf(APP);

        assertThat(entries).as("the packaged application's own classes (so an empty listing cannot pass)")
                .anyMatch(entry -> entry.startsWith("app/") && entry.endsWith(".jar!io/revops/bridge/ops/SandboxPresence.class"));
        assertThat(entries).filteredOn(entry -> entry.contains("!" + SANDBOX_PACKAGE) || entry.contains("!" + SANDBOX_RESOURCES)
                || entry.startsWith(SANDBOX_PACKAGE)).as("sandbox entries in %s", APP).isEmpty();
    }

    /** Every file under the application directory, and every entry of its jars as jar!entry. */
    private static List<String> entriesOf(Path root) throws IOException {
        List<String> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String name = root.relativize(file).toString().replace('\\', '/');
                entries.add(name);
                if (name.endsWith(".jar")) {
                    try (JarFile jar = new JarFile(file.toFile())) {
                        jar.stream().map(ZipEntry::getName).forEach(entry -> entries.add(name + "!" + entry));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
        return entries;
    }
}
