package io.revops.bridge.ops;

import java.util.List;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The runtime's entry point: checks the production credentials (RequiredCredentials) before Quarkus starts, then runs
 * Quarkus as usual. Dev and test profiles carry their own sandbox credentials and are not checked.
 */
@QuarkusMain
public class Main {
    public static void main(String... args) {
        if (isProduction()) {
            List<String> missing = RequiredCredentials.missing(System.getenv());
            if (!missing.isEmpty()) {
                System.err.println(RequiredCredentials.message(missing));
                System.exit(1);
            }
        }
        Quarkus.run(args);
    }

    private static boolean isProduction() {
        String profile = System.getProperty("quarkus.profile", System.getenv().getOrDefault("QUARKUS_PROFILE", "prod"));
        return List.of(profile.split(",")).contains("prod");
    }
}
