package io.revops.bridge.ops;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpExchange;

/**
 * Jolokia's authClass. Jolokia is a parent-first library in Quarkus and loads this class by name from its own
 * class loader, where the application (CDI, config) is not, or is a second, uninitialised copy (tests): this shim
 * only hands every request to {@link JolokiaRoleAuthenticator}, loaded by the application's class loader (the
 * context class loader while Quarkus starts Jolokia).
 */
public class JolokiaAuthenticator extends Authenticator {
    private final Authenticator delegate = ApplicationSide.instantiate("io.revops.bridge.ops.JolokiaRoleAuthenticator",
            Authenticator.class);

    @Override
    public Result authenticate(HttpExchange exchange) {
        return delegate.authenticate(exchange);
    }
}
