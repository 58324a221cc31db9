package io.revops.bridge.salesforce;

import java.lang.reflect.Field;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceComponentConfigurer;
import org.apache.camel.component.salesforce.SalesforceHttpClient;
import org.apache.camel.component.salesforce.internal.client.SalesforceSecurityHandler;
import org.apache.camel.spi.PropertyConfigurer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * camel-salesforce logs in when the component starts, and a failed login (Salesforce unreachable, a refused
 * credential) then fails Camel's start: the process exits and Kubernetes loops the pod. Its lazyLogin option cannot
 * help, as the Pub/Sub consumer refuses it. So the component starts here as lazy (no login), then turns lazy login off
 * again: each route that uses Salesforce logs in when it starts (camel-salesforce's consumer and REST clients do that
 * when the session has no token yet), a failed login fails only that route's start, and the supervising route
 * controller (camel.routecontroller.*) starts it again with backoff until Salesforce answers.
 */
@ApplicationScoped
public class LoginOnRouteStart {

    /** Found by Camel under the component's name, so every camel.component.salesforce.* setting lands on it. */
    @Produces
    @Named("salesforce")
    @Singleton // no client proxy: Camel binds its options to the component's own class
    SalesforceComponent salesforce() {
        return new Component();
    }

    private static final PropertyConfigurer CONFIGURER = new SalesforceComponentConfigurer();

    static final class Component extends SalesforceComponent {
        /** Camel finds a component's generated configurer by its class: this subclass uses camel-salesforce's own. */
        @Override
        public PropertyConfigurer getComponentPropertyConfigurer() {
            return CONFIGURER;
        }

        @Override
        protected void doStart() throws Exception {
            boolean lazy = isLazyLogin();
            setLazyLogin(true);
            try {
                super.doStart();
            } finally {
                setLazyLogin(lazy);
                getLoginConfig().setLazyLogin(lazy);
            }
            installReloginSession();
        }

        /**
         * Replaces the session camel-salesforce created (lazily: not started, never logged in) by a ReloginSession,
         * before any endpoint asks the component for it. The HTTP client's security handler (REST 401 re-login) took
         * the old session when the client started: a new handler under the same name replaces it.
         */
        private void installReloginSession() throws ReflectiveOperationException {
            SalesforceHttpClient httpClient = getHttpClient();
            ReloginSession session = new ReloginSession(getCamelContext(), httpClient, getLoginConfig());
            Field field = SalesforceComponent.class.getDeclaredField("session"); // no setter in camel-salesforce
            field.setAccessible(true);
            field.set(this, session);
            httpClient.setSession(session);
            httpClient.getProtocolHandlers().put(new SalesforceSecurityHandler(httpClient));
            ServiceHelper.startService(session);
        }
    }
}
