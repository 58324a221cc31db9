package io.revops.bridge.ops;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * {@code ${revops.unguessable}}: a random value made when the process starts, for settings that may not be empty but
 * have no credential yet (Jolokia's basic-auth password while JOLOKIA_PASSWORD is missing: the start then ends with
 * CredentialsCheck's message, and until it does nobody can log in with a value written in this repository).
 */
public class UnguessablePlaceholder implements ConfigSource {
    private static final String NAME = "revops.unguessable";
    private final String value;

    public UnguessablePlaceholder() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(NAME);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(NAME, value);
    }

    @Override
    public String getValue(String propertyName) {
        return NAME.equals(propertyName) ? value : null;
    }

    @Override
    public String getName() {
        return UnguessablePlaceholder.class.getSimpleName();
    }

    @Override
    public int getOrdinal() {
        return 1;
    }
}
