package io.revops.bridge.billing;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.revops.bridge.policy.Circuits;

/** The runtime's one Kill Bill client (its tenant, behind the billing circuit), shared by every billing adapter. */
@ApplicationScoped
public class KillBillConnection {

    @Produces
    @Singleton
    KillBillClient killBill(@ConfigProperty(name = "billing.killbill.url") String url,
            @ConfigProperty(name = "billing.killbill.user") String user,
            @ConfigProperty(name = "billing.killbill.password") Optional<String> password, // checked at start: ops.CredentialsCheck
            @ConfigProperty(name = "billing.killbill.api-key") String apiKey,
            @ConfigProperty(name = "billing.killbill.api-secret") Optional<String> apiSecret,
            @ConfigProperty(name = "billing.killbill.timeout", defaultValue = "10s") Duration timeout, Circuits circuits) {
        return new KillBillClient(url, user, password.orElse(""), apiKey, apiSecret.orElse(""), timeout, circuits.circuit(KillBillClient.SYSTEM));
    }
}
