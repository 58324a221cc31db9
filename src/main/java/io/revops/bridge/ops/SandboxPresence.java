package io.revops.bridge.ops;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The sandbox is its own source set (src/sandbox), on the class path of the tests and of {@code ./mvnw -Psandbox
 * quarkus:dev} only. A dev start without it would point every route at emulators that are not there and fail one
 * connection at a time; this stops it at once with the command that works.
 */
@ApplicationScoped
public class SandboxPresence {
    static final String SANDBOX_CLASS = "io.revops.bridge.sandbox.Sandbox";

    @ConfigProperty(name = "revops.sandbox.enabled")
    boolean enabled;

    void checkBeforeCamelIsConfigured(@Observes @Priority(0) BeforeConfigure event) {
        if (enabled && !onClassPath(SANDBOX_CLASS)) {
            throw new IllegalStateException("revops.sandbox.enabled is true but the sandbox is not on the class path: run "
                    + "./mvnw -Psandbox quarkus:dev (builds without -Psandbox leave the emulators out)");
        }
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
