package io.revops.bridge.ops;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs before HTTP authentication on the public port: a locked-out user or address gets 429 with Retry-After and
 * its password is not even checked; afterwards, a 401 to a request that carried Basic credentials counts as a
 * failed login and any other answer as a successful one.
 */
@ApplicationScoped
public class LoginThrottleFilter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AuthThrottle throttle;

    void register(@Observes Filters filters) {
        filters.register(this::filter, SecurityHandlerPriorities.AUTHENTICATION + 50);
    }

    private void filter(RoutingContext rc) {
        String user = basicUser(rc.request().getHeader(HttpHeaders.AUTHORIZATION)).orElse(null);
        if (user == null) {
            rc.next();
            return;
        }
        String address = rc.request().remoteAddress() == null ? "unknown" : rc.request().remoteAddress().hostAddress();
        Optional<Duration> lockout = throttle.lockout(user, address);
        if (lockout.isPresent()) {
            long seconds = Math.max(1, (lockout.get().toMillis() + 999) / 1000);
            rc.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(seconds))
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(body(Problem.of(429, "too-many-failed-logins", "too many failed logins for this user or address;"
                            + " retry in " + seconds + " s", rc.request().path())));
            return;
        }
        rc.addHeadersEndHandler(ignored -> {
            if (rc.response().getStatusCode() == 401) {
                throttle.failed(user, address);
            } else {
                throttle.succeeded(user, address);
            }
        });
        rc.next();
    }

    /** The user name of a Basic Authorization header, if there is one. */
    static Optional<String> basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return Optional.of(colon < 0 ? decoded : decoded.substring(0, colon));
        } catch (IllegalArgumentException notBase64) {
            return Optional.of("");
        }
    }

    private static String body(Problem problem) {
        try {
            return JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
