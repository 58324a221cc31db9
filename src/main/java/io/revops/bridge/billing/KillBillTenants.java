package io.revops.bridge.billing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import io.revops.bridge.policy.BusinessException;

/**
 * One-time Kill Bill setup for the sandbox and CI: the runtime's tenant and its catalog (products and plans the
 * order flows subscribe to). Production tenants are provisioned by the billing team.
 */
public final class KillBillTenants {
    private KillBillTenants() {
    }

    public static void ensureTenant(String baseUrl, String user, String password, String apiKey, String apiSecret) {
        KillBillClient client = new KillBillClient(baseUrl, user, password, apiKey, apiSecret, Duration.ofSeconds(30));
        try {
            // create rather than look up: Kill Bill answers a lookup of an unknown tenant with HTTP 500
            client.post("/1.0/kb/tenants", Map.of("apiKey", apiKey, "apiSecret", apiSecret));
        } catch (BusinessException alreadyThere) {
            return; // 409: the tenant, and the catalog uploaded right after creating it, exist
        }
        client.postXml("/1.0/kb/catalog/xml", catalog());
    }

    private static String catalog() {
        try (InputStream in = KillBillTenants.class.getResourceAsStream("/killbill/catalog.xml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
