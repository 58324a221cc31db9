package io.revops.bridge.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.dashjoin.jsonata.JException;

/**
 * The mappings an integration engineer edits under mappings/: {@code <system>/<name>.jsonata}, addressed by
 * "system/name". Compiled on first use and recompiled when the file changes (checked at most once a second),
 * so an edited mapping takes effect without a restart. An edit that does not compile or fails one of the
 * mapping's golden cases is rejected with the file (and line) and the previous version keeps serving. The product
 * catalog mappings/products.json is bound as $products in every mapping; editing it recompiles them all.
 */
@ApplicationScoped
@Named("mappings")
public class Mappings {
    private static final Logger LOG = Logger.getLogger(Mappings.class);
    private static final long RECHECK_MILLIS = 1000;
    static final String PRODUCTS = "products.json";
    private static final Json JSON = new Json();

    private final Path root;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    @Inject
    public Mappings(@ConfigProperty(name = "revops.mappings-dir", defaultValue = "mappings") String root) {
        this(Path.of(root));
    }

    public Mappings(Path root) {
        this.root = root;
    }

    public Mapping get(String name) {
        Entry entry = cache.compute(name, (key, current) -> current == null ? load(key) : current.refreshed(this));
        return entry.mapping;
    }

    public Path root() {
        return root;
    }

    public Path fileOf(String name) {
        if (!name.matches("[a-z0-9-]+/[a-z0-9-]+")) {
            throw new IllegalArgumentException("mapping name must be <system>/<name> in kebab-case, was " + name);
        }
        return root.resolve(name + ".jsonata");
    }

    private Entry load(String name) {
        Path file = fileOf(name);
        try {
            FileTime modified = lastModified(file);
            return new Entry(compile(name, file), modified, System.currentTimeMillis());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mapping " + file.toAbsolutePath(), e);
        }
    }

    static Mapping compile(String name, Path file) throws IOException {
        String expression = Files.readString(file);
        Object products = JSON.toTree(Files.readString(productsOf(file)));
        try {
            return new Mapping(name, file, expression, products);
        } catch (JException e) {
            throw new InvalidMappingException(file, expression, e);
        }
    }

    /** The product catalog every mapping sees as $products: mappings/products.json beside the system folders. */
    static Path productsOf(Path mappingFile) {
        return mappingFile.toAbsolutePath().getParent().getParent().resolve(PRODUCTS);
    }

    /** A mapping is stale when its file or the product catalog changed. */
    private static FileTime lastModified(Path mappingFile) throws IOException {
        FileTime own = Files.getLastModifiedTime(mappingFile);
        FileTime products = Files.getLastModifiedTime(productsOf(mappingFile));
        return own.compareTo(products) >= 0 ? own : products;
    }

    private record Entry(Mapping mapping, FileTime modified, long checkedAt) {
        Entry refreshed(Mappings owner) {
            long now = System.currentTimeMillis();
            if (now - checkedAt < RECHECK_MILLIS) {
                return this;
            }
            try {
                FileTime current = lastModified(mapping.file());
                if (current.equals(modified)) {
                    return new Entry(mapping, modified, now);
                }
                Mapping edited = compile(mapping.name(), mapping.file());
                List<GoldenCases.Outcome> failed = GoldenCases.failures(edited, owner.root);
                if (!failed.isEmpty()) {
                    throw new InvalidMappingException(failed.get(0).caseFile() + ": " + failed.get(0).failure());
                }
                return new Entry(edited, current, now);
            } catch (IOException | InvalidMappingException e) {
                LOG.errorf("Keeping the previous version of mapping %s: %s", mapping.name(), e.getMessage());
                return new Entry(mapping, modified, now);
            }
        }
    }
}
