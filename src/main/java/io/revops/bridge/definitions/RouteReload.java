package io.revops.bridge.definitions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The edit loop (on in dev: revops.routes.reload-period): a route file that changed on disk is validated first
 * and only then replaces the running route. A file that does not validate is rejected with file:line:column and
 * the previous version keeps running. (Mappings reload by themselves, see mapping.Mappings.)
 */
@ApplicationScoped
public class RouteReload extends RouteBuilder {
    private static final Logger LOG = Logger.getLogger(RouteReload.class);

    private final Path routes;
    private final Path mappings;
    private final long period;
    private final Map<Path, FileTime> applied = new ConcurrentHashMap<>();
    private final Map<Path, Rejection> rejected = new ConcurrentHashMap<>();

    /** The last edit of a file that was rejected, and why. */
    public record Rejection(FileTime modified, List<Problem> problems) {
    }

    @Inject
    public RouteReload(@ConfigProperty(name = "revops.routes-dir") String routes,
            @ConfigProperty(name = "revops.mappings-dir") String mappings,
            @ConfigProperty(name = "revops.routes.reload-period", defaultValue = "0") long period) {
        this.routes = Path.of(routes);
        this.mappings = Path.of(mappings);
        this.period = period;
    }

    @Override
    public void configure() {
        if (period <= 0) {
            return;
        }
        routeFiles().forEach(file -> applied.put(file, modified(file))); // loaded by Camel at start
        from("timer:route-reload?period=" + period).routeId("route-reload").process(e -> reloadChanged());
    }

    /** Files whose last edit was rejected; a file leaves once a valid version is saved. */
    public Map<Path, Rejection> rejected() {
        return Map.copyOf(rejected);
    }

    void reloadChanged() {
        for (Path file : routeFiles()) {
            FileTime modified = modified(file);
            Rejection lastRejection = rejected.get(file);
            if (modified.equals(applied.get(file)) || lastRejection != null && modified.equals(lastRejection.modified())) {
                continue;
            }
            List<Problem> problems = RouteValidation.check(file, mappings);
            if (!problems.isEmpty()) {
                rejected.put(file, new Rejection(modified, problems));
                LOG.errorf("Route file %s rejected, the previous version keeps running:%n  %s", file,
                        problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
                continue;
            }
            try {
                PluginHelper.getRoutesLoader(getContext()).updateRoutes(
                        ResourceHelper.resolveMandatoryResource(getContext(), "file:" + file));
                applied.put(file, modified);
                rejected.remove(file);
                LOG.infof("Route file %s reloaded", file);
            } catch (Exception e) {
                rejected.put(file, new Rejection(modified, List.of(Problem.in(file, e.getMessage()))));
                LOG.errorf("Route file %s could not be started: %s", file, e.getMessage());
            }
        }
    }

    private List<Path> routeFiles() {
        try (Stream<Path> files = Files.list(routes)) {
            return files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
