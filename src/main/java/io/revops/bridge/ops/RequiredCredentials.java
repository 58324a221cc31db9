package io.revops.bridge.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The credentials a production runtime cannot work without (CredentialsCheck): the Deployment's secretKeyRefs of
 * k8s/base/deployment.yaml that are not optional, but DB_PASSWORD (a database may trust the pod without one) and the
 * Salesforce secrets its authentication type does not use.
 */
public final class RequiredCredentials {
    static final List<String> ALWAYS = List.of("TRYTON_PASSWORD", "KILLBILL_PASSWORD", "KILLBILL_API_SECRET",
            "OPS_OPERATOR_PASSWORD", "OPS_VIEWER_PASSWORD", "JOLOKIA_PASSWORD");

    private RequiredCredentials() {
    }

    /** The required variables that are unset or empty, in a stable order. */
    public static List<String> missing(Map<String, String> env) {
        List<String> required = new ArrayList<>(salesforce(env.getOrDefault("SALESFORCE_AUTH_TYPE", "USERNAME_PASSWORD")));
        required.addAll(ALWAYS);
        return required.stream().filter(name -> env.getOrDefault(name, "").isBlank()).toList();
    }

    /** What camel-salesforce's login needs for the authentication type (JWT signs with a key store instead of secrets). */
    private static List<String> salesforce(String authType) {
        return switch (authType) {
            case "JWT" -> List.of("SALESFORCE_CLIENT_ID", "SALESFORCE_USERNAME");
            case "CLIENT_CREDENTIALS" -> List.of("SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET");
            default -> List.of("SALESFORCE_CLIENT_ID", "SALESFORCE_CLIENT_SECRET", "SALESFORCE_USERNAME", "SALESFORCE_PASSWORD");
        };
    }

    public static String message(List<String> missing) {
        return "RevOps Bridge cannot start: required credentials missing or empty: " + String.join(", ", missing)
                + " (on Kubernetes: keys of the Secret revops-bridge-credentials, README \"Deploying to Kubernetes\")";
    }
}
