package io.revops.bridge.ops;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.camel.quarkus.main.events.BeforeConfigure;
import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Production only (dev and test carry their sandbox credentials): before Camel binds its configuration, which would
 * stop at the first empty credential with a message about a configuration key (and the next start at the next one),
 * the start fails with one message naming every missing environment variable (RequiredCredentials).
 */
@ApplicationScoped
public class CredentialsCheck {
    private static final Logger LOG = Logger.getLogger(CredentialsCheck.class);

    void checkBeforeCamelIsConfigured(@Observes @Priority(0) BeforeConfigure event) {
        if (!ConfigUtils.getProfiles().contains("prod")) {
            return;
        }
        List<String> missing = RequiredCredentials.missing(System.getenv());
        if (!missing.isEmpty()) {
            String message = RequiredCredentials.message(missing);
            LOG.error(message);
            throw new IllegalStateException(message);
        }
    }
}
