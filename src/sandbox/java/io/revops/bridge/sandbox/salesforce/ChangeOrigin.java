package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;

/**
 * The ChangeEventHeader.changeOrigin of the changes a call makes, as Salesforce writes it:
 * {@code com/salesforce/api/<api>/<version>} for an API call, followed by {@code ;client=<name>} when the call
 * carried {@code Sforce-Call-Options: client=<name>}; empty for changes made outside an API call. The REST handler
 * sets it for the duration of a request; the store and Change Data Capture run on the same thread and read it.
 */
final class ChangeOrigin {
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private ChangeOrigin() {
    }

    /** The origin of a REST call to API version {@code version} ("59.0") with this Sforce-Call-Options header. */
    static String rest(String version, String callOptions) {
        String origin = "com/salesforce/api/rest/" + version;
        String client = client(callOptions);
        return client == null ? origin : origin + ";client=" + client;
    }

    /** The client option of a Sforce-Call-Options header ("client=revops-bridge, defaultNamespace=x"), if any. */
    static String client(String callOptions) {
        if (callOptions == null) {
            return null;
        }
        for (String option : callOptions.split(",")) {
            String[] pair = option.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equals("client") && !pair[1].isBlank()) {
                return pair[1].trim();
            }
        }
        return null;
    }

    /** A request's handling, whose changes all have one origin. */
    interface Call {
        void run() throws IOException;
    }

    static void during(String origin, Call call) throws IOException {
        String outer = CURRENT.get();
        CURRENT.set(origin);
        try {
            call.run();
        } finally {
            CURRENT.set(outer);
        }
    }

    static String current() {
        String origin = CURRENT.get();
        return origin == null ? "" : origin;
    }
}
