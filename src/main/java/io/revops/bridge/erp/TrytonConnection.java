package io.revops.bridge.erp;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.revops.bridge.policy.Circuits;

/** The runtime's one Tryton client (one session, behind the ERP circuit), shared by every ERP adapter. */
@ApplicationScoped
public class TrytonConnection {

    @Produces
    @Singleton
    TrytonClient tryton(@ConfigProperty(name = "erp.tryton.url") String url,
            @ConfigProperty(name = "erp.tryton.database") String database,
            @ConfigProperty(name = "erp.tryton.user") String user,
            @ConfigProperty(name = "erp.tryton.password") Optional<String> password, // checked at start: ops.CredentialsCheck
            @ConfigProperty(name = "erp.tryton.timeout", defaultValue = "10s") Duration timeout, Circuits circuits) {
        return new TrytonClient(url, database, user, password.orElse(""), timeout, circuits.circuit(TrytonClient.SYSTEM));
    }
}
