package io.revops.bridge.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;

import io.quarkus.arc.Arc;

/**
 * Basic authentication for Jolokia (installed by {@link JolokiaAuthentication}) with two credentials: the viewer
 * (JOLOKIA_USER/JOLOKIA_PASSWORD, required) and, when JOLOKIA_OPERATOR_PASSWORD is set, the operator. It tells
 * {@link JolokiaRoles} who calls (via {@link JolokiaCaller}) and shares the login throttle of the operations API:
 * a locked-out user or address gets 429 without its password being checked.
 */
class JolokiaRoleAuthenticator extends BasicAuthenticator {
    private record Credential(String user, byte[] password, JolokiaCaller.Role role) {
        boolean matches(String givenUser, String givenPassword) {
            return user.equals(givenUser) && MessageDigest.isEqual(password, givenPassword.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Credential viewer;
    private final Optional<Credential> operator;

    JolokiaRoleAuthenticator() {
        super("jolokia");
        Config config = ConfigProvider.getConfig(JolokiaRoleAuthenticator.class.getClassLoader());
        viewer = new Credential(config.getValue("revops.jolokia.viewer.user", String.class),
                config.getValue("revops.jolokia.viewer.password", String.class).getBytes(StandardCharsets.UTF_8),
                JolokiaCaller.Role.VIEWER);
        operator = config.getOptionalValue("revops.jolokia.operator.password", String.class)
                .map(password -> new Credential(config.getValue("revops.jolokia.operator.user", String.class),
                        password.getBytes(StandardCharsets.UTF_8), JolokiaCaller.Role.OPERATOR));
        if (operator.isPresent() && operator.get().user().equals(viewer.user())) {
            throw new IllegalStateException("the Jolokia operator and viewer need different user names");
        }
    }

    @Override
    public Result authenticate(HttpExchange exchange) {
        JolokiaCaller.set(null);
        String address = exchange.getRemoteAddress().getAddress().getHostAddress();
        Optional<String> user = LoginThrottleFilter.basicUser(exchange.getRequestHeaders().getFirst("Authorization"));
        if (user.isEmpty()) {
            return super.authenticate(exchange); // the challenge
        }
        AuthThrottle throttle = Arc.container().instance(AuthThrottle.class).get();
        Optional<Duration> lockout = throttle.lockout(user.get(), address);
        if (lockout.isPresent()) {
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(Math.max(1, (lockout.get().toMillis() + 999) / 1000)));
            return new Failure(429);
        }
        Result result = super.authenticate(exchange);
        if (result instanceof Success success) {
            throttle.succeeded(user.get(), address);
            HttpPrincipal principal = success.getPrincipal();
            JolokiaCaller.set(new JolokiaCaller(principal.getUsername(), roleOf(principal.getUsername()), address));
        } else {
            throttle.failed(user.get(), address);
        }
        return result;
    }

    @Override
    public boolean checkCredentials(String user, String password) {
        return viewer.matches(user, password) || operator.map(o -> o.matches(user, password)).orElse(false);
    }

    private JolokiaCaller.Role roleOf(String user) {
        return operator.filter(o -> o.user().equals(user)).map(Credential::role).orElse(JolokiaCaller.Role.VIEWER);
    }
}
