package io.revops.bridge.ops;

/**
 * Who is calling Jolokia on this thread. Jolokia's Restrictor is not told who the caller is, but its HTTP server
 * authenticates and handles a request on one thread, one request at a time per thread: {@link JolokiaRoleAuthenticator}
 * sets the caller for every request (also to nobody when it fails), {@link JolokiaRoles} reads it.
 */
record JolokiaCaller(String user, Role role, String address) {
    enum Role {
        VIEWER, OPERATOR
    }

    private static final ThreadLocal<JolokiaCaller> CURRENT = new ThreadLocal<>();

    static void set(JolokiaCaller caller) {
        if (caller == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(caller);
        }
    }

    /** The authenticated caller of the request this thread works on, or null. */
    static JolokiaCaller current() {
        return CURRENT.get();
    }
}
