package io.revops.bridge.flows;

import java.util.Map;


import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link SessionExpiryTest} with the runtime logging in by the JWT bearer flow, configured as the README tells a dev
 * mode user (SALESFORCE_AUTH_TYPE=JWT; the key is the sandbox's jwt-signing.p12): every re-login signs a new assertion.
 */
@QuarkusTest
@TestProfile(SessionExpiryJwtTest.ShortJwtSessions.class)
class SessionExpiryJwtTest extends SessionExpiryTest {
    public static class ShortJwtSessions implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a password and secret the org refuses: only a signed assertion can log the runtime in
            return Map.of("revops.sandbox.salesforce.session-timeout", "PT4S",
                    "%test.quarkus.datasource.jdbc.url", "jdbc:h2:mem:revops-short-jwt-sessions;DB_CLOSE_DELAY=-1",
                    "camel.component.salesforce.authentication-type", "JWT",
                    "%test.camel.component.salesforce.password", "not-the-password",
                    "%test.camel.component.salesforce.client-secret", "not-the-secret");
        }
    }
}
